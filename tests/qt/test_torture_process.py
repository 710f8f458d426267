"""Show-day torture on the REAL process: SIGKILL at random moments, a wall clock that jumps
under the running app (libfaketime), and a journal that runs out of disk.

The app is driven through its HTTP API (``--serve 127.0.0.1:0``, docs/remote-control.md);
every acknowledgement it answers comes after the journal append.
Helpers live in torture_proc.py, shared with tests/soak/run_soak.py (which does 200 kills).
"""

from __future__ import annotations

import glob
import shutil
import time
from pathlib import Path

import pytest
from media_clips import make_clip
from tools import need
from torture_proc import OPERATOR, App, Tally, crash_chain, read_journal

from runofshow.core import actions as act
from runofshow.core.loader import load_agenda
from runofshow.resources import default_agenda

CHAINS = 10
KILLS_PER_CHAIN = 5  # 50 SIGKILLs in all


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """The bundled agenda copied to a private folder: the journal keys shows by agenda path."""
    target = tmp_path / "innovation-relay-2022.yaml"
    shutil.copy(default_agenda(), target)
    return target


def test_sigkill_at_random_moments_never_loses_an_acknowledged_action(tmp_path, capsys):
    """50 seeded SIGKILLs (some during start-up or resume, most while actions stream in at
    60x): every restart resumes the segment, status and remaining time (±50 ms) folded from
    the acknowledged actions on the journal's own rehearsal anchor; no acknowledged action is
    missing; every journal passes integrity_check."""
    agenda_path = default_agenda()
    agenda = load_agenda(agenda_path)
    total = Tally()
    for seed in range(CHAINS):
        run = tmp_path / f"chain-{seed}"
        run.mkdir()
        total.merge(crash_chain(agenda, agenda_path, run / "state", seed, KILLS_PER_CHAIN, run))
    with capsys.disabled():
        print(f"\n-- crash safety: {CHAINS} chains x {KILLS_PER_CHAIN} kills --\n{total.table()}")
    assert not total.failures, "\n".join(total.failures[:10])
    assert total.kills == CHAINS * KILLS_PER_CHAIN
    assert total.integrity_ok == total.kills
    assert total.resumed_ok >= CHAINS * KILLS_PER_CHAIN * 0.7  # early kills skip their check
    assert total.applied > 500
    assert total.max_remaining_error_ms <= 50 and total.max_clock_error_ms <= 50


VIDEO_CHAINS = 2
VIDEO_KILLS_PER_CHAIN = 4
VIDEO = "8"  # the seed's video segment (0-based)


def video_seed(folder: Path) -> Path:
    """The bundled agenda with a real 3 s clip on its video segment (ffmpeg makes it), so the
    app's video player runs and journals the file's length as its own "media" actions."""
    clip = make_clip(folder / "clip.mp4", 3.0)
    text = default_agenda().read_text(encoding="utf-8")
    anchor = "        kind: video\n"
    at = text.index(anchor, text.index("- id: video")) + len(anchor)
    path = folder / "innovation-relay-2022.yaml"
    path.write_text(f"{text[:at]}        video: {clip.name}\n{text[at:]}", encoding="utf-8")
    return path


def test_sigkill_with_a_video_segment_counts_the_apps_own_actions(tmp_path, capsys):
    """The same crash chains on an agenda whose video segment has a file, the operator often
    jumping to it and resetting it: the app answers each reset with a "media" action of its
    own. Before, the ack named that media action instead of the reset and the harness cried
    "acknowledged actions lost or changed" (and folded the resume without the media length,
    a 300 s "error"); now acks name the operator's action, the app's own actions are taken
    from the journal, and every restart resumes the truth."""
    agenda_path = video_seed(tmp_path)
    agenda = load_agenda(agenda_path)
    video_heavy = [*OPERATOR, *[("goto", act.GOTO, (VIDEO,)), ("reset", act.RESET, ("",))] * 3]
    total = Tally()
    for seed in range(VIDEO_CHAINS):
        run = tmp_path / f"chain-{seed}"
        run.mkdir()
        state = run / "state"
        total.merge(
            crash_chain(agenda, agenda_path, state, seed, VIDEO_KILLS_PER_CHAIN, run, video_heavy)
        )
    with capsys.disabled():
        print(f"\n-- crash safety with a video: {VIDEO_CHAINS} chains x "
              f"{VIDEO_KILLS_PER_CHAIN} kills --\n{total.table()}")  # fmt: skip
    assert not total.failures, "\n".join(total.failures[:10])
    assert total.kills == VIDEO_CHAINS * VIDEO_KILLS_PER_CHAIN
    assert total.app_made > 0  # the video player did journal its own actions
    assert total.integrity_ok == total.kills
    assert total.max_remaining_error_ms <= 50 and total.max_clock_error_ms <= 50


def libfaketime() -> str:
    """The preload library of Debian's ``faketime`` package (.ci/run installs it)."""
    need("libfaketime")
    return sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))[0]


def test_wall_clock_jumps_under_the_real_app_do_not_move_the_countdown(tmp_path, seed_copy):
    """libfaketime moves the process's time of day +1 h, then -1 h 10 min (net -10 min),
    leaving CLOCK_BOOTTIME alone, as NTP or a user setting the clock would: the countdown
    keeps counting real seconds, a notice names each jump, and time of day follows it."""
    offset = tmp_path / "faketime.rc"
    offset.write_text("+0\n")
    env = {
        "LD_PRELOAD": libfaketime(),
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    app = App([str(seed_copy), "--state-dir", str(tmp_path / "state")], env=env)
    try:
        assert app.ready(15) is not None
        assert app.act("start")["applied"]
        before, _, _ = app.ask_now()
        for shift, word in (("+3600", "+1:00:00"), ("-600", "-1:10:00")):
            offset.write_text(shift + "\n")
            now = _wait_for_notice(app, word)
            ran = now["t"] - before["t"]
            assert now["remaining_s"] == pytest.approx(before["remaining_s"] - ran, abs=0.005)
            assert now["elapsed_s"] == pytest.approx(before["elapsed_s"] + ran, abs=0.005)
            expected_wall = before["wall"] + ran + int(shift)
            assert now["wall"] == pytest.approx(expected_wall, abs=1.0)
        assert now["status"] == "running" and now["index"] == 0
    finally:
        app.close()


def _wait_for_notice(app: App, word: str) -> dict:
    """The app's state once its clock notice shows ``word`` (the repaint loop finds the jump
    within a second: it repaints at least once a second while a segment runs). Each answer
    paces the next question (the app answers on its event loop); the deadline bounds it."""
    deadline = time.monotonic() + 5.0
    seen = []
    while time.monotonic() < deadline:
        now, _, _ = app.ask_now()
        notice = now["notices"].get("clock", "")
        seen.append(notice)
        if word in notice:
            return now
    raise AssertionError(f"no clock notice with {word}: {seen[-3:]}")


def test_a_journal_that_runs_out_of_disk_warns_and_the_real_app_keeps_timing(tmp_path, seed_copy):
    """With the file size capped (RLIMIT_FSIZE: writes fail as on a full disk) the real app
    runs 30 actions past the point its journal can grow: it does not crash, says NOT SAVED
    naming the journal file, and every action still takes effect in memory."""
    state = tmp_path / "state"
    # 52 kB: a few actions fit in the log after the schema (which grew with schema 3).
    app = App([str(seed_copy), "--state-dir", str(state)], file_size_limit=52_000)
    try:
        assert app.ready(15) is not None
        acks = [app.act(*c.split()) for c in ["start"] + ["add 10"] * 30]
        assert all(ack and ack["applied"] for ack in acks)
        now, _, _ = app.ask_now()
        assert now["journal_error"] and str(state / "journal.sqlite3") in now["journal_error"]
        assert "NOT SAVED" in now["notices"]["journal"]
        assert str(state / "journal.sqlite3") in now["notices"]["journal"]
        assert now["remaining_s"] == pytest.approx(300 + 300 - now["elapsed_s"], abs=0.01)
        assert app.proc.poll() is None
    finally:
        app.close()
    journal = read_journal(state, "live")
    assert journal.integrity == "ok"
    assert 0 < len(journal.rows) < 31
