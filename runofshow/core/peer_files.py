"""What a machine of a shared show keeps in its state folder besides the journal.

- ``peer-id``: this state folder's name among the show's machines (random, made once): the
  term owner a takeover records, and the tie-breaker when two followers take over at once.
- ``peers.json``: the show's other machines as last heard of (their addresses): a primary
  that comes back after a crash asks them whether someone took over meanwhile, and a
  follower whose primary went silent looks for the new one among them.
- ``peer-agendas/UID.json``: the agenda a follower was sent for show UID (``agenda_codec``
  JSON, never code): the follower's report of the show reads its agenda from there, since
  the file it was loaded from is on the primary's disk.

Every file is written whole and renamed into place; one that cannot be read is ignored and
logged (a follower then simply does not know its peers), never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "KnownPeers",
    "Peer",
    "agenda_copy",
    "load_known_peers",
    "peer_id",
    "peer_url",
    "save_agenda_copy",
    "save_known_peers",
]

logger = logging.getLogger(__name__)

PEER_ID_FILE = "peer-id"
PEERS_FILE = "peers.json"
AGENDAS_FOLDER = "peer-agendas"
MAX_PEERS = 32


MAX_PEER_ID = 64  # bytes: sixteen hex digits, and a line end
MAX_PEERS_FILE = 1 << 20  # 32 peers take a few kB
MAX_AGENDA_COPY = 64 * 1024 * 1024  # what a welcome may carry (``_qt.peers.link``)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; ``OSError`` if it is anything else (a
    FIFO left in the state folder blocked the app before its first window, for good) or
    larger than ``limit``."""
    descriptor = os.open(path, _READ_FLAGS)
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path} is larger than {limit} bytes")
    return data


def _write_whole(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def peer_id(folder: Path) -> str:
    """This state folder's peer id, made (and kept) the first time it is asked for; a
    folder that cannot be written gets one for this run only (and says so in the log)."""
    path = folder / PEER_ID_FILE
    try:
        text = _read_regular(path, MAX_PEER_ID).decode("ascii").strip()
        if len(text) == 16 and all(c in "0123456789abcdef" for c in text):
            return text
        logger.warning("%s holds no peer id (%r): a new one is made", path, text[:20])
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as error:
        logger.warning("the peer id in %s cannot be read (%s): a new one is made", path, error)
    made = secrets.token_hex(8)
    try:
        _write_whole(path, made.encode("ascii"))
    except OSError as error:
        logger.warning("the peer id could not be kept in %s (%s): one for this run", folder, error)
    return made


@dataclass(frozen=True, slots=True)
class Peer:
    """Another machine of the show: its peer id, a name people recognise, where it serves."""

    id: str
    name: str
    url: str | None  # http://HOST:PORT (None: it does not serve)


@dataclass(frozen=True, slots=True)
class KnownPeers:
    """The machines of show ``show`` (its uid) as last heard of, this one included."""

    show: str
    peers: tuple[Peer, ...]

    def urls(self, except_id: str = "") -> list[str]:
        return [p.url for p in self.peers if p.url and p.id != except_id]

    def merged(self, show: str, heard: tuple[Peer, ...] | list[Peer]) -> KnownPeers:
        """Show ``show``'s machines: these (if of the same show) and those just ``heard``
        of, which replace them by id; at most ``MAX_PEERS``, the longest unheard of left out
        first (a primary naming 32 new machines in each message fills no disk)."""
        before = self.peers if self.show == show else ()
        merged = {p.id: p for p in before}
        merged.update({p.id: p for p in heard})
        fresh = {p.id for p in heard}
        stale = [i for i in merged if i not in fresh]
        for ident in stale[: max(0, len(merged) - MAX_PEERS)]:
            del merged[ident]
        return KnownPeers(show, tuple(merged.values())[:MAX_PEERS])


def peer_of(value: object) -> Peer | None:
    """A peer from JSON (the network's, or the file's); None if it is not one."""
    if not isinstance(value, dict):
        return None
    ident, name, url = value.get("id"), value.get("name"), value.get("url")
    if not isinstance(ident, str) or not isinstance(name, str) or len(ident) > 64:
        return None
    if url is not None and peer_url(url) is None:
        return None
    return Peer(ident, name[:80], url[:200] if url else None)


def peer_url(value: object) -> str | None:
    """An address another machine gave for a machine of the show (``http://HOST:PORT``),
    or None: nothing else (``file:``, ``javascript:``) is ever asked or opened."""
    if not isinstance(value, str) or not value.startswith("http://") or len(value) > 200:
        return None
    return value


def peers_of(values: object) -> tuple[Peer, ...]:
    if not isinstance(values, list):
        return ()
    found = [p for p in map(peer_of, values[:MAX_PEERS]) if p is not None]
    return tuple(found)


def as_json(peer: Peer) -> dict[str, Any]:
    return {"id": peer.id, "name": peer.name, "url": peer.url}


def save_known_peers(folder: Path, known: KnownPeers) -> None:
    try:
        data = {"show": known.show, "peers": [as_json(p) for p in known.peers]}
        _write_whole(folder / PEERS_FILE, json.dumps(data, ensure_ascii=False).encode())
    except OSError as error:
        logger.warning("the show's peers could not be kept in %s: %s", folder, error)


def load_known_peers(folder: Path) -> KnownPeers | None:
    path = folder / PEERS_FILE
    try:
        data = json.loads(_read_regular(path, MAX_PEERS_FILE).decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as error:  # RecursionError: absurdly nested
        logger.warning("%s cannot be read (%s): the show's peers are not known", path, error)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("show"), str):
        logger.warning("%s is not a list of peers: ignored", path)
        return None
    return KnownPeers(data["show"], peers_of(data.get("peers")))


def _copy_path(folder: Path, uid: str) -> Path | None:
    if not uid or len(uid) > 64 or not all(c in "0123456789abcdef" for c in uid):
        return None
    return folder / AGENDAS_FOLDER / f"{uid}.json"


def save_agenda_copy(folder: Path, uid: str, data: bytes) -> Path | None:
    """Keep the agenda show ``uid`` runs on as a follower was sent it (``agenda_codec``
    bytes; a reload replaces it); where, or None if it cannot be kept (logged: the show goes
    on, and its report then needs the agenda file)."""
    path = _copy_path(folder, uid)
    if path is None:
        logger.warning("the show's uid %r cannot name a file: its agenda is not kept", uid[:80])
        return None
    try:
        _write_whole(path, data)
    except OSError as error:
        logger.warning("the agenda the primary sent could not be kept in %s: %s", folder, error)
        return None
    return path


def agenda_copy(folder: Path, uid: str) -> bytes | None:
    """The agenda kept for show ``uid``, if there is one."""
    path = _copy_path(folder, uid)
    if path is None:
        return None
    try:
        return _read_regular(path, MAX_AGENDA_COPY)
    except FileNotFoundError:
        return None
    except OSError as error:
        logger.warning("the agenda kept in %s cannot be read: %s", path, error)
        return None
