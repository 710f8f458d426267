"""The Linux chime sink, ``PulseSink``, against a real PulseAudio daemon of the test's own.

Each daemon runs in a private folder with a null sink (a sound card that records instead of
playing), so a test can hear a chime by recording that sink's monitor with ``parec``, and can
kill the daemon mid-show and start it again. Nothing here touches the machine's own sound.
"""

from __future__ import annotations

import array
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from tools import need

from runofshow._qt.sound.pulse import PulseSink, load_libpulse

# The daemon and the recording analysis are shared with the show-day rig (tests/showday).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "showday"))
from pulse_daemon import PulseDaemon, loudest_rms


def heard(recording: Path) -> array.array:
    samples = array.array("h")
    data = recording.read_bytes()
    samples.frombytes(data[: len(data) // 2 * 2])
    return samples


LIBRARY = load_libpulse()


@pytest.fixture(autouse=True)
def pulse_installed() -> None:
    """These tests need Debian's libpulse0, pulseaudio and pulseaudio-utils (.ci/run installs
    them, as it installs Xvfb for the whole-app tests); without them they are skipped, naming
    what is missing (a failure under RUNOFSHOW_REQUIRE_TOOLS=1, as in CI)."""
    need("pulseaudio", "parec", present={"libpulse-simple.so.0": LIBRARY is not None})


REPO = Path(__file__).parents[2]


@pytest.fixture
def start_daemon(monkeypatch):
    """Starts private daemons (with the given sinks) and points this process's PulseAudio
    clients at the last one; every daemon is killed by PID at teardown."""
    daemons: list[PulseDaemon] = []

    def start(sinks: tuple[str, ...] = ("chimes",)) -> PulseDaemon:
        daemon = PulseDaemon(Path(tempfile.mkdtemp(prefix="rp-")), sinks)
        daemons.append(daemon)
        daemon.start()
        for key in ("PULSE_SERVER", "PULSE_COOKIE", "PULSE_RUNTIME_PATH"):
            monkeypatch.setenv(key, daemon.env[key])
        return daemon

    yield start
    for daemon in daemons:
        daemon.kill()
        shutil.rmtree(daemon.folder, ignore_errors=True)


@pytest.fixture
def no_server(monkeypatch, tmp_path):
    """PulseAudio clients in this process look for a server on a socket nobody listens on."""
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'nobody' / 'native'}")
    monkeypatch.setenv("PULSE_COOKIE", str(tmp_path / "cookie"))


def chimes_finished() -> bool:
    return not any(t.name.startswith("chime-") for t in threading.enumerate())


def test_a_chime_is_heard_on_the_pulse_server(qtbot, window, start_daemon, tmp_path):
    """With a sound server and an output, the window shows no NO SOUND and a time-up chime
    really comes out of the output (recorded from it: loud, not silence)."""
    daemon = start_daemon()
    window.host.load_sound()
    assert isinstance(window.host.sink, PulseSink)
    assert window.host.sink.available
    assert "NO SOUND" not in window.view.badges.text()

    recording = tmp_path / "heard.raw"
    with open(recording, "wb") as out:
        recorder = subprocess.Popen(
            [
                *("parec", "-d", "chimes.monitor", "--raw", "--format=s16le"),
                *("--rate=48000", "--channels=1", "--latency-msec=20"),
            ],
            env=daemon.env,
            stdout=out,
        )
    try:
        qtbot.waitUntil(lambda: recording.stat().st_size > 0, timeout=10_000)
        assert loudest_rms(heard(recording)) < 50  # the output is quiet before the chime
        window.host.sink.play("timeup")
        qtbot.waitUntil(lambda: loudest_rms(heard(recording)) > 1000, timeout=10_000)
    finally:
        os.kill(recorder.pid, signal.SIGTERM)
        recorder.wait(timeout=10)
    qtbot.waitUntil(chimes_finished, timeout=10_000)
    assert window.host.sink.available


def test_no_sound_server_shows_no_sound_and_play_is_harmless(qtbot, window, no_server):
    """No sound server at all (a bare stage laptop, CI): NO SOUND shows on the MC's window,
    and a chime is dropped quietly, without an exception or a hang."""
    window.host.load_sound()
    assert isinstance(window.host.sink, PulseSink)
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)
    assert not window.host.sink.available
    window.host.sink.play("timeup")
    window.host.sink.play("no-such-chime")
    qtbot.waitUntil(chimes_finished, timeout=5000)
    assert not window.host.sink.available
    assert "NO SOUND" in window.view.badges.text()


@pytest.mark.parametrize("sinks", [(), ("auto_null",)], ids=["no sink", "dummy output only"])
def test_a_server_without_a_real_output_shows_no_sound(qtbot, window, start_daemon, sinks):
    """A sound server runs but has no output, or only its "Dummy Output" placeholder (the
    audio interface unplugged): nothing would be heard, so NO SOUND shows."""
    start_daemon(sinks)
    window.host.load_sound()
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)
    assert not window.host.sink.available


def test_server_gone_mid_show_is_found_by_the_next_chime(qtbot, window, start_daemon):
    """The sound server dies mid-show: the next chime finds out, and NO SOUND appears on the
    MC's window (from the chime's worker thread), without an exception."""
    daemon = start_daemon()
    sink = PulseSink(LIBRARY, window, check_interval_ms=3_600_000)  # no periodic check here
    window.host.set_sink(sink)
    assert "NO SOUND" not in window.view.badges.text()
    daemon.kill()
    sink.play("wrapup")
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)
    assert not sink.available


def test_server_gone_and_back_updates_the_badge_without_a_chime(qtbot, window, start_daemon):
    """The sound server dies and comes back (PipeWire restarted, interface replugged) while
    no chime plays: the periodic check shows NO SOUND, then takes it away again, and the
    next chime plays."""
    daemon = start_daemon()
    sink = PulseSink(LIBRARY, window, check_interval_ms=100)
    window.host.set_sink(sink)
    assert "NO SOUND" not in window.view.badges.text()
    daemon.kill()
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)
    daemon.start()
    qtbot.waitUntil(lambda: "NO SOUND" not in window.view.badges.text(), timeout=5000)
    assert sink.available
    sink.play("standby")
    qtbot.waitUntil(chimes_finished, timeout=10_000)
    assert sink.available


def test_linux_uses_libpulse_without_loading_qtmultimedia(no_server):
    """On Linux with libpulse the chimes go through PulseSink, and QtMultimedia (its FFmpeg
    backend: 17+ MB resident) is never imported by the sound sink."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from runofshow._qt.sound.sinks import load_sound_sink\n"
        "app = QApplication([])\n"
        "sink = load_sound_sink()\n"
        "print(type(sink).__name__, 'PySide6.QtMultimedia' in sys.modules)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["PulseSink", "False"]
