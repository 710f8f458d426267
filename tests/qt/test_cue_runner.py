"""Cues in the Qt shell: the standby chime and GO timing on a fake clock through the MC's
controller, and cue commands in QProcess: success, failure, not found, timeout (killed)."""

from __future__ import annotations

import dataclasses

import pytest
from qt_helpers import FakeSink, host_for

from runofshow._qt.show.cue_runner import CommandResult, CueCommand, CueRunner
from runofshow.core.agenda import Agenda, Cue
from runofshow.core.clock import FakeClock
from runofshow.core.cues import CueState
from runofshow.core.engine import ShowEngine

VIDEO = 3  # the hand-built show's video, planned 15:14:00 after two pitches


def with_video_cue(agenda: Agenda, command: tuple[str, ...] | None, timeout_s: int = 10) -> Agenda:
    segments = list(agenda.segments)
    segments[VIDEO] = dataclasses.replace(
        segments[VIDEO], cue=Cue("play 소개 영상", 30, command, timeout_s)
    )
    return dataclasses.replace(agenda, segments=tuple(segments))


def runner_for(agenda: Agenda, clock: FakeClock, sink: FakeSink) -> CueRunner:
    """A started show on ``agenda`` at 15:00, its controller with ``sink``, and a runner."""
    engine = ShowEngine(agenda, clock)
    host = host_for(engine)
    host.set_sink(sink)
    engine.start()
    host.controller.refresh()
    runner = CueRunner(host.controller, host)
    runner.host = host  # the test holds the runner; the runner holds its host
    return runner


def act(runner: CueRunner, name: str) -> bool:
    """A show command, as from a key: through the host that owns the runner."""
    return runner.host.execute(name).applied


def to_pitch_two(runner: CueRunner, clock: FakeClock) -> None:
    """Run the opening and pitch 1 to plan: pitch 2 (5:00 limit) starts at 15:09:30."""
    for seconds in (300, 270):
        clock.advance(seconds)
        act(runner, "next")


def step(runner: CueRunner, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    runner.controller.refresh()


def test_standby_chime_countdown_and_go(agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """Pitch 2 at 0:30 left: the video goes to standby with one chime; the countdown runs down
    each second without another chime; at 0:00 it is GO; A (acknowledge) clears GO."""
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    to_pitch_two(runner, clock)
    seen = []
    runner.status_changed.connect(seen.append)
    step(runner, clock, 269)
    assert runner.status is None
    step(runner, clock, 1)
    assert runner.status is not None and runner.status.state is CueState.STANDBY
    assert runner.status.until_go_s == pytest.approx(30)
    assert sink.played == ["standby"]
    step(runner, clock, 10)
    assert runner.status.until_go_s == pytest.approx(20)
    step(runner, clock, 20)
    assert runner.status.state is CueState.GO
    assert sink.played == ["standby"]
    assert len(seen) == 3
    assert act(runner, "acknowledge") is True
    assert runner.status is None


def test_muted_standby_is_silent(agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """With the MC's mute on, standby is shown but not heard."""
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    runner.controller.policy.muted = True
    to_pitch_two(runner, clock)
    step(runner, clock, 275)
    assert runner.status is not None and sink.played == []


def test_go_ends_when_the_video_runs(agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """GO lasts while pitch 2 overruns and ends when the MC starts the video."""
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    to_pitch_two(runner, clock)
    step(runner, clock, 320)
    assert runner.status is not None and runner.status.state is CueState.GO
    act(runner, "next")
    assert runner.status is None


def fire_video(qtbot, runner: CueRunner, clock: FakeClock) -> CommandResult:
    """Start the video segment and wait (on the event loop) for its command's result."""
    to_pitch_two(runner, clock)
    clock.advance(300)
    results: list[CommandResult] = []
    runner.command_changed.connect(results.append)
    with qtbot.waitSignal(runner.command_changed, timeout=5000, check_params_cb=_final):
        act(runner, "next")
        assert results and results[0].outcome == "running"
    qtbot.waitUntil(lambda: runner.running() == 0)
    return results[-1]


def _final(result: CommandResult) -> bool:
    return result.outcome != "running"


def test_command_success(qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """`true` runs when the video starts and is reported done."""
    runner = runner_for(with_video_cue(agenda, ("true",)), clock, sink)
    result = fire_video(qtbot, runner, clock)
    assert (result.outcome, result.exit_code, result.failed) == ("ok", 0, False)


def test_command_failure(qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """A command that exits 3 with a message is a failure with its code and stderr."""
    command = ("sh", "-c", "echo no such file >&2; exit 3")
    runner = runner_for(with_video_cue(agenda, command), clock, sink)
    result = fire_video(qtbot, runner, clock)
    assert (result.outcome, result.exit_code) == ("failed", 3)
    assert result.failed and result.stderr == "no such file"


def test_command_not_found(qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """A program that does not exist is reported as not found, not as a crash."""
    runner = runner_for(with_video_cue(agenda, ("runofshow-no-such-player",)), clock, sink)
    result = fire_video(qtbot, runner, clock)
    assert result.outcome == "not_found" and result.failed


def test_command_timeout_kills(qtbot) -> None:
    """`sleep 5` with a 0.2 s timeout is killed and reported as timed out, well before 5 s."""
    command = CueCommand(VIDEO, ("sleep", "5"), 0.2)
    with qtbot.waitSignal(command.finished, timeout=3000) as blocker:
        command.start()
    result = blocker.args[0]
    assert result.outcome == "timeout" and result.timeout_s == 0.2
    assert command.process.state() == command.process.ProcessState.NotRunning


def test_command_does_not_block(qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """While a slow command runs, the show goes on: the next action applies at once."""
    runner = runner_for(with_video_cue(agenda, ("sleep", "5"), timeout_s=1), clock, sink)
    to_pitch_two(runner, clock)
    clock.advance(300)
    act(runner, "next")
    assert runner.running() == 1
    clock.advance(2)
    assert act(runner, "next") is True
    with qtbot.waitSignal(runner.command_changed, timeout=5000):
        pass
    assert runner.last_command is not None and runner.last_command.outcome == "timeout"
