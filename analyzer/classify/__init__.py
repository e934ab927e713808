"""Classify every unit: pattern, sequence owner, stop condition, retries, tracing, bound.

Units are processed callees first, so a unit that calls another sees its summary (a
wrapper `llm()` counts as one model call; a `main()` that runs a router is a router).
Flags describe the unit as it runs from its systems: retries and stop conditions roll up
from callees (worst wins), tracing also comes down from callers and from process-wide
instrumentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import networkx as nx

from analyzer import ir
from analyzer.classify.consts import Resolver, expr_text
from analyzer.classify.decide import (
    Bounder,
    Decider,
    Summary,
    is_rerequest,
    loop_bounded,
    selector_use,
)
from analyzer.classify.flags import RetryFact, TraceFact, loop_retry_fact, retry_fact, worst_retry
from analyzer.classify.names import imported_name
from analyzer.classify.shape import Node, ShapeBuilder, Site, asks_a_person
from analyzer.classify.sites import SiteIndex
from analyzer.classify.taint import Taint, target_names
from analyzer.results import Evidence, LLMCall, Status, Unit

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
    model_loops: list = field(default_factory=list)  # decide.LoopVerdict, this unit's own


class Classifier:
    def __init__(self, project, cg, kb) -> None:
        self.project = project
        self.cg = cg
        self.kb = kb
        self.idx = SiteIndex(project, cg, kb)
        self.summaries: dict[str, Summary] = {}
        self.unit_facts: dict[str, UnitFacts] = {}
        self._dispatch_params: dict[str, dict[str, int]] = {}
        self._client_retry_cache: dict[str, list[RetryFact]] = {}
        self._effects_cache: dict[tuple[str, int], tuple[set[str], int]] = {}
        self._asks_cache: dict[tuple[str, int], bool] = {}
        self.agentic_types, self.ctor_bounds = self._scan_constructs()
        self.tool_decorated = self._tool_decorated()
        self.graphs = self._framework_graphs()
        self._run_callees()
        self.cell_groups = self._cell_groups()
        self.global_trace = self._global_tracing()
        self._links = self._import_links()
        self._imports_of = self._imported_files()
        self.tracing_off = self._tracing_switched_off()

    # ---------------------------------------------------------------- project scans

    def _all_calls(self):
        for node, facts, scope in self.idx.scope_nodes():
            for call in ir.scope_calls(scope):
                yield node, facts, scope, call
            for d in scope.decorators:
                for x in ir.walk_expr(d):
                    if isinstance(x, ir.Call):
                        yield node, facts, scope, x

    def _scan_constructs(self):
        """Framework types whose instances get tools (agents) and bounds set at construction."""
        agentic: set[str] = set()
        bounds: dict[str, list[tuple[str, ir.Expr, int]]] = {}
        for _node, facts, _scope, call in self._all_calls():
            for ext in self.idx.externals(facts.path, call.cid):
                spec = self.kb.construct(ext)
                if spec is None:
                    continue
                typ = self.kb.canonical(ext)
                if spec.agentic:
                    agentic.add(typ)
                for p in spec.agentic_params:
                    v = call.kwarg(p)
                    if (
                        v is not None
                        and not (isinstance(v, ir.Seq) and not v.elts)
                        and not (isinstance(v, ir.Const) and v.value is None)
                    ):
                        agentic.add(typ)
                if spec.kind == "tool" and spec.decorator and "." in typ:
                    owner = typ.rsplit(".", 1)[0]
                    if self.kb.construct(owner) is not None:
                        agentic.add(owner)
                for b in spec.bounds:
                    v = call.kwarg(b.param)
                    if v is not None:
                        bounds.setdefault(typ, []).append((b.param, v, call.loc.line))
        return agentic, bounds

    def _framework_graphs(self) -> dict:
        """Workflows declared through a framework API (LangGraph builders, crewAI flows),
        keyed by the call that runs them; the run calls the graph's functions."""
        from analyzer.classify.graphs import framework_graphs

        try:
            graphs = framework_graphs(
                self.project, self.cg, self.kb, is_unit=lambda n: n in self.idx.units
            )
        except RecursionError:
            return {}
        edges = []
        for (path, cid), verdict in graphs.items():
            for node, facts, scope in self.idx.scope_nodes():
                if facts.path == path and any(c.cid == cid for c in ir.scope_calls(scope)):
                    edges += [(node, n) for n in verdict.nodes]
                    break
        if edges:
            self.idx.add_runs(edges)
        return graphs

    def _run_callees(self) -> None:
        """A framework run calls the project functions its agent was given (tools,
        guardrails): edges from the run's scope to them, so a tool's model calls are the
        run's and the tool is no system of its own."""
        edges = []
        for node, facts, _scope, call in self._all_calls():
            m = self.idx.model_site(facts.path, call.cid)
            if m is None or m.kind != "framework_run":
                continue
            ctor, _ = self._constructed_by(node, facts, call, m.callee)
            for fn in self._given_functions(facts, ctor):
                edges.append((node, fn))
        if edges:
            self.idx.add_runs(edges)

    def _given_functions(self, facts: ir.ModuleFacts, ctor: ir.Call | None) -> list[str]:
        """Project functions passed to a framework constructor in the arguments its runs
        call (KB `calls_params`): `Agent(tools=[search], input_guardrails=[check])`."""
        if ctor is None:
            return []
        spec = next(
            (
                self.kb.construct(e)
                for e in self.idx.externals(facts.path, ctor.cid)
                if self.kb.construct(e) is not None
            ),
            None,
        )
        if spec is None:
            return []
        params = spec.calls_params or tuple(
            p for p in spec.agentic_params if p not in spec.handoff_params
        )
        out = []
        for p in params:
            v = ctor.kwarg(p)
            for e in v.elts if isinstance(v, ir.Seq) else ():
                name = ir.dotted(e)
                if name and "." not in name:
                    nid = self.cg.node_id(facts.path, name, None)
                    if nid in self.cg.graph:
                        out.append(nid)
                    else:
                        out += [
                            n
                            for n, a in self.cg.graph.nodes(data=True)
                            if a.get("path") == facts.path
                            and a.get("qualname") == name
                            and a.get("kind") == "function"
                        ][-1:]
        return out

    def graph_verdict(self, site: Site):
        return self.graphs.get((site.path, site.call.cid)) if site.kind == "model" else None

    def _tool_decorated(self) -> set[tuple[str, str]]:
        """(path, name) of framework objects given tools by decorators (`@agent.tool`)."""
        out = set()
        for m in self.project.modules:
            for sc in m.scopes:
                for d in sc.decorators:
                    head = d.func if isinstance(d, ir.Call) else d
                    dotted = ir.dotted(head) or ""
                    obj, _, attr = dotted.rpartition(".")
                    if obj and attr.startswith("tool"):
                        out.add((m.path, obj))
        return out

    def _tracing_calls(self, scope: ir.Scope, facts: ir.ModuleFacts) -> list[TraceFact]:
        out = []
        for d in scope.decorators:
            # a bare decorator (`@traceable`, `@weave.op`) is no call site: resolve its name
            name = imported_name(facts, d)
            spec = self.kb.tracing(name) if name else None
            if spec is not None and getattr(spec, "counts", True) and spec.kind != "switch":
                out.append(
                    TraceFact(
                        d.loc.line,
                        spec.scope,
                        f"@{_short(name)} (line {d.loc.line})",
                        kind=spec.kind,
                        path=facts.path,
                    )
                )
        exprs: list[ir.Expr] = list(scope.decorators)
        for call in ir.scope_calls(scope):
            exprs.append(call)
        for e in exprs:
            for x in ir.walk_expr(e):
                names = []
                if isinstance(x, ir.Call):
                    names = self.idx.externals(facts.path, x.cid)
                for name in names:
                    spec = self.kb.tracing(name)
                    if spec is None or not getattr(spec, "counts", True):
                        continue
                    disables = bool(spec.kind == "switch" and _holds_any(spec.disables_when, x))
                    enables = bool(spec.kind == "switch" and _holds_any(spec.enables_when, x))
                    if spec.kind == "switch" and not (disables or enables):
                        continue
                    # a construct switched to trace itself is traced wherever it runs
                    scope_kind = "global" if enables else spec.scope
                    out.append(
                        TraceFact(
                            x.loc.line,
                            scope_kind,
                            f"{_short(name)} (line {x.loc.line})",
                            disables,
                            kind=spec.kind,
                            path=facts.path,
                        )
                    )
        return out

    def _global_tracing(self) -> list[TraceFact]:
        """Instrumentation that covers the whole process once it runs (module bodies,
        drop-in imports such as `langfuse.openai`)."""
        out = []
        for m in self.project.modules:
            for imp in m.imports:
                spec = self.kb.tracing(imp.target)
                if spec is not None and "import" in spec.forms and spec.counts:
                    out.append(
                        TraceFact(
                            imp.loc.line,
                            "global",
                            f"import {imp.target} ({m.path})",
                            kind="import",
                            path=m.path,
                        )
                    )
        for _node, facts, scope in self.idx.scope_nodes():
            for f in self._tracing_calls(scope, facts):
                if f.scope == "global" and not f.disables:
                    out.append(replace(f, evidence=f"{f.evidence} in {facts.path}"))
        return out

    def _import_links(self) -> dict[str, set[str]]:
        """path -> paths of project files it imports or that import it (transitively):
        set-up done at import time or at start-up covers the code these files run."""
        by_module = {m.module: m.path for m in self.project.modules}
        g = nx.Graph()
        for m in self.project.modules:
            g.add_node(m.path)
            for imp in m.imports:
                parts = imp.target.split(".")
                for i in range(len(parts), 0, -1):
                    hit = by_module.get(".".join(parts[:i]))
                    if hit is not None:
                        g.add_edge(m.path, hit)
                        break
        return {p: set(nx.node_connected_component(g, p)) for p in g.nodes}

    def _global_for(self, path: str) -> TraceFact | None:
        linked = self._links.get(path, {path})
        for f in self.global_trace:
            if f.path in linked or f.path == path:
                return f
        return None

    def _tracing_switched_off(self) -> list[tuple[str, str, bool]]:
        """(node, path, at module level) of every scope that switches framework tracing
        off (`set_tracing_disabled(True)`)."""
        out = []
        for node, facts, scope in self.idx.scope_nodes():
            if any(f.disables for f in self._tracing_calls(scope, facts)):
                out.append((node, facts.path, scope.kind == "module"))
        return sorted(out)

    def _imported_files(self) -> dict[str, set[str]]:
        """path -> the project files it imports, transitively (their import-time code runs
        whenever it does), itself included."""
        by_module = {m.module: m.path for m in self.project.modules}
        g = nx.DiGraph()
        for m in self.project.modules:
            g.add_node(m.path)
            for imp in m.imports:
                parts = imp.target.split(".")
                for i in range(len(parts), 0, -1):
                    hit = by_module.get(".".join(parts[:i]))
                    if hit is not None:
                        g.add_edge(m.path, hit)
                        break
        return {p: {p} | nx.descendants(g, p) for p in g.nodes}

    def _tracing_off_for(self, node: str, reach: set[str]) -> bool:
        """Tracing switched off by what this unit's own program runs: a switch in code it
        reaches, in a caller, or at import time of a file its file imports. Another
        program in the same folder switching it off changes nothing here."""
        if not self.tracing_off:
            return False
        path = self.cg.graph.nodes[node].get("path", "")
        imported = self._imports_of.get(path, {path})
        callers = set(self._ancestors(node))
        return any(
            n in reach or n in callers or (at_module and p in imported)
            for n, p, at_module in self.tracing_off
        )

    # ---------------------------------------------------------------- dispatch params

    def dispatch_params(self, node: str) -> dict[str, int]:
        """Parameters of a (non-unit) function that select which function it calls."""
        if node in self._dispatch_params:
            return self._dispatch_params[node]
        self._dispatch_params[node] = {}
        try:
            facts, scope = self.cg.scope(node)
        except (KeyError, LookupError):
            return {}
        params = [p.name for p in scope.params if p.name not in ("self", "cls")]
        derived = _derived_from(scope, params)
        found: dict[str, int] = {}
        for call in ir.scope_calls(scope):
            keys: list[ir.Expr] = []
            for t in self.cg.targets(facts.path, call.cid):
                if getattr(t, "dynamic", False) and getattr(t, "key", None) is not None:
                    keys.append(t.key)
            if isinstance(call.func, ir.Subscript):
                keys.append(call.func.index)
            if isinstance(call.func, ir.Call) and ir.dotted(call.func.func) == "getattr":
                if len(call.func.args) >= 2:
                    keys.append(call.func.args[1].value)
            for k in keys:
                for x in ir.walk_expr(k):
                    if isinstance(x, ir.Name):
                        for p in derived.get(x.id, ()):
                            found[p] = params.index(p)
        self._dispatch_params[node] = found
        return found

    def _call_dispatch_params(self, path: str, call: ir.Call) -> list[int | str]:
        out: list[int | str] = []
        for t in self.idx.internal_targets(path, call.cid):
            for name, pos in self.dispatch_params(t.name).items():
                out += [pos, name]
        return out

    # ---------------------------------------------------------------- framework runs

    def _run_specs(self, site: Site):
        """(run spec, constructor spec, agentic) for a framework run: what is run, how it
        was built, and whether the model gets tools to choose from."""
        run = self.kb.construct(site.callee)
        receiver = site.callee.rsplit(".", 1)[0]
        ctor_spec = self._ctor_spec(site)
        if site.ctor is not None and ctor_spec is not None:
            built = site.ctor
            inner = self._delegate(site.path, built, ctor_spec)
            if inner is not None:
                built, ctor_spec = inner
        elif run is not None and run.kind in ("agent", "workflow") and site.ctor is None:
            # a function that is itself the construct (`agent_loop(model, q, tools=...)`)
            ctor_spec, built = run, site.call
        else:
            built = None
        if built is not None:
            agentic = (
                bool(ctor_spec.agentic) or site.ctor_tools or _has_agentic_args(built, ctor_spec)
            )
            if agentic and self._leaf_handoffs(site, built, ctor_spec):
                agentic = False  # the model picks one leaf agent: routing, no loop
        else:
            agentic = receiver in self.agentic_types
            ctor_spec = self.kb.construct(receiver)
        return run, ctor_spec, agentic

    def framework_loop(self, site: Site) -> tuple[str, str, int | None] | None:
        """For a framework run of an agent: (stop status, evidence, bound on calls)."""
        if site.kind != "model" or site.model_kind != "framework_run":
            return None
        run, ctor, agentic = self._run_specs(site)
        if not agentic:
            return None
        return self._bounded_by(site, run, ctor, "turn")

    def construct_run(self, site: Site) -> tuple[str, tuple[str, str, int | None]] | None:
        """A framework construct that implements a workflow pattern (RouterQueryEngine,
        the reference runtime's chain/vote/...): its pattern and (stop, evidence, calls)."""
        if site.kind != "model" or site.model_kind != "framework_run":
            return None
        run, ctor, agentic = self._run_specs(site)
        leaves = (
            self._leaf_handoffs(site, site.ctor, ctor)
            if site.ctor is not None and ctor is not None
            else None
        )
        if leaves:
            why = f"hands off to one of {leaves} agent(s) with no tools: the model routes"
            return "routing", ("n/a", why, 2)
        together = [
            p
            for p in getattr(ctor, "parallel_params", ())
            if site.ctor is not None
            and isinstance(site.ctor.kwarg(p), ir.Seq)
            and site.ctor.kwarg(p).elts
        ]
        if together and not agentic:
            why = f"{together[0]} run concurrently with the agent's model call"
            return "parallelization_sectioning", ("n/a", why, None)
        spec = ctor if ctor is not None and getattr(ctor, "pattern", "") else run
        pattern = getattr(spec, "pattern", "") if spec is not None else ""
        if not pattern or (agentic and pattern == "agent_loop"):
            return None
        status, evidence, n = self._bounded_by(site, run, spec, "round")
        fixed = getattr(spec, "fixed_calls", None)
        count = getattr(spec, "count_arg", None)
        if fixed is not None:
            n = fixed
        elif count is not None:
            items = site.call.arg(count[1], count[0])
            n = len(items.elts) if isinstance(items, ir.Seq) else None
        elif n is not None:
            n = n * getattr(spec, "calls_per_round", 1) + getattr(spec, "extra_calls", 0)
        if pattern not in ("evaluator_optimizer", "agent_loop"):
            status = "n/a"
        return pattern, (status, evidence, n)

    def _bounded_by(self, site: Site, run, ctor, what: str) -> tuple[str, str, int | None]:
        """Stop status from the limits a run was given or defaults to."""
        receiver = site.callee.rsplit(".", 1)[0]
        bounds = list(run.bounds) if run is not None else []
        if ctor is not None and ctor is not run:
            bounds += list(ctor.bounds)
        soft = ""
        for b in [b for b in bounds if not getattr(b, "ends_loop", True)]:
            given = site.call.kwarg(b.param) or (
                site.ctor.kwarg(b.param) if site.ctor is not None else None
            )
            if given is not None:
                soft = f"{b.param}={expr_text(given)} (line {given.loc.line}) does not end the loop: {b.on_hit}"
        bounds = [
            b
            for b in bounds
            if getattr(b, "ends_loop", True)
            and (
                not getattr(b, "only_when", ())
                or (site.ctor is not None and any(_arg_is(site.ctor, k, v) for k, v in b.only_when))
            )
        ]
        if not bounds:
            return "missing", soft or f"{_short(site.callee)} has no {what} limit", None
        for b in bounds:
            given = site.call.kwarg(b.param)
            if given is None and b.container:
                box = self._module_value(site.path, site.call.kwarg(b.container))
                given = _dict_value(box, b.param)
            if given is None and b.where == "config":
                box = self._module_value(site.path, site.call.kwarg("config"))
                given = _dict_value(box, b.param)
            if given is None and site.ctor is not None:
                given = site.ctor.kwarg(b.param)
            if given is None and b.container and site.ctor is not None:
                # a collaborator built with the limit: manager=RoundRobinManager(max_rounds=5)
                box = self._module_value(site.path, site.ctor.kwarg(b.container))
                given = _dict_value(box, b.param)
            if given is None and site.ctor is None:
                for param, v, _line in self.ctor_bounds.get(receiver, []):
                    if param == b.param:
                        given = v
                        break
            if given is not None:
                value = given.value if isinstance(given, ir.Const) else None
                if isinstance(given, ir.Const) and (value is None or value in b.unbounded_values):
                    return "missing", f"{b.param}={value!r} switches the limit off", None
                n = value + b.extra_calls if isinstance(value, int) else None
                return "present", f"{b.param}={expr_text(given)} (line {given.loc.line})", n
        b = bounds[0]
        note = (
            getattr(run, "default_bound_note", "") if run is not None else ""
        ) or f"{b.param} defaults to {b.default}"
        if b.default is None:
            return "missing", f"{_short(site.callee)}: {b.param} has no default limit", None
        n = int(b.default) + b.extra_calls if isinstance(b.default, (int, float)) else None
        # a limit the library enforces and never lets be switched off is a hard bound
        return ("present" if getattr(b, "enforced", False) else "default"), note, n

    # ---------------------------------------------------------------- units

    def order(self) -> list[str]:
        sub = self.idx.graph.subgraph(self.idx.units)
        cond = nx.condensation(sub)
        out = []
        for comp in reversed(list(nx.topological_sort(cond))):
            out += sorted(cond.nodes[comp]["members"])
        return out

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
                site.ctor, var = self._constructed_by(node, facts, call, m.callee)
                site.ctor_tools = var is not None and (facts.path, var) in self.tool_decorated
                cspec = self._ctor_spec(site)
                site.hands_off = site.ctor is not None and any(
                    site.ctor.kwarg(p) is not None for p in getattr(cspec, "handoff_params", ())
                )
                if site.ctor is not None and getattr(spec, "tools_bound", False):
                    site.tools_offered = bool(
                        cspec is not None
                        and (
                            cspec.agentic or site.ctor_tools or _has_agentic_args(site.ctor, cspec)
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

    def _returns_of(self, path: str, call: ir.Call) -> list[ir.Expr]:
        """What the project functions a call reaches return (for helper predicates)."""
        out = []
        for t in self.idx.internal_targets(path, call.cid):
            try:
                scope = self.cg.scope(t.name)[1]
            except (KeyError, LookupError):
                continue
            out += [
                st.value
                for st in ir.walk_stmts(scope.body)
                if isinstance(st, ir.Return) and st.value is not None
            ]
        return out

    def _callee_asks(self, path: str, call: ir.Call) -> bool:
        """A project function the call reaches (four calls deep, units included) waits for
        a person: the loop around the call is a conversation, judged per turn (S4)."""
        key = (path, call.cid)
        if key not in self._asks_cache:
            self._asks_cache[key] = False
            todo = [(t.name, 0) for t in self.idx.internal_targets(path, call.cid)]
            seen: set[str] = set()
            found = False
            while todo and not found:
                n, depth = todo.pop(0)
                if n in seen or len(seen) > 40:
                    continue
                seen.add(n)
                try:
                    facts, scope = self.cg.scope(n)
                except (KeyError, LookupError):
                    continue
                for c in ir.scope_calls(scope):
                    if asks_a_person(c, self.idx.externals(facts.path, c.cid)):
                        found = True
                        break
                    if depth < 4:
                        todo += [
                            (t.name, depth + 1)
                            for t in self.idx.internal_targets(facts.path, c.cid)
                        ]
            self._asks_cache[key] = found
        return self._asks_cache[key]

    def _callee_effects(self, path: str, call: ir.Call) -> tuple[set[str], int]:
        """What the project functions a call reaches (three calls deep) do to shared state:
        the `self.`/global names they advance, and the line of a raise guarded by a
        comparison of such a name (a step, cost or budget limit kept by the callee)."""
        key = (path, call.cid)
        if key in self._effects_cache:
            return self._effects_cache[key]
        self._effects_cache[key] = (set(), 0)  # recursion guard
        scopes = []
        todo = [t.name for t in self.idx.internal_targets(path, call.cid)]
        seen: set[str] = set()
        while todo and len(seen) < 12:
            n = todo.pop(0)
            if n in seen:
                continue
            seen.add(n)
            try:
                facts, scope = self.cg.scope(n)
            except (KeyError, LookupError):
                continue
            scopes.append(scope)
            if len(seen) < 4:
                for c in ir.scope_calls(scope):
                    todo += [t.name for t in self.idx.internal_targets(facts.path, c.cid)]
        advanced: set[str] = set()
        for sc in scopes:
            shared = {
                n for st in ir.walk_stmts(sc.body) if isinstance(st, ir.Global) for n in st.names
            }
            for st in ir.walk_stmts(sc.body):
                if isinstance(st, ir.Assign) and st.op in ("+", "-"):
                    for t in st.targets:
                        name = ir.dotted(t) or ""
                        if name.startswith("self.") or name in shared:
                            advanced.add(name)
        line = 0
        for sc in scopes:
            for st in ir.walk_stmts(sc.body):
                if (
                    isinstance(st, ir.If)
                    and any(isinstance(x, ir.Compare) for x in ir.walk_expr(st.test))
                    and any(
                        ir.dotted(x) in advanced
                        for x in ir.walk_expr(st.test)
                        if isinstance(x, (ir.Name, ir.Attr))
                    )
                    and any(isinstance(b, ir.Raise) for b in st.body)
                ):
                    line = line or st.loc.line
        self._effects_cache[key] = (advanced, line)
        return advanced, line

    def _visible_in_cell(self, node: str, units: set[str]) -> set[str]:
        """In notebooks and Markdown, a name redefined in a later cell is a new function:
        a call sees the latest definition made at or before its own cell."""
        attrs = self.cg.graph.nodes
        cell = attrs[node].get("cell")
        if cell is None or len(units) < 2:
            return units
        by_name: dict[tuple[str, str], list[str]] = {}
        for u in units:
            a = attrs[u]
            by_name.setdefault((a.get("path", ""), a.get("qualname", "")), []).append(u)
        out = set()
        for group in by_name.values():
            cells = [(attrs[u].get("cell"), u) for u in group]
            earlier = [(c, u) for c, u in cells if c is not None and c <= cell]
            out.add(max(earlier)[1] if earlier else min(cells, key=lambda x: (x[0] or 0, x[1]))[1])
        return out

    def _unit_reads(self, units: tuple[str, ...]) -> set[str]:
        out: set[str] = set()
        for u in units:
            try:
                out |= _names_read(self.cg.scope(u)[1])
            except (KeyError, LookupError):
                continue
        return out

    def _module_value(self, path: str, e: ir.Expr | None) -> ir.Expr | None:
        """A module-level name's single assigned value (`limits = UsageLimits(...)`)."""
        facts = self.idx.modules.get(path)
        if isinstance(e, ir.Name) and facts is not None:
            module = facts.scope("<module>") or next(
                (s for s in facts.scopes if s.kind == "module"), None
            )
            if module is not None:
                return Resolver(facts, module).value_of(e.id) or e
        return e

    def _delegate(self, path: str, built: ir.Call, spec):
        """(constructor call, spec) of the construct a runner runs (`Runner(agent=team)`),
        when the KB says which argument holds it and that argument can be read."""
        name = getattr(spec, "delegates", "")
        if not name:
            return None
        arg = built.kwarg(name)
        facts = self.idx.modules.get(path)
        if isinstance(arg, ir.Name) and facts is not None:
            arg = _assigned_call(facts, None, arg.id, built.loc.line)
        if not isinstance(arg, ir.Call):
            return None
        for e in self.idx.externals(path, arg.cid):
            inner = self.kb.construct(e)
            if inner is not None:
                return arg, inner
        return None

    def _leaf_handoffs(self, site: Site, built: ir.Call, spec) -> int:
        """How many agents a run can hand off to when handoffs are its only agentic
        arguments and every target is a leaf (no tools, no handoffs, none added later):
        the model picks one of them and that agent answers (RULES P7). 0 otherwise."""
        hand = getattr(spec, "handoff_params", ())
        if not hand:
            return 0
        when = getattr(spec, "handoff_when", ())
        if when and not any(_arg_is(built, kw, values) for kw, values in when):
            return 0
        others = replace(
            spec, agentic_params=tuple(p for p in spec.agentic_params if p not in hand)
        )
        if (spec.agentic and not when) or site.ctor_tools or _has_agentic_args(built, others):
            return 0
        facts = self.idx.modules.get(site.path)
        if facts is None:
            return 0
        late = _late_additions(facts, spec.agentic_params)
        targets: list[ir.Expr] = []
        for p in hand:
            v = built.kwarg(p)
            if isinstance(v, ir.Seq):
                targets += list(v.elts)
            elif v is not None:
                return 0
        for owner, values in late.items():
            if owner and _assigned_call(facts, None, owner, 10**9) is built:
                for v in values:
                    targets += list(v.elts) if isinstance(v, ir.Seq) else [v]
        if not targets:
            return 0
        for t in targets:
            if isinstance(t, ir.Call) and t.args:
                t = t.kwarg("agent") or t.args[0].value  # `handoff(agent)` wraps an agent
            tname = ir.dotted(t)
            ctor = t if isinstance(t, ir.Call) else None
            if ctor is None and tname:
                ctor = _assigned_call(facts, None, tname, 10**9)
            if ctor is None or (tname and tname in late):
                return 0
            tspec = next(
                (
                    self.kb.construct(e)
                    for e in self.idx.externals(site.path, ctor.cid)
                    if self.kb.construct(e) is not None
                ),
                None,
            )
            if tspec is None or tspec.agentic or _has_agentic_args(ctor, tspec):
                return 0
        return len(targets)

    def _ctor_spec(self, site: Site):
        if site.ctor is None:
            return None
        for ext in self.idx.externals(site.path, site.ctor.cid):
            spec = self.kb.construct(ext)
            if spec is not None:
                return spec
        return None

    def _constructed_by(
        self, node: str, facts: ir.ModuleFacts, call: ir.Call, callee: str
    ) -> tuple[ir.Call | None, str | None]:
        """The constructor call that built the object a framework run runs, and the name
        it was bound to: `agent = CodeAgent(...); agent.run(q)`, `Runner.run(agent, q)`."""
        run = self.kb.construct(callee)
        target: ir.Expr | None = None
        if run is not None and run.runs is not None:
            param, pos = run.runs
            target = call.arg(pos if pos is not None else -1, param)
        if target is None and isinstance(call.func, ir.Attr):
            target = call.func.value
        if isinstance(target, ir.Call):
            return target, None
        name = ir.dotted(target) if target is not None else None
        if name is None:
            return None, None
        try:
            scope = self.cg.scope(node)[1]
        except (KeyError, LookupError):
            return None, name
        found = _assigned_call(facts, scope, name, call.loc.line)
        return (self._factory_made(facts, found) if found is not None else None), name

    def _factory_made(self, facts: ir.ModuleFacts, call: ir.Call) -> ir.Call:
        """`agent = make_agent(...)` where `make_agent` (in the same file) returns
        `ChatAgent(...)`: the constructor call inside the factory is what was built."""
        if any(self.kb.construct(e) for e in self.idx.externals(facts.path, call.cid)):
            return call
        for t in self.idx.internal_targets(facts.path, call.cid):
            try:
                tfacts, scope = self.cg.scope(t.name)
            except (KeyError, LookupError):
                continue
            if tfacts.path != facts.path:
                continue
            for st in ir.walk_stmts(scope.body):
                v = st.value if isinstance(st, ir.Return) else None
                if isinstance(v, ir.Name):
                    v = _assigned_call(facts, scope, v.id, st.loc.line)
                if isinstance(v, ir.Call) and any(
                    self.kb.construct(e) for e in self.idx.externals(facts.path, v.cid)
                ):
                    return v
        return call

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

    # ---------------------------------------------------------------- notebook cells

    def _cell_groups(self) -> dict[str, list[str]]:
        """Top-level code of notebook cells (and Markdown blocks) that consumes model output
        produced by an earlier cell's top-level code joins that cell's unit (DESIGN §4)."""
        groups: dict[str, list[str]] = {}
        for m in self.project.modules:
            if m.kind not in ("ipynb", "md"):
                continue
            open_groups: list[tuple[str, set[str]]] = []  # (first node, model-output names)
            for sc in (x for x in m.scopes if x.kind == "module"):
                node = self.cg.node_id(m.path, "<module>", sc.cell)
                # names the cell (its top level or a function it defines) reads without
                # binding them itself: values that come from earlier cells
                reads = set().union(*(_free_reads(x) for x in m.scopes if x.cell == sc.cell))
                reads -= _names_bound(sc)
                joined = next((g for g in open_groups if g[1] & reads), None)

                def is_source(call: ir.Call, node=node, m=m) -> bool:
                    return self.site_of(node, m, call) is not None

                if joined is not None:
                    groups.setdefault(joined[0], [joined[0]]).append(node)
                    joined[1].update(Taint(sc, is_source, seeded=frozenset(joined[1])).names)
                elif node in self.idx.units:
                    names = Taint(sc, is_source).names
                    if names:
                        open_groups.append((node, set(names)))
        return {rep: members for rep, members in groups.items() if len(members) > 1}

    def _scope_of(self, node: str) -> tuple[ir.ModuleFacts, ir.Scope, list[ir.Scope]]:
        """The unit's facts and scope; a joined notebook unit gets its cells' bodies in order."""
        facts, scope = self.cg.scope(node)
        members = [self.cg.scope(n)[1] for n in self.cell_groups.get(node, [node])]
        if len(members) > 1:
            body = tuple(st for sc in members for st in sc.body)
            loc = ir.Loc(scope.loc.line, 0, scope.loc.end_line, 0)
            scope = replace(scope, body=body, loc=loc)
        return facts, scope, members

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

    def _retry_calls(self, facts, exprs, *, wraps_unit: bool) -> list[RetryFact]:
        out: list[RetryFact] = []
        for e in exprs:
            for x in ir.walk_expr(e):
                if not isinstance(x, ir.Call):
                    continue
                for ext in self.idx.externals(facts.path, x.cid):
                    spec = self.kb.retry(ext)
                    if spec is None or spec.kind in ("stop", "stop_any", "stop_all"):
                        continue
                    fact = retry_fact(
                        x, spec, lambda c: self.idx.externals(facts.path, c.cid), self.kb
                    )
                    if fact is not None:
                        out.append(
                            replace(fact, wraps_unit=wraps_unit and spec.kind == "decorator")
                        )
                    break
        return out

    def _client_retries(self, facts: ir.ModuleFacts) -> list[RetryFact]:
        """Clients built with an explicit `max_retries` anywhere in a module (module level
        or in `__init__`) retry every model call made through that module's clients."""
        if facts.path not in self._client_retry_cache:
            found = []
            for scope in facts.scopes:
                for f in self._retry_calls(facts, list(ir.scope_calls(scope)), wraps_unit=False):
                    found.append(f)
            self._client_retry_cache[facts.path] = [
                f for f in found if "max_retries" in f.evidence or "num_retries" in f.evidence
            ]
        return self._client_retry_cache[facts.path]

    def _bare_retry_decorators(self, facts, scope) -> list[RetryFact]:
        """`@retry` without parentheses: tenacity's defaults, which retry forever."""
        out = []
        for d in scope.decorators:
            if isinstance(d, ir.Call):
                continue
            name = imported_name(facts, d)
            spec = self.kb.retry(name) if name else None
            if spec is not None and spec.kind == "decorator":
                limit = spec.default_limit
                status = "unbounded" if limit is None else "bounded"
                why = "retries forever" if limit is None else f"stops after {limit:g}"
                out.append(
                    RetryFact(
                        d.loc.line,
                        status,
                        f"@{_short(name)} without arguments {why} (line {d.loc.line})",
                        wraps_unit=True,
                    )
                )
        return out

    def _retries(self, node, facts, scope, root, resolver) -> list[RetryFact]:
        out = self._retry_calls(facts, list(scope.decorators), wraps_unit=True)
        out += self._bare_retry_decorators(facts, scope)
        out += self._retry_calls(facts, list(ir.scope_calls(scope)), wraps_unit=False)
        if root is not None and any(s.kind == "model" for s in root.sites()):
            out += [f for f in self._client_retries(facts) if f not in out]
        for loop in root.loops() if root is not None else []:
            if loop.interactive:
                continue  # a failed turn waits for new input: nothing is sent again
            if is_rerequest(loop) or (
                loop.retry_try and not any(e.tainted for e in loop.exits) and not loop.test_tainted
            ):
                bounded, evidence, _, _ = loop_bounded(loop, resolver)
                out.append(loop_retry_fact(loop, bounded, evidence))
        return out

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

    # ---------------------------------------------------------------- roll-up

    def run(self) -> list[Unit]:
        joined = {n for members in self.cell_groups.values() for n in members[1:]}
        for node in self.order():
            if node in joined:
                continue  # part of an earlier cell's unit
            uf = self.classify_unit(node)
            self.summaries[node] = uf.summary
            self.unit_facts[node] = uf
        return self.units()

    def reach(self, node: str) -> set[str]:
        g = self.idx.graph
        out = set()
        for n in self.cell_groups.get(node, [node]):
            out |= ({n} | nx.descendants(g, n)) if n in g else {n}
        return out

    def units(self) -> list[Unit]:
        out = []
        for node, uf in self.unit_facts.items():
            reach = self.reach(node)
            unit_reach = [n for n in reach if n in self.unit_facts]
            retry_facts = [f for n in unit_reach for f in self.unit_facts[n].retry_facts]
            worst = worst_retry(retry_facts)
            retries = (
                Status("none", "no retry code")
                if worst is None
                else Status(worst.status, worst.evidence)
            )
            trace = self._trace_status(node, reach)
            scope = uf.scope
            s = uf.summary
            out.append(
                Unit(
                    path=uf.facts.path,
                    qualname=scope.qualname,
                    line=scope.loc.line if scope.kind != "module" else max(scope.loc.line, 1),
                    end_line=max(scope.loc.end_line, scope.loc.line, 1),
                    cell=scope.cell,
                    pattern=s.pattern,
                    contains=s.contains,
                    is_system=node in self.idx.systems,
                    stop_condition=s.stop,
                    retries=retries,
                    trace_logging=trace,
                    llm_call_bound=s.bound,
                    llm_call_bound_reason=s.bound_reason or _bound_words(s),
                    llm_calls=self._reached_calls(node, reach),
                    evidence=s.evidence,
                    node_id=node,
                    cells=tuple(self.cg.scope(n)[1].cell for n in self.cell_groups.get(node, ())),
                )
            )
        out.sort(key=lambda u: (u.path, u.cell if u.cell is not None else -1, u.line, u.qualname))
        return out

    def _reached_calls(self, node: str, reach: set[str]) -> tuple[LLMCall, ...]:
        """Every model-call site the unit reaches (DESIGN §4), also through edges only the
        classifier knows (a framework graph run calls its node functions, cells joined into
        one unit): the unit's own sites, then each reached unit's own, named by that unit."""
        own = self.unit_facts[node].llm_calls
        out = list(own)
        seen = {(c.path, c.cell, c.line, c.api) for c in own}
        members = set(self.cell_groups.get(node, [node]))
        for n in sorted(reach - members):
            uf = self.unit_facts.get(n)
            if uf is None:
                continue
            for c in uf.llm_calls:
                if c.via:
                    continue  # the callee's own sites carry no via; others come in turn
                key = (c.path, c.cell, c.line, c.api)
                if key not in seen:
                    seen.add(key)
                    out.append(LLMCall(c.line, c.api, c.path, c.cell, uf.scope.qualname))
        return tuple(out)

    def _trace_status(self, node: str, reach: set[str]) -> Status:
        f = self._global_for(self.unit_facts[node].facts.path)
        if f is not None:
            return Status("present", f"process-wide: {f.evidence}")
        covered = [n for n in reach if n in self.unit_facts or self._is_tool_of(n)]
        for n in sorted(covered):
            facts = self.unit_facts[n].trace_facts if n in self.unit_facts else self._trace_of(n)
            local = [f for f in facts if not f.disables]
            if local:
                return Status("present", local[0].evidence)
        off = self._tracing_off_for(node, reach)
        for n in sorted(reach):
            fw = "" if off else self._traced_framework(n)
            if fw:
                return Status("present", f"{fw} traces every run by default")
        for caller in self._ancestors(node):
            uf = self.unit_facts.get(caller)
            facts = uf.trace_facts if uf is not None else self._trace_of(caller)
            # a caller's span, decorator, logging set-up or log lines around the call
            # trace what the callee does for it; so does a framework run that calls it
            local = [f for f in facts if not f.disables]
            if local:
                return Status("present", f"set up by the caller: {local[0].evidence}")
            fw = "" if off else self._traced_framework(caller)
            if fw:
                return Status("present", f"run by {fw}, which traces every run by default")
        return Status("absent", "no logging, span or tracing decorator around the model calls")

    def _traced_framework(self, n: str) -> str:
        """The framework of a run in unit `n` whose built-in tracing is on, or ""."""
        uf = self.unit_facts.get(n)
        if uf is None or uf.root is None:
            return ""
        for s in uf.root.sites():
            mc = self.kb.model_call(s.callee) if s.kind == "model" else None
            fw = getattr(mc, "framework", "") if mc is not None else ""
            if fw and self.kb.framework_default_tracing(fw):
                return fw
        return ""

    def _ancestors(self, node: str) -> list[str]:
        g = self.idx.graph
        return sorted(nx.ancestors(g, node)) if node in g else []

    def _is_tool_of(self, n: str) -> bool:
        """A function a unit calls (a tool): its logging traces the unit's dispatch."""
        return (
            any(p in self.unit_facts for p in self.idx.graph.predecessors(n))
            if n in self.idx.graph
            else False
        )

    def _trace_of(self, n: str) -> list[TraceFact]:
        try:
            facts, scope = self.cg.scope(n)
        except (KeyError, LookupError):
            return []
        return self._tracing_calls(scope, facts)


# -------------------------------------------------------------------- helpers


def _returns_output(body: tuple[ir.Stmt, ...], taint: Taint, guarded: bool) -> bool:
    """The function returns (or yields) model output, or a value chosen on a branch that
    tests model output (`if "PASS" in verdict: return True`). A helper that returns only
    constants chosen by user input (`if text == "exit": return False`) does not."""
    for st in body:
        if isinstance(st, ir.Return) and st.value is not None:
            if guarded or taint.expr(st.value):
                return True
        for e in ir.stmt_exprs(st):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Yield) and (guarded or taint.expr(x.value)):
                    return True
        test = getattr(st, "test", None) if isinstance(st, (ir.If, ir.While)) else None
        inner = guarded or (test is not None and taint.expr(test))
        if isinstance(st, ir.Match):
            inner = guarded or taint.expr(st.subject)
        for block in ir.child_blocks(st):
            if _returns_output(block, taint, inner):
                return True
    return False


def _selector_params(scope: ir.Scope, sites: list[Site], summaries) -> frozenset[int]:
    """Positions of parameters used only to pick who answers: `def ask(model): ...
    create(model=model, messages=same)`; a fan-out over them asks one question of many."""
    params = [p.name for p in scope.params if p.kind in ("posonly", "normal")]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    uses: dict[str, int] = {}  # uses in what the function sends (call arguments)
    for c in ir.scope_calls(scope):
        for a in c.args:
            for x in ir.walk_expr(a.value):
                if isinstance(x, ir.Name) and x.id in params:
                    uses[x.id] = uses.get(x.id, 0) + 1
    picks: dict[str, int] = {}
    for s in sites:
        for a in s.call.args:
            if isinstance(a.value, ir.Name) and a.value.id in params:
                if selector_use(s, a.value, summaries):
                    picks[a.value.id] = picks.get(a.value.id, 0) + 1
    return frozenset(i for i, p in enumerate(params) if picks.get(p) and picks[p] == uses.get(p))


def _derived_from(scope: ir.Scope, params: list[str]) -> dict[str, set[str]]:
    """Local names whose value is computed from the parameters, with the parameters each
    depends on: `for raw in calls: name = json.loads(raw)["name"]` makes `name` depend on
    `calls`, so a lookup keyed by `name` is a dispatch on that parameter."""
    deps: dict[str, set[str]] = {p: {p} for p in params}

    def reads(e: ir.Expr | None) -> set[str]:
        out: set[str] = set()
        for x in ir.walk_expr(e) if e is not None else ():
            if isinstance(x, ir.Name):
                out |= deps.get(x.id, set())
        return out

    for _ in range(4):  # a few rounds reach the fixed point of straight-line code
        grew = False
        for st in ir.walk_stmts(scope.body):
            if isinstance(st, ir.Assign):
                src, targets = reads(st.value), st.targets
            elif isinstance(st, ir.For):
                src, targets = reads(st.iter), (st.target,)
            else:
                continue
            if not src:
                continue
            for t in targets:
                for n in target_names(t):
                    if not src <= deps.get(n, set()):
                        deps[n] = deps.get(n, set()) | src
                        grew = True
        if not grew:
            break
    return deps


def _assigned_call(
    facts: ir.ModuleFacts, scope: ir.Scope | None, name: str, before: int
) -> ir.Call | None:
    """The call whose result `name` holds: assigned in `scope` before line `before`, or at
    module level (`self.x` in the class's methods)."""
    modules = [s for s in facts.scopes if s.kind == "module"]
    candidates = ([scope] if scope is not None else []) + modules
    if name.startswith("self.") and scope is not None:
        owner = scope.parent or ""
        candidates = [s for s in facts.scopes if s.parent == owner and s.kind == "function"]
    for sc in candidates:
        found = None
        for st in ir.walk_stmts(sc.body):
            if isinstance(st, ir.Assign) and isinstance(st.value, ir.Call):
                if any(ir.dotted(t) == name for t in st.targets):
                    if sc is scope and st.loc.line > before:
                        continue
                    found = st.value
        if found is not None:
            return found
    return None


def _late_additions(facts: ir.ModuleFacts, params: tuple[str, ...]) -> dict[str, list[ir.Expr]]:
    """Values given to an object's agentic params after construction, by object name:
    `triage.handoffs.append(billing)`, `agent.tools = [...]`, `agent.handoffs += [...]`."""
    out: dict[str, list[ir.Expr]] = {}
    for sc in facts.scopes:
        for st in ir.walk_stmts(sc.body):
            for e in ir.stmt_exprs(st):
                for x in ir.walk_expr(e):
                    if (
                        isinstance(x, ir.Call)
                        and isinstance(x.func, ir.Attr)
                        and x.func.attr in ("append", "extend", "insert")
                        and isinstance(x.func.value, ir.Attr)
                        and x.func.value.attr in params
                    ):
                        owner = ir.dotted(x.func.value.value)
                        if owner:
                            out.setdefault(owner, []).extend(a.value for a in x.args[-1:])
            if isinstance(st, ir.Assign):
                for t in st.targets:
                    if isinstance(t, ir.Attr) and t.attr in params and ir.dotted(t.value):
                        out.setdefault(ir.dotted(t.value) or "", []).append(st.value)
    return out


def _arg_is(call: ir.Call, kw: str, values: tuple) -> bool:
    """The keyword argument is one of `values`: a literal, or an enum member written as
    `Mode.route` (matched by its dotted text or its last name)."""
    v = call.kwarg(kw)
    if isinstance(v, ir.Const):
        return v.value in values
    text = ir.dotted(v) if v is not None else None
    return bool(text) and (
        text in values or any(text.endswith(f".{x}") for x in values if isinstance(x, str))
    )


def _has_agentic_args(ctor: ir.Call, spec) -> bool:
    """A constructor given a non-empty tools/handoffs-like argument."""
    for p in getattr(spec, "agentic_params", ()):
        v = ctor.kwarg(p)
        if v is None or (isinstance(v, ir.Seq) and not v.elts):
            continue
        if isinstance(v, ir.Const) and v.value is None:
            continue
        return True
    return False


def _names_read(scope: ir.Scope) -> set[str]:
    return {
        x.id
        for st in ir.walk_stmts(scope.body)
        for e in ir.stmt_exprs(st)
        for x in ir.walk_expr(e)
        if isinstance(x, ir.Name)
    }


def _names_bound(scope: ir.Scope) -> set[str]:
    """Names a scope binds itself: parameters, assignment and loop targets, definitions,
    imports (flow-insensitive: a name bound anywhere in the scope is its own)."""
    out = {p.name for p in scope.params}
    for st in ir.walk_stmts(scope.body):
        if isinstance(st, ir.Assign):
            for t in st.targets:
                out.update(target_names(t))
        elif isinstance(st, ir.For):
            out.update(target_names(st.target))
        elif isinstance(st, ir.With):
            for it in st.items:
                if it.target is not None:
                    out.update(target_names(it.target))
        elif isinstance(st, ir.Define):
            out.add(st.scope.rsplit(".", 1)[-1])
        elif isinstance(st, ir.Try):
            out.update(h.name for h in st.handlers if h.name)
    return out


def _free_reads(scope: ir.Scope) -> set[str]:
    return _names_read(scope) - (_names_bound(scope) if scope.kind != "module" else set())


def _short(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[-3:]) if len(parts) > 3 else name


def _holds_any(conds, call: ir.Call) -> bool:
    args = tuple(
        (a.kw, a.value.value if isinstance(a.value, ir.Const) else None) for a in call.args
    )
    return any(c.holds(args) for c in conds)


def _dict_value(box: ir.Expr | None, key: str) -> ir.Expr | None:
    if isinstance(box, ir.Dict):
        for k, v in zip(box.keys, box.values, strict=False):
            if isinstance(k, ir.Const) and k.value == key:
                return v
    if isinstance(box, ir.Call):
        return box.kwarg(key)
    return None


def _bound_words(s: Summary) -> str:
    if s.bound is None:
        return "not statically bounded"
    return f"{s.bound} model call(s)"


def classify_project(project, cg, kb) -> tuple[list[Unit], Classifier]:
    """Units of the project, sorted by location, and the classifier (for rules to query)."""
    c = Classifier(project, cg, kb)
    return c.run(), c
