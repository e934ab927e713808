"""Markdown and HTML reviews of every fixture project: every system, its traits, its diagram."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from html import escape
from pathlib import Path

import pytest

from analyzer.report.html import render_html
from analyzer.report.markdown import LIMIT, render_markdown
from analyzer.report.traits import TRAITS
from analyzer.report.where import unit_label
from tests.review.test_mermaid import structure

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PROJECTS = sorted(
    p.relative_to(FIXTURES).as_posix()
    for group in ("patterns", "twins")
    for p in (FIXTURES / group).glob("*/*" if group == "patterns" else "*")
    if p.is_dir()
)


@cache
def analysed(rel: str):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import load_config

    root = FIXTURES / rel
    project = load_project((root,), markdown=False, jobs=1, config=load_config(root, None))
    return analyze_project(project)


@pytest.mark.parametrize("rel", PROJECTS)
def test_markdown_report_has_every_system_traits_and_a_valid_diagram(rel):
    result = analysed(rel)
    text = render_markdown(result, rel)
    systems = [u for u in result.units if u.is_system]
    for u in systems:
        assert f"## `{unit_label(u)}`" in text
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    assert len(blocks) == len(systems)
    for b in blocks:
        declared, edges = structure(b)
        assert all(x in declared and y in declared for x, y in edges)
    for name in TRAITS:
        assert text.count(f"**{name}.**") == len(systems)
    assert len(text.encode()) < LIMIT


@pytest.mark.parametrize("rel", PROJECTS)
def test_html_report_has_every_system_traits_and_an_svg(rel):
    result = analysed(rel)
    page = render_html(result, rel)
    systems = [u for u in result.units if u.is_system]
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == len(systems)
    for u in systems:
        assert f"<code>{escape(unit_label(u))}</code>" in page
    for name in TRAITS:
        assert page.count(f"<h4>{name}</h4>") == len(systems)
    assert "<script" not in page and "https://" not in page and "<link" not in page
    for svg in re.findall(r"<svg .*?</svg>", page, re.S):
        ET.fromstring(svg)


def test_reports_are_byte_identical_across_runs():
    rel = "patterns/routing/raw_anthropic"
    a = analysed(rel)
    assert render_markdown(a, rel) == render_markdown(a, rel)
    assert render_html(a, rel) == render_html(a, rel)
    analysed.cache_clear()
    b = analysed(rel)
    assert render_markdown(a, rel) == render_markdown(b, rel)
    assert render_html(a, rel) == render_html(b, rel)


def test_findings_carry_use_instead():
    result = analysed("twins/agent_without_bound")
    text = render_markdown(result, "t")
    assert "missing-stop-condition" in text and "Use instead:" in text


def _big_result(tmp_path_factory, systems: int = 400):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import load_config
    from tests.review.bigproject import write_big_project

    root = write_big_project(tmp_path_factory.mktemp("big"), systems=systems)
    return analyze_project(load_project((root,), jobs=2, config=load_config(root, None)))


@pytest.fixture(scope="module")
def big_result(tmp_path_factory):
    return _big_result(tmp_path_factory)


def test_big_markdown_keeps_the_riskiest_diagrams_and_summarises_the_rest(big_result):
    from analyzer.report.summary import FULL_SYSTEMS

    text = render_markdown(big_result, "big")
    assert len(text.encode()) < LIMIT
    assert text.index("## Summary") < text.index("## Systems") < text.index("## Other systems")
    assert "### Riskiest systems (top 10 of 400)" in text
    assert len(re.findall(r"```mermaid\n", text)) == FULL_SYSTEMS
    # the riskiest are the agent loops with an error finding
    first = text.split("### Riskiest systems", 1)[1].split("\n\n", 2)[1]
    assert "run_customer_support_agent" in first and "missing-stop-condition" in first
    assert text.count("<a id=") == 400


def test_big_html_stays_small_and_summary_first(big_result):
    page = render_html(big_result, "big")
    assert len(page.encode()) < 4 * 1024 * 1024
    assert page.index('id="summary"') < page.index('id="systems"')
    assert page.count("<svg ") == 40 and page.count('<section class="system"') == 400


def _points(trait) -> int:
    return int(trait.verdict.split(" ", 1)[0]) if "point(s)" in trait.verdict else 0


def test_points_to_review_equal_their_bullets_without_duplicates(big_result):
    from analyzer.report.traits import review_systems

    for r in review_systems(big_result)[:40]:
        surface = r.traits[1]
        if "point(s) to review" in surface.verdict:
            assert _points(surface) == len(surface.claims)
        assert len(set(surface.claims)) == len(surface.claims)


def test_the_report_and_check_agree_on_findings():
    """Every finding a review lists is one `check` reports (the same analysis), and every
    failure-surface point that names a rule names a finding of that system."""
    from analyzer.report.traits import review_systems

    for rel in PROJECTS:
        result = analysed(rel)
        check = {(f.rule, f.path, f.line) for f in result.findings}
        for r in review_systems(result):
            assert {(f.rule, f.path, f.line) for f in r.findings} <= check
            named = {
                c.text.rsplit("(", 1)[1].rstrip(").")
                for c in r.traits[1].claims
                if c.text.endswith(").") and "(" in c.text
            }
            rules = {f.rule for f in r.findings}
            assert {n for n in named if "-" in n and " " not in n} <= rules, (rel, named)


def test_no_internal_names_and_one_location_format(tmp_path):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.report import render_text

    code = (
        "import litellm\n\n\ndef run(items, n):\n    out = []\n"
        "    for i in range(n * 2 + 1):\n"
        "        out.append(litellm.completion(model='m', messages=[]))\n"
        "    for x in [a for a in items if a] + items:\n"
        "        out.append(litellm.completion(model='m', messages=[x]))\n    return out\n"
    )
    (tmp_path / "app.py").write_text(code)
    result = analyze_project(load_project([tmp_path], jobs=1))
    outputs = [render_text(result), render_markdown(result, "t"), render_html(result, "t")]
    for text in outputs:
        for internal in ("binop", "(comp)", "unaryop", "listcomp", "unknown"):
            assert internal not in text.lower(), internal
        # no bare "(line N)": every place names its file
        assert not re.search(r"\(line \d+\)", text)


def test_section_anchors_are_unique(tmp_path):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project

    code = "import litellm\n\nprint(litellm.completion(model='m', messages=[]))\n"
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "main.py").write_text(code)
    (tmp_path / "pkg" / "__main__.py").write_text(code)
    result = analyze_project(load_project([tmp_path], jobs=1))
    page = render_html(result, "t")
    ids = re.findall(r'<section class="system" id="([^"]+)"', page)
    assert len(ids) == 2 and len(set(ids)) == 2
