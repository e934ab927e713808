"""The path model built from hand-made shape trees: every path, bound and exit is there."""

from __future__ import annotations

from analyzer import ir
from analyzer.report.path_builder import diagram_for
from analyzer.report.path_flat import flatten
from analyzer.report.paths import Callee, PathContext, expr_src
from tests.review import shapes as s


def kinds(d) -> list[str]:
    return [n.kind for n in d.nodes()]


def test_single_call_is_start_model_end():
    g = flatten(diagram_for("f()", s.model(3)))
    assert [n.kind for n in g.nodes] == ["start", "model", "end"]
    assert [(e.src, e.dst) for e in g.edges] == [("n1", "n2"), ("n2", "n3")]


def test_bounded_agent_loop_has_tool_exit_and_back_edge():
    loop = s.for_loop(
        5, 12, s.rng(), s.model(6, tools=True), exits=[s.stop_exit(8)], dispatch=[s.dispatch(10)]
    )
    g = flatten(diagram_for("run()", loop))
    by_kind = {n.kind: n for n in g.nodes}
    assert {"loop", "model", "decision", "tool", "end"} <= set(by_kind)
    assert not by_kind["loop"].warn
    assert any(e.kind == "back" and e.dst == by_kind["loop"].id for e in g.edges)
    assert any(e.kind == "exit" and e.label == "done" for e in g.edges)
    assert [grp.kind for grp in g.groups] == ["loop"]


def test_while_true_without_bound_is_marked_and_has_no_done_edge():
    loop = s.while_true(5, 9, s.model(6))
    g = flatten(diagram_for("run()", loop))
    head = next(n for n in g.nodes if n.kind == "loop")
    assert head.warn and "no bound" in head.note
    assert not any(e.label == "done" for e in g.edges)
    assert g.groups[0].warn
    assert not any(n.label == "done" for n in g.nodes)  # the end is never reached


def test_break_leaves_the_loop_to_the_next_step():
    loop = s.while_true(5, 9, s.model(6), exits=[s.Exit("break", 7, True, False, False)])
    g = flatten(diagram_for("run()", s.seq(loop, s.model(11))))
    jump = next(n for n in g.nodes if n.kind == "jump")
    after = next(n for n in g.nodes if n.kind == "model" and n.line == 11)
    assert any(e.src == jump.id and e.dst == after.id and e.kind == "exit" for e in g.edges)


def test_route_without_fallback_warns_and_fanout_over_model_output_warns():
    route = s.branch(4, s.model(5), s.model(7), tainted=True, default=False)
    g = flatten(diagram_for("route()", route))
    assert next(n for n in g.nodes if n.kind == "decision").warn
    fan = s.fan(3, s.model(4), iterable=ir.Name("tasks"), tainted=True)
    g = flatten(diagram_for("orchestrate()", fan))
    fork = next(n for n in g.nodes if n.kind == "fork")
    assert fork.warn and "tasks" in fork.note
    assert any(n.kind == "join" for n in g.nodes)


def test_callee_units_are_expanded_once_then_linked():
    inner = s.seq(s.model(20), s.model(21))

    def callee(unit: str):
        return Callee("helper", "lib.py::helper", inner, "prompt_chaining")

    ctx = PathContext(callee=callee)
    g = flatten(diagram_for("main()", s.seq(s.unit_call(3, "u"), s.unit_call(4, "u")), ctx))
    assert [grp.kind for grp in g.groups] == ["unit"]
    linked = [n for n in g.nodes if n.kind == "unit"]
    assert len(linked) == 1 and linked[0].link == "lib.py::helper"


def test_recursive_callee_does_not_loop_forever():
    def callee(unit: str):
        return Callee("again", "a.py::again", s.seq(s.model(2), s.unit_call(3, "u")), "x")

    d = diagram_for("again()", s.unit_call(1, "u"), PathContext(callee=callee))
    assert len(d.nodes()) < 20


def test_big_tree_has_more_than_15_nodes_and_every_edge_is_declared():
    g = flatten(diagram_for("main()", s.big_tree()))
    ids = {n.id for n in g.nodes}
    assert len(ids) == len(g.nodes) >= 15
    assert all(e.src in ids and e.dst in ids for e in g.edges)


def test_expr_src_reads_like_python():
    test = ir.Compare(ir.Attr(ir.Name("response"), "stop_reason"), ("!=",), (ir.Const("tool_use"),))
    assert expr_src(test) == "response.stop_reason != 'tool_use'"
    assert expr_src(ir.UnaryOp("not", ir.Name("done"))) == "not done"
