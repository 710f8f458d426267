"""Opening a show for an operator: the engine, its journal on disk, and what to tell them.

This is the one place the pieces meet: the journal store (resume the unfinished show of this
agenda and day, or a rehearsal on its own simulated clock), the engine on the right clock, and
the notices an operator must see — a damaged journal set aside, a state folder that cannot be
written (the show then times in memory), a show resumed after a restart. It also keeps the
store's "ended" mark in step with the engine, so a show ended (or its end undone) is recorded.
The GUI, the crash tests and the benchmarks all open shows through ``open_session``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.clock import Clock, RehearsalAnchor, RehearsalClock, SystemClock
from runofshow.core.engine import (
    EngineEvent,
    Mode,
    PhaseChanged,
    SegmentChanged,
    ShowEngine,
    StateChanged,
    Status,
)
from runofshow.core.timefmt import hms, signed_duration

if TYPE_CHECKING:
    from runofshow.core.journal import ShowStore
    from runofshow.core.resume import OpenedShow, UnfinishedRehearsal


logger = logging.getLogger(__name__)


class Notice(str):
    """A notice for the operator: its English text (the string itself), plus a catalogue key
    and values so that the window can say it in the operator's language."""

    key: str
    values: dict[str, object]

    def __new__(cls, english: str, key: str, **values: object) -> Notice:
        notice = super().__new__(cls, english)
        notice.key, notice.values = key, values
        return notice


@dataclass
class ShowSession:
    """A running show: its engine, where it is journaled, and notices for the operator."""

    engine: ShowEngine
    notices: list[Notice] = field(default_factory=list)
    store: object | None = None  # journal.ShowStore; None when timing in memory only
    show_id: int | None = None
    resumed: bool = False

    def __post_init__(self) -> None:
        self._ended_marked = False
        self.engine.subscribe(self._on_event)
        self._record_end()  # a roll show the clock ended while the app was closed

    def _on_event(self, event: EngineEvent) -> None:
        """Record the end of the show (and an undone end) in the store: ended by an action,
        or by the clock alone (a roll show ends at its last segment's end, no key pressed;
        the repaint's poll says so with a segment or phase change)."""
        if isinstance(event, StateChanged | SegmentChanged | PhaseChanged):
            self._record_end()

    def _record_end(self) -> None:
        if self.store is None or self.show_id is None or getattr(self.store, "read_only", False):
            return
        ended = self.engine.status is Status.ENDED
        if ended == self._ended_marked:
            return
        try:
            wall = self.engine.now().projected_end if ended else None  # when it ended
            self.store.mark_ended(self.show_id, wall)  # type: ignore[attr-defined]
            self._ended_marked = ended
        except OSError as exc:
            logger.warning("could not record the end of the show: %s", exc)
            self.notices.append(
                Notice(f"could not record the end of the show: {exc}", "end_not_saved", reason=exc)
            )


def open_session(
    agenda: Agenda,
    *,
    state_dir: str | os.PathLike[str] | None = None,
    rehearse: bool = False,
    rehearse_at: int | None = None,
    speed: float = 1.0,
    fresh: bool = False,
    real: Clock | None = None,
) -> ShowSession:
    """The show to run for ``agenda`` now.

    Live: the day's unfinished show of this agenda is resumed (time that passed while the app
    was down counts) unless ``fresh``. Rehearsal: with no ``rehearse_at`` the latest
    unfinished rehearsal resumes on its own simulated clock and speed; a time (or ``fresh``)
    starts a new one at ``speed``. If the state folder cannot be written but holds a journal,
    its show resumes read-only (``_resumed_read_only``); if it cannot be used at all the show
    runs on a journal that saves nothing, and a notice says where the state could not be
    written. A state folder that is a file raises ``journal.StateDirIsAFile``: the app must
    refuse it rather than time a show in memory over a mistyped path.
    """
    # sqlite3 stays off the first frame: the store and the policy are imported here
    from runofshow.core import journal as journal_mod
    from runofshow.core import resume

    real = real or SystemClock()
    mode: Mode = "rehearsal" if rehearse else "live"
    anchor = None
    if rehearse and (rehearse_at is not None or fresh):
        anchor = resume.default_anchor(agenda, real, speed, rehearse_at)
    folder = journal_mod.state_dir(state_dir)
    try:
        store = journal_mod.ShowStore(folder)
        opened = resume.open_show(
            store, agenda, real, mode, fresh=fresh, anchor=anchor, speed=speed
        )
    except OSError as exc:
        logger.warning("the show cannot be written to %s: %s", folder, exc)
        session = None if fresh else _resumed_read_only(agenda, real, mode, folder, exc, anchor)
        if session is not None:
            return session
        anchor = anchor or resume.default_anchor(agenda, real, speed)
        return _in_memory(agenda, real, mode, anchor, folder, exc)
    return _session(agenda, real, mode, store, opened)


def rehearsal_to_offer(
    agenda: Agenda, state_dir: str | os.PathLike[str] | None, seconds_of_day: int
) -> UnfinishedRehearsal | None:
    """An unfinished rehearsal the operator may want back (``resume.unfinished_rehearsal``),
    looked up without changing the state folder; None when there is none or no journal."""
    from runofshow.core import journal as journal_mod
    from runofshow.core.resume import unfinished_rehearsal

    try:
        with journal_mod.ShowStore(journal_mod.state_dir(state_dir), read_only=True) as store:
            return unfinished_rehearsal(store, agenda, seconds_of_day)
    except (OSError, ValueError) as error:  # no journal yet, or one that cannot be read
        logger.info("no rehearsal to offer: %s", error)
        return None


def _session(
    agenda: Agenda,
    real: Clock,
    mode: Mode,
    store: ShowStore,
    opened: OpenedShow,
    notices: list[Notice] | None = None,
) -> ShowSession:
    """The engine on the opened show's clock and journal, with what the operator must know."""
    notices = list(notices or [])
    if store.notice:
        notices.append(Notice(store.notice, "journal_set_aside", detail=store.notice))
    clock = opened.show_clock(real)
    engine = ShowEngine(
        agenda,
        clock,
        opened.journal,
        mode=mode,
        show_date=opened.record.show_date,
        opened_wall=opened.opened_wall,
    )
    if opened.resumed and engine.actions:  # nothing happened yet: nothing to resume
        notices.append(_resumed_notice(engine, opened.agenda_changed))
    notices.extend(_clock_notices(opened))
    return ShowSession(engine, notices, store, opened.record.id, opened.resumed)


def _resumed_read_only(
    agenda: Agenda,
    real: Clock,
    mode: Mode,
    folder: Path,
    exc: OSError,
    anchor: RehearsalAnchor | None,
) -> ShowSession | None:
    """A state folder that cannot be written but holds a journal (a read-only stick, a
    permissions mistake): its unfinished show resumes from the journal, read, not written.
    The show is NOT SAVED until the folder can be written again; then the store becomes
    writable at the next action, the engine writes its backlog and says ``JournalRecovered``.
    None when there is no journal or nothing to resume (a new show could not be recorded)."""
    from runofshow.core import journal as journal_mod
    from runofshow.core import resume

    try:
        store = journal_mod.ShowStore(folder, read_only=True)
    except FileNotFoundError:
        return None
    except OSError as read_exc:
        logger.warning("the journal in %s cannot be read either: %s", folder, read_exc)
        return None
    try:
        opened = resume.open_show(store, agenda, real, mode, anchor=anchor)
    except journal_mod.JournalWriteError:  # nothing to resume, and a new show cannot be recorded
        store.close()
        return None
    if not store.read_only:  # the folder could be written after all: an ordinary show
        return _session(agenda, real, mode, store, opened)
    text = (
        f"NOT SAVED: the state folder {folder} cannot be written ({exc}); the show was resumed"
        " from its journal and is timed in memory until the folder can be written again"
    )
    notice = Notice(text, "read_only", folder=folder, reason=exc)
    session = _session(agenda, real, mode, store, opened, [notice])
    session.engine.journal_error = str(exc)
    return session


def _clock_notices(opened: OpenedShow) -> list[Notice]:
    """What the operator must know about the clocks and the journal when a show opens."""
    notices: list[Notice] = []
    if opened.clock_moved_s:
        delta = signed_duration(opened.clock_moved_s)
        text = (
            f"The computer's clock changed by {delta}: the countdown is unaffected; time of day"
            " and drift now follow the new clock"
        )
        notices.append(Notice(text, "clock_jump", delta=delta))
    if opened.clock_behind_s:
        behind = hms(opened.clock_behind_s)
        text = (
            f"The computer's clock is {behind} behind the show's journal: the show was resumed"
            " as it was at its last action, without the time it was down. Check the clock"
        )
        notices.append(Notice(text, "clock_behind", behind=behind))
    if opened.not_replayable is not None:
        kept = opened.not_replayable.id
        text = (
            f"The unfinished show #{kept} was recorded against another version of this agenda"
            " (segments the file no longer has) and cannot be resumed on it: a new show was"
            " started; the old one is kept in the journal"
        )
        notices.append(Notice(text, "not_replayable", show=kept))
    return notices


def _in_memory(
    agenda: Agenda,
    real: Clock,
    mode: Mode,
    anchor: RehearsalAnchor,
    folder: os.PathLike[str],
    exc: OSError,
) -> ShowSession:
    """The show still runs when its state cannot be saved; the operator is told where."""
    clock: Clock = real
    show_date = None
    if mode == "rehearsal":
        clock = RehearsalClock(real, anchor)
        show_date = agenda.event.date
    text = f"NOT SAVED: the show cannot be written to {folder} ({exc}); timing in memory only"
    engine = ShowEngine(agenda, clock, NowhereJournal(text), mode=mode, show_date=show_date)
    engine.journal_error = str(exc)
    return ShowSession(engine, [Notice(text, "not_saved", folder=folder, reason=exc)])


class NowhereJournal:
    """The journal of a show whose state folder could not be used at all: it refuses every
    action (the engine keeps them in memory), so the show stays "NOT SAVED" for its whole
    run instead of looking saved."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.term = 0

    def append(self, action: Action) -> None:
        raise OSError(self.reason)

    def actions(self) -> list[Action]:
        return []


def _resumed_notice(engine: ShowEngine, agenda_changed: bool) -> Notice:
    segment = engine.now().index + 1
    since = engine.local_time(engine.actions[-1].wall) if engine.actions else None
    last = "" if since is None else f"{since:%H:%M:%S}"
    text = f"Resumed the show at segment {segment}"
    if last:
        text += f" (last action {last})"
    if agenda_changed:
        text += "; the agenda file changed since it was recorded"
    key = "resumed_changed" if agenda_changed else "resumed"
    return Notice(text, key, segment=segment, last=last or "-")
