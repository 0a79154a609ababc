"""Small forms that choose rather than record: a date, and an export's format and folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from ips_tui.services import StoreError
from ips_tui.tui.forms.form import FormDialog, FormField
from ips_tui.validation import Field, FieldError, ValidationError


def date_form(title: str, label: str, initial: dt.date | None, today: dt.date) -> FormDialog:
    """Choose a date (typed as YYYY-MM-DD, today, -7d, ...); the form dismisses with it."""

    def save(values: dict[str, object]) -> object:
        return values["date"]

    return FormDialog(title, [FormField(Field("date", "date", required=True, label=label))],
                      {"date": initial}, save, today)


def default_folder() -> Path:
    """Where exports go unless the user says otherwise: ~/Documents, or home."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def export_form(title: str, formats: Sequence[tuple[str, str]],
                write: Callable[[str, Path], Path], today: dt.date, hint: str = "") -> FormDialog:
    """Choose a format (``formats``: label, value) and a folder; ``write(format, folder)`` writes
    the files and returns the path to report, which the form dismisses with. A folder that does not
    exist or cannot be written keeps the form open with what was typed."""
    fields = [
        FormField(Field("format", "choice", required=True, choices=tuple(v for _, v in formats)),
                  widget="select", options=formats),
        FormField(Field("folder", "text", required=True, label="Folder")),
    ]

    def save(values: dict[str, object]) -> Path:
        folder = Path(str(values["folder"])).expanduser()
        if not folder.is_dir():
            raise ValidationError([FieldError("folder", f"{folder} is not a folder")])
        try:
            return write(str(values["format"]), folder)
        except OSError as exc:
            raise StoreError(f"cannot write {exc.filename or folder}: {exc.strerror or exc}") from None

    return FormDialog(title, fields, {"format": "html", "folder": str(default_folder())}, save,
                      today, hint=hint)
