"""The show as it really runs: README's show-day command on a stage laptop with a projector,
full screen, under a window manager, with sound, driven by real key presses.

Everything is checked from the outside, as the people in the room would: what each monitor
shows (grabbed from the X server), which window has the keyboard, what the speakers play
(recorded from the sound server), and what the journal on disk holds.
"""

from __future__ import annotations

import time
from pathlib import Path

from media_clips import make_clip
from showday_checks import (
    colour_share,
    eventually,
    journal_names,
    journal_sources,
    looks_black,
)
from stage_laptop import RunningApp, StageLaptop

WHITE = "#ffffff"


def mc_window(app: RunningApp):
    return eventually(lambda: app.window_titled("runofshow"), what="the MC's window")


def stage_display(app: RunningApp):
    return eventually(
        lambda: next((w for w in app.windows() if w.on("STAGE") and w.fullscreen), None),
        what="the stage display, full screen on STAGE",
    )


def test_the_show_day_command_puts_each_window_on_its_screen(laptop: StageLaptop, my_event):
    """``runofshow my-event.yaml --fullscreen --stage-screen 1``: the MC's window is full
    screen on the laptop's own screen and has the keyboard; the speaker's countdown is full
    screen on the projector, not black; nothing covers the MC's countdown."""
    app = RunningApp(laptop, [str(my_event), "--fullscreen", "--stage-screen", "1"])
    mc = eventually(lambda: (w := mc_window(app)).fullscreen and w.on("MC") and w, what="MC")
    stage_display(app)
    shots = laptop.grab(laptop.folder / "shots")
    assert colour_share(shots["STAGE"], WHITE) > 0.02, "the stage display shows no countdown"
    assert colour_share(shots["MC"], WHITE) > 0.02, "the MC's countdown is covered"
    assert laptop.focused() == mc.id, "the MC's window must have the keyboard"
    laptop.key("space")
    eventually(lambda: journal_names(laptop.state) == ["start"], what="Space to start")
    assert app.quit() == 0  # SIGTERM (a logout) quits as Quit does: settings saved
    settings = (laptop.home / "config" / "runofshow" / "runofshow.conf").read_text()
    assert "geometry" in settings


def test_clicker_and_keyboard_drive_the_show_from_every_window(laptop: StageLaptop, my_event):
    """PageDown/Right advance, B blacks out the projector and brings it back, Ctrl+2 opens
    the stage manager's window, and with that window (or the stage display) in front the show
    keys still act on the show; F11 and Esc leave and re-enter full screen."""
    app = RunningApp(laptop, [str(my_event), "--fullscreen", "--stage-screen", "1"])
    mc = eventually(lambda: (w := mc_window(app)).fullscreen and w, what="MC full screen")
    stage = stage_display(app)
    laptop.key("space", "Next")
    eventually(lambda: journal_names(laptop.state) == ["start", "next"], what="Space, PageDown")
    laptop.key("b")
    eventually(lambda: looks_black(laptop.grab(laptop.folder / "b1")["STAGE"]), what="blackout")
    laptop.key("b")
    eventually(
        lambda: not looks_black(laptop.grab(laptop.folder / "b2")["STAGE"]), what="lights up"
    )
    laptop.key("ctrl+2")
    manager = eventually(lambda: app.window_titled("Stage manager"), what="the SM's window")
    assert not manager.on("STAGE"), "the stage manager's window must not cover the stage"
    laptop.activate(manager)
    eventually(lambda: laptop.focused() == manager.id, what="the SM's window in front")
    laptop.key("Right")
    journal = lambda: journal_names(laptop.state)  # noqa: E731
    eventually(lambda: len(journal()) == 5, what="Right from the SM's window", seen=journal)
    laptop.activate(stage)  # a stray click on the projector's window
    laptop.key("Prior")
    eventually(lambda: len(journal()) == 6, what="PageUp with the stage shown", seen=journal)
    laptop.activate(mc)
    laptop.key("F11")
    eventually(lambda: not mc_window(app).fullscreen, what="F11 leaves full screen")
    laptop.key("F11")
    eventually(lambda: mc_window(app).fullscreen, what="F11 enters full screen again")
    laptop.key("Escape")
    eventually(lambda: not mc_window(app).fullscreen, what="Esc leaves full screen")
    assert journal_names(laptop.state) == [
        *("start", "next", "blackout", "blackout", "next", "previous")
    ]


CHIME_AGENDA = """\
event:
  title: 칭 테스트
  date: 2022-11-30
  start: "15:00"
  end: "15:10"
programme:
  - title: 짧은 발표
    duration: 14s
    wrapup: 10s
    danger: 5s
  - title: 마무리
    duration: 9m46s
"""


def test_wrap_up_time_and_overtime_chimes_are_heard(laptop: StageLaptop, tmp_path: Path):
    """Started with Space and left to run, the first segment rings one strike at wrap-up, two
    at "time", three when it runs over: recorded from the laptop's speakers."""
    agenda = tmp_path / "chimes.yaml"
    agenda.write_text(CHIME_AGENDA, encoding="utf-8")
    assert laptop.recorder is not None
    eventually(laptop.recorder.started, what="the recording")
    app = RunningApp(laptop, [str(agenda), "--fullscreen", "--stage-screen", "1"])
    eventually(lambda: (w := mc_window(app)).fullscreen and w, what="MC full screen")
    stage_display(app)
    laptop.key("space")
    eventually(lambda: journal_names(laptop.state) == ["start"], what="started")
    from pulse_daemon import strikes

    heard = eventually(
        lambda: (found := strikes(laptop.recorder.samples())) and len(found) >= 6 and found,
        timeout=40,
        what="six strikes",
    )
    wrapup, danger, timeup = heard[0], heard[1:3], heard[3:6]
    assert 4 <= danger[0] - wrapup <= 6, heard  # wrap-up at 0:10 left, time at 0:05
    assert 4 <= timeup[0] - danger[0] <= 6, heard  # time up at 0:00
    assert danger[1] - danger[0] < 1 and timeup[2] - timeup[0] < 1.5, heard


VIDEO_AGENDA = """\
event:
  title: 영상 큐 테스트
  date: 2022-11-30
  start: "15:00"
  end: "15:10"
programme:
  - title: 투표
    duration: 20s
    wrapup: 10s
    danger: 5s
  - title: 소상공인 피해 회복 지원 영상
    kind: video
    duration: 9m
    video: clip.mp4
    cue: play the clip
  - title: 시상
    duration: 25s
    wrapup: 10s
    danger: 5s
"""


def test_video_desk_flow_on_the_projector(laptop: StageLaptop, tmp_path: Path):
    """``--fullscreen --stage-manager --video-screen 1`` with a video segment: the stage
    manager's window opens without taking the MC's keyboard; moving on into the video plays
    it full screen on the projector while the MC's countdown stays on the laptop, the
    countdown takes the file's length (a journaled ``media`` action), and the MC's keys still
    drive the show."""
    make_clip(tmp_path / "clip.mp4", 3.0)
    agenda = tmp_path / "video.yaml"
    agenda.write_text(VIDEO_AGENDA, encoding="utf-8")
    app = RunningApp(
        laptop, [str(agenda), "--fullscreen", "--stage-manager", "--video-screen", "1"]
    )
    mc = eventually(lambda: (w := mc_window(app)).fullscreen and w.on("MC") and w, what="MC")
    manager = eventually(lambda: app.window_titled("Stage manager"), what="the SM's window")
    assert not manager.on("STAGE")
    eventually(lambda: laptop.focused() == mc.id, what="the MC keeps the keyboard")
    laptop.key("space", "Next")
    pressed = time.monotonic()
    video = eventually(
        lambda: next((w for w in app.windows() if w.title == "runofshow video"), None),
        what="the video window",
    )
    assert video.on("STAGE") and video.fullscreen
    journal = lambda: journal_names(laptop.state)  # noqa: E731
    eventually(lambda: "media" in journal(), what="the clip's length journaled", seen=journal)
    shots = laptop.grab(laptop.folder / "video")
    assert colour_share(shots["MC"], WHITE) > 0.02, "the MC's countdown is covered"
    assert laptop.focused() == mc.id
    # A second Next within half a second is a clicker's bounce, ignored on purpose: the MC's
    # next press comes later than that.
    eventually(lambda: time.monotonic() - pressed > 0.6, what="past the bounce guard")
    laptop.key("Next")
    eventually(lambda: journal().count("next") == 2, what="Next after the video", seen=journal)


def test_a_second_launch_brings_the_show_forward_and_leaves_it_alone(laptop: StageLaptop, my_event):
    """The show is running; someone double-clicks runofshow again: the second process says
    which process has the show, brings that window to the front and exits (75), and the
    journal has one writer: the first app's keys still work and nothing was journaled twice."""
    app = RunningApp(laptop, [str(my_event), "--fullscreen", "--stage-screen", "1"])
    mc = eventually(lambda: (w := mc_window(app)).fullscreen and w, what="MC full screen")
    laptop.key("space")
    eventually(lambda: journal_names(laptop.state) == ["start"], what="started")
    manager_key = "ctrl+2"
    laptop.key(manager_key)  # the stage manager's window takes the front
    eventually(lambda: laptop.focused() != mc.id, what="another window in front")
    second = RunningApp(laptop, [str(my_event)])
    assert second.process.wait(timeout=30) == 75
    said = second.output()
    assert f"runofshow is already running the show in {laptop.state} (process {app.pid})" in said
    assert "brought to the front" in said
    eventually(lambda: laptop.focused() == mc.id, what="the show's window brought forward")
    laptop.key("Next")
    eventually(lambda: journal_names(laptop.state) == ["start", "next"], what="keys still work")


def test_ctrl_q_from_any_window_quits_asking_only_during_a_live_show(laptop: StageLaptop, my_event):
    """Ctrl+Q in the stage manager's window quits the whole app (it used to close only the
    MC's window's share and leave the process running). During a live show it asks first,
    No by default; a rehearsal quits at once."""
    app = RunningApp(laptop, [str(my_event), "--fullscreen", "--stage-manager"])
    eventually(lambda: (w := mc_window(app)).fullscreen and w, what="MC full screen")
    manager = eventually(lambda: app.window_titled("Stage manager"), what="the SM's window")
    laptop.key("space")
    eventually(lambda: journal_names(laptop.state) == ["start"], what="live")
    laptop.activate(manager)
    eventually(lambda: laptop.focused() == manager.id, what="the SM's window in front")
    laptop.key("ctrl+q")
    question = eventually(lambda: app.window_titled("Quit runofshow?"), what="the question")
    laptop.activate(question)
    laptop.key("Return")  # No is the default: a stray Enter never ends a show
    eventually(lambda: app.window_titled("Quit runofshow?") is None, what="answered No")
    assert app.process.poll() is None
    laptop.key("ctrl+q")
    question = eventually(lambda: app.window_titled("Quit runofshow?"), what="asked again")
    laptop.activate(question)
    laptop.key("y")
    assert app.process.wait(timeout=20) == 0

    rehearsal = RunningApp(laptop, [str(my_event), "--rehearse", "15:00", "--stage-manager"])
    manager = eventually(lambda: rehearsal.window_titled("Stage manager"), what="the SM")
    laptop.key("space")
    laptop.activate(manager)
    eventually(lambda: laptop.focused() == manager.id, what="the SM's window in front")
    laptop.key("ctrl+q")
    assert rehearsal.process.wait(timeout=20) == 0


def test_the_show_is_driven_from_the_network_and_the_mc_window_follows(
    laptop: StageLaptop, my_event: Path, tmp_path: Path
):
    """The show-day command with ``--serve``: a Companion-style GET starts the show, a
    blackout by the API darkens the projector, the stage manager's tablet (the backstage view
    in a real browser engine) presses Next, and the MC's own window follows each of them on
    its screen; the journal says where every action came from."""
    import json
    import subprocess
    import sys
    import urllib.request

    app = RunningApp(
        laptop,
        [str(my_event), "--fullscreen", "--stage-screen", "1", "--serve", "127.0.0.1:0",
         "--pin", "2468"],
    )  # fmt: skip
    line = eventually(
        lambda: next((x for x in app.output().splitlines() if "runofshow: serving " in x), None),
        timeout=20, what="the server's address", seen=app.output,
    )  # fmt: skip
    url = line.split("runofshow: serving ", 1)[1].strip().rstrip("/")
    eventually(lambda: (w := mc_window(app)).fullscreen and w, what="MC full screen")
    stage_display(app)
    before = laptop.grab(laptop.folder / "net0")["MC"].read_bytes()

    def get(path: str) -> dict:
        with urllib.request.urlopen(f"{url}{path}?pin=2468", timeout=5) as answer:
            return json.loads(answer.read())

    assert get("/api/start")["applied"]
    eventually(lambda: journal_names(laptop.state) == ["start"], what="start from the API")
    eventually(
        lambda: laptop.grab(laptop.folder / "net1")["MC"].read_bytes() != before,
        what="the MC's window counting",
    )
    assert get("/api/blackout/on")["applied"]
    eventually(lambda: looks_black(laptop.grab(laptop.folder / "net2")["STAGE"]), what="dark")
    assert get("/api/blackout/off")["applied"]
    eventually(lambda: not looks_black(laptop.grab(laptop.folder / "net3")["STAGE"]), what="lit")
    at_first = laptop.grab(laptop.folder / "net4")["MC"]
    probe = Path(__file__).parents[1] / "qt" / "network" / "browser_probe.py"
    done = subprocess.run(
        [sys.executable, str(probe), f"{url}/backstage?pin=2468", str(tmp_path / "b.json"),
         "--click", "next", "--watch", "1"],
        env={**laptop.env(), "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
        timeout=90,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    eventually(lambda: journal_names(laptop.state)[-1:] == ["next"], what="Next from the tablet")
    after = laptop.grab(laptop.folder / "net5")["MC"]
    assert colour_share(after, WHITE) > 0.02 and after.read_bytes() != at_first.read_bytes()
    assert journal_sources(laptop.state) == [
        ("start", "http"), ("blackout", "http"), ("blackout", "http"), ("next", "ws")
    ]  # fmt: skip
