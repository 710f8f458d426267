"""Two laptops, one show, as a crew runs it (docs/two-machines.md): the MC's laptop serves
the show; the stage manager's laptop is the show-day rig (two monitors, openbox, sound, a
fresh profile) running ``runofshow --join HOST:PORT --pin PIN --stage-manager --fullscreen
--stage-screen 1``, driven by real key presses. The MC's laptop here is a process on
loopback (offscreen): what is tested is what the stage manager's laptop shows and does.

Checked from the outside: the follower's monitors (grabbed), the window with the keyboard,
the follower's own copy of the journal and the MC's laptop's journal, both read from disk.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from peer_proc import Machine, start_primary
from showday_checks import colour_share, eventually, journal_names, journal_sources
from stage_laptop import RunningApp, StageLaptop
from torture_proc import PIN

WHITE = "#ffffff"
AMBER = "#ffc400"  # the notice bar's and the stage manager's peer line's amber
BOUNCE_S = 0.6  # a second press within half a second is a clicker's bounce, ignored


@pytest.fixture
def mc_laptop(tmp_path: Path, my_event: Path) -> Iterator[Machine]:
    """The MC's laptop: the show, served on loopback with the control PIN."""
    machine = start_primary(tmp_path, "mc-laptop", my_event)
    try:
        yield machine
    finally:
        machine.close()


def show_term(state: Path) -> int:
    """The term of the latest show in a laptop's journal (each takeover starts one)."""
    conn = sqlite3.connect(f"file:{state / 'journal.sqlite3'}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute("SELECT term FROM shows ORDER BY id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else -1
    finally:
        conn.close()


def test_the_stage_managers_laptop_follows_and_takes_over_when_the_mc_laptop_dies(
    laptop: StageLaptop, mc_laptop: Machine
):
    """The stage manager's laptop shows the MC's show full screen with its own projector lit;
    its PageDown counts on the MC's laptop; when the MC's laptop dies it says so in amber at
    once, keeps counting and refuses keys it cannot deliver; Show ▸ Take over the show… (asked
    first) makes it the show, and its keys count on its own journal from then on."""
    sm = RunningApp(
        laptop,
        ["--join", mc_laptop.address, "--pin", PIN, "--stage-manager", "--fullscreen",
         "--stage-screen", "1"],
    )  # fmt: skip
    manager = eventually(lambda: sm.window_titled("Stage manager"), 30, "the SM's window",
                         seen=sm.output)  # fmt: skip
    copy = lambda: journal_names(laptop.state)  # noqa: E731
    assert mc_laptop.command("start")["applied"]
    eventually(lambda: copy() == ["start"], 10, "the start copied", seen=copy)
    shots = laptop.grab(laptop.folder / "following")
    assert colour_share(shots["STAGE"], WHITE) > 0.02, "the follower's projector is dark"
    assert not manager.on("STAGE"), "the SM's window must not cover the projector"

    laptop.activate(manager)
    eventually(lambda: laptop.focused() == manager.id, what="the SM's window in front")
    laptop.key("Next")
    eventually(lambda: mc_laptop.now()["index"] == 1, what="PageDown counted on the MC's laptop")
    eventually(lambda: copy() == ["start", "next"], what="and copied back", seen=copy)
    assert journal_sources(mc_laptop.state)[-1] == ("next", "peer")
    pressed = time.monotonic()

    mc_laptop.kill()
    eventually(
        lambda: colour_share(laptop.grab(laptop.folder / "lost")["MC"], AMBER) > 0.005,
        3, "NOT CONNECTED in amber on the stage manager's screen",
    )  # fmt: skip
    counting = laptop.grab(laptop.folder / "lost-1")["MC"].read_bytes()
    eventually(lambda: time.monotonic() - pressed > BOUNCE_S, what="past the bounce guard")
    laptop.key("Next")  # nowhere to deliver it: refused, not pretended
    eventually(
        lambda: laptop.grab(laptop.folder / "lost-2")["MC"].read_bytes() != counting,
        3, "the countdown still running without the MC's laptop",
    )  # fmt: skip
    assert copy() == ["start", "next"]

    laptop.key("alt+s", "Up", "Return")  # Show ▸ Take over the show… (its last item)
    question = eventually(lambda: sm.window_titled("Take over the show"), what="the question",
                          seen=lambda: [w.title for w in sm.windows()])  # fmt: skip
    laptop.activate(question)
    laptop.key("y")
    eventually(lambda: show_term(laptop.state) == 1, what="the takeover's new term",
               seen=sm.output)  # fmt: skip
    laptop.activate(manager)
    eventually(lambda: laptop.focused() == manager.id, what="the SM's window in front again")
    laptop.key("Next")
    eventually(lambda: copy() == ["start", "next", "next"], what="PageDown on the new primary",
               seen=copy)  # fmt: skip
    assert journal_sources(laptop.state)[-1] == ("next", "key")
    assert sm.quit() is not None


def test_the_video_desk_plays_on_its_projector_when_the_mc_moves_on(
    laptop: StageLaptop, tmp_path: Path
):
    """The video desk's laptop (``--join … --video-screen 1 --media-dir DIR``) holds the clip;
    the MC's laptop does not. When the MC moves on into the video, the desk plays it full
    screen on its projector, its own screen keeps the countdown, and the clip's real length
    is journaled on the MC's laptop (source ``peer``) so the MC's countdown follows it."""
    from media_clips import make_clip
    from test_show_day import VIDEO_AGENDA

    mc_folder, media = tmp_path / "mc-files", tmp_path / "desk-media"
    mc_folder.mkdir()
    media.mkdir()
    agenda = mc_folder / "video.yaml"
    agenda.write_text(VIDEO_AGENDA, encoding="utf-8")
    make_clip(media / "clip.mp4", 3.0)
    mc = start_primary(tmp_path, "mc-laptop", agenda)
    try:
        desk = RunningApp(
            laptop,
            ["--join", mc.address, "--pin", PIN, "--fullscreen", "--video-screen", "1",
             "--media-dir", str(media)],
        )  # fmt: skip
        main = eventually(lambda: desk.window_titled("runofshow"), 30, "the desk's window",
                          seen=desk.output)  # fmt: skip
        eventually(lambda: "video desk" in (mc.now()["notices"].get("video") or ""), 10,
                   "the MC's laptop told where videos play")  # fmt: skip
        assert mc.command("start")["applied"]
        assert mc.command("next")["applied"]
        video = eventually(
            lambda: next((w for w in desk.windows() if w.title == "runofshow video"), None),
            what="the desk's video window",
        )
        assert video.on("STAGE") and video.fullscreen
        assert eventually(lambda: desk.window_titled("runofshow"), what="main").on("MC")
        assert laptop.focused() != video.id, "the video window must not take the keyboard"
        media_rows = eventually(
            lambda: [s for s in journal_sources(mc.state) if s[0] == "media"],
            what="the clip's length journaled on the MC's laptop",
        )
        assert media_rows == [("media", "peer")]
        assert mc.now()["remaining_s"] <= 3.2, "the MC's countdown follows the clip"
        shots = laptop.grab(laptop.folder / "video")
        assert colour_share(shots["MC"], WHITE) > 0.02, "the desk's countdown is covered"
        assert main.id != video.id
    finally:
        mc.close()
