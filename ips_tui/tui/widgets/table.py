"""The app's table: Textual's DataTable that shows text as typed, and draws plain rows fast.

* A string cell is plain text. DataTable reads strings as Rich markup, so a note such as
  "met at [the cafe]" lost its brackets and the words in them, and one with "[/]" stopped the app.
* A one-line cell of plain or styled text is drawn straight to segments: crop or pad to the
  column, add the padding, apply the row's style. DataTable sends every cell through Rich's
  general layout (Padding, wrapping, line splitting), which made a page of a busy table cost
  tens of milliseconds to draw on every keystroke of the caseload filter and on opening a record.
  The result is the same segments, styles and mouse metadata (a test compares the two for many
  kinds of cell); anything else (several lines, tabs, justified or ellipsised text, row labels,
  columns too narrow for their padding) goes the general way.
* New rows widen the columns by their cells' lengths, which is what Rich's measure gives
  one-line text; DataTable asks Rich for every cell (a test compares the widths too).
* A screen laid out again for a new terminal width fills its tables again inside
  ``keeping_place``: the columns are measured afresh (DataTable's columns otherwise only ever
  widen, so a list narrowed after being wide would keep its wide columns and run off the edge),
  the cursor stays on its row and the scroll position where it was.

These short cuts use DataTable's internal names (its cell cache, row locations, cell styles,
column widths), as of Textual 8. If they change, the table falls back to DataTable's own ways,
and the comparison tests say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, ColumnKey, RowKey

from ips_tui.tui.widgets.plain import plain

_NULL = Style.null()

#: A long list (a region's 2,000 open clients, its 3,000 employers) draws at most this many rows,
#: three pages or so, and says so; its filter narrows the rest. Drawing them all would cost a
#: quarter of a second and more on opening the list and on every keystroke of the filter.
LIST_ROWS = 100


def first_shown(shown: int, matching: int) -> str:
    """The start of a list's status line when it draws only its first rows, else nothing."""
    return f"first {shown} shown (type / to narrow) · " if matching > shown else ""


def _one_line(cell: object) -> Text | None:
    """The cell as a Text that can take the fast way, or None."""
    if not isinstance(cell, Text) or cell.justify not in (None, "default") or \
            cell.overflow not in (None, "fold"):
        return None
    text = cell.plain
    if "\n" in text or "\t" in text:
        return None
    return cell


def draw_cell(cell: Text, width: int, padding: int, style: Style, post_style: Style | None,
              console: Any) -> list[Segment]:
    """One table cell as one line of segments, ``width`` cells wide: what Rich draws for
    ``Styled(Padding(cell, (0, padding)), style, post_style)`` on one line without wrapping."""
    inner = max(0, width - 2 * padding)
    segments = list(cell.render(console, end=""))
    if cell.style and not cell.spans:  # Text.render applies the text's own style only with spans
        segments = list(Segment.apply_style(segments, console.get_style(cell.style, default=_NULL)))
    line = Segment.adjust_line_length(segments, inner, style=_NULL)
    pad = [Segment(" " * padding, _NULL)] if padding else []
    return list(Segment.apply_style([*pad, *line, *pad], style, post_style))


class Table(DataTable[CellType]):
    """DataTable with plain-text string cells and a fast way to draw one-line rows."""

    #: Inside ``keeping_place``: a clear measures the columns afresh (and says it has).
    _refitting = False
    _refilled = False

    def clear(self, columns: bool = False) -> Table[CellType]:
        super().clear(columns)
        if self._refitting:  # as wide as their headings, until the new rows widen them
            self._refilled = True
            for column in self.columns.values():
                if column.auto_width:
                    column.content_width = measure(self.app.console, column.label, 1)
        return self

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*[plain(c) for c in cells], height=height, key=key, label=label)

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, value: CellType,
                    *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, plain(value), update_width=update_width)

    def measure_now(self) -> None:
        """Measure the rows just added now instead of when the table is next idle.

        DataTable measures new rows when idle, which often comes after the screen has been
        painted: the page is then painted twice, and a cursor put back on its row scrolls
        there only after the first paint, which paints it a third time. Refilling code calls
        this (through ``widgets.cells.move_cursor_to``) before it puts the cursor back.
        """
        try:
            if not self._require_update_dimensions:
                return
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
        except AttributeError:  # DataTable's insides changed: it measures when idle
            return
        self._update_dimensions(new_rows)

    @contextmanager
    def keeping_place(self) -> Iterator[None]:
        """Keep the highlighted row and the scroll position while the table is filled again
        with its rows laid out anew (for a new terminal width); a clear meanwhile makes the
        columns as narrow as their headings, for the new rows to widen.

        The cursor stays on the row with the same key (or, if it has gone, on the row at the
        same place); the table is scrolled back where it was, as far as its new size allows,
        and then only as far as it takes to keep the cursor in view. Filling a table moves
        the cursor to the top and scrolls it there; a specialist who widened the window must
        not lose their place. A table not filled again meanwhile is left as it was.
        """
        from ips_tui.tui.widgets.cells import cursor_state, selected_key  # (cells imports this)

        key, row = cursor_state(self)
        x, y = self.scroll_x, self.scroll_y
        self._refitting, self._refilled = True, False
        try:
            yield
        finally:
            self._refitting = False
        if not self._refilled:
            return
        if self.row_count and selected_key(self) != key:
            try:
                self.move_cursor(row=self.get_row_index(key) if key is not None else row, scroll=False)
            except Exception:  # the row has gone: the one now in its place
                self.move_cursor(row=min(row, self.row_count - 1), scroll=False)
        self.measure_now()  # the new rows' widths, before scrolling over them
        self.scroll_to(x, y, animate=False, immediate=True)
        if self.row_count:
            try:
                self._scroll_cursor_into_view()
            except AttributeError:  # DataTable's insides changed: the cursor scrolls itself
                pass

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Widen the columns for new rows: a one-line text cell by its length, which is what
        Rich's measure gives it (DataTable asks Rich for every cell, at several microseconds
        each); rows with other cells, labels or several lines go DataTable's way."""
        rest: list[RowKey] = []
        try:
            columns = self.ordered_columns
            for row_key in new_rows:
                index = self._row_locations.get(row_key)
                row = self.rows.get(row_key)
                if index is None or row is None:
                    continue
                if row.label is not None or row.auto_height:  # (before the renderables are
                    rest.append(row_key)  # cached: a label is rendered only once one exists)
                    continue
                cells = self._get_row_renderables(index).cells
                if not all(isinstance(c, Text) and "\n" not in c.plain for c in cells):
                    rest.append(row_key)
                    continue
                for column, cell in zip(columns, cells, strict=False):
                    width = cell.cell_len  # type: ignore[union-attr]  # rows with a non-Text cell were set aside above
                    if width > column.content_width:
                        column.content_width = width
        except (AttributeError, TypeError):  # DataTable's insides changed: measure its way
            rest = list(new_rows)
        super()._update_dimensions(rest)

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        fast = self._fast_cell(row_index, column_index, base_style, width, cursor, hover)
        if fast is not None:
            return fast
        return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)

    def _fast_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                   cursor: bool, hover: bool) -> list[list[Segment]] | None:
        """Draw and cache the cell the fast way, as DataTable._render_cell would; None where
        it must go the general way."""
        if column_index < 0 or width <= 2 * self.cell_padding:
            return None
        header = row_index == -1
        try:
            row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
            column_key = self._column_locations.get_key(column_index)
            # DataTable's own cache key (its row key is None for the header row)
            key: Any = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
                   self._update_count, self._pseudo_class_state)
            cache = self._cell_render_cache
            if key in cache:
                return cache[key]
            if header:
                height = self.header_height
            else:
                row = self.rows.get(row_key)  # type: ignore[arg-type]  # the header row was handled above
                if row is None:
                    return None
                height = row.height
            if height != 1:
                return None
            cells = self._get_row_renderables(row_index).cells
            cell = _one_line(cells[column_index]) if column_index < len(cells) else None
            if cell is None:
                return None
            fixed = not header and (row_index < self.fixed_rows or column_index < self.fixed_columns)
            component_style, post_style = self._get_styles_to_render_cell(
                header, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
                self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        except (AttributeError, TypeError, KeyError, IndexError):  # DataTable's insides changed
            return None
        style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        lines = [draw_cell(cell, width, self.cell_padding, style, post_style, self.app.console)]
        cache[key] = lines
        return lines
