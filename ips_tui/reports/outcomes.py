"""Employment outcomes (`ips-tui outcomes --format table|md|html|csv|json`): what goes where.

The report is laid out once as a :class:`~.model.Document` (:func:`layout`) and written by the
shared writers, so every format says the same thing; CSV and JSON carry the same figures as
data. Clients appear by id only. The benchmarks and periods in the text are the domain's own
constants (:mod:`ips_tui.domain.outcomes`).

The JSON keys are a contract: ``period``, ``period_start``, ``period_end``, ``specialist``,
``report``, ``figures``, ``targets``, (``band`` for us), ``job_starts``, ``job_ends``,
``trend`` (objects with ``period``, ``served``, ``employed``, ``rate``), ``definitions``. The
CSV columns are :data:`CSV_FIELDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from ips_tui.domain import outcomes as oc
from ips_tui.reports import csv, html, json, markdown, text
from ips_tui.reports.format import bar, day, hours, money, number, pct, plural, sparkline
from ips_tui.reports.layout import fit_widest, report_css
from ips_tui.reports.model import (
    MARKDOWN,
    TEXT,
    Block,
    Bullets,
    Chart,
    Column,
    Document,
    Item,
    Para,
    Point,
    Row,
    Section,
    Table,
)

#: The formats of `ips-tui outcomes` and `ips-tui fidelity`.
FORMATS: tuple[str, ...] = ("table", "md", "html", "csv", "json")
#: The table format never writes a line wider than this.
TEXT_WIDTH = text.WIDTH
CSV_FIELDS: tuple[str, ...] = ("period", "key", "label", "value", "definition")


class _Report(Protocol):
    def to_dict(self) -> dict: ...


R = TypeVar("R", bound=_Report)

_REPORT_TITLES = {
    "us": "US IPS Learning Community quarterly report",
    "uk": "UK IPS Grow key performance indicators",
}
_CSS = report_css(
    own=".intro { color: #444; }",
    li_margin=".2rem",
    extra="svg.chart { max-width: 100%; height: auto; display: block; margin: .3rem 0 .8rem; }",
    keep_together="tr, li, svg")
_NOT_HTML = frozenset({MARKDOWN, TEXT})


def figure_text(f: oc.Figure) -> str:
    """A figure's value as the reports write it."""
    if f.unit == "rate":
        rate = pct(f.value)
        return f"{rate} ({f.note})" if f.note else rate
    if f.value is None:
        return "n/a"
    if f.unit == "money":
        return money(f.value)
    if f.unit in ("days", "hours"):
        return number(f.value)
    count = str(int(f.value))
    return f"{count} {f.note}" if f.note else count


def band_text(band: str) -> str:
    """Where a rate stands among the US benchmarks, in words (``at or above the 31% minimum
    benchmark, below the 41% average``)."""
    marks = [f"{pct(level)} {name}" for name, level in oc.US_BENCHMARKS]
    names = [name for name, _ in oc.US_BENCHMARKS]
    if band not in names:
        return f"below the {marks[0]} benchmark"
    i = names.index(band)
    above = f"at or above the {marks[i]} benchmark"
    return f"{above}, below the {marks[i + 1]}" if i + 1 < len(marks) else above


def period_line(period: oc.Period, specialist: str | None) -> str:
    """The period and whose clients a report covers."""
    who = f"Clients of {specialist}" if specialist else "All specialists' clients"
    return f"Period: {day(period.start)} to {day(period.end)} ({period.label}). {who}."


def write(doc: Document, fmt: str) -> str:
    """An outcome or fidelity document in a document format: ``table``, ``md`` or ``html``."""
    if fmt == "table":
        return text.render(doc, TEXT_WIDTH, fit_widest)
    if fmt == "md":
        return markdown.render(doc)
    if fmt == "html":
        return html.render(doc, _CSS)
    raise ValueError(f"unknown report format '{fmt}'; choose from {', '.join(FORMATS)}")


def _us(r: oc.OutcomeReport) -> Section:
    if r.served:
        summary = (f"{len(r.employed)} of {len(r.served)} clients served held a competitive job "
                   f"in the period: {pct(r.employment_rate)}, {band_text(r.band or '')}.")
    else:
        summary = "No clients were served in the period, so there is no employment rate."
    rows = []
    for name, level in oc.US_BENCHMARKS:
        reached = r.employment_rate is not None and r.employment_rate + 1e-9 >= level
        rows.append(Row([name.capitalize(), pct(level), "yes" if reached else "no"],
                        alert=not reached))
    return Section("Employment rate", [Para(summary), Table(
        [Column("Benchmark"), Column("Rate", numeric=True), Column("Reached")], rows)])


def _uk(r: oc.OutcomeReport) -> Section:
    uk, weeks = r.uk, oc.RETENTION_DAYS // 7
    rows = []
    for label, value, note, target in (
        ("Into work", uk.into_work_rate,
         f"{len(uk.into_work)} of {len(uk.unemployed_at_entry)} unemployed at entry",
         oc.UK_INTO_WORK_TARGET),
        (f"Working at {weeks} weeks", uk.retention_rate,
         f"{len(uk.retained)} of {len(uk.retention_eligible)} into work {weeks}+ weeks ago",
         oc.UK_RETENTION_TARGET),
    ):
        met = value is not None and value + 1e-9 >= target
        rows.append(Row([label, pct(value), note, pct(target),
                         "n/a" if value is None else ("met" if met else "below")],
                        alert=value is not None and not met))
    summary = (f"{len(r.served)} clients served, {len(uk.active)} of them active (reached in "
               f"the period's last {oc.UK_ACTIVE_DAYS // 7} weeks) and {len(uk.engaged)} engaged "
               f"(started, not discharged); {plural(len(uk.referrals), 'referral')} in the period, "
               f"{len(uk.referrals_in_work)} already in work; "
               f"{plural(len(uk.job_starts), 'job start')}; "
               f"{len(uk.unemployed_at_entry)} were unemployed at entry, "
               f"{len(uk.first_job_starts)} of whom started a first job in the period.")
    return Section("IPS Grow KPIs", [Para(summary), Table(
        [Column("KPI"), Column("Rate", numeric=True), Column("Of"),
         Column("Target", numeric=True), Column("Status")], rows)])


def _trend(r: oc.OutcomeReport) -> Section:
    uk = r.report == "uk"
    what = "into-work rate" if uk else "employment rate"
    counts = ["Unemployed at entry", "Into work"] if uk else ["Served", "Employed"]
    targets = r.targets()
    names = ", ".join(f"{name.replace('_', ' ')} {pct(level)}" for name, level in targets.items())
    points = r.trend
    rates = [p.rate for p in points]
    values = "; ".join(f"{p.period.label} {pct(p.rate)}" for p in points)
    lines = ", ".join(f"{name} {pct(level)}" for name, level in targets.items())
    chart = Chart(f"{what.capitalize()} by period",
                  f"{what.capitalize()}: {values}. Lines at {lines}.",
                  [Point(p.period.label, p.rate, f"{p.period.label}: {pct(p.rate)} "
                         f"({p.counts[1]} of {p.counts[0]})") for p in points],
                  [(name.replace("_", " ").capitalize(), level) for name, level in targets.items()])
    table = Table([Column("Period"), *(Column(c, numeric=True) for c in counts),
                   Column("Rate", numeric=True), Column("Bar (full = 100%)", only=_NOT_HTML)],
                  [Row([p.period.label, str(p.counts[0]), str(p.counts[1]), pct(p.rate),
                        "no clients" if p.rate is None else bar(p.rate)]) for p in points])
    known = [v for v in rates if v is not None]
    if known:
        line = (f"Sparkline, {points[0].period.label} to {points[-1].period.label}: "
                f"{sparkline(rates)} (from {pct(known[0])} to {pct(known[-1])}"
                + ("; · = no clients)" if None in rates else ")"))
    else:
        line = "No clients in any of these periods."
    return Section("Trend", [
        Para(f"The {what} over the last {len(points)} periods, oldest first "
             f"({'target' if uk else 'benchmarks'}: {names})."),
        chart, table, Para(line, only=_NOT_HTML)])


def layout(report: oc.OutcomeReport) -> Document:
    """The outcome report as numbered sections."""
    r = report
    starts: list[Block] = [Table(
        [Column("Starts"), Column("Client"), Column("Specialist"), Column("Job"),
         Column("Employer"), Column("Hours", numeric=True), Column("Wage", numeric=True)],
        [Row([day(j.start), j.client_id, j.specialist, f"{j.title} ({j.job_id})", j.employer or "",
              hours(j.hours_per_week), money(j.hourly_wage)]) for j in r.job_starts],
    )] if r.job_starts else [Para("No competitive jobs started in the period.")]
    ends: list[Block] = [Table(
        [Column("Ends"), Column("Client"), Column("Specialist"), Column("Job"), Column("Reason")],
        [Row([day(j.end), j.client_id, j.specialist, f"{j.title} ({j.job_id})",
              j.end_reason or "not recorded"]) for j in r.job_ends],
    )] if r.job_ends else [Para("No competitive jobs ended in the period.")]
    figures = r.figures()
    return Document(
        f"IPS employment outcomes: {r.period.title}",
        [Para(period_line(r.period, r.specialist), cls="intro"),
         Para(f"Report: {_REPORT_TITLES[r.report]}.", cls="intro")],
        [_us(r) if r.report == "us" else _uk(r),
         Section("Figures", [Table([Column("Figure"), Column("Value", numeric=True)],
                                   [Row([f.label, figure_text(f)]) for f in figures])]),
         _trend(r),
         Section(f"Job starts ({len(r.job_starts)})", starts),
         Section(f"Job ends ({len(r.job_ends)})", ends),
         Section("Definitions", [Bullets([Item(f"{f.label}: {f.definition}") for f in figures]
                                         + [Item(f"Trend: {oc.DEFINITIONS['trend']}")])])],
    )


def as_csv(report: oc.OutcomeReport) -> str:
    """One row per figure of the period, then the trend: three rows per period
    (``trend_served``, ``trend_employed``, ``trend_rate``), and for uk two more
    (``trend_unemployed_at_entry``, ``trend_into_work``)."""
    label = report.period.label
    rows: list[dict[str, object]] = [
        {"period": label, "key": f.key, "label": f.label, "value": f.value,
         "definition": f.definition} for f in report.figures()]
    for p in report.trend:
        for key, value, what in (("trend_served", p.served, "Served (trend)"),
                                 ("trend_employed", p.employed, "Employed (trend)"),
                                 ("trend_rate", p.rate, "Rate (trend)"),
                                 *((("trend_unemployed_at_entry", p.unemployed_at_entry,
                                     "Unemployed at entry (trend)"),
                                    ("trend_into_work", p.into_work, "Into work (trend)"))
                                   if p.report == "uk" else ())):
            rows.append({"period": p.period.label, "key": key, "label": what, "value": value,
                         "definition": oc.DEFINITIONS["trend"]})
    return csv.records(CSV_FIELDS, rows)


def render_report(report: R, fmt: str, layout: Callable[[R], Document],
                  as_csv: Callable[[R], str]) -> str:
    """A period report in one of :data:`FORMATS`: JSON from ``report.to_dict()``, CSV from
    ``as_csv`` and the documents from ``layout``."""
    if fmt == "json":
        return json.dumps(report.to_dict())
    if fmt == "csv":
        return as_csv(report)
    return write(layout(report), fmt)


def render(report: oc.OutcomeReport, fmt: str) -> str:
    """The outcome report in one of :data:`FORMATS`."""
    return render_report(report, fmt, layout, as_csv)
