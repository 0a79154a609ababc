"""The Markdown writer: headings, tables and bullet lists, every value escaped so that it
renders as itself."""

from __future__ import annotations

import re

from ips_tui.reports.layout import one_line
from ips_tui.reports.model import MARKDOWN, Bullets, Chart, Document, Para, Sub, Table, shown

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ANY = re.compile(r"[\\`*_\[\]<>|~&]")


def escape(text: object) -> str:
    """A value as Markdown text that renders as itself (no emphasis, links, HTML or table breaks)."""
    line = one_line(text)
    if _ANY.search(line) is None:  # most cells: nothing to escape (one look, not two rewrites)
        return line
    escaped = _SPECIAL.sub(r"\\\1", line)
    return _ENTITY.sub(r"\\&", escaped)


def table(t: Table) -> list[str]:
    """A table, numeric columns aligned right, and the blank line after it."""
    t = t.shown(MARKDOWN)
    out = ["| " + " | ".join(escape(c.header) for c in t.columns) + " |",
           "| " + " | ".join("---:" if c.numeric else "---" for c in t.columns) + " |"]
    out += ["| " + " | ".join(escape(cell) for cell in row.cells) + " |" for row in t.rows]
    return out + [""]


def bullets(b: Bullets) -> list[str]:
    out = []
    for item in b.items:
        out.append(f"- **{escape(item.head)}**" if b.strong else f"- {escape(item.head)}")
        out += [f"  - {escape(label)}: {escape(text)}" for label, text in item.details]
    return out + [""]


def para(p: Para) -> list[str]:
    if not shown(p.only, MARKDOWN):
        return []
    return [f"*{escape(p.text)}*" if p.em else escape(p.text), ""]


def render(doc: Document) -> str:
    """Clean Markdown for a document or an email."""
    out = [f"# {escape(doc.title)}", ""]
    for p in doc.intro:
        out += para(p)
    for number, s in doc.numbered():
        out += [f"## {number}. {escape(s.title)}", ""]
        for block in s.blocks:
            if isinstance(block, Para):
                out += para(block)
            elif isinstance(block, Sub):
                out += [f"### {escape(block.text)}", ""]
            elif isinstance(block, Table):
                out += table(block)
            elif isinstance(block, Bullets):
                out += bullets(block)
            elif isinstance(block, Chart):
                continue  # its figures are in the table beside it
    return "\n".join(out).rstrip("\n") + "\n"
