"""Who may do what: the control PIN, the view PIN, wrong-PIN rate limits, and requests that
must come from this server's own pages or from a device that asked for it by address.

- **PINs** are compared in constant time (``hmac.compare_digest``). The control PIN drives the
  show; the view PIN, if the user sets one, is needed to read it (the control PIN reads too).
- **Wrong PINs** from one address are allowed a few times; then that address waits, twice as
  long after each further wrong PIN, up to ``MAX_LOCKOUT_S``; while it waits even the right
  PIN is refused (a guesser learns nothing). A right PIN forgets the count.
- **Host and Origin**: a page on the MC's own laptop (any web site in its browser) can make the
  browser send requests to ``127.0.0.1``; so can a site whose DNS name was rebound to the
  laptop's LAN address. Neither can choose the ``Host`` or ``Origin`` headers the browser
  sends. A request is served only if its ``Host`` names this server (its port, and an address
  of this machine, ``localhost`` or its host name) and its ``Origin``, when there is one, is
  this server; a browser's ``Sec-Fetch-Site: cross-site`` or ``same-site`` is refused too.

Plain Python with the time passed in, so the tests drive it with a fake clock.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

FREE_FAILURES = 5  # wrong PINs from one address before it must wait
FIRST_LOCKOUT_S = 1.0
MAX_LOCKOUT_S = 60.0
FORGET_AFTER_S = 600.0  # a quiet address starts over
PIN_DIGITS = 6
MAX_PIN_CHARS = 64


def generate_pin() -> str:
    """A random six-digit PIN (typed on a phone, said over a headset)."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def check_pin_text(pin: str) -> str:
    """``pin`` if it can be used as a PIN, else ``ValueError`` naming what to fix."""
    if not pin or len(pin) > MAX_PIN_CHARS or not pin.isprintable() or pin != pin.strip():
        raise ValueError(
            f"a PIN is 1 to {MAX_PIN_CHARS} printable characters without spaces at its ends"
        )
    if any(c in pin for c in "&#?/ "):
        raise ValueError("a PIN cannot hold &, #, ?, / or spaces (it travels in a URL)")
    return pin


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two PINs (the time does not say how much matched)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class PinLimiter:
    """Counts wrong PINs per client address and says how long it must wait."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self._records: dict[str, _Record] = {}

    def wait_s(self, peer: str) -> float:
        """Seconds ``peer`` must still wait before a PIN of theirs is even looked at."""
        record = self._records.get(peer)
        if record is None:
            return 0.0
        return max(0.0, record.locked_until - self.now())

    def failed(self, peer: str) -> float:
        """A wrong PIN from ``peer``: the wait it has earned (0 while it has free tries)."""
        now = self.now()
        record = self._records.setdefault(peer, _Record())
        if now - record.last > FORGET_AFTER_S:
            record.failures = 0
        record.failures += 1
        record.last = now
        over = record.failures - FREE_FAILURES
        if over >= 0:
            wait = min(MAX_LOCKOUT_S, FIRST_LOCKOUT_S * 2**over)
            record.locked_until = now + wait
            return wait
        self._forget_old(now)
        return 0.0

    def succeeded(self, peer: str) -> None:
        self._records.pop(peer, None)

    def _forget_old(self, now: float) -> None:
        if len(self._records) > 10_000:  # a flood of addresses must not grow memory forever
            stale = [p for p, r in self._records.items() if now - r.last > FORGET_AFTER_S]
            for peer in stale:
                del self._records[peer]


class HostCheck:
    """Whether a request's ``Host`` and ``Origin`` belong to this server on ``port``."""

    def __init__(self, port: int, addresses: Iterable[str], names: Iterable[str]) -> None:
        self.port = port
        self.hosts = {_normal(a) for a in addresses} | {n.lower() for n in names} | {"localhost"}

    def host_ok(self, host: str) -> bool:
        """``Host: 127.0.0.1:8080``, ``[::1]:8080``, ``laptop.local:8080``: one of ours."""
        name, port = _split_host(host)
        if name is None:
            return False
        return port == self.port and (_normal(name) in self.hosts)

    def origin_ok(self, origin: str) -> bool:
        """No ``Origin`` (curl, Companion, a hardware controller) is fine; a browser's must be
        ``http://`` one of our hosts."""
        if not origin:
            return True
        parts = urlsplit(origin)
        if parts.scheme != "http" or not parts.netloc:
            return False
        return self.host_ok(parts.netloc)

    def problem(self, host: str, origin: str, fetch_site: str) -> str | None:
        """Why a request must be refused, in words; None if it may be served."""
        if not self.host_ok(host):
            return (
                f"Host {host[:80]!r} is not this server: open it by this computer's address"
                f" and port {self.port}"
            )
        if not self.origin_ok(origin):
            return f"a page from {origin[:80]!r} may not use this server"
        if fetch_site.lower() in ("cross-site", "same-site"):
            return "a page from another site may not use this server"
        return None


def _split_host(host: str) -> tuple[str | None, int | None]:
    host = host.strip().lower()
    if not host:
        return None, None
    if host.startswith("["):
        name, sep, rest = host[1:].partition("]")
        if not sep:
            return None, None
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port_text = host.rpartition(":") if ":" in host else (host, "", "")
    if not port_text:
        return name, 80
    return (name, int(port_text)) if port_text.isdigit() and len(port_text) <= 5 else (None, None)


def _normal(address: str) -> str:
    """An IP address in one spelling (``::ffff:127.0.0.1`` is ``127.0.0.1``); names lower."""
    text = address.strip().strip("[]").lower().split("%")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def address_allowed(peer: str, allowed: Iterable[str]) -> bool:
    """Whether ``peer`` is one of ``allowed`` (addresses or networks such as 10.0.0.0/24);
    an empty list allows everyone."""
    networks = list(allowed)
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(_normal(peer))
    except ValueError:
        return False
    for entry in networks:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False
