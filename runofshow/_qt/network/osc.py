"""OSC over UDP: the same show commands as addresses, and the show's state sent to targets.

In (``--osc [HOST:]PORT``): ``/runofshow/<command>`` with the command's arguments as OSC
arguments or path parts (``/runofshow/next``, ``/runofshow/goto 3``, ``/runofshow/goto/3``,
``/runofshow/add 60``, ``/runofshow/blackout 1``, ``/runofshow/message "Wrap up"``), every one
through the command table like a key press and journaled with source "osc". OSC has no
authentication: ``--osc-allow ADDRESS[,NETWORK...]`` limits which senders are heard (a packet
from anyone else is dropped and logged); bind it to loopback or a show network.

Out (``--osc-out HOST:PORT``, repeatable): on every change ``/runofshow/status`` (ready,
running, paused, ended), ``/runofshow/phase`` (normal, wrapup, danger, overtime, idle),
``/runofshow/over`` (1 while over time: a Companion button turns red on it),
``/runofshow/segment`` (number, title), and on every flip of the countdown
``/runofshow/countdown`` (as the MC sees it, ``4:59`` or ``+0:12``) and ``/runofshow/remaining``
(signed whole seconds).

Only python-osc's packet codec is used; the socket is Qt's, on the GUI thread's event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QHostAddress, QUdpSocket

from runofshow._qt.network.guard import address_allowed
from runofshow._qt.network.routes import command_call, run_for_network
from runofshow.core.commands import CommandError
from runofshow.core.remote_state import whole_seconds
from runofshow.core.timefmt import countdown_text

if TYPE_CHECKING:
    from runofshow._qt.network.address import ServeAddress
    from runofshow._qt.network.control import NetworkControl

logger = logging.getLogger(__name__)

PREFIX = "/runofshow/"
MAX_DATAGRAM = 8192
LOUD_REFUSALS = 20  # refused packets logged one by one; after that every 1000th


class OscError(ValueError):
    """OSC cannot start as asked; the words say why."""


class OscLink(QObject):
    """Listens for OSC commands (if ``listen``) and sends the state to ``targets``."""

    def __init__(
        self,
        control: NetworkControl,
        listen: ServeAddress | None,
        allow: Iterable[str] = (),
        targets: Iterable[ServeAddress] = (),
    ) -> None:
        super().__init__(control)
        self.host = control.host
        self.allow = tuple(allow)
        self.targets = tuple(targets)
        self.refused = 0
        self.received = 0
        self._sent: dict[str, tuple[Any, ...]] = {}
        self.socket = QUdpSocket(self)
        self.port: int | None = None
        if listen is not None:
            if not self.socket.bind(QHostAddress(listen.host), listen.port):
                raise OscError(f"cannot listen for OSC on {listen}: {self.socket.errorString()}")
            self.port = self.socket.localPort()
            self.socket.readyRead.connect(self._readable)
            logger.info("listening for OSC on %s:%s", listen.host, self.port)
        if self.targets:
            self.host.display_changed.connect(self._send_state)
            self.host.executed.connect(self._send_state)

    # -- in ------------------------------------------------------------------------------
    def _readable(self) -> None:
        while self.socket.hasPendingDatagrams():
            datagram = self.socket.receiveDatagram(MAX_DATAGRAM)
            sender = datagram.senderAddress().toString()
            if not address_allowed(sender, self.allow):
                self._refuse(sender, "not in --osc-allow")
                continue
            self._packet(bytes(datagram.data().data()), sender)

    def _packet(self, data: bytes, sender: str) -> None:
        from pythonosc.osc_packet import OscPacket, ParseError

        try:
            messages = OscPacket(data).messages
        except (ParseError, ValueError, IndexError, TypeError) as error:
            self._refuse(sender, f"not an OSC packet ({error})")
            return
        for timed in messages:
            self._message(timed.message.address, list(timed.message.params), sender)

    def _message(self, address: str, params: list[Any], sender: str) -> None:
        if not address.startswith(PREFIX):
            self._refuse(sender, f"{address[:60]!r} is not under {PREFIX}")
            return
        parts = address[len(PREFIX) :].split("/")
        args = [_text(p) for p in params]
        try:
            if parts[0] == "message" and args:  # the text, then flash: not joined as a path
                named = {"text": args[0], **({"flash": args[1]} if len(args) > 1 else {})}
                name, raw = command_call("message", parts[1:], named)
            else:
                name, raw = command_call(parts[0], [*parts[1:], *args], {})
        except CommandError as error:
            self._refuse(sender, str(error))
            return
        if name == "takeover":  # OSC has no PIN: a takeover is a menu item or /api/takeover
            self._refuse(sender, "takeover is not taken over OSC (it carries no PIN)")
            return
        self.received += 1
        answer = run_for_network(self.host, name, raw, "osc")
        outcome = answer.get("_outcome")
        if outcome is not None and outcome.sent:  # a follower's: the primary journals it
            logger.info("OSC %s from %s sent to the primary", address, sender)
        elif not answer["applied"]:
            logger.info("OSC %s from %s not applied: %s", address, sender, answer.get("reason"))

    def _refuse(self, sender: str, why: str) -> None:
        """A packet dropped: logged (the first ones each, then every 1000th), never silent."""
        self.refused += 1
        if self.refused <= LOUD_REFUSALS or self.refused % 1000 == 0:
            logger.warning("OSC from %s refused (%d so far): %s", sender, self.refused, why)

    # -- out -----------------------------------------------------------------------------
    def _send_state(self, *_args: object) -> None:
        """Send what changed since the last time (countdown on each flip, the rest on
        change)."""
        if not self.host.has_show:
            return
        now = self.host.engine.now()
        values = {
            "status": (now.status.value,),
            "phase": (now.phase.value,),
            "over": (1 if now.phase.value == "overtime" else 0,),
            "segment": (now.index + 1, now.segment.title),
            "countdown": (countdown_text(now.remaining_s),),
            "remaining": (whole_seconds(now.remaining_s),),
        }
        for name, args in values.items():
            if self._sent.get(name) != args:
                self._sent[name] = args
                self.send(PREFIX + name, *args)

    def send(self, address: str, *args: Any) -> None:
        from pythonosc.osc_message_builder import OscMessageBuilder

        builder = OscMessageBuilder(address)
        for arg in args:
            builder.add_arg(arg)
        data = builder.build().dgram
        for target in self.targets:
            self.socket.writeDatagram(data, QHostAddress(target.host), target.port)

    def close(self) -> None:
        self.socket.close()


def _text(value: Any) -> str:
    """An OSC argument as the command table's text (1.0 -> "1", True -> "on")."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
