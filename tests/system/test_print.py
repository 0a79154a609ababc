"""The demo's weekly agenda, printed as a team would print it: HTML through headless Chromium to
PDF, on A4 and on Letter, counted with `pdfinfo` and read back with `pdftotext`.

Goal (issue #17): at most 2 pages; dates never broken across lines; a section heading never the
last line of a page. Needs Debian's `chromium` and `poppler-utils` (`.ci/run` installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")

pytestmark = pytest.mark.skipif(not (CHROMIUM and POPPLER),
                                reason="needs chromium and poppler-utils (Debian packages)")

TODAY = "2026-12-01"
SECTION = re.compile(r"^\s*\d\. [A-Z]")


def run(*args: str | Path, timeout: float = 120) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def agenda_html(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("print")
    ips = [sys.executable, "-m", "ips_tui"]
    run(*ips, "demo", "--db", folder / "demo.db", "--today", TODAY, "--no-open")
    run(*ips, "agenda", "--db", folder / "demo.db", "--today", TODAY, "--format", "html",
        "-o", folder / "agenda.html")
    return (folder / "agenda.html").read_text(encoding="utf-8")


def print_pdf(html: str, size: str, folder: Path) -> Path:
    page = folder / f"agenda-{size}.html"
    page.write_text(html.replace("</head>", f"<style>@page {{ size: {size}; }}</style></head>"),
                    encoding="utf-8")
    pdf = folder / f"agenda-{size}.pdf"
    run(CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri())
    return pdf


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_the_demo_agenda_prints_on_two_pages(agenda_html, size, tmp_path):
    pdf = print_pdf(agenda_html, size, tmp_path)
    info = run("pdfinfo", pdf)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pdf.stat().st_size > 1000 and "Team meeting agenda" in run("pdftotext", pdf, "-")
    assert pages <= 2, f"{size}: {pages} pages"
    text = run("pdftotext", "-layout", pdf, "-")
    # Dates are whole on their line: no "Tue 2026-" with "11-17" below it.
    broken = [line for line in text.splitlines() if re.search(r"\d{4}-(\d{2}-?)?\s*$", line)]
    assert not broken, broken
    # No section heading is the last line of a page (pdftotext ends each page with a form feed).
    for number, body in enumerate(text.split("\f")[:-1], start=1):
        lines = [line for line in body.splitlines() if line.strip()]
        assert lines and not SECTION.match(lines[-1]), f"{size} page {number} ends on {lines[-1]!r}"


def test_table_text_is_the_size_of_body_text(agenda_html):
    css = agenda_html.split("<style>")[1].split("</style>")[0]
    table = re.search(r"^table \{[^}]*\}", css, re.M).group(0)  # type: ignore[union-attr]
    assert "font-size: 1em" in table
    assert re.search(r"td\.keep \{ white-space: nowrap; \}", css)
    assert '<td class="keep">' in agenda_html


@pytest.fixture(scope="module")
def review_pdf(tmp_path_factory) -> Path:
    """The demo's review of 2026Q3, every team item scored, printed on A4."""
    folder = tmp_path_factory.mktemp("review-print")
    ips = [sys.executable, "-m", "ips_tui"]
    db = folder / "demo.db"
    run(*ips, "demo", "--db", db, "--today", TODAY, "--no-open")
    review_id = run(*ips, "review", "new", "--db", db, "--period", "2026Q3", "--date", TODAY).strip()
    for number in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 16, 18, 22):
        run(*ips, "review", "score", review_id, str(number), "3", "--db", db)
    run(*ips, "review", "show", review_id, "--db", db, "--format", "html", "-o", folder / "r.html")
    html = (folder / "r.html").read_text(encoding="utf-8")
    page = folder / "review-A4.html"
    page.write_text(html.replace("</head>", "<style>@page { size: A4; }</style></head>"),
                    encoding="utf-8")
    pdf = folder / "review-A4.pdf"
    run(CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--no-pdf-header-footer", f"--user-data-dir={folder / 'profile'}",
        f"--print-to-pdf={pdf}", page.as_uri())
    return pdf


def test_the_review_pack_prints_cleanly(review_pdf):
    info = run("pdfinfo", review_pdf)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 2 <= pages <= 12, pages
    text = run("pdftotext", "-layout", review_pdf, "-")
    for heading in ("IPS fidelity review", "Scores", "Action plan", "Items, anchors and evidence"):
        assert heading in text
    width = int(float(re.search(r"^Page size:\s+([\d.]+)", info, re.M).group(1)))  # type: ignore[union-attr]
    assert width < 600  # A4, nothing forced the page wider
    broken = [line for line in text.splitlines() if re.search(r"\d{4}-(\d{2}-?)?\s*$", line)]
    assert not broken, broken
    for number, body in enumerate(text.split("\f")[:-1], start=1):
        lines = [line for line in body.splitlines() if line.strip()]
        assert lines and not SECTION.match(lines[-1]), f"page {number} ends on {lines[-1]!r}"
