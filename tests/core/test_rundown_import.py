"""Importing a producer's rundown: the agenda a stage team can run, from the sheet they keep.

Every import here is loaded back with the agenda loader (``run_import`` does it): the YAML
written is always an agenda ``runofshow check`` accepts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rundown_helpers import KOREAN_SHEET, at, carried, run_import, write_csv, write_workbook

from runofshow.core.agenda import Kind
from runofshow.core.loader import load_agenda, load_agenda_bytes
from runofshow.core.rundown.problems import Level, RundownError
from runofshow.resources import default_agenda

HERE = Path(__file__).parent
SEED_KEYS = ("title", "speaker", "duration_s", "notes", "group")


def errors_of(excinfo: pytest.ExceptionInfo[RundownError]) -> list[str]:
    return [p.format() for p in excinfo.value.errors]


def seed_view(agenda) -> list[tuple]:
    return [tuple(getattr(s, k) for k in SEED_KEYS) for s in agenda.segments]


@pytest.fixture(scope="module")
def seed():
    return load_agenda(default_agenda())


# -- the Korean producer's sheet --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp949"])
def test_korean_producers_sheet_gives_the_seed_programme(tmp_path, seed, encoding):
    """순서, 시간, 분량, 내용, 발표자, 비고 in any encoding a Korean office saves: the bundled
    agenda's titles, speakers, lengths, notes and groups, its date, venue, start and end."""
    path = write_csv(tmp_path / "진행표.csv", KOREAN_SHEET, encoding=encoding)
    imported = run_import(path, timezone="Asia/Seoul")
    agenda = imported.agenda
    assert seed_view(agenda) == seed_view(seed)
    assert [(g.title, g.first, g.last) for g in agenda.groups] == [
        (g.title, g.first, g.last) for g in seed.groups
    ]
    event, want = agenda.event, seed.event
    assert (event.title, event.date, event.venue) == (want.title, want.date, want.venue)
    assert (event.start_s, event.end_s, event.timezone) == (want.start_s, want.end_s, "Asia/Seoul")
    said = {"utf-8-sig": "UTF-8 with a byte-order mark", "utf-8": "UTF-8", "cp949": "CP949"}
    notes = [p.message for p in imported.problems if getattr(p, "level", None) is Level.NOTE]
    assert any(said[encoding] in n for n in notes), notes
    assert any("row 22 is a total row" in n for n in notes)


def test_korean_sheet_yaml_is_what_a_person_writes(tmp_path):
    """Times as 15:00, lengths as 4m30s, quotes only where YAML needs them, and after each
    value the cell it came from (with what the cell said when it was rewritten)."""
    path = write_csv(tmp_path / "rundown.csv", KOREAN_SHEET)
    text = run_import(path).yaml
    assert "  start: 15:00 " in text and "  end: 16:00 " in text
    assert "duration: 4m30s" in text and "# C10 (4분 30초)" in text
    assert "  - title: 개회 및 국민의례  # D6" in text
    assert '- title: "[영상] 소상공인 피해 회복 지원 관련 영상"' in text  # [ starts a YAML list
    assert "  - group: < 프로그램 1 > 기관 혁신 최우수사례 투자유치(피칭)대회" in text
    assert "(a row with only a title)" in text
    assert "'" not in text.split("programme:")[1].replace("'s", "")  # no needless quoting


def test_a_sheet_saved_by_libreoffice_with_merges_formulas_and_time_cells(seed):
    """A real LibreOffice .xlsx: starts computed by formulas, [MM]:SS duration cells, group
    rows merged across with their target, one speaker and note merged down over four rows,
    Korean kind words; every value the sheet carries matches the bundled agenda."""
    imported = run_import(HERE / "rundowns" / "seed-libreoffice.xlsx")
    agenda = imported.agenda
    assert [(s.title, s.speaker, s.kind, s.duration_s, s.group) for s in agenda.segments] == [
        (s.title, s.speaker, s.kind, s.duration_s, s.group) for s in seed.segments
    ]
    assert [s.notes for s in agenda.segments[3:7]] == ["사례별 5분 이내 발표"] * 4
    assert [(g.title, g.target_s) for g in agenda.groups] == [
        (g.title, g.target_s) for g in seed.groups
    ]
    assert (agenda.event.date, agenda.event.start_s, agenda.event.end_s) == (
        seed.event.date,
        seed.event.start_s,
        seed.event.end_s,
    )
    assert "진행표!D9 (merged D9:G9)" in imported.yaml


# -- values and layouts -----------------------------------------------------------------------


def test_lengths_and_times_however_the_workbook_holds_them(tmp_path):
    """Text, minutes as numbers, time cells, duration cells and datetimes all read right."""
    rows = [
        ["Start", "Title", "Duration", "Limit"],
        [at(9), "Text", "1분 30초", "2m"],
        [at(9, 1, 30), "Number of minutes", 4.5, None],
        [dt.datetime(2025, 5, 14, 9, 6), "Time cell", at(0, 5), "0:06:00"],
        ["9:11", "Duration cell", dt.timedelta(minutes=45), None],
        ["오전 9시 56분", "Prime notation", "10'", None],
    ]
    path = write_workbook(tmp_path / "kinds.xlsx", rows, formats={"C4": "h:mm:ss"})
    agenda = run_import(path, title="Values").agenda
    assert [s.duration_s for s in agenda.segments] == [90, 270, 300, 2700, 600]
    assert [s.limit_s for s in agenda.segments[:3]] == [120, None, 360]
    assert agenda.event.date == dt.date(2025, 5, 14)  # from the datetime in the start column
    assert agenda.event.start_s == 9 * 3600


def test_starts_alone_give_the_lengths_and_the_last_needs_an_end(tmp_path):
    """No duration column: each length is the next start minus its own; the last one's end
    must be said, else the error names its start cell and says how to give it."""
    rows = [["시간", "내용"], ["14:00", "Doors"], ["14:20", "Opening"], ["14:25", "Talk"]]
    path = write_csv(tmp_path / "starts.csv", rows)
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2))
    assert errors_of(excinfo) == [
        "starts.csv:A4: error: the last segment starts at 14:25 but nothing says when it "
        "ends, so its length is unknown\n  hint: give it a duration, an end time (an end "
        "column such as 종료/end), or give the event's end with --end HH:MM"
    ]
    agenda = run_import(path, date=dt.date(2025, 1, 2), end=15 * 3600).agenda
    assert [s.duration_s for s in agenda.segments] == [1200, 300, 2100]
    assert (agenda.event.start_s, agenda.event.end_s) == (14 * 3600, 15 * 3600)


def test_time_ranges_and_end_columns_give_lengths(tmp_path):
    """A 시간 column holding 15:00~15:05 ranges, or start and end columns, gives lengths."""
    ranges = write_csv(
        tmp_path / "ranges.csv",
        [["시간", "내용"], ["15:00~15:05", "개회"], ["15:05 ~ 15:20", "발표"]],
    )
    agenda = run_import(ranges, date=dt.date(2022, 11, 30)).agenda
    assert [s.duration_s for s in agenda.segments] == [300, 900]
    ends = write_csv(
        tmp_path / "ends.csv",
        [["start", "end", "title"], ["9:00", "9:10", "A"], ["9:10", "9:40", "B"]],
    )
    assert [s.duration_s for s in run_import(ends, date=dt.date(2025, 1, 2)).agenda.segments] == [
        600,
        1800,
    ]


def test_a_later_start_than_the_rows_above_is_a_fixed_start(tmp_path):
    """Lunch at 12:00 after a morning that ends at 11:50 waits: a fixed start, noted."""
    rows = [
        ["Start", "Title", "Duration"],
        ["11:00", "Talk", "50m"],
        ["12:00", "Lunch", "1h"],
    ]
    imported = run_import(write_csv(tmp_path / "gap.csv", rows), date=dt.date(2025, 1, 2))
    assert [s.fixed_start_s for s in imported.agenda.segments] == [None, 12 * 3600]
    assert "start: 12:00" in imported.yaml
    assert any("written as a fixed start" in p.message for p in imported.problems)


@pytest.mark.parametrize(
    ("after_midnight", "end"), [(["0:05", "0:20"], "0:30"), (["24:05", "24:20"], "24:30")]
)
def test_a_night_runs_on_past_midnight_however_the_sheet_writes_it(tmp_path, after_midnight, end):
    """Starts at 23:30 and 23:50, then 0:05 (or 24:05, as broadcast schedules and our own
    export write the next day) and an end of 0:30 (24:30): lengths across midnight, an event
    that ends the next day, and the agenda writes the times as its format reads them."""
    rows = [
        ["종료", end],
        [],
        ["시간", "내용"],
        ["23:30", "오프닝"],
        ["23:50", "카운트다운"],
        [after_midnight[0], "새해 첫 곡"],
        [after_midnight[1], "폐회"],
    ]
    imported = run_import(write_csv(tmp_path / "night.csv", rows), date=dt.date(2022, 12, 31))
    agenda = imported.agenda
    assert [s.duration_s for s in agenda.segments] == [1200, 900, 900, 600]
    assert (agenda.event.start_s, agenda.event.end_s) == (23 * 3600 + 1800, 86400 + 1800)
    assert "  end: 0:30" in imported.yaml
    assert not [p for p in imported.problems if p.level is not Level.NOTE]


def test_a_time_before_the_start_of_a_day_event_stays_a_mistake(tmp_path):
    """14:50 after a 15:00 start is a slip of the pen, not ten to three the next afternoon:
    the start is left out with a warning, as before there were nights."""
    rows = [["Start", "Title", "Duration"], ["15:00", "Opening", "10m"], ["14:50", "Talk", "20m"]]
    imported = run_import(write_csv(tmp_path / "slip.csv", rows), date=dt.date(2025, 1, 2))
    assert [s.fixed_start_s for s in imported.agenda.segments] == [None, None]
    assert imported.agenda.event.end_s == 15 * 3600 + 1800
    assert any("14:50 is before the rows above end" in p.message for p in imported.problems)


def test_a_segment_shorter_than_the_wrap_up_gets_its_own_thresholds(tmp_path):
    """A 30-second sting would be refused with the 1-minute wrap-up: it gets a third of it."""
    rows = [["Title", "Duration"], ["Sting", "30초"], ["Talk", "10m"]]
    path = write_csv(tmp_path / "short.csv", rows)
    agenda = run_import(path, date=dt.date(2025, 1, 2), start=9 * 3600).agenda
    assert (agenda.segments[0].wrapup_s, agenda.segments[0].danger_s) == (10, 5)
    assert (agenda.segments[1].wrapup_s, agenda.segments[1].danger_s) == (60, 30)


def test_a_group_column_ends_a_group_where_its_rows_end(tmp_path):
    """With a group column, consecutive rows naming a group form it, and a row naming none
    after it is outside any group; a row merged across heads a group in a workbook."""
    rows = [
        ["Group", "Title", "Duration", "Kind"],
        [None, "Welcome", "5m", "ceremony"],
        ["Morning", "Talk A", "20m", "talk"],
        ["Morning", "Talk B", "20m", "talk"],
        [None, "Coffee", "15m", "break"],
        ["Afternoon talks and a very long group title", None, None, None],
        [None, "Talk C", "20m", "발표"],
    ]
    path = write_workbook(tmp_path / "groups.xlsx", rows, merges=["A6:D6"])
    agenda = run_import(path, date=dt.date(2025, 1, 2), start=9 * 3600).agenda
    assert [s.group for s in agenda.segments] == [None, 0, 0, None, 1]
    assert [g.title for g in agenda.groups] == [
        "Morning",
        "Afternoon talks and a very long group title",
    ]
    assert [s.kind for s in agenda.segments] == [
        Kind.CEREMONY,
        Kind.TALK,
        Kind.TALK,
        Kind.BREAK,
        Kind.TALK,
    ]


def test_columns_mapped_by_letter_or_by_header_text(tmp_path):
    """Headers no one could guess are named with --map; unknown ones are noted, not read."""
    rows = [["What", "Who", "Mins", "PD memo"], ["Keynote", "Ana", "30", "mic 2"]]
    path = write_csv(tmp_path / "odd.csv", rows)
    maps = ("title=A", "speaker=Who", "duration=C")
    from runofshow.core.rundown.columns import parse_map

    imported = run_import(
        path, maps=tuple(m for text in maps for m in parse_map(text)), date=dt.date(2025, 1, 2),
        start=10 * 3600,
    )  # fmt: skip
    segment = imported.agenda.segments[0]
    assert (segment.title, segment.speaker, segment.duration_s) == ("Keynote", "Ana", 1800)
    notes = [p.format() for p in imported.problems]
    assert any("odd.csv:D1: note: column D (PD memo) is not a known header" in n for n in notes)


def test_event_title_from_the_sheet_name_and_what_was_assumed(tmp_path):
    """No title cell: the sheet's name (not "Sheet1"), and a note says so; the file name
    when the sheet has a default name; --title wins over both."""
    rows = [["Start", "Title", "Duration"], ["9:00", "Talk", "20m"]]
    named = write_workbook(tmp_path / "a.xlsx", rows, title="Board meeting")
    imported = run_import(named, date=dt.date(2025, 1, 2))
    assert imported.agenda.event.title == "Board meeting"
    assert any("from the sheet's name" in p.message for p in imported.problems)
    plain = write_workbook(tmp_path / "staff-day.xlsx", rows)
    assert run_import(plain, date=dt.date(2025, 1, 2)).agenda.event.title == "staff-day"
    given = run_import(plain, date=dt.date(2025, 1, 2), title="Staff day 2025")
    assert given.agenda.event.title == "Staff day 2025"
    assert "title: Staff day 2025  # --title" in given.yaml


def test_the_sheet_with_the_table_is_found_in_a_workbook(tmp_path):
    """A cover sheet first: the import reads the sheet that has a header row and says so."""
    rows = [["Start", "Title", "Duration"], ["9:00", "Talk", "20m"]]
    path = write_workbook(tmp_path / "book.xlsx", rows, title="Rundown", extra_sheets=["Cover"])
    imported = run_import(path, date=dt.date(2025, 1, 2))
    assert imported.agenda.segments[0].title == "Talk"
    assert any("read the sheet 'Rundown'" in p.message for p in imported.problems)


# -- errors -------------------------------------------------------------------------------------


def test_every_bad_cell_is_named_with_its_sheet_and_a_hint_in_one_run(tmp_path):
    """Three bad cells, three errors, each ``file:Sheet!C7`` with a hint, in sheet order."""
    rows = [
        ["Start", "Title", "Duration", "Kind"],
        ["9:00", "Talk", "5 mins please", "talk"],
        ["9:05", "Panel", "20m", "discussionz"],
        ["25:00", "Break", "10m", "break"],
        ["9:40", None, "5m", "talk"],
    ]
    path = write_workbook(tmp_path / "rundown.xlsx", rows)
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2))
    errors = errors_of(excinfo)
    assert [e.split(": error: ")[0] for e in errors] == [
        "rundown.xlsx:Sheet1!C2",
        "rundown.xlsx:Sheet1!D3",
        "rundown.xlsx:Sheet1!A4",
        "rundown.xlsx:Sheet1!B5",
    ]
    assert "Duration: '5 mins please' is not a length\n  hint: write a length as 5분" in errors[0]
    assert "Kind: 'discussionz' is not a kind of segment" in errors[1]
    assert "Start: 25:00 is the next day, 16:00:00 after the event's start at 9:00" in errors[2]
    assert "row 5 has no title" in errors[3]


def test_a_formula_without_a_saved_value_is_named_not_guessed(tmp_path):
    """openpyxl saves formulas without results: the import names the cell and the fix."""
    rows = [["Start", "Title", "Duration"], [at(9), "A", "10m"], ["=A2+C2/1440", "B", "5m"]]
    path = write_workbook(tmp_path / "script.xlsx", rows)
    agenda_errors = None
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2))
    agenda_errors = errors_of(excinfo)
    assert agenda_errors == [
        "script.xlsx:Sheet1!A3: error: Start: the formula =A2+C2/1440 has no saved result\n"
        "  hint: the file was saved by a program that does not calculate formulas: open it in "
        "Excel or LibreOffice and save it again, or type the value"
    ]


def test_no_date_and_no_header_say_what_to_give(tmp_path):
    """A sheet that never says the date asks for --date; one without a header row says which
    columns it looked for and how to name them."""
    dateless = write_csv(tmp_path / "d.csv", [["Start", "Title", "Duration"], ["9:00", "A", "5"]])
    with pytest.raises(RundownError) as excinfo:
        run_import(dateless)
    assert "nothing says on which date the event is" in errors_of(excinfo)[0]
    assert "--date YYYY-MM-DD" in errors_of(excinfo)[0]
    headless = write_csv(tmp_path / "h.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(RundownError) as excinfo:
        run_import(headless)
    assert "no header row found in the first 30 rows" in errors_of(excinfo)[0]
    assert "--map title=B --map duration=D" in errors_of(excinfo)[0]


def test_a_problem_the_agenda_loader_finds_is_reported_at_its_cell(tmp_path):
    """Two rows with the same id: the loader's error comes back naming the second id's cell."""
    rows = [["ID", "Title", "Duration"], ["intro", "A", "5m"], ["intro", "B", "5m"]]
    path = write_workbook(tmp_path / "ids.xlsx", rows)
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2), start=9 * 3600)
    assert errors_of(excinfo)[0].startswith(
        "ids.xlsx:Sheet1!A3: error: segment 2 \"B\", id: 'intro' is already the id of segment 1"
    )


def test_text_unreadable_as_utf8_or_cp949_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"Title,Duration\n\xff\xfe\xff,5\n")
    with pytest.raises(RundownError) as excinfo:
        run_import(path)
    assert "is neither UTF-8 nor CP949 text" in errors_of(excinfo)[0]
    assert "CSV UTF-8" in errors_of(excinfo)[0]


def test_the_written_yaml_round_trips_through_the_loader_unchanged(tmp_path, seed):
    """The YAML text itself (not just the import's own agenda) loads to the same agenda."""
    path = write_csv(tmp_path / "rundown.csv", KOREAN_SHEET)
    imported = run_import(path, timezone="Asia/Seoul")
    again = load_agenda_bytes(imported.yaml.encode(), tmp_path / "again.yaml")
    assert carried(again) == carried(imported.agenda)


def test_letters_mapped_by_hand_do_not_mistake_the_title_rows_for_the_header(tmp_path, seed):
    """--map title=D --map duration=C on the producer's sheet: the header is still row 5,
    not the event's title in row 1 (a letter counts only where the row has a header)."""
    from runofshow.core.rundown.columns import parse_map

    path = write_csv(tmp_path / "rundown.csv", KOREAN_SHEET)
    maps = tuple(parse_map("title=D,duration=C"))
    agenda = run_import(path, maps=maps).agenda
    assert seed_view(agenda) == seed_view(seed)


def test_the_documentation_lists_every_header_and_kind_word():
    """docs/rundowns.md is where a producer looks up what to call a column."""
    from runofshow.core.rundown.columns import ALIASES
    from runofshow.core.rundown.values import KIND_WORDS

    text = (HERE.parents[1] / "docs" / "rundowns.md").read_text(encoding="utf-8")
    for field, aliases in ALIASES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field}`"))
        assert all(alias in row for alias in aliases), field
    for word in KIND_WORDS:
        assert word in text, word


def test_group_rows_over_an_empty_group_column_keep_their_rows(tmp_path):
    """A 그룹 column that names each part only on its own header row (1부, 2부): the rows
    under each header belong to it, as they would without the column."""
    rows = [
        ["그룹", "내용", "분량"],
        ["1부", None, None],
        [None, "개회", "5분"],
        [None, "축사", "3분"],
        ["2부", None, None],
        [None, "발표", "10분"],
    ]
    path = write_csv(tmp_path / "parts.csv", rows)
    agenda = run_import(path, date=dt.date(2025, 1, 2), start=9 * 3600).agenda
    assert [(g.title, g.first, g.last) for g in agenda.groups] == [("1부", 0, 1), ("2부", 2, 2)]


# -- hostile workbooks: refused with a message, in bounded time and memory ---------------------


def _rewrite_part(path: Path, part: str, change) -> Path:
    """``path`` with one part of its zip changed (``change`` gets and returns its bytes)."""
    import zipfile

    with zipfile.ZipFile(path) as packed:
        parts = [(info, packed.read(info)) for info in packed.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as repacked:
        for info, body in parts:
            if info.filename == part:
                body = change(body)
            if body is not None:
                repacked.writestr(info, body)
    return path


SHEET_PART = "xl/worksheets/sheet1.xml"
PLAIN = [["Start", "Title", "Duration"], [at(9), "A", "10m"], [at(9, 10), "B", "5m"]]


def test_a_merge_over_the_whole_sheet_is_read_in_bounded_time(tmp_path):
    """A few bytes merging D1:XFD1048576 made openpyxl build 17 billion cells (minutes, then
    gigabytes): merges are cut to the rows and columns the import reads."""
    import time

    from runofshow.core.rundown.sheet import Merge, read_workbook

    def merged(ref: str) -> Path:
        merge = b'<mergeCells count="1"><mergeCell ref="%s"/></mergeCells>' % ref.encode()
        return _rewrite_part(
            write_workbook(tmp_path / f"{ref.replace(':', '-')}.xlsx", PLAIN),
            SHEET_PART,
            lambda body: body.replace(b"</sheetData>", b"</sheetData>" + merge),
        )

    # Checked first on a merge small enough to read either way: it is cut, not kept whole.
    sheets, _ = read_workbook(merged("D1:CZ3000"))
    assert sheets[0].merges == [Merge(1, 4, 2001, 61)]
    began = time.monotonic()
    imported = run_import(merged("D1:XFD1048576"), date=dt.date(2025, 1, 2))
    assert time.monotonic() - began < 30
    assert [s.title for s in imported.agenda.segments] == ["A", "B"]


def test_a_workbook_that_unpacks_to_gigabytes_is_refused(tmp_path):
    from runofshow.core.rundown.sheet import MAX_UNPACKED

    path = _rewrite_part(
        write_workbook(tmp_path / "bomb.xlsx", PLAIN),
        SHEET_PART,
        lambda body: body.replace(b"</sheetData>", b" " * (MAX_UNPACKED + 1) + b"</sheetData>"),
    )
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2))
    assert errors_of(excinfo) == [
        "bomb.xlsx: error: unpacks to more than 32 MiB (at its part xl/worksheets/sheet1.xml): "
        "not a rundown\n  hint: copy the rundown's table into a new workbook and import that "
        "(a rundown is at most 2000 rows of 60 columns)"
    ]


@pytest.mark.parametrize(
    ("part", "change", "said"),
    [
        (SHEET_PART, lambda body: body[:300], "is not a readable .xlsx workbook (ParseError"),
        ("xl/workbook.xml", lambda body: b"garbage<<", "is not a readable .xlsx workbook"),
        ("xl/styles.xml", lambda body: b"<styleSheet>", "is not a readable .xlsx workbook"),
        (
            "xl/worksheets/sheet1.xml",
            lambda body: body.replace(
                b'<c r="B2" t="inlineStr"><is><t>A</t></is></c>', b'<c r="B2" t="s"><v>99</v></c>'
            ),
            "is not a readable .xlsx workbook (IndexError",
        ),
        (SHEET_PART, lambda body: None, "has no worksheet"),
    ],
    ids=["cut-short", "workbook-garbage", "styles-garbage", "shared-string-missing", "no-sheet"],
)
def test_a_damaged_workbook_is_named_not_a_traceback(tmp_path, part, change, said):
    """Damage anywhere in the zip's parts used to escape as a ParseError or IndexError."""
    path = _rewrite_part(write_workbook(tmp_path / "damaged.xlsx", PLAIN), part, change)
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2))
    assert said in errors_of(excinfo)[0]
    assert "hint: open it in Excel or LibreOffice" in errors_of(excinfo)[0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rows_past_the_last_row_read_are_an_error_not_left_out(tmp_path, suffix):
    """2,500 rows used to import as 1,999 segments, the rest dropped without a word."""
    rows = [["Title", "Duration"], *[[f"S{n}", "10s"] for n in range(2500)]]
    path = tmp_path / f"long{suffix}"
    write_csv(path, rows) if suffix == ".csv" else write_workbook(path, rows)
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2), start=9 * 3600)
    cell = "long.csv:A2001" if suffix == ".csv" else "long.xlsx:Sheet1!A2001"
    assert errors_of(excinfo) == [
        f"{cell}: error: the sheet goes on past row 2000: a rundown is read up to 2000 rows of "
        "60 columns, and what is past that would be left out\n"
        "  hint: delete what is below or right of the table, or split the show into agendas"
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_past_the_last_column_read_is_an_error_not_left_out(tmp_path, suffix):
    rows = [["Title", "Duration", *[""] * 100, "Notes"], ["A", "5m", *[""] * 100, "say hi"]]
    path = tmp_path / f"wide{suffix}"
    write_csv(path, rows) if suffix == ".csv" else write_workbook(path, rows)
    with pytest.raises(RundownError) as excinfo:
        run_import(path, date=dt.date(2025, 1, 2), start=9 * 3600)
    cell = "wide.csv:CY1" if suffix == ".csv" else "wide.xlsx:Sheet1!CY1"
    assert errors_of(excinfo)[0].startswith(
        f"{cell}: error: the sheet goes on past column BH: a rundown is read up to 2000 rows"
    )
