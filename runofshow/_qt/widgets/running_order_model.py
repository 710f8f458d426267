"""The stage manager's running order as a Qt table model over ``ShowEngine.projection()``.

A stage manager's agenda can have thousands of rows (a conference day of 2,000 cues, a test
show of 20,000), so the model never formats them all: ``data()`` formats a row when the view
first asks for it (a view asks only for the rows it paints) and keeps it until it can change.
``update(projection)`` asks the projection which rows may read differently
(``Projection.changes_since``), checks the few single rows cell by cell, and emits
``dataChanged`` per block of changed rows: after a "next", one block over the old and new
current rows and the projected starts still to come; in overtime, one block a second. The
view repaints the part of a block it shows. The model never resets while the show runs.

Group titles are rows of their own, spanning the table, with their projected end.

Colours are given through the standard roles so that any view draws them, and the row's state
(``past``/``current``/``future``/``group``) through ``ROW_STATE_ROLE`` so tests and delegates
need not compare colours.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from runofshow._qt.i18n import Translator
from runofshow.core.agenda import Agenda, Segment
from runofshow.core.engine import Projection, RowChanges, ShowEngine
from runofshow.core.timefmt import hms, signed_duration

ROW_STATE_ROLE = Qt.ItemDataRole.UserRole + 1
SEGMENT_INDEX_ROLE = Qt.ItemDataRole.UserRole + 2

CURRENT_BACKGROUND = "#4aa3ff"  # the MC window's accent, 7.8:1 with black text
CURRENT_TEXT = "#000000"
PAST_TEXT = "#8c8c8c"  # dimmed but still legible on black (5.9:1)
GROUP_BACKGROUND = "#243449"
GROUP_TEXT = "#ffffff"
OVER_TEXT = "#ff6b6b"  # 7.6:1 on black

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    PLANNED = 1
    PROJECTED = 2
    START = 3
    END = 4
    LENGTH = 5
    OVER = 6
    KIND = 7
    TITLE = 8
    SPEAKER = 9
    CUE = 10


COLUMN_WORDS = (
    "col.number",
    "col.planned",
    "col.projected",
    "col.start",
    "col.end",
    "col.length",
    "col.over",
    "col.kind",
    "col.title",
    "col.speaker",
    "col.cue",
)
CENTRED = {Column.NUMBER, Column.PLANNED, Column.PROJECTED, Column.START, Column.END}
CENTRED |= {Column.LENGTH, Column.OVER}
CENTRE = int(Qt.AlignmentFlag.AlignCenter)
BACKGROUNDS = {"current": CURRENT_BACKGROUND, "group": GROUP_BACKGROUND}
FOREGROUNDS = {"past": PAST_TEXT, "group": GROUP_TEXT}


@dataclass(frozen=True, slots=True)
class RowRef:
    """What a table row shows: a group header or a segment, by its index in the agenda."""

    is_group: bool
    index: int


@dataclass(frozen=True, slots=True)
class RowCells:
    """One row's formatted cells and state; rows compare equal when nothing shown changed."""

    state: str  # "past" | "current" | "future" | "group"
    cells: tuple[str, ...]


MAX_CACHED_ROWS = 1024  # formatted rows kept (a screenful is ~30; scrolling adds more)
Block = tuple[int, int, int, int]  # first row, last row, first column, last column


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the group headers sit among the segments: header ``k`` shows group
    ``groups[k]`` (segments ``firsts[k]..lasts[k]``) at table row ``firsts[k] + k``, just
    before its first segment. Rows are found by bisection, not kept in a 20,000-item list."""

    segments: int
    firsts: list[int]
    lasts: list[int]
    groups: list[int]
    header_rows: list[int]

    @classmethod
    def of(cls, agenda: Agenda) -> Layout:
        first_of = {group.first: group.index for group in agenda.groups}
        firsts = sorted(f for f in first_of if 0 <= f < len(agenda.segments))
        groups = [first_of[f] for f in firsts]
        return cls(
            segments=len(agenda.segments),
            firsts=firsts,
            lasts=[agenda.groups[g].last for g in groups],
            groups=groups,
            header_rows=[f + k for k, f in enumerate(firsts)],
        )

    @property
    def rows(self) -> int:
        return self.segments + len(self.firsts)

    def ref(self, row: int) -> RowRef:
        k = bisect_right(self.header_rows, row)
        if k and self.header_rows[k - 1] == row:
            return RowRef(True, self.groups[k - 1])
        return RowRef(False, row - k)

    def row_of_segment(self, index: int) -> int:
        return index + bisect_right(self.firsts, index)

    def headers_between(self, first_row: int, last_row: int) -> bool:
        """Whether any header lies in table rows ``first_row..last_row``."""
        k = bisect_left(self.header_rows, first_row)
        return k < len(self.header_rows) and self.header_rows[k] <= last_row

    def header_above(self, segment: int) -> tuple[int, int] | None:
        """(row, last segment) of the header of the group ``segment`` is in, a row above it
        (a group is a run of segments, its header just before the first)."""
        k = bisect_right(self.firsts, segment) - 1
        if k < 0:
            return None
        return self.header_rows[k], self.lasts[k]

    def headers_ending(self) -> dict[int, list[int]]:
        """Header rows by the last segment of their group (whose end the header shows)."""
        ending: dict[int, list[int]] = {}
        for row, last in zip(self.header_rows, self.lasts, strict=True):
            ending.setdefault(last, []).append(row)
        return ending


def layout_rows(agenda: Agenda) -> list[RowRef]:
    """Segments in running order, each group's header just before its first segment."""
    layout = Layout.of(agenda)
    return [layout.ref(row) for row in range(layout.rows)]


def length_text(segment: Segment, added_s: float, slot_s: float | None = None) -> str:
    """``4:30 / 5:00`` for a slot with a limit, with time added by the MC after it; a slot
    an applied plan changed reads ``4:30→3:30``."""
    text = hms(segment.duration_s)
    planned = None if slot_s is None else round(slot_s - added_s)
    if planned is not None and planned != segment.duration_s:
        text += f"→{hms(planned)}"
    if segment.limit_s is not None:
        text += f" / {hms(segment.limit_s)}"
    if round(added_s):
        text += f" ({signed_duration(added_s)})"
    return text


def cue_text(segment: Segment) -> str:
    """The cue (marked ▶) and the notes, in one cell."""
    parts = []
    if segment.cue is not None:
        parts.append(f"▶ {segment.cue.text}")
    if segment.notes:
        parts.append(segment.notes)
    return "  ·  ".join(parts)


def hh_mm_ss(moment: dt.datetime) -> str:
    """``strftime("%H:%M:%S")`` without strftime (~6 µs a call under PySide6's import hook)."""
    return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"


class RunningOrderModel(QAbstractTableModel):
    """Rows of the running order: formatted when asked for, kept until they can change."""

    def __init__(self, tr: Translator, parent=None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self._agenda: Agenda | None = None
        self._clock_text: Callable[[float], str] = lambda _t: ""
        self._layout = Layout(0, [], [], [], [])
        self._projection: Projection | None = None
        self._cache: dict[int, RowCells] = {}  # formatted rows, by table row
        self._roles: dict[int, tuple[dict[int, object], ...]] = {}  # their cells' roles
        self._groups_ending: dict[int, list[int]] = {}  # last segment -> header rows
        self._fonts = {"bold": QFont(), "normal": QFont()}
        self._fonts["bold"].setBold(True)
        colours = (CURRENT_BACKGROUND, CURRENT_TEXT, PAST_TEXT, GROUP_BACKGROUND, GROUP_TEXT)
        self._brushes = {c: QBrush(QColor(c)) for c in (*colours, OVER_TEXT)}

    # -- feeding ------------------------------------------------------------------------------
    def set_show(self, engine: ShowEngine) -> None:
        """A (new) agenda: lay the rows out afresh. The one place the model resets."""
        self.beginResetModel()
        self._agenda = engine.agenda
        self._clock_text = lambda t: hh_mm_ss(engine.local_time(t))
        self._layout = Layout.of(engine.agenda)
        self._groups_ending = self._layout.headers_ending()
        self._projection = engine.projection()
        self._forget()
        self.endResetModel()

    def update(self, projection: Projection) -> int:
        """Show ``projection`` (a later one of the same show): emit ``dataChanged`` per block
        of rows that changed; returns how many signals were sent (0 when nothing did)."""
        old, self._projection = self._projection, projection
        blocks = self._changed_blocks(old, projection)
        for first, last, _lo, _hi in blocks:
            self._forget(first, last)
        for first, last, col_lo, col_hi in blocks:
            self.dataChanged.emit(self.index(first, col_lo), self.index(last, col_hi))
        return len(blocks)

    def retranslate(self) -> None:
        """The language changed: every word and header is redrawn."""
        self._forget()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._layout.rows:
            last = self.index(self._layout.rows - 1, len(Column) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- what changed -------------------------------------------------------------------------
    def _changed_blocks(self, old: Projection | None, new: Projection) -> list[Block]:
        """Blocks of table rows that may read differently under ``new``: rows whose state
        changed and runs of projected starts that moved are taken whole (no row of them is
        formatted); single rows that may have changed are compared cell by cell."""
        last_column = len(Column) - 1
        changes = new.changes_since(old) if old is not None else RowChanges(everything=True)
        if changes.everything:
            return [(0, self._layout.rows - 1, 0, last_column)] if self._layout.rows else []
        assert old is not None
        blocks: list[Block] = []
        restated = changes.restated
        if restated is not None:
            blocks += self._span_blocks(*restated, Column.NUMBER, last_column)
        for first, last in changes.shifted:
            blocks += self._span_blocks(first, last, Column.PROJECTED, Column.PROJECTED)
        for index in changes.rows:
            if restated is None or not restated[0] <= index <= restated[1]:
                blocks += self._row_block(index, old, new)
            for row in self._groups_ending.get(index, ()):
                blocks += self._row_block_at(row, old, new)
        # A header's one cell spans the table in a view, its end time at the right; a table
        # view repaints only the columns a block names (spans or not): a block with a
        # header in it names them all, or the header goes on showing its old end.
        headers_between = self._layout.headers_between
        return [
            (first, last, Column.NUMBER, last_column)
            if headers_between(first, last)
            else (first, last, lo, hi)
            for first, last, lo, hi in merge_blocks(blocks)
        ]

    def _span_blocks(self, first: int, last: int, col_lo: int, col_hi: int) -> list[Block]:
        """Segments ``first..last`` taken whole (columns ``col_lo..col_hi``), with the group
        headers among them and the header above them whose group ends among them."""
        layout = self._layout
        top, bottom = layout.row_of_segment(first), layout.row_of_segment(last)
        if layout.headers_between(top, bottom):
            col_lo = Column.NUMBER  # a header's one cell is column 0
        blocks = [(top, bottom, col_lo, col_hi)]
        above = layout.header_above(first)
        if above is not None and first <= above[1] <= last:
            blocks.append((above[0], above[0], Column.NUMBER, Column.NUMBER))
        return blocks

    def _row_block(self, index: int, old: Projection, new: Projection) -> list[Block]:
        return self._row_block_at(self._layout.row_of_segment(index), old, new)

    def _row_block_at(self, row: int, old: Projection, new: Projection) -> list[Block]:
        """Row ``row`` compared cell by cell: no block if it reads the same."""
        ref = self._layout.ref(row)
        before = self._cache.get(row) or self._format_row(ref, old)
        columns = changed_columns(before, self._format_row(ref, new))
        return [] if columns is None else [(row, row, *columns)]

    # -- formatting ---------------------------------------------------------------------------
    def _cells(self, row: int) -> RowCells:
        cells = self._cache.get(row)
        if cells is None:
            assert self._projection is not None
            cells = self._format_row(self._layout.ref(row), self._projection)
            if len(self._cache) >= MAX_CACHED_ROWS:
                self._forget()
            self._cache[row] = cells
        return cells

    def _forget(self, first: int = 0, last: int | None = None) -> None:
        """Drop the formatted rows ``first..last`` (all of them by default)."""
        if last is None and not first:
            self._cache, self._roles = {}, {}
            return
        for kept in (self._cache, self._roles):
            for row in [r for r in kept if first <= r and (last is None or r <= last)]:
                del kept[row]

    def _format_row(self, ref: RowRef, projection: Projection) -> RowCells:
        assert self._agenda is not None
        clock = self._clock_text
        if ref.is_group:
            group = self._agenda.groups[ref.index]
            times = projection.group(ref.index)
            title = f"{group.title} — {group.subtitle}" if group.subtitle else group.title
            text = self.tr_(
                "group.header",
                title=title,
                projected=clock(times.projected_end),
                planned=clock(times.planned_end),
            )
            return RowCells("group", (text,))
        seg = self._agenda.segments[ref.index]
        row = projection.segment(ref.index)
        past = row.state == "past"
        return RowCells(
            row.state,
            (
                str(seg.index + 1),
                clock(row.planned_start),
                "" if past else clock(row.projected_start),
                "" if row.actual_start is None else clock(row.actual_start),
                "" if row.actual_end is None or not past else clock(row.actual_end),
                length_text(seg, row.added_s, row.slot_s),
                f"+{hms(row.over_limit_s)}" if row.over_limit_s >= 1 else "",
                self.tr_(f"kind.{seg.kind.value}"),
                f"└ {seg.title}" if self._agenda.tied_to_previous(seg) else seg.title,
                seg.speaker or "",
                cue_text(seg),
            ),
        )

    # -- the model interface ----------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else self._layout.rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def row_ref(self, row: int) -> RowRef:
        return self._layout.ref(row)

    def row_of_segment(self, index: int) -> int:
        """The table row showing segment ``index`` (group headers shift rows down)."""
        return self._layout.row_of_segment(index)

    def group_rows(self) -> list[int]:
        """Rows that are group headers, for the view to span across all columns."""
        return list(self._layout.header_rows)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr_(COLUMN_WORDS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        return self._role_values(index.row())[index.column()].get(role)

    def multiData(self, index: AnyIndex, roleDataSpan) -> None:
        """Every role the delegate asks of one cell in one call: through ``data`` each of the
        ~8 roles of every painted cell was a call from C++ into Python."""
        if not index.isValid():
            return
        values = self._role_values(index.row())[index.column()]
        for item in roleDataSpan:
            item.setData(values.get(item.role()))

    def _role_values(self, row: int) -> tuple[dict[int, object], ...]:
        """Every role of every cell of ``row``, made when the row is formatted: answered
        from a dictionary, a repaint of the table costs ~1 ms less than by rules per role."""
        values = self._roles.get(row)
        if values is None:
            cells = self._cells(row)
            index = self._layout.ref(row).index
            values = tuple(self._cell_roles(cells, c, index) for c in range(len(Column)))
            self._roles[row] = values
        return values

    def _cell_roles(self, row: RowCells, column: int, index: int) -> dict[int, object]:
        """One cell's text, state and style: the current row in the accent, past rows
        dimmed, overruns red, group headers bold on their own band."""
        state = row.state
        text = row.cells[column] if column < len(row.cells) else ""
        over = state != "group" and column == Column.OVER and bool(text)
        values: dict[int, object] = {
            Qt.ItemDataRole.DisplayRole: text,
            Qt.ItemDataRole.ToolTipRole: text,
            ROW_STATE_ROLE: state,
            SEGMENT_INDEX_ROLE: index,
        }
        background = BACKGROUNDS.get(state)
        if background is not None:
            values[Qt.ItemDataRole.BackgroundRole] = self._brushes[background]
        foreground = CURRENT_TEXT if state == "current" else OVER_TEXT if over else None
        foreground = foreground or FOREGROUNDS.get(state)
        if foreground is not None:
            values[Qt.ItemDataRole.ForegroundRole] = self._brushes[foreground]
        if state in ("current", "group") or over:
            values[Qt.ItemDataRole.FontRole] = self._fonts["bold"]
        if state != "group" and column in CENTRED:
            values[Qt.ItemDataRole.TextAlignmentRole] = CENTRE
        return values


def changed_columns(old: RowCells, new: RowCells) -> tuple[int, int] | None:
    """The span of columns to repaint when a row goes from ``old`` to ``new``: all of them
    when its state changed (its colours change), else those whose text changed."""
    if old == new:
        return None
    if old.state != new.state or len(old.cells) != len(new.cells):
        return 0, len(Column) - 1
    differing = [c for c, (x, y) in enumerate(zip(old.cells, new.cells, strict=True)) if x != y]
    return differing[0], differing[-1]


def merge_blocks(blocks: list[Block]) -> list[Block]:
    """Blocks sorted by row, those that overlap or touch joined (their columns spanned)."""
    merged: list[Block] = []
    for first, last, lo, hi in sorted(blocks):
        if merged and first <= merged[-1][1] + 1:
            m_first, m_last, m_lo, m_hi = merged[-1]
            merged[-1] = (m_first, max(m_last, last), min(m_lo, lo), max(m_hi, hi))
        else:
            merged.append((first, last, lo, hi))
    return merged
