"""The stage side attached to the MC's window: stage manager, confidence display, messages.

One controller drives everything (one engine, one journal, one undo), so the MC and the stage
manager never fight. The MC's window and the confidence display share the blackout flag both
ways; when the stage display loses its screen, the MC's notice bar says where it went. The
stage manager's window opens from the Stage menu (Ctrl+2) or with ``--stage-manager``; the
confidence display goes to ``--stage-screen N``, else its remembered screen, else a screen no
operator window is on, else it stays hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence

from runofshow._qt.confidence_display import ConfidenceDisplay, Placement, placement_text
from runofshow._qt.cue_runner import CueRunner
from runofshow._qt.mc_window import McWindow
from runofshow._qt.stage_manager import StageManagerWindow, create_stage_side, stage_menu
from runofshow._qt.stage_messages import StageMessages

STAGE_MANAGER_KEY = "Ctrl+2"


@dataclass
class StageSide:
    messages: StageMessages
    stage: ConfidenceDisplay
    cues: CueRunner
    manager: StageManagerWindow


def attach_stage_side(
    mc: McWindow, stage_screen: int | None = None, show_manager: bool = False
) -> StageSide:
    """Build the stage side over ``mc``'s controller and wire it to the MC's window."""
    assert mc.controller is not None, "attach once the first show is open (McWindow.show_opened)"
    messages, stage, cues, manager = create_stage_side(
        mc.controller, settings=QSettings(), mc_actions=mc.actions
    )
    mc.blackout_changed.connect(stage.set_blackout)
    stage.blackout_changed.connect(mc.set_blackout)
    stage.placement_changed.connect(lambda p: _placement_notice(mc, p))
    stage.avoid_screens = lambda: [w.screen() for w in (mc, manager) if w.isVisible()]
    mc.language_changed.connect(lambda _lang: manager.retranslate())
    mc.menuBar().addMenu(_menu(mc, stage, manager))
    if stage_screen is None or not stage.use_screen(stage_screen):
        stage.restore_screen()
    if show_manager:
        manager.show()
    return StageSide(messages, stage, cues, manager)


def _menu(mc: McWindow, stage: ConfidenceDisplay, manager: StageManagerWindow):
    menu = stage_menu(stage, mc.tr_, manager.actions_, mc)
    open_manager = QAction(mc.tr_("action.stage_manager"), mc)
    open_manager.setShortcut(QKeySequence(STAGE_MANAGER_KEY))
    open_manager.triggered.connect(lambda: (manager.show(), manager.activateWindow()))
    mc.addAction(open_manager)
    menu.insertAction(menu.actions()[0], open_manager)
    return menu


def _placement_notice(mc: McWindow, placement: Placement) -> None:
    """Only a display that left its screen (moved or hidden) is news the MC must see."""
    if placement.state in ("moved", "hidden"):
        mc.post_notice("stage", placement_text(placement, mc.tr_))
    else:
        mc.clear_notice("stage")


def attach_when_ready(mc: McWindow, stage_screen: int | None, show_manager: bool) -> None:
    """Attach the stage side once a show is open: after the first frame (it is not needed
    for it), or when a broken agenda at start-up has been fixed and its show opened."""

    def attach() -> None:
        if getattr(mc, "stage_side", None) is None:
            mc.stage_side = attach_stage_side(mc, stage_screen, show_manager)

    if mc.controller is not None:
        QTimer.singleShot(0, attach)
    else:
        mc.show_opened.connect(attach)
