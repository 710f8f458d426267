"""Turning the show network on and off: the server and OSC, from the command line or the
Network window, with what is remembered between runs.

``--serve [HOST:]PORT`` (loopback unless a LAN address or ``0.0.0.0`` is given) turns the
server on for this run; the Network window turns it on or off and that choice, the address
and the PINs are remembered (``WindowSettings``), so a laptop set up for the show serves again
after a restart. The control PIN is ``--pin``, else the remembered one, else generated (six
digits) and remembered; the window shows it.

Once listening, one line goes to stdout, ``runofshow: serving http://HOST:PORT/``: the port
when ``:0`` asked for a free one, for scripts and the tests that drive the real app.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from runofshow._qt.network import guard
from runofshow._qt.network.address import NetworkOptions, ServeAddress, ServeError
from runofshow._qt.network.server import PORT_LINE, ShowServer

if TYPE_CHECKING:
    from runofshow._qt.app.host import ShowHost
    from runofshow._qt.network.osc import OscLink

logger = logging.getLogger(__name__)

DEFAULT_ADDRESS = "127.0.0.1:8765"


class NetworkControl(QObject):
    """Owns the server (and the OSC link) of ``host``'s show, on or off."""

    changed = Signal()  # on/off, address, PINs or clients changed: the window redraws

    def __init__(self, host: ShowHost, options: NetworkOptions | None = None) -> None:
        super().__init__(host)
        self.host = host
        self.options = options or NetworkOptions()
        self.settings = host.settings
        self.server: ShowServer | None = None
        self.osc: OscLink | None = None
        self.error: str | None = None
        self.pin = self.options.pin or self.settings.network_pin() or self._new_pin()
        self.view_pin = self.options.view_pin or self.settings.network_view_pin()

    def _new_pin(self) -> str:
        pin = guard.generate_pin()
        self.settings.save_network(pin=pin)
        return pin

    # -- starting ------------------------------------------------------------------------
    def start_from_options(self) -> None:
        """At start-up: ``--serve`` (and ``--osc``) if given, else what was remembered."""
        address = self.options.serve
        if address is None and self.settings.network_on():
            address = self._remembered_address()
        if address is not None:
            self.start(address)
        if self.options.osc is not None or self.options.osc_out:
            self._start_osc()

    def _remembered_address(self) -> ServeAddress | None:
        try:
            return ServeAddress.parse(self.settings.network_address() or DEFAULT_ADDRESS)
        except ServeError as error:
            logger.warning("the remembered network address is unusable: %s", error)
            return None

    def start(self, address: ServeAddress) -> bool:
        """Serve on ``address``; False (and ``error`` in words, on the notice bar) if not."""
        if self.server is None:
            self.server = ShowServer(self.host, self.pin, self.view_pin, parent=self)
            self.server.clients_changed.connect(lambda _n: self.changed.emit())
        try:
            url = self.server.listen(address)
        except ServeError as error:
            self.error = str(error)
            self.host.post_notice("network", self.host.tr_("notice.network_failed", error=error))
            print(f"runofshow: {error}", file=sys.stderr, flush=True)
            self.changed.emit()
            return False
        self.error = None
        self.host.clear_notice("network")
        _announce(url)
        self.changed.emit()
        return True

    def _start_osc(self) -> None:
        from runofshow._qt.network.osc import OscError, OscLink

        try:
            self.osc = OscLink(self, self.options.osc, self.options.osc_allow, self.options.osc_out)
        except OscError as error:
            self.host.post_notice("osc", self.host.tr_("notice.network_failed", error=error))
            print(f"runofshow: {error}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        self.changed.emit()

    # -- what the window changes (and remembers) -----------------------------------------
    def turn(self, on: bool, address_text: str | None = None) -> bool:
        """The Network window's switch: remembered for the next start."""
        if not on:
            self.stop()
            self.settings.save_network(on=False)
            return True
        try:
            address = ServeAddress.parse(address_text or DEFAULT_ADDRESS)
        except ServeError as error:
            self.error = str(error)
            self.changed.emit()
            return False
        if self.listening and self.server is not None and self._serving(address):
            return True  # already there (Apply pressed again): the clients stay connected
        started = self.start(address)
        if started:
            self.settings.save_network(on=True, address=str(address))
        return started

    def set_pins(self, pin: str, view_pin: str | None) -> None:
        """New PINs (``ValueError`` names what is wrong with one): in force at once, for the
        feed's clients too (they are dropped and must come back with the new one);
        remembered."""
        pin = guard.check_pin_text(pin)
        view_pin = guard.check_pin_text(view_pin) if view_pin else None
        changed = (pin, view_pin) != (self.pin, self.view_pin)
        self.pin, self.view_pin = pin, view_pin
        if self.server is not None and changed:
            self.server.control_pin, self.server.view_pin = pin, view_pin
            self.server.drop_clients("the PIN changed")  # a screen with the old PIN is out
        self.settings.save_network(pin=self.pin, view_pin=self.view_pin or "")
        self.changed.emit()

    def _serving(self, address: ServeAddress) -> bool:
        """Whether the server listens where ``address`` asks (port 0: any free port)."""
        now = self.server.address if self.server is not None else None
        return now is not None and now.host == address.host and address.port in (0, now.port)

    @property
    def listening(self) -> bool:
        return self.server is not None and self.server.listening

    def url(self, path: str = "/") -> str:
        return self.server.url(path) if self.listening and self.server is not None else ""

    def clients(self) -> int:
        return 0 if self.server is None else len(self.server.sockets)

    def close(self) -> None:
        """The app quits."""
        if self.server is not None:
            self.server.close()
        if self.osc is not None:
            self.osc.close()


def _announce(url: str) -> None:
    """The one line scripts read to learn the port (``--serve 127.0.0.1:0``)."""
    try:
        os.write(sys.stdout.fileno(), f"{PORT_LINE}{url}\n".encode())
    except (OSError, ValueError, AttributeError) as error:  # no stdout (a desktop launcher)
        logger.info("serving at %s (stdout unavailable: %s)", url, error)
