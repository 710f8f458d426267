"""The primary's side of a shared show: its followers, on its own server's ``/ws``.

A follower connects as a peer (the control PIN, ``?role=peer``) and sends ``join``: which show
it holds a copy of, how many rows, their digest. The hub answers with a ``welcome`` (the
show's record, its agenda as ``agenda_codec`` JSON, the primary's clock and the show's peers),
then the rows it lacks in batches (everything, marked ``resync``, when its rows are not the
primary's first ones: ``core.replica.catch_up``), then ``caught_up``. From then on each action
is sent as soon as the journal holds it (``ShowEngine.subscribe_journaled``), and a reload's
new agenda goes just before its row. The follower confirms what it has stored (``have``).

**Acknowledged means replicated.** A command from the network (HTTP, WebSocket, a follower's
key) is answered only once every live follower has confirmed its row (``after_replicated``),
or ``REPLICATION_WAIT_S`` has passed (a follower that slow is then not waited for again until
it catches up, and the log says so): so an operator who got an answer knows the action is on
the machine that would take over. The MC's own keys are drawn at once, as always.

A follower also sends what the video desk's player journals (``action``: a video's length,
and the ``next``/``pause``/``resume`` the player gives), and, after a takeover, the rows it
had to set aside (``aside``), which this machine keeps for its report too. A follower not
heard from for ``PEER_SILENT_S`` is dropped (it reconnects by itself).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from runofshow import __version__
from runofshow._qt.network.routes import Pending
from runofshow.core import actions as act
from runofshow.core.actions import Action
from runofshow.core.agenda_codec import encode_agenda
from runofshow.core.journal import JournalEntry
from runofshow.core.peer_files import Peer, as_json, peer_of
from runofshow.core.replica import (
    PROTOCOL,
    CatchUp,
    PeerProtocolError,
    Term,
    catch_up,
    clock_reading,
    entry_of,
    row_of,
    show_of,
)

if TYPE_CHECKING:
    from runofshow._qt.network.connections import Client
    from runofshow._qt.network.server import ShowServer
    from runofshow._qt.peers.role import PeerRole
    from runofshow.core.engine import ShowEngine

logger = logging.getLogger(__name__)

REPLICATION_WAIT_S = 0.5
PEER_SILENT_S = 2.0
BATCH = 500  # rows per catch-up message
FORWARDED = frozenset({act.NEXT, act.PAUSE, act.RESUME})  # what a video desk's player gives


@dataclass
class Attached:
    """One connected follower, as the hub knows it."""

    client: Client
    heard: float
    peer: Peer | None = None
    joined: bool = False
    live: bool = False  # caught up and confirming: a command's answer waits for it
    confirmed: int = 0  # rows it has stored
    video: bool = False  # it plays the video segments (the video desk)


@dataclass
class _Wait:
    target: int
    deadline: float
    done: Pending[None]
    waiting_on: set[int] = field(default_factory=set)  # id() of the followers not there yet


class PeerHub(QObject):
    """Serves ``role``'s show to its followers on ``server``."""

    changed = Signal()  # followers joined or left (windows count them, the role remembers)

    def __init__(self, role: PeerRole, server: ShowServer) -> None:
        super().__init__(role)
        self.role = role
        self.server = server
        self.followers: dict[int, Attached] = {}  # by id(client)
        self.count = 0  # rows in the journal, as streamed
        self._waits: list[_Wait] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._engine: ShowEngine | None = None
        self.clock = time.monotonic
        self.timer = QTimer(self)  # runs only while followers are connected
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._tick)
        server.peer_hub = self

    # -- the show ------------------------------------------------------------------------
    def attach(self, engine: ShowEngine) -> None:
        """Serve ``engine``'s show (a new one drops every follower: they rejoin it)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._engine is not None and engine is not self._engine:
            self.drop_all("the primary opened another show")
        self._engine = engine
        self.count = len(self.role.entries())
        self._unsubscribe = engine.subscribe_journaled(self._journaled)

    def close(self) -> None:
        """This machine no longer leads the show (it follows another now, or quits)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.timer.stop()
        for wait in self._waits:
            wait.done.resolve(None)
        self._waits = []
        if self.server.peer_hub is self:
            self.server.peer_hub = None

    def drop_all(self, why: str) -> None:
        for follower in list(self.followers.values()):
            follower.client.drop(why)
        self.followers.clear()
        self._recount()
        self.changed.emit()

    # -- followers coming and going ------------------------------------------------------
    def connected(self, client: Client) -> None:
        self.followers[id(client)] = Attached(client, self.clock())
        if not self.timer.isActive():
            self.timer.start()

    def gone(self, client: Client) -> None:
        follower = self.followers.pop(id(client), None)
        if follower is not None:
            logger.info("follower %s left", _name(follower))
            self._recount()
            self.changed.emit()

    def message(self, client: Client, message: dict[str, Any]) -> None:
        follower = self.followers.get(id(client))
        if follower is None:
            return
        follower.heard = self.clock()
        kind = message.get("kind")
        try:
            if kind == "join":
                self._join(follower, message)
            elif kind == "have":
                self._have(follower, message)
            elif kind == "action":
                self._action(follower, message)
            elif kind == "aside":
                self._aside(follower, message)
        except PeerProtocolError as error:
            logger.warning("follower %s sent a %s this primary cannot take: %s",
                           _name(follower), kind, error)  # fmt: skip
            client.send({"kind": "error", "error": str(error)})

    def heard(self, client: Client) -> None:
        """Any message from a follower (its clock pings too) proves it alive."""
        follower = self.followers.get(id(client))
        if follower is not None:
            follower.heard = self.clock()

    # -- joining -------------------------------------------------------------------------
    def _join(self, follower: Attached, message: dict[str, Any]) -> None:
        client = follower.client
        if follower.joined:  # each join sends the whole journal: once a connection
            why = "this connection has joined already"
            logger.warning("follower %s joined twice on one connection: dropped", _name(follower))
            client.send({"kind": "refused", "reason": why})
            self.followers.pop(id(client), None)
            client.drop(why)
            self._recount()
            self.changed.emit()
            return
        refusal = self._refusal(message)
        if refusal is not None:
            client.send({"kind": "refused", "reason": refusal})
            client.drop(refusal)
            return
        follower.peer = peer_of(message.get("peer"))
        follower.video = message.get("video") is True
        record = self.role.shared_record()
        entries = self.role.entries()
        self.count = len(entries)
        same_show = message.get("show") == record.uid
        have, digest = message.get("have"), message.get("digest")
        if same_show and isinstance(have, int) and isinstance(digest, str):
            plan = catch_up(have, digest, entries)
        else:
            plan = CatchUp(0, False)  # a new copy: from the first row, nothing to compare
        engine = self.role.engine()
        client.send(self._welcome(record, engine, plan.start, plan.resync))
        for first in range(plan.start, len(entries), BATCH):
            batch = entries[first : first + BATCH]
            client.send({"kind": "rows", "start": first, "rows": [row_of(e) for e in batch]})
        client.send({"kind": "caught_up", "count": len(entries)})
        follower.joined, follower.confirmed = True, plan.start if not plan.resync else 0
        logger.info("follower %s joined: %d rows from %d%s", _name(follower),
                    len(entries) - plan.start, plan.start + 1,
                    " (resynchronised)" if plan.resync else "")  # fmt: skip
        self._share_peers()

    def _refusal(self, message: dict[str, Any]) -> str | None:
        """Why a follower may not join this machine, in words; None if it may."""
        if message.get("protocol") != PROTOCOL or message.get("version") != __version__:
            return (
                f"this laptop runs runofshow {__version__} (peer protocol {PROTOCOL}); the"
                f" follower runs {str(message.get('version'))[:20]}: install the same version"
                " on every laptop of the show"
            )
        if not self.role.is_primary:
            return "this laptop is not the primary of the show"
        mine = self.role.term()
        term, owner = message.get("term"), message.get("term_owner")
        if message.get("show") == self.role.shared_record().uid and isinstance(term, int):
            theirs = Term(term, str(owner or ""))
            if theirs.outranks(mine):
                self.role.heard_of_later_term(theirs)
                return "this laptop's term of the show is older than the follower's"
        return None

    def _welcome(self, record: Any, engine: ShowEngine, start: int, resync: bool) -> dict[str, Any]:
        real = getattr(engine.clock, "real", engine.clock)
        return {
            "kind": "welcome",
            "protocol": PROTOCOL,
            "show": show_of(record),
            "agenda": encode_agenda(engine.agenda).decode("ascii"),
            "clock": {
                "boot_id": real.boot_id,
                "server": real.monotonic(),
                "wall": real.wall(),
                "roll_offset": engine.roll_offset,  # roll mode's times on the show clock
            },
            "start": start,
            "resync": resync,
            "primary": as_json(self.role.me()),
            "peers": [as_json(p) for p in self.peers()],
        }

    # -- the stream ----------------------------------------------------------------------
    def _journaled(self, action: Action) -> None:
        """An action is on disk here: send it to every follower that has joined."""
        entry = JournalEntry(action, self.role.journal_term())
        start = self.count
        self.count += 1
        joined = [f for f in self.followers.values() if f.joined]
        if not joined:
            return
        if action.name == act.RELOAD and "agenda" in action.args:
            agenda = encode_agenda(action.args["agenda"]).decode("ascii")
            for follower in joined:
                follower.client.send({"kind": "agenda", "agenda": agenda})
        row = {"kind": "rows", "start": start, "rows": [row_of(entry)]}
        for follower in joined:
            follower.client.send(row)

    def _have(self, follower: Attached, message: dict[str, Any]) -> None:
        count = message.get("count")
        if not isinstance(count, int) or isinstance(count, bool):
            raise PeerProtocolError("have must give a whole count")
        follower.confirmed = max(follower.confirmed, count)
        if not follower.live and follower.confirmed >= self.count:
            follower.live = True
            logger.info("follower %s is caught up (%d rows)", _name(follower), count)
            self.changed.emit()
        self._recount()

    # -- answers wait for the followers' copies ------------------------------------------
    def after_replicated(self, target: int) -> Pending[None]:
        """Resolved once every live follower holds ``target`` rows (at once if none is
        live), or after ``REPLICATION_WAIT_S``."""
        done: Pending[None] = Pending()
        waiting = {key for key, f in self.followers.items() if f.live and f.confirmed < target}
        if not waiting:
            done.resolve(None)
            return done
        self._waits.append(_Wait(target, self.clock() + REPLICATION_WAIT_S, done, waiting))
        return done

    def _recount(self) -> None:
        """Resolve the waits every live follower has caught up with."""
        still: list[_Wait] = []
        for wait in self._waits:
            wait.waiting_on = {
                key for key in wait.waiting_on
                if key in self.followers and self.followers[key].live
                and self.followers[key].confirmed < wait.target
            }  # fmt: skip
            if wait.waiting_on:
                still.append(wait)
            else:
                wait.done.resolve(None)
        self._waits = still

    def _tick(self) -> None:
        if not self.followers and not self._waits:
            self.timer.stop()  # nothing to watch: a primary alone costs no wakes
            return
        now = self.clock()
        for wait in [w for w in self._waits if w.deadline <= now]:
            slow = [self.followers[k] for k in wait.waiting_on if k in self.followers]
            for follower in slow:
                follower.live = False  # not waited for again until it catches up
            logger.warning(
                "no copy of row %d from %s within %.1f s: answered without it",
                wait.target, ", ".join(_name(f) for f in slow), REPLICATION_WAIT_S,
            )  # fmt: skip
            self._waits.remove(wait)
            wait.done.resolve(None)
        for follower in list(self.followers.values()):
            if now - follower.heard > PEER_SILENT_S:
                logger.warning("follower %s silent for %.0f s: dropped (it will reconnect)",
                               _name(follower), PEER_SILENT_S)  # fmt: skip
                self.followers.pop(id(follower.client), None)
                follower.client.drop("silent")
                self._recount()
                self.changed.emit()

    # -- what followers send back --------------------------------------------------------
    def _action(self, follower: Attached, message: dict[str, Any]) -> None:
        """The video desk's player: a video's real length, or the next/pause/resume it gives
        (the primary's countdown follows the playback on the follower's screen)."""
        name, args = message.get("name"), message.get("args")
        if not isinstance(args, dict):
            raise PeerProtocolError("an action's args must be a JSON object")
        if name == act.MEDIA:
            self.role.media_from_peer(args)
        elif name in FORWARDED:
            self.role.host.execute(str(name), source="peer")
        else:
            raise PeerProtocolError(f"a follower may not journal {str(name)[:40]!r} by itself")

    def _aside(self, follower: Attached, message: dict[str, Any]) -> None:
        rows = message.get("rows")
        if not isinstance(rows, list):
            raise PeerProtocolError("aside needs rows and the takeover's time")
        wall = clock_reading(message.get("takeover_wall"), "aside: takeover_wall")
        entries = [entry_of(r, f"set-aside row {n + 1}") for n, r in enumerate(rows)]
        self.role.keep_aside(entries, wall, _name(follower))

    # -- the show's machines -------------------------------------------------------------
    def peers(self) -> list[Peer]:
        """This machine and every follower that joined, as the others are told of them."""
        found = [self.role.me()]
        found += [f.peer for f in self.followers.values() if f.joined and f.peer is not None]
        return found

    def _share_peers(self) -> None:
        peers = [as_json(p) for p in self.peers()]
        for follower in self.followers.values():
            if follower.joined:
                follower.client.send({"kind": "peers", "peers": peers})
        self.changed.emit()

    def video_desks(self) -> list[str]:
        return [_name(f) for f in self.followers.values() if f.joined and f.video]


def _name(follower: Attached) -> str:
    if follower.peer is not None:
        return follower.peer.name
    return follower.client.socket.peerAddress().toString()
