"""Fidelity reviews: one review's 25 items with their scores, beside the scores of the reviews
before it, so a team sees what moved. Opened with ``v`` from the outcomes screen.

Enter on an item shows its anchors, figure and evidence (Enter on a client there opens it);
``1``-``5`` score it (on an item the records scored, another score is an override and asks why);
``0`` takes the team's score away; ``n`` notes it; ``[`` ``]`` move between reviews; ``N`` starts
a review of the last complete quarter; ``x`` writes the review pack.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ips_tui import services
from ips_tui.domain.review import LEVEL_WORDS, MAX_TOTAL, PLAN_AT_MOST, Review, ReviewItem
from ips_tui.output import write_private
from ips_tui.reports import review as review_report
from ips_tui.tui.dialogs.records import RecordsDialog
from ips_tui.tui.forms.choosers import export_form
from ips_tui.tui.forms.form import FormDialog, FormField
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import clip, safe, selected_key
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.table import Table
from ips_tui.validation import Field

EXPORTS = [("Printable review pack (.html)", "html"), ("Markdown (.md)", "md"),
           ("JSON (.json)", "json")]
SOURCE = {"records": "rec", "team": "team", "override": "ovr"}
_CLIENT_ID = re.compile(r"(C\d+)\b")


class ReviewsScreen(DataScreen):
    """A fidelity review's 25 items, scored, with earlier reviews' scores beside them."""

    TITLE = "Fidelity review"
    BINDINGS = [
        Binding("left_square_bracket", "move(-1)", "Earlier", id="reviews.prev", key_display="["),
        Binding("right_square_bracket", "move(1)", "Later", id="reviews.next", key_display="]"),
        Binding("1", "score(1)", "Score 1", id="reviews.score1", show=False),
        Binding("2", "score(2)", "Score 2", id="reviews.score2", show=False),
        Binding("3", "score(3)", "Score 3", id="reviews.score3", show=False),
        Binding("4", "score(4)", "Score 4", id="reviews.score4", show=False),
        Binding("5", "score(5)", "Score 5", id="reviews.score5", show=False,
                tooltip="Score the highlighted item (1-5)"),
        Binding("0", "score(0)", "Clear score", id="reviews.clear", show=False,
                tooltip="Take the team's score away (back to the records' or unscored)"),
        Binding("n", "note", "Note", id="reviews.note", tooltip="Note on the highlighted item"),
        Binding("N", "new_review", "New review", id="reviews.new",
                tooltip="Start a review of the last complete quarter"),
        Binding("x", "export", "Export", id="reviews.export",
                tooltip="Write the printable review pack"),
        Binding("enter", "open_item", "Anchors", id="reviews.open", show=False,
                tooltip="Anchors, figure and evidence of the highlighted item"),
    ]
    FOOTER_FIRST = ("move(-1)", "move(1)", "note", "new_review", "export", "back")

    def __init__(self, review_id: str | None = None) -> None:
        super().__init__()
        self.review_id = review_id  # None: the latest
        self.review: Review | None = None
        self.ids: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="reviews-title", classes="screen-title")
        yield PlainStatic(id="reviews-summary", classes="status-line")
        yield Table(id="review-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def fetch(self) -> tuple[list[str], Review | None]:
        every = services.reviews()
        ids = [r.review_id for r in every]
        wanted = self.review_id if self.review_id in ids else (ids[-1] if ids else None)
        return ids, (services.review(wanted) if wanted else None)

    def draw(self, data: tuple[list[str], Review | None]) -> None:
        self.ids, self.review = data
        table = self.query_one(DataTable)
        keep = selected_key(table)
        table.clear(columns=True)
        title = self.query_one("#reviews-title", Static)
        summary = self.query_one("#reviews-summary", Static)
        r = self.review
        if r is None:
            title.update("Fidelity review · none yet · N starts one for the last complete quarter")
            summary.update("")
            return
        self.review_id = r.review_id
        place = f"{self.ids.index(r.review_id) + 1} of {len(self.ids)}"
        title.update(f"Fidelity review {r.review_id} · {r.period} · held {r.date.isoformat()} · "
                     f"{place} · [ ] other reviews")
        summary.update(f"Total {r.total}/{MAX_TOTAL} · {r.scored} of 25 scored · "
                       f"{LEVEL_WORDS[r.level]} · {len(r.action_plan())} in the action plan")
        earlier = [label.split(" ", 1)[1] for label in r.history_labels]
        table.add_columns("#", "Item", "Score", "By", *earlier, "Figure or note")
        error = self.app.theme_variables.get("error", "red")
        for it in r.items:
            score = "-" if it.score is None else str(it.score)
            low = it.score is not None and it.score <= PLAN_AT_MOST
            shown = Text(score + (" !" if low else ""), style=f"bold {error}" if low else "")
            past = ["-" if s is None else str(s) for s in r.history.get(it.number, ())]
            table.add_row(str(it.number), clip(it.name, 30), shown, SOURCE[it.source], *past,
                          clip(it.note or it.figure or "", 40), key=str(it.number))
        if keep:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:
                pass

    def _item(self) -> ReviewItem | None:
        if self.review is None:
            return None
        key = selected_key(self.query_one(DataTable))
        if not key:
            return None
        return self.review.item(int(key))

    def action_move(self, step: int) -> None:
        if self.review is None or not self.ids:
            return
        i = self.ids.index(self.review.review_id) + step
        if 0 <= i < len(self.ids):
            self.review_id = self.ids[i]
            self.reload()

    def _save_score(self, item: ReviewItem, score: int | None, reason: str | None) -> None:
        assert self.review is not None
        try:
            services.score_review_item(self.review.review_id, item.number, score, reason=reason,
                                       expected_version=item.version, by=self.ips.specialist)
        except (services.StoreError, services.ValidationError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Item {item.number} scored {score}." if score else
                    f"Item {item.number}: team's score taken away.")
        self.reload()

    def action_score(self, score: int) -> None:
        item = self._item()
        if item is None or self.review is None:
            return
        value = score or None
        override = (item.computed_score is not None and value is not None
                    and value != item.computed_score)
        if not override or item.override_reason:
            self._save_score(item, value, None)
            return
        review_id, number, version = self.review.review_id, item.number, item.version
        by = self.ips.specialist

        def save(values: dict[str, object]) -> object:
            services.score_review_item(review_id, number, value, reason=str(values["reason"]),
                                       expected_version=version, by=by)
            return value

        reason = FormField(Field("reason", "long", required=True,
                                 label="Why the team's score replaces the records'"),
                           widget="textarea")
        self.app.push_screen(
            FormDialog(f"Item {number}: the records gave {item.computed_score}; why "
                       f"{value}?", [reason], {}, save, self.today),
            self.saved(f"Item {number} scored {{result}} (override kept with its reason)."))

    def action_note(self) -> None:
        item = self._item()
        if item is None or self.review is None:
            return
        review_id, number, version = self.review.review_id, item.number, item.version
        by = self.ips.specialist

        def save(values: dict[str, object]) -> object:
            services.update_review_item(review_id, number, {"note": values.get("note")},
                                        expected_version=version, by=by)
            return number

        self.app.push_screen(
            FormDialog(f"Note on item {number}: {item.name}",
                       [FormField.of("review_item", "note", widget="textarea")],
                       {"note": item.note or ""}, save, self.today),
            self.saved("Note on item {result} saved."))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open_item()

    def action_open_item(self) -> None:
        item = self._item()
        if item is None:
            return
        lines: list[tuple[str, str]] = [
            ("", f"{n}: {a}" + ("  <- this score" if n == item.score else ""))
            for n, a in enumerate(item.anchors, start=1)]
        if item.figure:
            lines.append(("", f"Figure: {item.figure}"))
        if item.source == "override":
            lines.append(("", f"Records gave {item.computed_score}; overridden because: "
                              f"{item.override_reason}"))
        if item.note:
            lines.append(("", f"Note: {item.note}"))
        for line in item.evidence:
            match = _CLIENT_ID.match(line)
            client = match.group(1) if match else ""
            lines.append((client, f"Evidence: {line}"))

        def opened(client_id: str | None) -> None:
            if client_id:
                self.ips.open_client(client_id)

        score = "-" if item.score is None else item.score
        self.app.push_screen(RecordsDialog(f"{item.number}. {item.name}: {safe(str(score))}",
                                           lines), opened)

    def action_new_review(self) -> None:
        period = services.outcome_period(None, self.today)
        try:
            self.review_id = services.new_review(period, self.today, by=self.ips.specialist)
        except (services.StoreError, services.ValidationError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Review {self.review_id} of {period.label} started: the items records "
                    "can score are filled in.")
        self.reload()

    def action_export(self) -> None:
        if self.review is None:
            return
        review_id = self.review.review_id

        def write(fmt: str, folder: Path) -> Path:
            out = folder / f"fidelity-review-{review_id}.{fmt}"
            write_private(out, review_report.render(services.review(review_id), fmt))
            return out

        def done(result: object) -> None:
            if result is not None:
                self.notify(f"Review written to {result} (readable only by you).", timeout=8)

        self.app.push_screen(export_form("Export the review pack", EXPORTS, write, self.today),
                             done)
