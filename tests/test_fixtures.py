"""Every fixture project against its ground truth.

`fixtures/patterns` and `fixtures/twins` carry an `expected.json` (see fixtures/README.md);
`fixtures/sdk` marks each model call inline with `# expect-llm: <api>`. Known misses are
listed in `tests/known_misses.txt` and run as strict xfails, so a fix that makes one pass
has to remove it from the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import (
    FIXTURES,
    analyze_dir,
    expected_projects,
    expected_view,
    fixture_id,
    llm_expectations,
    load_expected,
    unit_view,
)

KNOWN_MISSES = {
    line.split("#", 1)[0].strip()
    for line in (Path(__file__).parent / "known_misses.txt").read_text().splitlines()
    if line.split("#", 1)[0].strip()
}


def _param(project: Path, kind: str):
    ident = f"{kind}:{fixture_id(project)}"
    marks = [pytest.mark.xfail(strict=True, reason="known miss")] if ident in KNOWN_MISSES else []
    return pytest.param(project, id=fixture_id(project), marks=marks)


PROJECTS = expected_projects("patterns", "twins", "runtime", "frameworks", "vendored")
# per-SDK fixtures, and the indirections real apps use (lazy proxies, factories, shadowed
# package names, clients recognised by their call shape)
SDK_PROJECTS = sorted(
    p for kind in ("sdk", "recognition") for p in (FIXTURES / kind).iterdir() if p.is_dir()
)


@pytest.mark.parametrize("project", [_param(p, "units") for p in PROJECTS])
def test_units_match_expected(project: Path):
    expected = load_expected(project)
    result = analyze_dir(str(project))
    got = {(u.path, u.qualname, u.cell): unit_view(u) for u in result.units}
    want = {(e["path"], e["qualname"], e.get("cell")): expected_view(e) for e in expected["units"]}
    assert not result.errors, result.errors
    assert sorted(got) == sorted(want), "units differ"
    for key, view in want.items():
        assert got[key] == view, key


@pytest.mark.parametrize("project", [_param(p, "findings") for p in PROJECTS])
def test_findings_match_expected(project: Path):
    expected = load_expected(project)
    result = analyze_dir(str(project))
    mission = {"missing-stop-condition", "unbounded-retry", "absent-trace-logging"}
    got = sorted((f.rule, f.path, f.line) for f in result.findings if f.rule in mission)
    want = sorted((f["rule"], f["path"], f["line"]) for f in expected["findings"])
    assert got == want


@pytest.mark.parametrize("project", [_param(p, "sdk") for p in SDK_PROJECTS])
def test_every_sdk_model_call_is_found_with_its_api(project: Path):
    marks = llm_expectations(project)
    assert marks, "fixture has no # expect-llm: lines"
    result = analyze_dir(str(project))
    assert not result.errors, result.errors
    found = {
        (c.path or u.path, c.line, c.api) for u in result.units for c in u.llm_calls if not c.via
    }
    want = {m for m in marks if m[2] != "none"}
    non_calls = {(p, line) for p, line, api in marks if api == "none"}
    assert sorted(want - found) == [], "model calls not found"
    assert sorted(f for f in found if (f[0], f[1]) in non_calls) == [], "non-calls reported"
    extra = sorted(f for f in found if f not in want)
    assert extra == [], "model calls reported where the fixture marks none"


def test_every_fixture_the_decisions_cite_exists():
    """DECISIONS.md proves each rule with a fixture: the paths it names must exist."""
    text = (Path(__file__).parents[1] / "analyzer" / "classify" / "DECISIONS.md").read_text()
    cited = set(
        re.findall(
            r"`((?:twins|recognition|frameworks|patterns|sdk|runtime|vendored)/[\w*]+)`", text
        )
    )
    assert cited, "DECISIONS.md cites no fixture"
    missing = sorted(c for c in cited if "*" not in c and not (FIXTURES / c).is_dir())
    assert missing == []
