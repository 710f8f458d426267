"""The printed run sheet's words in English and Korean, and the print dialog's.

A plain dict like the window's catalogue (``runofshow._qt.i18n``), kept here so that the run
sheet can be printed from the command line without the window's code; a test checks that both
languages have every key. Printing from the window loads nothing of the agenda loader
(PyYAML, pydantic), which the window keeps out of its process.
"""

from __future__ import annotations

from runofshow.core.agenda import Agenda, Kind
from runofshow.core.rundown.values import KOREAN_KIND, guess_lang

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "run_sheet": "RUN SHEET",
        "continued": "RUN SHEET (continued)",
        "col.no": "#",
        "col.start": "Start",
        "col.end": "End",
        "col.length": "Length",
        "col.limit": "Limit",
        "col.segment": "Segment",
        "col.speaker": "Speaker",
        "col.kind": "Kind",
        "col.cue": "Cue",
        "col.notes": "Notes",
        "fixed": "fixed start",
        "group.length": "{start} - {end}  ·  {length}",
        "group.target": "target {target}",
        "summary": "{segments} segments  ·  planned {length}, {start} - {end}",
        "video": "video: {name}",
        "footer": "{file}  ·  sha256 {digest}  ·  printed {printed}",
        "page": "page {page} of {pages}",
        "weekdays": "Mon Tue Wed Thu Fri Sat Sun",
        "menu": "Print run sheet…",
        "dialog.title": "Print the run sheet",
        "failed.title": "Could not print",
        "failed": "The run sheet could not be printed: {reason}",
    },
    "ko": {
        "run_sheet": "진행표 (큐시트)",
        "continued": "진행표 (계속)",
        "col.no": "순서",
        "col.start": "시작",
        "col.end": "종료",
        "col.length": "분량",
        "col.limit": "제한",
        "col.segment": "내용",
        "col.speaker": "발표자",
        "col.kind": "구분",
        "col.cue": "큐",
        "col.notes": "비고",
        "fixed": "고정 시작",
        "group.length": "{start} - {end}  ·  {length}",
        "group.target": "목표 {target}",
        "summary": "{segments}개 순서  ·  계획 {length}, {start} - {end}",
        "video": "영상: {name}",
        "footer": "{file}  ·  sha256 {digest}  ·  출력 {printed}",
        "page": "{pages}쪽 중 {page}쪽",
        "weekdays": "월 화 수 목 금 토 일",
        "menu": "진행표 인쇄…",
        "dialog.title": "진행표 인쇄",
        "failed.title": "인쇄할 수 없습니다",
        "failed": "진행표를 인쇄할 수 없습니다: {reason}",
    },
}


def kind_word(kind: Kind, lang: str) -> str:
    """A segment's kind as the crew reads it: ``pitch`` or ``피칭``."""
    return KOREAN_KIND[kind] if lang == "ko" else kind.value


def language_for(agenda: Agenda) -> str:
    """Korean for an event whose title is written in Hangul, English otherwise (as the
    exported spreadsheet's headers)."""
    return guess_lang(agenda)
