"""The app's table (tui/widgets/table.py): text is shown as typed, and the fast drawing of one-line
cells gives exactly what DataTable's own drawing gives."""

from __future__ import annotations

import itertools

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from ips_tui.tui.widgets.table import Table

CELLS: list[object] = [
    Text("plain"),
    Text(""),
    Text("bold and red", style="bold red"),
    Text.assemble("Ann Lee", (" ●", "bold")),
    Text("OVERDUE Weekly · 3 d", style="bold #ff0000"),
    Text("attempt", style="italic"),
    Text("a note much longer than its column ever gets, cut at the edge of the column"),
    Text("日本語のメモ and wide 😀 characters cut in the middle"),
    Text("—", style="dim"),
    "a string with [brackets] and [/] in it",
]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Table(id="t", cursor_type="row", zebra_stripes=True)


def _rows(table: Table[object]) -> None:
    table.add_columns("One", "Two", "Three")
    for i, (a, b) in enumerate(itertools.pairwise(CELLS + CELLS[:1])):
        table.add_row(a, b, Text(str(i)), key=str(i))


@pytest.mark.parametrize("cursor_type", ["row", "cell"])
async def test_fast_cells_equal_datatables_own_drawing(cursor_type: str) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.cursor_type = cursor_type
        _rows(table)
        await pilot.pause()
        compared = 0
        base = table.rich_style
        for row in range(-1, table.row_count):
            for column in range(len(table.columns)):
                for width, cursor, hover in itertools.product((3, 4, 9, 30), (False, True), (False, True)):
                    table._cell_render_cache.clear()
                    fast = table._fast_cell(row, column, base, width, cursor, hover)
                    assert fast is not None, (row, column)
                    table._cell_render_cache.clear()
                    slow = DataTable._render_cell(table, row, column, base, width, cursor, hover)
                    assert fast == slow, (row, column, width, cursor, hover)
                    compared += 1
        assert compared == (len(CELLS) + 1) * 3 * 16


async def test_string_cells_are_plain_text_not_markup() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(Table)
        table.add_columns("Notes")
        table.add_row("met at [the cafe], see [/] and [bold]x[/bold]", key="a")
        await pilot.pause()
        shown = "".join(s.text for s in table._render_cell(0, 0, Style(), 60)[0])
        assert "met at [the cafe], see [/] and [bold]x[/bold]" in shown
        table.update_cell("a", table.ordered_columns[0].key, "[red]still plain[/]")
        await pilot.pause()
        assert "[red]still plain[/]" in "".join(s.text for s in table._render_cell(0, 0, Style(), 60)[0])


async def test_other_cells_go_datatables_way() -> None:
    """Several lines, tabs, ellipsised text, tall rows and a column no wider than its padding
    are not taken the fast way, and still draw."""
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(Table)
        table.add_columns("A")
        table.add_row(Text("two\nlines"))
        table.add_row(Text("a\ttab"))
        table.add_row(Text("cut with an ellipsis please", overflow="ellipsis"))
        table.add_row(Text("tall"), height=2)
        await pilot.pause()
        for row in range(4):
            assert table._fast_cell(row, 0, table.rich_style, 12, False, False) is None
            assert table._render_cell(row, 0, table.rich_style, 12)
        assert table._fast_cell(0, 0, table.rich_style, 2, False, False) is None  # all padding


class TwoTables(App[None]):
    def compose(self) -> ComposeResult:
        yield Table(id="fast")
        yield DataTable(id="general")


async def test_column_widths_equal_datatables_own_measure() -> None:
    app = TwoTables()
    async with app.run_test(size=(100, 30)) as pilot:
        fast, general = app.query_one("#fast", Table), app.query_one("#general", DataTable)
        for table in (fast, general):
            table.add_columns("One", "Two", "Three")
            for i, (a, b) in enumerate(itertools.pairwise(CELLS + CELLS[:1])):
                cells = [a, b, Text("x" * i)]
                table.add_row(*[Text(c) if isinstance(c, str) else c for c in cells])
            table.add_row(Text("two\nlines here"), Text("a"), Text("b"), height=None)  # measured Rich's way
            table.add_row(Text("labelled"), Text("a"), Text("b"), label="L")
        await pilot.pause()
        assert [c.content_width for c in fast.ordered_columns] == \
            [c.content_width for c in general.ordered_columns]
        assert fast.virtual_size == general.virtual_size
        assert [c.content_width for c in fast.ordered_columns][1] == len("a note much longer than its column ever gets, cut at the edge of the column")
