"""How long is each video, really? Answered before the show, without Qt.

``runofshow check`` must stay fast and must not load Qt, so the length of a video file is read
with ``ffprobe`` when it is on PATH (it opens the file the way a player does, so a file it
cannot open would not play either), and otherwise with a small reader of the MP4/MOV box tree
(``moov/mvhd`` holds the movie's timescale and duration), which covers the files people
actually bring to a show. The GUI does not use this module: during the show the player reports
the real length itself (``runofshow._qt.media.video_player``).

``video_problems`` turns the probes into ``Problem`` warnings for ``check``: a video that cannot
be opened, or whose real length is more than ``TOLERANCE_S`` away from its planned slot. A file
that does not exist is left to the loader's own warning (``agenda_warnings``), so it is not
reported twice.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from runofshow.core.agenda import Agenda, Segment
from runofshow.core.problems import Problem, Severity
from runofshow.core.timefmt import hms, signed_duration

__all__ = [
    "TOLERANCE_S",
    "MediaInfo",
    "MediaProblem",
    "VideoProbe",
    "mp4_duration",
    "probe_duration",
    "probe_videos",
    "video_problems",
]

TOLERANCE_S = 5.0  # a real length further than this from the planned slot is worth a warning
FFPROBE_TIMEOUT_S = 10.0  # a file on a sleeping network share must not hang `check`
_CONTAINERS = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid"}
_UNKNOWN_32 = 0xFFFFFFFF
_UNKNOWN_64 = 0xFFFFFFFFFFFFFFFF


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """A video file that opened, and its real length."""

    path: Path
    duration_s: float
    source: Literal["ffprobe", "mp4"]  # which reader measured it


@dataclass(frozen=True, slots=True)
class MediaProblem:
    """A video file whose length could not be read, and why, in words for the stage manager."""

    path: Path
    message: str
    hint: str | None = None


ProbeResult = MediaInfo | MediaProblem


# -- one file ------------------------------------------------------------------------------
def probe_duration(
    path: Path, *, ffprobe: str | Literal["auto"] | None = "auto"
) -> MediaInfo | MediaProblem:
    """The real length of the video at ``path``.

    ``ffprobe`` is the program to run; ``"auto"`` looks it up on PATH, ``None`` forces the
    pure-Python MP4 reader (the tests use both). A missing ffprobe binary also falls back.
    """
    path = Path(path)
    if not path.is_file():
        return MediaProblem(path, "video file not found", "check the path in the agenda")
    program = shutil.which("ffprobe") if ffprobe == "auto" else ffprobe
    if program is not None:
        try:
            return _ffprobe(program, path)
        except OSError:
            pass  # the binary vanished or is not executable: the pure reader still works
    return _mp4_probe(path)


def _ffprobe(program: str, path: Path) -> MediaInfo | MediaProblem:
    """Ask ffprobe for the container's length and its streams, as JSON."""
    argv = [
        program,
        "-v",
        "error",
        "-show_entries",
        "format=duration:stream=codec_type,codec_name",
        "-of",
        "json",
        str(path),
    ]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=FFPROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return MediaProblem(
            path,
            f"could not read the video within {FFPROBE_TIMEOUT_S:g} s",
            "copy the file to a local disk before the show",
        )
    if done.returncode != 0:
        reason = _last_line(done.stderr).removeprefix(f"{path}: ")
        return _unplayable(path, reason or f"ffprobe exited with status {done.returncode}")
    return _ffprobe_result(path, done.stdout)


def _ffprobe_result(path: Path, stdout: bytes) -> MediaInfo | MediaProblem:
    try:
        data = json.loads(stdout or b"{}")
    except ValueError:
        return _unplayable(path, "ffprobe gave no readable answer")
    streams = [s for s in data.get("streams", []) if s.get("codec_name")]
    if not any(s.get("codec_type") in ("video", "audio") for s in streams):
        return _unplayable(path, "no video or audio stream that a player can decode")
    duration = _float(data.get("format", {}).get("duration"))
    if duration is None or duration <= 0:
        return MediaProblem(path, "the video's length is unknown (a live stream?)", None)
    return MediaInfo(path, duration, "ffprobe")


def _unplayable(path: Path, reason: str) -> MediaProblem:
    return MediaProblem(
        path,
        f"cannot open the video: {reason}",
        "re-export it as H.264 MP4 and play it through once before the show",
    )


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1].strip() if lines else ""


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# -- the MP4/MOV box reader ----------------------------------------------------------------
def _mp4_probe(path: Path) -> MediaInfo | MediaProblem:
    try:
        duration = mp4_duration(path)
    except OSError as exc:
        return _unplayable(path, exc.strerror or str(exc))
    except ValueError as exc:
        return MediaProblem(
            path,
            f"cannot read the video's length without ffprobe: {exc}",
            "install ffmpeg (it provides ffprobe) so `check` can open any format",
        )
    return MediaInfo(path, duration, "mp4")


def mp4_duration(path: Path) -> float:
    """The movie length in seconds from an MP4/MOV file's ``moov/mvhd`` box.

    Raises ValueError when the file is not ISO-BMFF or has no usable ``mvhd``: a fragmented
    MP4 whose ``mvhd`` says 0 is measured from ``moov/mvex/mehd`` instead.
    """
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        first = _first_box_type(f)
        if first not in _CONTAINERS:
            raise ValueError("not an MP4/MOV file")
        moov = _find(f, 0, size, b"moov")
        if moov is None:
            raise ValueError("no 'moov' box (an unfinished or damaged recording)")
        timescale, header_length = _mvhd(f, moov)
        duration: int | None = header_length
        if header_length in (0, _UNKNOWN_32, _UNKNOWN_64):
            duration = _mehd(f, moov)
        if timescale == 0 or duration is None:
            raise ValueError("the movie header gives no length")
        return duration / timescale


def _first_box_type(f: BinaryIO) -> bytes:
    f.seek(0)
    header = f.read(8)
    return header[4:8] if len(header) == 8 else b""


def _boxes(f: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box between ``start`` and ``end``; a box's
    payload is skipped by seeking, so a 4 GB ``mdat`` before ``moov`` costs nothing."""
    offset = start
    while offset + 8 <= end:
        f.seek(offset)
        size, kind = struct.unpack(">I4s", f.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", f.read(8))
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise ValueError(f"damaged box '{kind.decode('latin-1')}' at byte {offset}")
        yield kind, offset + header, offset + size
        offset += size


def _find(f: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, payload, box_end in _boxes(f, start, end):
        if found == kind:
            return payload, box_end
    return None


def _mvhd(f: BinaryIO, moov: tuple[int, int]) -> tuple[int, int]:
    """(timescale, duration) from the movie header, version 0 (32-bit) or 1 (64-bit)."""
    box = _find(f, *moov, b"mvhd")
    if box is None:
        raise ValueError("no movie header ('mvhd' box)")
    f.seek(box[0])
    version = f.read(4)[0]
    if version == 1:
        _created, _modified, timescale, duration = struct.unpack(">QQIQ", f.read(28))
    else:
        _created, _modified, timescale, duration = struct.unpack(">IIII", f.read(16))
    return timescale, duration


def _mehd(f: BinaryIO, moov: tuple[int, int]) -> int | None:
    """The fragment duration of a fragmented MP4 (``moov/mvex/mehd``), if it has one."""
    mvex = _find(f, *moov, b"mvex")
    mehd = _find(f, *mvex, b"mehd") if mvex else None
    if mehd is None:
        return None
    f.seek(mehd[0])
    version = f.read(4)[0]
    (duration,) = struct.unpack(">Q" if version == 1 else ">I", f.read(8 if version == 1 else 4))
    return duration or None


# -- the agenda ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VideoProbe:
    """One video segment and what probing its file found."""

    segment: Segment
    result: MediaInfo | MediaProblem

    @property
    def difference_s(self) -> float | None:
        """Real length minus planned slot; None when the length is unknown."""
        if isinstance(self.result, MediaInfo):
            return self.result.duration_s - self.segment.duration_s
        return None

    def summary(self) -> str:
        """The line `check` prints for this video: real length against the planned slot."""
        seg = self.segment
        head = f'segment {seg.index + 1} "{seg.title}": {seg.video}'
        if isinstance(self.result, MediaProblem):
            return f"{head}: {self.result.message}"
        real = hms(round(self.result.duration_s))
        diff = signed_duration(self.difference_s or 0.0)
        return f"{head}: {real} long, planned {hms(seg.duration_s)} ({diff})"


Prober = Callable[[Path], MediaInfo | MediaProblem]


def probe_videos(agenda: Agenda, prober: Prober = probe_duration) -> list[VideoProbe]:
    """Probe every existing video file of the agenda, in running order, a few at a time
    (ffprobe spends most of its time waiting on the disk)."""
    segments = [s for s in agenda.segments if s.video is not None and s.video.is_file()]
    if not segments:
        return []
    with ThreadPoolExecutor(max_workers=min(4, len(segments))) as pool:
        results = list(pool.map(lambda s: prober(s.video), segments))
    return [VideoProbe(seg, result) for seg, result in zip(segments, results, strict=True)]


def video_problems(agenda: Agenda, probes: Sequence[VideoProbe] | None = None) -> list[Problem]:
    """Warnings for `check`: videos that cannot be opened and videos whose real length is
    more than ``TOLERANCE_S`` off the planned slot. Pass ``probes`` to reuse a probe."""
    found = probe_videos(agenda) if probes is None else probes
    return [p for p in (_problem(agenda, probe) for probe in found) if p is not None]


def _problem(agenda: Agenda, probe: VideoProbe) -> Problem | None:
    seg = probe.segment
    name = f'segment {seg.index + 1} "{seg.title}"'
    if isinstance(probe.result, MediaProblem):
        message = f"{name}: {probe.result.message}: {seg.video}"
        return _warning(agenda, seg, message, probe.result.hint)
    diff = probe.difference_s or 0.0
    if abs(diff) <= TOLERANCE_S:
        return None
    real = hms(round(probe.result.duration_s))
    message = (
        f"{name}: the video is {real} long but its slot is {hms(seg.duration_s)} "
        f"({signed_duration(diff)})"
    )
    hint = f"the countdown will follow the video; set `duration: {real}` to keep the plan true"
    return _warning(agenda, seg, message, hint)


def _warning(agenda: Agenda, seg: Segment, message: str, hint: str | None) -> Problem:
    return Problem(agenda.path, seg.pos.line, seg.pos.col, Severity.WARNING, message, hint)
