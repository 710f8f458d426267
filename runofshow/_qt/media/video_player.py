"""Playing a video segment's file fullscreen, with the countdown following the video.

``VideoCue`` listens to the engine and does what the engine says; it never decides on its own
whether the show runs. When a segment with ``video:`` becomes current and running it opens the
file (QMediaPlayer, Qt's bundled FFmpeg backend, no environment variable needed) into a
borderless fullscreen window on the chosen output screen. Once the player knows the file's
length it journals it with ``engine.set_media_length`` so the countdown and every projection
use the real length, not the planned slot. The journaled length is "elapsed so far + what is
left of the video", and it is journaled again whenever the two drift apart by more than
``RESYNC_S`` (a stall while buffering), so the countdown reads 0:00 when the video ends.
An ``end_action: advance`` segment gets ``END_GRACE_S`` more, so that the end of the file
(``EndOfMedia``) moves the show on with the last frame shown, not the engine's own automatic
advance a few milliseconds earlier; if the end of the file is never reported, the engine still
advances by itself that much later.

- A show resumed mid-video (the app restarted after a crash) picks the file up at the
  segment's elapsed time, once it has loaded, instead of playing it from its start.
- Engine pause/resume/next/goto/reset act on the player. The UI's pause goes through the
  engine (``toggle_pause``), so there is one source of truth.
- At the end of the video: ``end_action: advance`` calls ``engine.next()``; ``hold`` leaves the
  last frame up and lets the engine count overtime until the MC moves on.
- Failure is never silent and never stops the show: a missing file, a file that cannot be
  decoded, a file that does not open within ``LOAD_TIMEOUT_S`` or no screen to play on emits
  ``error(str)`` and the segment stays a plain timer of its planned length (nothing is
  journaled). A projector unplugged mid-video hides the window; the sound and the countdown
  carry on.
- Sound goes to the system's default output and follows it when it changes; with no audio
  device at all the video still plays, silently.

Every command to the player is queued (``_send``), never called from Python directly: stopping
or replacing a playing source joins QtMultimedia's decoder and audio threads, and those threads
may need the Python GIL (a Qt message handler written in Python, as pytest-qt installs, runs on
them). Called from Python, which holds the GIL, that join deadlocks the whole application;
measured here, about one stop in fifty. Queued, the call runs from Qt's event loop with the GIL
free. Queued calls to one object run in the order sent, and signals from a source the player has
not switched away from yet are ignored (``_current``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    Q_ARG,
    QGenericArgumentHolder,
    QMetaObject,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPalette, QScreen
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget

from runofshow._qt.i18n import Translator
from runofshow.core import actions as act
from runofshow.core.agenda import EndAction, Segment
from runofshow.core.engine import EngineEvent, SegmentChanged, ShowEngine, StateChanged, Status
from runofshow.core.timefmt import countdown_seconds, hms

__all__ = ["END_GRACE_S", "LOAD_TIMEOUT_S", "RESYNC_S", "CueState", "VideoCue", "choose_screen"]

LOAD_TIMEOUT_S = 10.0  # a file that has not opened by then is treated as broken
RESYNC_S = 0.25  # countdown and video further apart than this: journal the length again
END_GRACE_S = 0.3  # ``advance`` segments: the video's end, not the countdown, moves on
RESUME_FROM_S = 0.5  # a segment this far in when its video loads (a restart): pick up there

_Status = QMediaPlayer.MediaStatus


class CueState:
    """What the video output is doing, as the ``state_changed`` signal reports it."""

    IDLE = "idle"  # no video segment running: the output window is hidden
    LOADING = "loading"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"  # the file played to its end; the last frame stays up
    FAILED = "failed"  # see the ``error`` signal; the segment is a plain timer


@dataclass(slots=True)
class _Cue:
    """The video segment the player is loaded with, and how far it got."""

    index: int
    segment: Segment
    path: Path
    url: QUrl
    journaled: bool = False
    failed: bool = False
    ended: bool = False
    start_at: float = 0.0  # where the video picks up: a resumed segment's elapsed seconds
    seeking: bool = False  # the video is to be at ``start_at`` and has not got there yet
    jump_sent: bool = False  # the jump was sent to the player (once the file had loaded)

    def key(self) -> tuple[str, Path]:
        """Which segment and file: by id, so a hot reload that moves the segment (its index
        changes) does not restart a video halfway through."""
        return (self.segment.id, self.path)


def choose_screen(preference: str | int | None = None) -> QScreen | None:
    """The screen to play videos on: one named (or numbered) in the settings, else the last
    screen that is not the primary (the projector), else the primary (a laptop rehearsal),
    else None when there is no screen at all."""
    screens = QGuiApplication.screens()
    if isinstance(preference, int) and 0 <= preference < len(screens):
        return screens[preference]
    named = [s for s in screens if preference is not None and s.name() == preference]
    if named:
        return named[0]
    primary = QGuiApplication.primaryScreen()
    others = [s for s in screens if s is not primary]
    return others[-1] if others else primary


class VideoCue(QObject):
    """Plays the current video segment on an output screen, driven by the engine.

    Signals: ``error(str)`` a message for the MC and stage manager; ``progress(position_s,
    remaining_s)`` when the shown second of the video changes; ``state_changed(str)`` with a
    ``CueState`` value.
    """

    error = Signal(str)
    progress = Signal(float, float)
    state_changed = Signal(str)

    def __init__(
        self,
        engine: ShowEngine,
        screen: QScreen | None,
        parent: QObject | None = None,
        tr: Translator | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self.tr_ = tr or Translator("en")  # the operator's language for what goes wrong
        # The screen is kept by name and looked up when needed: a QScreen's Python wrapper can
        # be invalidated by PySide while the screen lives on (seen in this test suite), and a
        # projector unplugged and plugged back in is a new QScreen with the same name.
        self._screen_name: str | None = None if screen is None else screen.name()
        self._cue: _Cue | None = None
        self._state = CueState.IDLE
        self._playing = False  # what we last asked the player for (its own state lags)
        self._loaded = False  # whether a source was sent that has not been cleared
        self._shown_second: int | None = None
        self._player = QMediaPlayer(self)
        self._devices = QMediaDevices(self)
        self._audio = QAudioOutput(QMediaDevices.defaultAudioOutput(), self)
        self._player.setAudioOutput(self._audio)
        self._window = _output_window()
        self._player.setVideoOutput(self._window)
        self._load_timer = QTimer(self, singleShot=True, interval=int(LOAD_TIMEOUT_S * 1000))
        self._connect()
        self._unsubscribe: Callable[[], None] | None = engine.subscribe(self._on_engine)
        self._reconcile(None)

    def _connect(self) -> None:
        player = self._player
        player.durationChanged.connect(self._on_duration)
        player.positionChanged.connect(self._on_position)
        player.mediaStatusChanged.connect(self._on_media_status)
        player.playbackStateChanged.connect(self._on_playback_state)
        player.errorOccurred.connect(self._on_player_error)
        self._load_timer.timeout.connect(self._on_load_timeout)
        self._devices.audioOutputsChanged.connect(self._follow_default_output)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._on_screen_removed)
            app.screenAdded.connect(self._on_screen_added)

    # -- reading -------------------------------------------------------------------------
    @property
    def player(self) -> QMediaPlayer:
        return self._player

    @property
    def window(self) -> QVideoWidget:
        """The fullscreen output window (hidden while no video plays)."""
        return self._window

    def screen(self) -> QScreen | None:
        """The output screen, if it is connected."""
        name = self._screen_name
        return next((s for s in QGuiApplication.screens() if s.name() == name), None)

    def state(self) -> str:
        return self._state

    def position_s(self) -> float:
        """Where the video is, in seconds; 0 while none is loaded. While the jump of a
        resumed segment has not landed, where it is going: the countdown is journaled from
        it, and must not take the file's start for the show's position."""
        if not self._current():
            return 0.0
        cue = self._cue
        if cue is not None and cue.seeking:
            return cue.start_at
        return self._player.position() / 1000.0

    def duration_s(self) -> float | None:
        """The loaded video's real length, once the player knows it."""
        if not self._current() or self._player.duration() <= 0:
            return None
        return self._player.duration() / 1000.0

    def remaining_s(self) -> float | None:
        """What is left of the video; None when no video (or no length) is known."""
        duration = self.duration_s()
        return None if duration is None else max(0.0, duration - self.position_s())

    # -- commands ------------------------------------------------------------------------
    def set_screen(self, screen: QScreen | None) -> None:
        """Play on ``screen`` from now on; a video already playing moves there."""
        self._screen_name = None if screen is None else screen.name()
        if self._cue is not None and not self._cue.failed and screen is not None:
            self._show_window()

    def toggle_pause(self) -> bool:
        """The UI's pause/resume for the video: it goes through the engine, which the player
        then follows, so the countdown and the video cannot disagree."""
        status = self._engine.status
        if status is Status.RUNNING:
            return self._engine.pause()
        if status is Status.PAUSED:
            return self._engine.resume()
        return False

    def close(self) -> None:
        """Stop listening to the engine, stop playing, close the output window, and delete the
        player from the event loop once it has stopped (``player.destroyed`` tells when).
        Call it before letting go of the cue: a player destroyed while playing, from Python,
        risks the deadlock the module's docstring describes."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._unload()
        self._player.deleteLater()
        self._window.close()
        self._window.deleteLater()

    # -- following the engine ------------------------------------------------------------
    def _on_engine(self, event: EngineEvent) -> None:
        if isinstance(event, SegmentChanged | StateChanged):
            self._reconcile(event)

    def _reconcile(self, event: EngineEvent | None) -> None:
        """Make the player match the engine's current segment and status."""
        now = self._engine.now()
        segment = now.segment
        if segment.video is None or now.status not in (Status.RUNNING, Status.PAUSED):
            self._unload()
            return
        cue = self._cue
        if cue is None or cue.key() != (segment.id, segment.video):
            self._unload()
            if now.status is Status.RUNNING:
                url = QUrl.fromLocalFile(str(segment.video))
                start_at = now.elapsed_s if now.elapsed_s >= RESUME_FROM_S else 0.0
                self._load(_Cue(now.index, segment, segment.video, url, start_at=start_at))
            return
        cue.index, cue.segment = now.index, segment
        if cue.failed:
            return
        if isinstance(event, StateChanged) and event.action == act.RESET:
            self._restart()
        self._follow_status(now.status)

    def _follow_status(self, status: Status) -> None:
        if status is Status.PAUSED and self._playing:
            self._playing = False
            self._send("pause")
        elif status is Status.RUNNING and not self._playing and not self._cue_ended():
            self._playing = True
            self._send("play")

    def _cue_ended(self) -> bool:
        return self._cue is not None and self._cue.ended

    def _restart(self) -> None:
        """Reset the segment: the video starts over and the length is journaled afresh."""
        assert self._cue is not None
        self._cue.ended = False
        self._cue.start_at, self._cue.seeking = 0.0, False
        self._send("setPosition", Q_ARG("qint64", 0))
        self._playing = False  # the caller's _follow_status plays it again if running
        duration = self.duration_s()
        if duration is not None:
            self._journal_length(duration, force=True)

    # -- loading and unloading -----------------------------------------------------------
    def _load(self, cue: _Cue) -> None:
        self._cue = cue
        cue.seeking = cue.start_at > 0  # from now on the video "is" at start_at (position_s)
        self._shown_second = None
        if not cue.path.is_file():
            self._fail(self.tr_("video.not_found", path=cue.path))
            return
        if self.screen() is None:
            self._fail(self.tr_("video.no_screen"))
            return
        self._set_state(CueState.LOADING)
        self._send("setPlaybackRate", Q_ARG(float, float(self._engine.clock.speed)))
        self._send("setSource", Q_ARG(QUrl, cue.url))
        self._loaded = self._playing = True
        self._send("play")
        self._load_timer.start()
        self._show_window()

    def _unload(self) -> None:
        """No video segment is running: stop, let go of the file, hide the window."""
        self._load_timer.stop()
        self._cue = None
        self._stop_player()
        self._window.hide()
        self._set_state(CueState.IDLE)

    def _stop_player(self) -> None:
        if self._loaded:
            self._send("stop")
            self._send("setSource", Q_ARG(QUrl, QUrl()))
        self._loaded = self._playing = False

    def _send(self, method: str, *args: QGenericArgumentHolder) -> None:
        """Have the player run ``method`` from the event loop (see the module's docstring)."""
        QMetaObject.invokeMethod(self._player, method, Qt.ConnectionType.QueuedConnection, *args)

    def _current(self) -> bool:
        """Whether the player is on the loaded cue's file (queued commands may not have run
        yet, and the old file's last signals must not count for the new segment)."""
        return self._cue is not None and self._player.source() == self._cue.url

    def _show_window(self) -> None:
        screen = self.screen()
        if screen is None:
            return
        self._window.setScreen(screen)
        self._window.setGeometry(screen.geometry())
        # Not showFullScreen(): it activates the window, which would take the keyboard from
        # the MC's window (and Qt warns, as the window is marked not to accept focus).
        self._window.setWindowState(Qt.WindowState.WindowFullScreen)
        self._window.show()

    def _fail(self, reason: str) -> None:
        """Say what went wrong and let the segment run on as a timer."""
        cue = self._cue
        assert cue is not None
        if cue.failed:
            return
        cue.failed = True
        self._load_timer.stop()
        self._stop_player()
        self._window.hide()
        self._set_state(CueState.FAILED)
        self.error.emit(_failure_message(cue, reason, self.tr_))

    # -- the player's side ---------------------------------------------------------------
    def _on_duration(self, duration_ms: int) -> None:
        remaining = self.remaining_s()
        if duration_ms > 0 and remaining is not None:
            self._journal_length(remaining)

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if not self._current() or self._cue is None or self._cue.failed:
            return
        if status in (_Status.LoadedMedia, _Status.BufferedMedia):
            self._load_timer.stop()
            self._pick_up(self._cue)
            remaining = self.remaining_s()
            if remaining is not None:
                self._journal_length(remaining)
        elif status is _Status.EndOfMedia:
            self._on_end()
        elif status is _Status.InvalidMedia:
            error = self._player.errorString()
            self._fail(self.tr_("video.cannot_open", name=self._cue.path.name, error=error))

    def _on_player_error(self, _error: QMediaPlayer.Error, text: str) -> None:
        if self._current() and self._cue is not None:
            error = text or "?"
            self._fail(self.tr_("video.cannot_play", name=self._cue.path.name, error=error))

    def _on_load_timeout(self) -> None:
        if self._cue is not None and not self._cue.journaled:
            name, seconds = self._cue.path.name, f"{LOAD_TIMEOUT_S:g}"
            self._fail(self.tr_("video.load_timeout", name=name, t=seconds))

    def _on_playback_state(self, state: QMediaPlayer.PlaybackState) -> None:
        if not self._current() or self._cue is None or self._cue.failed or self._cue.ended:
            return
        if state is QMediaPlayer.PlaybackState.PlayingState:
            self._set_state(CueState.PLAYING)
        elif state is QMediaPlayer.PlaybackState.PausedState:
            self._set_state(CueState.PAUSED)

    def _pick_up(self, cue: _Cue) -> None:
        """A show resumed mid-video (after a crash or a restart): the video jumps to where
        the segment is, once the file is loaded, instead of starting over while the
        countdown says it is halfway through."""
        if cue.seeking and not cue.jump_sent:
            cue.jump_sent = True
            self._send("setPosition", Q_ARG("qint64", round(cue.start_at * 1000)))

    def _on_position(self, position_ms: int) -> None:
        cue = self._cue
        if cue is not None and cue.seeking and _landed(cue, position_ms / 1000.0):
            cue.seeking = False
        remaining = self.remaining_s()
        if self._cue is None or remaining is None:
            return
        shown = countdown_seconds(remaining)
        if shown != self._shown_second:
            self._shown_second = shown
            self.progress.emit(self.position_s(), remaining)
        self._resync(remaining)

    def _on_end(self) -> None:
        """The file played out: advance if the segment says so, else hold for the MC."""
        cue = self._cue
        assert cue is not None
        cue.ended = True
        self._playing = False  # the player stopped by itself; the last frame stays up
        self._set_state(CueState.ENDED)
        self.progress.emit(self.position_s(), 0.0)
        now = self._engine.now()
        still_here = now.index == cue.index and now.status is Status.RUNNING
        if still_here and cue.segment.end_action is EndAction.ADVANCE:
            self._engine.next()

    # -- the countdown follows the video -------------------------------------------------
    def _journal_length(self, remaining: float, *, force: bool = False) -> None:
        """Tell the engine the segment lasts "elapsed so far + the rest of the video"."""
        cue = self._cue
        if cue is None or cue.failed or (cue.journaled and not force):
            return
        cue.journaled = True
        elapsed = self._engine.now().elapsed_s
        self._engine.set_media_length(elapsed + _countdown_left(cue, remaining), index=cue.index)

    def _resync(self, remaining: float) -> None:
        """Journal the length again if the countdown and the video drifted apart (a stall)
        while both run. Only at speed 1: a rehearsal's fast clock is not the video's."""
        cue = self._cue
        if cue is None or not cue.journaled or cue.ended or self._engine.clock.speed != 1:
            return
        state = self._player.playbackState()
        if not self._playing or state is not QMediaPlayer.PlaybackState.PlayingState:
            return
        now = self._engine.now()
        if now.index != cue.index or now.status is not Status.RUNNING:
            return
        if abs(now.remaining_s - _countdown_left(cue, remaining)) > RESYNC_S:
            self._journal_length(remaining, force=True)

    # -- devices -------------------------------------------------------------------------
    def _follow_default_output(self) -> None:
        self._audio.setDevice(QMediaDevices.defaultAudioOutput())

    def _on_screen_removed(self, screen: QScreen) -> None:
        """The projector went away mid-video: hide the window (never onto the MC's screen),
        say so, and let the sound and the countdown carry on."""
        if screen.name() != self._screen_name:
            return
        self._window.hide()
        cue = self._cue
        if cue is not None and not cue.failed:
            self.error.emit(
                self.tr_("video.screen_gone", title=cue.segment.title, screen=screen.name())
            )

    def _on_screen_added(self, screen: QScreen) -> None:
        """The same projector is back: the video playing reappears on it."""
        cue = self._cue
        if screen.name() == self._screen_name and cue is not None and not cue.failed:
            self._show_window()

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)


def _output_window() -> QVideoWidget:
    """A borderless black window that never takes the keyboard from the MC's window."""
    window = QVideoWidget()
    window.setWindowFlags(
        Qt.WindowType.Window
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowDoesNotAcceptFocus
    )
    window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    window.setWindowTitle("runofshow video")
    window.setCursor(Qt.CursorShape.BlankCursor)
    palette = window.palette()
    palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    window.setPalette(palette)
    window.setAutoFillBackground(True)
    return window


def _landed(cue: _Cue, position_s: float) -> bool:
    """Whether the jump to ``cue.start_at`` has landed: keyframes may put it up to ~1 s
    early (less for a short jump), and a stale report from the file's start has not."""
    return position_s >= cue.start_at - min(1.0, cue.start_at / 2)


def _countdown_left(cue: _Cue, video_left: float) -> float:
    """What the countdown should show with ``video_left`` seconds of video to go."""
    grace = END_GRACE_S if cue.segment.end_action is EndAction.ADVANCE else 0.0
    return video_left + grace


def _failure_message(cue: _Cue, reason: str, tr: Translator) -> str:
    if cue.journaled:
        return tr("video.failed_kept", title=cue.segment.title, reason=reason)
    slot = hms(cue.segment.duration_s)
    return tr("video.failed_timer", title=cue.segment.title, reason=reason, t=slot)
