"""Page 1 of the printed run sheet and of the report PDF, as PNGs for the README.

    python docs/screenshots/make_pdf_screenshots.py [OUT_DIR]

- ``runsheet-page1.png``: ``runofshow print agendas/innovation-relay-2022.yaml`` (A4
  landscape, Korean headings);
- ``report-page1.png``: ``runofshow report --pdf`` of the bundled show run on a fake clock
  from 15:00, every pitch 42 s over its 4:30 slot (12 s over its 5:00 limit).

The PDFs are drawn by the app's own code, with a fixed "printed" time so that reruns give
the same pages, then rasterised by poppler's ``pdftoppm`` at 80 dpi (the PDFs themselves are
vector text). Run it from the repository's top folder. The journal records the agenda's
absolute path, which would print this machine's folders on the picture: the report is
shown with the agenda's path as the README's commands name it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from runofshow._qt.printing.report_pdf import write_report_pdf
from runofshow._qt.printing.run_sheet import write_run_sheet_pdf
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import ShowStore
from runofshow.core.loader import load_agenda
from runofshow.core.report import ShowReport, build_report
from runofshow.core.resume import open_show

HERE = Path(__file__).resolve().parent
AGENDA = Path("agendas/innovation-relay-2022.yaml")
SEOUL = dt.timezone(dt.timedelta(hours=9))
PRINTED = dt.datetime(2022, 11, 30, 14, 5, tzinfo=SEOUL)
PITCH_OVERRUN_S = 42


def simulated_report(state: Path) -> ShowReport:
    """The bundled show from 15:00, each pitch 42 s long, everything else on its slot."""
    agenda = load_agenda(AGENDA)
    three_pm = dt.datetime(2022, 11, 30, 15, 0, tzinfo=SEOUL).timestamp()
    clock = FakeClock(wall=three_pm - 60, mono=5_000.0)
    with ShowStore(state) as store:
        opened = open_show(store, agenda, clock)
        engine = ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)
        clock.advance(60)
        engine.start()
        for segment in agenda.segments:
            clock.advance(segment.duration_s + (PITCH_OVERRUN_S if segment.limit_s else 0))
            engine.next()
        store.mark_ended(opened.record.id, clock.wall())
        record = store.show(opened.record.id)
        assert record is not None
        report = build_report(agenda, record, opened.journal.actions())
        return dataclasses.replace(report, agenda_path=str(AGENDA))


def first_page_png(pdf: Path, png: Path) -> None:
    stem = png.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    print(f"wrote {png}")


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        write_run_sheet_pdf(load_agenda(AGENDA), work / "runsheet.pdf", printed_at=PRINTED)
        first_page_png(work / "runsheet.pdf", out_dir / "runsheet-page1.png")
        report = simulated_report(work / "state")
        write_report_pdf(report, work / "report.pdf", printed_at=PRINTED)
        first_page_png(work / "report.pdf", out_dir / "report-page1.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
