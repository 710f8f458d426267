"""The stage side attached to the MC's window: stage manager, confidence display, messages,
and the video segments' files played on the output screen.

One controller drives everything (one engine, one journal, one undo), so the MC and the stage
manager never fight. The MC's window and the confidence display share the blackout flag both
ways; when the stage display loses its screen, the MC's notice bar says where it went. The
stage manager's window opens from the Stage menu (Ctrl+2) or with ``--stage-manager``; the
confidence display goes to ``--stage-screen N``, else its remembered screen, else a screen no
operator window is on, else it stays hidden. A show whose agenda names video files gets a
``VideoCue`` (QtMultimedia is loaded only then) playing each on ``--video-screen N``, else the
last screen that is not the primary; its failures go to the MC's notice bar and its position
to the stage manager's cue banner.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, QTimer

from runofshow._qt.show.cue_runner import CueRunner
from runofshow._qt.widgets.stage_messages import StageMessages
from runofshow._qt.windows.confidence_display import ConfidenceDisplay, Placement, placement_text
from runofshow._qt.windows.mc_window import McWindow
from runofshow._qt.windows.stage_manager import StageManagerWindow, create_stage_side, stage_menu
from runofshow.core.engine import ShowEngine


class VideoSide(QObject):
    """One ``VideoCue`` per show engine that has video files, replaced with the engine."""

    def __init__(
        self, mc: McWindow, manager: StageManagerWindow, screen: int | None = None
    ) -> None:
        super().__init__(mc)
        self.mc, self.manager, self.screen = mc, manager, screen
        self.cue = None
        mc.engine_started.connect(self.follow)
        if mc.controller is not None:
            self.follow(mc.controller.engine)

    def follow(self, engine: ShowEngine) -> None:
        """A new show: drop the old cue (stopping its player) and make one if needed."""
        if self.cue is not None:
            self.cue.close()
            self.cue = None
        self.mc.clear_notice("video")
        if not any(seg.video is not None for seg in engine.agenda.segments):
            return
        from runofshow._qt.media.video_player import VideoCue, choose_screen  # QtMultimedia

        self.cue = VideoCue(engine, choose_screen(self.screen), parent=self)
        self.cue.error.connect(lambda text: self.mc.post_notice("video", text))
        self.cue.progress.connect(self.manager.show_playback)
        self.cue.state_changed.connect(self._state)

    def _state(self, state: str) -> None:
        if state in ("idle", "ended"):
            self.manager.clear_playback()
        if state == "playing":
            self.mc.clear_notice("video")


@dataclass
class StageSide:
    """What ``attach_stage_side`` built, kept on the MC's window so none of it is collected."""

    messages: StageMessages
    stage: ConfidenceDisplay
    cues: CueRunner
    manager: StageManagerWindow
    video: VideoSide

    def close(self) -> None:
        """The MC's window is closing: every window of the stage side goes with it."""
        if self.video.cue is not None:
            self.video.cue.close()
            self.video.cue = None
        self.manager.close()
        self.stage.close()


def attach_stage_side(
    mc: McWindow,
    stage_screen: int | None = None,
    show_manager: bool = False,
    video_screen: int | None = None,
) -> StageSide:
    """Build the stage side over ``mc``'s controller and wire it to the MC's window."""
    assert mc.controller is not None, "attach once the first show is open (McWindow.show_opened)"
    messages, stage, cues, manager = create_stage_side(
        mc.controller, settings=QSettings(), mc_actions=mc.actions
    )
    mc.blackout_changed.connect(stage.set_blackout)
    stage.blackout_changed.connect(mc.set_blackout)
    stage.placement_changed.connect(_PlacementNotice(mc))
    stage.avoid_screens = lambda: [w.screen() for w in (mc, manager) if w.isVisible()]
    mc.language_changed.connect(lambda _lang: manager.retranslate())
    mc.menuBar().addMenu(_menu(mc, stage, manager))
    if stage_screen is None or not stage.use_screen(stage_screen):
        stage.restore_screen()
    if show_manager:
        manager.show()
    return StageSide(messages, stage, cues, manager, VideoSide(mc, manager, video_screen))


def _menu(mc: McWindow, stage: ConfidenceDisplay, manager: StageManagerWindow):
    """The Stage menu on the MC's window, headed by the MC's own Ctrl+2 action (listed in the
    key overlay with the others), which now opens the stage manager's window."""
    mc.stage_manager_requested.connect(lambda: (manager.show(), manager.activateWindow()))
    menu = stage_menu(stage, mc.tr_, manager.actions_, mc)
    menu.insertAction(menu.actions()[0], mc.actions["stage_manager"])
    return menu


class _PlacementNotice:
    """Tells the MC when the stage display LEAVES its screen (moved or hidden after being on
    one). A laptop with no second screen starts with the display hidden: that is the normal
    state, not news for the notice bar."""

    def __init__(self, mc: McWindow) -> None:
        self.mc = mc
        self.was_shown = False

    def __call__(self, placement: Placement) -> None:
        if placement.state in ("moved", "hidden") and self.was_shown:
            self.mc.post_notice("stage", placement_text(placement, self.mc.tr_))
        else:
            self.mc.clear_notice("stage")
        self.was_shown = placement.number is not None


def attach_when_ready(
    mc: McWindow, stage_screen: int | None, show_manager: bool, video_screen: int | None = None
) -> None:
    """Attach the stage side once a show is open: after the first frame (it is not needed
    for it), or when a broken agenda at start-up has been fixed and its show opened."""

    def attach() -> None:
        if getattr(mc, "stage_side", None) is None:
            mc.stage_side = attach_stage_side(mc, stage_screen, show_manager, video_screen)

    if mc.controller is not None:
        QTimer.singleShot(0, attach)
    else:
        mc.show_opened.connect(attach)
