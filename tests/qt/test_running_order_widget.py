"""The MC's painted running order formats only the rows it paints, and repaints only when
those read differently (a 20,000-row agenda costs a screenful per change)."""

from __future__ import annotations

from runofshow._qt.widgets.running_order import OrderRow, OrderRows, RunningOrderWidget

COUNT = 20_000


def rows(current: int, made: list[int], start: str = "09:00") -> OrderRows:
    def row(i: int) -> OrderRow:
        made.append(i)
        state = "past" if i < current else "current" if i == current else "future"
        return OrderRow(start, f"Talk {i}", state)

    return OrderRows(COUNT, current, row)


def test_a_screenful_is_formatted_around_the_current_row(qtbot) -> None:
    widget = RunningOrderWidget()
    qtbot.addWidget(widget)
    widget.resize(360, 400)
    widget.show()
    qtbot.waitExposed(widget)
    made: list[int] = []
    widget.set_rows(rows(5_000, made))
    widget.repaint()
    assert widget.first_visible() == 4_998  # two rows before the current one stay visible
    assert set(made) <= set(range(4_998, 4_998 + 18)) and 4_999 in made
    assert widget.rows()[5_000].state == "current" and len(widget.rows()) == COUNT


def test_rows_that_read_the_same_on_screen_are_not_repainted(qtbot, monkeypatch) -> None:
    """A new running order whose visible rows read the same (a far-off projected start
    moved) leaves the widget alone; one that moves the current row repaints it."""
    widget = RunningOrderWidget()
    qtbot.addWidget(widget)
    widget.resize(360, 400)
    made: list[int] = []
    widget.set_rows(rows(100, made))
    updates: list[int] = []
    monkeypatch.setattr(widget, "update", lambda: updates.append(1))
    widget.set_rows(rows(100, made))
    assert updates == []
    widget.set_rows(rows(101, made))
    assert updates == [1]
    widget.set_rows(rows(101, made, start="09:01"))
    assert updates == [1, 1]
    assert len(made) < 100  # four screenfuls at most, never the 20,000
