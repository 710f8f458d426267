"""``[HOST:]PORT`` as the command line and the Network window write it (plain Python, so the
command line is checked without loading Qt's network modules)."""

from __future__ import annotations

import argparse
import ipaddress
from dataclasses import dataclass, field


class ServeError(ValueError):
    """The server cannot listen as asked (bad address, port taken); the words say why."""


@dataclass(frozen=True)
class ServeAddress:
    host: str  # "127.0.0.1", "0.0.0.0", "::", a LAN address
    port: int

    @classmethod
    def parse(cls, text: str, default_host: str = "127.0.0.1") -> ServeAddress:
        """``PORT``, ``HOST:PORT`` or ``[V6]:PORT``; ``ServeError`` says what is wrong."""
        text = text.strip()
        host, port_text = default_host, text
        if text.startswith("["):
            inner, sep, rest = text[1:].partition("]")
            if not sep or not rest.startswith(":"):
                raise ServeError(f"{text!r}: write an IPv6 address as [ADDRESS]:PORT")
            host, port_text = inner, rest[1:]
        elif ":" in text:
            host, _, port_text = text.rpartition(":")
        if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
            raise ServeError(f"{text!r}: the port must be a number from 0 to 65535")
        if host in ("", "*"):
            host = "0.0.0.0"
        if host.lower() == "localhost":
            host = "127.0.0.1"
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ServeError(
                f"{text!r}: {host!r} is not an IP address (127.0.0.1 for this laptop only,"
                " 0.0.0.0 for the LAN, or one of this computer's addresses)"
            ) from None
        return cls(host, int(port_text))

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def address_argument(text: str) -> ServeAddress:
    """argparse type of ``--serve`` and ``--osc``."""
    try:
        return ServeAddress.parse(text)
    except ServeError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def target_argument(text: str) -> ServeAddress:
    """argparse type of ``--osc-out``: a host must be named (where to send)."""
    if ":" not in text:
        raise argparse.ArgumentTypeError(f"{text!r}: write HOST:PORT (where to send OSC)")
    return address_argument(text)


def networks_argument(text: str) -> tuple[str, ...]:
    """argparse type of ``--osc-allow``: addresses or networks, comma-separated."""
    entries = tuple(e.strip() for e in text.split(",") if e.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{entry!r} is not an address or network (e.g. 192.168.1.20 or 10.0.0.0/24)"
            ) from None
    return entries


def peer_url(text: str) -> str:
    """``HOST:PORT`` of another runofshow (an address or a name such as ``mc.local``) as
    the ``http://HOST:PORT`` peers are known by; ``ServeError`` says what is wrong."""
    text = text.strip()
    if text.startswith("http://"):
        text = text[len("http://") :].rstrip("/")
    host, sep, port = text.rpartition(":")
    if text.startswith("[") and "]:" in text:
        host, port = text[1 : text.index("]")], text[text.index("]:") + 2 :]
        host = f"[{host}]"
    if not sep or not host or not port.isdigit() or not 0 < int(port) <= 65535:
        raise ServeError(
            f"{text!r}: write the primary's HOST:PORT (as its Network window or its"
            " 'runofshow: serving' line says, e.g. 192.168.1.10:8765)"
        )
    if any(c in host for c in "/?#@ "):
        raise ServeError(f"{text!r}: {host!r} is not a host name or address")
    return f"http://{host}:{int(port)}"


DISCOVER = "discover"  # --join without an address: look for shows on the LAN


def join_argument(text: str) -> str:
    """argparse type of ``--join`` (its constant, ``DISCOVER``, passes as it is)."""
    if text == DISCOVER:
        return text
    try:
        return peer_url(text)
    except ServeError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def pin_argument(text: str) -> str:
    """argparse type of ``--pin`` and ``--view-pin``."""
    from runofshow._qt.network.guard import check_pin_text

    try:
        return check_pin_text(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


@dataclass(frozen=True)
class NetworkOptions:
    """What the command line asked of the network (None: not asked)."""

    serve: ServeAddress | None = None
    pin: str | None = None
    view_pin: str | None = None
    osc: ServeAddress | None = None
    osc_allow: tuple[str, ...] = ()
    osc_out: tuple[ServeAddress, ...] = field(default_factory=tuple)
