"""The consent dialog: every command an agenda would run, shown as it would be started, in
Korean and English; "Not now" is the default, "Allow these commands" is remembered."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from runofshow._qt.i18n import Translator
from runofshow._qt.windows.consent_dialog import ConsentDialog, ask_consent
from runofshow.core.agenda import Agenda, Cue
from runofshow.core.consent import CommandConsent


@pytest.fixture
def with_commands(agenda: Agenda) -> Agenda:
    """The hand-built show with a player on the video (detached) and a lights cue after it."""
    segments = list(agenda.segments)
    segments[3] = dataclasses.replace(
        segments[3], cue=Cue("roll it", 30, ("vlc", "--fullscreen", "my clip.mp4"), 20, detach=True)
    )
    segments[4] = dataclasses.replace(
        segments[4], cue=Cue("lights", 30, ("lights", "--scene", "awards; rm -rf ~"), 5)
    )
    return dataclasses.replace(agenda, segments=tuple(segments))


def rows(dialog: ConsentDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_every_command_is_listed_exactly_as_it_would_run(qtbot, with_commands):
    """Program and arguments quoted as a shell would need them (they never go through one),
    monospace, with the segment that fires each and how long it runs."""
    dialog = ConsentDialog(Translator("en"), with_commands)
    qtbot.addWidget(dialog)
    video, lights = with_commands.segments[3], with_commands.segments[4]
    assert rows(dialog) == [
        [
            f"4. {video.title}",
            "vlc --fullscreen 'my clip.mp4'",
            "left running (detach; 20 s to start)",
        ],
        [f"5. {lights.title}", "lights --scene 'awards; rm -rf ~'", "stopped after 5 s"],
    ]
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    assert dialog.table.item(0, 1).font().family() == mono
    assert dialog.windowTitle() == "Allow cue commands?"
    assert "runs 2 program(s)" in dialog.intro.text() and "Nothing runs" in dialog.intro.text()


def test_the_dialog_speaks_korean(qtbot, with_commands):
    dialog = ConsentDialog(Translator("ko"), with_commands)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "큐 명령을 허용할까요?"
    assert dialog.allow_button.text() == "이 명령 허용"
    assert rows(dialog)[1][2] == "5초 뒤 중지"


def test_not_now_is_the_default_and_allowing_is_remembered(qtbot, with_commands, tmp_path):
    """Enter on the dialog declines (nothing is approved); a click on "Allow these commands"
    approves, and the next time nothing is asked."""
    consent = CommandConsent(tmp_path)

    def press(key_or_button):
        def act():
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, ConsentDialog)
            assert dialog.not_now_button.isDefault()
            if key_or_button == "enter":
                qtbot.keyClick(dialog, Qt.Key.Key_Return)
            else:
                dialog.allow_button.click()

        QTimer.singleShot(0, act)

    press("enter")
    assert ask_consent(None, Translator("en"), with_commands, consent) is False
    assert not consent.approved(with_commands)
    press("allow")
    assert ask_consent(None, Translator("en"), with_commands, consent) is True
    assert CommandConsent(tmp_path).approved(with_commands)
    assert ask_consent(None, Translator("en"), with_commands, consent) is True  # not asked


def test_the_app_asks_once_its_window_is_up_and_remembers_the_yes(
    qtbot, with_commands, tmp_path, monkeypatch
):
    """Opened on an agenda with commands, the MC's window says on the notice bar that none
    will run until allowed, and (after the first frame) asks with the dialog; Allow takes the
    notice off, lets the cue runner run them, and is remembered for these commands."""
    from qt_helpers import make_window

    from runofshow._qt.app.main import first_frame_shown
    from runofshow.core.clock import FakeClock

    asked: list[str] = []

    def accept(dialog) -> int:
        asked.append(dialog.windowTitle())
        return ConsentDialog.DialogCode.Accepted

    monkeypatch.setattr(ConsentDialog, "exec", accept)
    window = make_window(qtbot, FakeClock())
    window.host.consent = CommandConsent(tmp_path / "state")
    from runofshow.core.engine import ShowEngine

    window.host.start_show(ShowEngine(with_commands, FakeClock()))
    assert "2 cue command(s) nobody has allowed yet" in window.view.notice.text()
    assert not window.host.commands_allowed(with_commands)
    first_frame_shown(window)
    assert len(asked) == 1
    assert window.host.commands_allowed(with_commands)
    assert "cue command" not in window.view.notice.text()
    assert CommandConsent(tmp_path / "state").approved(with_commands)
