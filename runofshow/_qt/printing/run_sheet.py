"""The printed run sheet: the running order on paper, taped to the stage manager's desk.

Every segment with its planned start and end (``core.timeline``), length and limit, title
and subtitle, speaker, kind, cue and notes; each group as a tinted header row with its span,
length and target. A segment with a cue is what the crew must act on, so its row is tinted
amber with a bar at its left edge and the cue is bold behind a ▶, visible at arm's length and
still distinct on a black-and-white printer. Starts are bold: they are what eyes scan for.

Each page ends with the agenda's file name and digest (the first 12 hex digits of the file's
SHA-256, as the journal keeps it) and when the sheet was printed, so a sheet from an older
version of the agenda is recognisable as one, and "page 2 of 3". It draws on any paged
device: a ``QPdfWriter`` for ``runofshow print`` or the ``QPrinter`` the print dialog set up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from runofshow._qt.printing.canvas import INK, MUTED, Canvas, ensure_app
from runofshow._qt.printing.table import Block, Cell, Column, Layout, Para, Row, Table, render
from runofshow._qt.printing.words import WORDS, kind_word, language_for
from runofshow.core.agenda import Agenda, Group, Segment
from runofshow.core.digest import sha256
from runofshow.core.timefmt import day_mark, hms
from runofshow.core.timeline import planned_end, planned_starts

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_MM = 12.0
CUE_BAND = QColor("#fff1c9")
CUE_MARK = QColor("#c77700")
CUE_INK = QColor("#6b3d00")
GROUP_BAND = QColor("#dde5ee")
FIXED_INK = QColor("#9a5b00")

COLUMNS = (  # key, share of the width left by the fitted columns, right-aligned, fitted to
    ("no", 0, True, "00"), ("start", 0, True, "00:00:00"), ("end", 0, True, "00:00:00"),
    ("length", 0, True, "0:00:00"), ("limit", 0, True, "00:00"), ("segment", 33, False, ""),
    ("speaker", 15, False, ""), ("kind", 7, False, ""), ("cue", 17, False, ""),
    ("notes", 17, False, ""),
)  # fmt: skip


def page_layout(paper: str = "a4") -> QPageLayout:
    """Landscape, 12 mm margins: a wide table that still leaves room for a printer's edge."""
    return QPageLayout(
        QPageSize(PAPERS[paper]),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def pdf_writer(path: Path, paper: str, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout(paper))
    writer.setTitle(title)
    writer.setCreator("runofshow")
    return writer


def write_run_sheet_pdf(
    agenda: Agenda,
    path: str | Path,
    *,
    paper: str = "a4",
    lang: str | None = None,
    printed_at: dt.datetime | None = None,
) -> int:
    """Write the run sheet of ``agenda`` as a PDF at ``path``; returns its page count."""
    ensure_app()
    lang = lang or language_for(agenda)
    writer = pdf_writer(Path(path), paper, f"{agenda.event.title} — {WORDS[lang]['run_sheet']}")
    return render_run_sheet(writer, agenda, lang, printed_at)


def render_run_sheet(
    device: QPagedPaintDevice,
    agenda: Agenda,
    lang: str,
    printed_at: dt.datetime | None = None,
    digest: str | None = None,
) -> int:
    """Draw the run sheet on ``device`` (a PDF writer or a printer); returns the page count.
    ``digest``: the agenda's as known elsewhere (a follower's, the MC's laptop's); by
    default the file at the agenda's path is read."""
    canvas = Canvas(device)
    words = WORDS[lang]
    fonts = _Fonts(canvas)
    columns = [
        Column(words[f"col.{key}"], weight, right, fit, fonts.start if fit else None)
        for key, weight, right, fit in COLUMNS
    ]
    table = Table(canvas, columns, fonts.header)
    rows = _rows(agenda, words, lang, fonts)
    printed = printed_at or dt.datetime.now().astimezone()
    footer = words["footer"].format(
        file=agenda.path.name,
        digest=digest or agenda_digest(agenda.path),
        printed=printed.strftime("%Y-%m-%d %H:%M"),
    )
    layout = Layout(
        first_heading=_first_heading(canvas, agenda, words, fonts),
        heading=_heading(canvas, agenda, words, fonts),
        footer=lambda p, page, pages: paint_footer(
            canvas,
            p,
            footer,
            words["page"].format(page=page, pages=pages),
            fonts.footer,
            fonts.page,
        ),
        footer_height=canvas.line_height(fonts.footer) + canvas.pt(6),
    )
    return render(device, table, rows, layout)


class _Fonts:
    def __init__(self, canvas: Canvas) -> None:
        self.title = canvas.font(18, bold=True)
        self.subtitle = canvas.font(10.5)
        self.info = canvas.font(11.5, bold=True)
        self.label = canvas.font(11, bold=True)
        self.small = canvas.font(9)
        self.header = canvas.font(9.5, bold=True)
        self.start = canvas.font(11, bold=True)
        self.time = canvas.font(10.5)
        self.body = canvas.font(10.5)
        self.seg = canvas.font(11, bold=True)
        self.cue = canvas.font(10.5, bold=True)
        self.group = canvas.font(12, bold=True)
        self.footer = canvas.font(9)
        self.page = canvas.font(10, bold=True)


# -- rows ---------------------------------------------------------------------------------------


def _clock(seconds: int, *, end: bool = False) -> str:
    """``15:00`` (``15:00:30`` with seconds); past midnight ``00:30 +1``, and an ``end`` at
    midnight ``24:00``."""
    day, rest = divmod(seconds, 24 * 3600)
    if end and day and not rest:
        return "24:00"
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    text = f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")
    return text + day_mark(day)


def _rows(agenda: Agenda, words: dict[str, str], lang: str, fonts: _Fonts) -> list[Row]:
    rows: list[Row] = []
    starts = planned_starts(agenda)
    for segment, start in zip(agenda.segments, starts, strict=True):
        group = agenda.group_of(segment)
        if group is not None and group.first == segment.index:
            rows.append(_group_row(agenda, group, starts, words, fonts))
        tied = agenda.tied_to_previous(segment)
        rows.append(_segment_row(segment, start, words, lang, fonts, tied))
    return rows


def _group_row(
    agenda: Agenda, group: Group, starts: list[int], words: dict[str, str], fonts: _Fonts
) -> Row:
    length = sum(agenda.segments[i].duration_s for i in group.segment_indexes())
    end = starts[group.last] + agenda.segments[group.last].duration_s
    aside = words["group.length"].format(
        start=_clock(starts[group.first]), end=_clock(end, end=True), length=hms(length)
    )
    if group.target_s is not None:
        aside += "  ·  " + words["group.target"].format(target=hms(group.target_s))
    paras = [Para(group.title, fonts.group)]
    if group.subtitle:
        paras.append(Para(group.subtitle, fonts.small, MUTED))
    return Row(
        [Cell(tuple(paras))],
        band=GROUP_BAND,
        span=True,
        aside=Cell((Para(aside, fonts.label),)),
        keep_with_next=True,
    )


def _segment_row(
    seg: Segment, start: int, words: dict[str, str], lang: str, fonts: _Fonts, tied: bool
) -> Row:
    start_paras = [Para(_clock(start), fonts.start)]
    if seg.fixed_start_s is not None:
        start_paras.append(Para(words["fixed"], fonts.small, FIXED_INK))
    title = [Para(f"└ {seg.title}" if tied else seg.title, fonts.seg)]
    if seg.subtitle:
        title.append(Para(seg.subtitle, fonts.small, MUTED))
    cells = [
        Cell((Para(str(seg.index + 1), fonts.body, MUTED),), right=True),
        Cell(tuple(start_paras), right=True),
        Cell((Para(_clock(start + seg.duration_s, end=True), fonts.time),), right=True),
        Cell((Para(hms(seg.duration_s), fonts.time),), right=True),
        Cell((Para(hms(seg.limit_s) if seg.limit_s else "", fonts.time),), right=True),
        Cell(tuple(title)),
        Cell((Para(seg.speaker or "", fonts.body),)),
        Cell((Para(kind_word(seg.kind, lang), fonts.small, MUTED),)),
        Cell((Para(f"▶ {seg.cue.text}", fonts.cue, CUE_INK),) if seg.cue else ()),
        Cell(_notes(seg, words, fonts)),
    ]
    if seg.cue is None:
        return Row(cells)
    return Row(cells, band=CUE_BAND, marker=CUE_MARK)


def _notes(seg: Segment, words: dict[str, str], fonts: _Fonts) -> tuple[Para, ...]:
    paras = [Para(seg.notes, fonts.small)] if seg.notes else []
    if seg.video is not None:
        paras.append(Para(words["video"].format(name=seg.video.name), fonts.small, MUTED))
    return tuple(paras)


# -- page furniture -----------------------------------------------------------------------------


def _when(agenda: Agenda, words: dict[str, str]) -> str:
    event = agenda.event
    weekday = words["weekdays"].split()[event.date.weekday()]
    parts = [
        f"{event.date.isoformat()} ({weekday})",
        f"{_clock(event.start_s)} - {_clock(event.end_s, end=True)}",
    ]
    if event.venue:
        parts.append(event.venue)
    if event.timezone:
        parts.append(event.timezone)
    return "  ·  ".join(parts)


def _first_heading(canvas: Canvas, agenda: Agenda, words: dict[str, str], fonts: _Fonts) -> Block:
    event = agenda.event
    label = words["run_sheet"]
    title_width = canvas.width - canvas.advance(label, fonts.label) - canvas.pt(12)
    title_lines = canvas.wrap(event.title, fonts.title, title_width)
    subtitle_lines = (
        canvas.wrap(event.subtitle, fonts.subtitle, canvas.width) if event.subtitle else []
    )
    summary = words["summary"].format(
        segments=len(agenda.segments),
        length=hms(agenda.planned_total_s),
        start=_clock(event.start_s),
        end=_clock(planned_end(agenda), end=True),
    )
    lines = [(t, fonts.title, INK) for t in title_lines]
    lines += [(t, fonts.subtitle, MUTED) for t in subtitle_lines]
    lines += [(_when(agenda, words), fonts.info, INK), (summary, fonts.small, MUTED)]
    height = sum(canvas.line_height(f) for _t, f, _c in lines) + canvas.pt(8)

    def paint(painter: QPainter, top: float) -> None:
        baseline = top + canvas.metrics(fonts.title).ascent()
        canvas.text_right(painter, canvas.width, baseline, label, fonts.label, MUTED)
        y = top
        for text, font, colour in lines:
            canvas.text(painter, 0, y + canvas.metrics(font).ascent(), text, font, colour)
            y += canvas.line_height(font)

    return Block(height, paint)


def _heading(canvas: Canvas, agenda: Agenda, words: dict[str, str], fonts: _Fonts) -> Block:
    """Later pages: the event and date in one line, so a loose page still says whose it is."""
    label = words["continued"]
    room = canvas.width - canvas.advance(label, fonts.label) - canvas.pt(12)
    text = f"{agenda.event.title}  ·  {agenda.event.date.isoformat()}"
    line = canvas.wrap(text, fonts.label, room)[0]
    height = canvas.line_height(fonts.label) + canvas.pt(6)

    def paint(painter: QPainter, top: float) -> None:
        baseline = top + canvas.metrics(fonts.label).ascent()
        canvas.text(painter, 0, baseline, line, fonts.label, INK)
        canvas.text_right(painter, canvas.width, baseline, label, fonts.label, MUTED)

    return Block(height, paint)


def agenda_digest(path: Path) -> str:
    """The first 12 hex digits of the agenda file's SHA-256, or a dash when it is unreadable."""
    try:
        return sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "-"


def paint_footer(
    canvas: Canvas, painter: QPainter, text: str, number: str, font: QFont, number_font: QFont
) -> float:
    """The page's last line: where the sheet came from on the left, "page 2 of 3" right."""
    baseline = canvas.height - canvas.metrics(font).descent()
    canvas.text(painter, 0, baseline, text, font, MUTED)
    canvas.text_right(painter, canvas.width, baseline, number, number_font, INK)
    return canvas.line_height(font)
