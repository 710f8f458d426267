"""Cues in the Qt shell: the standby chime and GO timing on a fake clock through the MC's
controller, and cue commands in QProcess: success, failure, not found, timeout (killed)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest
from qt_helpers import FakeSink, host_for

from runofshow._qt.i18n import Translator
from runofshow._qt.show.cue_runner import CommandResult, CueCommand, CueRunner
from runofshow.core.agenda import Agenda, Cue
from runofshow.core.clock import FakeClock
from runofshow.core.consent import CommandConsent, allow_nothing
from runofshow.core.cues import CueState
from runofshow.core.engine import ShowEngine

VIDEO = 3  # the hand-built show's video, planned 15:14:00 after two pitches


def with_video_cue(agenda: Agenda, command: tuple[str, ...] | None, timeout_s: int = 10) -> Agenda:
    segments = list(agenda.segments)
    segments[VIDEO] = dataclasses.replace(
        segments[VIDEO], cue=Cue("play 소개 영상", 30, command, timeout_s)
    )
    return dataclasses.replace(agenda, segments=tuple(segments))


def allow_all(_agenda: Agenda) -> bool:
    """The operator has allowed the agenda's commands (the consent dialog's "Allow")."""
    return True


def runner_for(agenda: Agenda, clock: FakeClock, sink: FakeSink, allowed=allow_all) -> CueRunner:
    """A started show on ``agenda`` at 15:00, its controller with ``sink``, and a runner
    whose consent predicate is ``allowed``."""
    engine = ShowEngine(agenda, clock)
    host = host_for(engine)
    host.set_sink(sink)
    engine.start()
    host.controller.refresh()
    runner = CueRunner(host.controller, host, allowed=allowed)
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
    """Pitch 2 with 0:30 of its 4:30 slot left: the video goes to standby with one chime; the
    countdown runs down each second without another chime and holds at 0:00 while the pitch
    goes on; when the video starts it is GO; A (acknowledge) clears GO."""
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    to_pitch_two(runner, clock)
    seen = []
    runner.status_changed.connect(seen.append)
    step(runner, clock, 239)
    assert runner.status is None
    step(runner, clock, 1)
    assert runner.status is not None and runner.status.state is CueState.STANDBY
    assert runner.status.until_go_s == pytest.approx(30)
    assert sink.played == ["standby"]
    step(runner, clock, 10)
    assert runner.status.until_go_s == pytest.approx(20)
    step(runner, clock, 25)
    assert runner.status.state is CueState.STANDBY and runner.status.until_go_s == 0
    assert act(runner, "next") is True
    assert runner.status.state is CueState.GO
    assert sink.played == ["standby"]
    assert len(seen) == 4
    assert act(runner, "acknowledge") is True
    assert runner.status is None


def test_muted_standby_is_silent(agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """With the MC's mute on, standby is shown but not heard."""
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    runner.controller.policy.muted = True
    to_pitch_two(runner, clock)
    step(runner, clock, 275)
    assert runner.status is not None and sink.played == []


def test_go_comes_when_the_video_runs(agenda: Agenda, clock: FakeClock, sink: FakeSink) -> None:
    """Standby holds at 0:00 while pitch 2 overruns; GO comes when the MC starts the video,
    and goes when the stage manager acknowledges it."""
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    to_pitch_two(runner, clock)
    step(runner, clock, 320)
    assert runner.status is not None and runner.status.state is CueState.STANDBY
    act(runner, "next")
    assert runner.status is not None and runner.status.state is CueState.GO
    act(runner, "acknowledge")
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


# -- consent ---------------------------------------------------------------------------------
def test_a_command_nobody_allowed_does_not_run_and_says_how_to_allow_it(
    qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink, tmp_path
) -> None:
    """Without the operator's consent (the runner's default) the video's command is not run:
    the marker file it would create never appears, and the stage manager is told it was not
    allowed and where to allow it."""
    marker = tmp_path / "ran"
    runner = runner_for(
        with_video_cue(agenda, ("touch", str(marker))), clock, sink, allowed=allow_nothing
    )
    to_pitch_two(runner, clock)
    clock.advance(300)
    results: list[CommandResult] = []
    runner.command_changed.connect(results.append)
    act(runner, "next")
    assert [r.outcome for r in results] == ["not_allowed"] and results[0].failed
    assert runner.running() == 0 and not marker.exists()
    text = Translator("en")("cue.not_allowed", cmd=results[0].command_line)
    assert text.startswith("CUE COMMAND NOT ALLOWED: touch") and "Show ▸ Allow cue commands" in text
    assert "큐 명령" in Translator("ko")("cue.not_allowed", cmd="x")


def test_a_follower_runs_no_cue_command_the_laptop_that_runs_the_show_does(
    qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink, tmp_path
) -> None:
    """A laptop following another's show (docs/two-machines.md) runs no cue command, even
    allowed: the primary runs it, once for the show. Its stage manager is told where."""
    marker = tmp_path / "ran"
    runner = runner_for(with_video_cue(agenda, ("touch", str(marker))), clock, sink)
    runner.runs_here = lambda: False
    to_pitch_two(runner, clock)
    clock.advance(300)
    results: list[CommandResult] = []
    runner.command_changed.connect(results.append)
    act(runner, "next")
    assert [r.outcome for r in results] == ["elsewhere"] and not results[0].failed
    assert runner.running() == 0 and not marker.exists()
    text = Translator("en")("cue.elsewhere", cmd=results[0].command_line)
    assert text.startswith("Cue command run by the laptop that runs the show") and "touch" in text


def test_consent_is_for_the_commands_as_approved_an_edited_one_asks_again(
    qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink, tmp_path
) -> None:
    """The operator allowed this agenda's commands (stored in the state folder): the video's
    command runs. The file is then edited to run something else and hot-reloaded: the new
    command is not run until allowed again."""
    marker, other = tmp_path / "ran", tmp_path / "other"
    approved = with_video_cue(agenda, ("touch", str(marker)))
    consent = CommandConsent(tmp_path / "state")
    assert consent.approve(approved)
    runner = runner_for(approved, clock, sink, allowed=CommandConsent(tmp_path / "state").approved)
    result = fire_video(qtbot, runner, clock)
    assert result.outcome == "ok" and marker.exists()
    edited = with_video_cue(agenda, ("touch", str(other)))
    runner.controller.engine.replace_agenda(edited)  # the file saved and hot-reloaded
    act(runner, "previous")
    clock.advance(1)
    act(runner, "next")
    assert runner.last_command is not None and runner.last_command.outcome == "not_allowed"
    assert not other.exists()


# -- process groups ----------------------------------------------------------------------------
def survivors(token: str) -> list[int]:
    """Live (not zombie) processes whose command line holds ``token``: a test's commands carry
    a token of their own, so what they left behind is found whatever its process group."""
    listing = subprocess.run(
        ["ps", "-A", "-ww", "-o", "pid=,stat=,args="], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for line in listing.splitlines():
        pid, stat, args = [*line.split(None, 2), "", ""][:3]
        if token in args and not stat.startswith("Z") and int(pid) != os.getpid():
            found.append(int(pid))
    return found


def sleep_token() -> str:
    """A sleep of about a minute whose length is unique to this call: `sleep 60.0123456789`
    carries it in its command line, so what a test started is found by it."""
    return f"60.{os.getpid() % 10_000:04d}{time.monotonic_ns() % 10**9:09d}"


def forking(kind: str) -> tuple[tuple[str, ...], str]:
    """A command that forks a child and waits, and the token of its processes' command lines."""
    token = sleep_token()
    if kind == "shell":
        return ("sh", "-c", f"sleep {token} & sleep {token}"), token
    code = f"import os, time; os.fork(); time.sleep({token})"
    return (sys.executable, "-c", code), token


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("kind", ["python", "shell"])
def test_a_timeout_stops_the_command_and_everything_it_started(qtbot, kind) -> None:
    """A command that forks, past its 0.3 s timeout: no process it started survives. Before,
    only the command itself was killed and its child lived on as an orphan."""
    argv, token = forking(kind)
    command = CueCommand(VIDEO, argv, 0.3)
    with qtbot.waitSignal(command.finished, timeout=5000) as blocker:
        command.start()
    try:
        assert blocker.args[0].outcome == "timeout"
        qtbot.waitUntil(lambda: survivors(token) == [], timeout=5000)
    finally:
        kill_all(survivors(token))


def test_what_a_finished_command_left_running_is_stopped_too(qtbot) -> None:
    """`sh -c 'sleep 60 & exit 0'` ends at once, leaving a child behind: it is done, and the
    child goes with it (a player meant to keep running says `detach: true`)."""
    token = sleep_token()
    command = CueCommand(VIDEO, ("sh", "-c", f"sleep {token} & exit 0"), 10)
    with qtbot.waitSignal(command.finished, timeout=5000) as blocker:
        command.start()
    try:
        assert blocker.args[0].outcome == "ok"
        qtbot.waitUntil(lambda: survivors(token) == [], timeout=5000)
    finally:
        kill_all(survivors(token))


def test_closing_the_runner_stops_running_commands_but_not_detached_ones(
    qtbot, agenda: Agenda, clock: FakeClock, sink: FakeSink
) -> None:
    """The app quits while two cue commands run: the ordinary one (it forked) is stopped with
    everything it started; the detached player (`detach: true`, reported "started" at once,
    never timed out) is left running."""
    player_token = sleep_token()
    player = CueCommand(VIDEO, ("sleep", player_token), 0.2, detach=True)
    with qtbot.waitSignal(player.finished, timeout=5000) as blocker:
        player.start()
    assert blocker.args[0].outcome == "started" and not blocker.args[0].failed
    runner = runner_for(with_video_cue(agenda, None), clock, sink)
    argv, token = forking("shell")
    command = CueCommand(VIDEO, argv, 30, runner)
    runner._commands.append(command)
    with qtbot.waitSignal(command.process.started, timeout=5000):
        command.start()
    try:
        qtbot.waitUntil(lambda: len(survivors(token)) == 3, timeout=5000)  # sh and two sleeps
        qtbot.waitUntil(lambda: survivors(player_token) != [], timeout=5000)
        runner.close()
        assert survivors(token) == []
        assert survivors(player_token)  # the player plays on
    finally:
        kill_all(survivors(token) + survivors(player_token))


MARKED = """\
event:
  title: Show
  date: 2022-11-30
  start: 15:00
  end: 16:00
  timezone: Asia/Seoul
programme:
  - title: Opening video
    kind: video
    duration: 5m
    cue:
      text: roll it
      command: [touch, {marker}]
  - title: Talk
    duration: 55m
"""


def test_opening_and_starting_an_agenda_runs_nothing_without_consent(qtbot, tmp_path) -> None:
    """The real start-up path and the real stage side (create_window, the stage side slot) on
    an agenda whose first cue would create a file: opening it runs nothing, and neither does
    starting its segment while nobody has allowed the agenda's commands."""
    from runofshow._qt.app.main import create_window, parse_args

    marker = tmp_path / "ran"
    path = tmp_path / "show.yaml"
    path.write_text(MARKED.format(marker=marker), encoding="utf-8")
    window = create_window(parse_args([str(path), "--state-dir", str(tmp_path / "state")]))
    qtbot.addWidget(window)
    side = window.stage_slot.build()
    qtbot.addWidget(side.manager)
    qtbot.addWidget(side.stage)
    cues = side.cues
    assert not marker.exists()
    assert window.host.execute("start").applied
    cues.refresh()
    assert cues.last_command is not None and cues.last_command.outcome == "not_allowed"
    assert cues.running() == 0 and not marker.exists()
