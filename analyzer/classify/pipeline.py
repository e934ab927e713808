"""The per-unit pipeline: build a unit's sites (`site_of`) and shape, decide its pattern,
bound, retries and tracing facts (`classify_unit`), and keep them as `UnitFacts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.bound import Bounder
from analyzer.classify.constructs import _has_agentic_args
from analyzer.classify.consts import Resolver
from analyzer.classify.decide import Decider
from analyzer.classify.flags import RetryFact, TraceFact
from analyzer.classify.names import imported_name
from analyzer.classify.nodes import Node, Site
from analyzer.classify.runs import given_later
from analyzer.classify.shape import ShapeBuilder
from analyzer.classify.summaries import _returns_output, _selector_params
from analyzer.classify.taint import Taint
from analyzer.classify.verdicts import Summary
from analyzer.results import Evidence, LLMCall, Status

_STOP_RANK = {"missing": 3, "default": 2, "present": 1, "n/a": 0}


@dataclass
class UnitFacts:
    """Everything learnt about one unit while classifying it (rules read this too)."""

    node: str
    facts: ir.ModuleFacts
    scope: ir.Scope
    root: Node | None
    summary: Summary
    retry_facts: list[RetryFact] = field(default_factory=list)
    trace_facts: list[TraceFact] = field(default_factory=list)
    llm_calls: list[LLMCall] = field(default_factory=list)  # own sites, then callees'
    model_loops: list = field(default_factory=list)  # verdicts.LoopVerdict, this unit's own


class PipelineMixin:
    """The `Classifier`'s per-unit classification and site building."""

    def site_of(self, node: str, facts: ir.ModuleFacts, call: ir.Call) -> Site | None:
        m = self.idx.model_site(facts.path, call.cid)
        if m is not None:
            spec = m.spec
            tools = any(call.kwarg(k) is not None for k in getattr(spec, "tools_kw", ()))
            if getattr(spec, "tools_bound", False):
                # a framework object carries its tools: only agentic ones offer any
                receiver = m.callee.rsplit(".", 1)[0]
                tools = tools or receiver in self.agentic_types
            site = Site(
                call,
                "model",
                api=m.api,
                model_kind=m.kind,
                callee=m.callee,
                tools_offered=tools,
                is_async=bool(getattr(spec, "is_async", False)),
                fanout=bool(getattr(spec, "fanout", False)),
            )
            site.path = facts.path
            if m.kind == "framework_run":
                site.ctor, var, where = self._constructed_by(node, facts, call, m.callee)
                site.ctor_path = where if where != facts.path else ""
                site.ctor_tools = var is not None and (facts.path, var) in self.tool_decorated
                cspec = self._ctor_spec(site)
                site.hands_off = site.ctor is not None and any(
                    site.ctor.kwarg(p) is not None for p in getattr(cspec, "handoff_params", ())
                )
                if site.ctor is not None and getattr(spec, "tools_bound", False):
                    site.tools_offered = bool(
                        cspec is not None
                        and (
                            cspec.agentic
                            or site.ctor_tools
                            or _has_agentic_args(site.ctor, cspec)
                            or given_later(self.idx.modules.get(site.ctor_file), site.ctor, cspec)
                        )
                    )
            return site
        units = tuple(
            sorted(
                self._visible_in_cell(
                    node, {u for u, _ in self.idx.unit_targets(facts.path, call.cid) if u != node}
                )
            )
        )
        if units:
            is_async = all(self._is_async(u) or self._is_future_task(u) for u in units)
            return Site(call, "unit", units=units, is_async=is_async)
        return None

    def _is_future_task(self, node: str) -> bool:
        """A function whose decorator turns a call into a future (LangGraph `@task`)."""
        try:
            facts, scope = self.cg.scope(node)
        except (KeyError, LookupError):
            return False
        for d in scope.decorators:
            name = imported_name(facts, d.func if isinstance(d, ir.Call) else d)
            spec = self.kb.construct(name) if name else None
            if spec is not None and spec.kind == "task":
                return True
        return False

    def _is_async(self, node: str) -> bool:
        try:
            return self.cg.scope(node)[1].is_async
        except (KeyError, LookupError):
            return False

    def call_site_args(self, node: str):
        """For a parameter of `node`: the argument expressions its callers pass, each with
        a resolver for the caller's scope."""

        def lookup(param: str) -> list[tuple[ir.Expr, Resolver]]:
            try:
                _facts, scope = self.cg.scope(node)
            except (KeyError, LookupError):
                return []
            names = [p.name for p in scope.params]
            if param not in names:
                return []
            pos = names.index(param)
            if names and names[0] in ("self", "cls"):
                pos -= 1
            out = []
            for caller in self.cg.callers(node):
                try:
                    cfacts, cscope = self.cg.scope(caller)
                except (KeyError, LookupError):
                    continue
                for call in ir.scope_calls(cscope):
                    if any(
                        t.name == node for t in self.idx.internal_targets(cfacts.path, call.cid)
                    ):
                        arg = call.arg(pos, param)
                        if arg is None:
                            return []
                        out.append((arg, Resolver(cfacts, cscope)))
            return out

        return lookup

    def classify_unit(self, node: str) -> UnitFacts:
        facts, scope, members = self._scope_of(node)
        cells = {sc.cell for sc in members}
        lambdas = {s.qualname: s for s in facts.scopes if s.kind == "lambda" and s.cell in cells}

        def is_source(call: ir.Call) -> bool:
            site = self.site_of(node, facts, call)
            if site is None:
                return False
            if site.kind == "model" or not site.units:
                return True
            # a call into a unit yields model output only if that unit returns some
            return any(
                self.summaries[u].returns_output if u in self.summaries else True
                for u in site.units
            )

        def is_check(call: ir.Call) -> bool:
            internal = self.idx.internal_targets(facts.path, call.cid)
            return bool(internal) and not any(
                self.idx.owner(t.name) in self.idx.units for t in internal
            )

        taint = Taint(scope, is_source, is_check=is_check)
        builder = ShapeBuilder(
            path=facts.path,
            scope=scope,
            site_of=lambda c: self.site_of(node, facts, c),
            externals=lambda c: self.idx.externals(facts.path, c.cid),
            targets=lambda c: self.cg.targets(facts.path, c.cid),
            dispatch_params=lambda c: self._call_dispatch_params(facts.path, c),
            taint=taint,
            lambdas=lambdas,
            unit_reads=self._unit_reads,
            returns_of=lambda c: self._returns_of(facts.path, c),
            callee_effects=lambda c: self._callee_effects(facts.path, c),
            callee_asks=lambda c: self._callee_asks(facts.path, c),
        )
        root = builder.build()
        resolver = Resolver(facts, scope, self.call_site_args(node))
        decision = Decider(
            root,
            self.summaries,
            resolver,
            self.framework_loop,
            builder.top_dispatch,
            construct_run=self.construct_run,
            graph_verdict=self.graph_verdict,
            selects=builder.selects,
        ).decide()
        bound, bound_reason = Bounder(
            self.summaries, resolver, self.framework_loop, self.graph_verdict, self.construct_run
        ).bound(root)
        sites = root.sites() if root is not None else []

        # stop condition: this unit's model-owned loops, then its callees'
        stop = Status("n/a", "")
        verdicts = [(v.status, v.evidence) for v in decision.model_loops]
        for s in sites:
            fw = self.framework_loop(s)
            if fw is not None and not any(v[1] == fw[1] for v in verdicts):
                verdicts.append((fw[0], fw[1]))
            for u in s.units:
                sub = self.summaries.get(u)
                if sub is not None and sub.stop.status != "n/a":
                    verdicts.append((sub.stop.status, sub.stop.evidence))
        if verdicts:
            status, evidence = max(verdicts, key=lambda v: _STOP_RANK[v[0]])
            stop = Status(status, evidence)

        weight = 0
        for s in sites:
            weight += (
                1
                if s.kind == "model"
                else max(
                    (self.summaries[u].weight for u in s.units if u in self.summaries), default=1
                )
            )
        shaped = [
            Evidence(s.line, m.spec.note)
            for s in sites
            if s.kind == "model"
            and (m := self.idx.model_site(facts.path, s.call.cid)) is not None
            and m.spec.note.startswith("recognised by shape")
        ]
        summary = Summary(
            decision.pattern,
            decision.contains,
            tuple(decision.evidence) + tuple(shaped),
            stop,
            bound,
            bound_reason,
            weight,
            _selector_params(scope, sites, self.summaries),
            _returns_output(scope.body, taint, False),
        )
        retry_facts = self._retries(node, facts, scope, root, resolver)
        for f in retry_facts:
            if f.wraps_unit and summary.bound is not None:
                if f.status == "unbounded":
                    summary.bound, summary.bound_reason = None, "retried without a limit"
                elif f.attempts is not None:
                    summary.bound *= f.attempts
                    summary.bound_reason = (
                        f"{f.attempts} attempts x {summary.bound // f.attempts} calls"
                    )
                else:
                    summary.bound, summary.bound_reason = None, "retried until a time limit"
        uf = UnitFacts(node, facts, scope, root, summary)
        uf.model_loops = list(decision.model_loops)
        uf.retry_facts = retry_facts
        uf.trace_facts = self._tracing_calls(scope, facts)
        uf.llm_calls = self._llm_calls(facts, scope, sites)
        return uf

    def _llm_calls(self, facts, scope: ir.Scope, sites: list[Site]) -> list[LLMCall]:
        out = []
        for s in sites:
            if s.kind == "model":
                out.append(LLMCall(s.line, s.api, facts.path, scope.cell))
            else:
                for u in s.units:
                    uf = self.unit_facts.get(u)
                    if uf is None:
                        continue
                    for c in uf.llm_calls:
                        via = c.via or self.cg.graph.nodes[u].get("qualname", u)
                        out.append(LLMCall(c.line, c.api, c.path, c.cell, via))
        seen = set()
        uniq = []
        for c in out:
            key = (c.path, c.cell, c.line, c.api, c.via)
            if key not in seen:
                seen.add(key)
                uniq.append(c)
        return uniq
