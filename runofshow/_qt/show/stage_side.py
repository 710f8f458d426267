"""The stage side of the app: the speaker's confidence display, the cues, the stage manager's
window, and the video segments' files played on the output screen.

It is built after the MC's first frame (none of it is on that frame) or when first asked for
(Ctrl+2), over the same ``ShowHost`` as the MC's window: one engine, one journal, one undo,
so the MC and the stage manager never fight. The confidence display goes to
``--stage-screen N``, else its remembered screen, else a screen no operator window is on,
else it stays hidden; never onto the MC's own screen. A show whose agenda names video files
gets a ``VideoCue`` (QtMultimedia is loaded only then) on ``--video-screen N``, else the last
screen that is not the primary; its failures go to the notice bar and its position to the
stage manager's cue banner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen

from runofshow._qt.app.host import ShowHost
from runofshow._qt.commands.qactions import SharedActions
from runofshow._qt.show.cue_runner import CueRunner
from runofshow._qt.windows.confidence_display import ConfidenceDisplay, Placement, placement_text
from runofshow._qt.windows.stage_manager import StageManagerWindow
from runofshow.core.engine import ShowEngine

if TYPE_CHECKING:  # QtMultimedia is loaded only for agendas with video files
    from runofshow._qt.media.video_player import VideoCue


VIDEO_DESK_GRACE_MS = 3000  # a video desk gone this long: this laptop plays the videos again


class VideoSide(QObject):
    """One ``VideoCue`` per show that has video files, replaced with the show. Its output
    screen is never one an operator's window is on: a video full screen over the MC's
    countdown would hide the show from the person running it.

    While a follower that plays the videos (the video desk, docs/two-machines.md) is
    connected, this laptop plays none (two players would journal two lengths): it stands
    down, says so, and takes the videos back only if the video desk has been gone for
    ``VIDEO_DESK_GRACE_MS`` (a network hiccup must not start a second player)."""

    def __init__(
        self,
        host: ShowHost,
        manager: StageManagerWindow,
        screen: int | None,
        operator_screens: Callable[[], list[QScreen]],
    ) -> None:
        super().__init__(host)
        self.host, self.manager, self.screen = host, manager, screen
        self.operator_screens = operator_screens
        self.cue: VideoCue | None = None
        self.desks: list[str] = list(host.video_desks)  # the followers playing the videos
        self._back = QTimer(self)
        self._back.setSingleShot(True)
        self._back.setInterval(VIDEO_DESK_GRACE_MS)
        self._back.timeout.connect(lambda: self.follow(self.host.engine))
        host.show_replaced.connect(self.follow)
        host.video_desks_changed.connect(self._desks_changed)
        self.follow(host.engine)

    def _desks_changed(self, names: list[str]) -> None:
        if names == self.desks:
            return
        had, self.desks = self.desks, list(names)
        if names:
            self._back.stop()
            self.follow(self.host.engine)
        elif had:
            self._back.start()

    def follow(self, engine: ShowEngine) -> None:
        """A new show: drop the old cue (stopping its player) and make one if needed."""
        self.close()
        self.host.clear_notice("video")
        if not any(seg.video is not None for seg in engine.agenda.segments):
            return
        if self.desks:  # the video desk plays them, on its own screen
            names = ", ".join(self.desks)
            self.host.post_notice("video", self.host.tr_("peer.video_desk", names=names))
            return
        from runofshow._qt.media.video_player import VideoCue, choose_screen  # QtMultimedia

        screen = choose_screen(self.screen)
        if screen is not None and screen in self.operator_screens():
            number = QGuiApplication.screens().index(screen)
            self.host.post_notice("video", self.host.tr_("video.operator_screen", n=number))
            screen = None  # the segments run as plain timers, said on the notice bar
        cue = VideoCue(engine, screen, parent=self, tr=self.host.tr_)
        cue.error.connect(lambda text: self.host.post_notice("video", text))
        cue.progress.connect(self.manager.show_playback)
        cue.state_changed.connect(self._state)
        self.cue = cue

    def close(self) -> None:
        if self.cue is not None:
            self.cue.close()
            self.cue = None

    def _state(self, state: str) -> None:
        if state in ("idle", "ended"):
            self.manager.clear_playback()
        if state == "playing":
            self.host.clear_notice("video")


class StageSide(QObject):
    """Everything the stage side is, wired to the host and to the MC's window."""

    def __init__(
        self,
        host: ShowHost,
        shared: SharedActions,
        operator_screens,
        video_screen: int | None = None,
    ) -> None:
        super().__init__(host)
        self.host = host
        self.stage = ConfidenceDisplay(host.tr_, QSettings())
        self.stage.avoid_screens = lambda: [*operator_screens(), *self._manager_screen()]
        host.display_changed.connect(self.stage.show_display)
        if host.controller is not None and host.controller.display is not None:
            self.stage.show_display(host.controller.display)
        assert host.controller is not None, "the stage side is built once a show is open"
        self.cues = CueRunner(host.controller, host, allowed=host.commands_allowed,
                              runs_here=lambda: not host.following)  # fmt: skip
        self.manager = StageManagerWindow(host, self.stage, self.cues, shared)
        self.video = VideoSide(host, self.manager, video_screen, operator_screens)
        self.stage.placement_changed.connect(_PlacementNotice(host))
        host.closing.connect(self.close)

    def _manager_screen(self) -> list[QScreen]:
        return [self.manager.screen()] if self.manager.isVisible() else []

    def place_stage(self, number: int | None) -> None:
        """``--stage-screen N`` (said on the notice bar when there is no such screen or it is
        an operator's), else the remembered screen, else a free one."""
        if number is not None:
            problem = self.stage.use_screen(number)
            if problem is None:
                return
            self.host.post_notice(
                "stage", self.host.tr_(problem, n=number, count=len(QGuiApplication.screens()))
            )
        self.stage.restore_screen()

    def open_manager(self, *, activate: bool = True) -> None:
        """Show the stage manager's window; asked for (Ctrl+2), it comes to the front with the
        keyboard; opened at start-up (--stage-manager), it leaves the keyboard with the MC."""
        if not activate:
            self.manager.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.manager.show()
        if activate:
            self.manager.activateWindow()  # to the front too, under a window manager
        self.manager.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)

    def show_stage(self, on: bool) -> None:
        self.stage.set_enabled_on_stage(on)

    def close(self) -> None:
        """The app is quitting: every window of the stage side goes with it."""
        self.video.close()
        self.manager.close()
        self.stage.close()


class _PlacementNotice:
    """Tells the operators when the stage display LEAVES its screen (moved or hidden after
    being on one). A laptop with no second screen starts with the display hidden: that is
    the normal state, not news for the notice bar."""

    def __init__(self, host: ShowHost) -> None:
        self.host = host
        self.was_shown = False

    def __call__(self, placement: Placement) -> None:
        if placement.state in ("moved", "hidden") and self.was_shown:
            self.host.post_notice("stage", placement_text(placement, self.host.tr_))
        elif placement.number is not None:
            self.host.clear_notice("stage")
        self.was_shown = placement.number is not None
