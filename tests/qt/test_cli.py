"""The command line of the window: options parsed, engines built, preferences applied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from runofshow._qt.app.main import build_session, create_window, main, parse_args
from runofshow.core.clock import RehearsalClock, SystemClock
from runofshow.core.loader import load_agenda
from runofshow.resources import default_agenda


def test_all_options_parse():
    """Every documented option reaches the namespace in its proper type."""
    args = parse_args(
        [
            "show.yaml",
            "--screen",
            "1",
            "--fullscreen",
            "--rehearse",
            "15:01",
            "--speed",
            "60",
            "--state-dir",
            "/tmp/state",
            "--lang",
            "ko",
            "--mute",
        ]
    )
    assert args.agenda == Path("show.yaml")
    assert (args.screen, args.fullscreen, args.rehearse, args.speed) == (1, True, 54060, 60.0)
    assert (args.state_dir, args.lang, args.mute) == (Path("/tmp/state"), "ko", True)


def test_defaults_are_the_bundled_agenda_live_at_real_speed():
    """No arguments: live show, real time, no agenda named (the bundled one is used)."""
    args = parse_args([])
    assert (args.agenda, args.rehearse, args.speed, args.lang) == (None, None, 1.0, None)


@pytest.mark.parametrize(
    "argv",
    [["--rehearse", "15:61"], ["--rehearse", "--speed", "61"], ["--speed", "2"], ["--lang", "fr"]],
)
def test_bad_options_are_refused(argv, capsys):
    """Nonsense times, speeds outside 1-60, --speed without --rehearse, unknown languages."""
    assert main(argv) != 0
    assert "usage: runofshow" in capsys.readouterr().err


def test_help_exits_cleanly(capsys):
    """--help prints the options and returns 0."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--screen", "--fullscreen", "--rehearse", "--speed", "--state-dir", "--lang"):
        assert option in out


def test_rehearsal_engine_starts_at_the_requested_time():
    """--rehearse 15:01 --speed 30 runs a simulated clock from 15:01 on the event's date."""
    agenda = load_agenda(default_agenda())
    engine = build_session(agenda, parse_args(["--rehearse", "15:01", "--speed", "30"])).engine
    assert engine.mode == "rehearsal"
    assert isinstance(engine.clock, RehearsalClock) and engine.clock.speed == 30.0
    local = engine.local_time(engine.clock.wall())
    assert (local.date(), local.hour, local.minute) == (dt.date(2022, 11, 30), 15, 1)


def test_live_engine_runs_on_the_system_clock():
    """Without --rehearse the show is live on the real clock."""
    engine = build_session(load_agenda(default_agenda()), parse_args([])).engine
    assert engine.mode == "live" and isinstance(engine.clock, SystemClock)


def test_create_window_applies_language_and_mute(qtbot):
    """--lang and --mute reach the window; the bundled agenda is loaded."""
    window = create_window(parse_args(["--lang", "ko", "--mute", "--rehearse"]))
    qtbot.addWidget(window)
    assert window.tr_.lang == "ko" and window.host.muted
    assert window.host.controller is not None
    assert window.host.controller.display.rehearsal == "리허설 ×1"
