"""The show controller: the one place the window talks to the engine.

It turns menu and key actions into engine calls, and it repaints without ticking: after each
refresh it arms one single-shot ``Qt.PreciseTimer`` for the instant the next shown value
flips (``display.next_change_in``), and at that wake it reads ``engine.poll()`` afresh. A late
or missed wake therefore only delays a repaint; it can never make the clock wrong.

The running order is published only when something it shows can have changed
(``order_key``), as ``OrderRows`` over the engine's projection at that instant: the widget
formats the rows it paints, a screenful, whatever the agenda's length.

Chimes are queued while ``poll()`` reports time-driven phase changes and played after the
new display is published; ``policy.muted`` and ``sink`` are set by the window, which owns them.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal

from runofshow._qt.i18n import Translator
from runofshow._qt.show.display import Display, describe, next_change_in
from runofshow._qt.sound.chimes import ChimePolicy, SoundSink
from runofshow._qt.widgets.running_order import OrderRow, OrderRows
from runofshow.core.agenda import Agenda
from runofshow.core.engine import (
    ClockJumped,
    EngineEvent,
    JournalFailed,
    JournalRecovered,
    Now,
    PhaseChanged,
    Projection,
    SegmentTimes,
    ShowEngine,
    Status,
)
from runofshow.core.fold import NOT_STARTED
from runofshow.core.timefmt import hms, signed_duration

EARLY_WAKE_S = 0.004  # the repaint timer is armed this much before a flip (see ``_arm``)
RETRY_S = 0.25  # after a failed refresh, the next try (the countdown must not freeze)

logger = logging.getLogger(__name__)


class ShowController(QObject):
    """Drives one engine: actions in, ``Display`` and running order out."""

    display_changed = Signal(object)  # Display
    order_changed = Signal(object)  # Sequence[OrderRow] (OrderRows)
    notice = Signal(str, str)  # (kind, text): the wall clock jumped, the journal failed
    journal_recovered = Signal()  # the journal takes writes again: NOT SAVED can go

    def __init__(self, engine: ShowEngine, tr: Translator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.engine = engine
        self.policy = ChimePolicy()
        self.sink: SoundSink | None = None  # set by the window once loaded
        self.display: Display | None = None
        self.order: Sequence[OrderRow] = ()
        self._zero_at: float | None = None
        self._order_key: tuple[object, ...] | None = None
        self._polling = False
        self._chimes: list[str] = []
        self._unsubscribe: Callable[[], None] = engine.subscribe(self._on_event)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._wake)
        self._due: float | None = None  # perf_counter() instant the armed wake is for

    # -- engine ------------------------------------------------------------------------------
    def replace_engine(self, engine: ShowEngine) -> None:
        """A new show (another agenda was opened): listen to it instead, and redraw."""
        self._unsubscribe()
        self.engine = engine
        self._unsubscribe = engine.subscribe(self._on_event)
        self.display = None
        self._order_key = None
        self.refresh()

    def _on_event(self, event: EngineEvent) -> None:
        """Queue a chime for a phase change that time made (a key's own effects stay quiet);
        pass on what the operator must be told."""
        if isinstance(event, ClockJumped):
            self.notice.emit(
                "clock", self.tr_("notice.clock_jump", delta=signed_duration(event.delta_s))
            )
            return
        if isinstance(event, JournalFailed):
            self.notice.emit("journal", self.tr_("notice.journal_failed", reason=event.reason))
            return
        if isinstance(event, JournalRecovered):
            self.journal_recovered.emit()
            return
        if not self._polling or not isinstance(event, PhaseChanged):
            return
        segment = self.engine.agenda.segments[event.index]
        name = self.policy.chime_for(event, segment.sounds)
        if name is not None:
            self._chimes.append(name)

    # -- the repaint loop ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the engine now, publish what changed, play due chimes, arm the next wake.

        The next wake is armed whatever happens on the way: a view or a listener that raises
        is logged, and the countdown goes on flipping (a failed refresh used to leave the
        single-shot timer unarmed and the display frozen until the next key press)."""
        wait_s = RETRY_S
        try:
            wait_s = self._refresh()
        except Exception:
            logger.exception("a refresh of the show failed; retrying in %.1f s", RETRY_S)
        finally:
            self._arm(wait_s)

    def _refresh(self) -> float:
        self._polling = True
        try:
            now = self.engine.poll()
        finally:
            self._polling = False
        self._zero_at = now.t + now.remaining_s if now.status is Status.RUNNING else None
        display = describe(now, self.engine.agenda, self.engine.local_time, self.tr_)
        try:
            if display != self.display:
                self.display = display
                self.display_changed.emit(display)
                self._publish_order(now)
        finally:
            self._play_chimes()
        return next_change_in(now)

    def _arm(self, wait_s: float) -> None:
        """Wake for the next flip. Even a precise Qt timer fires 1-3 ms late (more on a busy
        machine), so it is armed ``EARLY_WAKE_S`` early and ``_wake`` sleeps off the rest: the
        new second is painted at its instant, not a timer's slack after it."""
        self._due = time.perf_counter() + wait_s
        early = EARLY_WAKE_S if wait_s > 2 * EARLY_WAKE_S else 0.0
        self.timer.start(max(1, round((wait_s - early) * 1000)))

    def _wake(self) -> None:
        if self._due is not None:
            left = self._due - time.perf_counter()
            if 0 < left <= EARLY_WAKE_S:
                # A few ms at most, once per flip. A relative sleep (nanosleep), not
                # time.sleep: Python's is an absolute CLOCK_MONOTONIC deadline, which
                # wall-clock shims such as libfaketime can stretch by the faked offset.
                QThread.usleep(round(left * 1_000_000))
        self.refresh()

    def countdown_zero(self) -> float | None:
        """The show-clock instant the running countdown reads 0:00, as of the last refresh
        (None while it stands still): the repaint trace logs it so the benchmark knows every
        second's true boundary."""
        return self._zero_at

    def _play_chimes(self) -> None:
        """After the display is published: a chime never holds up the repaint it belongs to."""
        chimes, self._chimes = self._chimes, []
        if self.sink is not None:
            for name in chimes:
                self.sink.play(name)

    def order_key(self, now: Now) -> tuple[object, ...]:
        """Everything the running order's rows depend on at ``now``.

        Past rows and every title are fixed by the agenda and the actions taken; future rows'
        projected starts follow from where the current segment is projected to end, which
        ``next_projected_start`` and ``projected_end`` carry; the current row shows its whole
        seconds over the limit, and before the show its start is the time of day (to the
        minute) once the planned start has passed.

        Projected times count in whole seconds: in overtime they move on every reading, and
        a 2,000-row order rebuilt on every flash (four a second) would cost most of a core.
        Rows show whole seconds or minutes of times a whole number of seconds apart, so a
        row's text cannot change within one of these seconds (after a video whose real
        length has a fraction of a second, a row may turn its minute up to a second late)."""
        engine = self.engine
        return (
            engine.agenda,
            len(engine.actions),
            now.index,
            now.status,
            _whole(now.next_projected_start),
            _whole(now.projected_end),
            math.floor(now.overtime_s),
            math.floor(now.wall / 60) if now.status in NOT_STARTED else None,
        )

    def _publish_order(self, now: Now) -> None:
        key = self.order_key(now)
        if key == self._order_key:
            return
        self._order_key = key
        self._emit_order(self.engine.projection())

    def _emit_order(self, projection: Projection) -> None:
        """The running order at ``projection``'s instant, each row formatted when painted
        (the widget repaints only if the rows it shows read differently)."""
        agenda, local_time = projection.agenda, self.engine.local_time
        current = None if projection.status is Status.ENDED else projection.index
        self.order = OrderRows(
            projection.count,
            current,
            lambda i: order_row(projection.segment(i), agenda, local_time),
        )
        self.order_changed.emit(self.order)

    def retranslate(self) -> None:
        """The language changed: redraw every word."""
        self.display = None
        self._order_key = None
        self.refresh()

    def stop(self) -> None:
        """Stop waking and listening: the window is closing or the show was replaced."""
        self.timer.stop()
        self._unsubscribe()


def order_row(
    times: SegmentTimes, agenda: Agenda, local_time: Callable[[float], dt.datetime]
) -> OrderRow:
    """One running-order line: projected start (actual for past rows), title (a pitch's
    tied Q&A marked ``└``, as in the stage manager's table and the run sheet), overrun."""
    segment = agenda.segments[times.index]
    return OrderRow(
        start=hh_mm(local_time(times.projected_start)),
        title=f"└ {segment.title}" if agenda.tied_to_previous(segment) else segment.title,
        state=times.state,
        note=f"+{hms(times.over_limit_s)}" if times.over_limit_s >= 1 else "",
    )


def hh_mm(moment: dt.datetime) -> str:
    """``strftime("%H:%M")`` without strftime, which costs ~6 µs a call under PySide6's
    import hook (it imports ``time`` on every call): 2,000 rows made it 12 ms a refresh."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _whole(value: float | None) -> int | None:
    return None if value is None else math.floor(value)
