"""Every rule's VALID and INVALID examples, run through the whole pipeline (Fixit style).

An INVALID example marks each line where a finding must land with `# expect: <rule>`;
a VALID example must produce no finding of its rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analyzer.analysis import analyze_project
from analyzer.frontend.project import load_project
from analyzer.lint.engine import Example, load_rules

EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+)")
RULES = load_rules()


def _examples(kind: str):
    for rule in RULES:
        for i, ex in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, ex, id=f"{rule.name}-{kind.lower()}-{i}")


def _run(tmp_path: Path, example: Example | str):
    ex = example if isinstance(example, Example) else Example(example)
    files = {"main.py": ex.code, **ex.files}
    for name, code in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")
    result = analyze_project(load_project([tmp_path], jobs=1))
    expected = set()
    for name, code in files.items():
        for i, line in enumerate(code.splitlines(), 1):
            m = EXPECT.search(line)
            if m:
                expected.add((m.group(1), name, i))
    return result, expected


def test_the_builtin_pack_has_the_mission_rules():
    names = {r.name for r in RULES}
    assert {"missing-stop-condition", "unbounded-retry", "absent-trace-logging"} <= names


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_is_documented_like_ruff(rule):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert re.fullmatch(r"AL\d{3}", rule.code)
    assert rule.severity in ("error", "warning", "info")
    for heading in ("## What it does", "## Why it matters", "## Example", "## Use instead"):
        assert heading in rule.docs, heading
    assert len(rule.VALID) >= 1 and len(rule.INVALID) >= 1


@pytest.mark.parametrize(("rule", "example"), list(_examples("INVALID")))
def test_invalid_examples_report_where_marked(tmp_path, rule, example):
    result, expected = _run(tmp_path, example)
    assert not result.errors or rule.name == "input-error"
    got = {(f.rule, f.path, f.line) for f in result.findings if f.rule == rule.name}
    want = {e for e in expected if e[0] == rule.name}
    assert want, "an INVALID example must mark at least one line"
    assert got == want


@pytest.mark.parametrize(("rule", "example"), list(_examples("VALID")))
def test_valid_examples_are_quiet(tmp_path, rule, example):
    result, _ = _run(tmp_path, example)
    assert not result.errors
    assert [f for f in result.findings if f.rule == rule.name] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_docs_stand_alone(rule):
    """Users have the docs `archlint rule` prints, not the project's design notes."""
    for internal in ("DESIGN.md", "FRAMEWORKS.md", "DESIGN §"):
        assert internal not in rule.docs, internal


@pytest.mark.parametrize(("rule", "example"), list(_examples("INVALID")))
def test_findings_point_at_the_construct_column(tmp_path, rule, example):
    """A finding on an indented line points past the indent, at the construct (as ruff)."""
    result, _ = _run(tmp_path, example)
    files = {"main.py": (example if isinstance(example, str) else example.code)}
    if isinstance(example, Example):
        files.update(example.files)
    for f in result.findings:
        if f.rule != rule.name or f.path not in files:
            continue
        text = files[f.path].splitlines()[f.line - 1]
        indent = len(text) - len(text.lstrip())
        assert f.col >= indent, (f, text)
