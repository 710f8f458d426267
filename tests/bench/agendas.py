"""Generated agendas for the benchmarks: a long-running first segment, and N-segment shows.

The agendas are written as YAML and loaded through the real loader, so the scale figures
include parsing and validation exactly as an operator's file would go through them.
"""

from __future__ import annotations

from pathlib import Path

HEADER = """event:
  title: Benchmark show
  date: 2022-11-30
  start: "{start}"
  end: "{end}"
  timezone: Asia/Seoul

defaults:
  wrapup: 0s
  danger: 0s
  sounds: off

programme:
"""

SEGMENT = """  - title: "{title}"
    subtitle: "Segment {number} of the benchmark show"
    speaker: 발표자 {number}
    kind: {kind}
    duration: {duration}s
"""

KINDS = ("talk", "pitch", "speech", "ceremony")


def clock(seconds: int) -> str:
    """``HH:MM`` of a time of day given in seconds (the agenda's start and end)."""
    return f"{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}"


def agenda_text(durations: list[int], start_s: int = 9 * 3600) -> str:
    """An agenda of segments with these durations (seconds), in groups of ten."""
    total = sum(durations)
    end_s = min(start_s + total + 60, 23 * 3600 + 59 * 60)
    parts = [HEADER.format(start=clock(start_s), end=clock(end_s))]
    for i, duration in enumerate(durations):
        parts.append(
            SEGMENT.format(
                title=f"세그먼트 {i + 1} — benchmark segment",
                number=i + 1,
                kind=KINDS[i % len(KINDS)],
                duration=duration,
            )
        )
    return "".join(parts)


COMPACT_SEGMENT = """  - title: "세그먼트 {number}"
    duration: {duration}s
"""


def write_scale_agenda(folder: Path, count: int) -> Path:
    """``count`` segments of 1 to 4 s, title and duration only: 20,000 rows must fit the
    loader's 1 MiB file limit and one day."""
    parts = [HEADER.format(start="00:00", end=clock(min(count * 3 + 60, 86_000)))]
    parts += [COMPACT_SEGMENT.format(number=i + 1, duration=1 + i % 4) for i in range(count)]
    path = folder / f"scale-{count}.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_timing_agenda(folder: Path, first_s: int) -> Path:
    """A first segment of ``first_s`` seconds (the timing run counts it down and into
    overtime), then two more so the running order has rows."""
    path = folder / "timing.yaml"
    path.write_text(agenda_text([first_s, 300, 300]), encoding="utf-8")
    return path
