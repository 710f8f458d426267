"""Quitting safely, remembered preferences, and the language of the interface."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from qt_helpers import advance

from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.i18n import CATALOGUE, LANGUAGES, choose_language


def test_quitting_a_live_show_asks_first(qtbot, window, engine, monkeypatch, yes_to_questions):
    """Answering No keeps the window open; Yes quits (the journal keeps the show anyway)."""
    engine.start()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not window.close()
    assert window.isVisible()
    monkeypatch.undo()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.close()


def test_quitting_before_the_show_does_not_ask(window, yes_to_questions):
    """Nothing running, nothing to lose: no question."""
    assert window.close()
    assert yes_to_questions == []


def test_rehearsal_quits_without_asking(window, engine, yes_to_questions):
    """A rehearsal is not a live show."""
    engine.mode = "rehearsal"
    engine.start()
    assert window.close()
    assert yes_to_questions == []


def test_mute_language_and_geometry_are_remembered(window, private_settings):
    """Closing saves mute, language and geometry into the (temporary) settings folder."""
    window.host.set_muted(True)
    window.set_language("ko")
    window.close()
    remembered = WindowSettings()
    assert remembered.muted() is True
    assert remembered.language() == "ko"
    assert remembered.geometry() is not None
    assert str(private_settings) in remembered.store.fileName()


def test_every_message_exists_in_both_languages():
    """No key is missing a translation, and placeholders match between languages."""
    for key, texts in CATALOGUE.items():
        assert set(texts) == set(LANGUAGES), key
        assert texts["en"].count("{") == texts["ko"].count("{"), key


@pytest.mark.parametrize(
    ("requested", "remembered", "expected"),
    [("ko", "en", "ko"), (None, "ko", "ko"), (None, "fr", "en"), ("en", None, "en")],
)
def test_language_choice_order(monkeypatch, requested, remembered, expected):
    """--lang wins over the remembered choice, which wins over the system's (English here)."""
    monkeypatch.setattr("runofshow._qt.i18n.system_language", lambda: "en")
    assert choose_language(requested, remembered) == expected


def test_switching_language_rewrites_the_window(window, engine, clock):
    """The menu's language switch changes phase words, menus and actions at once."""
    engine.start()
    advance(window, clock, 250)
    assert window.view.phase_word.text() == "WRAP UP"
    window.set_language("ko")
    assert window.view.phase_word.text() == "마무리"
    assert window.menus["show"].title() == "진행(&S)"
    assert window.actions_["next"].text() == "다음"
    assert window.view.next_line.text().startswith("다음: 김발표")


def test_a_language_from_the_system_or_lang_is_not_remembered(window, private_settings):
    """Only a language picked in the menu sticks: a run in the system's language (or with
    --lang) leaves nothing behind that would override LANG next time, as --help says."""
    window.host.set_muted(True)
    window.close()
    assert WindowSettings().language() is None


def test_menu_mnemonics_are_unique_per_menu_bar(window):
    """Alt plus a letter opens one menu, in both languages (시간(T) and 무대(T) clashed)."""
    for lang in ("en", "ko"):
        window.set_language(lang)
        letters = []
        for action in window.menuBar().actions():
            title = action.text()
            if "&" in title:
                letters.append(title[title.index("&") + 1].lower())
        assert len(letters) == len(set(letters)), (lang, letters)


def test_an_undo_says_what_it_undid(window, engine, clock):
    """Ctrl+Z takes back a stray next and the notice bar says so, in the MC's language."""
    window.host.execute("start")
    clock.advance(5)
    window.host.execute("next")
    window.host.execute("undo")
    assert "Undone: next" in window.view.notice.text()
    window.set_language("ko")
    clock.advance(1)
    window.host.execute("add", {"seconds": 60})
    window.host.execute("undo")
    assert "실행 취소: +60초" in window.view.notice.text()
