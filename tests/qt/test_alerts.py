"""Phases change colour and words at the right instants; the pitch limit cannot be missed."""

from __future__ import annotations

import pytest
from qt_helpers import advance

from runofshow._qt.widgets.phase_style import DANGER, NORMAL, OVERTIME_OFF, OVERTIME_ON, WRAPUP
from runofshow.core.engine import Phase


def start_pitch(window, engine, clock, index: int = 1) -> None:
    """Start the show and go to segment ``index`` (a 5:00-limit pitch)."""
    engine.start()
    engine.goto(index)
    window.host.controller.refresh()


@pytest.mark.parametrize(
    ("elapsed", "countdown", "word", "style"),
    [
        (0, "5:00", "", NORMAL),
        (239.5, "1:01", "", NORMAL),
        (240, "1:00", "WRAP UP", WRAPUP),
        (269.9, "0:31", "WRAP UP", WRAPUP),
        (270, "0:30", "TIME", DANGER),
        (299.9, "0:01", "TIME", DANGER),
        (300, "+0:00", "+0:00 OVER", OVERTIME_ON),
        (312.1, "+0:12", "+0:12 OVER", OVERTIME_ON),
        (312.3, "+0:12", "+0:12 OVER", OVERTIME_OFF),
    ],
)
def test_phase_colour_and_words_at_each_instant(
    window, engine, clock, elapsed, countdown, word, style
):
    """A 5:00 pitch: wrap-up (yellow) at 1:00 left, danger (red) at 0:30, overtime at the
    limit, flashing twice a second; the words say the same for readers without colour."""
    start_pitch(window, engine, clock)
    advance(window, clock, elapsed)
    view = window.view
    assert view.countdown.text() == countdown
    assert view.phase_word.text() == word
    assert view.style_ == style
    assert view.countdown_background() == style.background


def test_pitch_past_its_limit_is_impossible_to_miss(window, engine, clock, sink):
    """At the limit the whole display goes to overtime, the count goes up, one time-up chime
    plays, and the control area names the pitch and how far over it is."""
    start_pitch(window, engine, clock)
    advance(window, clock, 299.5)
    sink.played.clear()
    advance(window, clock, 0.5)
    assert sink.played == ["timeup"]
    for _ in range(50):
        advance(window, clock, 0.25)
    assert sink.played == ["timeup"]
    assert engine.now().phase is Phase.OVERTIME
    assert window.view.countdown.text() == "+0:12"
    assert window.view.over_limit.text() == "김발표 — ① 첫 피칭: 0:12 over its 5:00 limit"
    assert window.view.order.rows()[1].state == "current"


def test_one_chime_per_phase_in_order(window, engine, clock, sink):
    """Wrap-up, danger and time-up each chime exactly once, however often the window wakes."""
    start_pitch(window, engine, clock)
    for _ in range(320 * 4):
        advance(window, clock, 0.25)
    assert sink.played == ["wrapup", "danger", "timeup"]


def test_a_late_wake_still_chimes_once(window, engine, clock, sink):
    """A laptop that slept through wrap-up and danger wakes in overtime: only time-up plays."""
    start_pitch(window, engine, clock)
    advance(window, clock, 400)
    assert sink.played == ["timeup"]


def test_mute_silences_chimes_but_not_the_display(window, engine, clock, sink):
    """Muted, the display still turns red and counts up; nothing plays."""
    window.host.set_muted(True)
    start_pitch(window, engine, clock)
    advance(window, clock, 305)
    assert sink.played == []
    assert window.view.style_ in (OVERTIME_ON, OVERTIME_OFF)


def test_segment_with_sounds_off_stays_silent(window, engine, clock, sink):
    """A segment marked ``sounds: off`` never chimes, but still shows its phases."""
    start_pitch(window, engine, clock, index=2)
    advance(window, clock, 305)
    assert sink.played == []
    assert window.view.phase_word.text() == "+0:05 OVER"


def test_keys_do_not_chime(qtbot, window, engine, clock, sink):
    """Removing time by key into danger changes the colour but plays no chime: chimes mark
    time running out, not the MC's own actions."""
    start_pitch(window, engine, clock)
    window.host.execute("add", {"seconds": -280})
    assert window.view.style_ == DANGER
    assert sink.played == []


def test_no_sound_badge_when_there_is_no_audio_output(window, sink):
    """No audio device: a visible badge says so, and the visual alerts stay."""
    assert "NO SOUND" not in window.view.badges.text()
    sink.available = False
    window.host.set_sink(sink)
    assert "NO SOUND" in window.view.badges.text()


def test_undo_restores_the_display(window, engine, clock):
    """Undoing an added minute puts the countdown and colour back as they were."""
    start_pitch(window, engine, clock)
    advance(window, clock, 250)
    assert window.view.style_ == WRAPUP
    window.host.execute("add", {"seconds": 60})
    assert window.view.countdown.text() == "1:50"
    assert window.view.style_ == NORMAL
    window.host.execute("undo")
    assert window.view.countdown.text() == "0:50"
    assert window.view.style_ == WRAPUP
