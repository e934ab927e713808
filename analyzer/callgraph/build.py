"""Points-to analysis over the facts of all modules, iterated to a fixpoint, then edges.

Each scope body is interpreted in statement order: local names are flow-sensitive inside
the scope (a later assignment replaces an earlier one, branches join), while everything
another scope can see (parameters, returns, module and class attributes, instance fields,
container items) is a flow-insensitive set in `State`. A scope is re-run whenever a set
it read grows, until nothing grows (or a round cap is hit). A last pass over every scope,
on the final state, records the edges, so no edge comes from a half-computed state.

`Engine` (here: setup, the fixpoint driver, edges and queries) is composed of one mixin
per concern, each in its own module; they share the engine's attributes and call each
other through `self`:

    core.py          Options, State, Frame, EdgeInfo, location helpers
    statements.py    running statements; binding and looking up names
    definitions.py   def / class / lambda, decorators
    imports.py       import statements, star imports, shadowing, importlib
    expressions.py   expressions, displays, comprehensions, subscripts, annotations
    dispatch.py      runtime dispatch keys
    calls.py         call sites, calling functions, classes and outside callables
    builtin_calls.py builtins and the callbacks outside code runs
    containers.py    container fields, iteration, container methods
    attributes.py    attributes of instances, modules and outside values, __getattr__
    classes.py       MRO, class attributes, super()
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from analyzer import ir
from analyzer.callgraph.attributes import AttributesMixin
from analyzer.callgraph.builtin_calls import BuiltinCallsMixin
from analyzer.callgraph.calls import CallsMixin
from analyzer.callgraph.classes import ClassesMixin
from analyzer.callgraph.containers import ContainersMixin
from analyzer.callgraph.core import EMPTY, EdgeInfo, Frame, Options, State
from analyzer.callgraph.definitions import DefinitionsMixin
from analyzer.callgraph.dispatch import DispatchKeysMixin
from analyzer.callgraph.expressions import ExpressionsMixin
from analyzer.callgraph.graph import Target, node_id
from analyzer.callgraph.imports import ImportsMixin
from analyzer.callgraph.kb import Knowledge
from analyzer.callgraph.names import ModuleIndex
from analyzer.callgraph.statements import StatementsMixin

__all__ = ["EMPTY", "EdgeInfo", "Engine", "Frame", "Options", "State"]


class Engine(
    StatementsMixin,
    DefinitionsMixin,
    ImportsMixin,
    ExpressionsMixin,
    DispatchKeysMixin,
    CallsMixin,
    BuiltinCallsMixin,
    ContainersMixin,
    AttributesMixin,
    ClassesMixin,
):
    """Holds the project, the state, and the interpreter of scope bodies."""

    def __init__(
        self,
        modules: Iterable[ir.ModuleFacts],
        root: Path | None = None,
        kb: Knowledge | None = None,
        options: Options | None = None,
    ) -> None:
        self.modules = tuple(sorted(modules, key=lambda m: m.path))
        self.root = root
        self.kb = kb or Knowledge(None)
        self.opt = options or Options()
        self.index = ModuleIndex(self.modules, root)
        self.state = State(self.opt.max_values)
        self.scopes: dict[str, tuple[ir.ModuleFacts, ir.Scope]] = {}
        self.order: list[str] = []
        self.parent: dict[str, str | None] = {}
        self.locals: dict[str, set[str]] = {}
        self.returns_value: dict[str, bool] = {}
        self.global_decl: dict[str, set[str]] = {}
        self.nonlocal_decl: dict[str, set[str]] = {}
        self.module_path: dict[str, str] = {}  # module name -> path
        self.module_names: dict[str, set[str]] = {}  # path -> names bound at module level
        self.star_ext: dict[str, list[str]] = {}
        self.recording = False
        self._runs: dict[str, list[tuple]] | None = None  # edges of each scope's last run
        self.edges: dict[tuple[str, str], EdgeInfo] = {}
        self.site_targets: dict[tuple[str, int], set[Target]] = {}
        # forwarding decorator wrappers: wrapper node -> its call of the wrapped function
        self.forward_sites: dict[str, tuple[str, int]] = {}
        self.forward_checked: dict[str, bool] = {}
        self.forward_calls: list[tuple] = []  # (caller, wrapper, ctx, site, dynamic, key)
        self._mro_cache: dict[str, tuple[int, list, list]] = {}
        self._index_scopes()

    # ------------------------------------------------------------------ setup

    def _index_scopes(self) -> None:
        for m in self.modules:
            self.module_path.setdefault(m.module, m.path)
            names: set[str] = set()
            for s in m.scopes:
                nid = node_id(m.path, s.qualname, s.cell)
                self.scopes[nid] = (m, s)
                self.order.append(nid)
                self.parent[nid] = None if s.parent is None else node_id(m.path, s.parent, s.cell)
                loc, glob, nonloc = _local_names(m, s)
                self.locals[nid] = loc
                self.returns_value[nid] = s.kind == "lambda" or any(
                    isinstance(st, ir.Return) and st.value is not None
                    for st in ir.walk_stmts(s.body)
                )
                self.global_decl[nid] = glob
                self.nonlocal_decl[nid] = nonloc
                if s.kind == "module":
                    names |= loc
            self.module_names[m.path] = names
            stars = []
            for imp in m.imports:
                if imp.name == "*" and self.index.split(imp.target, m) is None:
                    stars.append(imp.target)
            self.star_ext[m.path] = stars
        for nid in self.order:
            for g in self.global_decl[nid]:
                self.module_names[self.scopes[nid][0].path].add(g)

    def gkey(self, path: str) -> str:
        return f"{path}::<module>"

    # ------------------------------------------------------------------ driver

    def solve(self) -> None:
        """Run dirty scopes to a fixpoint, then record every scope's edges as of its last
        run. Each run's edges are kept (`_runs`, replacing the scope's previous run's):
        at a fixpoint no set a scope read grew after its last run, and a run depends on
        nothing else that changes, so a recording pass over the final state would record
        exactly these, in the same order. Only when the round cap stops the fixpoint early
        does that pass run."""
        st = self.state
        st.dirty = set(self.order)
        rounds = 0
        self.recording = True
        self._runs: dict[str, list[tuple]] | None = {}
        while st.dirty and rounds < self.opt.max_rounds:
            batch = [n for n in self.order if n in st.dirty]
            st.dirty = set()
            for n in batch:
                self.run_scope(n)
            rounds += 1
        self.rounds = rounds
        runs, self._runs = self._runs, None
        if st.dirty:  # stopped by the cap: record from one pass over the state as it is
            for n in self.order:
                self.run_scope(n)
        else:
            for n in self.order:
                for what, *args in runs.get(n, ()):
                    if what == "edge":
                        self.edge_from(*args)
                    elif args[1] in self.forward_sites:
                        self.forward_calls.append(tuple(args))
        self.resolve_forwarding()
        self.recording = False

    def resolve_forwarding(self) -> None:
        """Calls through a forwarding decorator reach the wrapper (its own calls) and the
        function it wraps at that call, as a `forwarded` edge. The wrapper's own call of
        the wrapped function is marked `forward`: it stands for all decorations at once,
        so analyses that follow calls skip it (the export keeps it, as PyCG draws it)."""
        by_site: dict[tuple[str, int], str] = {s: w for w, s in self.forward_sites.items()}

        def wrapped(fid: str, ctx: tuple | None, depth: int) -> set[str]:
            if depth > 4:
                return set()
            if ctx is None:
                site = self.forward_sites[fid]
                out = set()
                for t in self.site_targets.get(site, ()):
                    if t.kind == "internal":
                        out.add(t.name)
                        if t.name in self.forward_sites:
                            out |= wrapped(t.name, None, depth + 1)
                return out
            out = {ctx[1]}
            if ctx[1] in self.forward_sites:
                inner = ctx[2] if ctx[0] == "fn" and len(ctx) > 2 else None
                inner = ctx[3] if ctx[0] == "bm" and len(ctx) > 3 else inner
                out |= wrapped(ctx[1], inner, depth + 1)
            return out

        for caller, fid, ctx, site, dyn, key in self.forward_calls:
            for name in sorted(wrapped(fid, ctx, 0)):
                if name in self.scopes:
                    self.edge_from(caller, Target("internal", name, dyn, key, "forwarded"), site)
        for (caller, _callee), info in self.edges.items():
            if caller in self.forward_sites and all(
                by_site.get((s[0], s[1])) == caller for s in info.sites
            ):
                info.forward = True
        for site in self.forward_sites.values():
            if site in self.site_targets:
                self.site_targets[site] = {
                    t for t in self.site_targets[site] if t.kind != "internal"
                }

    def run_scope(self, nid: str) -> None:
        facts, scope = self.scopes[nid]
        self.state.current = nid
        if self._runs is not None:
            self._runs[nid] = []
        skey = self.gkey(facts.path) if scope.kind == "module" else nid
        fr = Frame(nid, facts, scope, skey)
        if scope.kind in ("function", "lambda"):
            fr.fid = nid
            par = self.parent.get(nid)
            if scope.kind == "function" and par is not None and self.scopes[par][1].kind == "class":
                fr.cls = par
            for i, p in enumerate(scope.params):
                vals = self.state.get(("p", nid, p.name))
                if p.kind == "vararg":
                    vals = vals | {("obj", f"args:{nid}", "tuple")}
                elif p.kind == "kwarg":
                    vals = vals | {("obj", f"kwargs:{nid}", "dict")}
                elif i == 0 and fr.cls is not None:
                    kinds = self.method_kinds(nid)
                    if "static" not in kinds:
                        fr.self_param = p.name
                        vals = vals | {("cls", fr.cls) if "class" in kinds else ("inst", fr.cls)}
                fr.env[p.name] = vals
                self.state.add(("v", nid, p.name), vals)
        with contextlib.suppress(RecursionError):
            self.block(fr, scope.body)
        self.state.current = None

    # ------------------------------------------------------------------ edges

    def edge(self, fr: Frame, t: Target, site: tuple) -> None:
        if self.recording:
            if self._runs is not None:  # in the fixpoint: kept with this run (`solve`)
                self._runs[self.state.current].append(("edge", fr.node, t, site))  # type: ignore[index]
            else:
                self.edge_from(fr.node, t, site)

    def edge_from(self, caller: str, t: Target, site: tuple) -> None:
        callee = t.node
        info = self.edges.get((caller, callee))
        if info is None:
            info = self.edges[(caller, callee)] = EdgeInfo()
        info.sites.add(site)
        info.vias.add(t.via)
        info.dynamic = info.dynamic or t.dynamic
        if site[1] is not None:
            self.site_targets.setdefault((site[0], site[1]), set()).add(t)

    # ------------------------------------------------------------------ queries

    def value_types(self, nid: str, name: str) -> frozenset[str]:
        if nid not in self.scopes:
            return frozenset()
        facts, sc = self.scopes[nid]
        skey = self.gkey(facts.path) if sc.kind == "module" else nid
        first, *rest = name.split(".")
        saved = self.state.current
        self.state.current = None
        try:
            vals = self.state.peek(("v", skey, first))
            if not vals:
                fr = Frame(nid, facts, sc, skey)
                vals = self.lookup(fr, first)
            for attr in rest:
                nxt: set = set()
                for v in vals:
                    if v[0] == "inst":
                        nxt |= self.state.peek(("f", v, attr))
                    elif v[0] == "ext" and v[2] != "path":
                        nxt |= self.ext_attr(v, attr)
                    elif v[0] == "mod":
                        nxt |= self.module_attr(v[1], attr)
                vals = frozenset(nxt)
        finally:
            self.state.current = saved
        out = set()
        for v in vals:
            if v[0] == "inst":
                out.add(v[1])
            elif v[0] == "ext" and v[2] != "path":
                out.add(self.kb.canonical(v[1]))
        return frozenset(out)


def _local_names(m: ir.ModuleFacts, s: ir.Scope) -> tuple[set[str], set[str], set[str]]:
    """Names a scope binds itself, and those it declares global / nonlocal."""
    names: set[str] = {p.name for p in s.params}
    glob: set[str] = set()
    nonloc: set[str] = set()

    def targets(e: ir.Expr) -> None:
        if isinstance(e, ir.Name):
            names.add(e.id)
        elif isinstance(e, (ir.Seq,)):
            for x in e.elts:
                targets(x)
        elif isinstance(e, ir.Starred):
            targets(e.value)

    for st in ir.walk_stmts(s.body):
        if isinstance(st, ir.Assign):
            for t in st.targets:
                targets(t)
        elif isinstance(st, ir.For):
            targets(st.target)
        elif isinstance(st, ir.With):
            for it in st.items:
                if it.target is not None:
                    targets(it.target)
        elif isinstance(st, ir.Try):
            for h in st.handlers:
                if h.name:
                    names.add(h.name)
        elif isinstance(st, ir.Match):
            for c in st.cases:
                names.update(c.captures)
        elif isinstance(st, ir.Global):
            (glob if st.kind == "global" else nonloc).update(st.names)
        elif isinstance(st, ir.Define):
            child = m.scope(st.scope, s.cell)
            if child is not None:
                names.add(child.name)
        elif isinstance(st, ir.ImportStmt):
            for i in st.bindings:
                imp = m.imports[i]
                if imp.name != "*":
                    names.add(imp.name)
        for e in ir.stmt_exprs(st):
            for sub in ir.walk_expr(e):
                if isinstance(sub, ir.NamedExpr):
                    names.add(sub.target.id)
    names -= glob
    names -= nonloc
    return names, glob, nonloc
