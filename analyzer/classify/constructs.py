"""Framework constructs: the project's agentic constructors and their bounds, framework
graphs, tool-decorated functions, and the project functions a framework run calls (tools,
guardrails), including constructs made by factories.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.names import imported_name
from analyzer.classify.nodes import Site


class ConstructsMixin:
    """The `Classifier`'s scans of framework constructs and what their runs call."""

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
        # The first scope (in node order) evaluating each graph's run call, found in one
        # walk of the files that run a graph rather than one walk per graph.
        paths = {path for path, _ in graphs}
        runs_in: dict[tuple[str, int], str] = {}
        for node, facts, scope in self.idx.scope_nodes() if paths else ():
            if facts.path in paths:
                for c in ir.scope_calls(scope):
                    runs_in.setdefault((facts.path, c.cid), node)
        edges = []
        for key, verdict in graphs.items():
            node = runs_in.get(key)
            if node is not None:
                edges += [(node, n) for n in verdict.nodes]
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
            ctor, _, where = self._constructed_by(node, facts, call, m.callee)
            for fn in self._given_functions(self.idx.modules.get(where, facts), ctor):
                edges.append((node, fn))
        if edges:
            self.idx.add_runs(edges)

    def _given_functions(
        self, facts: ir.ModuleFacts, ctor: ir.Call | None, depth: int = 0
    ) -> list[str]:
        """Project functions passed to a framework constructor in the arguments its runs
        call (KB `calls_params`): `Agent(tools=[search], input_guardrails=[check])`, and
        those of the constructs it holds (`Workflow(steps=[Step(executor=review)])`)."""
        if ctor is None or depth > 8:
            return []
        spec = self._construct_spec(facts.path, ctor)
        if spec is None:
            return []
        params = spec.calls_params or tuple(
            p for p in spec.agentic_params if p not in spec.handoff_params
        )
        children = (
            [a.value for a in ctor.args if a.kw is None]
            if spec.children == "*"
            else ([ctor.kwarg(spec.children)] if spec.children else [])
        )
        out = []
        for v in [ctor.kwarg(p) for p in params] + children:
            for e in v.elts if isinstance(v, ir.Seq) else ([v] if v is not None else []):
                held = self._construct_call(facts.path, e)
                if held is not None:
                    out += self._given_functions(facts, held[0], depth + 1)
                    continue
                name = ir.dotted(e)
                if name and "." not in name:
                    out += self._project_function(facts, name)
        return list(dict.fromkeys(out))

    def _project_function(self, facts: ir.ModuleFacts, name: str) -> list[str]:
        """The node of a function the module defines under `name` (the last one)."""
        nid = self.cg.node_id(facts.path, name, None)
        if nid in self.cg.graph:
            return [nid]
        return [
            n
            for n, a in self.cg.graph.nodes(data=True)
            if a.get("path") == facts.path
            and a.get("qualname") == name
            and a.get("kind") == "function"
        ][-1:]

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

    def _ctor_spec(self, site: Site):
        return self._construct_spec(site.ctor_file, site.ctor) if site.ctor is not None else None

    def _construct_spec(self, path: str, call: ir.Call):
        """The knowledge base's construct a call builds (`Agent(...)`), or None."""
        for ext in self.idx.externals(path, call.cid):
            spec = self.kb.construct(ext)
            if spec is not None:
                return spec
        return None

    def _construct_call(self, path: str, e: ir.Expr | None, before: int = 10**9):
        """(constructor call, spec) for an argument: a construct's call, or a module-level
        name bound to one (before line `before`); None otherwise."""
        facts = self.idx.modules.get(path)
        if isinstance(e, ir.Name) and facts is not None:
            e = _assigned_call(facts, None, e.id, before)
        if not isinstance(e, ir.Call):
            return None
        spec = self._construct_spec(path, e)
        return (e, spec) if spec is not None else None

    def _constructed_by(
        self, node: str, facts: ir.ModuleFacts, call: ir.Call, callee: str
    ) -> tuple[ir.Call | None, str | None, str]:
        """The constructor call that built the object a framework run runs, the name it
        was bound to, and the file of that call: `agent = CodeAgent(...); agent.run(q)`,
        `Runner.run(agent, q)`, or an agent imported from the module that built it."""
        run = self.kb.construct(callee)
        target: ir.Expr | None = None
        if run is not None and run.runs is not None:
            param, pos = run.runs
            target = call.arg(pos if pos is not None else -1, param)
        if target is None and isinstance(call.func, ir.Attr):
            target = call.func.value
        if isinstance(target, ir.Call):
            return target, None, facts.path
        name = ir.dotted(target) if target is not None else None
        if name is None:
            return None, None, facts.path
        try:
            scope = self.cg.scope(node)[1]
        except (KeyError, LookupError):
            return None, name, facts.path
        found = _assigned_call(facts, scope, name, call.loc.line)
        if found is None and "." not in name and not _binds_locally(scope, name):
            facts, found = self._imported_assignment(facts, name)
        made = self._factory_made(facts, found) if found is not None else None
        return made, name, facts.path

    def _imported_assignment(
        self, facts: ir.ModuleFacts, name: str
    ) -> tuple[ir.ModuleFacts, ir.Call | None]:
        """`from agents import triage_agent`: the call the project module that defines
        the name assigned to it at its top level (agents are often built in one module and
        run in another)."""
        qual = imported_name(facts, ir.Name(name))
        if qual is None or "." not in qual:
            return facts, None
        mod, attr = qual.rsplit(".", 1)
        # the call graph resolved the import (a script's `from agents import x` is the
        # `agents.py` beside it, `ModuleIndex.split`); its module's project name ends in `mod`
        imported = self.cg.imports.get(facts.module, frozenset())
        candidates = [
            m
            for m in self.project.modules
            if m.path != facts.path
            and m.module in imported
            and (m.module == mod or m.module.endswith(f".{mod}"))
        ]
        for other in candidates:
            found = _assigned_call(other, None, attr, 10**9)
            if found is not None:
                return other, found
        return facts, None

    def _factory_made(self, facts: ir.ModuleFacts, call: ir.Call) -> ir.Call:
        """`agent = make_agent(...)` where `make_agent` (in the same file) returns
        `ChatAgent(...)`: the constructor call inside the factory is what was built."""
        if self._construct_spec(facts.path, call) is not None:
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
                if isinstance(v, ir.Call) and self._construct_spec(facts.path, v) is not None:
                    return v
        return call


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
        for targets, line, value in _call_assignments(sc):
            if name in targets:
                if sc is scope and line > before:
                    continue
                found = value
        if found is not None:
            return found
    return None


# `_call_assignments` of the scopes asked about last, by scope identity (the scope is kept
# in its entry, so an id is never reused while the entry lives): every framework run asks
# about its file's module scope, and each answer was a walk of the whole scope.
_ASSIGNMENTS: dict[int, tuple[ir.Scope, list[tuple[tuple[str | None, ...], int, ir.Call]]]] = {}
_ASSIGNMENTS_SIZE = 4096


def _call_assignments(sc: ir.Scope) -> list[tuple[tuple[str | None, ...], int, ir.Call]]:
    """(dotted targets, line, call) of each `x = call(...)` in the scope, in walk order."""
    hit = _ASSIGNMENTS.get(id(sc))
    if hit is not None and hit[0] is sc:
        return hit[1]
    out = [
        (tuple(ir.dotted(t) for t in st.targets), st.loc.line, st.value)
        for st in ir.walk_stmts(sc.body)
        if isinstance(st, ir.Assign) and isinstance(st.value, ir.Call)
    ]
    if len(_ASSIGNMENTS) >= _ASSIGNMENTS_SIZE:
        _ASSIGNMENTS.clear()
    _ASSIGNMENTS[id(sc)] = (sc, out)
    return out


def _binds_locally(scope: ir.Scope | None, name: str) -> bool:
    """The scope binds `name` itself (a parameter or an assignment), so it is not the
    module-level name an import brought in."""
    if scope is None or scope.kind == "module":
        return False
    if any(p.name == name for p in scope.params):
        return True
    return any(
        isinstance(st, ir.Assign) and any(ir.dotted(t) == name for t in st.targets)
        for st in ir.walk_stmts(scope.body)
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
