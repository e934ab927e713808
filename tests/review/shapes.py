"""Hand-made shape trees (the classifier's `Node`) for diagram tests, no analysis needed."""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.shape import Dispatch, Exit, Node, Site


def loc(line: int, end: int | None = None) -> ir.Loc:
    return ir.Loc(line, 4, end if end is not None else line, 40)


def call(line: int, name: str = "client.messages.create") -> ir.Call:
    func: ir.Expr = ir.Name(name.split(".")[0], loc(line))
    for part in name.split(".")[1:]:
        func = ir.Attr(func, part, loc(line))
    return ir.Call(func, (), line, loc(line))


def model(line: int, api: str = "anthropic.messages.create", tools: bool = False) -> Node:
    site = Site(call(line), "model", api=api, model_kind="model", tools_offered=tools)
    return Node("site", loc(line), site=site)


def unit_call(line: int, *units: str) -> Node:
    return Node("site", loc(line), site=Site(call(line, "helper"), "unit", units=units))


def seq(*children: Node) -> Node:
    return Node("seq", ir.NOLOC, children=list(children))


def for_loop(line: int, end: int, iterable: ir.Expr, *children: Node, **kw) -> Node:
    return Node(
        "loop",
        loc(line, end),
        children=list(children),
        loop_kind="for",
        iterable=iterable,
        loop_target=ir.Name("item"),
        **kw,
    )


def while_true(line: int, end: int, *children: Node, **kw) -> Node:
    return Node(
        "loop",
        loc(line, end),
        children=list(children),
        loop_kind="while",
        while_test=ir.Const(True),
        infinite=True,
        **kw,
    )


def branch(line: int, *arms: Node, tainted: bool = True, default: bool = False) -> Node:
    return Node("branch", loc(line), children=list(arms), tainted_test=tainted, has_default=default)


def fan(line: int, *children: Node, iterable: ir.Expr | None = None, tainted=False) -> Node:
    return Node(
        "fan",
        loc(line),
        children=list(children),
        fan_api="asyncio.gather",
        iterable=iterable,
        tainted_iter=tainted,
    )


def stop_exit(line: int, kind: str = "return") -> Exit:
    return Exit(kind, line, tainted=True, counter=False, stop_field=True)


def dispatch(line: int) -> Dispatch:
    return Dispatch(line, True, "calls a function chosen from model output")


def rng(name: str = "MAX_TURNS") -> ir.Expr:
    return ir.Call(ir.Name("range"), (ir.Arg(ir.Name(name)),), 999)


def big_tree() -> Node:
    """A system with more than 15 nodes: route, chain, fan-out, agent loop, evaluator loop."""
    route = branch(
        12,
        seq(model(13), model(14)),
        seq(
            fan(18, model(19), model(20), model(21)),
            model(23),
        ),
        seq(
            for_loop(
                26,
                34,
                rng(),
                model(27, tools=True),
                exits=[stop_exit(29)],
                dispatch=[dispatch(31)],
            )
        ),
        seq(
            while_true(
                37,
                44,
                model(38),
                model(40),
                exits=[Exit("break", 42, True, False, False)],
            )
        ),
        tainted=True,
        default=False,
    )
    return seq(model(10), route, model(47), unit_call(48, "app.py::summarise"))
