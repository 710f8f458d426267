"""Finding a show on the LAN without typing addresses: mDNS/DNS-SD (python-zeroconf).

A primary that serves on the LAN (not on 127.0.0.1 only) advertises ``_runofshow._tcp``
with its port and, as TXT properties, the show's title, its uid and term, the laptop's name
and runofshow's version (no PIN, nothing private: the PIN is still needed to join). ``runofshow
--join`` without an address browses for ``BROWSE_S`` and lists what it found; with exactly
one show it joins it, with several it says how to pick one.

python-zeroconf is the maintained pure-Python implementation (Bonjour and Avahi compatible):
the multicast socket handling, probing, conflict resolution and caching are not code to
write again. It runs its own thread; registering waits for its probes (about a second and a
half), so it is done on a thread of its own, never on the GUI thread that paints the
countdown. Imported only when a show is advertised or looked for.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

logger = logging.getLogger(__name__)

SERVICE = "_runofshow._tcp.local."
BROWSE_S = 3.0


@dataclass(frozen=True, slots=True)
class FoundShow:
    """A runofshow serving a show on the LAN, as it advertises itself."""

    name: str  # the laptop's
    title: str
    url: str  # http://ADDRESS:PORT
    role: str
    uid: str


def _text(properties: dict[bytes, bytes | None], key: str) -> str:
    value = properties.get(key.encode())
    return value.decode("utf-8", errors="replace")[:120] if value else ""


class Advertiser:
    """Advertises a show on ``port`` at ``addresses`` until ``close``."""

    def __init__(self, port: int, addresses: list[str], properties: dict[str, str]) -> None:
        self.port = port
        self._zeroconf: object | None = None
        self._info: object | None = None
        self._closed = threading.Event()
        self.registered = threading.Event()  # set once the network has heard of it
        self._thread = threading.Thread(
            target=self._register, args=(addresses, properties), daemon=True,
            name="runofshow-mdns",
        )  # fmt: skip
        self._thread.start()

    def _register(self, addresses: list[str], properties: dict[str, str]) -> None:
        try:
            from zeroconf import IPVersion, ServiceInfo, Zeroconf

            label = f"{properties.get('name', 'runofshow')} {self.port}"[:60]
            info = ServiceInfo(
                SERVICE,
                f"{label}.{SERVICE}",
                port=self.port,
                properties=properties,
                parsed_addresses=addresses,
            )
            zeroconf = Zeroconf(ip_version=IPVersion.V4Only)
            zeroconf.register_service(info, allow_name_change=True)
        except Exception as error:  # the show goes on unadvertised; said in the log
            logger.warning("the show could not be advertised on the LAN (mDNS): %s", error)
            return
        self._zeroconf, self._info = zeroconf, info
        self.registered.set()
        logger.info("advertising the show on the LAN as %r", info.name)
        if self._closed.is_set():
            self._unregister()

    def close(self) -> None:
        self._closed.set()
        if self._zeroconf is not None:
            threading.Thread(target=self._unregister, daemon=True).start()

    def _unregister(self) -> None:
        zeroconf, info = self._zeroconf, self._info
        self._zeroconf = self._info = None
        if zeroconf is None:
            return
        try:
            zeroconf.unregister_service(info)  # type: ignore[attr-defined]
            zeroconf.close()  # type: ignore[attr-defined]
        except Exception as error:
            logger.warning("stopping the show's mDNS advertisement failed: %s", error)


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses other than loopback (where a show on 0.0.0.0 is)."""
    from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface

    ipv4 = QAbstractSocket.NetworkLayerProtocol.IPv4Protocol
    return [
        a.toString()
        for a in QNetworkInterface.allAddresses()
        if a.protocol() == ipv4 and not a.isLoopback()
    ]


def browse(seconds: float = BROWSE_S) -> list[FoundShow]:
    """The shows advertised on the LAN, looked for during ``seconds``."""
    from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

    names: list[str] = []
    lock = threading.Lock()

    def changed(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Added:
            with lock:
                names.append(name)

    zeroconf = Zeroconf(ip_version=IPVersion.V4Only)
    try:
        browser = ServiceBrowser(zeroconf, SERVICE, handlers=[changed])
        threading.Event().wait(seconds)  # the browser answers on zeroconf's own thread
        browser.cancel()
        found = []
        with lock:
            wanted = list(dict.fromkeys(names))
        for name in wanted:
            info = zeroconf.get_service_info(SERVICE, name, timeout=1000)
            if info is None or not info.parsed_addresses():
                continue
            props = info.properties
            address = info.parsed_addresses()[0]
            found.append(
                FoundShow(
                    name=_text(props, "name") or name,
                    title=_text(props, "title"),
                    url=f"http://{address}:{info.port}",
                    role=_text(props, "role"),
                    uid=_text(props, "uid"),
                )
            )
        return found
    finally:
        zeroconf.close()


def choose_show(seconds: float = BROWSE_S, out: TextIO | None = None) -> str | int:
    """``--join`` without an address: the one show found on the LAN (its URL), or an exit
    status after listing what was found (several: pick one with ``--join ADDRESS``)."""
    from runofshow.exit_codes import EXIT_NO_SHOW, EXIT_USAGE

    out = out or sys.stdout
    print(f"runofshow: looking for shows on the LAN ({seconds:g} s)…", file=out, flush=True)
    try:
        shows = [s for s in browse(seconds) if s.role == "primary"]
    except OSError as error:
        print(f"runofshow: cannot look for shows on this network: {error}", file=out)
        return EXIT_NO_SHOW
    if not shows:
        print(
            "runofshow: no show found on the LAN. Is the MC's laptop serving on the LAN"
            " (--serve 0.0.0.0:8765)? Or give its address: --join HOST:PORT",
            file=out,
        )
        return EXIT_NO_SHOW
    if len(shows) == 1:
        show = shows[0]
        print(f"runofshow: joining {show.title!r} on {show.name} at {show.url}", file=out)
        return show.url
    print("runofshow: several shows found; pick one with --join:", file=out)
    for show in shows:
        address = show.url.removeprefix("http://")
        print(f"  runofshow --join {address} --pin PIN    # {show.title} on {show.name}", file=out)
    return EXIT_USAGE
