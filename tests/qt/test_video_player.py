"""The video segment plays itself: QMediaPlayer really decodes a clip offscreen here (Qt's
bundled FFmpeg backend, no QT_MEDIA_BACKEND needed, no audio device), the countdown takes the
file's real length, the engine drives pause/resume/next, the end of the file advances an
``advance`` segment, and every failure is an ``error`` signal with the segment left a timer.

The engine runs on the real clock here: the video plays in real time, so a fake clock would
make the countdown and the video disagree on purpose. Clips are made by ffmpeg (Debian's
``ffmpeg`` package, which CI installs).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from media_clips import make_clip
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QMediaPlayer

from runofshow._qt.media.video_player import END_GRACE_S, CueState, VideoCue, choose_screen
from runofshow.core import actions as act
from runofshow.core.agenda import Agenda, Defaults, EndAction, Event, Kind, Segment
from runofshow.core.clock import SystemClock
from runofshow.core.engine import ShowEngine, Status

# What QtMultimedia says on a machine with no GPU, no PipeWire and no sound card, and what
# FFmpeg says about a file it cannot open: expected here, so not test failures.
pytestmark = pytest.mark.qt_log_ignore(
    "No HW decoder",
    "No audio device",
    "No RHI backend",
    "pipewire",
    "Could not open media",
)

Playing = QMediaPlayer.PlaybackState.PlayingState
Paused = QMediaPlayer.PlaybackState.PausedState
WAIT_MS = 8000  # generous for a loaded CI machine; a healthy run needs a fraction of it


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 3 s clip whose length the countdown must take."""
    return make_clip(tmp_path_factory.mktemp("video") / "clip.mp4", 3.0)


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1 s clip for the tests that wait for the end of the file."""
    return make_clip(tmp_path_factory.mktemp("video") / "short.mp4", 1.0)


def video_agenda(video: Path, end_action: EndAction = EndAction.HOLD) -> Agenda:
    """A 5:00 video slot followed by a 1:00 close."""
    segments = (
        Segment(0, "intro", "Intro video", 300, Kind.VIDEO, video=video, end_action=end_action),
        Segment(1, "close", "Close", 60, Kind.CEREMONY),
    )
    today = dt.date.today()
    event = Event(title="Video test", date=today, start_s=0, end_s=86_399)
    return Agenda(Path("video.yaml"), event, Defaults(), segments)


StartCue = Callable[..., tuple[ShowEngine, VideoCue]]


@pytest.fixture
def start_cue(qtbot) -> Iterator[StartCue]:
    """Make an engine on the real clock with a cue on the offscreen screen (or none), not
    started; each cue is closed afterwards and its player deleted before the test ends."""
    cues: list[VideoCue] = []

    def make(agenda: Agenda, *, screen: bool = True) -> tuple[ShowEngine, VideoCue]:
        engine = ShowEngine(agenda, SystemClock())
        cue = VideoCue(engine, QGuiApplication.primaryScreen() if screen else None)
        cues.append(cue)
        return engine, cue

    yield make
    for cue in cues:
        with qtbot.waitSignal(cue.player.destroyed, timeout=WAIT_MS):
            cue.close()


@pytest.fixture
def playing(qtbot, start_cue: StartCue, clip: Path) -> tuple[ShowEngine, VideoCue]:
    """The 3 s clip playing in a ``hold`` segment, its length already journaled."""
    engine, cue = start_cue(video_agenda(clip))
    engine.start()
    qtbot.waitUntil(lambda: media_lengths(engine) != [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: cue.player.playbackState() == Playing, timeout=WAIT_MS)
    return engine, cue


def media_lengths(engine: ShowEngine) -> list[float]:
    """Every length the cue journaled, in order."""
    return [a.args["length_s"] for a in engine.actions if a.name == act.MEDIA]


def advancing(cue: VideoCue, qtbot) -> None:
    """Wait until the video's position has moved on by at least 0.3 s."""
    start = cue.position_s()
    qtbot.waitUntil(lambda: cue.position_s() > start + 0.3, timeout=WAIT_MS)


# -- playing ---------------------------------------------------------------------------------
def test_the_video_plays_fullscreen_offscreen_without_audio(playing, qtbot) -> None:
    """Offscreen and with no sound card, the player really plays: position advances, the
    window covers the output screen without a frame."""
    _engine, cue = playing
    advancing(cue, qtbot)
    assert cue.state() == CueState.PLAYING
    assert cue.window.isVisible() and cue.window.isFullScreen()
    assert cue.window.geometry() == cue.screen().geometry()
    assert cue.player.hasVideo()


def test_the_countdown_takes_the_files_real_length(playing, qtbot) -> None:
    """The planned 5:00 gives way to the clip's 3.0 s, and the countdown stays with the
    video as it plays."""
    engine, cue = playing
    lengths = media_lengths(engine)
    assert lengths[0] == pytest.approx(3.0, abs=0.25)
    assert cue.duration_s() == pytest.approx(3.0, abs=0.05)
    with qtbot.waitSignal(cue.progress, timeout=WAIT_MS) as blocker:
        pass
    position, remaining = blocker.args
    assert position + remaining == pytest.approx(3.0, abs=0.05)
    assert engine.now().allowance_s < 3.5
    assert engine.now().remaining_s == pytest.approx(cue.remaining_s(), abs=0.35)


def test_pause_and_resume_reach_the_player(playing, qtbot) -> None:
    """Engine pause stops the video where it is; resume carries on from there."""
    engine, cue = playing
    engine.pause()
    qtbot.waitUntil(lambda: cue.player.playbackState() == Paused, timeout=WAIT_MS)
    assert cue.state() == CueState.PAUSED
    engine.resume()
    qtbot.waitUntil(lambda: cue.player.playbackState() == Playing, timeout=WAIT_MS)
    advancing(cue, qtbot)


def test_the_uis_pause_goes_through_the_engine(playing, qtbot) -> None:
    """``toggle_pause`` pauses the engine, and the player follows the engine."""
    engine, cue = playing
    assert cue.toggle_pause()
    assert engine.status is Status.PAUSED
    qtbot.waitUntil(lambda: cue.player.playbackState() == Paused, timeout=WAIT_MS)
    assert cue.toggle_pause()
    assert engine.status is Status.RUNNING
    qtbot.waitUntil(lambda: cue.player.playbackState() == Playing, timeout=WAIT_MS)


def test_next_stops_the_video(playing, qtbot) -> None:
    """Moving on stops the player, lets go of the file and hides the output window."""
    engine, cue = playing
    engine.next()
    assert cue.state() == CueState.IDLE
    assert not cue.window.isVisible()
    assert cue.remaining_s() is None
    qtbot.waitUntil(lambda: not cue.player.source().isValid(), timeout=WAIT_MS)
    assert cue.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState


def test_reset_starts_the_video_over(playing, qtbot) -> None:
    """Resetting the segment restarts the file and journals its full length afresh."""
    engine, cue = playing
    advancing(cue, qtbot)
    engine.reset_segment()
    qtbot.waitUntil(lambda: cue.position_s() < 0.5, timeout=WAIT_MS)
    assert media_lengths(engine)[-1] == pytest.approx(3.0, abs=0.05)
    assert engine.now().remaining_s == pytest.approx(3.0, abs=0.3)


def test_a_show_resumed_mid_video_picks_the_video_up_where_it_was(
    qtbot, start_cue: StartCue, clip: Path
) -> None:
    """The app restarts (a crash, a reboot) 1.5 s into the video segment: the file resumes
    about 1.5 s in, not from its start, and the countdown keeps the file's real length
    (3.0 s) instead of growing by the replayed part."""
    import dataclasses

    from runofshow.core.actions import MemoryJournal

    before = ShowEngine(video_agenda(clip), SystemClock())
    before.start()
    earlier = [
        dataclasses.replace(a, t=a.t - 1.5, wall=a.wall - 1.5, mono=a.mono - 1.5)
        for a in before.actions
    ]
    engine = ShowEngine(video_agenda(clip), SystemClock(), MemoryJournal(earlier))
    assert engine.now().status is Status.RUNNING and engine.now().elapsed_s >= 1.5
    loaded_at = time.monotonic()
    cue = VideoCue(engine, QGuiApplication.primaryScreen())
    try:
        qtbot.waitUntil(lambda: media_lengths(engine) != [], timeout=WAIT_MS)
        assert media_lengths(engine)[0] == pytest.approx(3.0, abs=0.35)
        assert engine.now().allowance_s < 3.5
        qtbot.waitUntil(lambda: cue.state() == CueState.ENDED, timeout=WAIT_MS)
        assert time.monotonic() - loaded_at < 2.6  # the last ~1.5 s played, not all 3 s
    finally:
        with qtbot.waitSignal(cue.player.destroyed, timeout=WAIT_MS):
            cue.close()


# -- the end of the file ---------------------------------------------------------------------
def test_the_end_of_an_advance_video_moves_the_show_on(
    qtbot, start_cue: StartCue, short_clip: Path
) -> None:
    """With ``end_action: advance`` the end of the file calls ``next``: the close starts."""
    engine, cue = start_cue(video_agenda(short_clip, EndAction.ADVANCE))
    engine.start()
    qtbot.waitUntil(lambda: engine.now().index == 1, timeout=WAIT_MS)
    assert [a.name for a in engine.actions].count(act.NEXT) == 1
    assert media_lengths(engine)[0] == pytest.approx(1.0 + END_GRACE_S, abs=0.25)
    assert cue.state() == CueState.IDLE


def test_the_end_of_a_hold_video_leaves_the_engine_counting(
    qtbot, start_cue: StartCue, short_clip: Path
) -> None:
    """With ``end_action: hold`` the video ends and the segment stays, counting overtime."""
    engine, cue = start_cue(video_agenda(short_clip, EndAction.HOLD))
    engine.start()
    with qtbot.waitSignal(cue.state_changed, timeout=WAIT_MS, check_params_cb=_is_ended):
        pass
    assert engine.now().index == 0
    assert engine.now().remaining_s < 0.3
    assert act.NEXT not in [a.name for a in engine.actions]
    assert cue.window.isVisible()


def _is_ended(state: str) -> bool:
    return state == CueState.ENDED


# -- failures --------------------------------------------------------------------------------
def expect_fallback(qtbot, engine: ShowEngine, cue: VideoCue) -> str:
    """Start the show, wait for the error, and check the segment is a plain 5:00 timer."""
    with qtbot.waitSignal(cue.error, timeout=WAIT_MS) as blocker:
        engine.start()
    assert cue.state() == CueState.FAILED
    assert not cue.window.isVisible()
    assert media_lengths(engine) == []
    assert engine.now().allowance_s == 300
    assert engine.status is Status.RUNNING
    message = blocker.args[0]
    assert message.startswith('Video for "Intro video": ')
    assert message.endswith("The segment runs as a plain 5:00 timer.")
    qtbot.waitUntil(lambda: not cue.player.source().isValid(), timeout=WAIT_MS)
    return message


def test_a_missing_file_is_an_error_and_a_timer(qtbot, start_cue: StartCue, tmp_path: Path) -> None:
    """A file that is not there: the MC is told, the show runs on the planned slot."""
    engine, cue = start_cue(video_agenda(tmp_path / "lost.mp4"))
    assert "video file not found" in expect_fallback(qtbot, engine, cue)


def test_a_file_that_cannot_be_decoded_is_an_error_and_a_timer(
    qtbot, start_cue: StartCue, tmp_path: Path
) -> None:
    """Garbage bytes named .mp4: the player's error reaches the MC, the show runs on."""
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(20_000)))
    engine, cue = start_cue(video_agenda(garbage))
    assert "cannot play garbage.mp4" in expect_fallback(qtbot, engine, cue)


def test_no_screen_is_an_error_and_a_timer(qtbot, start_cue: StartCue, clip: Path) -> None:
    """No output screen to play on: nothing is loaded, the MC is told, the show runs on."""
    engine, cue = start_cue(video_agenda(clip), screen=False)
    assert "no screen to play it on" in expect_fallback(qtbot, engine, cue)
    assert cue.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState


def test_a_failed_video_is_tried_again_when_the_segment_comes_back(
    qtbot, start_cue: StartCue, clip: Path
) -> None:
    """Once a screen is chosen, going back to the segment plays the video after all."""
    engine, cue = start_cue(video_agenda(clip), screen=False)
    with qtbot.waitSignal(cue.error, timeout=WAIT_MS):
        engine.start()
    cue.set_screen(QGuiApplication.primaryScreen())
    engine.next()
    engine.previous()
    qtbot.waitUntil(lambda: cue.player.playbackState() == Playing, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: media_lengths(engine) != [], timeout=WAIT_MS)


def test_choose_screen_prefers_a_named_screen_else_the_only_one(qapp) -> None:
    """Offscreen there is one screen: it is chosen by default, by its name and by number."""
    primary = QGuiApplication.primaryScreen()
    assert choose_screen() is primary
    assert choose_screen(0) is primary
    assert choose_screen(primary.name()) is primary
    assert choose_screen("no such projector") is primary


def test_an_unplugged_projector_hides_the_video_but_not_the_show(playing, qtbot) -> None:
    """The output screen going away mid-video hides the window and says so; the sound and the
    countdown carry on, and the video comes back when the same screen is plugged in again."""
    engine, cue = playing
    app = QGuiApplication.instance()
    screen = QGuiApplication.primaryScreen()
    with qtbot.waitSignal(cue.error, timeout=WAIT_MS) as blocker:
        app.screenRemoved.emit(screen)
    assert "was disconnected; the sound and the countdown carry on" in blocker.args[0]
    assert not cue.window.isVisible()
    assert cue.state() == CueState.PLAYING and engine.status is Status.RUNNING
    advancing(cue, qtbot)
    app.screenAdded.emit(screen)
    assert cue.window.isVisible()
