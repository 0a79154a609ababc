"""The interchange CSV format (version 1): import a folder or files all-or-nothing, export a folder.

The format is a contract with the people who fill the files in (often in a spreadsheet), so the
file and column names never change. UTF-8 (a BOM is accepted), comma-separated (a file separated
by semicolons or tabs, as spreadsheets in many countries save it, is read too), one header row,
columns in any order, an empty cell means no value, dates ``YYYY-MM-DD`` (or as the app shows
them, ``Tue 2026-11-24``), booleans ``yes``/``no``, and choices in the stored words or the app's
(``job_search`` or ``Job search``, ignoring case).
The columns of each file are the field names of the matching rule set in
:data:`ips_tui.validation.RULES`, which also does every check of a single value.

Import reads and checks everything first (values, references between files and into the database,
duplicates), collecting every problem as ``FILE:LINE: column: message``; only when there are none
is the whole plan written, in one transaction (:mod:`ips_tui.store.bulk`). Importing the same files
again changes nothing: records whose key exists with the same values, and contacts identical to one
already there, are skipped.

Spreadsheet formula injection: on export a text cell that starts with ``=``, ``+``, ``-`` or ``@``
(possibly after apostrophes) gets one leading apostrophe; on import a cell that starts with one or
more apostrophes followed by one of those characters loses one apostrophe. So ``=SUM(A1)`` is
written ``'=SUM(A1)``, a value that really starts with ``'=`` is written ``''=``, and every value
survives an export and import exactly.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ips_tui import review_files, validation
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


class ImportFailed(Exception):
    """Nothing was imported; ``errors`` lists every problem as ``FILE:LINE: column: message``."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        shown = self.errors[:20]
        more = len(self.errors) - len(shown)
        text = f"{len(self.errors)} problem(s) found; nothing was imported:\n" + "\n".join(shown)
        if more:
            text += f"\n... and {more} more"
        super().__init__(text)


@dataclass
class FileCounts:
    """What an import did with the rows of one file."""

    added: int = 0
    updated: int = 0
    skipped: int = 0  # already in the database with the same values (or repeated in the file)


@dataclass
class ImportSummary:
    """Counts per file (keys are names from FILES, in that order)."""

    files: dict[str, FileCounts] = field(default_factory=dict)
    #: Imported anyway, worth a look (a closed client without a reason): FILE:LINE: column: what.
    warnings: list[str] = field(default_factory=list)

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
        return "\n".join(lines)


# ---------------------------------------------------------------- formula neutralisation
# Export neutralises in the one CSV writer (ips_tui.reports.csv.neutralise); import undoes it.

unneutralise = report_csv.unneutralise  # the one definition, beside neutralise


# ---------------------------------------------------------------- reading files

class _Errors:
    """Problems found, listed in the end by file (in FILES order) and line; paths first."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, str]] = []

    def add(self, name: str | None, line: int, text: str) -> None:
        rank = FILES.index(name) + 1 if name in FILES else 0
        self._items.append((rank, line, len(self._items), text))

    def __bool__(self) -> bool:
        return bool(self._items)

    def lines(self) -> list[str]:
        return [text for *_, text in sorted(self._items)]


@dataclass
class _Source:
    shown: str  # the name used in messages: as the user gave it, or as found in the folder
    path: Path
    name: str  # the file name, one of FILES


@dataclass
class _Row:
    line: int
    values: dict[str, str]


def _sources(paths: Sequence[Path], errors: _Errors) -> dict[str, _Source]:
    """The files to read, by name from FILES; problems with the paths go to ``errors``."""
    found: dict[str, _Source] = {}
    expected = ", ".join(FILES)

    def add(source: _Source) -> None:
        if source.name not in FILES:
            errors.add(None, 0, f"{source.shown}: is not an interchange file; the file name "
                       f"must be one of {expected}")
        elif source.name in found:
            errors.add(None, 0, f"{source.shown}: {source.name} is given twice "
                       f"(also {found[source.name].shown})")
        else:
            found[source.name] = source

    if not paths:
        errors.add(None, 0, f"no files to import: give a folder or files named {expected}")
    for given in paths:
        path = Path(given)
        shown = str(given)
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                errors.add(None, 0, f"{shown}: cannot be read ({exc.strerror or exc})")
                continue
            csv_files = [
                entry for entry in entries
                if entry.name.lower().endswith(".csv") and not entry.name.startswith(".")
                and entry.is_file()
            ]
            for entry in csv_files:
                add(_Source(entry.name, entry, entry.name))
            if not csv_files:
                errors.add(None, 0, f"{shown}: holds none of the interchange files "
                           f"({expected})")
        elif path.is_file():
            add(_Source(shown, path, path.name))
        elif path.exists():
            errors.add(None, 0, f"{shown}: is not a file or a folder")
        else:
            errors.add(None, 0, f"{shown}: does not exist")
    return found


def _decode(source: _Source, errors: _Errors) -> str | None:
    """The text of a file, or None (with an error) if it is not UTF-8 text."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        errors.add(source.name, 0, f"{source.shown}: cannot be read ({exc.strerror or exc})")
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = data.count(b"\n", 0, offset) + 1
        errors.add(source.name, line, f"{source.shown}:{line}: is not UTF-8 text (byte "
                   f"0x{data[offset]:02x} at offset {offset}); save it as CSV UTF-8")
        return None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        errors.add(source.name, line, f"{source.shown}:{line}: contains NUL bytes, so it is not "
                   "CSV text (perhaps UTF-16); save it as CSV UTF-8")
        return None
    return text


#: What separates the cells: a comma, or what spreadsheets in many countries save instead.
SEPARATORS = (",", ";", "\t")


def _separator(text: str, known: Sequence[str]) -> str:
    """The character that separates the cells of ``text``: the one of :data:`SEPARATORS` whose
    split of the first line names the most columns of the file (a comma when none does)."""
    first = text.split("\n", 1)[0]
    best, named = ",", 0
    for sep in SEPARATORS:
        count = sum(1 for cell in first.split(sep) if cell.strip().strip('"') in known)
        if count > named:
            best, named = sep, count
    return best


def _read(source: _Source, errors: _Errors) -> tuple[list[_Row], bool] | None:
    """The data rows of one file (cells by column name), and whether they are all of them.

    None if the file cannot be used at all (not UTF-8, a bad header). Problems with the header or
    the CSV structure go to ``errors``; values are not checked here. After a CSV structure error
    (an unclosed quote, a huge cell) the rows before it are still returned, to be checked too.
    """
    text = _decode(source, errors)
    if text is None:
        return None
    name = source.name
    known = COLUMNS[name]

    def problem(line: int, message: str) -> None:
        errors.add(name, line, f"{source.shown}:{line}: {message}")

    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=_separator(text, known))
    rows: list[_Row] = []
    previous = 0  # physical lines consumed so far: a record starts on the next one
    header: list[tuple[int, str]] = []  # (cell index, column) of the columns used
    try:
        first = next(reader, None)
        previous = reader.line_num
        if first is None or not any(cell.strip() for cell in first):
            problem(1, f"has no header row; the first line must name the columns "
                       f"({', '.join(known)})")
            return None
        names = [cell.strip() for cell in first]
        if not any(n in known for n in names):
            problem(1, f"the first line is not a header row: it names none of the columns of "
                       f"{name} ({', '.join(known)}), separated by commas, semicolons or tabs")
            return None
        seen: set[str] = set()
        for index, column in enumerate(names):
            if not column:
                problem(1, f"column {index + 1}: has no name in the header")
            elif column not in known:
                problem(1, f"{column}: is not a column of {name}; the columns are "
                           f"{', '.join(known)}")
            elif column in seen:
                problem(1, f"{column}: appears more than once in the header")
            else:
                seen.add(column)
                header.append((index, column))
        missing = [r.name for r in validation.RULES[ENTITY[name]]
                   if r.required and r.name not in seen]
        for column in missing:
            problem(1, f"{column}: this required column is missing")
        if missing:
            return None
        width = len(names)
        for cells in reader:
            line = previous + 1
            previous = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells
            if len(cells) > width:
                problem(line, f"has {len(cells)} cells but the header has {width} columns")
                continue
            values = {
                column: unneutralise(cells[index]) for index, column in header
                if index < len(cells)
            }
            rows.append(_Row(line, values))
    except csv.Error as exc:
        line = previous + 1
        if "field larger than field limit" in str(exc):
            problem(line, f"a cell is longer than {csv.field_size_limit():,} characters, more "
                          "than any cell may hold (is a closing quote missing?)")
        else:
            problem(line, f"is not valid CSV ({exc}); check the quotes")
        return rows, False
    return rows, True


# ---------------------------------------------------------------- checking

class _Planner:
    """Checks rows file by file (in FILES order, so references point back) and plans the writes."""

    def __init__(self, existing: bulk.Existing, update: bool, errors: _Errors, total: int,
                 progress: Callable[[int, int], None] | None):
        self.existing = existing
        self.update = update
        self.errors = errors
        self.plan: dict[str, bulk.EntityChanges] = {}
        self.summary = ImportSummary()
        # Keys a reference may point to: in the database, or in a file of this import.
        self.known: dict[str, set[object]] = {
            entity: set(records) for entity, records in existing.records.items()
        }
        self.total = total
        self.done = 0
        self.progress = progress

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % _PROGRESS_EVERY == 0:
            self.progress(self.done, self.total)

    def error(self, source: _Source, line: int, column: str, message: str) -> None:
        self.errors.add(source.name, line, f"{source.shown}:{line}: {column}: {message}")

    def clean_row(self, source: _Source, row: _Row) -> tuple[validation.Cleaned, set[str]]:
        """One row checked by its entity's rules (errors reported), and the fields in error."""
        self.tick()
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
        ok = True
        entity = ENTITY[source.name]

        def need(column: str, target: str, value: object) -> None:
            nonlocal ok
            if value is None or value in self.known[target]:
                return
            ok = False
            if target == "specialist":
                what = f"no specialist is called '{value}'"
            else:
                what = f"no {target} has id '{value}'"
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

    def records(self, source: _Source, rows: list[_Row]) -> None:
        """Specialists, employers, clients or jobs: keyed records, added, updated or skipped."""
        entity = ENTITY[source.name]
        key_column = KEY[source.name]
        existing = self.existing.records[entity]
        changes = self.plan.setdefault(entity, bulk.EntityChanges())
        counts = self.summary.files.setdefault(source.name, FileCounts())
        lines: dict[object, int] = {}
        for row in rows:
            cleaned, bad = self.clean_row(source, row)
            values = cleaned.values
            ok = not cleaned.errors
            key = None if key_column in bad else values.get(key_column)
            if key is not None:
                if key in lines:
                    self.error(source, row.line, key_column,
                               f"'{key}' is in this file twice (also on line {lines[key]})")
                    continue
                lines[key] = row.line
                self.known[entity].add(key)
            ok = self.refs(source, row.line, values, bad) and ok
            if not ok:
                continue
            current = existing.get(key)
            if current is None:
                undated = [e for e in validation.record_errors(entity, values)
                           if e.rule == validation.CLOSED_UNDATED]
                for problem in undated:
                    self.error(source, row.line, problem.field, problem.message)
                if undated:
                    continue
                if entity == "client" and values.get("stage") == validation.CLOSED \
                        and not values.get("closed_reason"):
                    self.summary.warnings.append(
                        f"{source.shown}:{row.line}: closed_reason: client {key} is closed "
                        "without a reason")
                changes.insert.append(values)
                counts.added += 1
                continue
            present = [c for c in row.values if c != key_column]
            differ = [c for c in present if current.get(c) != values[c]]
            if not differ:
                counts.skipped += 1
                continue
            if not self.update:
                self.error(source, row.line, key_column,
                           f"'{key}' is already in the database with different values in "
                           f"{', '.join(differ)}; import with --update to change it")
                continue
            merged = validation.clean(entity, {**current, **{c: values[c] for c in present}})
            # An update is a change of a stored record: the change rules hold too (a client
            # moved to closed needs a closed date; a job given an end reason, an end date).
            merged.errors.extend(validation.change_errors(entity, current, merged.values)
                                 if merged.ok else ())
            if merged.errors:
                for problem in merged.errors:
                    self.error(source, row.line, problem.field,
                               f"{problem.message} (with the values in the database)")
                continue
            if entity == "client" and merged.values.get("stage") == validation.CLOSED \
                    and current.get("stage") != validation.CLOSED \
                    and not merged.values.get("closed_reason"):
                self.summary.warnings.append(
                    f"{source.shown}:{row.line}: closed_reason: client {key} is closed "
                    "without a reason")
            changes.update.append((key, {c: merged.values[c] for c in differ}))
            counts.updated += 1

    def contacts(self, source: _Source, rows: list[_Row]) -> None:
        """Client or employer contacts: identical ones are counted, so a file adds only the
        copies the database does not have yet (importing twice adds nothing, and two identical
        contacts, such as two unanswered calls on one day, both survive a round trip)."""
        entity = ENTITY[source.name]
        if entity == "client_contact":
            make_key, present = bulk.client_contact_key, self.existing.client_contacts
        elif entity == "appointment":
            make_key, present = bulk.appointment_key, self.existing.appointments
        else:
            make_key, present = bulk.employer_contact_key, self.existing.employer_contacts
        changes = self.plan.setdefault(entity, bulk.EntityChanges())
        counts = self.summary.files.setdefault(source.name, FileCounts())
        seen: Counter[tuple] = Counter()
        for row in rows:
            cleaned, bad = self.clean_row(source, row)
            ok = self.refs(source, row.line, cleaned.values, bad) and not cleaned.errors
            if not ok:
                continue
            values = cleaned.values
            if entity == "employer_contact":
                ids = values.get("client_ids")
                values["client_ids"] = validation.split_ids(ids)  # type: ignore[arg-type]  # the rule checked client_ids is text or a list of ids
            key = make_key(values)
            seen[key] += 1
            if seen[key] <= present[key]:
                counts.skipped += 1
                continue
            changes.insert.append(values)
            counts.added += 1


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
}


# ---------------------------------------------------------------- import

def import_paths(paths: Sequence[Path], *, update: bool = False, by: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import interchange files: folders (read by file name) and/or files named as in FILES.

    All or nothing: on any problem raise :class:`ImportFailed` listing every one, and change
    nothing. With ``update`` a record whose key exists with different values is updated (only the
    columns present in the file); without it that is an error. ``by`` is recorded in the audit log.
    ``progress(done, total)`` reports progress in rows: ``total`` is twice the number of data
    rows, as each row counts once when checked and once when written; ``done`` never goes back.
    """
    errors = _Errors()
    sources = _sources(list(paths), errors)
    parsed: dict[str, tuple[_Source, list[_Row], bool]] = {}
    for name in FILES:
        if name in sources:
            read = _read(sources[name], errors)
            if read is not None:
                parsed[name] = (sources[name], *read)
    # Checking rows is still worth it when some file is broken: every problem is listed at once.
    rows_total = sum(len(rows) for _, rows, _ in parsed.values())
    try:
        with bulk.locked():
            return _check_and_write(sources, parsed, rows_total, update, by, progress, errors)
    except ImportFailed:
        raise
    except StoreError as exc:
        raise ImportFailed([str(exc)]) from None


def _check_and_write(sources: dict[str, _Source], parsed: dict[str, tuple[_Source, list[_Row], bool]],
                     rows_total: int, update: bool, by: str | None,
                     progress: Callable[[int, int], None] | None, errors: _Errors) -> ImportSummary:
    """Check the parsed rows against the database and write them (under the write lock)."""
    total = 2 * rows_total
    existing = bulk.existing()
    planner = _Planner(existing, update, errors, total, progress)
    for name in FILES:
        if name in sources and name in KEY and not parsed.get(name, (None, None, False))[2]:
            # Keys of a broken file are unknown; errors about references to them would be noise.
            planner.known[ENTITY[name]] = _AnyKey()
        if name not in parsed or name in review_files.FILES:
            continue
        source, rows, _ = parsed[name]
        if name in KEY:
            planner.records(source, rows)
        else:
            planner.contacts(source, rows)
    reviews = review_files.check(parsed, update, planner.error)
    for name, (added, updated, same) in reviews.counts.items():
        planner.summary.files[name] = FileCounts(added, updated, same)
    if errors:
        raise ImportFailed(errors.lines())
    if progress is not None:
        progress(rows_total, total)

    def written(rows: int) -> None:
        if progress is not None:
            progress(rows_total + min(rows, rows_total), total)

    try:
        bulk.apply_import(planner.plan, by=by, progress=written, also=reviews.write)
    except StoreError as exc:
        raise ImportFailed([str(exc)]) from None
    if progress is not None:
        progress(total, total)
    return planner.summary


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
    **review_files.SORT,
}


def export_dir(folder: Path) -> dict[str, int]:
    """Write every interchange file into ``folder`` (created if needed); rows written per file.

    Files are created readable by their owner only. Columns come in the documented order, rows
    sorted by key (contacts by date) so that two exports of the same data are byte-identical.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
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
