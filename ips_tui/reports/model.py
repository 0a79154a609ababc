"""The one document model every report is laid out in, whatever format it is written in.

A :class:`Document` is a title, a few lines of introduction and numbered sections of
blocks: paragraphs, subheadings, tables with named columns, bullet lists and charts. The
writers (:mod:`.markdown`, :mod:`.html`, :mod:`.text`) turn it into their format; a report
module only builds it. A block or column meant for some formats only names them in ``only``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

#: The document formats, by the names the writers give themselves.
MARKDOWN, HTML, TEXT = "md", "html", "txt"


def shown(only: Collection[str] | None, fmt: str) -> bool:
    """Whether something limited to the formats ``only`` (None: all of them) appears in ``fmt``."""
    return only is None or fmt in only


@dataclass(frozen=True)
class Para:
    """A paragraph. ``cls`` is its class in HTML (``period``, ``notice``, ``intro``); ``em``
    writes it in italics in Markdown."""

    text: str
    cls: str = ""
    em: bool = False
    only: frozenset[str] | None = None


@dataclass(frozen=True)
class Sub:
    """A subheading inside a section."""

    text: str


@dataclass(frozen=True)
class Column:
    """A table column: numbers align right; ``keep`` columns (dates, ids) are wrapped by the
    plain-text writer's balanced fit (:func:`.layout.fit_balanced`) only when nothing else
    makes the table fit."""

    header: str
    numeric: bool = False
    keep: bool = False
    only: frozenset[str] | None = None


@dataclass(frozen=True)
class Row:
    cells: list[str]
    alert: bool = False  # something overdue or short of a target


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]

    def shown(self, fmt: str) -> Table:
        """The table with only the columns that appear in ``fmt``."""
        keep = [i for i, c in enumerate(self.columns) if shown(c.only, fmt)]
        if len(keep) == len(self.columns):
            return self
        return Table([self.columns[i] for i in keep],
                     [Row([r.cells[i] for i in keep], r.alert) for r in self.rows])


@dataclass(frozen=True)
class Item:
    """A bullet: its head, then labelled details (``Note: ...``) under it."""

    head: str
    details: tuple[tuple[str, str], ...] = ()


@dataclass
class Bullets:
    items: list[Item]
    strong: bool = False  # heads in bold (Markdown and HTML)


@dataclass(frozen=True)
class Point:
    """A chart's point: its label on the x axis, a share from 0 to 1 (None for no value) and
    the text shown on hovering it."""

    label: str
    value: float | None
    tip: str


@dataclass
class Chart:
    """A line chart of shares (0-100%) with labelled horizontal lines (benchmarks); only the
    HTML writer draws it, the other formats carry the same figures as a table."""

    title: str
    desc: str
    points: list[Point]
    lines: list[tuple[str, float]] = field(default_factory=list)


Block = Para | Sub | Table | Bullets | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Document:
    title: str
    intro: list[Para]
    sections: list[Section]

    def numbered(self) -> list[tuple[int, Section]]:
        return list(enumerate(self.sections, start=1))
