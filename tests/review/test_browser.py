"""The HTML report in headless Chromium: it renders, offline, and we keep a screenshot.

Skips when Chromium is absent (CI: `apt-get install -y chromium`). The screenshot is
written to the test's tmp folder, or to $ARCHLINT_SCREENSHOT_DIR when set, for people to
look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.report.html import render_html
from tests.review import browser
from tests.review.test_reports import analysed

BIG = Path(__file__).resolve().parent / "data" / "big_app"

pytestmark = pytest.mark.skipif(browser.chromium() is None, reason="chromium is not installed")


def _analyse_big():
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import load_config

    project = load_project((BIG,), markdown=False, jobs=1, config=load_config(BIG, None))
    return analyze_project(project)


@pytest.mark.parametrize("name", ["big_app", "routing"])
def test_html_report_renders_in_headless_chromium(tmp_path, name):
    result = _analyse_big() if name == "big_app" else analysed("patterns/routing/raw_anthropic")
    html = tmp_path / f"{name}.html"
    html.write_text(render_html(result, name), encoding="utf-8")
    out_dir = Path(os.environ.get("ARCHLINT_SCREENSHOT_DIR", tmp_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / f"{name}.png"
    browser.screenshot(html, png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_big_app_diagram_has_15_plus_nodes():
    from analyzer.report.traits import review_systems

    (review,) = review_systems(_analyse_big())
    assert len(review.diagram.nodes()) >= 15


def test_a_400_system_report_fits_the_page_with_the_summary_first(tmp_path):
    """The layout a big project gets: nothing wider than the page (diagrams and tables
    scroll inside their own box), a table of contents whose entries do not overlap and
    stay legible, the summary on the first screen, and a size a browser opens easily."""
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import load_config
    from tests.review.bigproject import write_big_project

    root = write_big_project(tmp_path / "big", systems=400)
    result = analyze_project(load_project((root,), jobs=2, config=load_config(root, None)))
    assert sum(u.is_system for u in result.units) == 400
    page = render_html(result, "big")
    assert len(page.encode()) < 4 * 1024 * 1024
    html = tmp_path / "big400.html"
    html.write_text(page, encoding="utf-8")
    layout = browser.layout_report(html)
    assert layout["scrollWidth"] <= layout["pageWidth"], layout
    assert layout["wideCount"] == 0, layout["wide"]
    assert layout["tocItems"] == 400 and layout["tocOverlaps"] == 0
    assert layout["tocFontPx"] >= 12 and layout["tocMinWidth"] >= 200
    assert layout["firstHeading"] == "Summary" and 0 <= layout["summaryTop"] < 400
    out_dir = Path(os.environ.get("ARCHLINT_SCREENSHOT_DIR", tmp_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "big400.png"
    browser.screenshot(html, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
