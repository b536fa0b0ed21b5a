"""The Spanish report in a real browser: headless Chromium opens latest.html from disk with the network off.

Saves what it saw (screenshot and the PDF print) under tests/.cache/artifacts/ (or $CARTERA_TEST_ARTIFACTS).
`make test` installs Chromium from Debian's packages when it is missing; only when that is impossible is this
skipped, saying so.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser import find_chromium, visit

ARTIFACTS = Path(os.environ.get("CARTERA_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / ".cache" / "artifacts"))


@pytest.fixture(scope="module")
def page(spanish_report):
    if find_chromium() is None:
        pytest.skip(
            "Chromium is not installed and could not be installed (`make test` runs `apt-get install chromium`, "
            "which needs root and Debian's package mirror): the browser test of the report did not run"
        )
    seen = visit(spanish_report.latest)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report_es.png").write_bytes(seen.screenshot)
    (ARTIFACTS / "report_es.pdf").write_bytes(seen.pdf)
    return seen


def test_no_request_left_the_file(page, spanish_report):
    assert page.requests[0] == spanish_report.latest.resolve().as_uri()
    outside = [url[:80] for url in page.requests if not url.startswith("data:image/png;base64,")]
    assert outside == [spanish_report.latest.resolve().as_uri()]


def test_every_chart_rendered(page, spanish_report):
    charts = re.findall(r"<img\b", spanish_report.html)
    assert len(page.images) == len(charts) >= 5  # status, volume, frequency, Pareto, cohorts
    broken = [img["alt"] for img in page.images if not (img["complete"] and img["naturalWidth"] > 100)]
    assert broken == []
    assert page.images[0]["alt"] == "Clientes por estado"


def test_no_console_errors(page):
    assert page.console_errors == []


def test_screenshot_is_a_picture_of_the_page(page):
    assert page.screenshot.startswith(b"\x89PNG") and len(page.screenshot) > 20_000
    assert (ARTIFACTS / "report_es.png").exists()


def test_print_stylesheet_applies_and_prints_to_pdf(page):
    assert page.print_styles["sectionShadow"] == "none"  # no screen shadows on paper
    assert page.print_styles["sectionBreakInside"] == "avoid"  # a chart is never cut between pages
    assert page.print_styles["bodyBackground"] == "rgb(255, 255, 255)"  # no grey page background
    assert page.pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", page.pdf))
    assert 2 <= pages <= 8, f"{pages} A4 pages"
    assert re.search(rb"/MediaBox \[0 0 59[45]\.?\d* 84[12]", page.pdf)  # A4 (595 x 842 points), from @page
