"""The HTML writer: one self-contained printable page (inline CSS and SVG; no scripts, links
or outside assets), every value escaped here."""

from __future__ import annotations

import html

from ips_tui.reports.format import pct
from ips_tui.reports.layout import one_line
from ips_tui.reports.model import HTML, Bullets, Chart, Document, Para, Sub, Table, shown


def escape(text: object) -> str:
    """Any value as escaped HTML text on one line."""
    return html.escape(one_line(text), quote=True)


def page_start(title: str, css: str) -> list[str]:
    """The lines that open a self-contained report page, up to its ``<h1>`` title."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        "<style>",
        css,
        "</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
    ]


def table(t: Table) -> list[str]:
    """A table: numeric columns align right (class ``num``), ``keep`` columns (dates, ids) are
    never broken across lines (class ``keep``), alert rows have class ``alert``."""
    t = t.shown(HTML)
    classes = [' class="num"' if c.numeric else ' class="keep"' if c.keep else "" for c in t.columns]
    out = ["<table>", "<thead><tr>" + "".join(
        f"<th{classes[i]}>{escape(c.header)}</th>" for i, c in enumerate(t.columns))
        + "</tr></thead>", "<tbody>"]
    for row in t.rows:
        tr = '<tr class="alert">' if row.alert else "<tr>"
        out.append(tr + "".join(f"<td{classes[i]}>{escape(cell)}</td>"
                                for i, cell in enumerate(row.cells)) + "</tr>")
    return out + ["</tbody>", "</table>"]


def bullets(b: Bullets) -> list[str]:
    out = ["<ul>"]
    for item in b.items:
        head = f"<strong>{escape(item.head)}</strong>" if b.strong else escape(item.head)
        details = "".join(f'<span class="detail"><span class="label">{escape(label)}:</span> '
                          f'{escape(text)}</span>' for label, text in item.details)
        out.append(f"<li>{head}{details}</li>")
    return out + ["</ul>"]


def para(p: Para) -> list[str]:
    if not shown(p.only, HTML):
        return []
    return [f'<p class="{p.cls}">{escape(p.text)}</p>' if p.cls else f"<p>{escape(p.text)}</p>"]


def render(doc: Document, css: str) -> str:
    """The document as one page styled by ``css`` (see :func:`.layout.report_css`)."""
    out = page_start(doc.title, css)
    for p in doc.intro:
        out += para(p)
    for number, s in doc.numbered():
        out.append(f'<section id="section-{number}">')
        out.append(f"<h2>{number}. {escape(s.title)}</h2>")
        for block in s.blocks:
            if isinstance(block, Para):
                out += para(block)
            elif isinstance(block, Sub):
                out.append(f"<h3>{escape(block.text)}</h3>")
            elif isinstance(block, Table):
                out += table(block)
            elif isinstance(block, Bullets):
                out += bullets(block)
            elif isinstance(block, Chart):
                out.append(svg_chart(block))
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- charts as inline SVG

_W, _H = 640, 280
_LEFT, _RIGHT, _TOP, _BOTTOM, _INSET = 48, 110, 28, 40, 22
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def svg_chart(chart: Chart) -> str:
    """An inline SVG line chart of shares (0-100%) with dashed labelled lines; no external
    references (not even an xmlns URL: inline SVG in HTML needs none)."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    n = len(chart.points)

    def x(i: int) -> float:  # the first and last points sit a little inside the plot
        inner = plot_w - 2 * _INSET
        return _LEFT + _INSET + (inner * i / (n - 1) if n > 1 else inner / 2)

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - v)

    parts = [
        f'<svg class="chart" viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" role="img" '
        f'aria-labelledby="chart-title chart-desc" font-family="{_FONT}" font-size="12">',
        f'<title id="chart-title">{escape(chart.title)}</title>',
        f'<desc id="chart-desc">{escape(chart.desc)}</desc>',
    ]
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):  # gridlines and y labels
        parts.append(f'<line class="grid" x1="{_LEFT}" y1="{y(v):.1f}" x2="{_LEFT + plot_w}" '
                     f'y2="{y(v):.1f}" stroke="#e3e3e3" stroke-width="1"/>')
        parts.append(f'<text class="axis" x="{_LEFT - 6}" y="{y(v) + 4:.1f}" '
                     f'text-anchor="end" fill="#555">{int(v * 100)}%</text>')
    for name, level in chart.lines:
        parts.append(f'<line class="benchmark" x1="{_LEFT}" y1="{y(level):.1f}" '
                     f'x2="{_LEFT + plot_w}" y2="{y(level):.1f}" stroke="#b36b00" '
                     f'stroke-width="1.5" stroke-dasharray="6 4"/>')
        parts.append(f'<text class="benchmark-label" x="{_LEFT + plot_w + 8}" '
                     f'y="{y(level) + 4:.1f}" fill="#8a5200">{escape(name)} {pct(level)}</text>')
    segments: list[list[str]] = [[]]
    for i, p in enumerate(chart.points):
        if p.value is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(i):.1f},{y(p.value):.1f}")
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline class="rate" points="{" ".join(seg)}" fill="none" '
                         f'stroke="#2b5797" stroke-width="2.5"/>')
    for i, p in enumerate(chart.points):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{_TOP + plot_h + 20}" '
                     f'text-anchor="middle" fill="#555">{escape(p.label)}</text>')
        if p.value is None:
            continue
        parts.append(f'<circle class="point" cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="4" '
                     f'fill="#2b5797"><title>{escape(p.tip)}</title></circle>')
        parts.append(f'<text class="value" x="{x(i):.1f}" y="{y(p.value) - 9:.1f}" '
                     f'text-anchor="middle" fill="#1a1a1a" font-weight="600">{pct(p.value)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
