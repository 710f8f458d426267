"""Two and three real runofshow processes sharing a show on loopback (docs/two-machines.md):
joining, replication, commands from a follower, the primary going silent, kill -9 and a
takeover, a cut connection healing, and the old primary coming back to follow.

Helpers live in peer_proc.py, shared with tests/soak/run_soak.py (which does the long runs).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from peer_proc import (
    SILENT_SAID_S,
    Machine,
    Proxy,
    Takeovers,
    entries,
    report,
    restart,
    rows,
    set_aside,
    start_follower,
    start_primary,
    takeover_run,
    wait_for,
)
from tools import need

from runofshow.core.loader import load_agenda
from runofshow.resources import default_agenda


@pytest.fixture
def agenda_path(tmp_path: Path) -> Path:
    """The bundled agenda copied to a private folder (shows are keyed by agenda path)."""
    target = tmp_path / "innovation-relay-2022.yaml"
    shutil.copy(default_agenda(), target)
    return target


def test_a_follower_shows_the_primarys_show_and_its_commands_count_there(
    tmp_path, agenda_path, machines
):
    """The follower's countdown is the primary's (to a few milliseconds), its journal is a
    copy of the primary's row for row (terms included), and a command given on the follower
    counts once the primary journaled it, with the source ``peer``."""
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    assert a.command("start")["applied"]
    answer = b.command("add", "60")  # on the follower: sent to the primary
    assert answer["applied"] and answer["seq"] == 2
    b.wait_following(rows=2)
    mine, theirs = entries(a.state), entries(b.state)
    assert rows(mine) == rows(theirs) and [e.action.source for e in theirs] == ["http", "peer"]
    for _ in range(5):
        pa, pb = a.now(), b.now()
        # Each read at its own instant: compare the countdowns at one instant of the show.
        left_a = pa["remaining_s"] + pa["t"]
        left_b = pb["remaining_s"] + pb["t"]
        assert abs(left_a - left_b) < 0.005
        assert (pa["index"], pa["status"]) == (pb["index"], pb["status"])
        time.sleep(0.1)
    assert b.status()["primary"] == a.url


def test_the_follower_says_at_once_when_the_primary_is_gone_and_refuses_to_pretend(
    tmp_path, agenda_path, machines
):
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    a.command("start")
    b.wait_following(rows=1)
    killed = time.monotonic()
    a.kill()
    notices = wait_for(
        "NOT CONNECTED on the follower", lambda: _peer_notice(b), timeout=SILENT_SAID_S
    )
    assert time.monotonic() - killed < SILENT_SAID_S
    assert "NOT CONNECTED" in notices and "keeps counting" in notices
    refused = b.act("next")
    assert not refused["applied"] and "not connected to the primary" in refused["reason"]
    first = b.now()["remaining_s"]
    time.sleep(0.3)
    assert b.now()["remaining_s"] < first - 0.2  # time did not stop with the laptop
    assert len(entries(b.state)) == 1  # nothing was journaled here for the refused next


def _started_through_a_proxy(
    tmp_path: Path, agenda_path: Path, machines: list[Machine]
) -> tuple[Machine, Proxy, Machine]:
    """A primary whose show has started and a follower that reaches it through a proxy the
    test can cut and heal (close the proxy when done)."""
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    proxy = Proxy(a.address)
    try:
        b = Machine(["--join", proxy.address], tmp_path / "b", tmp_path / "b.log")
        machines.append(b)
        b.wait_serving()
        b.wait_following()
        a.command("start")
        b.wait_following(rows=1)
    except BaseException:
        proxy.close()
        raise
    return a, proxy, b


def _peer_notice(machine: Machine, containing: str = "NOT CONNECTED") -> str | None:
    """The follower's notice about its primary, if it says ``containing``."""
    notice = (machine.status() or {}).get("notice") or ""
    return notice if notice and containing in notice else None


def test_a_primary_gone_silent_without_closing_is_said_within_two_seconds(
    tmp_path, agenda_path, machines
):
    """A frozen laptop (SIGSTOP: its sockets stay open, nothing answers) is found out by
    the missing answers to the clock pings; when it wakes, the follower rejoins and catches
    up what it journaled meanwhile."""
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    a.command("start")
    stopped = time.monotonic()
    os.kill(a.proc.pid, signal.SIGSTOP)
    try:
        wait_for("the silence said", lambda: _peer_notice(b), timeout=SILENT_SAID_S + 0.5)
        said = time.monotonic() - stopped
    finally:
        os.kill(a.proc.pid, signal.SIGCONT)
    assert said <= SILENT_SAID_S
    a.command("next")
    b.wait_following(rows=2)
    assert rows(entries(b.state)) == rows(entries(a.state))
    wait_for("the notice to go", lambda: _peer_notice(b, "") is None)


def test_takeover_is_refused_while_the_primary_answers_and_on_the_primary(
    tmp_path, agenda_path, machines
):
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    on_follower = b._get("/api/takeover")
    assert on_follower["applied"] is False and "connected and answering" in on_follower["reason"]
    on_primary = a._get("/api/takeover")
    assert on_primary["applied"] is False and "is the primary" in on_primary["reason"]


def test_joining_needs_the_control_pin(tmp_path, agenda_path, machines):
    """A laptop with the wrong PIN is refused at the door (and counted: wrong PINs are
    rate-limited as everywhere on the show network); it says why, and never gets the show."""
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = Machine(["--join", a.address], tmp_path / "b", tmp_path / "b.log", pin="wrong-pin")
    machines.append(b)
    b.wait_serving()
    notice = wait_for("the refusal said", lambda: _refusal(b))
    assert "Cannot join" in notice and "wrong PIN" in notice
    status = b.status()
    assert status["role"] == "follower" and not status["connected"] and status["rows"] == 0
    assert a.status()["peers"] == [a.url]  # nobody joined


def _refusal(machine: Machine) -> str | None:
    notice = (machine.status() or {}).get("notice") or ""
    return notice if "Cannot join" in notice else None


@pytest.mark.parametrize(("seed", "followers"), [(11, 1), (12, 1), (13, 2)])
def test_kill_the_primary_at_a_random_moment_and_take_over(
    tmp_path, agenda_path, seed, followers, capsys
):
    """kill -9 of the primary while actions stream in (to it and through a follower): the
    follower says so within 2 s, takes over; every action acknowledged before the kill is
    in its journal; its countdown is within ±50 ms of the truth folded from them; a second
    follower follows it with the same journal; the old primary, started again, follows it;
    the report of the show is complete. (tests/soak does 30 and more of these.)"""
    agenda = load_agenda(agenda_path)
    tally = takeover_run(agenda, agenda_path, tmp_path, seed, followers=followers)
    with capsys.disabled():
        print(f"\n-- takeover, seed {seed}, {followers} follower(s) --\n{tally.table()}")
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.applied >= 1 and tally.old_primary_follows == 1 and tally.reports_complete == 1
    assert tally.worst_countdown_ms <= 50 and tally.worst_silence_said_s <= SILENT_SAID_S


def test_a_cut_connection_heals_without_gaps_or_duplicates(tmp_path, agenda_path, machines):
    """The follower reaches the primary through a connection that is cut mid-show (silently,
    as a pulled cable is) and healed: it says it is not connected, and once healed it holds
    exactly the primary's journal, every row once."""
    a, proxy, b = _started_through_a_proxy(tmp_path, agenda_path, machines)
    try:
        proxy.cut()
        started = time.monotonic()
        # (not two nexts in a row: within 0.5 s the second is a clicker's bounce)
        for step, arg in (("next", ""), ("pause", ""), ("resume", ""), ("goto", "5"),
                          ("add", "10")):  # fmt: skip
            assert a.command(step, arg)["applied"], step
        answered = time.monotonic() - started
        wait_for("the cut said", lambda: _peer_notice(b), timeout=SILENT_SAID_S + 0.5)
        assert len(entries(b.state)) == 1
        proxy.heal()
        b.wait_following(rows=6)
        assert rows(entries(b.state)) == rows(entries(a.state))
        seqs = [e.action.seq for e in entries(b.state)]
        assert seqs == list(range(1, 7))
    finally:
        proxy.close()
    # A follower cut off is not waited for beyond half a second (the MC's Companion buttons
    # must not hang on a pulled cable); five commands took well under five such waits.
    assert answered < 2.5


def test_the_old_primary_comes_back_follows_and_keeps_its_unsent_actions_aside(
    tmp_path, agenda_path, machines
):
    """Actions the old primary journaled that never reached the follower (the connection was
    cut) are not part of the show after the takeover: the old primary, started again, follows
    the new one, and both reports list those actions apart ("not part of the show after the
    takeover at …"), never merged into the times."""
    a, proxy, b = _started_through_a_proxy(tmp_path, agenda_path, machines)
    try:
        proxy.cut()
        a.command("blackout", "on")  # journaled on A only
        a.command("next")
        a.kill()
        wait_for("the cut said", lambda: _peer_notice(b), timeout=SILENT_SAID_S + 0.5)
        assert b._get("/api/takeover")["applied"]
        b.command("add", "60")
    finally:
        proxy.close()
    again = restart(a, tmp_path, "a-again")  # its own agenda, its rehearsal resumed
    machines.append(again)
    again.wait_following(rows=2)
    assert rows(entries(again.state)) == rows(entries(b.state))
    aside = [e.entry.action.name for e in set_aside(again.state)]
    assert aside == ["blackout", "next"]
    wait_for("the new primary to keep them too", lambda: len(set_aside(b.state)) == 2)
    for state in (again.state, b.state):
        done = report(state)
        assert done.returncode == 0, done.stderr
        assert "Not part of the show after the takeover at" in done.stdout
        assert "blackout(on=True)" in done.stdout
        data = json.loads(report(state, "--format", "json").stdout)
        assert [x["name"] for x in data["set_aside"]] == ["blackout", "next"]
        assert data["segments"][1]["actual_start"] is None  # A's "next" is not in the times
    assert not b.now()["blackout"]


def test_a_takeover_run_tally_is_all_zero_when_nothing_ran():
    """The soak's table adds up (the soak prints it after 30 and more runs)."""
    total = Takeovers()
    total.merge(Takeovers(runs=1, acked=3, takeover_s=[0.1]))
    assert total.runs == 1 and "kill -> takeover applied, median (s)" in total.table()


def test_the_video_desk_plays_the_file_from_its_own_disk_and_the_primary_follows_it(
    tmp_path, machines
):
    """The video file is on the video desk only (the MC's laptop names it at a path of its
    own): when the video segment starts on the primary, the follower started with
    --video-screen plays it from its --media-dir, and the file's real length travels back as
    the primary's ``media`` action (source ``peer``), so the MC's countdown follows the
    playback there; the MC's laptop plays nothing itself and says where the videos play."""
    from media_clips import make_clip
    from test_torture_process import VIDEO, video_seed

    mc_folder, desk_media = tmp_path / "mc", tmp_path / "desk-media"
    mc_folder.mkdir()
    desk_media.mkdir()
    agenda_path = video_seed(mc_folder)
    make_clip(desk_media / "clip.mp4", 3.0)
    (mc_folder / "clip.mp4").unlink()  # the MC's laptop does not have it
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    desk = start_follower(tmp_path, "desk", a, "--video-screen", "1", "--media-dir",
                          str(desk_media))  # fmt: skip
    machines.append(desk)
    wait_for("the MC told where videos play",
             lambda: "video desk" in (a.now()["notices"].get("video") or ""))  # fmt: skip
    a.command("goto", VIDEO)
    a.command("start")
    media = wait_for(
        "the video's length journaled from the desk",
        lambda: [e.action for e in entries(a.state) if e.action.name == "media"],
    )
    assert media[0].source == "peer" and media[0].args["length_s"] == pytest.approx(3.0, abs=0.3)
    now = a.now()
    assert now["index"] == int(VIDEO) and now["remaining_s"] <= 3.2
    desk.wait_following(rows=len(entries(a.state)))
    assert rows(entries(desk.state)) == rows(entries(a.state))


def test_a_browser_view_of_the_dead_primary_finds_the_laptop_that_took_over(
    tmp_path, agenda_path, machines
):
    """A timer view opened on the MC's laptop (QtWebEngine, a real browser engine) was told
    every laptop's address: when the MC's laptop dies it says OFFLINE, and once the follower
    has taken over it counts again from there, by itself."""
    import subprocess
    import sys
    import threading

    need("QtWebEngine")
    browser = Path(__file__).parents[1] / "network" / "browser_probe.py"

    def probe(url: str, out: Path, *options: str) -> dict:
        done = subprocess.run([sys.executable, str(browser), url, str(out), *options],
                              capture_output=True, text=True, timeout=90)  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(out.read_text(encoding="utf-8"))

    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    a.command("start")
    result: dict = {}
    thread = threading.Thread(
        target=lambda: result.update(probe(f"{a.url}/timer", tmp_path / "v.json", "--watch", "7")),
        daemon=True,
    )
    thread.start()
    time.sleep(3.0)  # the page loads and runs (a view takes a second or two to start)
    a.kill()
    wait_for("the follower to see it", lambda: _peer_notice(b), timeout=SILENT_SAID_S)
    assert b._get("/api/takeover")["applied"]
    thread.join(timeout=90)
    samples = result["samples"]
    assert any(not s[1] for s in samples), "the view never said it was offline"
    assert samples[-1][1] and not samples[-1][3], samples[-3:]  # online again, from B
    flips = [text for _at, text in result["flips"]]
    assert len(flips) >= 2 and flips[-1] == result["countdown"]


def test_a_follower_started_again_with_nobody_to_follow_shows_its_copy_and_takes_over(
    tmp_path, agenda_path, machines
):
    """The MC's laptop is gone and the stage manager's laptop is restarted too (a reboot):
    with nobody answering it shows the show from its own copy after a few seconds, counting,
    NOT CONNECTED, and can take over from it."""
    a = start_primary(tmp_path, "a", agenda_path)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    a.command("start")
    a.command("next")
    b.wait_following(rows=2)
    held = rows(entries(b.state))
    truth = b.now()
    b.close()
    a.close()
    again = Machine(["--join", a.address], b.state, tmp_path / "b-again.log")
    machines.append(again)
    again.wait_serving()
    notice = wait_for("its copy shown", lambda: _peer_notice(again), timeout=10)
    assert "NOT CONNECTED" in notice
    now = again.now()
    assert (now["index"], now["status"]) == (truth["index"], truth["status"])
    elapsed = now["t"] - truth["t"]
    assert abs(now["remaining_s"] - (truth["remaining_s"] - elapsed)) < 0.5  # wall-placed
    assert again._get("/api/takeover")["applied"]
    assert again.command("next")["applied"]
    assert rows(entries(again.state))[:2] == held
