"""The records behind a fidelity item; Enter on a client opens it."""

from __future__ import annotations

import re
from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ips_tui.tui.widgets.cells import safe
from ips_tui.tui.widgets.plain import PlainStatic, plain

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def with_names(text: str, names: Mapping[str, str]) -> str:
    """A fidelity detail (which names clients by id, as the reports that leave the team do)
    with each client's name before their id: "C0004: ..." is "Dmitri Novak (C0004): ..."."""
    return _TOKEN.sub(lambda m: f"{names[m.group(0)]} ({m.group(0)})" if m.group(0) in names
                      else m.group(0), text)


class RecordsDialog(ModalScreen[str | None]):
    """The records behind a fidelity item; Enter on a client opens it."""

    DEFAULT_CSS = "RecordsDialog { align: center middle; }"
    BINDINGS = [Binding("escape", "close", "Close", id="records.close")]

    def __init__(self, title: str, lines: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines  # (id, text)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield PlainStatic(self.title_text, classes="dialog-title")
            if self.lines:
                yield OptionList(*[Option(plain(safe(text)), id=f"{i}:{rid}")
                                   for i, (rid, text) in enumerate(self.lines)], id="records")
            else:
                yield PlainStatic("Nothing drives a miss here.")
            yield PlainStatic("Enter opens a client · Esc closes", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id).split(":", 1)[1])

    def action_close(self) -> None:
        self.dismiss(None)
