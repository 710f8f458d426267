"""The stage manager's running order as a Qt table model over ``ShowEngine.timeline()``.

A stage manager's agenda can have thousands of rows (a conference day of 2,000 cues), so the
model never resets while the show runs: ``update()`` formats every row's cells, compares them
with what the view already has, and emits ``dataChanged`` for the changed blocks only (in
overtime, one block: the projected starts of everything still to come). Group titles are rows
of their own, spanning the table, with their projected end.

Colours are given through the standard roles so that any view draws them, and the row's state
(``past``/``current``/``future``/``group``) through ``ROW_STATE_ROLE`` so tests and delegates
need not compare colours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from runofshow._qt.i18n import Translator
from runofshow.core.agenda import Agenda, Segment
from runofshow.core.engine import ShowEngine, Timeline
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


def layout_rows(agenda: Agenda) -> list[RowRef]:
    """Segments in running order, each group's header just before its first segment."""
    first_of = {group.first: group.index for group in agenda.groups}
    rows: list[RowRef] = []
    for segment in agenda.segments:
        if segment.index in first_of:
            rows.append(RowRef(True, first_of[segment.index]))
        rows.append(RowRef(False, segment.index))
    return rows


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


class RunningOrderModel(QAbstractTableModel):
    """Rows of the running order: formatted once per update, diffed, never reset mid-show."""

    def __init__(self, tr: Translator, parent=None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self._agenda: Agenda | None = None
        self._clock_text: Callable[[float], str] = lambda _t: ""
        self._refs: list[RowRef] = []
        self._rows: list[RowCells] = []
        self._fonts = {"bold": QFont(), "normal": QFont()}
        self._fonts["bold"].setBold(True)

    # -- feeding ------------------------------------------------------------------------------
    def set_show(self, engine: ShowEngine) -> None:
        """A (new) agenda: lay the rows out afresh. The one place the model resets."""
        self.beginResetModel()
        self._agenda = engine.agenda
        self._clock_text = lambda t: engine.local_time(t).strftime("%H:%M:%S")
        self._refs = layout_rows(engine.agenda)
        self._rows = self._format(engine.timeline())
        self.endResetModel()

    def update(self, timeline: Timeline) -> int:
        """Show ``timeline``: emit ``dataChanged`` per block of changed rows; returns how many
        signals were sent (0 when nothing visible changed)."""
        new = self._format(timeline)
        old, self._rows = self._rows, new
        blocks = changed_blocks(old, new)
        last_column = len(Column) - 1
        for first, last, col_lo, col_hi in blocks:
            self.dataChanged.emit(
                self.index(first, min(col_lo, last_column)),
                self.index(last, min(col_hi, last_column)),
            )
        return len(blocks)

    def retranslate(self) -> None:
        """The language changed: every word and header is redrawn."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, len(Column) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- formatting ---------------------------------------------------------------------------
    def _format(self, timeline: Timeline) -> list[RowCells]:
        assert self._agenda is not None or not self._refs
        return [self._format_row(ref, timeline) for ref in self._refs]

    def _format_row(self, ref: RowRef, timeline: Timeline) -> RowCells:
        assert self._agenda is not None
        clock = self._clock_text
        if ref.is_group:
            group = self._agenda.groups[ref.index]
            times = timeline.groups[ref.index]
            title = f"{group.title} — {group.subtitle}" if group.subtitle else group.title
            text = self.tr_(
                "group.header",
                title=title,
                projected=clock(times.projected_end),
                planned=clock(times.planned_end),
            )
            return RowCells("group", (text,))
        seg = self._agenda.segments[ref.index]
        row = timeline.segments[ref.index]
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
        return 0 if parent.isValid() else len(self._refs)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def row_ref(self, row: int) -> RowRef:
        return self._refs[row]

    def row_of_segment(self, index: int) -> int:
        """The table row showing segment ``index`` (group headers shift rows down)."""
        groups = self._agenda.groups if self._agenda is not None else ()
        return index + sum(1 for group in groups if group.first <= index)

    def group_rows(self) -> list[int]:
        """Rows that are group headers, for the view to span across all columns."""
        return [row for row, ref in enumerate(self._refs) if ref.is_group]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr_(COLUMN_WORDS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells[column] if column < len(row.cells) else ""
        if role == ROW_STATE_ROLE:
            return row.state
        if role == SEGMENT_INDEX_ROLE:
            return self._refs[index.row()].index
        return self._style(row, column, role)

    def _style(self, row: RowCells, column: int, role: int) -> object:
        """Colours and fonts: the current row in the accent, past rows dimmed, overruns red,
        group headers bold on their own band."""
        state = row.state
        over = state != "group" and column == Column.OVER and bool(row.cells[column])
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = {"current": CURRENT_BACKGROUND, "group": GROUP_BACKGROUND}.get(state)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if state == "current":
                return QBrush(QColor(CURRENT_TEXT))
            if over:
                return QBrush(QColor(OVER_TEXT))
            colour = {"past": PAST_TEXT, "group": GROUP_TEXT}.get(state)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.FontRole:
            bold = state in ("current", "group") or over
            return self._fonts["bold"] if bold else None
        if role == Qt.ItemDataRole.TextAlignmentRole and state != "group" and column in CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def changed_blocks(
    old: Sequence[RowCells], new: Sequence[RowCells]
) -> list[tuple[int, int, int, int]]:
    """Runs of consecutive changed rows as ``(first_row, last_row, first_col, last_col)``.

    A changed state repaints the whole row (its colours change); otherwise only the span of
    columns whose text changed."""
    blocks: list[tuple[int, int, int, int]] = []
    for row, (a, b) in enumerate(zip(old, new, strict=True)):
        if a == b:
            continue
        if a.state != b.state:
            lo, hi = 0, len(Column) - 1
        else:
            differing = [c for c, (x, y) in enumerate(zip(a.cells, b.cells, strict=True)) if x != y]
            lo, hi = differing[0], differing[-1]
        if blocks and blocks[-1][1] == row - 1:
            first, _, blo, bhi = blocks[-1]
            blocks[-1] = (first, row, min(blo, lo), max(bhi, hi))
        else:
            blocks.append((row, row, lo, hi))
    return blocks
