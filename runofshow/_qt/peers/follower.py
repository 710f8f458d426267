"""This laptop following another's show: its own durable copy of the primary's journal,
folded by the same engine on the primary's clock, and its commands sent to the primary.

The follower connects (``link.PeerLink``) and joins with what it holds of the show (how many
rows, their digest). The primary's ``welcome`` carries the show's record and its agenda; the
rows it lacks come next, then ``caught_up``: the follower reconciles them with its copy
(``core.replica.reconcile``: a copy whose rows are not the primary's first ones keeps the
common part and sets the rest aside, never merging it), writes them in one transaction and
confirms (``have``), and only then is the show drawn from it. Each new row is written, then
folded (``ShowEngine.adopt``), then confirmed; a row that does not follow the last one held
drops the connection, and the next join catches up from what is held: no gap, no repeat.

The engine runs on a ``PeerClock`` (the primary's clock, measured twice a second), so the
countdown flips with the primary's. A key, a clicker, a button or a network command here is
checked against the copy (a show that has ended refuses "next" here as there), then sent to
the primary, where it counts once journaled (source ``peer``); what the video desk's player
journals (a video's length) goes the same way. Nothing is journaled here that the primary did
not journal first.

When the primary goes silent the follower says so at once, keeps counting from its copy, and
tries the primary again, then every other laptop of the show it was told of (one of them may
have taken over); commands are refused, in words, while it is not connected.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from runofshow import __version__
from runofshow._qt.network.routes import Pending
from runofshow._qt.peers.link import PeerLink
from runofshow.core import commands
from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.agenda_codec import CodecError, decode_agenda
from runofshow.core.clock import Clock, RehearsalClock, SystemClock
from runofshow.core.commands import Outcome
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import JournalEntry, JournalWriteError, ShowRecord, ShowStore
from runofshow.core.peer_clock import PeerClock
from runofshow.core.peer_files import (
    Peer,
    as_json,
    peer_of,
    peer_url,
    peers_of,
    save_agenda_copy,
)
from runofshow.core.replica import (
    PROTOCOL,
    PeerProtocolError,
    clock_reading,
    entry_of,
    opened_wall,
    prefix_digest,
    reconcile,
    record_of,
    relocate_videos,
    row_of,
)
from runofshow.core.resume import replayable
from runofshow.core.session import ShowSession

if TYPE_CHECKING:
    from runofshow._qt.peers.role import PeerRole

logger = logging.getLogger(__name__)

# A reload row naming a segment position the agenda sent does not have: folding it raised an
# uncaught IndexError after the rows were written, and every join after that did it again.
_NOT_REPLAYABLE = "a reload in its rows names a segment its agenda does not have"
RETRY_MS = 500  # between attempts to reach a primary (each address in turn)
OWN_COPY_MS = 3000  # a follower started with nobody to follow shows its copy after this
ACK_WAIT_S = 5.0  # a command the primary has not answered by then is reported lost


@dataclass
class _CatchUp:
    """A welcome and the rows after it, until ``caught_up``."""

    show: ShowRecord
    agenda: Agenda
    agenda_bytes: bytes
    boot_id: str
    server: float
    wall: float
    start: int
    resync: bool
    primary: Peer | None
    roll_offset: float  # where the primary placed roll mode's times on its show clock
    peers: tuple[Peer, ...] = ()
    rows: list[JournalEntry] = field(default_factory=list)


@dataclass
class _Sent:
    name: str
    answer: Pending[dict[str, Any]]
    deadline: float


class Follower(QObject):
    """Follows the show of the primary at ``urls[0]`` (the others: where to look next)."""

    def __init__(
        self, role: PeerRole, store: ShowStore, urls: list[str], local: Clock | None = None
    ) -> None:
        super().__init__(role)
        self.role = role
        self.host = role.host
        self.store = store
        self.local = local or SystemClock()
        self.candidates = list(dict.fromkeys(urls))
        self.link: PeerLink | None = None
        self.record: ShowRecord | None = None  # this machine's copy
        self.engine: ShowEngine | None = None
        self.clock: PeerClock | None = None
        self.agenda: Agenda | None = None
        self.agenda_bytes = b""
        self.count = 0  # rows held
        self.primary: Peer | None = None
        self.following = False  # caught up with a live primary
        self.lost_since: float | None = None  # wall time the primary was last lost
        self._catching: _CatchUp | None = None
        self._link_boot: str | None = None  # the boot id of the clock the link measures
        self._sent: dict[int, _Sent] = {}
        self._next_id = 0
        self._attempt = 0
        self._stopped = False
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(self._connect_next)
        self.acks = QTimer(self)
        self.acks.setInterval(250)
        self.acks.timeout.connect(self._late_acks)

    # -- connecting ----------------------------------------------------------------------
    def start(self) -> None:
        self._stopped = False
        self._connect_next()
        if self.record is not None and not self.host.has_show:
            QTimer.singleShot(OWN_COPY_MS, self, self._open_copy)

    def _open_copy(self) -> None:
        """Started again (after a crash, a reboot) with no primary answering: the show from
        this laptop's own copy, on its own clock (actions placed by the wall clock, as a
        primary restarted after a reboot places them), NOT CONNECTED, and ready to be
        taken over. The first primary that answers replaces it with its own."""
        from runofshow.core.peer_files import agenda_copy

        record = self.record
        if self._stopped or self.following or self.host.has_show or record is None:
            return
        data = agenda_copy(self.store.folder, record.uid or "")
        if data is None:
            logger.warning("no agenda kept for show %s: its copy cannot be shown", record.uid)
            return
        try:
            agenda = decode_agenda(data)
        except CodecError as error:
            logger.warning("the agenda kept for show %s cannot be read: %s", record.uid, error)
            return
        if self.role.media_dir is not None:
            agenda, _missing = relocate_videos(agenda, self.role.media_dir)
        self.agenda, self.agenda_bytes = agenda, data
        real: Clock = self.local
        show_clock = real if record.anchor is None else RehearsalClock(real, record.anchor)
        self.count = len(self.entries())
        self._start_engine(record, show_clock)
        self.lost_since = self.host.engine.now().wall
        logger.warning("no primary answers: showing this laptop's copy (%d rows)", self.count)
        self.role.follower_changed()

    def stop(self) -> None:
        """Follow no more (this laptop took over, or quits): nothing is sent from now on."""
        self._stopped = True
        self.retry.stop()
        self.acks.stop()
        if self.link is not None:
            self.link.close()
            self.link.deleteLater()
            self.link = None
        self.following = False
        self._fail_waiting("this laptop stopped following the show")
        if self.engine is not None:
            self.engine.forward = None

    def prefer(self, url: str | None) -> None:
        """Look at ``url`` first next time (a primary named by another laptop)."""
        if url:
            self.candidates = [url, *(c for c in self.candidates if c != url)]
            self._attempt = 0

    def _connect_next(self) -> None:
        """Ask the next laptop where it stands, then join it if it is the primary: a
        follower names its primary (tried next), a refusal is said in the server's words."""
        if self._stopped:
            return
        known = self.role.known_urls()
        candidates = list(dict.fromkeys([*self.candidates, *known]))
        if not candidates:
            return
        url = candidates[self._attempt % len(candidates)]
        self._attempt += 1
        self.role.fetch_status(url, lambda status, why: self._status(url, status, why))

    def _status(self, url: str, status: dict[str, Any] | None, why: str) -> None:
        if self._stopped or self.link is not None:
            return
        if status is not None and status.get("role") == "primary":
            self._open(url)
            return
        primary = status.get("primary") if status is not None else None
        if isinstance(primary, str) and primary.startswith("http://") and primary != url:
            self.prefer(primary)  # a follower of the show: its primary is the one to join
        elif status is not None:
            why = self.role.words("peer.not_primary")
        if not self.host.has_show:
            self.role.say("peer", self.role.words("peer.cannot_join", url=url, reason=why))
        self.retry.start(RETRY_MS)

    def _open(self, url: str) -> None:
        self._link_boot = None
        link = PeerLink(url, self.role.pin, self.local, self)
        link.opened.connect(self._opened)
        link.message.connect(self._message)
        link.closed.connect(self._closed)
        link.offset_changed.connect(self._offset_changed)
        self.link = link
        link.open()

    def _opened(self) -> None:
        link = self.link
        if link is None:
            return
        entries = self.entries()
        record = self.record
        link.send(
            {
                "kind": "join",
                "protocol": PROTOCOL,
                "version": __version__,
                "show": None if record is None else record.uid,
                "have": len(entries),
                "digest": prefix_digest(entries),
                "term": 0 if record is None else record.term,
                "term_owner": "" if record is None else record.term_owner,
                "peer": as_json(self.role.me()),
                "video": self.role.video_desk,
            }
        )

    def _closed(self, why: str) -> None:
        link = self.sender()
        if link is not self.link:
            return
        was = self.following
        self.following = False
        self._catching = None
        if self.link is not None:
            self.link.deleteLater()
            self.link = None
        self._fail_waiting(
            "the connection to the primary dropped before it answered: look at the show"
            " before sending it again"
        )
        if was or self.lost_since is None:
            self.lost_since = self.host.engine.now().wall if self.host.has_show else None
            logger.warning("lost the primary %s: %s", self._primary_name(), why)
        self.role.follower_changed()
        if not self._stopped:
            self.retry.start(RETRY_MS)

    def _offset_changed(self) -> None:
        """A better measurement of the primary's clock: the show clock follows it, if it is
        the clock this engine runs on (another primary's is taken at its welcome)."""
        link, clock = self.link, self.clock
        if link is None or clock is None or self._link_boot != clock.boot_id:
            return
        offset = link.estimator.offset
        if offset is not None:
            clock.update(offset, link.estimator.wall_minus_mono)

    # -- what the primary says -----------------------------------------------------------
    def _message(self, message: dict[str, Any]) -> None:
        kind = message.get("kind")
        try:
            if kind == "welcome":
                self._welcome(message)
            elif kind == "rows":
                self._rows(message)
            elif kind == "caught_up":
                self._caught_up()
            elif kind == "agenda":
                self._new_agenda(message)
            elif kind == "peers":
                self.role.remember_peers(peers_of(message.get("peers")))
            elif kind == "ack":
                self._ack(message)
            elif kind in ("refused", "error"):
                self._refused(str(message.get("reason") or message.get("error"))[:300])
            elif kind == "moved":
                self.prefer(peer_url(message.get("primary")))
        except (PeerProtocolError, CodecError) as error:
            self._broken(f"the primary sent a {kind} this laptop cannot take: {error}")
        except JournalWriteError as error:
            self._broken(f"the copy of the show could not be written: {error}")

    def _broken(self, why: str) -> None:
        """Drop the connection over something that cannot be taken: said, logged, and the
        next join starts over from what is held."""
        logger.warning("%s; reconnecting", why)
        self.role.say("peer.protocol", self.role.words("peer.broken", reason=why))
        if self.link is not None:
            self.link.socket.abort()

    def _refused(self, reason: str) -> None:
        logger.warning("the primary refused this laptop: %s", reason)
        self.role.say("peer.protocol", self.role.words("peer.refused", reason=reason))

    def _welcome(self, message: dict[str, Any]) -> None:
        show = record_of(message.get("show"))
        data = str(message.get("agenda", "")).encode("ascii", errors="replace")
        agenda = decode_agenda(data)
        if self.role.media_dir is not None:
            agenda, missing = relocate_videos(agenda, self.role.media_dir)
            if missing:
                logger.warning("video files not found in %s: %s", self.role.media_dir, missing)
        clock = message.get("clock")
        if not isinstance(clock, dict) or not isinstance(clock.get("boot_id"), str):
            raise PeerProtocolError("the welcome has no clock")
        start, resync = message.get("start"), message.get("resync")
        if not isinstance(start, int) or not isinstance(resync, bool):
            raise PeerProtocolError("the welcome does not say where the rows start")
        self._link_boot = clock["boot_id"]
        self._catching = _CatchUp(
            show, agenda, data, clock["boot_id"], _float(clock.get("server")),
            _float(clock.get("wall")), start, resync, peer_of(message.get("primary")),
            _float(clock.get("roll_offset")), peers_of(message.get("peers")),
        )  # fmt: skip

    def _rows(self, message: dict[str, Any]) -> None:
        start, rows = message.get("start"), message.get("rows")
        if not isinstance(start, int) or not isinstance(rows, list):
            raise PeerProtocolError("rows must say where they start")
        entries = [entry_of(row, f"row {start + n + 1}") for n, row in enumerate(rows)]
        catching = self._catching
        if catching is not None:
            if start != catching.start + len(catching.rows):
                raise PeerProtocolError(f"the catch-up skipped to row {start + 1}")
            catching.rows.extend(entries)
            return
        if not self.following or self.engine is None or self.record is None or self.agenda is None:
            raise PeerProtocolError("rows arrived before the show")
        if start != self.count:
            raise PeerProtocolError(
                f"row {start + 1} arrived while this laptop holds {self.count}: the copy would"
                " have a gap or a repeat"
            )
        if not replayable(self.agenda, [e.action for e in entries]):
            raise PeerProtocolError(_NOT_REPLAYABLE)
        self.store.journal(self.record.id).append_entries(entries)
        self.count += len(entries)
        self.engine.adopt([e.action for e in entries], self.agenda)
        self._confirm()
        if self.host.controller is not None:
            self.host.controller.refresh()

    def _new_agenda(self, message: dict[str, Any]) -> None:
        """The primary reloaded its agenda: the next row (the reload) takes it."""
        data = str(message.get("agenda", "")).encode("ascii", errors="replace")
        agenda = decode_agenda(data)
        if self.role.media_dir is not None:
            agenda, _missing = relocate_videos(agenda, self.role.media_dir)
        self.agenda, self.agenda_bytes = agenda, data
        if self.record is not None and self.record.uid:
            save_agenda_copy(self.store.folder, self.record.uid, data)

    def _caught_up(self) -> None:
        catching, self._catching = self._catching, None
        if catching is None:
            raise PeerProtocolError("caught_up came without a welcome")
        show = catching.show
        record = self.store.find_uid(show.uid) if show.uid else None
        if record is None:
            record = self.store.new_replica(show)
            held: list[JournalEntry] = []
        else:
            held = self.store.journal(record.id).entries()
        done = reconcile(held, catching.start, catching.rows, catching.resync)
        kept = [e.action for e in [*held[: done.keep], *done.append]]
        if not replayable(catching.agenda, kept):
            raise PeerProtocolError(_NOT_REPLAYABLE)
        if done.set_aside:
            self._set_aside(record, done.keep, list(done.set_aside), show)
        self.store.journal(record.id).append_entries(list(done.append))
        self.store.set_term(record.id, show.term, show.term_owner, show.term_wall, replica=True)
        if show.ended_wall is not None and record.ended_wall is None:
            self.store.mark_ended(record.id, show.ended_wall)
        record = self.store.show(record.id) or record
        if show.uid:
            save_agenda_copy(self.store.folder, show.uid, catching.agenda_bytes)
        self.count = done.keep + len(done.append)
        rebuild = (
            self.engine is None
            or self.record is None
            or self.record.id != record.id
            or bool(done.set_aside)
            or self.clock is None
            or self.clock.boot_id != catching.boot_id
            or self.agenda != catching.agenda
            or self.engine.roll_offset != catching.roll_offset
        )
        self.record, self.primary = record, catching.primary
        self.role.remember_peers(catching.peers)  # now that the show's uid is this copy's
        self.agenda, self.agenda_bytes = catching.agenda, catching.agenda_bytes
        if rebuild:
            self._build(catching)
        elif done.append and self.engine is not None:
            self.engine.adopt([e.action for e in done.append], self.agenda)
        self.following = True
        self.lost_since = None
        self.host.clear_notice("peer.protocol")
        self.acks.start()
        self._confirm()
        self.role.follower_changed()
        logger.info("following %s: %d rows held", self._primary_name(), self.count)

    def _set_aside(
        self, record: ShowRecord, keep: int, rows: list[JournalEntry], show: ShowRecord
    ) -> None:
        """Rows this laptop held that the primary never had (it journaled them as primary
        before a takeover, or got them from a primary that died): kept apart, listed in the
        report, and sent to the primary so that its report lists them too."""
        wall = show.term_wall if show.term_wall is not None else self.local.wall()
        self.store.set_aside_tail(record.id, keep, wall, self.role.name)
        logger.warning("%d action(s) set aside: not part of the show after the takeover",
                       len(rows))  # fmt: skip
        if self.link is not None:
            self.link.send({"kind": "aside", "rows": [row_of(e) for e in rows],
                            "takeover_wall": wall})  # fmt: skip
        self.role.announce_set_aside(len(rows), wall)

    def _build(self, catching: _CatchUp) -> None:
        """A new engine over the copy, on the primary's clock, in place of the old one."""
        assert self.record is not None and self.agenda is not None
        record = self.record
        estimator = self.link.estimator if self.link is not None else None
        offset = estimator.offset if estimator is not None else None
        if offset is None:  # no round trip yet: the welcome's reading, late by one way
            offset = catching.server - self.local.monotonic()
        wall_minus = catching.wall - catching.server
        if self.clock is not None and self.clock.boot_id == catching.boot_id:
            self.clock.update(offset, wall_minus)
        else:
            self.clock = PeerClock(self.local, catching.boot_id, offset, wall_minus)
        show_clock: Clock = self.clock
        if record.anchor is not None:
            show_clock = RehearsalClock(self.clock, record.anchor)
        # Roll mode's starts where the primary placed them, not where this laptop would from
        # the primary's wall clock now (slewed or stepped since the show was opened there).
        self._start_engine(record, show_clock, catching.roll_offset)

    def _start_engine(
        self, record: ShowRecord, show_clock: Clock, roll_offset: float | None = None
    ) -> None:
        assert self.agenda is not None
        journal = self.store.journal(record.id)
        engine = ShowEngine(
            self.agenda,
            show_clock,
            journal,
            mode=record.mode,
            show_date=record.show_date,
            opened_wall=opened_wall(record),
            roll_offset=roll_offset,
        )
        engine.forward = self.forward_action
        self.engine = engine
        session = ShowSession(engine, [], self.store, record.id)
        self.host.start_show(engine, session, watch=False)

    def _confirm(self) -> None:
        if self.link is not None:
            self.link.send({"kind": "have", "count": self.count})

    # -- commands from here --------------------------------------------------------------
    def relay(self, name: str, raw: Mapping[str, object], source: str) -> Outcome:
        """A show command given here: checked against the copy, then sent to the primary
        (``Outcome.sent``); refused, in words, when it cannot be delivered."""
        command = commands.BY_NAME.get(name)
        if command is None or command.call is None:
            raise commands.CommandError(f"{name} is not a show command")
        args = commands.parse_args(command, raw)
        link, engine = self.link, self.engine
        if not self.following or link is None or engine is None:
            return Outcome(name, False, self.role.words("peer.not_sent", name=name), args=args)
        reason = command.refusal(engine, engine.now(), args)
        if reason is not None:
            return Outcome(name, False, reason, args=args)
        self._next_id += 1
        ident = self._next_id
        answer: Pending[dict[str, Any]] = Pending()
        self._sent[ident] = _Sent(name, answer, self.local.monotonic() + ACK_WAIT_S)
        link.send({"kind": "command", "name": name, "args": args, "id": ident})
        logger.debug("%s from %s sent to the primary as #%d", name, source, ident)
        return Outcome(name, False, None, args=args, sent=True, ticket=answer)

    def forward_action(self, name: str, args: dict[str, object], source: str) -> None:
        """What the engine here would have journaled by itself (the video player's length,
        the next it gives at a video's end): the primary's to journal."""
        if self.following and self.link is not None:
            self.link.send({"kind": "action", "name": name, "args": args})
            return
        logger.warning("%s (%s) not sent: not connected to the primary", name, source)
        self.role.say("peer.forward", self.role.words("peer.not_sent", name=name))

    def _ack(self, message: dict[str, Any]) -> None:
        ident = message.get("id")
        sent = self._sent.pop(ident, None) if isinstance(ident, int) else None
        if sent is None:
            return
        answer = {k: v for k, v in message.items() if k not in ("kind", "id")}
        applied = answer.get("applied") is True
        answer["_status"] = 200 if applied else 409
        if not applied:
            reason = str(answer.get("reason") or answer.get("error") or "")
            self.role.say("peer.refused",
                          self.role.words("peer.command_refused", name=sent.name, reason=reason),
                          brief=True)  # fmt: skip
        sent.answer.resolve(answer)

    def _late_acks(self) -> None:
        now = self.local.monotonic()
        for ident, sent in list(self._sent.items()):
            if sent.deadline <= now:
                del self._sent[ident]
                sent.answer.resolve(_lost_answer(sent.name, "the primary did not answer in time"))

    def _fail_waiting(self, why: str) -> None:
        sent, self._sent = self._sent, {}
        for entry in sent.values():
            entry.answer.resolve(_lost_answer(entry.name, why))

    # -- what the role asks --------------------------------------------------------------
    def entries(self) -> list[JournalEntry]:
        if self.record is None:
            return []
        return self.store.journal(self.record.id).entries()

    @property
    def connected(self) -> bool:
        return self.following and self.link is not None and self.link.is_open

    def _primary_name(self) -> str:
        if self.primary is not None:
            return self.primary.name
        return self.link.url if self.link is not None else "the primary"

    def primary_url(self) -> str | None:
        if self.primary is not None and self.primary.url:
            return self.primary.url
        return self.link.url if self.link is not None else None

    def adopted(self) -> list[Action]:
        return [] if self.engine is None else self.engine.actions


def _float(value: object) -> float:
    return clock_reading(value, "the welcome's clock")


def _lost_answer(name: str, why: str) -> dict[str, Any]:
    return {"_status": 503, "command": name, "applied": False, "reason": why}
