"""Which show to run when an agenda is opened: resume the unfinished one, or record a new one.

``journal.py`` is the store (what is on disk); this module is the policy (what the operator
gets when the app starts): the day's unfinished live show of this agenda is resumed, a show
whose journal already says it ended is marked so and not resumed, a rehearsal resumes on its
own simulated clock. ``session.open_session`` puts the result on an engine.

The GUI's use, in short::

    store = ShowStore(state_dir(cli_state_dir))          # may raise JournalUnavailable
    opened = open_show(store, agenda, SystemClock(), mode)
    engine = ShowEngine(agenda, opened.show_clock(real_clock), opened.journal,
                        mode=mode, show_date=opened.record.show_date)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from runofshow.core import actions as act
from runofshow.core.actions import Action
from runofshow.core.agenda import DAY_S, Agenda
from runofshow.core.clock import Clock, RehearsalAnchor, RehearsalClock
from runofshow.core.engine import WALL_JUMP_S, Mode
from runofshow.core.fold import Status, fold
from runofshow.core.journal import ShowRecord, ShowStore, SqliteJournal
from runofshow.core.zones import local_date as _zone_date
from runofshow.core.zones import show_zone

__all__ = [
    "CLOCK_BEHIND_LIMIT_S",
    "OVERNIGHT_RESUME_S",
    "OpenedShow",
    "default_anchor",
    "folds_to_end",
    "local_date",
    "open_show",
    "replayable",
    "show_day",
]

# A live show that crosses midnight is still resumed the next day if it was active this
# recently (an evening event whose laptop crashed at 00:10 must not start a new show).
OVERNIGHT_RESUME_S = 6 * 3600
# After a reboot, a clock reading earlier than the show's last action by up to this much is
# taken to be wrong (the show resumes); further "in the future", the clock was more likely
# wrong when that show was recorded, and it is left alone.
CLOCK_BEHIND_LIMIT_S = 2 * 86400


@dataclass(frozen=True, slots=True)
class OpenedShow:
    """A show ready for an engine: its record, its journal, and whether it was resumed."""

    record: ShowRecord
    journal: SqliteJournal
    resumed: bool
    # A resumed show whose stored segment ids differ from the agenda now opened: the file was
    # edited while the app was down, and the GUI may want to say so.
    agenda_changed: bool = False
    # Resumed on the same boot: the wall clock moved by this much while the app was down
    # (the countdown is measured on the monotonic clock; time of day follows the new clock).
    clock_moved_s: float = 0.0
    # Resumed after a reboot with the clock this much earlier than the journal's last action:
    # the time the app was down could not be measured and was not counted.
    clock_behind_s: float = 0.0
    # An unfinished show kept as it is but not resumed: its journal does not fit this agenda.
    not_replayable: ShowRecord | None = None

    @property
    def anchor(self) -> RehearsalAnchor | None:
        return self.record.anchor

    @property
    def opened_wall(self) -> float:
        """When the show was first opened, on its own clock: roll mode starts nothing
        before it (a show opened late starts late, and a restart does not change that)."""
        anchor = self.record.anchor
        return self.record.created_wall if anchor is None else anchor.sim_wall

    def show_clock(self, real: Clock) -> Clock:
        """The clock the engine must run on: ``real`` for a live show, the rehearsal's own
        simulated clock (rebuilt from its journaled anchor) for a rehearsal."""
        if self.record.anchor is None:
            return real
        return RehearsalClock(real, self.record.anchor)


def local_date(agenda: Agenda, wall: float) -> dt.date:
    """The date of ``wall`` in the agenda's time zone (the machine's when it names none)."""
    return _zone_date(agenda.event.timezone, wall)


def show_day(agenda: Agenda, wall: float) -> dt.date:
    """The date a live show opened at ``wall`` is planned on: today's, or, for an event past
    midnight opened after midnight and before its end, yesterday's (the night is under way:
    its planned times are the evening before's)."""
    local = dt.datetime.fromtimestamp(wall, show_zone(agenda.event.timezone))
    event = agenda.event
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    if event.crosses_midnight and seconds < event.end_s - DAY_S:
        return local.date() - dt.timedelta(days=1)
    return local.date()


def default_anchor(
    agenda: Agenda, real: Clock, speed: float = 1.0, seconds_of_day: int | None = None
) -> RehearsalAnchor:
    """A new rehearsal's anchor, pinned to the real clock now: simulated time at
    ``seconds_of_day`` (default: one minute before the planned start) on the agenda's own
    date, so the planned times read as on the day. In a night past midnight a time before
    the start and up to the end is the next morning's, as the agenda reads ``at:``
    (``--rehearse 0:05`` of a 23:50-0:30 night is five past midnight, not the afternoon
    before)."""
    event = agenda.event
    zone = show_zone(event.timezone)
    midnight = dt.datetime.combine(event.date, dt.time(0), tzinfo=zone)
    if seconds_of_day is None:
        seconds_of_day = event.start_s - 60
    elif event.crosses_midnight and seconds_of_day <= event.end_s - DAY_S:
        seconds_of_day += DAY_S
    sim_wall = (midnight + dt.timedelta(seconds=seconds_of_day)).timestamp()
    return RehearsalAnchor(real.monotonic(), real.wall(), real.boot_id, sim_wall, speed)


def open_show(
    store: ShowStore,
    agenda: Agenda,
    clock: Clock,
    mode: Mode = "live",
    *,
    fresh: bool = False,
    anchor: RehearsalAnchor | None = None,
    speed: float = 1.0,
) -> OpenedShow:
    """The show the app should run now, resumed when there is one to resume.

    Live (``clock`` is the real clock): the latest unfinished live show of this agenda is
    resumed unless ``fresh`` when it is today's show, or yesterday's and active within
    ``OVERNIGHT_RESUME_S`` (``_live_verdict`` says how "today" is read when the wall clock
    moved); otherwise a new one is recorded for today.

    Rehearsal: with no ``anchor`` (started without a time) the latest unfinished rehearsal of
    this agenda is resumed on its own simulated clock (``OpenedShow.show_clock``); with an
    ``anchor`` (the GUI was given a time), or when there is none to resume, a new rehearsal
    is recorded (``default_anchor`` at ``speed`` when none was given).

    A candidate whose journal already folds to an ended show (the app died before it could
    mark it) is marked ended and not resumed. One whose journal cannot be replayed on this
    agenda (``replayable``) is kept as it is, not resumed, and named in ``not_replayable``.
    """
    skip = fresh or (mode == "rehearsal" and anchor is not None)
    found = None if skip else _resumable(store, agenda, mode)
    kept = None
    if found is not None and not replayable(agenda, found[1]):
        kept, found = found[0], None
    if found is not None and mode == "rehearsal":
        return _resumed(store, agenda, found[0])
    if found is not None:
        last = found[1][-1] if found[1] else None
        verdict = _live_verdict(agenda, found[0], last, clock)
        if verdict is not None:
            return _resumed(store, agenda, found[0], **verdict)
    if mode == "rehearsal":
        chosen = anchor or default_anchor(agenda, clock, speed)
        # The rehearsal's planned times are on the agenda's own date: its default anchor is a
        # minute before the start, which for a show at 00:00 is the day before.
        record = store.new_show(agenda, agenda.event.date, mode, chosen)
    else:
        today = show_day(agenda, clock.wall())
        record = store.new_show(agenda, today, "live", created_wall=clock.wall())
    return OpenedShow(record, store.journal(record.id), False, not_replayable=kept)


def _resumed(
    store: ShowStore,
    agenda: Agenda,
    record: ShowRecord,
    clock_moved_s: float = 0.0,
    clock_behind_s: float = 0.0,
) -> OpenedShow:
    changed = record.segment_ids != tuple(seg.id for seg in agenda.segments)
    journal = store.journal(record.id)
    return OpenedShow(record, journal, True, changed, clock_moved_s, clock_behind_s)


def _live_verdict(
    agenda: Agenda, record: ShowRecord, last: Action | None, clock: Clock
) -> dict[str, float] | None:
    """Whether live show ``record`` (whose latest action is ``last``) is the show going on
    now; if so, how the wall clock disagrees with the journal (``OpenedShow`` fields).

    On the boot of its last action the monotonic clock is the truth: "now" is that action's
    wall time plus the monotonic time since, so a wall clock moved back a day (or on) while
    the app was down neither hides the show nor resumes a stale one. After a reboot the wall
    clock is all there is; if it reads earlier than the last action (by up to
    ``CLOCK_BEHIND_LIMIT_S``) it is wrong, as time does not run backwards: the show resumes.
    """
    wall = clock.wall()
    if last is None:
        return {} if _same_event(agenda, record, record.created_wall, wall) else None
    if last.boot_id == clock.boot_id:
        now = last.wall + max(0.0, clock.monotonic() - last.mono)
        if not _same_event(agenda, record, last.wall, now):
            return None
        moved = wall - now
        return {"clock_moved_s": moved} if abs(moved) > WALL_JUMP_S else {}
    behind = last.wall - wall
    if WALL_JUMP_S < behind <= CLOCK_BEHIND_LIMIT_S:
        return {"clock_behind_s": behind}
    return {} if _same_event(agenda, record, last.wall, wall) else None


def _same_event(agenda: Agenda, record: ShowRecord, last_wall: float, now: float) -> bool:
    """Today's show, or yesterday's still active within ``OVERNIGHT_RESUME_S`` (an evening
    event whose laptop crashed at 00:10 must not start a new show)."""
    today = local_date(agenda, now)
    if record.show_date == today:
        return True
    yesterday = today - dt.timedelta(days=1)
    return record.show_date == yesterday and now - last_wall <= OVERNIGHT_RESUME_S


def _resumable(
    store: ShowStore, agenda: Agenda, mode: Mode
) -> tuple[ShowRecord, list[Action]] | None:
    """The latest unfinished show and its actions. Newer ones whose journal says they ended
    (the app died before it could mark them) are passed over, and marked ended unless the
    store can only be read. A follower's copy of another machine's show is never resumed as
    this machine's own (``ShowRecord.replica``; it rejoins with ``--join``)."""
    for record in reversed(store.shows(agenda.path, mode)):
        if record.ended or record.replica:
            continue
        actions = store.journal(record.id).actions()
        if not folds_to_end(agenda, actions):
            return record, actions
        if not store.read_only:
            store.mark_ended(record.id, actions[-1].wall)
    return None


@dataclass(frozen=True, slots=True)
class UnfinishedRehearsal:
    """A rehearsal of this agenda that was not ended (the app crashed or was closed mid-way),
    started from the same time of day as the one asked for now."""

    show_id: int
    last_action_wall: float  # on the rehearsal's simulated clock
    actions: int


def unfinished_rehearsal(
    store: ShowStore, agenda: Agenda, seconds_of_day: int
) -> UnfinishedRehearsal | None:
    """The latest unfinished rehearsal of ``agenda`` started from ``seconds_of_day`` (the
    same ``--rehearse 15:09:30``), if it got as far as an action: relaunching that command
    after a crash should offer it back, not silently start rehearsal number two."""
    found = _resumable(store, agenda, "rehearsal")
    if found is None:
        return None
    record, actions = found
    if not actions or record.anchor is None or not replayable(agenda, actions):
        return None
    moment = dt.datetime.fromtimestamp(record.anchor.sim_wall, show_zone(agenda.event.timezone))
    if moment.hour * 3600 + moment.minute * 60 + moment.second != seconds_of_day:
        return None
    return UnfinishedRehearsal(record.id, actions[-1].wall, len(actions))


def replayable(agenda: Agenda, actions: list[Action]) -> bool:
    """Whether every segment position the journal names exists in ``agenda``.

    Replay moves each segment's record to the position a reload named; a journal recorded
    against a longer version of the file (reloaded to more segments, then the file shortened
    while the app was down) names positions this agenda does not have. Every other action
    checks its own position as it applies, so reloads are the only ones to look at.
    """
    count = len(agenda.segments)
    return all(
        all(new < count for new in action.args.get("map", ()))
        for action in actions
        if action.name == act.RELOAD
    )


def folds_to_end(agenda: Agenda, actions: list[Action]) -> bool:
    """Whether ``actions`` replayed on ``agenda`` end the show. A journal that cannot be
    replayed on this agenda (``replayable``) is not known to have ended: False."""
    if not actions or not replayable(agenda, actions):
        return False
    return fold(agenda, actions).status is Status.ENDED
