"""Mermaid text: structurally valid flowchart syntax, and (when available) Mermaid's verdict."""

from __future__ import annotations

import re

import pytest

from analyzer.report.mermaid import escape, render_mermaid
from analyzer.report.path_builder import diagram_for
from tests.review import browser
from tests.review import shapes as s

NODE = re.compile(r'^\s*(n\d+)(\(\["|\["|\[/"|\[\["|\{"|\{\{"|\[\\"|>")(.*)$')
EDGE = re.compile(r'^\s*(n\d+) (-->|-\.->)(\|"[^"]*"\|)? (n\d+)$')
LABEL_OK = re.compile(r'^[^"`<>]*$')  # no raw quote, backtick or angle bracket survives


def structure(text: str) -> tuple[set[str], list[tuple[str, str]]]:
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart TD"
    declared: set[str] = set()
    edges = []
    depth = 0
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("subgraph "):
            assert re.match(r'^subgraph g\d+\["[^"]*"\]$', stripped), line
            depth += 1
        elif stripped == "end":
            depth -= 1
            assert depth >= 0
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(4)))
        elif m := NODE.match(line):
            assert m.group(1) not in declared, f"node declared twice: {line}"
            declared.add(m.group(1))
            label = m.group(3).rsplit('"', 1)[0].replace("<br/>", " ")
            assert LABEL_OK.match(label), line
        else:
            assert re.match(r"^(classDef k_\w+ |class [n\d,]+ k_\w+$|style g\d+ )", stripped), line
    assert depth == 0, "unbalanced subgraphs"
    return declared, edges


@pytest.mark.parametrize(
    "tree",
    [
        s.model(1),
        s.big_tree(),
        s.while_true(2, 8, s.model(3), exits=[s.Exit("break", 5, True, False, False)]),
    ],
)
def test_generated_flowchart_is_structurally_valid(tree):
    text = render_mermaid(diagram_for("main()", tree))
    declared, edges = structure(text)
    assert edges and all(a in declared and b in declared for a, b in edges)


def test_labels_are_escaped():
    nasty = 'say "hi" <b>#1</b> a|b; 50% `x` \\ end'
    out = escape(nasty)
    assert '"' not in out and "<b>" not in out and "`" not in out and "|" not in out
    text = render_mermaid(diagram_for(nasty, s.model(1)))
    structure(text)  # still parses structurally
    assert "#quot;hi#quot;" in text


def test_reserved_word_end_is_never_an_id_or_class():
    text = render_mermaid(diagram_for("end", s.seq(s.model(1), s.model(2))))
    assert not re.search(r"^\s*(end\b.*-->|classDef end|class .* end$)", text, re.M)


@pytest.mark.skipif(
    browser.chromium() is None or browser.mermaid_js() is None,
    reason="needs chromium and ARCHLINT_MERMAID_JS=<path to mermaid.min.js>",
)
def test_mermaid_itself_accepts_our_diagrams():
    texts = [
        render_mermaid(diagram_for('main() "x" <y> #1;', tree))
        for tree in (s.model(1), s.big_tree(), s.while_true(2, 8, s.model(3)))
    ]
    assert browser.mermaid_check(texts, browser.mermaid_js()) == ["ok"] * len(texts)


def test_graph_mermaid_of_a_whole_project_fits_mermaids_limits(tmp_path):
    from click.testing import CliRunner

    from analyzer.cli import main
    from analyzer.report.graph_mermaid import MAX_CHARS, MAX_EDGES
    from tests.review.bigproject import write_big_project

    runner = CliRunner()
    small = write_big_project(tmp_path / "small", systems=4)
    full = runner.invoke(main, ["graph", str(small), "--format", "mermaid"]).output
    assert not full.startswith("%%") and "ask_0" in full  # small graphs stay whole

    root = write_big_project(tmp_path / "big", systems=400)
    text = runner.invoke(main, ["graph", str(root), "--format", "mermaid", "-j", "2"]).output
    assert text.startswith("%% archlint: the full graph")
    assert len(text) <= MAX_CHARS
    assert sum(1 for line in text.splitlines() if "-->" in line) <= MAX_EDGES
    body = text.split("\n", 1)[1].replace("flowchart LR", "flowchart TD", 1)
    declared, edges = structure(body)
    assert all(a in declared and b in declared for a, b in edges)
    js = browser.mermaid_js()
    if browser.chromium() is not None and js is not None:
        assert browser.mermaid_check([text], js) == ["ok"]


def _diagram_of(tmp_path, code: str):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.report.traits import review_systems

    (tmp_path / "app.py").write_text(code, encoding="utf-8")
    result = analyze_project(load_project([tmp_path], jobs=1))
    (review,) = review_systems(result)
    return review


AGENT_LOOP = """\
import asyncio

import anthropic

client = anthropic.AsyncAnthropic()
TOOLS = {"search": lambda q: q}


async def agent(messages):
    while True:
        response = await client.messages.create(model="m", max_tokens=64, tools=[], messages=messages)
        if response.stop_reason != "tool_use":
            return response
        for block in response.content:
            if block.type == "tool_use":
                messages.append(TOOLS[block.name](**block.input))
"""


def test_asyncio_run_of_one_coroutine_is_a_call_not_a_fan_out(tmp_path):
    code = AGENT_LOOP + "\n\ndef main():\n    return asyncio.run(agent([]))\n"
    review = _diagram_of(tmp_path, code)
    kinds = [n.kind for n in review.diagram.nodes()]
    assert "fork" not in kinds and "join" not in kinds
    assert "loop" in kinds


def test_an_unbounded_agent_loop_is_drawn_however_deep_it_is_called(tmp_path):
    code = (
        AGENT_LOOP
        + "\n\ndef level2(m):\n    return asyncio.run(agent(m))\n"
        + "\n\ndef level1(m):\n    return level2(m)\n"
        + "\n\ndef level0(m):\n    return level1(m)\n"
        + "\n\ndef main():\n    level0([])\n    return level0([])\n"
    )
    review = _diagram_of(tmp_path, code)
    assert any(f.rule == "missing-stop-condition" for f in review.findings)
    loops = [n for n in review.diagram.nodes() if n.kind == "loop"]
    assert loops and loops[0].warn  # drawn, and marked as having no bound
    text = render_mermaid(review.diagram)
    declared, edges = structure(text)
    # the loop's `return` goes back to the caller: the second call is reachable
    reached = {b for _, b in edges}
    assert all(n in reached for n in declared if n != "n1")


def test_a_unit_expanded_from_another_file_is_labelled_with_its_file(tmp_path):
    from analyzer.analysis import analyze_project
    from analyzer.frontend.project import load_project
    from analyzer.report.traits import review_systems

    (tmp_path / "agent.py").write_text(AGENT_LOOP, encoding="utf-8")
    (tmp_path / "main.py").write_text(
        "import asyncio\n\nfrom agent import agent\n\n\ndef main():\n"
        "    print('start')\n    return asyncio.run(agent([]))\n",
        encoding="utf-8",
    )
    result = analyze_project(load_project([tmp_path], jobs=1))
    (review,) = [r for r in review_systems(result) if r.unit.path == "main.py"]
    assert "agent() in agent.py — agent loop" in render_mermaid(review.diagram)
