"""Tracing: the calls that trace a unit, process-wide instrumentation and where it reaches
(import links), tracing switched off and for which program, and the trace status of a unit.
"""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from analyzer import ir
from analyzer.classify.flags import TraceFact
from analyzer.classify.names import imported_name, short_name
from analyzer.results import Status


class TracingMixin:
    """The `Classifier`'s tracing scans and each unit's trace status."""

    def _tracing_calls(self, scope: ir.Scope, facts: ir.ModuleFacts) -> list[TraceFact]:
        # asked for every scope more than once (process-wide scans, units, callers):
        # memoised by scope identity for this classifier's project, whose scopes live on
        memo = self.__dict__.setdefault("_tracing_memo", {})
        hit = memo.get((id(scope), facts.path))
        if hit is None:
            hit = memo[(id(scope), facts.path)] = self._scan_tracing_calls(scope, facts)
        return list(hit)

    def _scan_tracing_calls(self, scope: ir.Scope, facts: ir.ModuleFacts) -> list[TraceFact]:
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
                        f"@{short_name(name)} (line {d.loc.line})",
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
                            f"{short_name(name)} (line {x.loc.line})",
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

    def _env_tracing(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(path, frameworks, evidence) of each environment variable the program sets to
        turn a framework's tracing on (`os.environ["LANGCHAIN_TRACING_V2"] = "true"`, KB
        `EnvSwitch`): from then on the process traces those frameworks' runs."""
        out = []
        for m in self.project.modules:
            for sc in m.scopes:
                for st in ir.walk_stmts(sc.body):
                    for var, value, line in _env_sets(st):
                        sw = self.kb.env_switch(var)
                        if sw is None or not sw.enables or value.lower() not in sw.truthy:
                            continue
                        cell = f" cell {sc.cell}" if sc.cell is not None else ""
                        why = f"{var}={value!r} ({m.path}{cell}, line {line}) turns on {sw.library}"
                        out.append((m.path, sw.frameworks, why))
        return out

    def _env_traced(self, path: str, reach: set[str]) -> str:
        """Evidence when the program switched on, by environment, the tracing of a
        framework whose runs this unit reaches; "" otherwise."""
        linked = self._links.get(path, {path})
        for where, frameworks, why in self.env_trace:
            if where not in linked and where != path:
                continue
            for n in sorted(reach):
                uf = self.unit_facts.get(n)
                for s in uf.root.sites() if uf is not None and uf.root is not None else ():
                    entry = self.kb.entry_for(s.callee) if s.kind == "model" else None
                    if entry is not None and entry.key in frameworks:
                        return f"{why}, which traces {entry.key} runs"
        return ""

    def _import_links(self) -> dict[str, set[str]]:
        """path -> paths of project files it imports or that import it (transitively):
        set-up done at import time or at start-up covers the code these files run."""
        g = self._import_graph(nx.Graph())
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
        g = self._import_graph(nx.DiGraph())
        return {p: {p} | nx.descendants(g, p) for p in g.nodes}

    def _import_graph(self, g):
        """`g` (a networkx graph, directed or not) filled with every project file and an
        edge from each file to each project file it imports."""
        by_module = {m.module: m.path for m in self.project.modules}
        for m in self.project.modules:
            g.add_node(m.path)
            for imp in m.imports:
                parts = imp.target.split(".")
                for i in range(len(parts), 0, -1):
                    hit = by_module.get(".".join(parts[:i]))
                    if hit is not None:
                        g.add_edge(m.path, hit)
                        break
        return g

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

    def _trace_status(self, node: str, reach: set[str]) -> Status:
        path = self.unit_facts[node].facts.path
        f = self._global_for(path)
        if f is not None:
            return Status("present", f"process-wide: {f.evidence}")
        env = self._env_traced(path, reach)
        if env:
            return Status("present", env)
        covered = [n for n in sorted(reach) if n in self.unit_facts or self._is_tool_of(n)]
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


def _env_sets(st: ir.Stmt) -> list[tuple[str, str, int]]:
    """(variable, value, line) for literal environment settings in a statement:
    `os.environ["V"] = "x"`, `os.environ.setdefault("V", "x")`, `os.environ.update(V="x")`
    or `os.environ.update({"V": "x"})`."""
    out: list[tuple[str, str, int]] = []
    if isinstance(st, ir.Assign) and isinstance(st.value, ir.Const):
        for t in st.targets:
            if (
                isinstance(t, ir.Subscript)
                and _is_environ(t.value)
                and isinstance(t.index, ir.Const)
                and isinstance(t.index.value, str)
                and isinstance(st.value.value, str)
            ):
                out.append((t.index.value, st.value.value, st.loc.line))
    for e in ir.stmt_exprs(st):
        for c in ir.walk_expr(e):
            if not (isinstance(c, ir.Call) and isinstance(c.func, ir.Attr)):
                continue
            if not _is_environ(c.func.value):
                continue
            if c.func.attr == "setdefault" and len(c.args) == 2:
                k, v = c.args[0].value, c.args[1].value
                if isinstance(k, ir.Const) and isinstance(v, ir.Const):
                    if isinstance(k.value, str) and isinstance(v.value, str):
                        out.append((k.value, v.value, c.loc.line))
            if c.func.attr == "update":
                for a in c.args:
                    if a.kw and isinstance(a.value, ir.Const) and isinstance(a.value.value, str):
                        out.append((a.kw, a.value.value, c.loc.line))
                    if a.kw is None and isinstance(a.value, ir.Dict):
                        for k, v in zip(a.value.keys, a.value.values, strict=False):
                            if isinstance(k, ir.Const) and isinstance(v, ir.Const):
                                if isinstance(k.value, str) and isinstance(v.value, str):
                                    out.append((k.value, v.value, c.loc.line))
    return out


def _is_environ(e: ir.Expr) -> bool:
    return ir.dotted(e) in ("os.environ", "environ")


def _holds_any(conds, call: ir.Call) -> bool:
    args = tuple(
        (a.kw, a.value.value if isinstance(a.value, ir.Const) else None) for a in call.args
    )
    return any(c.holds(args) for c in conds)
