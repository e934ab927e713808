"""Classification comes from behaviour: renaming every identifier a fixture defines
(functions, classes, methods, variables, files) to neutral names changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, analyze_dir, expected_projects, fixture_id, unit_view
from tests.renamer import rename_project

PROJECTS = [
    p
    for p in expected_projects("patterns", "twins", "frameworks", "vendored")
    if not any(f.suffix in (".ipynb", ".md") for f in p.rglob("*") if f.name != "expected.json")
]


def _views(result) -> list[tuple]:
    return sorted(tuple(sorted((k, str(v)) for k, v in unit_view(u).items())) for u in result.units)


@pytest.mark.parametrize("project", PROJECTS, ids=fixture_id)
def test_neutral_names_give_the_same_classification(project: Path, tmp_path: Path):
    names = rename_project(project, tmp_path)
    assert names, "the fixture defines names to rename"
    before = analyze_dir(str(project))
    after = analyze_dir(str(tmp_path))
    assert not after.errors, after.errors
    assert _views(after) == _views(before)


def test_renamer_really_renames(tmp_path: Path):
    project = FIXTURES / "twins" / "lying_name_agent"
    rename_project(project, tmp_path)
    text = "".join(p.read_text() for p in tmp_path.rglob("*.py"))
    assert "ResearchAgent" not in text and "run_agent" not in text
    assert "class n" in text and "def n" in text


CALL_PROJECTS = sorted(
    p
    for kind in ("sdk", "recognition")
    for p in (FIXTURES / kind).iterdir()
    if p.is_dir() and not any(f.suffix in (".ipynb", ".md") for f in p.rglob("*"))
)


def _call_views(result) -> list[tuple]:
    return sorted((c.line, c.api) for u in result.units for c in u.llm_calls if not c.via)


@pytest.mark.parametrize("project", CALL_PROJECTS, ids=fixture_id)
def test_neutral_names_find_the_same_model_calls(project: Path, tmp_path: Path):
    """Model calls are recognised from SDK APIs and data flow, not the project's names."""
    if not rename_project(project, tmp_path):
        pytest.skip("the fixture defines no names")
    before = analyze_dir(str(project))
    after = analyze_dir(str(tmp_path))
    assert _call_views(before), "the fixture has model calls"
    assert _call_views(after) == _call_views(before)
