"""Exporting an agenda as a rundown spreadsheet, and importing it back to the same agenda."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from rundown_helpers import carried, run_import

from runofshow.core.loader import load_agenda
from runofshow.core.rundown.exporter import export_rundown
from runofshow.core.rundown.values import guess_lang
from runofshow.export_command import main as export_main
from runofshow.import_command import main as import_main
from runofshow.resources import agendas_dir, default_agenda

BUNDLED = sorted(agendas_dir().glob("*.yaml"))
NIGHT = Path(__file__).parent / "rundowns" / "night-concert.yaml"  # past midnight


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("agenda_path", [*BUNDLED, NIGHT], ids=lambda p: p.stem)
def test_export_then_import_gives_the_agenda_back(tmp_path, agenda_path, suffix):
    """Event, every segment (id, title, subtitle, speaker, kind, duration, limit, fixed start,
    notes, cue text, group) and every group (title, subtitle, target, extent) survive."""
    agenda = load_agenda(agenda_path)
    sheet = tmp_path / f"rundown{suffix}"
    export_rundown(agenda, sheet, guess_lang(agenda))
    again = run_import(sheet).agenda
    assert carried(again) == carried(agenda)


def test_the_xlsx_has_a_bold_header_time_cells_and_widths_that_fit(tmp_path):
    """Starts are time cells shown h:mm (h:mm:ss where a pitch starts at 15:14:30), lengths
    duration cells, the date a date cell; the header is bold and frozen; the title column is
    wide enough for its Hangul (two cells a character) but capped and wrapped."""
    from openpyxl import load_workbook

    agenda = load_agenda(default_agenda())
    path = tmp_path / "seed.xlsx"
    export_rundown(agenda, path, "ko")
    sheet = load_workbook(path).active
    assert sheet.title == "진행표"
    assert sheet["A1"].value == agenda.event.title and sheet["A1"].font.b
    header = {cell.value: cell for cell in sheet[9]}  # title, six event lines, a blank line
    assert list(header)[:6] == ["순서", "시작", "종료", "분량", "제한", "그룹"]
    assert all(cell.font.b for cell in header.values())
    assert sheet.freeze_panes == "A10"
    first = {h: sheet.cell(10, c.column) for h, c in header.items()}
    assert first["시작"].value == dt.time(15, 0) and first["시작"].number_format == "h:mm:ss"
    assert first["분량"].value == dt.timedelta(minutes=5)
    assert first["분량"].number_format == "[h]:mm:ss"
    assert first["구분"].value == "의식"
    assert sheet["B3"].number_format == "yyyy-mm-dd"
    title_width = sheet.column_dimensions[header["제목"].column_letter].width
    assert 40 <= title_width <= 48 and header["제목"].alignment.wrap_text is not True
    assert sheet.cell(13, header["제목"].column).alignment.wrap_text


def test_the_csv_is_utf8_with_a_mark_and_writes_times_as_the_agenda_does(tmp_path):
    """Excel on a Korean Windows reads Hangul only with the byte-order mark; 4m30s and 15:00
    are text no spreadsheet rewrites."""
    agenda = load_agenda(default_agenda())
    path = tmp_path / "seed.csv"
    export_rundown(agenda, path, "ko")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "2022년 제5회 혁신 이어달리기"
    assert "날짜,2022-11-30" in lines
    pitch = next(line for line in lines if line.startswith("4,"))
    assert pitch.startswith("4,15:10,15:14:30,4m30s,5m,")


def test_the_import_command_writes_an_agenda_check_accepts(tmp_path):
    """Export, then `runofshow import -o`: exit 0, a summary, and `runofshow check` passes."""
    from runofshow.check_command import main as check_main

    sheet, target = tmp_path / "seed.xlsx", tmp_path / "seed.yaml"
    assert export_main([str(default_agenda()), "-o", str(sheet)], err=io.StringIO()) == 0
    err = io.StringIO()
    assert import_main([str(sheet), "-o", str(target)], err=err) == 0
    assert "wrote " in err.getvalue() and "14 segments in 2 groups, 15:00–16:00" in err.getvalue()
    assert check_main([str(target)], out=io.StringIO()) == 0


def test_the_import_command_writes_nothing_when_the_sheet_has_errors(tmp_path):
    """Every error at once (a bad length and no start anywhere), and no file at all."""
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Title,Duration\nTalk,five minutes\n", encoding="utf-8")
    target = tmp_path / "bad.yaml"
    err = io.StringIO()
    code = import_main([str(sheet), "-o", str(target), "--date", "2025-01-02"], err=err)
    assert code == 2 and not target.exists()
    assert "bad.csv:B2: error: Duration: 'five minutes' is not a length" in err.getvalue()
    assert "bad.csv: error: nothing says when the event starts" in err.getvalue()
    assert "2 errors: no agenda was written" in err.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ["x.csv", "--map", "duraton=D"],
        ["x.csv", "--map", "duration"],
        ["x.csv", "--date", "30.11.2022"],
        ["x.csv", "--start", "25:00"],
        ["x.csv", "--timezone", "Mars/Olympus"],
        ["x.csv", "--header-row", "0"],
        [],
    ],
)
def test_import_usage_mistakes_exit_64(argv, capsys):
    assert import_main(argv, err=io.StringIO()) == 64


def test_export_refuses_an_unknown_format_and_a_broken_agenda(tmp_path):
    agenda = tmp_path / "broken.yaml"
    agenda.write_text("event:\n  title: X\n", encoding="utf-8")
    err = io.StringIO()
    assert export_main([str(default_agenda()), "-o", str(tmp_path / "x.ods")], err=err) == 64
    assert "write an .xlsx or a .csv file" in err.getvalue()
    err = io.StringIO()
    assert export_main([str(agenda), "-o", str(tmp_path / "x.csv")], err=err) == 2
    assert "broken.yaml:2:3: error: event is missing" in err.getvalue()
    assert not (tmp_path / "x.csv").exists()


def test_a_derived_id_is_left_out_and_a_written_one_kept(tmp_path):
    """The import writes `id:` only where the agenda did, so the YAML stays as a person wrote
    it; a derived id (welcome-1) comes back by itself."""
    agenda = load_agenda(default_agenda())
    sheet = tmp_path / "seed.csv"
    export_rundown(agenda, sheet, "en")
    text = run_import(sheet).yaml
    assert "id: pitch-1" in text and "id: vote" in text
    assert text.count("id:") == 6
    assert Path(sheet).read_text(encoding="utf-8-sig").count(",pitch-") == 4


def test_an_export_saved_again_by_libreoffice_still_imports_to_the_same_agenda():
    """The producer opens the exported sheet in a spreadsheet program and saves it: the
    rewritten styles, formats and cells still read back to the bundled agenda."""
    resaved = Path(__file__).parent / "rundowns" / "seed-export-resaved.xlsx"
    assert carried(run_import(resaved).agenda) == carried(load_agenda(default_agenda()))
