"""The printed run sheet and the report PDF, read back the way a person and a machine read them:
pdftotext for the words (Korean included), pdfinfo for pages and paper, pdffonts for embedded
fonts, pdftoppm for what the page looks like. They need poppler-utils."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QWidget

from runofshow._qt.printing.dialog import print_run_sheet_dialog
from runofshow._qt.printing.report_pdf import write_report_pdf
from runofshow._qt.printing.run_sheet import CUE_MARK, write_run_sheet_pdf
from runofshow._qt.printing.words import WORDS
from runofshow.core.digest import sha256
from runofshow.core.loader import load_agenda
from runofshow.print_command import main as print_main
from runofshow.report_command import main as report_main
from runofshow.resources import agendas_dir, default_agenda

PRINTED = dt.datetime(2022, 11, 30, 14, 5)


def pdf_text(path: Path, page: int | None = None) -> str:
    """The text a reader copies out of the PDF, a table's rows kept on their lines."""
    options = ["-layout", *(["-f", str(page), "-l", str(page)] if page else [])]
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


def page_image(path: Path, page: int, tmp_path: Path) -> QImage:
    stem = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
         str(path), str(stem)],
        check=True,
    )  # fmt: skip
    return QImage(f"{stem}.png")


def colour_pixels(image: QImage, colour, tolerance: int = 12) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - colour.red()) <= tolerance
                and abs(pixel.green() - colour.green()) <= tolerance
                and abs(pixel.blue() - colour.blue()) <= tolerance
            ):
                count += 1
    return count


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("print") / "seed.pdf"
    write_run_sheet_pdf(load_agenda(default_agenda()), path, printed_at=PRINTED)
    return path


def test_the_seed_run_sheet_has_every_segment_in_korean_text(seed_pdf):
    """Every title, speaker and group of the seed is in the PDF as text a reader can copy,
    with its planned start and end, the event's date, venue and the page numbers."""
    agenda = load_agenda(default_agenda())
    text = pdf_text(seed_pdf)
    assert "개회 및 국민의례" in text
    for segment in agenda.segments:
        assert segment.title.split()[-1] in text
    assert "< 프로그램 1 > 기관 혁신 최우수사례 투자유치(피칭)대회" in text
    assert "서울 팁스타운(S6)" in text and "2022-11-30 (수)" in text
    assert re.search(r"15:10\s+15:14:30\s+4:30\s+5:00", text)
    assert "▶ play 소상공인 피해" in text
    assert "2쪽 중 1쪽" in text and "2쪽 중 2쪽" in text


def test_each_page_names_its_source_digest_and_print_time_and_repeats_the_header(seed_pdf):
    """A loose page says which agenda (file and SHA-256 prefix) and when it was printed."""
    digest = sha256(default_agenda().read_bytes()).hexdigest()[:12]
    for page in (1, 2):
        text = pdf_text(seed_pdf, page)
        assert f"innovation-relay-2022.yaml · sha256 {digest} · 출력 2022-11-30 14:05" in text
        assert re.search(r"순서\s+시작\s+종료\s+분량\s+제한\s+내용\s+발표자", text)


def test_a4_landscape_or_letter_with_the_fonts_embedded(seed_pdf, tmp_path):
    """842 x 595 points is A4 on its side; the NanumSquare faces travel inside the file."""
    info = pdf_info(seed_pdf)
    assert info["Pages"].strip() == "2"
    assert info["Page size"].strip() == "842 x 595 pts (A4)"
    fonts = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True).stdout
    embedded = [line.split()[0] for line in fonts.splitlines()[2:] if " yes " in line]
    assert sorted(embedded) == ["NanumSquareB", "NanumSquareR"]
    letter = tmp_path / "letter.pdf"
    assert print_main([str(default_agenda()), "-o", str(letter), "--paper", "letter"]) == 0
    assert pdf_info(letter)["Page size"].strip() == "792 x 612 pts (letter)"


def test_cues_are_marked_in_colour_and_words(tmp_path):
    """The devconf sheet's three cues: each row has the amber bar, the cue follows a ▶."""
    path = tmp_path / "devconf.pdf"
    write_run_sheet_pdf(load_agenda(agendas_dir() / "devconf-morning.yaml"), path, lang="en")
    text = pdf_text(path)
    assert text.count("▶") == 3 and "RUN SHEET" in text and "fixed start" in text
    assert "▶ Roll the sponsor" in text
    assert "video: sponsor-" in text and "reel.mp4" in text  # wrapped in its narrow cell
    bar = colour_pixels(page_image(path, 1, tmp_path), CUE_MARK)
    assert bar > 20  # three bars, each 2-3 px wide at 60 dpi and a row high (every 2nd counted)


def long_agenda(tmp_path: Path, count: int = 45) -> Path:
    """Many segments whose titles and notes wrap over several lines."""
    lines = [
        "event:", "  title: Long day", "  date: 2025-05-14", "  start: 8:00", "  end: 20:00",
        "programme:",
    ]  # fmt: skip
    for i in range(1, count + 1):
        title = (
            f"Segment {i:02d} " + " ".join(f"word{i:02d}x{j}" for j in range(14)) + f" end{i:02d}"
        )
        lines += [
            f"  - title: {title}",
            "    duration: 10m",
            f"    notes: first note line of {i:02d}, then a second sentence so that it wraps",
        ]
        if i % 5 == 0:
            lines.append(f"    cue: cue number {i:02d}")
    path = tmp_path / "long.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rows_never_split_and_long_titles_wrap_instead_of_being_cut(tmp_path):
    """Across many pages, each segment's start and the last word of its long title are on
    the same page, every word of every title is printed, and each page has the header."""
    agenda = load_agenda(long_agenda(tmp_path))
    path = tmp_path / "long.pdf"
    pages = write_run_sheet_pdf(agenda, path, lang="en", printed_at=PRINTED)
    assert pages >= 3 and pdf_info(path)["Pages"].strip() == str(pages)
    texts = [pdf_text(path, page) for page in range(1, pages + 1)]
    for i, start in enumerate(range(8 * 60, 8 * 60 + 45 * 10, 10), start=1):
        clock = f"{start // 60:02d}:{start % 60:02d}"
        holding = [n for n, text in enumerate(texts) if f"end{i:02d}" in text]
        assert len(holding) == 1, f"segment {i} printed on pages {holding}"
        assert clock in texts[holding[0]] and f"Segment {i:02d}" in texts[holding[0]]
        assert f"word{i:02d}x13" in texts[holding[0]]
    for number, text in enumerate(texts, start=1):
        assert re.search(r"#\s+Start\s+End\s+Length\s+Limit\s+Segment", text)
        assert f"page {number} of {pages}" in text


def test_the_report_pdf_has_the_table_and_the_chart(qapp, tmp_path):
    """Pitches 42 s over their 4:30 slot: the table says +0:42 and +0:12 beside the Korean
    titles; the second page is the Gantt chart with its red over-limit bars."""
    from test_report_chart import stored_show

    from runofshow._qt.printing.report_chart import OVER_LIMIT

    agenda = load_agenda(default_agenda())
    report = stored_show(tmp_path / "state", agenda, overrun_s=42)
    path = tmp_path / "report.pdf"
    assert write_report_pdf(report, path, printed_at=PRINTED) == 2
    table = pdf_text(path, 1)
    assert "개회 및 국민의례" in table and "Post-show report" in table
    assert table.count("+0:42") == 4 and table.count("+0:12") == 4
    assert "page 1 of 2" in table
    assert pdf_info(path)["Page size"].strip() == "842 x 595 pts (A4)"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert {line.split()[0] for line in fonts.splitlines()[2:] if " yes " in line} == {
        "NanumSquareB",
        "NanumSquareR",
    }
    assert colour_pixels(page_image(path, 2, tmp_path), OVER_LIMIT, tolerance=30) > 100
    assert "Planned against actual" in pdf_text(path, 2)


def test_report_command_writes_the_pdf(qapp, tmp_path, capsys):
    from test_report_chart import stored_show

    stored_show(tmp_path / "state", load_agenda(default_agenda()), overrun_s=42)
    out = tmp_path / "report.pdf"
    argv = ["--state-dir", str(tmp_path / "state"), "--pdf", str(out), "--format", "json"]
    assert report_main(argv) == 0
    assert "PDF written to" in capsys.readouterr().err
    assert "혁신 최우수사례 포상금 수여식" in pdf_text(out)


def test_print_command_exit_statuses(tmp_path, capsys):
    """0 written; 2 a broken agenda (its problems printed, no PDF); 64 a usage mistake."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("event:\n  title: X\n", encoding="utf-8")
    out = tmp_path / "x.pdf"
    assert print_main([str(broken), "-o", str(out)]) == 2
    assert "broken.yaml:2:3: error" in capsys.readouterr().err and not out.exists()
    assert print_main([str(default_agenda()), "-o", str(out), "--paper", "a3"]) == 64
    assert print_main([str(default_agenda())]) == 64
    assert print_main([str(default_agenda()), "-o", str(out)]) == 0 and out.exists()


def test_the_print_dialog_prints_the_run_sheet_where_the_user_chose(qtbot, tmp_path, monkeypatch):
    """File → Print run sheet…: accepted with "print to file", the run sheet is in that PDF,
    A4 landscape; cancelled, nothing is printed."""
    target = tmp_path / "chosen.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    parent = QWidget()
    qtbot.addWidget(parent)
    agenda = load_agenda(default_agenda())
    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert print_run_sheet_dialog(parent, agenda, "en") is True
    assert "RUN SHEET" in pdf_text(target) and "개회 및 국민의례" in pdf_text(target)
    assert pdf_info(target)["Page size"].strip() == "842 x 595 pts (A4)"
    monkeypatch.setattr(QPrintDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    target.unlink()
    assert print_run_sheet_dialog(parent, agenda, "ko") is False
    assert not target.exists()


def test_both_languages_have_every_word():
    assert set(WORDS["en"]) == set(WORDS["ko"])
    assert all(WORDS["ko"][key] for key in WORDS["en"])


def test_a_row_taller_than_a_page_is_cut_with_an_ellipsis_not_split(tmp_path):
    """120 lines of notes cannot fit a page: the notes end in "…" on page 1, the row's other
    cells are whole, and the next segment starts page 2."""
    notes = "\\n".join(f"note line {i:03d}" for i in range(120))
    path = tmp_path / "huge.yaml"
    path.write_text(
        "event: {title: Huge, date: 2025-01-01, start: '9:00', end: '10:00'}\n"
        f'programme:\n  - {{title: First, duration: 30m, notes: "{notes}"}}\n'
        "  - {title: Second, duration: 30m}\n",
        encoding="utf-8",
    )
    pdf = tmp_path / "huge.pdf"
    assert write_run_sheet_pdf(load_agenda(path), pdf, lang="en") == 2
    first, second = pdf_text(pdf, 1), pdf_text(pdf, 2)
    assert re.search(r"1\s+09:00\s+09:30\s+30:00\s+First", first)
    assert "note line 000" in first and "…" in first and "note line 119" not in first
    assert "Second" in second and "First" not in second


def test_printing_from_the_window_loads_nothing_of_the_agenda_loader():
    """The window keeps PyYAML and pydantic out of its process (it validates agendas in a
    child); File → Print run sheet… must not bring them in, nor openpyxl."""
    code = (
        "import sys, runofshow._qt.printing.dialog\n"
        "print(sorted(m for m in ('yaml', 'pydantic', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("overrun_s", "over_slot", "over_limit"), [(39.6, "+0:40", "+0:10"), (1.4, None, None)]
)
def test_the_report_pdf_rounds_overruns_as_the_table_and_the_chart_do(
    qapp, tmp_path, overrun_s, over_slot, over_limit
):
    """A video that ran 5:39.6 of a 5:00 slot is "+0:40" in ``runofshow report`` and on the
    chart: the PDF's table said "+0:39" (it cut the seconds off); a key pressed 1.4 s late is
    within the table's tolerance, not an overrun the PDF alone reported as "+0:01"."""
    from test_report_chart import stored_show

    from runofshow.core.report import render_table

    agenda = load_agenda(default_agenda())
    report = stored_show(tmp_path / "state", agenda, overrun_s=overrun_s)  # type: ignore[arg-type]
    path = tmp_path / "report.pdf"
    write_report_pdf(report, path, printed_at=PRINTED)
    table, pdf = render_table(report), pdf_text(path, 1)
    pitches = sum(1 for s in agenda.segments if s.limit_s)
    if over_slot is None:
        assert "+0:0" not in table and "+0:0" not in pdf, pdf
    else:
        assert table.count(over_slot) == pitches, table
        assert pdf.count(over_slot) == pitches, pdf
    if over_limit is not None:
        assert table.count(over_limit) == pitches and pdf.count(over_limit) == pitches, pdf
