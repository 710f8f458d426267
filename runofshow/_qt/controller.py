"""The show controller: the one place the window talks to the engine.

It turns menu and key actions into engine calls, and it repaints without ticking: after each
refresh it arms one single-shot ``Qt.PreciseTimer`` for the instant the next shown value
flips (``display.next_change_in``), and at that wake it reads ``engine.poll()`` afresh. A late
or missed wake therefore only delays a repaint; it can never make the clock wrong.

Chimes are queued while ``poll()`` reports time-driven phase changes and played after the
new display is published; ``policy.muted`` and ``sink`` are set by the window, which owns them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from runofshow._qt.display import Display, describe, next_change_in
from runofshow._qt.i18n import Translator
from runofshow._qt.running_order import OrderRow
from runofshow._qt.sound import ChimePolicy, SoundSink
from runofshow.core.engine import (
    ClockJumped,
    EngineEvent,
    JournalFailed,
    PhaseChanged,
    ShowEngine,
    Timeline,
)
from runofshow.core.timefmt import hms, signed_duration


class ShowController(QObject):
    """Drives one engine: actions in, ``Display`` and running order out."""

    display_changed = Signal(object)  # Display
    order_changed = Signal(object)  # tuple[OrderRow, ...]
    notice = Signal(str, str)  # (kind, text): the wall clock jumped, the journal failed

    def __init__(self, engine: ShowEngine, tr: Translator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.engine = engine
        self.policy = ChimePolicy()
        self.sink: SoundSink | None = None  # set by the window once loaded
        self.display: Display | None = None
        self.order: tuple[OrderRow, ...] = ()
        self._polling = False
        self._chimes: list[str] = []
        self._unsubscribe: Callable[[], None] = engine.subscribe(self._on_event)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.refresh)

    # -- engine ------------------------------------------------------------------------------
    def replace_engine(self, engine: ShowEngine) -> None:
        """A new show (another agenda was opened): listen to it instead, and redraw."""
        self._unsubscribe()
        self.engine = engine
        self._unsubscribe = engine.subscribe(self._on_event)
        self.display = None
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
        if not self._polling or not isinstance(event, PhaseChanged):
            return
        segment = self.engine.agenda.segments[event.index]
        name = self.policy.chime_for(event, segment.sounds)
        if name is not None:
            self._chimes.append(name)

    def act(self, action: Callable[[], bool]) -> bool:
        """Run one engine action, then redraw at once (the key press is the flip)."""
        applied = action()
        self.refresh()
        return applied

    # -- the repaint loop ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the engine now, publish what changed, play due chimes, arm the next wake."""
        self._polling = True
        try:
            now = self.engine.poll()
        finally:
            self._polling = False
        display = describe(now, self.engine.agenda, self.engine.local_time, self.tr_)
        if display != self.display:
            self.display = display
            self.display_changed.emit(display)
            self._publish_order(self.engine.timeline())
        self._play_chimes()
        self.timer.start(max(1, round(next_change_in(now) * 1000)))

    def _play_chimes(self) -> None:
        """After the display is published: a chime never holds up the repaint it belongs to."""
        chimes, self._chimes = self._chimes, []
        if self.sink is not None:
            for name in chimes:
                self.sink.play(name)

    def _publish_order(self, timeline: Timeline) -> None:
        rows = tuple(
            OrderRow(
                start=self.engine.local_time(times.projected_start).strftime("%H:%M"),
                title=self.engine.agenda.segments[times.index].title,
                state=times.state,
                note=f"+{hms(times.over_limit_s)}" if times.over_limit_s >= 1 else "",
            )
            for times in timeline.segments
        )
        if rows != self.order:
            self.order = rows
            self.order_changed.emit(rows)

    def retranslate(self) -> None:
        """The language changed: redraw every word."""
        self.display = None
        self.refresh()

    def stop(self) -> None:
        """Stop waking and listening: the window is closing or the show was replaced."""
        self.timer.stop()
        self._unsubscribe()
