"""Workflows built from framework constructs: a construct whose argument holds child
constructs (agno `Workflow(steps=[Parallel(Step(agent=a), Step(agent=b)), ...])`, declared in
the knowledge base with `Construct.children` / `children_mode`) takes its pattern from how
its children run, and its stop condition from the agent loops at its leaves.

Decisions (RULES P2, P4): children that run concurrently are voting when every branch runs
the same agent, or agents built alike except for their model and display name (the same
request repeated, to one model or several), sectioning otherwise; children in sequence are
a chain, except that a fan-out first with only the steps that combine its results after
it is parallelization (the combining steps belong to the pattern); a leaf agent given
tools is an agent loop inside, and its run's bound decides the stop condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.constructs import _has_agentic_args
from analyzer.classify.voting import same_but_who_answers

_PARALLEL = ("parallelization_sectioning", "parallelization_voting")


@dataclass
class Composed:
    """What running a composed construct does."""

    pattern: str
    contains: list[str] = field(default_factory=list)
    agents: list[tuple[ir.Call, object]] = field(default_factory=list)  # leaves with tools


class ComposedMixin:
    """Reads a composed construct's children through the knowledge base (with
    `ConstructsMixin._construct_call` and `RunsMixin._delegate`)."""

    def _children(self, call: ir.Call, spec) -> list[ir.Expr]:
        if spec.children == "*":
            return [a.value for a in call.args if a.kw is None]
        v = call.kwarg(spec.children)
        return list(v.elts) if isinstance(v, ir.Seq) else ([v] if v is not None else [])

    def composed(self, path: str, call: ir.Call, spec, depth: int = 0) -> Composed | None:
        """The pattern of a construct built from children, or None for a leaf."""
        if depth > 8:
            return None
        if getattr(spec, "delegates", ""):
            inner = self._delegate(path, call, spec)
            if inner is not None:
                return self.composed(path, inner[0], inner[1], depth + 1) or self._leaf(*inner)
            return Composed("single_call")
        mode = getattr(spec, "children_mode", "")
        if not mode:
            return self._leaf(call, spec)
        kids = [self._construct_call(path, e) for e in self._children(call, spec)]
        parts = [
            (k, self.composed(path, k[0], k[1], depth + 1) if k is not None else None) for k in kids
        ]
        parts = [(k, p if p is not None else Composed("single_call")) for k, p in parts]
        agents = [a for _, p in parts for a in p.agents]
        inner = [x for _, p in parts for x in (p.pattern, *p.contains) if x != "single_call"]
        if mode == "parallel":
            leaves = [self._leaf_call(path, k) for k, _ in parts]
            same = (
                len(leaves) >= 2
                and all(x is not None for x in leaves)
                and (
                    len({id(x) for x in leaves}) == 1
                    or same_but_who_answers([x for x in leaves if x is not None])
                )
            )
            pattern = "parallelization_voting" if same else "parallelization_sectioning"
            return Composed(pattern, _unique(inner, pattern), agents)
        patterns = [p.pattern for _, p in parts]
        if len(parts) == 1:
            return Composed(patterns[0], _unique(inner, patterns[0]), agents)
        if patterns and patterns[0] in _PARALLEL:
            # a fan-out first, then the steps that combine its results (P4)
            return Composed(patterns[0], _unique(inner, patterns[0]), agents)
        return Composed("prompt_chaining", _unique(inner, "prompt_chaining"), agents)

    def _leaf(self, call: ir.Call, spec) -> Composed:
        """A leaf construct: an agent given tools is a loop of its own."""
        if getattr(spec, "agentic", False) or _has_agentic_args(call, spec):
            return Composed("agent_loop", [], [(call, spec)])
        return Composed("single_call")

    def _leaf_call(self, path: str, kid) -> ir.Call | None:
        """The agent constructor a child finally runs (through Step(agent=...))."""
        while kid is not None and getattr(kid[1], "delegates", ""):
            kid = self._delegate(path, kid[0], kid[1])
        return kid[0] if kid is not None else None


def _unique(items: list[str], outer: str) -> list[str]:
    out: list[str] = []
    for x in items:
        if x != outer and x not in out:
            out.append(x)
    return out
