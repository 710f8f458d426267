"""Writes seed-libreoffice.fods, the flat-XML spreadsheet that LibreOffice turns into
seed-libreoffice.xlsx (see README.md here). Run it from this folder:

    python make_libreoffice_rundown.py
    soffice --headless --convert-to xlsx seed-libreoffice.fods

The sheet is the seed programme (agendas/innovation-relay-2022.yaml) as a Korean producer
keeps it: the event's name merged across the top, labelled date (a date cell) and venue, then
순서 | 시작 | 분량 | 구분 | 내용 | 발표자 | 비고. Starts are time cells; the first is typed,
every other is a formula (the start above plus its length), so LibreOffice computes and
saves the values; lengths are duration cells ([MM]:SS); the group rows are merged across the
title columns with the group's target in the 분량 column; one speaker and one note are merged
down over the four pitches; a total row sums the segments' lengths (not the groups'
targets) with a formula.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:time-style style:name="Nclock">
   <number:hours number:style="long"/><number:text>:</number:text>
   <number:minutes number:style="long"/>
  </number:time-style>
  <number:time-style style:name="Nlength" number:truncate-on-overflow="false">
   <number:minutes number:style="long"/><number:text>:</number:text>
   <number:seconds number:style="long"/>
  </number:time-style>
  <number:date-style style:name="Ndate">
   <number:year number:style="long"/><number:text>-</number:text>
   <number:month number:style="long"/><number:text>-</number:text>
   <number:day number:style="long"/>
  </number:date-style>
  <style:style style:name="clock" style:family="table-cell" style:data-style-name="Nclock"/>
  <style:style style:name="length" style:family="table-cell" style:data-style-name="Nlength"/>
  <style:style style:name="date" style:family="table-cell" style:data-style-name="Ndate"/>
  <style:style style:name="bold" style:family="table-cell">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
   <table:table table:name="진행표">
    <table:table-column table:number-columns-repeated="7"/>
"""
TAIL = """   </table:table>
  </office:spreadsheet>
 </office:body>
</office:document>
"""

# (kind word, title, speaker, length m:ss) per segment; groups as ("GROUP", title, target).
PROGRAMME = [
    ("의식", "개회 및 국민의례", "사회자", "05:00"),
    ("인사말", "인사말", "중소벤처기업부 차관", "03:00"),
    ("축사", "축사", "행정안전부 정부혁신조직실장", "02:00"),
    ("GROUP", "< 프로그램 1 > 기관 혁신 최우수사례 투자유치(피칭)대회", "25:00"),
    ("피칭", "① 코로나19 피해 소상공인·자영업자 손실보전금 신속 지급", "사례 담당자", "04:30"),
    ("피칭", "② 중소기업 전용 기술보호 정책보험", None, "04:30"),
    ("피칭", "③ 소상공인 대환보증", None, "04:30"),
    ("피칭", "④ 우크라이나 사태 피해 중소기업 지원", None, "04:30"),
    ("투표", "현장투표", "", "02:00"),
    ("영상", "[영상] 소상공인 피해 회복 지원 관련 영상", "", "05:00"),
    ("GROUP", "< 프로그램 2 > 국민에게 직접 듣는 중소벤처기업부 정부혁신", "25:00"),
    ("발표", "[발표] 명예공무원 프로그램 소개 및 소감 발표", "명예공무원", "10:00"),
    ("시상", "혁신 최우수사례 포상금 수여식", "중소벤처기업부 차관", "10:00"),
    ("연설", "마무리발언", "중소벤처기업부 차관", "02:00"),
    ("전달", "차기 이어달리기 개최기관에 상징물 전달", "", "02:00"),
    ("폐회", "폐회", "사회자", "01:00"),
]
FIRST_DATA_ROW = 6
PITCH_NOTE = "사례별 5분 이내 발표"


def text(value: str, style: str = "", extra: str = "") -> str:
    styled = f' table:style-name="{style}"' if style else ""
    return (
        f'<table:table-cell{styled}{extra} office:value-type="string">'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def empty(count: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{count}"' if count > 1 else ""
    return f"<table:table-cell{repeat}/>"


def covered(count: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{count}"' if count > 1 else ""
    return f"<table:covered-table-cell{repeat}/>"


def length(mmss: str) -> str:
    m, s = mmss.split(":")
    return (
        f'<table:table-cell table:style-name="length" office:value-type="time" '
        f'office:time-value="PT00H{m}M{s}S"><text:p>{mmss}</text:p></table:table-cell>'
    )


def start_formula(row_above: int) -> str:
    """The start above plus its length: no value is written, LibreOffice computes it."""
    return (
        f'<table:table-cell table:style-name="clock" '
        f'table:formula="of:=[.B{row_above}]+[.C{row_above}]" office:value-type="time"/>'
    )


def row(*cells: str) -> str:
    return "    <table:table-row>" + "".join(cells) + "</table:table-row>\n"


def rows() -> str:
    out = [
        row(
            text("2022년 제5회 혁신 이어달리기", "bold", ' table:number-columns-spanned="7"'),
            covered(6),
        ),
        row(
            text("일시"),
            '<table:table-cell table:style-name="date" office:value-type="date" '
            'office:date-value="2022-11-30"><text:p>2022-11-30</text:p></table:table-cell>',
        ),
        row(text("장소"), text("서울 팁스타운(S6)")),
        row(empty()),
        row(*(text(h, "bold") for h in ("순서", "시작", "분량", "구분", "내용", "발표자", "비고"))),
    ]
    number, previous = 0, None
    for offset, item in enumerate(PROGRAMME):
        here = FIRST_DATA_ROW + offset
        if item[0] == "GROUP":
            _, title, target = item
            spanned = ' table:number-columns-spanned="4"'
            out.append(row(empty(2), length(target), text(title, "bold", spanned), covered(3)))
            continue
        kind, title, speaker, mmss = item
        number += 1
        if previous is None:
            start = (
                '<table:table-cell table:style-name="clock" office:value-type="time" '
                'office:time-value="PT15H00M00S"><text:p>15:00</text:p></table:table-cell>'
            )
        else:
            start = start_formula(previous)
        cells = [
            f'<table:table-cell office:value-type="float" office:value="{number}">'
            f"<text:p>{number}</text:p></table:table-cell>",
            start,
            length(mmss),
            text(kind),
            text(title),
        ]
        if speaker is None:  # inside the pitches' merged speaker and note
            cells += [covered(2)]
        elif speaker == "사례 담당자":
            down = ' table:number-rows-spanned="4"'
            cells += [text(speaker, extra=down), text(PITCH_NOTE, extra=down)]
        else:
            cells += [text(speaker) if speaker else empty()]
        out.append(row(*cells))
        previous = here
    last = FIRST_DATA_ROW + len(PROGRAMME) - 1
    total = (
        f'<table:table-cell table:style-name="length" '
        f'table:formula="of:=SUMIF([.A{FIRST_DATA_ROW}:.A{last}];&quot;&gt;0&quot;;'
        f'[.C{FIRST_DATA_ROW}:.C{last}])" office:value-type="time"/>'
    )
    out.append(row(text("합계", "bold"), empty(), total))
    return "".join(out)


if __name__ == "__main__":
    target = Path(__file__).with_name("seed-libreoffice.fods")
    target.write_text(HEAD + rows() + TAIL, encoding="utf-8")
    print(f"wrote {target}")
