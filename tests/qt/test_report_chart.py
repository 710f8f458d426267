"""The report's Gantt chart: a PNG of the right size, with the over-limit red only where a
segment really ran past its hard limit, written from the command line with --chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from runofshow._qt.printing.report_chart import (
    AXIS_H,
    FOOTER_H,
    HEADER_H,
    OVER_LIMIT,
    ROW_H,
    chart_image,
)
from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import ShowStore
from runofshow.core.loader import load_agenda
from runofshow.core.report import ShowReport, build_report
from runofshow.core.resume import open_show
from runofshow.report_command import EXIT_OK, main
from runofshow.resources import default_agenda

SEOUL = dt.timezone(dt.timedelta(hours=9))
THREE_PM = dt.datetime(2022, 11, 30, 15, 0, tzinfo=SEOUL).timestamp()


@pytest.fixture
def agenda() -> Agenda:
    return load_agenda(default_agenda())


def stored_show(folder: Path, agenda: Agenda, overrun_s: int) -> ShowReport:
    """Run the bundled show from 15:00, every pitch ``overrun_s`` past its slot and every other
    segment exactly on its slot, into a store at ``folder``; returns its report."""
    clock = FakeClock(wall=THREE_PM - 60, mono=5_000.0)
    with ShowStore(folder) as store:
        opened = open_show(store, agenda, clock)
        engine = ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)
        clock.advance(60)
        engine.start()
        for segment in agenda.segments:
            clock.advance(segment.duration_s + (overrun_s if segment.limit_s else 0))
            engine.next()
        store.mark_ended(opened.record.id, clock.wall())
        return build_report(agenda, store.show(1), opened.journal.actions())


def red_pixels(image: QImage) -> int:
    """How many pixels are exactly the over-limit colour (ARGB32 is B, G, R, A in memory)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    pixel = bytes([OVER_LIMIT.blue(), OVER_LIMIT.green(), OVER_LIMIT.red(), 255])
    return bytes(image.constBits()).count(pixel)


def test_pitches_over_their_limit_are_drawn_red(qapp, tmp_path, agenda):
    """Pitches 72 s over a 4:30 slot are 42 s over their 5:00 limit: red bars and labels."""
    report = stored_show(tmp_path, agenda, overrun_s=72)
    image = chart_image(report, width=1400)
    assert image.width() == 1400
    assert image.height() == HEADER_H + AXIS_H + ROW_H * len(agenda.segments) + FOOTER_H
    assert red_pixels(image) > 500


def test_a_show_within_its_limits_has_no_red_bars(qapp, tmp_path, agenda):
    """Pitches 20 s over their slot but inside the limit are amber, never red; the only red
    left is the legend's swatch and the footer saying the show ran late."""
    late = chart_image(stored_show(tmp_path / "late", agenda, overrun_s=72))
    inside = chart_image(stored_show(tmp_path / "inside", agenda, overrun_s=20))
    assert red_pixels(inside) < red_pixels(late) / 4


def test_the_command_writes_the_chart_as_png(qapp, tmp_path, agenda, capsys):
    """`runofshow report --chart out.png` writes a PNG that Qt reads back at full size."""
    stored_show(tmp_path / "state", agenda, overrun_s=42)
    out = tmp_path / "chart.png"
    argv = ["--state-dir", str(tmp_path / "state"), "--chart", str(out), "--format", "csv"]
    assert main(argv) == EXIT_OK
    assert "chart written" in capsys.readouterr().err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert QImage(str(out)).width() == 1600


def test_table_and_chart_round_alike_and_a_second_or_two_is_not_over(agenda, tmp_path):
    """Pitches 1.6 s past their 4:30 slot (a key pressed late): the table shows no overrun
    and the chart paints them on time; 30.5 s past their slot (0.5 s past the limit: a
    second rounded up) the table says +0:31 over the slot and the chart writes the same."""
    from runofshow._qt.printing.report_chart import ON_TIME, _colour, _overrun_label
    from runofshow.core.report import render_table

    late_key = stored_show(tmp_path / "a", agenda, 1.6)
    pitch = late_key.segments[3]
    assert _colour(pitch) == ON_TIME and _overrun_label(pitch) is None
    row = next(line for line in render_table(late_key).splitlines() if "코로나19" in line)
    assert "+0:02" not in row and "+0:01" not in row
    over = stored_show(tmp_path / "b", agenda, 30.5)
    pitch = over.segments[3]
    label = _overrun_label(pitch)
    row = next(line for line in render_table(over).splitlines() if "코로나19" in line)
    assert label is not None and label[0] == "+0:01"  # past the 5:00 limit, rounded
    assert "+0:31" in row and "+0:01" in row  # past the slot, past the limit
