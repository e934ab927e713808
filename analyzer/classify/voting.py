"""Fan-outs: voting (the same request and input several times, differing only in who answers)
against sectioning, and the call keys that say two requests are the same.
"""

from __future__ import annotations

import dataclasses

from analyzer import ir
from analyzer.classify.consts import Resolver
from analyzer.classify.nodes import Node, Site
from analyzer.classify.verdicts import Summary

_MODEL_KWS = ("model", "model_name", "starting_agent", "agent")


def _same_request(loop: Node, sites: list[Site], resolver: Resolver) -> bool:
    """`for _ in range(n): llm(prompt)`: every iteration sends the same request."""
    it = loop.iterable
    if not (isinstance(it, ir.Call) and ir.dotted(it.func) == "range"):
        return False
    target = loop.loop_target
    names = set()
    if isinstance(target, ir.Name):
        names.add(target.id)
    for s in sites:
        for a in s.call.args:
            for x in ir.walk_expr(a.value):
                if isinstance(x, ir.Name) and x.id in names:
                    return False
        if s.args_tainted:
            return False
    return bool(sites)


def _repeats_one_item(iterable) -> bool:
    """`[question] * 5` or `[q, q, q]`: the same input several times."""
    if isinstance(iterable, ir.BinOp) and iterable.op == "*":
        return any(
            isinstance(side, ir.Seq) and len(side.elts) == 1
            for side in (iterable.left, iterable.right)
        )
    if isinstance(iterable, ir.Seq) and len(iterable.elts) >= 2:
        return len({_expr_key(x) for x in iterable.elts}) == 1
    return False


def _expr_key(e: object) -> object:
    """The structure of an expression without positions or call ids: two calls written
    the same way at different places compare equal (`Runner.run(agent, msg)` three times)."""
    if isinstance(e, tuple):
        return tuple(_expr_key(x) for x in e)
    if dataclasses.is_dataclass(e) and not isinstance(e, type):
        return (type(e).__name__,) + tuple(
            _expr_key(getattr(e, f.name))
            for f in dataclasses.fields(e)
            if f.name not in ("loc", "cid")
        )
    return e


def selector_use(site: Site, e: ir.Expr, summaries: dict[str, Summary] | None = None) -> bool:
    """`e` (an argument of `site`) only picks who answers: the `model=` of a model call,
    the agent a framework run runs, or a parameter the called unit uses that way."""
    call = site.call
    if site.kind == "model":
        if any(call.kwarg(k) is e for k in _MODEL_KWS):
            return True
        if site.model_kind == "framework_run" and call.args and call.args[0].kw is None:
            return call.args[0].value is e
        return False
    for i, a in enumerate(a for a in call.args if a.kw is None):
        if a.value is e:
            return bool(summaries) and all(
                i in summaries[u].selectors for u in site.units if u in summaries
            )
    return False


def _same_input(sites: list[Site], summaries: dict[str, Summary] | None) -> bool:
    """Every branch sends the same request and only who answers differs (several models
    or agents given one prompt, as in mixture-of-agents): the same task and input."""
    keys = set()
    for s in sites:
        args = tuple(
            None if selector_use(s, a.value, summaries) else (a.kw, _expr_key(a.value))
            for a in s.call.args
        )
        func = None if s.model_kind == "framework_run" else _expr_key(s.call.func)
        keys.add((func, args))
    return len(keys) == 1


def _target_selects_only(target, sites: list[Site], summaries) -> bool:
    """The loop variable of a fan-out only picks who answers in every branch."""
    if not isinstance(target, ir.Name):
        return False
    uses = [
        (s, a.value)
        for s in sites
        for a in s.call.args
        if any(isinstance(x, ir.Name) and x.id == target.id for x in ir.walk_expr(a.value))
    ]
    return bool(uses) and all(
        isinstance(v, ir.Name) and selector_use(s, v, summaries) for s, v in uses
    )


def _voting(node: Node, sites: list[Site], iterable, summaries=None) -> bool:
    if _repeats_one_item(iterable):
        return True
    if iterable is not None and not isinstance(iterable, ir.Call):
        comp = next(
            (c for c in node.children if c.kind == "loop"), node if node.kind == "loop" else None
        )
        if comp is not None and _target_selects_only(comp.loop_target, sites, summaries):
            return True
    if isinstance(iterable, ir.Call) and ir.dotted(iterable.func) == "range":
        comp = next(
            (c for c in node.children if c.kind == "loop"), node if node.kind == "loop" else None
        )
        target = comp.loop_target if comp is not None else None
        used = isinstance(target, ir.Name) and any(
            isinstance(x, ir.Name) and x.id == target.id
            for s in sites
            for a in s.call.args
            for x in ir.walk_expr(a.value)
        )
        return not used
    if len(sites) >= 2 and iterable is None:
        keys = {_call_key(s.call) for s in sites}
        return len(keys) == 1 or _same_input(sites, summaries)
    return False


def _call_key(c: ir.Call) -> object:
    return _expr_key((c.func, c.args))


# An agent's display name labels it for people and logs; it is not part of the request.
_LABEL_KWS = ("name",)


def same_but_who_answers(ctors: list[ir.Call]) -> bool:
    """Agents built with the same arguments except who answers (`model=`) and their
    display name: running each on one input is the same request to several models
    (voting, P4), as `Agent(model=a, instructions=I)` and `Agent(model=b, instructions=I)`."""
    if len(ctors) < 2:
        return False
    keys = {
        _expr_key(
            (
                c.func,
                tuple(a for a in c.args if a.kw not in _MODEL_KWS and a.kw not in _LABEL_KWS),
            )
        )
        for c in ctors
    }
    return len(keys) == 1
