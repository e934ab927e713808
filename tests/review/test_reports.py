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
    from analyzer.config import load_config
    from analyzer.project import load_project

    root = FIXTURES / rel
    project = load_project((root,), markdown=False, jobs=1, config=load_config(root, None))
    return analyze_project(project)


@pytest.mark.parametrize("rel", PROJECTS)
def test_markdown_report_has_every_system_traits_and_a_valid_diagram(rel):
    result = analysed(rel)
    text = render_markdown(result, rel)
    systems = [u for u in result.units if u.is_system]
    for u in systems:
        assert f"## `{u.ref}`" in text
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
