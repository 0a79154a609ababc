"""The plain-text writer: underlined headings, wrapped paragraphs and tables fitted to a width
in terminal columns, for a terminal or a notice board."""

from __future__ import annotations

from collections.abc import Sequence

from ips_tui.reports.layout import GAP, Fit, Grid, fit_balanced, one_line, text_width, wrap
from ips_tui.reports.model import TEXT, Block, Bullets, Document, Para, Sub, Table, shown

#: No line is wider than this unless a writer is asked for another width.
WIDTH = 80


def table(t: Table, width: int = WIDTH, fit: Fit = fit_balanced) -> list[str]:
    """A table at most ``width`` columns wide where ``fit`` can make it so."""
    t = t.shown(TEXT)
    grid = Grid([c.header for c in t.columns], [r.cells for r in t.rows],
                [c.numeric for c in t.columns], [c.keep for c in t.columns])
    return grid.draw(fit(grid, width - GAP * (grid.n - 1)))


def render(doc: Document, width: int = WIDTH, fit: Fit = fit_balanced) -> str:
    """The document at most ``width`` columns wide; ``fit`` chooses the tables' column widths."""

    def heading(text: str, rule: str) -> list[str]:
        lines = wrap(one_line(text), width)
        return lines + [rule * min(max(text_width(x) for x in lines), width)]

    def para(text: str, first: str = "", rest: str = "") -> list[str]:
        lines = wrap(one_line(text), width - len(first))
        return [first + lines[0]] + [rest + line for line in lines[1:]]

    def blocks(items: Sequence[Block]) -> list[str]:
        out: list[str] = []
        for block in items:
            if isinstance(block, Para):
                out += para(block.text) + [""] if shown(block.only, TEXT) else []
            elif isinstance(block, Sub):
                out += heading(block.text, "~") + [""]
            elif isinstance(block, Table):
                out += table(block, width, fit) + [""]
            elif isinstance(block, Bullets):
                for item in block.items:
                    out += para(item.head, "* ", "  ")
                    for label, text in item.details:
                        out += para(f"{label}: {text}", "    ", "    ")
                out.append("")
            # a Chart's figures are in the table beside it
        return out

    out = heading(doc.title, "=") + [""] + blocks(doc.intro)
    for number, s in doc.numbered():
        out += heading(f"{number}. {s.title}", "-") + [""] + blocks(s.blocks)
    return "\n".join(out).rstrip("\n") + "\n"
