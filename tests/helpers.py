"""Shared test helpers: run the pipeline on a folder, read fixture expectations."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

EXPECT_LLM = re.compile(r"#\s*expect-llm:\s*(\S+)")


@cache
def analyze_dir(path: str):
    """AnalysisResult for one folder (cached: fixtures are read-only)."""
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project

    return analyze_project(load_project([Path(path)], jobs=1))


def expected_projects(*groups: str) -> list[Path]:
    out = []
    for g in groups:
        out += sorted(p.parent for p in (FIXTURES / g).rglob("expected.json"))
    return out


def load_expected(project: Path) -> dict:
    return json.loads((project / "expected.json").read_text(encoding="utf-8"))


def fixture_id(project: Path) -> str:
    return project.relative_to(FIXTURES).as_posix()


def unit_view(u) -> dict:
    """The fields an expected.json states, from an analyzer Unit."""
    return {
        "pattern": u.pattern,
        "contains": sorted(u.contains),
        "sequence_owner": u.sequence_owner,
        "is_system": u.is_system,
        "stop_condition": u.stop_condition.status,
        "retries": u.retries.status,
        "trace_logging": u.trace_logging.status,
        "llm_call_bound": u.llm_call_bound,
    }


def expected_view(e: dict) -> dict:
    return {
        "pattern": e["pattern"],
        "contains": sorted(e.get("contains", [])),
        "sequence_owner": e["sequence_owner"],
        "is_system": e["is_system"],
        "stop_condition": e["stop_condition"],
        "retries": e["retries"],
        "trace_logging": e["trace_logging"],
        "llm_call_bound": e["llm_call_bound"],
    }


def llm_expectations(project: Path) -> set[tuple[str, int, str]]:
    """(path, line, api) for every `# expect-llm: api` comment; api "none" marks a non-call."""
    out = set()
    for f in sorted(project.rglob("*.py")):
        for i, text in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            m = EXPECT_LLM.search(text)
            if m:
                out.add((f.relative_to(project).as_posix(), i, m.group(1)))
    return out
