"""IPS fidelity indicators (`ips-tui fidelity --format table|md|html|csv|json`): what goes
where. A summary table, then each indicator's figure, anchor, definition and the records
behind it; CSV and JSON carry every record.

The JSON keys are a contract: ``period``, ``period_start``, ``period_end``, ``specialist``,
``near_rule``, ``counts``, ``items``. The CSV columns are :data:`CSV_FIELDS`.
"""

from __future__ import annotations

from ips_tui.domain import fidelity as fid
from ips_tui.reports import csv
from ips_tui.reports.model import Block, Bullets, Column, Document, Item, Para, Row, Section, Sub, Table
from ips_tui.reports.outcomes import FORMATS, period_line, render_report

__all__ = ["CSV_FIELDS", "FORMATS", "MAX_DETAILS", "as_csv", "layout", "render"]

CSV_FIELDS: tuple[str, ...] = ("key", "scale_item", "name", "anchor", "figure", "status",
                               "value", "target", "record_kind", "records")
#: Detail lines shown per item in the documents (csv and json carry every record).
MAX_DETAILS = 15

_STATUS_TEXT = {fid.MET: "met", fid.NEAR: "near", fid.NOT_MET: "NOT MET", fid.NO_DATA: "no data"}
_RECORD_WORDS = {"client": "clients", "job": "jobs", "contact": "contacts",
                 "specialist": "specialists"}


def _details(it: fid.FidelityItem) -> list[Block]:
    blocks: list[Block] = [
        Sub(f"{it.name} (scale item {it.scale_item}): {_STATUS_TEXT[it.status]}"),
        Para(f"Figure: {it.figure}. Anchor: {it.anchor}."),
        Para(f"Measured as: {it.definition}"),
    ]
    if it.records:
        lead = "Exceptions" if it.status == fid.MET else "Driving a miss"
        blocks.append(Para(f"{lead} ({_RECORD_WORDS[it.record_kind]}): {', '.join(it.records)}."))
    if it.details:
        shown = list(it.details[:MAX_DETAILS])
        if len(it.details) > MAX_DETAILS:
            shown.append(f"... and {len(it.details) - MAX_DETAILS} more (every record is in "
                         "the csv and json formats)")
        blocks.append(Bullets([Item(line) for line in shown]))
    return blocks


def layout(report: fid.FidelityReport) -> Document:
    """The fidelity report as numbered sections: a summary table, then each item's details."""
    r = report
    counts = r.counts()
    summary = (f"{len(r.items)} indicators: {counts[fid.MET]} met, {counts[fid.NEAR]} near, "
               f"{counts[fid.NOT_MET]} not met, {counts[fid.NO_DATA]} with no data.")
    table = Table(
        [Column("Item", numeric=True), Column("Indicator"), Column("Top-score anchor"),
         Column("Figure"), Column("Status")],
        [Row([str(it.scale_item), it.name, it.anchor, it.figure, _STATUS_TEXT[it.status]],
             alert=it.status in (fid.NOT_MET, fid.NEAR)) for it in r.items])
    return Document(
        f"IPS fidelity indicators: {r.period.title}",
        [Para(period_line(r.period, r.specialist), cls="intro"),
         Para(f"How the status is decided: {fid.NEAR_RULE}", cls="intro")],
        [Section("Summary", [Para(summary), table]),
         Section("Details", [block for it in r.items for block in _details(it)])],
    )


def as_csv(report: fid.FidelityReport) -> str:
    """One row per indicator; ``records`` are ids separated by semicolons."""
    return csv.records(CSV_FIELDS, (
        {"key": it.key, "scale_item": it.scale_item, "name": it.name, "anchor": it.anchor,
         "figure": it.figure, "status": it.status, "value": it.value, "target": it.target,
         "record_kind": it.record_kind, "records": ";".join(it.records)}
        for it in report.items))


def render(report: fid.FidelityReport, fmt: str) -> str:
    """The fidelity report in one of :data:`FORMATS`."""
    return render_report(report, fmt, layout, as_csv)
