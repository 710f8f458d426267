"""Rundown spreadsheets written by the tests: CSV text and openpyxl workbooks, plus the seed
programme as a Korean producer's sheet and the fields of an agenda a spreadsheet carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from runofshow.core.agenda import Agenda
from runofshow.core.rundown.importer import Imported, ImportOptions, import_rundown

# The seed programme as a Korean producer types it: 순서, 시간, 분량, 내용, 발표자, 비고, with the
# event's name, date and venue above the table and each programme as a row of its own.
KOREAN_SHEET = [
    ["2022년 제5회 혁신 이어달리기"],
    ["일시", "2022. 11. 30.(수) 15:00~16:00"],
    ["장소", "서울 팁스타운(S6)"],
    [],
    ["순서", "시간", "분량", "내용", "발표자", "비고"],
    ["1", "15:00", "5분", "개회 및 국민의례", "사회자", ""],
    ["2", "15:05", "3분", "인사말", "중소벤처기업부 차관", ""],
    ["3", "15:08", "2분", "축사", "행정안전부 정부혁신조직실장", ""],
    ["", "", "", "< 프로그램 1 > 기관 혁신 최우수사례 투자유치(피칭)대회", "", ""],
    ["4", "15:10", "4분 30초", "① 코로나19 피해 소상공인·자영업자 손실보전금 신속 지급",
     "사례 담당자", "사례별 5분 이내 발표 (5 minutes or less per case)"],
    ["5", "15:14:30", "4분 30초", "② 중소기업 전용 기술보호 정책보험", "사례 담당자",
     "사례별 5분 이내 발표 (5 minutes or less per case)"],
    ["6", "15:19", "4분 30초", "③ 소상공인 대환보증", "사례 담당자",
     "사례별 5분 이내 발표 (5 minutes or less per case)"],
    ["7", "15:23:30", "4분 30초", "④ 우크라이나 사태 피해 중소기업 지원", "사례 담당자",
     "사례별 5분 이내 발표 (5 minutes or less per case)"],
    ["8", "15:28", "2분", "현장투표", "",
     "투표 순위에 따라 최대 150만원의 상금 (prize money by rank, up to 1.5 million won)"],
    ["9", "15:30", "5분", "[영상] 소상공인 피해 회복 지원 관련 영상", "", ""],
    ["", "", "", "< 프로그램 2 > 국민에게 직접 듣는 중소벤처기업부 정부혁신", "", ""],
    ["10", "15:35", "10분", "[발표] 명예공무원 프로그램 소개 및 소감 발표", "명예공무원", ""],
    ["11", "15:45", "10분", "혁신 최우수사례 포상금 수여식", "중소벤처기업부 차관", ""],
    ["12", "15:55", "2분", "마무리발언", "중소벤처기업부 차관", ""],
    ["13", "15:57", "2분", "차기 이어달리기 개최기관에 상징물 전달", "", ""],
    ["14", "15:59", "1분", "폐회", "사회자", ""],
    ["합계", "", "60분", "", "", ""],
]  # fmt: skip


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV the way a spreadsheet saves them (quotes where a comma needs them)."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: Iterable[Sequence[Any]], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "Sheet1",
    merges: Iterable[str] = (),
    formats: dict[str, str] | None = None,
    extra_sheets: Sequence[str] = (),
) -> Path:
    """An .xlsx made with openpyxl: ``rows`` from A1, merged ranges, number formats by cell."""
    from openpyxl import Workbook

    workbook = Workbook()
    for name in extra_sheets:
        workbook.create_sheet(name, 0).append(["nothing here"])
    sheet = workbook["Sheet"]
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    workbook.save(path)
    return path


def run_import(path: Path, **options: Any) -> Imported:
    """Import ``path`` as if writing the agenda next to it."""
    return import_rundown(path, ImportOptions(**options), agenda_path=path.with_suffix(".yaml"))


def carried(agenda: Agenda) -> dict[str, Any]:
    """Every field of an agenda that a rundown spreadsheet carries, for comparisons."""
    event = agenda.event
    return {
        "event": (
            event.title, event.subtitle, event.date, event.venue, event.start_s, event.end_s,
            event.timezone,
        ),
        "segments": [
            (
                s.id, s.title, s.subtitle, s.speaker, s.kind, s.duration_s, s.limit_s,
                s.fixed_start_s, s.notes, s.cue.text if s.cue else None, s.group,
            )
            for s in agenda.segments
        ],
        "groups": [(g.title, g.subtitle, g.target_s, g.first, g.last) for g in agenda.groups],
    }  # fmt: skip


def at(hour: int, minute: int = 0, second: int = 0) -> dt.time:
    return dt.time(hour, minute, second)
