"""Duplicate clients: the same name is already on file (adding a client), and choosing another
client (to merge into the one shown)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList
from textual.widgets.option_list import Option

from ips_tui import vocab
from ips_tui.domain.duplicates import name_tokens
from ips_tui.records import CaseloadRow
from ips_tui.tui.widgets.cells import safe
from ips_tui.tui.widgets.plain import PlainStatic, plain


@dataclass(frozen=True)
class OpenClient:
    """The answer "open this existing client instead"."""

    client_id: str


def describe(row: CaseloadRow) -> str:
    """A client in one line: name, id, stage, specialist."""
    return f"{row.name} ({row.client_id}) · {vocab.label(row.stage)} · {row.specialist}"


class SameNameDialog(ModalScreen[object]):
    """The name typed for a new client is already on file: open one of them (OpenClient), add
    the new client anyway (True), or go back to the form (None), where what was typed is kept."""

    DEFAULT_CSS = """
    SameNameDialog { align: center middle; }
    SameNameDialog #matches { max-height: 10; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back to the form", id="same_name.back"),
        Binding("a", "add_anyway", "Add anyway", id="same_name.add"),
    ]

    def __init__(self, name: str, matches: Sequence[CaseloadRow]) -> None:
        super().__init__()
        self.name_typed = name
        self.matches = list(matches)

    def compose(self) -> ComposeResult:
        count = len(self.matches)
        with Vertical(classes="dialog"):
            yield PlainStatic(f"Already on file? {count} client{'' if count == 1 else 's'} "
                              f"named like {self.name_typed}", classes="dialog-title")
            yield PlainStatic("Open the existing record if this is the same person; add anyway "
                              "if not.", classes="dialog-detail")
            yield OptionList(*[Option(plain(safe(describe(r))), id=r.client_id) for r in self.matches],
                             id="matches")
            yield PlainStatic("enter open the highlighted · a add anyway · esc back to the form",
                              classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open", variant="primary", id="open", compact=True)
                yield Button("Add anyway", id="add", compact=True)
                yield Button("Back", id="back", compact=True)

    def on_mount(self) -> None:
        options = self.query_one("#matches", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(OpenClient(str(event.option.id)))

    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        options = self.query_one("#matches", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        self.dismiss(OpenClient(self.matches[index].client_id))

    @on(Button.Pressed, "#add")
    def action_add_anyway(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)


#: A chooser lists at most this many clients; typing narrows the list.
CHOOSER_SHOWN = 100


def _folded(text: str) -> str:
    return " ".join(name_tokens(text))


class ChooseClientDialog(ModalScreen[str | None]):
    """Choose a client, typing part of a name or id to narrow the list (same-name clients,
    ``first``, are listed first and marked); dismisses the client id, or None."""

    DEFAULT_CSS = """
    ChooseClientDialog { align: center middle; }
    ChooseClientDialog #clients { max-height: 12; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="choose_client.close"),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
    ]

    def __init__(self, title: str, detail: str, rows: Sequence[CaseloadRow],
                 first: Collection[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.first = set(first)
        self.rows = sorted(rows, key=lambda r: r.client_id not in self.first)  # stable: by name
        self.shown: list[CaseloadRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainStatic(self.title_text, classes="dialog-title")
            yield PlainStatic(self.detail, classes="dialog-detail")
            yield Input(placeholder="type part of a name or id to narrow the list", id="filter",
                        compact=True)
            yield OptionList(id="clients")
            yield PlainStatic("", id="more", classes="dialog-hint")
            yield PlainStatic("↑↓ choose · enter pick · esc close", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        wanted = _folded(text)
        typed = text.strip().casefold()
        matching = [r for r in self.rows
                    if not typed or wanted in _folded(r.name) or typed in r.client_id.casefold()]
        self.shown = matching[:CHOOSER_SHOWN]
        options = self.query_one("#clients", OptionList)
        options.clear_options()
        options.add_options([
            Option(plain(safe(describe(r) + ("  ● same name" if r.client_id in self.first else ""))),
                   id=r.client_id)
            for r in self.shown])
        if self.shown:
            options.highlighted = 0
        hidden = len(matching) - len(self.shown)
        self.query_one("#more", PlainStatic).update(
            f"… {hidden} more: type to narrow" if hidden else ("" if matching else "No client matches."))

    def action_move(self, step: int) -> None:
        options = self.query_one("#clients", OptionList)
        if not self.shown:
            return
        here = options.highlighted if options.highlighted is not None else -step
        options.highlighted = max(0, min(len(self.shown) - 1, here + step))

    @on(Input.Submitted, "#filter")
    def _enter(self) -> None:
        options = self.query_one("#clients", OptionList)
        if self.shown and options.highlighted is not None:
            self.dismiss(self.shown[options.highlighted].client_id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
