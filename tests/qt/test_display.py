"""The words of the display, read from the engine at one instant."""

from __future__ import annotations

import pytest

from runofshow._qt.i18n import Translator
from runofshow._qt.show.display import countdown_template, describe, drift_words


@pytest.mark.parametrize(
    ("lang", "drift", "words"),
    [
        ("en", 130, "2:10 behind"),
        ("en", -65, "1:05 ahead"),
        ("en", 0.4, "on time"),
        ("ko", 130, "2:10 늦음"),
        ("ko", -65, "1:05 빠름"),
    ],
)
def test_drift_in_words(lang, drift, words):
    """The show against its plan, as the MC says it."""
    assert drift_words(drift, Translator(lang)) == words


def describe_now(engine, lang="en"):
    return describe(engine.now(), engine.agenda, engine.local_time, Translator(lang))


def test_segment_next_and_times(engine, clock):
    """Title, English subtitle, speaker, kind; the next speaker and title with the projected
    start; the time of day; drift and projected end against the plan."""
    engine.start()
    clock.advance(330)  # the 5:00 opening runs 30 s over
    shown = describe_now(engine)
    assert (shown.title, shown.subtitle, shown.speaker) == ("개회", "Opening", "사회자")
    assert shown.kind == "Ceremony" and shown.position == "1 of 5"
    assert shown.next_line == "NEXT: 김발표 — ① 첫 피칭"
    assert shown.next_time == "at 15:05"
    assert shown.clock == "15:05"
    assert shown.drift == "0:30 behind"
    assert shown.end_line == "End 15:25:30 (plan 15:25)"


def test_ready_and_paused_are_named(engine, clock):
    """Before the start and while paused, the phase line says so."""
    assert describe_now(engine).phase_word == "READY"
    engine.start()
    engine.pause()
    assert describe_now(engine, "ko").phase_word == "일시정지"


def test_the_template_is_the_segment_widest_text(engine, clock):
    """A five-minute countdown is sized for 8:88, overtime for +8:88, long overtime +88:88."""
    engine.start()
    assert countdown_template(engine.now()) == "8:88"
    clock.advance(301)
    assert countdown_template(engine.now()) == "+8:88"
    clock.advance(600)
    assert countdown_template(engine.now()) == "+88:88"


def test_the_end_of_the_show_reads_as_the_end(engine, clock):
    """After the last segment the window says SHOW ENDED with the time it ended (a time of
    day, h:mm:ss, never a "+0:00" countdown) against the plan, and nothing comes next."""
    engine.start()
    for seconds in (300, 270, 270, 300):
        clock.advance(seconds)
        engine.next()
    clock.advance(372)  # the close runs 12 s over its 6:00
    engine.next()  # past the last segment: the show ends
    shown = describe_now(engine)
    assert shown.phase_word == "SHOW ENDED"
    assert shown.countdown == "15:25:12" and shown.template == "88:88:88"
    assert shown.next_line == "The show is over: planned end 15:25, 0:12 behind"
    assert shown.next_time == "" and shown.over_limit == ""
    assert shown.end_line == "Ended at 15:25:12"
    assert describe_now(engine, "ko").phase_word == "행사 종료"


def test_a_show_ended_mid_segment_shows_its_progress_bar_full(engine, clock):
    """Ended early (End mid-segment), the MC's bar stood half full under SHOW ENDED, as if
    the segment were still going: a show that is over shows its bar complete."""
    engine.start()
    clock.advance(100)
    engine.end_show()
    assert describe_now(engine).progress == 1.0


def test_time_taken_away_is_not_a_zero_limit(engine, clock):
    """The MC removes all of a segment's time: the over line says the time was taken away,
    not "over its 0:00 limit"."""
    engine.start()
    engine.add_time(-600)
    clock.advance(5)
    line = describe_now(engine).over_limit
    assert line == "사회자 — 개회: 0:05 over (all its time was taken away)"
    assert "0:00 limit" not in line
