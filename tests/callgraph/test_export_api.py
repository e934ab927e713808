"""Exports (PyCG JSON, our JSON, dot, Mermaid) and the API the classifier uses."""

from __future__ import annotations

import json

from analyzer.callgraph import build_call_graph
from analyzer.callgraph.export import mermaid_escape, render_graph
from analyzer.frontend.extract import extract_cells
from tests.callgraph.conftest import FakeProject, NoKnowledge, build, find_call

SRC = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def ask(q):\n    print(q)\n    return client.responses.create(input=q)\n"
    "handlers = {'a': lambda: ask('a')}\n"
    "def route(k):\n    return handlers[k]()\n"
    "route('a')\n"
)


def test_pycg_format_is_sorted_and_names_everything():
    cg = build(SRC)
    data = json.loads(render_graph(cg, "pycg", entries=("main.py",)))
    assert list(data) == sorted(data)
    assert data["main"] == ["main.route", "openai.OpenAI"]
    assert data["main.ask"] == ["<builtin>.print", "openai.OpenAI.responses.create"]
    assert data["main.route"] == ["main.<lambda1>"]
    assert data["main.<lambda1>"] == ["main.ask"]
    assert data["<builtin>.print"] == []


def test_json_format_carries_locations_sites_and_marks():
    cg = build(SRC)
    data = json.loads(render_graph(cg, "json"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["main.py::ask"]["line"] == 3 and nodes["main.py::ask"]["kind"] == "function"
    edge = next(e for e in data["edges"] if e["caller"] == "main.py::route")
    assert edge["dynamic"] and edge["via"] == "dispatch" and edge["sites"][0]["line"] == 8
    assert {"id": "ext::openai.OpenAI", "kind": "external", "name": "openai.OpenAI"} in data[
        "externals"
    ]


def test_dot_and_mermaid_are_well_formed():
    cg = build(SRC)
    dot = render_graph(cg, "dot")
    assert dot.startswith("digraph callgraph {") and dot.rstrip().endswith("}")
    assert "style=dashed" in dot
    mm = render_graph(cg, "mermaid")
    assert mm.startswith("flowchart LR\n")
    assert "<" not in mm.replace("-.->", "").replace("-->", "")  # labels are escaped
    assert mermaid_escape('a"<b>|') == "a#quot;#lt;b#gt;#124;"


def test_api_targets_callers_callees_scope_and_determinism():
    cg = build(SRC)
    call = find_call(cg, "main.py", "client.responses.create")
    (t,) = cg.targets("main.py", call.cid)
    assert t.kind == "external" and t.via == "call" and not t.dynamic
    assert cg.targets("main.py", 10_000) == ()
    assert "ext::openai.OpenAI.responses.create" in cg.callees("main.py::ask")
    assert cg.callers("main.py::ask") == ["main.py::<lambda@6:17>"]
    facts, scope = cg.scope("main.py::ask")
    assert facts.path == "main.py" and scope.qualname == "ask"
    again = build(SRC)
    assert render_graph(cg, "json") == render_graph(again, "json")


def test_notebook_cells_are_separate_nodes_sharing_globals():
    facts = extract_cells(
        path="nb.ipynb",
        module="nb",
        kind="ipynb",
        cells=[(0, "def helper():\n    return 1\n", 0, 0), (1, "helper()\n", 0, 0)],
    )
    cg = build_call_graph(FakeProject(None, (facts,)), kb=NoKnowledge())
    assert cg.node_id("nb.ipynb", "<module>", 1) == "nb.ipynb:1::<module>"
    assert cg.callees("nb.ipynb:1::<module>") == ["nb.ipynb:0::helper"]
    assert cg.graph.nodes["nb.ipynb:0::helper"]["cell"] == 0
