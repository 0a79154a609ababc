"""The reference for app start-up: a bare Textual app (header, a 100-row DataTable, footer),
started the same way as `ips-tui` (its own process, in the same tmux terminal) by
bench/tmux_timing.py --start-only. Its last row of the table's first screen reads "ready".

    python bench/bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Client", "Name", "Specialist", "Stage", "Next")
        table.add_rows([(f"C{i:08d}", f"Client number {i}", f"Specialist {i % 10:02d}",
                         "job_search", "2026-11-23") for i in range(99)])
        table.add_row("C00000099", "ready", "Specialist 09", "job_search", "2026-11-23")
        table.move_cursor(row=0)


if __name__ == "__main__":
    Bare().run()
