"""Bounds: whether a loop has a hard stop (`loop_bounded`), whether its exits are model-owned,
and the upper bound on model calls per run of a unit (`Bounder`).
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer import ir
from analyzer.classify.consts import Resolver, expr_text
from analyzer.classify.nodes import Node, Site
from analyzer.classify.verdicts import Summary


class Bounder:
    """Upper bound on model calls per run of a unit, or why there is none."""

    def __init__(
        self,
        summaries: dict[str, Summary],
        resolver: Resolver,
        framework_loop: Callable[[Site], tuple[str, str, int | None] | None],
        graph_verdict: Callable[[Site], object] = lambda _site: None,
        construct_run: Callable[[Site], tuple | None] = lambda _site: None,
    ) -> None:
        self.summaries = summaries
        self.resolver = resolver
        self.framework_loop = framework_loop
        self.graph_verdict = graph_verdict
        self.construct_run = construct_run

    def bound(self, node: Node | None) -> tuple[int | None, str]:
        if node is None:
            return 0, "no model calls"
        if node.kind == "site":
            return self.site(node.site)  # type: ignore[arg-type]
        if node.kind == "branch":
            values = [self.bound(a) for a in node.children]
            for v, why in values:
                if v is None:
                    return None, why
            return max((v for v, _ in values), default=0), "the costliest branch"  # type: ignore[type-var]
        if node.kind == "loop":
            return self.loop(node)
        if node.kind == "fan" and node.iterable is not None:
            per_item, why = self._sum(node.children)
            if per_item is None:
                return None, why
            n, dep = self.resolver.length(node.iterable)
            if n is None:
                return None, f"depends on {dep}" + (" (model output)" if node.tainted_iter else "")
            return n * per_item, f"fan-out over {n} items"
        return self._sum(node.children)

    def _sum(self, children: list[Node]) -> tuple[int | None, str]:
        total = 0
        reasons = []
        for c in children:
            v, why = self.bound(c)
            if v is None:
                return None, why
            total += v
            if why and c.kind in ("loop", "fan"):
                reasons.append(why)
        return total, "; ".join(reasons)

    def site(self, site: Site) -> tuple[int | None, str]:
        verdict = self.graph_verdict(site)
        if verdict is not None:
            return verdict.bound, verdict.bound_reason
        built = self.construct_run(site)
        if built is not None:
            pattern, (_status, _evidence, calls), *_contains = built
            if calls is None:
                return None, f"{site.api}: {pattern} without a static size"
            return calls, f"{site.api}: {pattern} of at most {calls} calls"
        fw = self.framework_loop(site)
        if fw is not None:
            status, evidence, n = fw
            if n is None and status == "present":
                # a limit is set, from a value the code does not fix (a setting, a
                # variable): bounded, but the count is not known statically (B4)
                return None, f"{site.api} limited by {evidence}, a value set at run time"
            if n is None:
                return None, f"{site.api} without a turn limit"
            return n, f"{site.api} at most {n} turns"
        if site.kind == "model":
            return 1, ""
        values = [self.summaries[u] for u in site.units if u in self.summaries]
        if not values:
            return 1, ""
        worst = None
        for s in values:
            if s.bound is None:
                return None, s.bound_reason
            worst = s.bound if worst is None else max(worst, s.bound)
        return worst, ""

    def loop(self, loop: Node) -> tuple[int | None, str]:
        body_total = 0
        body_unknown = ""
        for c in loop.children:
            v, why = self.bound(c)
            if v is None:
                body_unknown = body_unknown or why
                continue
            body_total += v
        if not body_unknown and body_total == 0:
            return 0, ""
        if not loop.interactive and loop.loop_kind == "while":
            bounded, _, _, _ = loop_bounded(loop, self.resolver)
            if not bounded:  # the loop itself is what has no bound: say so first
                owned = _model_owned(loop)
                return None, "model-decided loop without bound" if owned else "loop without bound"
        if body_unknown:
            return None, body_unknown
        if loop.interactive:
            return body_total, "per user turn"
        if loop.loop_kind in ("for", "comp") and not loop.infinite:
            n, why = self.resolver.length(loop.iterable)
            if n is None:
                if loop.tainted_iter:
                    return None, f"depends on {why} (model output)"
                return None, f"depends on {why}"
            return n * body_total, f"{n} iterations x {body_total} calls"
        bounded, _, n, _ = loop_bounded(loop, self.resolver)
        if bounded and n is not None:
            return n * body_total, f"{n} iterations x {body_total} calls"
        if _model_owned(loop) or loop.infinite:
            return None, "model-decided loop without bound" if _model_owned(
                loop
            ) else "loop without bound"
        return None, "loop whose iterations are not static"


def _model_owned(loop: Node) -> bool:
    return any(e.tainted for e in loop.exits) or loop.test_tainted


def loop_bounded(loop: Node, resolver: Resolver) -> tuple[bool, str, int | None, str]:
    """(hard bound present, evidence, iteration count or None, what the count depends on)."""
    if loop.loop_kind in ("for", "comp") and not loop.infinite:
        n, why = resolver.length(loop.iterable)
        text = expr_text(loop.iterable)
        if loop.tainted_iter:
            return True, f"iterates over model output {text} (finite)", n, why
        return True, f"for loop over {text} (line {loop.loc.line})", n, why
    if loop.test_counter:
        n = _counter_limit(loop, resolver)
        why = f"the loop test compares a counter or clock (line {loop.loc.line})"
        return True, why, n, "a counter limit"
    exit_ = next((e for e in loop.exits if e.counter), None)
    if exit_ is not None:
        n = _counter_limit(loop, resolver)
        why = f"leaves when a counter, clock or budget passes its limit (line {exit_.line})"
        return True, why, n, "a counter limit"
    if loop.optional_limit:
        why = f"its limit applies only when set: it is None or infinite by default (line {loop.loc.line})"
        return False, why, None, "no bound on the default path"
    return False, f"no iteration, time or budget limit (line {loop.loc.line})", None, "no bound"


def _counter_limit(loop: Node, resolver: Resolver) -> int | None:
    tests = [loop.while_test] if loop.while_test is not None else []
    tests += [g for e in loop.exits if e.counter for g in e.guards]
    for t in tests:
        for x in ir.walk_expr(t):
            if isinstance(x, ir.Compare):
                for side in (x.left, *x.comparators):
                    v = resolver.const_int(side)
                    if v is not None and v > 0:
                        return v
    return None
