"""A fidelity review (`ips-tui review show --format table|md|html|json`): what goes where. The
HTML is the printable review pack: the scores (with earlier reviews' beside them), the action
plan, then each item's anchors, figure, evidence and notes.

The JSON keys are a contract (``ips_tui/schemas/review.schema.json``): ``review_id``, ``date``,
``period``, ``period_start``, ``period_end``, ``participants``, ``total``, ``max``, ``level``,
``scored``, ``items`` (25, each ``number``, ``key``, ``name``, ``score``, ``source``,
``figure``, ``evidence``, ``note``, ``computed_score``, ``override_reason``, ``owner``,
``due``) and ``action_plan``.
"""

from __future__ import annotations

from ips_tui.domain import review as rv
from ips_tui.reports import html, json, markdown, text
from ips_tui.reports.format import day
from ips_tui.reports.layout import fit_widest, report_css
from ips_tui.reports.model import Block, Bullets, Column, Document, Item, Para, Row, Section, Sub, Table

__all__ = ["FORMATS", "MAX_EVIDENCE", "layout", "render", "list_layout", "render_list"]

FORMATS: tuple[str, ...] = ("table", "md", "html", "json")
#: Evidence lines shown per item in the documents (json carries every line).
MAX_EVIDENCE = 12

_SOURCE_TEXT = {rv.RECORDS: "records", rv.TEAM: "team", rv.OVERRIDE: "override"}
_CSS = report_css(
    own=".intro { color: #444; }",
    li_margin=".1rem",
    extra=("@media print { h2 { break-before: auto; } }\n"
           "td:nth-child(1), td:nth-child(3) { white-space: nowrap; }"),
    keep_together="tr, li")


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def _summary(r: rv.Review) -> str:
    scored = f"{r.scored} of 25 items scored"
    if r.complete:
        return f"Total {r.total} of {rv.MAX_TOTAL}: {rv.LEVEL_WORDS[r.level]}. {scored}."
    return (f"Total so far {r.total} of {rv.MAX_TOTAL} ({scored}): "
            f"{rv.LEVEL_WORDS[rv.INCOMPLETE]}.")


def _scores(r: rv.Review) -> Table:
    earlier = [Column(label.split(" ", 1)[1], numeric=True) for label in r.history_labels]
    rows = []
    for it in r.items:
        past = [_score(s) for s in r.history.get(it.number, ())]
        rows.append(Row([str(it.number), it.name, _score(it.score), _SOURCE_TEXT[it.source],
                         *past], alert=it.score is None or it.score <= rv.PLAN_AT_MOST))
    return Table([Column("Item", numeric=True), Column("Name"), Column("Score", numeric=True),
                  Column("Source"), *earlier], rows)


def _plan(r: rv.Review) -> list[Block]:
    plan = r.action_plan()
    if not plan:
        return [Para("No item scores 3 or less.")]
    return [Table([Column("Item", numeric=True), Column("Name"), Column("Score", numeric=True),
                   Column("The next score asks"), Column("Owner"), Column("Due", keep=True)],
                  [Row([str(p.number), p.name, str(p.score), p.next_anchor, p.owner or "",
                        day(p.due) if p.due else ""]) for p in plan])]


def _item_blocks(it: rv.ReviewItem) -> list[Block]:
    blocks: list[Block] = [Sub(f"{it.number}. {it.name}: {_score(it.score)} "
                               f"({_SOURCE_TEXT[it.source]})")]
    if it.figure:
        blocks.append(Para(f"Figure: {it.figure}"))
    if it.source == rv.OVERRIDE:
        blocks.append(Para(f"Records gave {it.computed_score}; the team scored {it.team_score} "
                           f"because: {it.override_reason}"))
    how = rv.band_words(it.key)
    if how:
        blocks.append(Para(f"Scored from the records as: {how}."))
    if it.note:
        blocks.append(Para(f"Note: {it.note}"))
    anchors = [Item(f"{n}: {a}" + (" (this score)" if n == it.score else ""))
               for n, a in enumerate(it.anchors, start=1)]
    blocks.append(Bullets(anchors))
    if it.evidence:
        shown = list(it.evidence[:MAX_EVIDENCE])
        if len(it.evidence) > MAX_EVIDENCE:
            shown.append(f"... and {len(it.evidence) - MAX_EVIDENCE} more (json has every line)")
        blocks.append(Para("Evidence:"))
        blocks.append(Bullets([Item(line) for line in shown]))
    return blocks


def layout(r: rv.Review) -> Document:
    """The review pack: summary and scores, action plan, then every item's details."""
    intro = [Para(f"Review {r.review_id} of {r.period} ({day(r.period_start)} to "
                  f"{day(r.period_end)}), held {day(r.date)}.", cls="intro")]
    if r.participants:
        intro.append(Para(f"Taking part: {r.participants}", cls="intro"))
    return Document(
        f"IPS fidelity review {r.review_id}: {r.period}",
        intro,
        [Section("Scores", [Para(_summary(r)), _scores(r)]),
         Section("Action plan", _plan(r)),
         Section("Items, anchors and evidence",
                 [block for it in r.items for block in _item_blocks(it)])],
    )


def _write(doc: Document, fmt: str) -> str:
    if fmt == "table":
        return text.render(doc, text.WIDTH, fit_widest)
    if fmt == "md":
        return markdown.render(doc)
    if fmt == "html":
        return html.render(doc, _CSS)
    raise ValueError(f"unknown review format '{fmt}'; choose from {', '.join(FORMATS)}")


def render(r: rv.Review, fmt: str) -> str:
    """A review in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(r.to_dict())
    return _write(layout(r), fmt)


def list_layout(reviews: list[rv.Review]) -> Document:
    """Every review, one row each."""
    rows = [Row([r.review_id, day(r.date), r.period, f"{r.total}/{rv.MAX_TOTAL}",
                 r.level.replace("_", " "), str(r.scored)]) for r in reviews]
    table = Table([Column("Review", keep=True), Column("Date", keep=True), Column("Period"),
                   Column("Total", numeric=True), Column("Level"),
                   Column("Scored", numeric=True)], rows)
    body: list[Block] = [table] if rows else [Para("No reviews yet: ips-tui review new makes one.")]
    return Document("IPS fidelity reviews", [], [Section("Reviews", body)])


def render_list(reviews: list[rv.Review], fmt: str) -> str:
    """The list of reviews (``table`` or ``json``)."""
    if fmt == "json":
        return json.dumps([{"review_id": r.review_id, "date": r.date.isoformat(),
                            "period": r.period, "total": r.total, "max": rv.MAX_TOTAL,
                            "level": r.level, "scored": r.scored} for r in reviews])
    return _write(list_layout(reviews), fmt)
