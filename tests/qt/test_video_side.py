"""The video cue attached to the app: made only for agendas with video files, its failures on
the MC's notice bar, its position on the stage manager's banner, replaced with the show."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_clips import make_clip
from test_stage_side import opened
from test_video_player import video_agenda

from runofshow.core.clock import SystemClock
from runofshow.core.engine import ShowEngine

pytestmark = pytest.mark.qt_log_ignore(
    "No HW decoder", "No audio device", "No RHI backend", "pipewire", "Could not open media"
)


def test_no_video_files_no_player(qtbot, engine, clock):
    """The hand-built show names no video file: no QtMultimedia player is made."""
    _window, side = opened(qtbot, engine, clock)
    assert side.video.cue is None


def test_a_missing_video_file_is_on_the_mc_notice_bar(qtbot, clock, tmp_path: Path):
    """The video segment starts, its file is missing: the MC is told, the show runs on."""
    engine = ShowEngine(video_agenda(tmp_path / "gone.mp4"), SystemClock())
    window, side = opened(qtbot, engine, clock)
    assert side.video.cue is not None
    engine.start()
    qtbot.waitUntil(lambda: "gone.mp4" in window.view.notice.text(), timeout=8000)
    assert engine.now().status.value == "running"


def test_playback_position_reaches_the_stage_manager(qtbot, clock, tmp_path: Path):
    """A playing clip's position shows on the stage manager's running-cue line."""
    clip = make_clip(tmp_path / "clip.mp4", 3.0)
    engine = ShowEngine(video_agenda(clip), SystemClock())
    _window, side = opened(qtbot, engine, clock)
    engine.start()
    qtbot.waitUntil(lambda: "▶" in side.manager.playback, timeout=8000)
    side.video.cue.close()


def test_a_new_show_replaces_the_video_cue(qtbot, clock, engine, tmp_path: Path):
    """Opening a show without videos drops the previous show's player."""
    video_engine = ShowEngine(video_agenda(tmp_path / "gone.mp4"), SystemClock())
    window, side = opened(qtbot, video_engine, clock)
    assert side.video.cue is not None
    window.host.start_show(engine)
    assert side.video.cue is None


def test_video_troubles_are_said_in_the_operators_language(qtbot, clock, tmp_path: Path):
    """A Korean MC reads a missing video file in Korean on the notice bar (it was English
    only)."""
    engine = ShowEngine(video_agenda(tmp_path / "없음.mp4"), SystemClock())
    window, side = opened(qtbot, engine, clock)
    window.set_language("ko")
    side.video.follow(engine)  # the show's video cue, made in the language now chosen
    engine.start()
    qtbot.waitUntil(lambda: "영상 파일이 없습니다" in window.view.notice.text(), timeout=8000)
    assert "일반 타이머로 진행됩니다" in window.view.notice.text()
