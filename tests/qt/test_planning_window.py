"""Planning the show as it runs, in the windows: roll mode's "starts in" and the R key, the
stage manager's plan to land on time and its what-if, a pitch tied to its Q&A, and the
bundled demo day opening in the window."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from qt_helpers import FakeSink, at, hand_agenda, make_window, opened, window_with_stage_side

from runofshow._qt.widgets.running_order_model import Column
from runofshow.core import actions as act
from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine, Status
from runofshow.resources import agendas_dir


def rolled(agenda: Agenda) -> Agenda:
    import dataclasses

    segments = tuple(dataclasses.replace(s, roll=True) for s in agenda.segments)
    return dataclasses.replace(agenda, segments=segments)


def shown(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.mark.parametrize(("lang", "word"), [("en", "STARTS IN 1:00"), ("ko", "1:00 후 시작")])
def test_a_roll_show_says_when_it_starts_and_starts_with_no_key(qtbot, lang, word):
    """14:59: the MC sees the first segment and "starts in 1:00"; at 15:00 it runs by
    itself, with nothing journaled."""
    clock = FakeClock(wall=at(14, 59))
    window = shown(qtbot, make_window(qtbot, clock, lang))
    window.host.start_show(ShowEngine(rolled(hand_agenda()), clock))
    display = window.host.controller.display
    assert display.phase_word == word
    assert display.title == "개회"
    clock.advance(59.5)
    window.host.controller.refresh()
    assert "0:01" in window.host.controller.display.phase_word
    clock.advance(0.5)
    window.host.controller.refresh()
    now = window.host.engine.now()
    assert (now.status, now.index) == (Status.RUNNING, 0)
    assert window.host.engine.actions == []


def test_r_takes_a_roll_show_over_and_hands_it_back(qtbot):
    """R in the MC's window journals the takeover (the show menu's Roll unchecks); R again
    hands the show back to the clock."""
    clock = FakeClock(wall=at(14, 59))
    window = shown(qtbot, make_window(qtbot, clock))
    engine = ShowEngine(rolled(hand_agenda()), clock)
    window.host.start_show(engine)
    assert window.actions_["roll"].isChecked()
    QTest.keySequence(window, QKeySequence("R"))
    assert [a.name for a in engine.actions] == [act.ROLL] and not engine.now().rolling
    assert not window.actions_["roll"].isChecked()
    clock.advance(120)
    window.host.controller.refresh()
    assert engine.now().status is Status.READY  # taken over: nothing starts by itself
    assert window.host.controller.display.phase_word == "READY"
    QTest.keySequence(window, QKeySequence("R"))
    assert engine.now().status is Status.RUNNING  # handed back: it starts (late) at once


@pytest.mark.parametrize(
    ("lang", "rolling", "taken"), [("en", "ROLL", "TAKEN OVER"), ("ko", "자동 진행", "수동 진행")]
)
def test_both_windows_say_whether_the_clock_or_the_keys_move_the_show_on(
    qtbot, lang, rolling, taken
):
    """During a roll pitch the screens looked the same rolling and taken over: after an R
    (a letter key, easily hit) nothing said that the Q&A would no longer start by itself.
    The MC's status line and the stage manager's say which it is, and follow R."""
    clock = FakeClock(wall=at(15, 1))
    engine = ShowEngine(rolled(hand_agenda()), clock)
    mc, stage_side = window_with_stage_side(qtbot, clock, engine)
    mc.host.tr_.lang = lang
    shown(qtbot, mc)
    manager = stage_side.manager

    def lines() -> tuple[str, str]:
        mc.host.controller.refresh()
        return mc.view.badges.text(), manager.stage_line.text()

    assert all(rolling in line and taken not in line for line in lines()), lines()
    QTest.keySequence(mc, QKeySequence("R"))
    assert not engine.now().rolling
    assert all(taken in line for line in lines()), lines()
    QTest.keySequence(mc, QKeySequence("R"))
    assert all(rolling in line and taken not in line for line in lines()), lines()


def test_a_show_with_nothing_to_roll_says_nothing_of_roll_mode(qtbot):
    clock = FakeClock(wall=at(15, 1))
    mc, stage_side = window_with_stage_side(qtbot, clock, ShowEngine(hand_agenda(), clock))
    mc.host.controller.refresh()
    assert "ROLL" not in mc.view.badges.text() + stage_side.manager.stage_line.text()


@pytest.fixture
def side(qtbot, clock: FakeClock):
    """The stage manager's window over the hand-built show, started at 15:00 and run
    until pitch 1 (index 1) is 2:00 past its 4:30 slot."""
    engine = ShowEngine(hand_agenda(), clock)
    _mc, stage_side = window_with_stage_side(qtbot, clock, engine)
    stage_side.host.set_sink(FakeSink())
    window = stage_side.manager
    window.resize(1400, 900)
    shown(qtbot, window)
    host = window.host
    host.execute("start")
    clock.advance(300)
    host.execute("next")
    clock.advance(270 + 120)
    host.controller.refresh()
    qtbot.waitUntil(lambda: window.landing.plan is not None)  # the first, after the paint
    return window


def test_the_landing_plan_is_proposed_applied_and_undone(side, clock):
    """Two minutes behind, the panel proposes the cuts and the end they give; Apply is one
    journaled plan (the table shows the new lengths), Ctrl+Z takes it back."""
    landing = side.landing
    engine = side.host.engine
    assert landing.state.text() == "2:00 behind: projected end 15:27:00, target 15:25:00"
    assert landing.proposal.text().endswith("→ ends 15:25:00")
    assert landing.apply_button.isEnabled()
    landing.apply_button.click()
    assert engine.actions[-1].name == act.PLAN
    assert engine.actions[-1].source == "menu"  # a button, not a key (the journal said key)
    assert engine.now().projected_end == pytest.approx(at(15, 25), abs=1)
    side.host.controller.refresh()
    assert landing.state.text().startswith("On time: projected end 15:25:00")
    assert not landing.apply_button.isEnabled()
    lengths = [side.model.data(side.model.index(row, Column.LENGTH)) for row in range(5)]
    assert any("→" in text for text in lengths), lengths
    QTest.keySequence(side, QKeySequence("Ctrl+Z"))
    side.host.controller.refresh()
    assert "the plan" in side.host.notices["undo"]
    assert engine.now().drift_s == pytest.approx(120)
    assert landing.apply_button.isEnabled()


def test_a_slow_plan_is_worked_out_after_the_repaint_not_in_it(qtbot, side, clock, monkeypatch):
    """On a huge agenda a plan takes a large share of a second: the table repaints at once
    (a key press, a second of overtime) and the plan follows a moment later, at most a tenth
    of the time (a 20,000-row agenda's next + repaint stays within a frame)."""
    import runofshow._qt.widgets.landing_plan as landing_module

    landing = side.landing
    real = landing_module.landing_plan
    calls: list[float] = []

    def slow(engine, target=None):
        calls.append(clock.wall())
        return real(engine, target)

    monkeypatch.setattr(landing_module, "landing_plan", slow)
    landing._cost_s = 0.05  # as a 20,000-row agenda's plans take (0.4 s there)
    before = landing.state.text()
    clock.advance(60)  # a minute more of overtime
    side.host.controller.refresh()
    assert calls == [] and landing.state.text() == before  # not in the repaint
    qtbot.waitUntil(lambda: bool(calls), timeout=2000)
    assert landing.state.text().startswith("3:00 behind")


def test_a_target_time_that_is_not_one_says_so(side):
    side.landing.target.setText("half past")
    side.landing.target.editingFinished.emit()
    assert side.landing.state.text() == "Not a time of day: half past"
    assert not side.landing.apply_button.isEnabled()


def test_what_if_shows_the_show_with_other_lengths_until_applied(side, clock):
    """The close (segment 5) at +2:00: the table's projected times and the words show the
    what-if, nothing is journaled; Apply journals it, Clear goes back."""
    what_if, engine = side.what_if, side.host.engine
    assert what_if.segment.currentIndex() == 2  # it offers the segment after the one on
    before = len(engine.actions)
    projected = side.model.data(side.model.index(4, Column.PROJECTED))
    what_if.segment.setCurrentIndex(4)
    what_if.length.setText("+2m")
    QTest.keyClick(what_if.length, Qt.Key.Key_Return)  # Enter tries it (not "next")
    assert engine.now().index == 1 and len(engine.actions) == before
    assert what_if.tried == {4: "+2m"}
    assert side.model.data(side.model.index(4, Column.PROJECTED)) == projected
    assert side.model.data(side.model.index(4, Column.LENGTH)) == "6:00→8:00"
    assert what_if.state.text().startswith("NOT APPLIED")
    assert "ends 15:29:00 (4:00 behind)" in what_if.state.text()
    what_if.buttons["apply"].click()
    assert engine.actions[-1].name == act.PLAN and what_if.tried == {}
    assert engine.actions[-1].source == "menu"  # a button, not a key (the journal said key)
    assert engine.now().projected_end == pytest.approx(at(15, 29), abs=1e-6)
    assert side.model.data(side.model.index(4, Column.LENGTH)) == "6:00→8:00"


def test_what_if_refuses_what_it_cannot_read(side):
    what_if = side.what_if
    what_if.segment.setCurrentIndex(2)
    what_if.length.setText("soon")
    what_if.try_length()
    assert what_if.tried == {} and "'soon' is not a duration" in what_if.state.text()


def test_the_planning_words_exist_in_korean(side):
    side.host.set_language("ko")
    side.retranslate()
    assert side.landing.heading.text() == "정시 종료"
    assert side.what_if.buttons["try"].text() == "해 보기"
    assert side.landing.state.text().startswith("2:00 늦음")


def test_the_demo_day_opens_and_ties_each_pitch_to_its_qa(qtbot):
    """The bundled demo day loads in the window; its Q&As are marked as the second timer of
    their pitch in the MC's running order and the stage manager's."""
    zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
    wall = dt.datetime(2025, 4, 17, 9, 55, tzinfo=zone).timestamp()
    clock = FakeClock(wall=wall)
    window = shown(qtbot, make_window(qtbot, clock))
    assert opened(qtbot, window, agendas_dir() / "demo-day-morning.yaml")
    assert window.view.title.text() == "Welcome and the jury"
    mc_titles = [row.title for row in window.host.controller.order]
    assert mc_titles[1:3] == ["Loomwork: textile recycling at industrial scale", "└ Q&A: Loomwork"]
    _mc, stage_side = window_with_stage_side(qtbot, clock, window.host.engine)
    model = stage_side.manager.model
    titles = [model.data(model.index(row, Column.TITLE)) for row in range(model.rowCount())]
    assert "└ Q&A: Loomwork" in titles and "Loomwork: textile recycling at industrial scale" in (
        titles
    )
    assert window.host.engine.rolls
