"""Outcome and fidelity reports as a terminal table, Markdown, a printable HTML page, CSV or JSON.

The formats of `ips-tui outcomes` and `ips-tui fidelity` (``--format table|md|html|csv|json``).
Each report is laid out once, as numbered sections of paragraphs, tables, bullet lists and the
trend (:func:`outcomes_layout`, :func:`fidelity_layout`), then written out by one small writer
per format, so the documents always say the same thing; CSV and JSON carry the same figures as
data. Nothing here queries the store. Clients appear by id only. Values are made safe for their
format (Markdown and HTML escaping, no control characters, no spreadsheet formulas in CSV), and
the HTML page is self-contained: inline CSS and an inline SVG chart, no scripts, links or
outside assets.

The JSON keys are a contract: outcomes -- ``period``, ``period_start``, ``period_end``,
``specialist``, ``report``, ``figures``, ``targets``, (``band`` for us), ``job_starts``,
``job_ends``, ``trend`` (objects with ``period``, ``served``, ``employed``, ``rate``),
``definitions``; fidelity -- ``period``, ``period_start``, ``period_end``, ``specialist``,
``near_rule``, ``counts``, ``items``. The CSV columns are :data:`OUTCOME_CSV_FIELDS` and
:data:`FIDELITY_CSV_FIELDS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from ips_tui.agenda_output import md_escape
from ips_tui.domain import fidelity as fid
from ips_tui.domain import outcomes as oc
from ips_tui.output import terminal_safe
from ips_tui.text_layout import (
    GAP,
    draw_table,
    html_page_start,
    html_table,
    html_text,
    report_css,
    text_width,
    wrap,
)
from ips_tui.text_layout import one_line as _one_line

FORMATS: tuple[str, ...] = ("table", "md", "html", "csv", "json")
#: The table format never writes a line wider than this.
TEXT_WIDTH = 80
OUTCOME_CSV_FIELDS: tuple[str, ...] = ("period", "key", "label", "value", "definition")
FIDELITY_CSV_FIELDS: tuple[str, ...] = ("key", "scale_item", "name", "anchor", "figure", "status",
                                        "value", "target", "record_kind", "records")

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_REPORT_TITLES = {
    "us": "US IPS Learning Community quarterly report",
    "uk": "UK IPS Grow key performance indicators",
}
_BAND_TEXT = {
    "below_minimum": "below the 31% minimum benchmark",
    "minimum": "at or above the 31% minimum benchmark, below the 41% average",
    "average": "at or above the 41% average benchmark, below the 50% excellent",
    "excellent": "at or above the 50% excellent benchmark",
}
_STATUS_TEXT = {fid.MET: "met", fid.NEAR: "near", fid.NOT_MET: "NOT MET", fid.NO_DATA: "no data"}
_RECORD_WORDS = {"client": "clients", "job": "jobs", "contact": "contacts",
                 "specialist": "specialists"}
_BLOCKS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"
#: Detail lines shown per fidelity item in the documents (csv and json carry every record).
MAX_DETAILS = 15
#: Characters of a 100% bar in the trend's bar list.
BAR_WIDTH = 25


# ---------------------------------------------------------------- the layout all formats share


@dataclass
class Para:
    text: str


@dataclass
class Sub:
    text: str


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    alerts: set[int] = field(default_factory=set)  # rows short of a target


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Trend:
    """The headline rate over the last periods, with the report's benchmark lines."""

    points: list[oc.TrendPoint]
    targets: dict[str, float]
    what: str  # "employment rate" / "into-work rate"
    columns: list[str]  # what served and employed count: ["Served", "Employed"] for us


Block = Para | Sub | Table | Bullets | Trend


@dataclass
class Section:
    number: int
    title: str
    blocks: list[Block]


@dataclass
class Document:
    title: str
    intro: list[str]
    sections: list[Section]


def day(d: dt.date | None) -> str:
    """``Tue 2026-09-01`` (English day names whatever the locale), or '' for None."""
    return "" if d is None else f"{_DAY_NAMES[d.weekday()]} {d.isoformat()}"


def pct(value: float | None) -> str:
    """A share as a percentage with at most one decimal (``41.4%``), ``n/a`` for None."""
    if value is None:
        return "n/a"
    return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"


def figure_text(f: oc.Figure) -> str:
    """A figure's value as the reports write it."""
    if f.unit == "rate":
        text = pct(f.value)
        return f"{text} ({f.note})" if f.note else text
    if f.value is None:
        return "n/a"
    if f.unit == "money":
        return f"{f.value:.2f}"
    if f.unit in ("days", "hours"):
        return _number(f.value)
    text = str(int(f.value))
    return f"{text} {f.note}" if f.note else text


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _target_name(name: str) -> str:
    return name.replace("_", " ")


def _period_line(period: oc.Period, specialist: str | None) -> str:
    who = f"Clients of {specialist}" if specialist else "All specialists' clients"
    return f"Period: {day(period.start)} to {day(period.end)} ({period.label}). {who}."


def outcomes_layout(report: oc.OutcomeReport) -> Document:
    """The outcome report as numbered sections."""
    r = report
    sections: list[Section] = []

    def section(title: str, blocks: list[Block]) -> None:
        sections.append(Section(len(sections) + 1, title, blocks))

    served, employed = len(r.served), len(r.employed)
    if r.report == "us":
        if served:
            text = (f"{employed} of {served} clients served held a competitive job in the period: "
                    f"{pct(r.employment_rate)}, {_BAND_TEXT[r.band]}.")  # type: ignore[index]
        else:
            text = "No clients were served in the period, so there is no employment rate."
        rows, alerts = [], set()
        for i, (name, level) in enumerate(oc.US_BENCHMARKS):
            reached = r.employment_rate is not None and r.employment_rate + 1e-9 >= level
            rows.append([name.capitalize(), pct(level), "yes" if reached else "no"])
            if not reached:
                alerts.add(i)
        section("Employment rate", [Para(text), Table(["Benchmark", "Rate", "Reached"], rows,
                                                      numeric={1}, alerts=alerts)])
    else:
        uk = r.uk
        rows, alerts = [], set()
        for i, (label, value, note, target) in enumerate((
            ("Into work", uk.into_work_rate,
             f"{len(uk.into_work)} of {len(uk.unemployed_at_entry)} unemployed at entry",
             oc.UK_INTO_WORK_TARGET),
            ("Working at 13 weeks", uk.retention_rate,
             f"{len(uk.retained)} of {len(uk.retention_eligible)} into work 13+ weeks ago",
             oc.UK_RETENTION_TARGET),
        )):
            met = value is not None and value + 1e-9 >= target
            rows.append([label, pct(value), note, pct(target),
                         "n/a" if value is None else ("met" if met else "below")])
            if value is not None and not met:
                alerts.add(i)
        text = (f"{served} clients served, {len(uk.active)} of them active (reached in the "
                f"period's last 4 weeks); {len(uk.unemployed_at_entry)} were unemployed at entry, "
                f"{len(uk.first_job_starts)} of whom started a first job in the period.")
        section("IPS Grow KPIs", [Para(text), Table(["KPI", "Rate", "Of", "Target", "Status"],
                                                    rows, numeric={1, 3}, alerts=alerts)])

    section("Figures", [Table(["Figure", "Value"],
                              [[f.label, figure_text(f)] for f in r.figures()], numeric={1})])

    uk_report = r.report == "uk"
    what = "into-work rate" if uk_report else "employment rate"
    columns = ["Unemployed at entry", "Into work"] if uk_report else ["Served", "Employed"]
    lines = ", ".join(f"{_target_name(name)} {pct(level)}" for name, level in r.targets().items())
    section("Trend", [Para(f"The {what} over the last {len(r.trend)} periods, oldest first "
                           f"({'target' if uk_report else 'benchmarks'}: {lines})."),
                      Trend(list(r.trend), r.targets(), what, columns)])

    if r.job_starts:
        blocks: list[Block] = [Table(
            ["Starts", "Client", "Specialist", "Job", "Employer", "Hours", "Wage"],
            [[day(j.start), j.client_id, j.specialist, f"{j.title} ({j.job_id})",
              j.employer or "", _hours(j.hours_per_week), _money(j.hourly_wage)]
             for j in r.job_starts], numeric={5, 6})]
    else:
        blocks = [Para("No competitive jobs started in the period.")]
    section(f"Job starts ({len(r.job_starts)})", blocks)

    if r.job_ends:
        blocks = [Table(["Ends", "Client", "Specialist", "Job", "Reason"],
                        [[day(j.end), j.client_id, j.specialist, f"{j.title} ({j.job_id})",
                          j.end_reason or "not recorded"] for j in r.job_ends])]
    else:
        blocks = [Para("No competitive jobs ended in the period.")]
    section(f"Job ends ({len(r.job_ends)})", blocks)

    section("Definitions", [Bullets([f"{f.label}: {f.definition}" for f in r.figures()]
                                    + [f"Trend: {oc.DEFINITIONS['trend']}"])])
    return Document(
        title=f"IPS employment outcomes: {r.period.title}",
        intro=[_period_line(r.period, r.specialist), f"Report: {_REPORT_TITLES[r.report]}."],
        sections=sections,
    )


def fidelity_layout(report: fid.FidelityReport) -> Document:
    """The fidelity report as numbered sections: a summary table, then each item's details."""
    r = report
    counts = r.counts()
    summary = (f"{len(r.items)} indicators: {counts[fid.MET]} met, {counts[fid.NEAR]} near, "
               f"{counts[fid.NOT_MET]} not met, {counts[fid.NO_DATA]} with no data.")
    rows, alerts = [], set()
    for i, it in enumerate(r.items):
        rows.append([str(it.scale_item), it.name, it.anchor, it.figure, _STATUS_TEXT[it.status]])
        if it.status in (fid.NOT_MET, fid.NEAR):
            alerts.add(i)
    sections = [Section(1, "Summary", [
        Para(summary),
        Table(["Item", "Indicator", "Top-score anchor", "Figure", "Status"], rows, numeric={0},
              alerts=alerts),
    ])]
    blocks: list[Block] = []
    for it in r.items:
        blocks.append(Sub(f"{it.name} (scale item {it.scale_item}): {_STATUS_TEXT[it.status]}"))
        blocks.append(Para(f"Figure: {it.figure}. Anchor: {it.anchor}."))
        blocks.append(Para(f"Measured as: {it.definition}"))
        if it.records:
            lead = "Exceptions" if it.status == fid.MET else "Driving a miss"
            blocks.append(Para(f"{lead} ({_RECORD_WORDS[it.record_kind]}): "
                               f"{', '.join(it.records)}."))
        if it.details:
            shown = list(it.details[:MAX_DETAILS])
            if len(it.details) > MAX_DETAILS:
                shown.append(f"... and {len(it.details) - MAX_DETAILS} more (every record is in "
                             "the csv and json formats)")
            blocks.append(Bullets(shown))
    sections.append(Section(2, "Details", blocks))
    return Document(
        title=f"IPS fidelity indicators: {r.period.title}",
        intro=[_period_line(r.period, r.specialist), f"How the status is decided: {fid.NEAR_RULE}"],
        sections=sections,
    )


# ---------------------------------------------------------------- the trend as text


def bar(value: float | None, width: int = BAR_WIDTH) -> str:
    """A horizontal bar for a share (100% = ``width`` characters), in eighths of a character."""
    if value is None:
        return ""
    eighths = round(max(0.0, min(value, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_BLOCKS[part] if part else "")


def sparkline(values: list[float | None]) -> str:
    """One character per value, scaled from the lowest to the highest (· for no value)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    out = []
    for v in values:
        if v is None:
            out.append("·")
        elif high - low < 1e-9:
            out.append(_SPARKS[len(_SPARKS) // 2])
        else:
            out.append(_SPARKS[round((v - low) / (high - low) * (len(_SPARKS) - 1))])
    return "".join(out)


def _trend_table(t: Trend) -> Table:
    return Table(["Period"] + t.columns + ["Rate", "Bar (full = 100%)"],
                 [[p.period.label, str(p.served), str(p.employed), pct(p.rate),
                   "no clients" if p.rate is None else bar(p.rate)] for p in t.points],
                 numeric={1, 2, 3})


def _trend_line(t: Trend) -> str:
    rates = [p.rate for p in t.points]
    known = [v for v in rates if v is not None]
    if not known:
        return "No clients in any of these periods."
    first, last = t.points[0].period.label, t.points[-1].period.label
    return (f"Sparkline, {first} to {last}: {sparkline(rates)} (from {pct(known[0])} to "
            f"{pct(known[-1])}; · = no clients)" if None in rates else
            f"Sparkline, {first} to {last}: {sparkline(rates)} (from {pct(known[0])} to "
            f"{pct(known[-1])})")


# ---------------------------------------------------------------- the trend as SVG

_W, _H = 640, 280
_LEFT, _RIGHT, _TOP, _BOTTOM, _INSET = 48, 110, 28, 40, 22
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def svg_chart(t: Trend) -> str:
    """An inline SVG line chart of the rate (0-100%) with dashed benchmark lines; no external
    references (not even an xmlns URL: inline SVG in HTML needs none)."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    n = len(t.points)

    def x(i: int) -> float:  # the first and last points sit a little inside the plot
        inner = plot_w - 2 * _INSET
        return _LEFT + _INSET + (inner * i / (n - 1) if n > 1 else inner / 2)

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - v)

    title = f"{t.what.capitalize()} by period"
    parts = [
        f'<svg class="chart" viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" role="img" '
        f'aria-labelledby="chart-title chart-desc" font-family="{_FONT}" font-size="12">',
        f'<title id="chart-title">{_h(title)}</title>',
        f'<desc id="chart-desc">{_h(_chart_desc(t))}</desc>',
    ]
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):  # gridlines and y labels
        parts.append(f'<line class="grid" x1="{_LEFT}" y1="{y(v):.1f}" x2="{_LEFT + plot_w}" '
                     f'y2="{y(v):.1f}" stroke="#e3e3e3" stroke-width="1"/>')
        parts.append(f'<text class="axis" x="{_LEFT - 6}" y="{y(v) + 4:.1f}" '
                     f'text-anchor="end" fill="#555">{int(v * 100)}%</text>')
    for name, level in t.targets.items():
        parts.append(f'<line class="benchmark" x1="{_LEFT}" y1="{y(level):.1f}" '
                     f'x2="{_LEFT + plot_w}" y2="{y(level):.1f}" stroke="#b36b00" '
                     f'stroke-width="1.5" stroke-dasharray="6 4"/>')
        parts.append(f'<text class="benchmark-label" x="{_LEFT + plot_w + 8}" '
                     f'y="{y(level) + 4:.1f}" fill="#8a5200">'
                     f'{_h(_target_name(name).capitalize())} {pct(level)}</text>')
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, p in enumerate(t.points):
        if p.rate is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(p.rate):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline class="rate" points="{" ".join(seg)}" fill="none" '
                         f'stroke="#2b5797" stroke-width="2.5"/>')
    for i, p in enumerate(t.points):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{_TOP + plot_h + 20}" '
                     f'text-anchor="middle" fill="#555">{_h(p.period.label)}</text>')
        if p.rate is None:
            continue
        parts.append(f'<circle class="point" cx="{x(i):.1f}" cy="{y(p.rate):.1f}" r="4" '
                     f'fill="#2b5797"><title>{_h(p.period.label)}: {pct(p.rate)} '
                     f'({p.employed} of {p.served})</title></circle>')
        parts.append(f'<text class="value" x="{x(i):.1f}" y="{y(p.rate) - 9:.1f}" '
                     f'text-anchor="middle" fill="#1a1a1a" font-weight="600">{pct(p.rate)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _chart_desc(t: Trend) -> str:
    values = "; ".join(f"{p.period.label} {pct(p.rate)}" for p in t.points)
    lines = ", ".join(f"{name} {pct(level)}" for name, level in t.targets.items())
    return f"{t.what.capitalize()}: {values}. Lines at {lines}."


# ---------------------------------------------------------------- Markdown


def _md_table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    out = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
           "| " + " | ".join("---:" if i in numeric else "---" for i in range(len(headers))) + " |"]
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return out + [""]


def as_markdown(doc: Document) -> str:
    """Clean Markdown: headings, tables, bullet lists; the trend as a bar list and sparkline."""
    out = [f"# {md_escape(doc.title)}", ""]
    for line in doc.intro:
        out += [md_escape(line), ""]
    for s in doc.sections:
        out += [f"## {s.number}. {md_escape(s.title)}", ""]
        for block in s.blocks:
            if isinstance(block, Para):
                out += [md_escape(block.text), ""]
            elif isinstance(block, Sub):
                out += [f"### {md_escape(block.text)}", ""]
            elif isinstance(block, Table):
                out += _md_table(block.headers, block.rows, block.numeric)
            elif isinstance(block, Trend):
                table = _trend_table(block)
                out += _md_table(table.headers, table.rows, table.numeric)
                out += [md_escape(_trend_line(block)), ""]
            else:
                out += [f"- {md_escape(item)}" for item in block.items] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- HTML

_CSS = report_css(
    own=".intro { color: #444; }",
    li_margin=".2rem",
    extra="svg.chart { max-width: 100%; height: auto; display: block; margin: .3rem 0 .8rem; }",
    keep_together="tr, li, svg")


_h = html_text


def _html_table(table: Table) -> list[str]:
    return html_table(table.headers, table.rows, table.numeric, table.alerts)


def as_html(doc: Document) -> str:
    """One self-contained printable page: inline CSS and SVG, no scripts, links or assets."""
    out = html_page_start(doc.title, _CSS)
    out += [f'<p class="intro">{_h(line)}</p>' for line in doc.intro]
    for s in doc.sections:
        out.append(f'<section id="section-{s.number}">')
        out.append(f"<h2>{s.number}. {_h(s.title)}</h2>")
        for block in s.blocks:
            if isinstance(block, Para):
                out.append(f"<p>{_h(block.text)}</p>")
            elif isinstance(block, Sub):
                out.append(f"<h3>{_h(block.text)}</h3>")
            elif isinstance(block, Table):
                out += _html_table(block)
            elif isinstance(block, Trend):
                out.append(svg_chart(block))
                table = _trend_table(block)
                out += _html_table(Table(table.headers[:4], [r[:4] for r in table.rows],
                                         table.numeric))
            else:
                out.append("<ul>")
                out += [f"<li>{_h(item)}</li>" for item in block.items]
                out.append("</ul>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- plain text (the table format)


def _text_table(table: Table, width: int) -> list[str]:
    """Columns padded to fit ``width``, wrapping the widest text columns first."""
    headers = [_one_line(h) for h in table.headers]
    rows = [[_one_line(c) for c in r] for r in table.rows]
    n = len(headers)
    widths = [max([text_width(headers[i])] + [text_width(r[i]) for r in rows]) for i in range(n)]
    available = width - GAP * (n - 1)
    while sum(widths) > available:
        shrinkable = [i for i in range(n) if i not in table.numeric and widths[i] > 8]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return draw_table(headers, rows, widths, table.numeric)


def as_text(doc: Document, width: int = TEXT_WIDTH) -> str:
    """Plain text for a terminal: underlined headings, at most ``width`` columns."""

    def heading(text: str, rule: str) -> list[str]:
        lines = wrap(_one_line(text), width)
        return lines + [rule * min(max(text_width(x) for x in lines), width)]

    def para(text: str, first: str = "", rest: str = "") -> list[str]:
        lines = wrap(_one_line(text), width - len(first))
        return [first + lines[0]] + [rest + line for line in lines[1:]]

    out = heading(doc.title, "=") + [""]
    for line in doc.intro:
        out += para(line) + [""]
    for s in doc.sections:
        out += heading(f"{s.number}. {s.title}", "-") + [""]
        for block in s.blocks:
            if isinstance(block, Para):
                out += para(block.text) + [""]
            elif isinstance(block, Sub):
                out += heading(block.text, "~") + [""]
            elif isinstance(block, Table):
                out += _text_table(block, width) + [""]
            elif isinstance(block, Trend):
                out += _text_table(_trend_table(block), width) + [""]
                out += para(_trend_line(block)) + [""]
            else:
                for item in block.items:
                    out += para(item, "* ", "  ")
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- CSV and JSON


def _cell(value: object) -> object:
    """A CSV cell: numbers as they are; text that a spreadsheet would run as a formula gets a
    leading apostrophe (as the interchange export does)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 4)
    if isinstance(value, int):
        return value
    text = _one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(fields: tuple[str, ...], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


def outcomes_csv(report: oc.OutcomeReport) -> str:
    """One row per figure of the period, then the trend: three rows per period
    (``trend_served``, ``trend_employed``, ``trend_rate``)."""
    label = report.period.label
    rows = [{"period": label, "key": f.key, "label": f.label, "value": f.value,
             "definition": f.definition} for f in report.figures()]
    for p in report.trend:
        for key, value, text in (("trend_served", p.served, "Served (trend)"),
                                 ("trend_employed", p.employed, "Employed (trend)"),
                                 ("trend_rate", p.rate, "Rate (trend)")):
            rows.append({"period": p.period.label, "key": key, "label": text, "value": value,
                         "definition": oc.DEFINITIONS["trend"]})
    return _csv(OUTCOME_CSV_FIELDS, rows)


def fidelity_csv(report: fid.FidelityReport) -> str:
    """One row per indicator; ``records`` are ids separated by semicolons."""
    rows = []
    for it in report.items:
        rows.append({"key": it.key, "scale_item": it.scale_item, "name": it.name,
                     "anchor": it.anchor, "figure": it.figure, "status": it.status,
                     "value": it.value, "target": it.target, "record_kind": it.record_kind,
                     "records": ";".join(it.records)})
    return _csv(FIDELITY_CSV_FIELDS, rows)


def _json(data: dict) -> str:
    return terminal_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


# ---------------------------------------------------------------- dispatchers


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format '{fmt}'; choose from {', '.join(FORMATS)}")


def _document(doc: Document, fmt: str) -> str:
    return {"table": as_text, "md": as_markdown, "html": as_html}[fmt](doc)


def render_outcomes(report: oc.OutcomeReport, fmt: str) -> str:
    """The outcome report in one of :data:`FORMATS`."""
    _check(fmt)
    if fmt == "json":
        return _json(report.to_dict())
    if fmt == "csv":
        return outcomes_csv(report)
    return _document(outcomes_layout(report), fmt)


def render_fidelity(report: fid.FidelityReport, fmt: str) -> str:
    """The fidelity report in one of :data:`FORMATS`."""
    _check(fmt)
    if fmt == "json":
        return _json(report.to_dict())
    if fmt == "csv":
        return fidelity_csv(report)
    return _document(fidelity_layout(report), fmt)
