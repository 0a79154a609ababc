"""A form dialog built from the store's field rules: validates as you type, never loses input.

Each field is checked with the same rule the store applies (``ips_tui.validation``) whenever it
changes, and the error shows beside it. On saving, the form's ``rules`` (validation's rules across
fields, such as "closing a client needs a closed date and a reason") are applied to the typed values
first; then the ``save`` function the caller passes in is called;
if the store refuses (a rule that needs the database, someone else's edit), the errors are shown
and the dialog stays open with everything typed. Escape on a changed form asks before discarding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.worker import Worker, WorkerState

from ips_tui import vocab
from ips_tui.dates import parse_user_date
from ips_tui.services import StoreError
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.widgets.plain import PlainStatic, plain
from ips_tui.validation import Field, FieldError, ValidationError, clean_value, rule_for

#: Rules across the fields of a form: the typed values in, every problem out (validation.py).
FormRules = Callable[[dict[str, object]], list[FieldError]]
#: A question to ask before saving, given the typed values (run in the save's thread, so it may
#: read the database): None to save at once, or what makes the dialog that asks (on the UI
#: thread). The dialog's answer True saves; None or False goes back to the form with what was
#: typed; anything else closes the form with that answer as its result.
AskFirst = Callable[[dict[str, object]], "Callable[[], ModalScreen[Any]] | None"]


@dataclass(frozen=True)
class _Asking:
    """A save's thread found a question to ask first (FormDialog ``ask_first``)."""

    dialog: Callable[[], ModalScreen[Any]]
    values: dict[str, object]


@dataclass(frozen=True)
class FormField:
    """One field on a form: its store rule, and how to edit it."""

    rule: Field
    widget: str = "input"  # input | select | checkbox | textarea | multiselect
    options: Sequence[tuple[str, str]] = ()  # for select and multiselect: (label, value)
    placeholder: str = ""
    label: str = ""

    @classmethod
    def of(cls, entity: str, name: str, **how: Any) -> FormField:
        """The field ``name`` of ``entity`` by its store rule (validation.RULES)."""
        return cls(rule_for(entity, name), **how)

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def title(self) -> str:
        text = self.label or self.rule.title
        return f"{text} *" if self.rule.required else text


def choice_options(values: Sequence[str]) -> list[tuple[str, str]]:
    """Select options for vocabulary values, with human labels."""
    return [(vocab.label(v), v) for v in values]


def to_text(value: object) -> str:
    """A stored value as the text shown in an input."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class FormDialog(ModalScreen[Any]):
    """A modal form. Dismisses with whatever ``save`` returned, or None when cancelled."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True,
                tooltip="Save the form from any field, a dropdown or a note included "
                        "(Enter in a one-line text field does the same)"),
        # the key the forms used before: still saves, no longer shown
        Binding("ctrl+r", "submit", "", id="form.save_old", priority=True, show=False),
    ]
    #: How every form saves, first on its hint line (form-specific keys follow it).
    SAVE_KEYS = "Enter saves from a text field · ctrl+s saves from anywhere"
    #: How every form moves on and is left, last on its hint line.
    MOVE_KEYS = "Tab next field · Esc cancel"

    def __init__(self, title: str, fields: Sequence[FormField], initial: Mapping[str, object],
                 save: Callable[[dict[str, object]], object], today: dt.date,
                 hint: str = "", focus: str | None = None, rules: FormRules | None = None,
                 ask_first: AskFirst | None = None, keys: Sequence[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.initial = dict(initial)
        self.save = save
        self.today = today
        self.hint = hint
        self.keys = tuple(keys)
        self.focus_name = focus
        self.rules = rules
        self.ask_first = ask_first
        self._start: dict[str, object] = {}

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield PlainStatic(self.title_text, classes="dialog-title")
            yield PlainStatic(self.key_hint(), classes="dialog-hint", id="form-keys")
            if self.hint:
                yield PlainStatic(self.hint, classes="dialog-hint")
            for f in self.fields:
                value = self.initial.get(f.name)
                tall = f.widget in ("textarea", "multiselect")
                with Horizontal(classes="form-row tall" if tall else "form-row"):
                    yield Label(f.title, classes="form-label")
                    yield self._widget(f, value)
                yield PlainStatic("", id=f"err-{f.name}", classes="form-error")
            yield PlainStatic("", id="form-message", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def key_hint(self) -> str:
        """The hint line: how to save (the same on every form), this form's own keys, how to
        move on and leave."""
        return " · ".join((self.SAVE_KEYS, *self.keys, self.MOVE_KEYS))

    def _widget(self, f: FormField, value: object) -> Any:
        wid = f"f-{f.name}"
        if f.widget == "checkbox":
            return Checkbox(value=bool(value), id=wid, classes="form-input", compact=True)
        if f.widget == "select":
            return Select([(plain(label), v) for label, v in f.options],
                          value=value if value is not None else Select.NULL,
                          allow_blank=not f.rule.required, id=wid, classes="form-input",
                          prompt="(none)", compact=True)
        if f.widget == "multiselect":
            chosen = set(cast("Iterable[str]", value or ()))
            return SelectionList[str](*[(plain(label), v, v in chosen) for label, v in f.options],
                                      id=wid, classes="form-input form-multiselect", compact=True)
        if f.widget == "textarea":
            return TextArea(to_text(value), id=wid, classes="form-input form-textarea", compact=True)
        return Input(to_text(value), placeholder=f.placeholder, id=wid, classes="form-input",
                     compact=True)

    def on_mount(self) -> None:
        self._start = self.raw_values()
        target = self.focus_name or (self.fields[0].name if self.fields else None)
        if target:
            self.query_one(f"#f-{target}").focus()

    # ------------------------------------------------------------ values and checks

    def raw_values(self) -> dict[str, object]:
        """What is in the widgets now, as typed."""
        out: dict[str, object] = {}
        for f in self.fields:
            w = self.query_one(f"#f-{f.name}")
            if isinstance(w, Checkbox):
                out[f.name] = w.value
            elif isinstance(w, Select):
                out[f.name] = None if w.value is Select.NULL else w.value
            elif isinstance(w, TextArea):
                out[f.name] = w.text
            elif isinstance(w, SelectionList):
                out[f.name] = ";".join(w.selected)
            else:
                out[f.name] = cast("Input | Checkbox", w).value
        return out

    def _check(self, f: FormField, raw: object) -> tuple[object, str | None]:
        """The typed value and the error (or None) for one field, by the store's rule."""
        try:
            if f.rule.kind == "date" and isinstance(raw, str) and raw.strip():
                raw = parse_user_date(raw, self.today)
            return clean_value(f.rule, raw), None
        except ValueError as exc:
            return None, str(exc)

    def _show_error(self, name: str, message: str | None) -> None:
        try:
            label = self.query_one(f"#err-{name}", Static)
        except Exception:  # a field the form does not show
            self._show_message(f"{name}: {message}" if message else "")
            return
        label.update(f"⚠ {message}" if message else "")
        label.set_class(bool(message), "shown")

    def _show_message(self, message: str, warn: bool = True) -> None:
        box = self.query_one("#form-message", Static)
        box.update((f"⚠ {message}" if warn else message) if message else "")
        box.set_class(bool(message), "shown")

    def _field_for(self, widget_id: str | None) -> FormField | None:
        for f in self.fields:
            if widget_id == f"f-{f.name}":
                return f
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Any) -> None:
        f = self._field_for(getattr(event.control, "id", None))
        if f is None:
            return
        _, error = self._check(f, self.raw_values()[f.name])
        self._show_error(f.name, error)

    def is_changed(self) -> bool:
        return self.raw_values() != self._start

    # ------------------------------------------------------------ actions

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        if self._saving:  # one press, one save
            return
        values: dict[str, object] = {}
        failed = False
        for f, raw in zip(self.fields, self.raw_values().values(), strict=False):
            value, error = self._check(f, raw)
            self._show_error(f.name, error)
            failed = failed or error is not None
            values[f.name] = value
        if failed:
            self._show_message("Please correct the fields marked above.")
            return
        problems = self.rules(values) if self.rules is not None else []
        if problems:
            self._refused(ValidationError(problems))
            return
        self._start_save(values, asked=False)

    def _start_save(self, values: dict[str, object], asked: bool) -> None:
        # The save runs in a worker thread: a far server never freezes the screen, and the form
        # stays open, with what was typed, until the save has worked or said why not.
        self._saving = True
        self._saving_note = self.set_timer(self.SAVING_SHOWN_AFTER_S,
                                           lambda: self._show_message("Saving…", warn=False))
        self.run_worker(partial(self._save_in_worker, values, asked), name="save",
                        group=self.SAVE_GROUP, thread=True, exit_on_error=False)

    #: A save that takes longer than this says so in the form.
    SAVING_SHOWN_AFTER_S = 0.3
    SAVE_GROUP = "save"
    _saving = False
    _saving_note: Timer | None = None

    def _save_in_worker(self, values: dict[str, object], asked: bool = False) -> object:
        from ips_tui import services

        try:
            if self.ask_first is not None and not asked:
                question = self.ask_first(values)
                if question is not None:
                    return _Asking(question, values)
            return self.save(values)
        finally:
            services.close_thread_connection()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != self.SAVE_GROUP or worker.node is not self or not worker.is_finished:
            return
        self._saving = False
        if self._saving_note is not None:
            self._saving_note.stop()
        self._show_message("")
        if event.state is WorkerState.SUCCESS and isinstance(worker.result, _Asking):
            self._ask(worker.result)
        elif event.state is WorkerState.SUCCESS:
            self.dismiss(worker.result)
        elif isinstance(worker.error, ValidationError):
            self._refused(worker.error)
        elif isinstance(worker.error, StoreError):
            self._show_message(f"Not saved: {worker.error}")
        elif isinstance(worker.error, Exception):  # a bug: ends the app as it did on this thread
            self.app._handle_exception(worker.error)

    def _ask(self, asking: _Asking) -> None:
        """Ask the question ``ask_first`` found; save, go back to the form, or close with the answer."""

        def answer(result: object) -> None:
            if result is True:
                self._start_save(asking.values, asked=True)
            elif result is None or result is False:
                self._show_message("Not saved yet: change what you typed, or save again.", warn=False)
            else:
                self.dismiss(result)

        self.app.push_screen(asking.dialog(), answer)

    def _refused(self, exc: ValidationError) -> None:
        """Show why the values were refused, by the fields they concern; keep what was typed."""
        shown = {f.name for f in self.fields}
        for err in exc.errors:
            if err.field in shown:
                self._show_error(err.field, err.message)
        hidden = "; ".join(str(err) for err in exc.errors if err.field not in shown)
        self._show_message(f"Not saved: {hidden or 'please correct the fields marked above.'}")

    def action_cancel(self) -> None:
        if self._saving:  # the save decides: it closes the form, or says why not
            return
        if not self.is_changed():
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard your changes?", "What you typed in this form will be lost.",
                          yes="Discard", no="Keep editing"),
            answer,
        )
