"""Outcomes and fidelity for a quarter or a month: the figures, the trend, and the fidelity table.

Enter on a fidelity item lists the records behind it (Enter on a client there opens the client);
``v`` opens the fidelity reviews (:mod:`ips_tui.tui.screens.reviews`).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Sparkline, Static

from ips_tui import services
from ips_tui.domain.fidelity_scale import FidelityReport
from ips_tui.domain.outcomes import OutcomeReport
from ips_tui.domain.periods import Period
from ips_tui.output import write_private
from ips_tui.reports import fidelity as fidelity_report
from ips_tui.reports import outcomes as outcomes_report
from ips_tui.reports.format import pct
from ips_tui.tui.dialogs.records import RecordsDialog, with_names
from ips_tui.tui.forms.choosers import export_form
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import clip, safe, selected_key
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.table import Table

STATUS = {"met": "met", "near": "near", "not_met": "NOT MET", "no_data": "no data"}
EXPORTS = [("Printable page (.html)", "html"), ("Markdown (.md)", "md"), ("CSV (.csv)", "csv"),
           ("JSON (.json)", "json")]


def figure_lines(pairs: list[tuple[str, str]], width: int) -> Text:
    """The figures (label, value) in two aligned columns, labels whole; when two columns do
    not fit ``width``, as many "label value" as fit on each line, none split."""
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:]

    def widths(side: list[tuple[str, str]]) -> tuple[int, int]:
        return (max((len(a) for a, _ in side), default=0), max((len(b) for _, b in side), default=0))

    (ll, lv), (rl, rv) = widths(left), widths(right)
    lines = Text()
    if ll + 1 + lv + 3 + rl + 1 + rv <= width:
        for i, (label, value) in enumerate(left):
            lines.append(f"{label:>{ll}} ", style="bold")
            lines.append(f"{value:<{lv}}   ")
            if i < len(right):
                lines.append(f"{right[i][0]:>{rl}} ", style="bold")
                lines.append(right[i][1])
            lines.append("\n")
        return lines
    used = 0
    for label, value in pairs:
        size = len(label) + 1 + len(value)
        if used and used + 3 + size > width:
            lines.append("\n")
            used = 0
        if used:
            lines.append(" · ")
            used += 3
        lines.append(f"{label} ", style="bold")
        lines.append(value)
        used += size
    lines.append("\n")
    return lines


def trend_text(points: list[tuple[str, str]], width: int) -> str:
    """The trend's periods and rates, oldest first; the most recent first when they do not all
    fit ``width`` (those that fit, the latest never cut off)."""
    line = "Trend, 8 periods: " + "  ".join(f"{label} {rate}" for label, rate in points)
    if len(line) <= width:
        return line
    text = "Trend, latest first:"
    for label, rate in reversed(points):
        part = f"  {label} {rate}"
        if len(text) + len(part) > width:
            break
        text += part
    return text


class OutcomesScreen(DataScreen):
    """Employment outcomes and fidelity indicators, every week instead of once a year."""

    TITLE = "Outcomes"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("move(-1)", "move(1)", "toggle_kind", "toggle_report", "toggle_mine", "export",
                    "back")
    BINDINGS = [
        Binding("left_square_bracket", "move(-1)", "Previous", id="outcomes.prev", key_display="["),
        Binding("right_square_bracket", "move(1)", "Next", id="outcomes.next", key_display="]"),
        Binding("p", "toggle_kind", "Quarter/month", id="outcomes.kind"),
        Binding("u", "toggle_report", "US/UK", id="outcomes.report",
                tooltip="US IPS Learning Community or UK IPS Grow report shape"),
        Binding("m", "toggle_mine", "Mine/all", id="outcomes.mine"),
        Binding("x", "export", "Export", id="outcomes.export"),
        Binding("v", "reviews", "Reviews", id="outcomes.reviews",
                tooltip="Fidelity reviews: all 25 items scored, with the evidence"),
        Binding("enter", "records", "Records", id="outcomes.records", show=False,
                tooltip="List the records behind the highlighted fidelity item"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: Period | None = None  # set on mount, from the app's today
        self.report_shape = "us"
        self.fidelity: FidelityReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="outcomes-title", classes="screen-title")
        yield PlainStatic(id="outcomes-figures", classes="profile")
        yield Sparkline([], id="outcomes-trend", summary_function=max)
        yield PlainStatic(id="outcomes-trend-label", classes="status-line")
        yield Table(id="fidelity-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.period = services.outcome_period(None, self.today)
        self.query_one(DataTable).add_columns("Fidelity item", "Status", "Figure", "Top-score anchor")
        self.reload()
        self.query_one(DataTable).focus()

    def fetch(self) -> tuple[Period, str, str | None, OutcomeReport, FidelityReport] | None:
        """What is shown, read with the choices it was read for (drawn together)."""
        period, shape = self.period, self.report_shape
        if period is None:
            return None
        spec = self.ips.specialist if self.mine else None
        return (period, shape, spec, services.outcomes(period, specialist=spec, report=shape, today=self.today),
                services.fidelity(period, specialist=spec))

    def draw(self, data: tuple[Period, str, str | None, OutcomeReport, FidelityReport] | None) -> None:
        if data is None:
            return
        period, shape, spec, report, self.fidelity = data
        who = spec or "all specialists"
        self.query_one("#outcomes-title", Static).update(
            f"Outcomes · {period.title} · {who} · {shape.upper()} report")
        width = max(self.app.size.width - 2, 40)
        pairs = [(f.label, outcomes_report.figure_text(f)) for f in report.figures()]
        self.query_one("#outcomes-figures", Static).update(figure_lines(pairs, width))
        rates = [p.rate for p in report.trend]
        self.query_one("#outcomes-trend", Sparkline).data = [r or 0.0 for r in rates]
        self.query_one("#outcomes-trend-label", Static).update(trend_text(
            [(p.period.label, pct(p.rate)) for p in report.trend], width))
        table = self.query_one(DataTable)
        keep = selected_key(table)
        table.clear()
        error = self.app.theme_variables.get("error", "red")
        # the figure takes the width the item's name and status leave; the anchor follows it
        name_w = max((len(i.name) for i in self.fidelity.items), default=0)
        figure_w = max(20, min(34, width - name_w - 2 - 9 - 4))
        for item in self.fidelity.items:
            status = STATUS.get(item.status, item.status)
            style = f"bold {error}" if item.status == "not_met" else ("bold" if item.status == "near" else "")
            table.add_row(safe(item.name), Text(status, style=style), clip(item.figure, figure_w),
                          clip(item.anchor, 44), key=item.key)
        if keep:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:
                pass

    def action_move(self, step: int) -> None:
        assert self.period is not None
        self.period = self.period.next() if step > 0 else self.period.previous()
        self.reload()

    def action_toggle_kind(self) -> None:
        assert self.period is not None
        label = self.period.label
        if "Q" in label:  # quarter -> its last month
            month = self.period.end.strftime("%Y-%m")
            self.period = services.outcome_period(month, self.today)
        else:
            quarter = f"{self.period.start.year}Q{(self.period.start.month - 1) // 3 + 1}"
            self.period = services.outcome_period(quarter, self.today)
        self.reload()

    def action_reviews(self) -> None:
        from ips_tui.tui.screens.reviews import ReviewsScreen

        self.app.push_screen(ReviewsScreen())

    def action_toggle_report(self) -> None:
        self.report_shape = "uk" if self.report_shape == "us" else "us"
        self.reload()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_records()

    def action_records(self) -> None:
        if self.fidelity is None:
            return
        key = selected_key(self.query_one(DataTable))
        item = next((i for i in self.fidelity.items if i.key == key), None)
        if item is None:
            return
        details = list(item.details) or list(item.records)
        # the reports name clients by id; here, inside the team, their names go beside the ids
        names = {r.client_id: r.name for r in services.caseload(include_closed=True)}
        details = [with_names(text, names) for text in details]
        ids = list(item.records) + [""] * max(0, len(details) - len(item.records))
        lines = [(rid if item.record_kind == "client" else "", text) for rid, text in zip(ids, details, strict=False)]

        def opened(client_id: str | None) -> None:
            if client_id:
                self.ips.open_client(client_id)

        self.app.push_screen(RecordsDialog(f"{item.name}: {item.figure} (anchor {item.anchor})",
                                           lines), opened)

    def action_export(self) -> None:
        assert self.period is not None
        period, shape = self.period, self.report_shape
        spec = self.ips.specialist if self.mine else None

        def write(fmt: str, folder: Path) -> Path:
            report = services.outcomes(period, specialist=spec, report=shape, today=self.today)
            fidelity = services.fidelity(period, specialist=spec)
            out = [folder / f"outcomes-{period.label}-{shape}.{fmt}",
                   folder / f"fidelity-{period.label}.{fmt}"]
            write_private(out[0], outcomes_report.render(report, fmt))
            write_private(out[1], fidelity_report.render(fidelity, fmt))
            return out[0]

        def done(result: object) -> None:
            if result is not None:
                self.notify(f"Outcomes and fidelity written beside {result} (readable only by you).",
                            timeout=8)

        self.app.push_screen(export_form("Export outcomes and fidelity", EXPORTS, write, self.today),
                             done)

