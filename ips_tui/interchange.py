"""The interchange CSV format (version 1): import a folder or files all-or-nothing, export a folder.

The format is a contract with the people who fill the files in (often in a spreadsheet), so the
file and column names never change. UTF-8 (a BOM is accepted), comma-separated (a file separated
by semicolons or tabs, as spreadsheets in many countries save it, is read too), one header row,
columns in any order, an empty cell means no value, dates ``YYYY-MM-DD`` (or as the app shows
them, ``Tue 2026-11-24``), booleans ``yes``/``no``, and choices in the stored words or the app's
(``job_search`` or ``Job search``, ignoring case).
The columns of each file are the field names of the matching rule set in
:data:`ips_tui.validation.RULES`, which also does every check of a single value.

Import streams: under the write lock, in one transaction, it reads the files in FILES order a row
at a time, checks each (values, references between files and into the database, duplicates) and,
as long as nothing was wrong, writes it a batch at a time (:mod:`ips_tui.store.bulk`). Problems
are collected as ``FILE:LINE: column: message`` (the first MAX_ERRORS, and a count of the rest);
if there is any, the transaction is rolled back and nothing changes. Memory stays flat in the size
of the files: only the keys seen and which stored contacts were matched are kept (the fidelity
reviews, a few rows a year, are checked by :mod:`ips_tui.review_files` and written at the end, in
the same transaction). Importing the same files again changes nothing: records whose key exists
with the same values, and contacts, appointments and team contacts identical to one already
there, are skipped.

Spreadsheet formula injection: on export a text cell that starts with ``=``, ``+``, ``-`` or ``@``
(possibly after apostrophes) gets one leading apostrophe; on import a cell that starts with one or
more apostrophes followed by one of those characters loses one apostrophe. So ``=SUM(A1)`` is
written ``'=SUM(A1)``, a value that really starts with ``'=`` is written ``''=``, and every value
survives an export and import exactly.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, cast

from ips_tui import review_files, validation
from ips_tui.locations import make_private_dir
from ips_tui.reports import csv as report_csv
from ips_tui.reports.csv import neutralise
from ips_tui.store import bulk
from ips_tui.store.db import StoreError

FILES = (
    "specialists.csv",
    "employers.csv",
    "clients.csv",
    "jobs.csv",
    "client_contacts.csv",
    "employer_contacts.csv",
    "appointments.csv",
    "team_contacts.csv",
    *review_files.FILES,
)

#: The entity (a key of validation.RULES) held by each file, and back.
ENTITY = {
    "specialists.csv": "specialist",
    "employers.csv": "employer",
    "clients.csv": "client",
    "jobs.csv": "job",
    "client_contacts.csv": "client_contact",
    "employer_contacts.csv": "employer_contact",
    "appointments.csv": "appointment",
    "team_contacts.csv": "team_contact",
    **review_files.ENTITY,
}
FILE_OF = {entity: name for name, entity in ENTITY.items()}

#: Columns in their documented order where it differs from the rule set's (extras come after).
_DOCUMENTED = {
    "client": ("client_id", "first_name", "last_name", "specialist", "referral_date",
               "start_date", "stage", "closed_date", "phone", "email", "job_goal", "notes"),
}


def _columns(entity: str) -> tuple[str, ...]:
    lead = _DOCUMENTED.get(entity, ())
    return (*lead, *(r.name for r in validation.RULES[entity] if r.name not in lead))


#: The columns of each file, in the order export writes them.
COLUMNS: dict[str, tuple[str, ...]] = {name: _columns(ENTITY[name]) for name in FILES}

#: The key column of each file whose records have one; contacts are matched on every field.
KEY = {FILE_OF[entity]: column for entity, column in bulk.KEYS.items()}

_RULES = {name: {r.name: r for r in validation.RULES[ENTITY[name]]} for name in FILES}
_BOM = b"\xef\xbb\xbf"
_PROGRESS_EVERY = 1000
_CHUNK = 1 << 18  # bytes read at a time when a file is checked for UTF-8
#: Problems an import lists; beyond these it says how many more there are.
MAX_ERRORS = 100


class ImportFailed(Exception):
    """Nothing was imported. ``errors`` lists the first problems (at most MAX_ERRORS), each as
    ``FILE:LINE: column: message``, in file and line order; ``more`` counts the rest."""

    def __init__(self, errors: Sequence[str], more: int = 0):
        self.errors = list(errors)
        self.more = more
        text = f"{self.total:,} problem(s) found; nothing was imported:\n" + "\n".join(self.errors)
        if more:
            text += "\n" + self.more_line
        super().__init__(text)

    @property
    def total(self) -> int:
        return len(self.errors) + self.more

    @property
    def more_line(self) -> str:
        """The line that stands for the problems not listed ("" when all are)."""
        return f"... and {self.more:,} more error{'s' if self.more != 1 else ''}" if self.more else ""


@dataclass
class FileCounts:
    """What an import did with the rows of one file."""

    added: int = 0
    updated: int = 0
    skipped: int = 0  # already in the database with the same values (or repeated in the file)


@dataclass
class ImportSummary:
    """Counts per file (keys are names from FILES, in that order), and warnings: things worth a
    look in what was imported that did not stop it (a closed client without a reason), each one
    line ``FILE:LINE: column: what``, printed after the counts."""

    files: dict[str, FileCounts] = field(default_factory=dict)
    #: The first MAX_ERRORS warnings; ``more_warnings`` counts the rest.
    warnings: list[str] = field(default_factory=list)
    more_warnings: int = 0

    def warn(self, text: str) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(text)
        else:
            self.more_warnings += 1

    @property
    def added(self) -> int:
        return sum(c.added for c in self.files.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.files.values())

    @property
    def skipped(self) -> int:
        return sum(c.skipped for c in self.files.values())

    def __str__(self) -> str:
        if not self.files:
            return "Nothing to import."
        lines = [
            f"{name}: {c.added} added, {c.updated} updated, {c.skipped} unchanged"
            for name, c in self.files.items()
        ]
        lines.append(f"Imported: {self.added} added, {self.updated} updated, "
                     f"{self.skipped} unchanged.")
        lines.extend(f"warning: {w}" for w in self.warnings)
        if self.more_warnings:
            lines.append(f"warning: ... and {self.more_warnings:,} more "
                         f"warning{'s' if self.more_warnings != 1 else ''}")
        return "\n".join(lines)


# ---------------------------------------------------------------- formula neutralisation
# Export neutralises in the one CSV writer (ips_tui.reports.csv.neutralise); import undoes it.

unneutralise = report_csv.unneutralise  # the one definition, beside neutralise


# ---------------------------------------------------------------- reading files

class _Errors:
    """Problems found, in the order they are found: paths first, then file by file (in FILES
    order) and line by line, as an import reads. Keeps the first ``limit``; counts the rest."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.shown: list[str] = []
        self.more = 0
        self.limit = limit

    def add(self, text: str) -> None:
        if len(self.shown) < self.limit:
            self.shown.append(text)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)

    def failed(self) -> ImportFailed:
        return ImportFailed(self.shown, self.more)


@dataclass
class _Source:
    shown: str  # the name used in messages: as the user gave it, or as found in the folder
    path: Path
    name: str  # the file name, one of FILES


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    #: Set for a line that is not a row (too many cells, broken CSV): the whole message.
    problem: str | None = None
    #: The values as validation.clean gives them, when they are known to be good already.
    cleaned: dict[str, object] | None = None


def _sources(paths: Sequence[Path], errors: _Errors) -> dict[str, _Source]:
    """The files to read, by name from FILES; problems with the paths go to ``errors``."""
    found: dict[str, _Source] = {}
    expected = ", ".join(FILES)

    def add(source: _Source) -> None:
        if source.name not in FILES:
            errors.add(f"{source.shown}: is not an interchange file; the file name "
                       f"must be one of {expected}")
        elif source.name in found:
            errors.add(f"{source.shown}: {source.name} is given twice "
                       f"(also {found[source.name].shown})")
        else:
            found[source.name] = source

    if not paths:
        errors.add(f"no files to import: give a folder or files named {expected}")
    for given in paths:
        path = Path(given)
        shown = str(given)
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                errors.add(f"{shown}: cannot be read ({exc.strerror or exc})")
                continue
            csv_files = [
                entry for entry in entries
                if entry.name.lower().endswith(".csv") and not entry.name.startswith(".")
                and entry.is_file()
            ]
            for entry in csv_files:
                add(_Source(entry.name, entry, entry.name))
            if not csv_files:
                errors.add(f"{shown}: holds none of the interchange files ({expected})")
        elif path.is_file():
            add(_Source(shown, path, path.name))
        elif path.exists():
            errors.add(f"{shown}: is not a file or a folder")
        else:
            errors.add(f"{shown}: does not exist")
    return found


def _text_lines(source: _Source) -> int | str:
    """How many lines a file has, if it is UTF-8 text; if it is not, the problem, in words.

    Read in chunks, so a big file is never held whole: the rows are read again afterwards.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    offset = 0  # bytes of the file before ``chunk``
    last = b""
    try:
        with source.path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                start = 0
                if offset == 0 and chunk.startswith(_BOM):
                    start = len(_BOM)
                    if chunk.startswith(_BOM, start):
                        return (f"{source.shown}:1: starts with two byte order marks (the "
                                "invisible U+FEFF) instead of one; save it as CSV UTF-8 again, "
                                "or remove the extra mark")
                pending = len(decoder.getstate()[0])  # bytes of a character cut at the end
                try:
                    decoder.decode(chunk[start:])
                except UnicodeDecodeError as exc:
                    bad = offset + start + exc.start - pending
                    line = lines + 1 + chunk.count(b"\n", 0, max(bad - offset, 0))
                    return (f"{source.shown}:{line}: is not UTF-8 text (byte "
                            f"0x{exc.object[exc.start]:02x} at offset {bad}); save it as CSV UTF-8")
                nul = chunk.find(b"\x00")
                if nul >= 0:
                    line = lines + 1 + chunk.count(b"\n", 0, nul)
                    return (f"{source.shown}:{line}: contains NUL bytes, so it is not CSV text "
                            "(perhaps UTF-16); save it as CSV UTF-8")
                lines += chunk.count(b"\n")
                offset += len(chunk)
                last = chunk[-1:]
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return (f"{source.shown}:{lines + 1}: is not UTF-8 text (it ends in the middle of a "
                "character); save it as CSV UTF-8")
    except OSError as exc:
        return f"{source.shown}: cannot be read ({exc.strerror or exc})"
    return lines + (1 if last not in (b"", b"\n") else 0)


#: What separates the cells: a comma, or what spreadsheets in many countries save instead.
SEPARATORS = (",", ";", "\t")


def _separator(first: str, known: Sequence[str]) -> str:
    """The character that separates the cells of a file whose first line is ``first``: the one of
    :data:`SEPARATORS` whose split of it names the most columns of the file (a comma when none
    does)."""
    best, named = ",", 0
    for sep in SEPARATORS:
        count = sum(1 for cell in first.split(sep) if cell.strip().strip('"') in known)
        if count > named:
            best, named = sep, count
    return best


class _Reader:
    """The data rows of one file (cells by column name), read one at a time.

    :meth:`open` reads the header (problems go to ``errors``; False if the file cannot be used).
    :meth:`rows` then yields the rows, and problems with the CSV structure as rows with a
    ``problem`` (so that they are listed in line order with those of the values); after one
    that ends the file (an unclosed quote, a huge cell) ``complete`` stays False. Values are not
    checked here.
    """

    def __init__(self, source: _Source, errors: _Errors,
                 told: Callable[[int], None] | None = None) -> None:
        self.source = source
        self.errors = errors
        #: Told the lines read so far every _PROGRESS_EVERY rows (progress).
        self._told = told
        self.complete = False
        self.line = 0  # physical lines read so far
        self._header: list[tuple[int, str]] = []  # (cell index, column) of the columns used
        self._width = 0
        self.row_line = 0  # the first line of the row last given as cells (rows_or_cells)
        self._columns: list[str] | None = None

    def problem(self, line: int, message: str) -> None:
        self.errors.add(f"{self.source.shown}:{line}: {message}")

    def open(self, fh: TextIO) -> bool:
        name = self.source.name
        known = COLUMNS[name]
        first_line = fh.readline()
        self._reader = csv.reader(itertools.chain([first_line], fh), strict=True,
                                  delimiter=_separator(first_line, known))
        try:
            first = next(self._reader, None)
        except csv.Error as exc:
            self.errors.add(str(self._csv_error(exc).problem))
            return False
        self.line = self._reader.line_num
        if first is None or not any(cell.strip() for cell in first):
            self.problem(1, f"has no header row; the first line must name the columns "
                            f"({', '.join(known)})")
            return False
        names = [cell.strip() for cell in first]
        if not any(n in known for n in names):
            self.problem(1, f"the first line is not a header row: it names none of the columns "
                            f"of {name} ({', '.join(known)}), separated by commas, semicolons "
                            "or tabs")
            return False
        seen: set[str] = set()
        for index, column in enumerate(names):
            if not column:
                self.problem(1, f"column {index + 1}: has no name in the header")
            elif column not in known:
                self.problem(1, f"{validation.shorten(column)}: is not a column of {name}; the "
                                f"columns are {', '.join(known)}")
            elif column in seen:
                self.problem(1, f"{column}: appears more than once in the header")
            else:
                seen.add(column)
                self._header.append((index, column))
        missing = [r.name for r in validation.RULES[ENTITY[name]]
                   if r.required and r.name not in seen]
        for column in missing:
            self.problem(1, f"{column}: this required column is missing")
        self._width = len(names)
        return not missing

    def _csv_error(self, exc: csv.Error) -> _Row:
        line = self.line + 1
        if "field larger than field limit" in str(exc):
            message = (f"a cell is longer than {csv.field_size_limit():,} characters, more than "
                       "any cell may hold (is a closing quote missing?)")
        else:
            message = f"is not valid CSV ({exc}); check the quotes"
        return _Row(line, {}, f"{self.source.shown}:{line}: {message}")

    @property
    def columns(self) -> list[str]:
        """The columns of the file, in its order, when every one is known and named once (the
        usual header; rows are then their cells in this order); else empty."""
        if self._columns is None:
            plain = [index for index, _ in self._header] == list(range(self._width))
            self._columns = [column for _, column in self._header] if plain else []
        return self._columns

    def rows(self) -> Iterator[_Row]:
        """The rows, as _Row."""
        return cast("Iterator[_Row]", self._read(cells_as_read=False))

    def rows_or_cells(self) -> Iterator[_Row | list[str]]:
        """The rows; one with as many cells as the header has columns, when every column is
        known and named once (:attr:`columns`), as its list of cells as read (blank, or with
        cells to unneutralise, maybe: :meth:`row_of` reads it as usual), its first line in
        :attr:`row_line` until the next row is read; any other as a _Row."""
        return self._read(cells_as_read=True)

    def _read(self, cells_as_read: bool) -> Iterator[_Row | list[str]]:
        width, reader, told = self._width, self._reader, self._told
        as_read = cells_as_read and bool(self.columns)
        try:
            for index, cells in enumerate(reader, 1):
                self.row_line = line = self.line + 1
                self.line = reader.line_num
                if told is not None and not index % _PROGRESS_EVERY:
                    told(self.line)
                if as_read and len(cells) == width:
                    yield cells
                    continue
                row = self.row_of(cells, line)
                if row is not None:
                    yield row
        except csv.Error as exc:
            yield self._csv_error(exc)
            return
        self.complete = True

    def as_row(self, item: _Row | list[str]) -> _Row | None:
        """An item of :meth:`rows_or_cells` as a _Row (cells just given: of :attr:`row_line`);
        None for a blank line."""
        return item if isinstance(item, _Row) else self.row_of(item, self.row_line)

    def row_of(self, cells: list[str], line: int) -> _Row | None:
        """The row of these cells, read from ``line``, as :meth:`rows` gives it (None for a blank
        line or a row of empty cells, which is no row)."""
        header, width = self._header, self._width
        joined = "".join(cells)
        if not joined.strip():
            return None  # a blank line, or a row of empty cells
        if len(cells) > width:
            return _Row(line, {}, f"{self.source.shown}:{line}: has {len(cells):,} cells "
                                  f"but the header has {width} columns")
        if len(cells) == width and "'" not in joined and self.columns:
            # nothing to unneutralise: a neutralised cell starts with an apostrophe
            return _Row(line, dict(zip(self.columns, cells, strict=True)))
        return _Row(line, {column: unneutralise(cells[index]) for index, column in header
                           if index < len(cells)})


def _batches(rows: Iterable[_Row], size: int) -> Iterator[list[_Row]]:
    batch: list[_Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------- checking and writing

class _Importer:
    """Checks rows file by file (in FILES order, so references point back) and, while there is
    no problem yet, writes them (:class:`bulk.ImportWriter`) in the one transaction of the import.

    What the checks need of the database is asked a batch of rows at a time, and the checks never
    depend on what the import wrote itself, so they find the same problems whether or not it is
    still writing. Kept for the whole import: the keys a reference may point to and the keys
    seen in each file (compact sets), and which stored contacts a row of a file has matched.
    """

    def __init__(self, update: bool, errors: _Errors, writer: bulk.ImportWriter) -> None:
        self.update = update
        self.errors = errors
        self.writer = writer
        self.summary = ImportSummary()
        # Keys a reference may point to: in the database, or in a file of this import.
        self.known: dict[str, set[object]] = {entity: bulk.keys(entity) for entity in bulk.KEYS}
        # The kinds of record the database held none of: no row of theirs is stored already.
        self.none_stored = {entity for entity, found in self.known.items() if not found}
        # Contacts (and appointments, team contacts) stored before the import (ids up to
        # last_id); which ones a row has matched.
        self.last_id = {entity: bulk.last_id(entity) for entity in bulk.CONTACT_KEYS}
        self.matched = {entity: bytearray(last + 1) for entity, last in self.last_id.items()}

    @property
    def writing(self) -> bool:
        return not self.errors

    def error(self, source: _Source, line: int, column: str, message: str) -> None:
        self.errors.add(f"{source.shown}:{line}: {column}: {message}")

    def clean_row(self, source: _Source, row: _Row) -> tuple[validation.Cleaned, set[str]]:
        """One row checked by its entity's rules (errors reported), and the fields in error."""
        cleaned = validation.clean(ENTITY[source.name], row.values)
        if "closed_date" not in row.values:  # a file without the column: judged with the
            # database's closed date when the client exists (records), else as it is
            cleaned.errors = [e for e in cleaned.errors if e.rule != validation.CLOSED_UNDATED]
        for problem in cleaned.errors:
            self.error(source, row.line, problem.field, problem.message)
        return cleaned, {problem.field for problem in cleaned.errors}

    def refs(self, source: _Source, line: int, values: Mapping[str, object],
             bad: set[str]) -> bool:
        """Check the references of one cleaned row; False if any points nowhere."""
        entity = ENTITY[source.name]
        known = self.known
        for column, target in _REFERENCES[entity]:  # the usual row: every reference found
            value = values.get(column)
            if column == "client_ids" or not (value is None or value in known[target]):
                break
        else:
            return True
        ok = True

        def need(column: str, target: str, value: object) -> None:
            nonlocal ok
            if value is None or value in self.known[target]:
                return
            ok = False
            if target == "specialist":
                what = f"no specialist is called {validation.quoted(value)}"
            else:
                what = f"no {target} has id {validation.quoted(value)}"
            self.error(source, line, column, f"{what} in this import or in the database")

        for column, target in _REFERENCES[entity]:
            if column in bad:
                continue
            if column == "client_ids":
                for client_id in validation.split_ids(values.get(column)):  # type: ignore[arg-type]  # the rule checked client_ids is text or a list of ids
                    need(column, target, client_id)
            else:
                need(column, target, values.get(column))
        return ok

    def records(self, source: _Source, reader: _Reader,
                items: Iterable[_Row | list[str]]) -> None:
        """Specialists, employers, clients or jobs: keyed records, added, updated or skipped."""
        entity = ENTITY[source.name]
        key_column = KEY[source.name]
        columns = reader.columns
        build = validation.row_builder(entity, columns) if columns else None
        names = [rule.name for rule in validation.RULES[entity]]
        # A row's cells by column are needed only to update a stored record (:meth:`record`).
        none_stored = entity in self.none_stored

        def read(items: Iterable[_Row | list[str]]) -> Iterator[_Row]:
            """The rows; a usual one cleaned by the row builder when it can (else by
            :meth:`clean_row` in :meth:`record`, which words the problems)."""
            for item in items:
                if type(item) is list and build is not None:
                    values = build(item)
                    if values is not None:
                        yield _Row(reader.row_line,
                                   {} if none_stored else dict(zip(columns, item, strict=True)),
                                   cleaned=dict(zip(names, values, strict=True)))
                        continue
                row = reader.as_row(item)
                if row is not None:
                    yield row

        rows = read(items)
        counts = self.summary.files.setdefault(source.name, FileCounts())
        lines: dict[object, int] = {}
        for batch in _batches(rows, bulk.LOOKUP):
            stored = {} if none_stored else bulk.current(
                entity, {row.values.get(key_column, "").strip() for row in batch} - {""})
            for row in batch:
                self.record(source, row, entity, key_column, lines, stored, counts)
        self.writer.done(entity)

    def record(self, source: _Source, row: _Row, entity: str, key_column: str,
               lines: dict[object, int], stored: Mapping[object, Mapping[str, object]],
               counts: FileCounts) -> None:
        if row.problem is not None:
            self.errors.add(row.problem)
            return
        bad: set[str] = set()
        if row.cleaned is not None:
            values, ok = row.cleaned, True
        else:
            cleaned, bad = self.clean_row(source, row)
            values, ok = cleaned.values, not cleaned.errors
        key = None if key_column in bad else values.get(key_column)
        if key is not None:
            if key in lines:
                self.error(source, row.line, key_column,
                           f"{validation.quoted(key)} is in this file twice (also on line "
                           f"{lines[key]})")
                return
            lines[key] = row.line
            self.known[entity].add(key)
        ok = self.refs(source, row.line, values, bad) and ok
        if not ok:
            return
        current = stored.get(key)
        if current is None:
            # (a row the builder cleaned has no problem across its fields: it checked them)
            undated = [] if row.cleaned is not None else [
                e for e in validation.record_errors(entity, values)
                if e.rule == validation.CLOSED_UNDATED]
            for problem in undated:
                self.error(source, row.line, problem.field, problem.message)
            if undated:
                return
            if entity == "client" and values.get("stage") == validation.CLOSED \
                    and not values.get("closed_reason"):
                self.closed_without_reason(source, row.line, key)
            if self.writing:
                self.writer.insert(entity, values)
            counts.added += 1
            return
        present = [c for c in row.values if c != key_column]
        differ = [c for c in present if current.get(c) != values[c]]
        if not differ:
            counts.skipped += 1
            return
        if not self.update:
            self.error(source, row.line, key_column,
                       f"{validation.quoted(key)} is already in the database with different "
                       f"values in {', '.join(differ)}; import with --update to change it")
            return
        merged = validation.clean(entity, {**current, **{c: values[c] for c in present}})
        # An update is a change of a stored record: the change rules hold too (a client
        # moved to closed needs a closed date; a job given an end reason, an end date).
        merged.errors.extend(validation.change_errors(entity, current, merged.values)
                             if merged.ok else ())
        if merged.errors:
            for problem in merged.errors:
                self.error(source, row.line, problem.field,
                           f"{problem.message} (with the values in the database)")
            return
        if entity == "client" and merged.values.get("stage") == validation.CLOSED \
                and current.get("stage") != validation.CLOSED \
                and not merged.values.get("closed_reason"):
            self.closed_without_reason(source, row.line, key)
        if self.writing:
            self.writer.update(entity, key, {c: merged.values[c] for c in differ})
        counts.updated += 1

    def closed_without_reason(self, source: _Source, line: int, key: object) -> None:
        """Imported all the same, worth a look: a warning in the summary."""
        self.summary.warn(f"{source.shown}:{line}: closed_reason: client {key} is closed "
                          "without a reason")

    def contacts(self, source: _Source, reader: _Reader,
                 rows: Iterable[_Row | list[str]]) -> None:
        """Client or employer contacts, appointments or team contacts: each stored one is
        matched by at most one identical row, so a file adds only the copies the database does
        not have yet (importing twice adds nothing, and two identical contacts, such as two
        unanswered calls on one day, both survive a round trip)."""
        entity = ENTITY[source.name]
        columns = reader.columns

        def as_rows(items: Iterable[_Row | list[str]]) -> Iterator[_Row]:
            for item in items:
                row = reader.as_row(item)
                if row is not None:
                    yield row

        if columns and not self.last_id[entity]:  # none stored yet: nothing to match
            refs = {column: self.known[target] for column, target in _REFERENCES[entity]}
            build = validation.row_builder(entity, columns, known=refs,
                                           dates_as_text=self.writer.dates_as_text)
            if build is not None:
                self.new_contacts(source, reader, rows, build)
                return
        self.matched_contacts(source, as_rows(rows))

    def new_contacts(self, source: _Source, reader: _Reader, rows: Iterable[_Row | list[str]],
                     build: Callable[[Sequence[str]], tuple | None]) -> None:
        """Contacts of a kind the database holds none of yet (a first import): every good row
        is added. A usual row is cleaned, its references looked up, by ``build``
        (validation.row_builder); any row it is not sure of (and every other row) goes the
        usual way (:meth:`clean_row`, :meth:`refs`), which finds and words the problems. The
        rows written are the same either way (tests/store/test_import_fast.py)."""
        entity = ENTITY[source.name]
        counts = self.summary.files.setdefault(source.name, FileCounts())
        add = self.writer.adder(entity)
        writing = self.writing
        added = 0
        for item in rows:
            if type(item) is list:
                values = build(item)
                if values is not None:
                    if writing:
                        add(values)
                    added += 1
                    continue
            row = reader.as_row(item)
            if row is None:
                continue  # a blank line
            if row.problem is not None:
                self.errors.add(row.problem)
                writing = False
                continue
            cleaned, bad = self.clean_row(source, row)
            if not (self.refs(source, row.line, cleaned.values, bad) and not cleaned.errors):
                writing = False
                continue
            if entity == "employer_contact":
                ids = cleaned.values.get("client_ids")
                cleaned.values["client_ids"] = validation.split_ids(ids)  # type: ignore[arg-type]  # the rule checked client_ids is text or a list of ids
            if writing:
                self.writer.insert(entity, cleaned.values)
            added += 1
        counts.added += added
        self.writer.done(entity)

    def matched_contacts(self, source: _Source, rows: Iterable[_Row]) -> None:
        """Contacts of a kind the database already holds some of: each row is compared with
        them (bulk.stored_contacts), a batch at a time."""
        entity = ENTITY[source.name]
        make_key = bulk.CONTACT_KEYS[entity]
        counts = self.summary.files.setdefault(source.name, FileCounts())
        matched, last = self.matched[entity], self.last_id[entity]
        for batch in _batches(rows, bulk.LOOKUP):
            good: list[tuple[tuple, dict[str, object]]] = []
            for row in batch:
                if row.problem is not None:
                    self.errors.add(row.problem)
                    continue
                cleaned, bad = self.clean_row(source, row)
                ok = self.refs(source, row.line, cleaned.values, bad) and not cleaned.errors
                if not ok:
                    continue
                values = cleaned.values
                if entity == "employer_contact":
                    ids = values.get("client_ids")
                    values["client_ids"] = validation.split_ids(ids)  # type: ignore[arg-type]  # the rule checked client_ids is text or a list of ids
                good.append((make_key(values), values))
            stored = bulk.stored_contacts(entity, {key for key, _ in good}, last) if last else {}
            for key, values in good:
                twin = next((i for i in stored.get(key, ()) if not matched[i]), None)
                if twin is not None:
                    matched[twin] = 1
                    counts.skipped += 1
                    continue
                if self.writing:
                    self.writer.insert(entity, values)
                counts.added += 1
        self.writer.done(entity)


#: (column, entity it refers to) for every reference of each entity.
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "specialist": (),
    "employer": (),
    "client": (("specialist", "specialist"),),
    "job": (("client_id", "client"), ("employer_id", "employer")),
    "client_contact": (("client_id", "client"), ("specialist", "specialist")),
    "employer_contact": (("employer_id", "employer"), ("specialist", "specialist"),
                         ("client_ids", "client")),
    "appointment": (("client_id", "client"), ("specialist", "specialist")),
    "team_contact": (("client_id", "client"), ("specialist", "specialist")),
}


# ---------------------------------------------------------------- import

def import_paths(paths: Sequence[Path], *, update: bool = False, by: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import interchange files: folders (read by file name) and/or files named as in FILES.

    All or nothing: on any problem raise :class:`ImportFailed` listing the first MAX_ERRORS (and
    how many more), and change nothing. With ``update`` a record whose key exists with different
    values is updated (only the columns present in the file); without it that is an error. ``by``
    is recorded in the audit log. ``progress(done, total)`` reports progress in lines of the
    files; ``done`` never goes back and ends at ``total``.

    The files are streamed: each is read once for its lines (is it UTF-8 text?) and once for its
    rows, which are checked and written a batch at a time in one transaction, never all held at
    once. Writing stops at the first problem; at the end, if there was any, the transaction is
    rolled back.
    """
    errors = _Errors()
    sources = _sources(list(paths), errors)
    try:
        with bulk.written_once(), bulk.locked():
            summary = _check_and_write(sources, update, by, progress, errors)
            if errors:
                raise errors.failed()  # rolls back everything written
    except ImportFailed:
        raise
    except StoreError as exc:
        errors.add(str(exc))
        raise errors.failed() from None
    return summary


def _check_and_write(sources: dict[str, _Source], update: bool, by: str | None,
                     progress: Callable[[int, int], None] | None,
                     errors: _Errors) -> ImportSummary:
    """Check the files against the database and write them (under the write lock)."""
    lines = {name: _text_lines(sources[name]) for name in FILES if name in sources}
    total = sum(count for count in lines.values() if isinstance(count, int))
    done = 0
    writer = bulk.ImportWriter(by)
    importer = _Importer(update, errors, writer)

    def reader_of(source: _Source) -> _Reader:
        """A reader that tells ``progress`` how far it is, in lines of all the files."""
        before = done
        if progress is None:
            return _Reader(source, errors)
        return _Reader(source, errors, lambda lines: progress(min(before + lines, total), total))

    def read_through(reader: _Reader) -> None:
        nonlocal done
        done = min(done + reader.line, total)

    def review_rows(name: str) -> Iterator[_Row]:
        """The rows of a review file, read as they are checked (problems of the file itself go
        to ``errors`` in their place)."""
        source = sources[name]
        problem = lines[name]
        if isinstance(problem, str):
            errors.add(problem)
            return
        with source.path.open(encoding="utf-8-sig", newline="") as fh:
            reader = reader_of(source)
            if not reader.open(fh):
                return
            for row in reader.rows():
                if row.problem is not None:
                    errors.add(row.problem)
                else:
                    yield row
            read_through(reader)

    for name in FILES:
        if name not in sources or name in review_files.FILES:
            continue
        source = sources[name]
        complete = False
        problem = lines[name]
        if isinstance(problem, str):
            errors.add(problem)
        else:
            with source.path.open(encoding="utf-8-sig", newline="") as fh:
                reader = reader_of(source)
                if reader.open(fh):
                    if name in KEY:
                        importer.records(source, reader, reader.rows_or_cells())
                    else:
                        importer.contacts(source, reader, reader.rows_or_cells())
                    complete = reader.complete
                read_through(reader)
        if name in KEY and not complete:
            # Keys of a broken file are unknown; errors about references to them would be noise.
            importer.known[ENTITY[name]] = _AnyKey()
    # The fidelity reviews (a few rows a year): checked, then written in the same transaction.
    reviews = review_files.check(
        {name: (sources[name], review_rows(name), True)
         for name in review_files.FILES if name in sources},
        update, importer.error)
    for name, (added, updated, same) in reviews.counts.items():
        importer.summary.files[name] = FileCounts(added, updated, same)
    if not errors:
        writer.write_more(reviews.write)
        writer.finish()
    if progress is not None:
        progress(total, total)
    return importer.summary


class _AnyKey(set):
    """Stands for the keys of a file that could not be read: every reference is accepted."""

    def __contains__(self, item: object) -> bool:
        return True


# ---------------------------------------------------------------- export

def _cell(rule: validation.Field | None, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return neutralise(";".join(str(v) for v in value))
    kind = rule.kind if rule is not None else "text"
    if kind == "date":
        return value.isoformat()  # type: ignore[attr-defined]  # a date rule's value is a date
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "number":
        number = float(value)  # type: ignore[arg-type]  # a number rule's value is a number
        return str(int(number)) if number.is_integer() else repr(number)
    # csv does not quote a lone carriage return; text saved through the app never has one.
    return neutralise(str(value).replace("\r\n", "\n").replace("\r", "\n"))


#: The columns export sorts each file on (ties broken by every other column).
_SORT = {
    "client_contacts.csv": ("date", "client_id"),
    "employer_contacts.csv": ("date", "employer_id"),
    "appointments.csv": ("date", "time", "client_id"),
    "team_contacts.csv": ("date", "client_id"),
    **review_files.SORT,
}


def export_dir(folder: Path) -> dict[str, int]:
    """Write every interchange file into ``folder`` (created if needed); rows written per file.

    The folder, and any folder made for it, and the files are created readable by their owner
    only. Columns come in the documented order, rows
    sorted by key (contacts by date) so that two exports of the same data are byte-identical.
    """
    folder = make_private_dir(Path(folder))
    data = bulk.export_rows()
    written: dict[str, int] = {}
    for name in FILES:
        columns = COLUMNS[name]
        rules = _RULES[name]
        cells = [[_cell(rules.get(c), row.get(c)) for c in columns]
                 for row in data[ENTITY[name]]]
        first = _SORT.get(name) or (KEY[name],)
        order = [columns.index(c) for c in first]
        order += [i for i in range(len(columns)) if i not in order]
        cells.sort(key=lambda r: [r[i] for i in order])
        path = folder / name
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            report_csv.write(fh, columns, cells)
        written[name] = len(cells)
    return written
