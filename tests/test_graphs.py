"""Framework graphs (LangGraph StateGraph, crewAI Flow and Crew) read from their API calls.

Each project under fixtures/frameworks has an expected.json whose system unit states
what the graph it runs is; `framework_graphs` must give that pattern, contains, stop
status and bound for the run call, without importing or running anything.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from analyzer import ir
from analyzer.callgraph import build_call_graph
from analyzer.classify.graphs import framework_graphs
from analyzer.classify.sites import SiteIndex
from analyzer.frontend.project import load_project
from analyzer.knowledge import load_knowledge
from tests.helpers import FIXTURES

ROOT = FIXTURES / "frameworks"
GRAPH_FIXTURES = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "lg_functional")


@cache
def verdicts(name: str) -> dict:
    """(path, qualname of the scope holding the run call) -> verdict."""
    kb = load_knowledge()
    project = load_project([ROOT / name])
    cg = build_call_graph(project, kb)
    idx = SiteIndex(project, cg, kb)
    found = framework_graphs(project, cg, kb, lambda n: idx.owner(n) in idx.units)
    out = {}
    for m in project.modules:
        for sc in m.scopes:
            for c in ir.scope_calls(sc):
                v = found.get((m.path, c.cid))
                if v is not None:
                    out[(m.path, sc.qualname)] = v
    return out


def _expected(name: str) -> list[dict]:
    units = json.loads((ROOT / name / "expected.json").read_text())["units"]
    return [u for u in units if u["is_system"]]


@pytest.mark.parametrize("name", GRAPH_FIXTURES)
def test_graph_verdict_matches_the_system_unit(name: str):
    got = verdicts(name)
    for unit in _expected(name):
        v = got.get((unit["path"], unit["qualname"]))
        assert v is not None, f"no graph run found in {unit['qualname']}"
        assert v.pattern == unit["pattern"], v.evidence
        assert sorted(v.contains) == sorted(unit["contains"])
        assert v.stop[0] == unit["stop_condition"], v.stop
        assert v.bound == unit["llm_call_bound"], v.bound_reason


@pytest.mark.parametrize("name", GRAPH_FIXTURES)
def test_graph_nodes_are_the_functions_it_runs(name: str):
    for v in verdicts(name).values():
        assert all("::" in n for n in v.nodes)


def test_a_gate_to_end_is_still_a_chain():
    v = verdicts("lg_chain_gate")[("app.py", "summarise")]
    assert v.pattern == "prompt_chaining" and v.bound == 3
    assert {n.rsplit("::", 1)[1] for n in v.nodes} >= {"draft", "tighten", "translate"}


def test_default_recursion_limit_is_named():
    v = verdicts("lg_react_toolnode")[("app.py", "chat")]
    assert v.stop[0] == "default" and "recursion_limit" in v.stop[1]


def test_send_over_model_output_has_no_static_bound():
    v = verdicts("lg_send_orchestrator")[("app.py", "make_tests")]
    assert v.bound is None and "cases" in v.bound_reason


def test_functional_api_is_left_to_the_entrypoint_body():
    assert verdicts("lg_functional") == {}


def test_functional_api_futures_fan_out():
    from tests.helpers import analyze_dir

    units = {u.qualname: u for u in analyze_dir(str(ROOT / "lg_functional")).units}
    assert units["brief"].pattern == "parallelization_sectioning"
