"""The video probe `check` uses: real lengths by ffprobe and by the pure-Python MP4 reader,
every way a file can fail to open, and the warnings an agenda gets. No Qt here.

Clips are made by ffmpeg (lavfi test pattern and a sine tone), which CI installs with Debian's
``ffmpeg`` package; that package also provides the ``ffprobe`` the first path needs.
"""

from __future__ import annotations

import stat
import struct
import subprocess
from pathlib import Path

import pytest
from show_builders import make_agenda
from tools import need

from runofshow.core import media_probe
from runofshow.core.agenda import Kind, SourcePos
from runofshow.core.media_probe import (
    MediaInfo,
    MediaProblem,
    VideoProbe,
    mp4_duration,
    probe_duration,
    probe_videos,
    video_problems,
)
from runofshow.core.problems import Severity


def make_clip(path: Path, seconds: float = 3.0, *extra: str) -> Path:
    """A small H.264/AAC clip of ``seconds``: a test pattern with a tone."""
    need("ffmpeg")
    argv = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=160x120:rate=25",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        *extra, str(path),
    ]  # fmt: skip
    subprocess.run(argv, check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One 3 s clip in each layout the MP4 reader must walk: ``moov`` after ``mdat`` (ffmpeg's
    default), ``moov`` first (faststart, as web exports do) and QuickTime .mov."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "mp4": make_clip(folder / "clip.mp4"),
        "faststart": make_clip(folder / "fast.mp4", 3.0, "-movflags", "+faststart"),
        "mov": make_clip(folder / "clip.mov"),
    }


@pytest.fixture
def garbage(tmp_path: Path) -> Path:
    """Random-looking bytes wearing an .mp4 name."""
    path = tmp_path / "garbage.mp4"
    path.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(20_000)))
    return path


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mvhd(timescale: int, duration: int, version: int = 0) -> bytes:
    if version == 1:
        body = struct.pack(">B3xQQIQ", 1, 0, 0, timescale, duration)
    else:
        body = struct.pack(">B3xIIII", 0, 0, 0, timescale, duration)
    return box(b"mvhd", body + bytes(80))


# -- ffprobe -------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", ["mp4", "faststart", "mov"])
def test_ffprobe_reads_the_real_length(clips: dict[str, Path], layout: str) -> None:
    """With ffprobe on PATH, a 3 s clip measures 3.0 s, whatever its box layout."""
    need("ffprobe")
    info = probe_duration(clips[layout])
    assert isinstance(info, MediaInfo)
    assert info.source == "ffprobe"
    assert info.duration_s == pytest.approx(3.0, abs=0.05)


def test_ffprobe_refuses_garbage_with_its_reason(garbage: Path) -> None:
    """A file ffprobe cannot open is a problem that says so, without repeating the path."""
    need("ffprobe")  # the garbage file's problem is worded by ffprobe
    result = probe_duration(garbage)
    assert isinstance(result, MediaProblem)
    assert result.message.startswith("cannot open the video: ")
    assert "Invalid data" in result.message
    assert str(garbage) not in result.message


def test_a_hanging_ffprobe_times_out(
    tmp_path: Path, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A probe stuck on a slow disk gives up after the timeout instead of hanging `check`."""
    slow = tmp_path / "ffprobe"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(media_probe, "FFPROBE_TIMEOUT_S", 0.2)
    result = probe_duration(clips["mp4"], ffprobe=str(slow))
    assert isinstance(result, MediaProblem)
    assert "within 0.2 s" in result.message


def test_a_missing_ffprobe_binary_falls_back_to_the_mp4_reader(clips: dict[str, Path]) -> None:
    """A configured ffprobe that cannot be run does not stop the probe."""
    info = probe_duration(clips["mp4"], ffprobe="/nonexistent/ffprobe")
    assert isinstance(info, MediaInfo)
    assert info.source == "mp4"


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    """No file, no length: the message says it was not found."""
    result = probe_duration(tmp_path / "nope.mp4")
    assert isinstance(result, MediaProblem)
    assert result.message == "video file not found"


# -- the pure-Python reader ----------------------------------------------------------------
@pytest.mark.parametrize("layout", ["mp4", "faststart", "mov"])
def test_mp4_reader_reads_the_real_length(clips: dict[str, Path], layout: str) -> None:
    """Without ffprobe, the mvhd reader measures the same 3.0 s in every layout."""
    info = probe_duration(clips[layout], ffprobe=None)
    assert isinstance(info, MediaInfo)
    assert info.source == "mp4"
    assert info.duration_s == pytest.approx(3.0, abs=0.05)


def test_mp4_reader_handles_64_bit_headers_and_large_boxes(tmp_path: Path) -> None:
    """Version-1 mvhd (64-bit times) behind an ``mdat`` with a 64-bit size is read exactly."""
    big_mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 1000) + bytes(1000)
    data = box(b"ftyp", b"isom" + bytes(4)) + big_mdat + box(b"moov", mvhd(90_000, 27_000_000, 1))
    path = tmp_path / "long.mp4"
    path.write_bytes(data)
    assert mp4_duration(path) == pytest.approx(300.0)


def test_mp4_reader_measures_a_fragmented_file_by_mehd(tmp_path: Path) -> None:
    """A fragmented MP4 leaves mvhd at 0; its length is in moov/mvex/mehd."""
    mehd = box(b"mehd", struct.pack(">B3xI", 0, 5_000))
    moov = box(b"moov", mvhd(1000, 0) + box(b"mvex", mehd))
    path = tmp_path / "frag.mp4"
    path.write_bytes(box(b"ftyp", b"iso6" + bytes(4)) + moov)
    assert mp4_duration(path) == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"RIFF....AVI LIST", "not an MP4/MOV file"),
        (box(b"ftyp", b"isom") + box(b"mdat", bytes(10)), "no 'moov' box"),
        (box(b"ftyp", b"isom") + box(b"moov", box(b"trak", b"")), "no movie header"),
        (box(b"ftyp", b"isom") + struct.pack(">I4s", 4000, b"moov"), "damaged box 'moov'"),
        (box(b"ftyp", b"isom") + box(b"moov", mvhd(0, 100)), "gives no length"),
    ],
)
def test_mp4_reader_explains_what_it_cannot_read(tmp_path: Path, data: bytes, reason: str) -> None:
    """Every unreadable file becomes a problem naming the reason and suggesting ffprobe."""
    path = tmp_path / "bad.mp4"
    path.write_bytes(data)
    result = probe_duration(path, ffprobe=None)
    assert isinstance(result, MediaProblem)
    assert reason in result.message
    assert result.hint is not None and "ffprobe" in result.hint


# -- the agenda ----------------------------------------------------------------------------
def video_agenda(clip: Path, garbage: Path, missing: Path, planned_s: int):
    """Four segments: a talk, the clip in a ``planned_s`` slot, garbage, and a missing file."""
    return make_agenda(
        [
            dict(title="Talk", duration_s=300),
            dict(title="Intro", kind=Kind.VIDEO, duration_s=planned_s, video=clip,
                 pos=SourcePos(12, 5)),
            dict(title="Broken", kind=Kind.VIDEO, duration_s=60, video=garbage,
                 pos=SourcePos(20, 5)),
            dict(title="Lost", kind=Kind.VIDEO, duration_s=60, video=missing),
        ]
    )  # fmt: skip


def test_a_video_close_to_its_slot_is_no_problem(clips: dict[str, Path]) -> None:
    """3 s of video in a 5 s slot is within the 5 s tolerance: no warning about it."""
    agenda = make_agenda([dict(title="Intro", kind=Kind.VIDEO, duration_s=5, video=clips["mp4"])])
    assert video_problems(agenda) == []


def test_agenda_warnings_name_the_line_of_each_bad_video(
    clips: dict[str, Path], garbage: Path, tmp_path: Path
) -> None:
    """A 3 s video in a 5:00 slot and an unopenable file are warnings at their segments'
    lines; the missing file is left to the loader's own warning."""
    need("ffprobe")  # the garbage file's problem is worded by ffprobe
    agenda = video_agenda(clips["mp4"], garbage, tmp_path / "lost.mp4", planned_s=300)
    problems = video_problems(agenda)
    assert [(p.line, p.col, p.severity) for p in problems] == [
        (12, 5, Severity.WARNING),
        (20, 5, Severity.WARNING),
    ]
    assert problems[0].message == (
        'segment 2 "Intro": the video is 0:03 long but its slot is 5:00 (-4:57)'
    )
    assert problems[0].hint is not None and "duration: 0:03" in problems[0].hint
    assert problems[1].message.startswith('segment 3 "Broken": cannot open the video')
    assert problems[1].format().startswith("test.yaml:20:5: warning: ")


def test_probes_print_real_length_against_the_slot(
    clips: dict[str, Path], garbage: Path, tmp_path: Path
) -> None:
    """`check` prints one line per existing video: its real length and the planned slot."""
    need("ffprobe")  # the garbage file's problem is worded by ffprobe
    agenda = video_agenda(clips["mp4"], garbage, tmp_path / "lost.mp4", planned_s=300)
    probes = probe_videos(agenda)
    assert [p.segment.title for p in probes] == ["Intro", "Broken"]
    assert probes[0].summary() == (
        f'segment 2 "Intro": {clips["mp4"]}: 0:03 long, planned 5:00 (-4:57)'
    )
    assert probes[0].difference_s == pytest.approx(-297.0, abs=0.05)
    assert "cannot open the video" in probes[1].summary()
    assert video_problems(agenda, probes) == video_problems(agenda)


def test_probes_reuse_a_given_prober(tmp_path: Path) -> None:
    """The probe function is injectable, so a caller (or a test) can swap in its own."""
    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"")
    agenda = make_agenda([dict(title="A", kind=Kind.VIDEO, duration_s=60, video=clip)])
    probes = probe_videos(agenda, lambda path: MediaInfo(path, 70.0, "mp4"))
    assert probes == [VideoProbe(agenda.segments[0], MediaInfo(clip, 70.0, "mp4"))]
    assert [p.message for p in video_problems(agenda, probes)] == [
        'segment 1 "A": the video is 1:10 long but its slot is 1:00 (+0:10)'
    ]
