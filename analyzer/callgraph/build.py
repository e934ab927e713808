"""Points-to analysis over the facts of all modules, iterated to a fixpoint, then edges.

Each scope body is interpreted in statement order: local names are flow-sensitive inside
the scope (a later assignment replaces an earlier one, branches join), while everything
another scope can see (parameters, returns, module and class attributes, instance fields,
container items) is a flow-insensitive set in `State`. A scope is re-run whenever a set
it read grows, until nothing grows (or a round cap is hit). A last pass over every scope,
on the final state, records the edges, so no edge comes from a half-computed state.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.graph import Target, node_id
from analyzer.callgraph.kb import Knowledge
from analyzer.callgraph.names import BUILTIN_NAMES, ModuleIndex

EMPTY = V.EMPTY

# Attributes that, on a function wrapped by an external decorator (`@tool`, `@task`), run
# the function: `lookup.invoke(q)` calls `lookup` (the effective call).
CALLISH = frozenset(
    {"invoke", "ainvoke", "run", "arun", "__call__", "call", "func", "fn", "batch", "abatch"}
    | {"stream", "astream", "delay", "apply_async", "remote", "submit", "original", "__wrapped__"}
)
# External callables that run a function argument, by their last name: what to call it with.
EXECUTOR = {"submit", "map", "imap", "imap_unordered", "starmap", "apply_async", "map_async"}
EXECUTOR |= {"run_in_executor", "to_thread", "run_sync", "apply"}
TASK = {"create_task", "ensure_future", "gather", "call_soon", "call_later", "call_soon_threadsafe"}
TASK |= {"run_coroutine_threadsafe", "wait", "as_completed", "start_soon", "run", "shield"}
THREAD = {"Thread", "Process", "Timer"}
PARTIAL = {"partial", "partialmethod"}
# Standard-library sequences whose items the analysis tracks as it does a list's.
SEQUENCES = frozenset({"collections.deque", "collections.UserList"})
# Calls whose result has the type named by their first argument.
CASTS = frozenset({"typing.cast", "typing_extensions.cast"})
# Classmethod names that, by convention, build an instance of their class.
ALT_CONSTRUCTOR_PREFIXES = ("from_", "load", "create")
# Calls that import a module named by a string argument.
IMPORTERS = frozenset({"importlib.import_module", "importlib.__import__"})
# Bases that add no methods of their own: an attribute missing from the project's classes
# is not theirs (no `abc.ABC.keys`).
MARKER_BASES = frozenset(
    f"{m}.{n}"
    for m in ("typing", "typing_extensions")
    for n in ("Generic", "Protocol", "NamedTuple", "TypedDict")
) | {"abc.ABC", "abc.ABCMeta", "collections.abc.Hashable"}
MAX_EXT_DEPTH = 10  # components of an external name built from attribute chains
CALLING_BUILTINS = frozenset({"map", "filter", "sorted", "min", "max", "iter", "reduce"})
NON_CALLING_EXT = (
    "functools.wraps",
    "functools.update_wrapper",
    "inspect.",
    "typing.",
    "typing_extensions.",
    "weakref.",
    "copy.",
    "pickle.",
    "logging.",
)
PROPERTY_DECORATORS = {"property", "cached_property", "abstractproperty"}


@dataclass
class Options:
    max_rounds: int = 40  # fixpoint rounds over dirty scopes
    max_values: int = 64  # values kept per set
    loop_depth: int = 3  # loops nested deeper than this run their body once


class State:
    """Flow-insensitive sets shared by all scopes, with who-read-what for the worklist."""

    def __init__(self, cap: int) -> None:
        self.data: dict[tuple, frozenset] = {}
        self.deps: dict[tuple, set[str]] = {}
        self.dirty: set[str] = set()
        self.current: str | None = None
        self.cap = cap
        self.base_version = 0

    def get(self, key: tuple) -> frozenset:
        if self.current is not None:
            deps = self.deps.get(key)
            if deps is None:
                self.deps[key] = {self.current}
            else:
                deps.add(self.current)
        return self.data.get(key, EMPTY)

    def peek(self, key: tuple) -> frozenset:
        return self.data.get(key, EMPTY)

    def add(self, key: tuple, vals: Iterable) -> bool:
        old = self.data.get(key, EMPTY)
        vals = vals if isinstance(vals, frozenset) else frozenset(vals)
        if not vals or vals <= old:
            return False
        new = vals - old
        if len(old) + len(new) > self.cap:
            room = self.cap - len(old)
            if room <= 0:
                return False
            new = frozenset(sorted(new, key=V.sort_key)[:room])
        self.data[key] = old | new
        deps = self.deps.get(key)
        if deps:
            self.dirty |= deps
        if key[0] == "base":
            self.base_version += 1
        return True


@dataclass
class Frame:
    """One run of one scope body."""

    node: str
    facts: ir.ModuleFacts
    scope: ir.Scope
    skey: str  # where this scope's names are summarised
    env: dict[str, frozenset] = field(default_factory=dict)
    dyn: dict[str, ir.Expr] = field(default_factory=dict)  # names bound by runtime lookup
    fid: str | None = None  # function/lambda node id
    cls: str | None = None  # class node id when this is a method
    self_param: str | None = None
    depth: int = 0
    via: str | None = None  # override for calls evaluated as task/executor arguments


@dataclass
class EdgeInfo:
    sites: set = field(default_factory=set)
    vias: set = field(default_factory=set)
    dynamic: bool = False


class Engine:
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
        self.edges: dict[tuple[str, str], EdgeInfo] = {}
        self.site_targets: dict[tuple[str, int], set[Target]] = {}
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
                if imp.name == "*" and self.index.split(imp.target) is None:
                    stars.append(imp.target)
            self.star_ext[m.path] = stars
        for nid in self.order:
            for g in self.global_decl[nid]:
                self.module_names[self.scopes[nid][0].path].add(g)

    def gkey(self, path: str) -> str:
        return f"{path}::<module>"

    # ------------------------------------------------------------------ driver

    def solve(self) -> None:
        st = self.state
        st.dirty = set(self.order)
        rounds = 0
        while st.dirty and rounds < self.opt.max_rounds:
            batch = [n for n in self.order if n in st.dirty]
            st.dirty = set()
            for n in batch:
                self.run_scope(n)
            rounds += 1
        self.rounds = rounds
        self.recording = True
        for n in self.order:
            self.run_scope(n)
        self.recording = False

    def run_scope(self, nid: str) -> None:
        facts, scope = self.scopes[nid]
        self.state.current = nid
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

    # ------------------------------------------------------------------ statements

    def block(self, fr: Frame, body: tuple[ir.Stmt, ...]) -> None:
        for s in body:
            self.stmt(fr, s)

    def stmt(self, fr: Frame, s: ir.Stmt) -> None:
        if isinstance(s, ir.ExprStmt):
            self.ev(fr, s.value)
        elif isinstance(s, ir.Assign):
            self.assign_stmt(fr, s)
        elif isinstance(s, ir.Return):
            if s.value is not None:
                vals = self.ev(fr, s.value)
                if fr.fid is not None:
                    self.state.add(("r", fr.fid), vals)
        elif isinstance(s, ir.Define):
            self.define(fr, s.scope)
        elif isinstance(s, ir.ImportStmt):
            for i in s.bindings:
                self.bind_import(fr, fr.facts.imports[i])
        elif isinstance(s, ir.If):
            self.ev(fr, s.test)
            self.branches(fr, [s.body, s.orelse])
        elif isinstance(s, ir.While):
            self.ev(fr, s.test)
            self.loop(fr, lambda: self.block(fr, s.body))
            self.block(fr, s.orelse)
        elif isinstance(s, ir.For):
            els = self.elements(fr, self.ev(fr, s.iter), s.is_async)

            def body() -> None:
                self.assign(fr, s.target, els, None)
                self.block(fr, s.body)

            self.loop(fr, body)
            self.block(fr, s.orelse)
        elif isinstance(s, ir.With):
            for item in s.items:
                vals = self.ev(fr, item.context)
                entered = self.enter(fr, vals, s.is_async, item.context)
                if item.target is not None:
                    self.assign(fr, item.target, entered, None)
            self.block(fr, s.body)
        elif isinstance(s, ir.Try):
            self.try_stmt(fr, s)
        elif isinstance(s, ir.Match):
            subj = self.ev(fr, s.subject)
            blocks = []
            for c in s.cases:
                for v in c.values:
                    self.ev(fr, v)
                for name in c.captures:
                    self.bind_name(fr, name, subj)
                if c.guard is not None:
                    self.ev(fr, c.guard)
                blocks.append(c.body)
            if not any(c.is_wildcard for c in s.cases):
                blocks.append(())
            self.branches(fr, blocks)
        elif isinstance(s, ir.Raise):
            if s.exc is not None:
                vals = self.ev(fr, s.exc)
                if not isinstance(s.exc, ir.Call):
                    for v in sorted(vals, key=V.sort_key):
                        if v[0] == "cls":
                            self.construct(fr, v[1], [], {}, None, None, self.site(fr, None, s.loc))
            if s.cause is not None:
                self.ev(fr, s.cause)
        elif isinstance(s, ir.Delete):
            for t in s.targets:
                if not isinstance(t, ir.Name):
                    self.ev(fr, t)

    def branches(self, fr: Frame, blocks: list[tuple[ir.Stmt, ...]]) -> None:
        start_env, start_dyn = dict(fr.env), dict(fr.dyn)
        envs, dyns = [], []
        for b in blocks:
            fr.env, fr.dyn = dict(start_env), dict(start_dyn)
            self.block(fr, b)
            envs.append(fr.env)
            dyns.append(fr.dyn)
        fr.env = _join(envs)
        fr.dyn = {}
        for d in dyns:
            fr.dyn.update(d)

    def loop(self, fr: Frame, run) -> None:
        before = dict(fr.env)
        fr.depth += 1
        run()
        if fr.depth <= self.opt.loop_depth:
            fr.env = _join([before, fr.env])
            run()
        fr.env = _join([before, fr.env])
        fr.depth -= 1

    def try_stmt(self, fr: Frame, s: ir.Try) -> None:
        start = dict(fr.env)
        self.block(fr, s.body)
        after_body = dict(fr.env)
        self.block(fr, s.orelse)
        outs = [fr.env]
        for h in s.handlers:
            fr.env = _join([start, after_body])
            if h.type is not None:
                types = self.ev(fr, h.type)
                if h.name:
                    insts = set()
                    for v in types:
                        if v[0] == "cls":
                            insts.add(("inst", v[1]))
                        elif v[0] == "ext":
                            insts.add(("ext", v[1], "inst"))
                        elif v[0] == "obj":
                            for t in self.all_items(v):
                                if t[0] == "cls":
                                    insts.add(("inst", t[1]))
                    self.bind_name(fr, h.name, frozenset(insts))
            self.block(fr, h.body)
            outs.append(fr.env)
        fr.env = _join(outs)
        self.block(fr, s.finalbody)

    def assign_stmt(self, fr: Frame, s: ir.Assign) -> None:
        if s.value is None:
            if s.annotation is not None and len(s.targets) == 1:
                types = self.types(fr, s.annotation)
                t = s.targets[0]
                if isinstance(t, ir.Name) and fr.scope.kind == "class":
                    # A declared field (dataclass, pydantic, plain annotation): instances hold it.
                    self.state.add(("f", ("inst", fr.node), t.id), types)
                    self.state.add(("fk", ("inst", fr.node)), {("k", t.id)})
                elif types:
                    self.assign(fr, t, types, None)
            return
        vals = self.ev(fr, s.value)
        if s.annotation is not None:
            vals = vals | self.types(fr, s.annotation)
        if s.op is not None:
            for t in s.targets:
                if isinstance(t, ir.Name):
                    vals = vals | self.lookup(fr, t.id)
                    break
            if s.op == "|":
                vals = vals | self.compose(fr, "|", self.ev(fr, s.targets[0]), vals)
        for t in s.targets:
            self.assign(fr, t, vals, s.value, weak=s.op is not None)

    # ------------------------------------------------------------------ binding

    def name_skey(self, fr: Frame, name: str) -> str:
        if name in self.global_decl[fr.node]:
            return self.gkey(fr.facts.path)
        if name in self.nonlocal_decl[fr.node]:
            p = self.parent.get(fr.node)
            while p is not None:
                ps = self.scopes[p][1]
                if ps.kind in ("function", "lambda") and name in self.locals[p]:
                    return p
                p = self.parent.get(p)
        return fr.skey

    def bind_name(self, fr: Frame, name: str, vals: frozenset, weak: bool = False) -> None:
        if weak and name in fr.env:
            vals = vals | fr.env[name]
        fr.env[name] = vals
        fr.dyn.pop(name, None)
        skey = self.name_skey(fr, name)
        self.state.add(("v", skey, name), vals)
        if skey.endswith("::<module>"):
            self.state.add(("names", skey), {("k", name)})

    def assign(
        self,
        fr: Frame,
        target: ir.Expr,
        vals: frozenset,
        rhs: ir.Expr | None,
        weak: bool = False,
    ) -> None:
        if isinstance(target, ir.Name):
            self.bind_name(fr, target.id, vals, weak)
            if rhs is not None:
                key = self.lookup_key(fr, rhs)
                if key is not None:
                    fr.dyn[target.id] = key
        elif isinstance(target, ir.Attr):
            for o in self.ev(fr, target.value):
                self.set_attr(o, target.attr, vals)
        elif isinstance(target, ir.Subscript):
            objs = self.ev(fr, target.value)
            keys = self.ev(fr, target.index)
            for o in objs:
                if o[0] == "obj":
                    self.write_item(o, keys, vals, fr)
        elif isinstance(target, ir.Seq):
            self.destructure(fr, target.elts, vals)
        elif isinstance(target, ir.Starred):
            self.assign(fr, target.value, vals, None)

    def destructure(self, fr: Frame, targets: tuple[ir.Expr, ...], vals: frozenset) -> None:
        star = next((i for i, t in enumerate(targets) if isinstance(t, ir.Starred)), None)
        n = len(targets)
        parts: list[set] = [set() for _ in targets]
        for o in vals:
            if o[0] == "obj":
                fields = self.fields(o)
                idx = [int(f[5:]) for f in fields if f.startswith("#int:")]
                length = max(idx) + 1 if idx else 0
                rest = self.state.get(("f", o, "#*"))
                for i in range(n):
                    if star is not None and i == star:
                        for j in range(i, max(i, length - (n - 1 - i))):
                            parts[i] |= self.state.get(("f", o, f"#int:{j}"))
                        parts[i] |= rest
                        continue
                    j = i if star is None or i < star else length - (n - i)
                    parts[i] |= self.state.get(("f", o, f"#int:{j}")) | rest
            elif o[0] == "ext":
                for i in range(n):
                    parts[i].add(("ext", o[1], "result"))
            else:
                els = self.elements(fr, frozenset([o]), False)
                for i in range(n):
                    parts[i] |= els
        for i, t in enumerate(targets):
            if star is not None and i == star:
                site = ("obj", f"{fr.node}:star:{_locstr(t)}", "list")
                self.state.add(("f", site, "#*"), parts[i])
                self.state.add(("fk", site), {("k", "#*")})
                self.assign(
                    fr, t.value if isinstance(t, ir.Starred) else t, frozenset([site]), None
                )
            else:
                self.assign(fr, t, frozenset(parts[i]), None)

    def bind_import(self, fr: Frame, imp: ir.Import) -> None:
        if imp.name == "*":
            hit = self.index.split(imp.target)
            if hit is None or hit[1]:
                return
            mod = hit[0]
            path = self.module_path.get(mod)
            if path is None:
                return
            g = self.gkey(path)
            names = [k[1] for k in self.state.get(("names", g))]
            exported = [v[2] for v in self.state.get(("v", g, "__all__")) if v[0] == "const"]
            for o in self.state.get(("v", g, "__all__")):
                if o[0] == "obj":
                    exported += [v[2] for v in self.all_items(o) if v[0] == "const"]
            chosen = exported or [n for n in names if not n.startswith("_")]
            for name in sorted(set(chosen)):
                self.bind_name(fr, name, self.get_attr(fr, ("mod", mod), name))
            return
        self.bind_name(fr, imp.name, self.resolve_import(fr, imp))

    def resolve_import(self, fr: Frame, imp: ir.Import) -> frozenset:
        target = imp.target
        if imp.is_module and "." in target and imp.name == target.split(".")[0]:
            target = imp.name  # `import a.b` binds `a`
        hit = self.index.split(target)
        if hit is None:
            return frozenset([("ext", target, "path")])
        mod, rest = hit
        if rest and self.shadows_package(mod, rest[0]):
            # a local module named like an installed package that does not define the
            # name: Python would fail, so the import must be the package's
            return frozenset([("ext", target, "path")])
        vals: frozenset = frozenset([("mod", mod)])
        for attr in rest:
            nxt: set = set()
            for v in vals:
                nxt |= self.get_attr(fr, v, attr)
            vals = frozenset(nxt)
        return vals

    def shadows_package(self, mod: str, name: str) -> bool:
        """`from mod import name` where the project's `mod` neither binds `name`, nor has
        a submodule, star import or module `__getattr__` that could provide it."""
        path = self.module_path.get(mod)
        if path is None or name in self.module_names.get(path, ()):
            return False
        if self.index.is_module(f"{mod}.{name}") or self.star_ext.get(path):
            return False
        return "__getattr__" not in self.module_names.get(path, ())

    # ------------------------------------------------------------------ definitions

    def define(self, fr: Frame, qualname: str) -> None:
        nid = node_id(fr.facts.path, qualname, fr.scope.cell)
        if nid not in self.scopes:
            return
        _, sc = self.scopes[nid]
        if sc.kind == "class":
            for i, b in enumerate(sc.bases):
                while isinstance(b, ir.Subscript):  # Generic[T], Base[int]
                    b = b.value
                self.state.add(("base", nid, i), self.ev(fr, b))
            for kw in sc.keywords:
                self.ev(fr, kw.value)
            value = frozenset([("cls", nid)])
        else:
            self.define_params(fr, nid, sc)
            value = frozenset([("fn", nid)])
        value = self.decorate(fr, nid, value, sc.decorators)
        self.bind_name(fr, sc.name, value)

    def define_params(self, fr: Frame, nid: str, sc: ir.Scope) -> None:
        self.seed_receiver(fr, nid, sc)
        for p in sc.params:
            if p.default is not None:
                self.state.add(("p", nid, p.name), self.ev(fr, p.default))
            if p.annotation is not None:
                self.state.add(("p", nid, p.name), self.types(fr, p.annotation))
        if sc.returns is not None:
            self.state.add(("rt", nid), self.types(fr, sc.returns))

    def seed_receiver(self, fr: Frame, nid: str, sc: ir.Scope) -> None:
        """A method's first parameter holds an instance of its class (its class, for a
        classmethod) even when the project never builds one: library code whose objects
        the caller makes still resolves `self.agents`, `self.run()`."""
        if (
            fr.scope.kind != "class"
            or not sc.params
            or sc.params[0].kind not in ("posonly", "normal")
        ):
            return
        names = {ir.dotted(d.func if isinstance(d, ir.Call) else d) for d in sc.decorators}
        if names & {"staticmethod", "property"} or any(
            (n or "").endswith((".setter", ".getter", ".deleter")) for n in names
        ):
            return
        cid = node_id(fr.facts.path, fr.scope.qualname, fr.scope.cell)
        if cid not in self.scopes:
            return
        value = ("cls", cid) if "classmethod" in names else ("inst", cid)
        self.state.add(("p", nid, sc.params[0].name), frozenset([value]))

    def decorate(self, fr: Frame, nid: str, value: frozenset, decorators: tuple) -> frozenset:
        cur = value
        for d in reversed(decorators):
            dv = self.ev(fr, d)
            site = self.site(fr, None, _loc(d))
            new: set = set()
            for v in sorted(dv, key=V.sort_key):
                kind = v[0]
                if kind == "bi" and v[1] in ("staticmethod", "classmethod"):
                    self.state.add(("mk", nid), {("k", v[1][:-6])})
                    new |= cur
                elif kind == "bi" and v[1] in PROPERTY_DECORATORS:
                    self.state.add(("mk", nid), {("k", "property")})
                    new |= cur
                elif kind == "ext":
                    last = v[1].rsplit(".", 1)[-1]
                    if v[2] == "path" and last in PROPERTY_DECORATORS:
                        self.state.add(("mk", nid), {("k", "property")})
                    elif v[2] == "path" and last in ("staticmethod", "classmethod"):
                        self.state.add(("mk", nid), {("k", last[:-6])})
                    if v[2] == "path":
                        self.edge(
                            fr, Target("external", self.kb.canonical(v[1]), via="decorator"), site
                        )
                    self.state.add(("xd", nid), {("k", "1")})
                    new |= cur  # an external wrapper is transparent: calls reach the function
                elif kind in ("fn", "bm", "cls", "inst"):
                    res = self.call_value(fr, v, [cur], {}, None, None, site, "decorator", None)
                    # A decorator that returns nothing we can see (registers, returns None
                    # implicitly) leaves the name usable only if it has no value return.
                    if not res and v[0] in ("fn", "bm") and not self.returns_value.get(v[1]):
                        res = cur
                    new |= res
                else:
                    new |= cur
            if isinstance(d, ir.Attr) and d.attr in ("setter", "deleter"):
                self.state.add(("mk", nid), {("k", "setter")})
            if not dv:
                new |= cur  # an unresolved decorator: assume it keeps the function
            cur = frozenset(new)
        return cur

    # ------------------------------------------------------------------ names

    def lookup(self, fr: Frame, name: str) -> frozenset:
        hit = fr.env.get(name)
        if hit is not None:
            return hit
        node = fr.node
        path = fr.facts.path
        if name in self.locals[node] and name not in self.global_decl[node]:
            if name not in self.nonlocal_decl[node]:
                return self.state.get(("v", fr.skey, name))
        p = self.parent.get(node)
        while p is not None:
            ps = self.scopes[p][1]
            if ps.kind == "module":
                break
            if ps.kind != "class" and name in self.locals[p]:
                return self.state.get(("v", p, name))
            p = self.parent.get(p)
        g = self.state.get(("v", self.gkey(path), name))
        if g or name in self.module_names[path]:
            return g
        if name in BUILTIN_NAMES:
            return frozenset([("bi", name)])
        stars = self.star_ext.get(path)
        if stars:
            return frozenset([("ext", f"{stars[0]}.{name}", "path")])
        return EMPTY

    # ------------------------------------------------------------------ expressions

    def ev(self, fr: Frame, e: ir.Expr) -> frozenset:
        if isinstance(e, ir.Name):
            return self.lookup(fr, e.id)
        if isinstance(e, ir.Call):
            return self.ev_call(fr, e)
        if isinstance(e, ir.Attr):
            out: set = set()
            for v in self.ev(fr, e.value):
                out |= self.get_attr(fr, v, e.attr, e)
            return frozenset(out)
        if isinstance(e, ir.Const):
            c = V.const(e.value)
            return frozenset([c]) if c is not None else EMPTY
        if isinstance(e, ir.Subscript):
            return self.ev_subscript(fr, e)
        if isinstance(e, ir.Await):
            return self.ev(fr, e.value)
        if isinstance(e, ir.Seq):
            return self.ev_seq(fr, e)
        if isinstance(e, ir.Dict):
            return self.ev_dict(fr, e)
        if isinstance(e, ir.Lambda):
            nid = node_id(fr.facts.path, e.scope, fr.scope.cell)
            if nid in self.scopes:
                self.define_params(fr, nid, self.scopes[nid][1])
            return frozenset([("fn", nid)])
        if isinstance(e, ir.BoolOp):
            out = set()
            for x in e.values:
                out |= self.ev(fr, x)
            return frozenset(out)
        if isinstance(e, ir.IfExp):
            self.ev(fr, e.test)
            return self.ev(fr, e.body) | self.ev(fr, e.orelse)
        if isinstance(e, ir.Comp):
            return self.ev_comp(fr, e)
        if isinstance(e, ir.NamedExpr):
            vals = self.ev(fr, e.value)
            self.bind_name(fr, e.target.id, vals)
            return vals
        if isinstance(e, ir.Starred):
            return self.ev(fr, e.value)
        if isinstance(e, ir.BinOp):
            left, right = self.ev(fr, e.left), self.ev(fr, e.right)
            return self.compose(fr, e.op, left, right)
        if isinstance(e, ir.Yield):
            if e.value is not None:
                vals = self.ev(fr, e.value)
                if fr.fid is not None:
                    if e.is_from:
                        vals = self.elements(fr, vals, False)
                    self.state.add(("y", fr.fid), vals)
            return EMPTY
        for sub in ir.iter_child_exprs(e):
            self.ev(fr, sub)
        return EMPTY

    def compose(self, fr: Frame, op: str, left: frozenset, right: frozenset) -> frozenset:
        """`a | b` of external values (LCEL chains) as the knowledge base types them."""
        out = set()
        for lv in left:
            for rv in right:
                if lv[0] == "ext" or rv[0] == "ext":
                    lt = lv[1] if lv[0] == "ext" else ""
                    rt = rv[1] if rv[0] == "ext" else ""
                    t = self.kb.compose_type(op, lt, rt)
                    if t:
                        out.add(("ext", t, "inst"))
        return frozenset(out)

    def ev_seq(self, fr: Frame, e: ir.Seq) -> frozenset:
        o = ("obj", f"{fr.node}:{e.kind}:{_locstr(e)}", e.kind)
        keys = []
        i = 0
        after_star = False
        for el in e.elts:
            if isinstance(el, ir.Starred):
                self.state.add(("f", o, "#*"), self.elements(fr, self.ev(fr, el.value), False))
                keys.append(("k", "#*"))
                after_star = True
                continue
            vals = self.ev(fr, el)
            f = "#*" if after_star else f"#int:{i}"
            self.write_field(fr, o, f, vals, strong=not after_star)
            keys.append(("k", f))
            i += 1
        self.state.add(("fk", o), keys)
        return frozenset([o])

    def ev_dict(self, fr: Frame, e: ir.Dict) -> frozenset:
        o = ("obj", f"{fr.node}:dict:{_locstr(e)}", "dict")
        for k, v in zip(e.keys, e.values, strict=False):
            vals = self.ev(fr, v)
            if k is None:
                for m in vals:
                    if m[0] == "obj":
                        self.copy_items(m, o, fr)
                continue
            self.write_item(o, self.ev(fr, k), vals, fr)
        return frozenset([o])

    def ev_comp(self, fr: Frame, e: ir.Comp) -> frozenset:
        for g in e.generators:
            els = self.elements(fr, self.ev(fr, g.iter), g.is_async)
            self.assign_local(fr, g.target, els)
            for cond in g.ifs:
                self.ev(fr, cond)
        kind = {"gen": "gen", "set": "set", "dict": "dict"}.get(e.kind, "list")
        o = ("obj", f"{fr.node}:comp:{_locstr(e)}", kind)
        vals = self.ev(fr, e.elt)
        if e.key is not None:
            keys = self.ev(fr, e.key)
            self.write_item(o, frozenset([("const", "?", "?")]) | keys, vals)
        else:
            self.state.add(("f", o, "#*"), vals)
            self.state.add(("fk", o), {("k", "#*")})
        return frozenset([o])

    def assign_local(self, fr: Frame, target: ir.Expr, vals: frozenset) -> None:
        """Comprehension targets: local to the comprehension, not summarised."""
        if isinstance(target, ir.Name):
            fr.env[target.id] = vals
        elif isinstance(target, (ir.Seq,)):
            for t in target.elts:
                inner: set = set()
                for o in vals:
                    if o[0] == "obj":
                        inner |= self.all_items(o)
                    elif o[0] == "ext":
                        inner.add(("ext", o[1], "result"))
                self.assign_local(fr, t.value if isinstance(t, ir.Starred) else t, frozenset(inner))
        else:
            self.assign(fr, target, vals, None)

    def ev_subscript(self, fr: Frame, e: ir.Subscript) -> frozenset:
        objs = self.ev(fr, e.value)
        if isinstance(e.index, ir.Slice):
            for x in (e.index.lower, e.index.upper, e.index.step):
                if x is not None:
                    self.ev(fr, x)
            return self.slice(fr, objs, e)
        keys = self.ev(fr, e.index)
        out: set = set()
        for o in objs:
            if o[0] == "obj":
                out |= self.read_item(o, keys, fr)
            elif o[0] == "globals":
                out |= self.read_globals(o[1], keys)
            elif o[0] == "ext" and o[2] != "path":
                out.add(("ext", o[1], "result"))
            elif (o[0] == "ext" and o[2] == "path") or o[0] == "cls":
                out.add(o)  # `Agent[Deps, Out]`: a generic alias behaves as its class
        return frozenset(out)

    def slice(self, fr: Frame, objs: frozenset, e: ir.Subscript) -> frozenset:
        sl = e.index
        assert isinstance(sl, ir.Slice)
        lo = sl.lower.value if isinstance(sl.lower, ir.Const) else (0 if sl.lower is None else None)
        step = sl.step
        out = set()
        for o in objs:
            if o[0] != "obj":
                continue
            if not isinstance(lo, int) or isinstance(lo, bool) or lo < 0 or step is not None:
                new = ("obj", f"{fr.node}:slice:{_locstr(e)}", "list")
                self.state.add(("f", new, "#*"), self.all_items(o))
                self.state.add(("fk", new), {("k", "#*")})
                out.add(new)
                continue
            hi = sl.upper.value if isinstance(sl.upper, ir.Const) else None
            new = ("obj", f"{fr.node}:slice:{_locstr(e)}", "list")
            keys = []
            for f in self.fields(o):
                if f.startswith("#int:"):
                    j = int(f[5:])
                    if j >= lo and (not isinstance(hi, int) or j < hi):
                        nf = f"#int:{j - lo}"
                        self.state.add(("f", new, nf), self.state.get(("f", o, f)))
                        keys.append(("k", nf))
                elif f == "#*":
                    self.state.add(("f", new, "#*"), self.state.get(("f", o, f)))
                    keys.append(("k", "#*"))
            self.state.add(("fk", new), keys)
            out.add(new)
        return frozenset(out)

    # ------------------------------------------------------------------ containers

    def fields(self, o: tuple) -> list[str]:
        return sorted(k[1] for k in self.state.get(("fk", o)))

    def owns(self, fr: Frame | None, o: tuple) -> bool:
        """True when `o` was built by a display in the scope `fr` is running."""
        return fr is not None and o[1].startswith(fr.node + ":")

    def write_field(
        self, fr: Frame | None, o: tuple, f: str, vals: frozenset, strong: bool
    ) -> None:
        """Add to a container field; the building scope also keeps a flow-sensitive view
        (a later `d["a"] = g` replaces `f` there), other scopes' writes stay visible."""
        self.state.add(("f", o, f), vals)
        self.state.add(("fk", o), {("k", f)})
        if self.owns(fr, o):
            hk = ("h", o, f)
            fr.env[hk] = vals if strong else fr.env.get(hk, EMPTY) | vals  # type: ignore[union-attr]
        else:
            self.state.add(("fx", o, f), vals)

    def read_field(self, fr: Frame | None, o: tuple, f: str) -> frozenset:
        if self.owns(fr, o):
            hit = fr.env.get(("h", o, f))  # type: ignore[union-attr]
            if hit is not None:
                return hit | self.state.get(("fx", o, f))
        return self.state.get(("f", o, f))

    def write_item(
        self, o: tuple, keys: frozenset, vals: frozenset, fr: Frame | None = None
    ) -> None:
        consts = [k for k in keys if k[0] == "const"]
        if keys and len(consts) == len(keys):
            names = [f"#{k[1]}:{k[2]}" for k in consts]
        else:
            names = ["#*"]
        for n in names:
            self.write_field(fr, o, n, vals, strong=len(names) == 1 and n != "#*")
        if o[2] in ("dict", "kwargs"):
            self.state.add(("f", o, "@keys"), keys)

    def read_item(self, o: tuple, keys: frozenset, fr: Frame | None = None) -> frozenset:
        consts = [k for k in keys if k[0] == "const"]
        if keys and len(consts) == len(keys):
            out = set(self.state.get(("f", o, "#*")))
            for k in consts:
                out |= self.read_field(fr, o, f"#{k[1]}:{k[2]}")
            return frozenset(out)
        return self.all_items(o)

    def all_items(self, o: tuple) -> frozenset:
        out: set = set()
        for f in self.fields(o):
            if f.startswith("#"):
                out |= self.state.get(("f", o, f))
        return frozenset(out)

    def copy_items(self, src: tuple, dst: tuple, fr: Frame | None = None) -> None:
        for f in self.fields(src):
            if f.startswith("#"):
                self.write_field(fr, dst, f, self.read_field(fr, src, f), strong=f != "#*")
        self.state.add(("f", dst, "@keys"), self.state.get(("f", src, "@keys")))

    def read_globals(self, module_key: str, keys: frozenset) -> frozenset:
        path = module_key
        g = self.gkey(path)
        consts = [k for k in keys if k[0] == "const" and k[1] == "str"]
        if keys and len(consts) == len(keys):
            names = [k[2] for k in consts]
        else:
            names = [k[1] for k in self.state.get(("names", g))]
        out: set = set()
        for n in names:
            for v in self.state.get(("v", g, n)):
                if v[0] in ("fn", "cls"):
                    out.add(v)
        return frozenset(out)

    def elements(self, fr: Frame, vals: frozenset, is_async: bool) -> frozenset:
        out: set = set()
        for o in sorted(vals, key=V.sort_key):
            k = o[0]
            if k == "obj":
                if o[2] in ("dict", "kwargs"):
                    out |= self.state.get(("f", o, "@keys"))
                else:
                    out |= self.all_items(o)
            elif k == "gen":
                out |= self.state.get(("y", o[1]))
            elif k == "ext" and o[2] != "path":
                out.add(("ext", o[1], "result"))
            elif k == "inst":
                site = self.site(fr, None, None)
                first, second = ("__aiter__", "__anext__") if is_async else ("__iter__", "__next__")
                its = self.call_method(fr, o, first, site)
                for it in its:
                    out |= self.call_method(fr, it, second, site)
        return frozenset(out)

    def enter(self, fr: Frame, vals: frozenset, is_async: bool, expr: ir.Expr) -> frozenset:
        out: set = set()
        name = "__aenter__" if is_async else "__enter__"
        for o in sorted(vals, key=V.sort_key):
            if o[0] == "inst":
                res = self.call_method(fr, o, name, self.site(fr, None, _loc(expr)))
                out |= res
            elif o[0] == "gen":
                out |= self.state.get(("y", o[1]))
            elif o[0] == "ext":
                out.add(o if o[2] != "path" else ("ext", o[1], "inst"))
        return frozenset(out)

    def call_method(self, fr: Frame, recv: tuple, name: str, site: tuple) -> frozenset:
        meths = self.get_attr(fr, recv, name)
        out: set = set()
        for m in meths:
            if m[0] in ("bm", "fn"):
                out |= self.call_value(fr, m, [], {}, None, None, site, "call", None)
        return frozenset(out)

    # ------------------------------------------------------------------ attributes

    def method_kinds(self, fid: str) -> set[str]:
        return {k[1] for k in self.state.get(("mk", fid))}

    def set_attr(self, o: tuple, attr: str, vals: frozenset) -> None:
        k = o[0]
        if k == "inst":
            self.state.add(("f", o, attr), vals)
            self.state.add(("fk", o), {("k", attr)})
        elif k == "cls":
            self.state.add(("v", o[1], attr), vals)
        elif k == "mod":
            path = self.module_path.get(o[1])
            if path is not None:
                self.state.add(("v", self.gkey(path), attr), vals)
                self.state.add(("names", self.gkey(path)), {("k", attr)})

    def get_attr(self, fr: Frame, o: tuple, attr: str, expr: ir.Expr | None = None) -> frozenset:
        k = o[0]
        if k == "ext":
            return self.ext_attr(o, attr)
        if k == "inst":
            return self.inst_attr(fr, o, attr, expr)
        if k == "cls":
            return self.class_attr(fr, o[1], attr, None, expr)
        if k == "mod":
            return self.module_attr(o[1], attr)
        if k == "fn":
            if attr in CALLISH and self.state.get(("xd", o[1])):
                return frozenset([o])
            return EMPTY
        if k == "bm":
            if attr == "__func__":
                return frozenset([("fn", o[1])])
            if attr in CALLISH and self.state.get(("xd", o[1])):
                return frozenset([o])
            return EMPTY
        if k == "super":
            return self.super_attr(fr, o, attr, expr)
        return EMPTY

    def ext_attr(self, o: tuple, attr: str) -> frozenset:
        _, q, kind = o
        if kind in ("anypath", "anyinst"):
            return EMPTY
        if kind != "path":
            t = self.kb.attribute_type(q, attr)
            if t:
                return frozenset([("ext", t, "inst")])
        if kind in ("result", "rmember"):
            # Attributes of an untyped result stay untyped (and the name does not grow in
            # loops such as `node = node.parent`).
            return frozenset([("ext", q, "rmember")])
        if q.count(".") >= MAX_EXT_DEPTH:
            return EMPTY
        nk = "path" if kind == "path" else "member"
        return frozenset([("ext", f"{q}.{attr}", nk)])

    def module_attr(self, mod: str, attr: str) -> frozenset:
        path = self.module_path.get(mod)
        if path is not None:
            g = self.gkey(path)
            vals = self.state.get(("v", g, attr))
            if vals:
                return vals
        sub = f"{mod}.{attr}"
        if self.index.is_module(sub):
            return frozenset([("mod", self.index.canonical(sub))])
        if path is not None:
            stars = self.star_ext.get(path)
            if stars and attr not in self.module_names[path]:
                return frozenset([("ext", f"{stars[0]}.{attr}", "path")])
            if attr not in self.module_names[path] and not attr.startswith("__"):
                # PEP 562: a module `__getattr__` answers names the module does not bind
                out: set = set()
                for h in self.state.get(("v", self.gkey(path), "__getattr__")):
                    if h[0] == "fn" and h[1] in self.scopes:
                        out |= self.delegated_attr(self.fn_result(h[1]), attr)
                return frozenset(out)
        return EMPTY

    def inst_attr(self, fr: Frame, o: tuple, attr: str, expr: ir.Expr | None) -> frozenset:
        own = self.state.get(("f", o, attr))
        cls_vals = self.class_attr(fr, o[1], attr, o, expr, fallback_ext=not own)
        if own or cls_vals or attr.startswith("__"):
            return own | cls_vals
        hooks = self.class_attr(fr, o[1], "__getattr__", o, None, fallback_ext=False)
        out: set = set()
        for h in hooks:
            if h[0] == "bm" and h[1] in self.scopes:
                self.bind(h[1], [frozenset([h[2]])], {}, None, None)
                out |= self.delegated_attr(self.fn_result(h[1]), attr)
        return frozenset(out)

    def delegated_attr(self, returned: frozenset, attr: str) -> frozenset:
        """`attr` of whatever a forwarding `__getattr__` returns `getattr(target, name)` of:
        a lazy proxy (`getattr(importlib.import_module("litellm"), name)`) or a wrapper
        around an SDK client behaves as that package or client."""
        out: set = set()
        for v in returned:
            if v[0] == "ext" and v[2] in ("anypath", "anyinst"):
                out |= self.ext_attr(("ext", v[1], v[2][3:]), attr)
        return frozenset(out)

    def mro(self, cid: str) -> list[tuple]:
        """C3 linearisation of a class's bases as currently known (external bases kept)."""
        hit = self._mro_cache.get(cid)
        if hit is not None and hit[0] == self.state.base_version:
            for key in hit[2]:
                self.state.get(key)
            return hit[1]
        keys: list[tuple] = []
        out = self._mro(cid, (), keys)
        self._mro_cache[cid] = (self.state.base_version, out, keys)
        return out

    def _mro(self, cid: str, seen: tuple, keys: list) -> list[tuple]:
        if cid in seen or len(seen) > 30:
            return [("cls", cid)]
        seen = (*seen, cid)
        sc = self.scopes[cid][1]
        bases: list[tuple] = []
        for i in range(len(sc.bases)):
            key = ("base", cid, i)
            keys.append(key)
            for v in sorted(self.state.get(key), key=V.sort_key):
                if v[0] == "cls" and v not in bases:
                    bases.append(v)
                elif v[0] == "ext" and v[2] == "path" and v[1] not in MARKER_BASES:
                    bases.append(("ext", v[1], "path"))
        seqs = [self._mro(b[1], seen, keys) if b[0] == "cls" else [b] for b in bases]
        seqs.append(list(bases))
        merged = _c3(seqs)
        return [("cls", cid), *merged]

    def class_attr(
        self,
        fr: Frame,
        cid: str,
        attr: str,
        recv: tuple | None,
        expr: ir.Expr | None,
        fallback_ext: bool = True,
        skip_until: str | None = None,
    ) -> frozenset:
        chain = self.mro(cid)
        if skip_until is not None:
            ids = [c[1] for c in chain]
            if skip_until in ids:
                chain = chain[ids.index(skip_until) + 1 :]
        for c in chain:
            if c[0] == "cls":
                if c[1] not in self.scopes or attr not in self.locals[c[1]]:
                    continue
                vals = self.state.get(("v", c[1], attr))
                return self.bind_class_values(fr, vals, recv, cid, expr)
            if c[0] == "ext":
                if not fallback_ext:
                    return EMPTY
                kind = "member" if recv is not None and recv[0] == "inst" else "path"
                return frozenset([("ext", f"{c[1]}.{attr}", kind)])
        return EMPTY

    def bind_class_values(
        self, fr: Frame, vals: frozenset, recv: tuple | None, cid: str, expr: ir.Expr | None
    ) -> frozenset:
        out: set = set()
        for v in sorted(vals, key=V.sort_key):
            if v[0] != "fn":
                out.add(v)
                continue
            kinds = self.method_kinds(v[1])
            if "static" in kinds:
                out.add(v)
            elif "class" in kinds:
                klass = ("cls", recv[1]) if recv is not None else ("cls", cid)
                out.add(("bm", v[1], klass))
            elif "setter" in kinds:
                continue
            elif "property" in kinds:
                if recv is not None and recv[0] == "inst":
                    site = self.site(fr, None, _loc(expr) if expr is not None else None)
                    out |= self.call_value(
                        fr, ("bm", v[1], recv), [], {}, None, None, site, "property", None
                    )
            elif recv is not None and recv[0] == "inst":
                out.add(("bm", v[1], recv))
            else:
                out.add(v)
        return frozenset(out)

    def super_attr(self, fr: Frame, o: tuple, attr: str, expr: ir.Expr | None) -> frozenset:
        _, cid, recv = o
        base = recv[1] if recv[0] in ("inst", "cls") else cid
        if base not in self.scopes:
            base = cid
        if cid not in [c[1] for c in self.mro(base)]:
            base = cid
        return self.class_attr(fr, base, attr, recv, expr, skip_until=cid)

    # ------------------------------------------------------------------ calls

    def site(self, fr: Frame, cid: int | None, loc: ir.Loc | None) -> tuple:
        return (fr.facts.path, cid, loc.line if loc is not None else fr.scope.loc.line)

    def ev_call(self, fr: Frame, call: ir.Call) -> frozenset:
        func = call.func
        site = self.site(fr, call.cid, call.loc)
        container_out: set = set()
        if isinstance(func, ir.Attr):
            recv = self.ev(fr, func.value)
            callees: set = set()
            for v in recv:
                callees |= self.get_attr(fr, v, func.attr, func)
            objs = [v for v in recv if v[0] in ("obj", "globals", "gen")]
        else:
            recv = EMPTY
            callees = set(self.ev(fr, func))
            objs = []
        spawner = self.spawn_via(callees)
        saved_via = fr.via
        if spawner is not None:
            fr.via = spawner
        pos: list[frozenset] = []
        kws: dict[str, frozenset] = {}
        star: set = set()
        dstar: set = set()
        has_star = has_dstar = False
        for a in call.args:
            vals = self.ev(fr, a.value)
            if a.kw is None:
                pos.append(vals)
            elif a.kw == "*":
                has_star = True
                star |= self.elements(fr, vals, False)
            elif a.kw == "**":
                has_dstar = True
                for m in vals:
                    if m[0] == "obj":
                        dstar |= self.all_items(m)
            else:
                kws[a.kw] = vals
        fr.via = saved_via
        if objs and isinstance(func, ir.Attr):
            container_out |= self.container_call(fr, objs, func.attr, pos, kws, call, site)
        key = self.dispatch_key(fr, func)
        via = fr.via or ("dispatch" if key is not None else "call")
        out: set = set(container_out)
        star_v = frozenset(star) if has_star else None
        dstar_v = frozenset(dstar) if has_dstar else None
        for v in sorted(callees, key=V.sort_key):
            out |= self.call_value(fr, v, pos, kws, star_v, dstar_v, site, via, key, call)
        if any(v[0] in ("ext", "bi") for v in callees):
            res = self.callbacks(fr, callees, pos, kws, star_v, site)
            if res and ("bi", "map") in callees:
                o = ("obj", f"{fr.node}:map:{_locstr(call)}", "list")
                self.state.add(("f", o, "#*"), res)
                self.state.add(("fk", o), {("k", "#*")})
                out.add(o)
        return frozenset(out)

    def spawn_via(self, callees: Iterable[tuple]) -> str | None:
        """`task`/`executor` when the callee runs its (coroutine) arguments concurrently."""
        for v in callees:
            if v[0] == "ext":
                last = v[1].rsplit(".", 1)[-1]
                if last in TASK and last != "run":
                    return "task"
                if last == "run" and v[1].startswith(("asyncio", "trio", "anyio")):
                    return "task"
        return None

    def call_value(
        self,
        fr: Frame,
        v: tuple,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        dstar: frozenset | None,
        site: tuple,
        via: str,
        key: ir.Expr | None,
        call: ir.Call | None = None,
    ) -> frozenset:
        k = v[0]
        dyn = key is not None
        if k == "fn":
            if v[1] not in self.scopes:
                return EMPTY
            self.edge(fr, Target("internal", v[1], dyn, key, via), site)
            self.bind(v[1], pos, kws, star, dstar)
            return self.fn_result(v[1])
        if k == "bm":
            if v[1] not in self.scopes:
                return EMPTY
            self.edge(fr, Target("internal", v[1], dyn, key, via), site)
            self.bind(v[1], [frozenset([v[2]]), *pos], kws, star, dstar)
            return self.fn_result(v[1])
        if k == "cls":
            return self.construct(fr, v[1], pos, kws, star, dstar, site, key, via)
        if k == "inst":
            out: set = set()
            for m in self.get_attr(fr, v, "__call__"):
                if m[0] in ("bm", "fn"):
                    out |= self.call_value(fr, m, pos, kws, star, dstar, site, via, key)
            return frozenset(out)
        if k == "ext":
            if v[2] in ("anypath", "anyinst"):
                return EMPTY  # `getattr(sdk, name)()`: which function is unknown
            if v[2] == "rmember":
                # A method of a value some external method returned: its type is unknown
                # (unless the knowledge base typed it), so no API name is invented for it.
                return frozenset([("ext", v[1], "result")])
            name = self.kb.canonical(v[1])
            self.edge(fr, Target("external", name, dyn, key, via), site)
            last = v[1].rsplit(".", 1)[-1]
            if last in PARTIAL and pos:
                # `partial(f, ...)` calls `f` when called; `f` may be an SDK method too
                return frozenset(x for x in pos[0] if x[0] in ("fn", "bm", "cls", "ext"))
            if v[1] in IMPORTERS and pos:
                mods = self.imported_modules(pos[0])
                if mods:
                    return mods
            keep = self.kb.passthrough_arg(v[1])
            if keep is not None and keep < len(pos) and pos[keep]:
                return pos[keep]  # `wrap_openai(client)` is still that client
            t = self.kb.result_type(v[1], _literal_args(call))
            if t:
                return frozenset([("ext", t, "inst")])
            if name in SEQUENCES:
                # `deque(xs)` holds the items of xs, as a list would
                return self.builtin(fr, "list", pos, kws, star, site, call)
            if name in CASTS and pos:
                # `cast(AssistantAgent, x)` is an AssistantAgent
                return frozenset(
                    ("inst", c[1]) if c[0] == "cls" else ("ext", c[1], "inst")
                    for c in pos[0]
                    if c[0] == "cls" or (c[0] == "ext" and c[2] == "path")
                )
            owner, _, meth = v[1].rpartition(".")
            if v[2] == "path" and _alt_constructor(owner, meth):
                # `VectorStoreIndex.from_vector_store(...)`, `Agent.load(...)`: an instance
                return frozenset([("ext", owner, "inst")])
            return frozenset([("ext", v[1], "inst" if v[2] == "path" else "result")])
        if k == "bi":
            self.edge(fr, Target("builtin", v[1], dyn, key, via), site)
            return self.builtin(fr, v[1], pos, kws, star, site, call)
        return EMPTY

    def imported_modules(self, names: frozenset) -> frozenset:
        """The modules `importlib.import_module(name)` yields for literal names."""
        out = set()
        for n in names:
            if n[0] == "const" and n[1] == "str" and n[2] and not n[2].startswith("."):
                hit = self.index.split(n[2])
                if hit is not None and not hit[1]:
                    out.add(("mod", hit[0]))
                else:
                    out.add(("ext", n[2], "path"))
        return frozenset(out)

    def construct(
        self,
        fr: Frame,
        cid: str,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        dstar: frozenset | None,
        site: tuple,
        key: ir.Expr | None = None,
        via: str = "call",
    ) -> frozenset:
        inst = ("inst", cid)
        via = "constructor" if via == "call" else via
        for m in sorted(self.class_attr(fr, cid, "__init__", inst, None), key=V.sort_key):
            if m[0] in ("bm", "fn"):
                self.call_value(fr, m, pos, kws, star, dstar, site, via, key)
            elif m[0] == "ext":
                name = self.kb.canonical(m[1])
                self.edge(fr, Target("external", name, key is not None, key, via), site)
        return frozenset([inst])

    def fn_result(self, fid: str) -> frozenset:
        sc = self.scopes[fid][1]
        out = self.state.get(("rt", fid))
        if sc.is_generator:
            return out | {("gen", fid)}
        return out | self.state.get(("r", fid))

    def bind(
        self,
        fid: str,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        dstar: frozenset | None,
    ) -> None:
        params = self.scopes[fid][1].params
        positional = [p for p in params if p.kind in ("posonly", "normal")]
        vararg = next((p for p in params if p.kind == "vararg"), None)
        kwarg = next((p for p in params if p.kind == "kwarg"), None)
        st = self.state
        for i, vals in enumerate(pos):
            if i < len(positional):
                st.add(("p", fid, positional[i].name), vals)
            elif vararg is not None:
                o = ("obj", f"args:{fid}", "tuple")
                st.add(("f", o, "#*"), vals)
                st.add(("fk", o), {("k", "#*")})
        for name, vals in kws.items():
            p = next((p for p in params if p.name == name and p.kind in ("normal", "kwonly")), None)
            if p is not None:
                st.add(("p", fid, name), vals)
            elif kwarg is not None:
                self.write_item(("obj", f"kwargs:{fid}", "dict"), frozenset([V.const(name)]), vals)
        if star:
            for p in positional[len(pos) :]:
                st.add(("p", fid, p.name), star)
            if vararg is not None:
                o = ("obj", f"args:{fid}", "tuple")
                st.add(("f", o, "#*"), star)
                st.add(("fk", o), {("k", "#*")})
        if dstar:
            for p in positional[len(pos) :] + [p for p in params if p.kind == "kwonly"]:
                if p.name not in kws:
                    st.add(("p", fid, p.name), dstar)
            if kwarg is not None:
                self.write_item(("obj", f"kwargs:{fid}", "dict"), EMPTY, dstar)

    def callbacks(
        self,
        fr: Frame,
        callees: Iterable[tuple],
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        site: tuple,
    ) -> frozenset:
        """Project functions handed to external or builtin code are called by the caller.

        Builtins call their function arguments only when they are known to (`map`,
        `sorted(key=)`...); external code is assumed to, as PyCG does, except the few
        standard helpers that only inspect or wrap a function (`functools.wraps`).
        """
        callers = [
            v
            for v in callees
            if (v[0] == "bi" and v[1] in CALLING_BUILTINS)
            or (v[0] == "ext" and v[2] != "rmember" and not v[1].startswith(NON_CALLING_EXT))
        ]
        if not callers:
            return EMPTY
        lasts = {v[1].rsplit(".", 1)[-1] for v in callers}
        bi_names = {v[1] for v in callers if v[0] == "bi"}
        if lasts & PARTIAL:
            via = "partial"
        elif lasts & THREAD:
            via = "thread"
        elif (lasts - bi_names) & EXECUTOR:
            via = "executor"
        elif lasts & TASK:
            via = "task"
        else:
            via = "callback"
        results: set = set()
        args_all = list(pos) + [kws[k] for k in sorted(kws)]
        if star:
            args_all.append(star)
        for i, vals in enumerate(args_all):
            cbs = [v for v in vals if V.is_callable(v)]
            if not cbs:
                continue
            rest = list(pos[i + 1 :]) if i < len(pos) else []
            if lasts & {"map", "imap", "imap_unordered", "filter", "starmap"}:
                rest = [self.elements(fr, r, False) for r in rest]
            elif i >= len(pos):
                rest = []
                if lasts & THREAD and "args" in kws:
                    for o in kws["args"]:
                        if o[0] == "obj":
                            for j in range(8):
                                got = self.state.get(("f", o, f"#int:{j}"))
                                if not got:
                                    break
                                rest.append(got)
            if lasts & PARTIAL:
                continue_kws = {k: v for k, v in kws.items()}
            else:
                continue_kws = {}
            for cb in sorted(cbs, key=V.sort_key):
                results |= self.call_value(fr, cb, rest, continue_kws, None, None, site, via, None)
        return frozenset(results)

    def builtin(
        self,
        fr: Frame,
        name: str,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        star: frozenset | None,
        site: tuple,
        call: ir.Call | None,
    ) -> frozenset:
        if name == "getattr" and len(pos) >= 2:
            out: set = set(pos[2]) if len(pos) > 2 else set()
            names = pos[1]
            consts = [n for n in names if n[0] == "const" and n[1] == "str"]
            for o in pos[0]:
                if names and len(consts) == len(names):
                    for n in consts:
                        out |= self.get_attr(fr, o, n[2])
                elif o[0] == "ext" and o[2] in ("path", "inst"):
                    # any attribute of an outside value: what a forwarding `__getattr__`
                    # returns, resolved at each access (`delegated_attr`)
                    out.add(("ext", o[1], f"any{o[2]}"))
                else:
                    prefix = (
                        _prefix(call.args[1].value)
                        if call is not None and len(call.args) > 1
                        else ""
                    )
                    out |= self.dynamic_attrs(fr, o, prefix)
            return frozenset(out)
        if name == "setattr" and len(pos) >= 3:
            for n in pos[1]:
                if n[0] == "const" and n[1] == "str":
                    for o in pos[0]:
                        self.set_attr(o, n[2], pos[2])
            return EMPTY
        if name == "super":
            if pos and len(pos) >= 2:
                out = set()
                for c in pos[0]:
                    if c[0] == "cls":
                        for r in pos[1]:
                            out.add(("super", c[1], r))
                return frozenset(out)
            if fr.cls is not None and fr.self_param is not None:
                recvs = fr.env.get(fr.self_param, EMPTY)
                return frozenset(("super", fr.cls, r) for r in recvs if r[0] in ("inst", "cls"))
            return EMPTY
        if name in ("list", "tuple", "set", "frozenset", "sorted", "reversed", "iter", "filter"):
            src = pos[-1] if pos else EMPTY
            if name == "iter" and pos:
                return pos[0]
            if name == "filter":
                src = pos[1] if len(pos) > 1 else EMPTY
            o = ("obj", f"{site[0]}:{site[1]}:{name}", "list" if name != "tuple" else "tuple")
            self.state.add(("f", o, "#*"), self.elements(fr, src, False))
            self.state.add(("fk", o), {("k", "#*")})
            return frozenset([o])
        if name == "next" and pos:
            return self.elements(fr, pos[0], False) | (pos[1] if len(pos) > 1 else EMPTY)
        if name == "dict":
            o = ("obj", f"{site[0]}:{site[1]}:dict", "dict")
            for src in pos[:1]:
                for m in src:
                    if m[0] == "obj":
                        self.copy_items(m, o)
            for k, vals in kws.items():
                self.write_item(o, frozenset([V.const(k)]), vals)
            return frozenset([o])
        if name in ("enumerate", "zip"):
            o = ("obj", f"{site[0]}:{site[1]}:{name}", "list")
            t = ("obj", f"{site[0]}:{site[1]}:{name}:item", "tuple")
            srcs = pos[:1] if name == "enumerate" else pos
            for i, src in enumerate(srcs):
                j = i + 1 if name == "enumerate" else i
                self.state.add(("f", t, f"#int:{j}"), self.elements(fr, src, False))
                self.state.add(("fk", t), {("k", f"#int:{j}")})
            self.state.add(("f", o, "#*"), {t})
            self.state.add(("fk", o), {("k", "#*")})
            return frozenset([o])
        if name in ("globals", "locals", "vars") and not pos:
            return frozenset([("globals", fr.facts.path)]) if name == "globals" else EMPTY
        if name == "type" and len(pos) == 1:
            return frozenset(("cls", v[1]) for v in pos[0] if v[0] == "inst")
        if name in ("staticmethod", "classmethod", "property") and pos:
            return pos[0]
        if name == "map":
            return EMPTY
        if name in ("min", "max") and pos:
            return self.elements(fr, pos[0], False) if len(pos) == 1 else frozenset().union(*pos)
        return EMPTY

    def dynamic_attrs(self, fr: Frame, o: tuple, prefix: str) -> frozenset:
        """Every attribute `getattr(o, <runtime name>)` may fetch, filtered by a literal prefix."""
        names: set[str] = set()
        if o[0] in ("inst", "cls"):
            for c in self.mro(o[1]):
                if c[0] == "cls" and c[1] in self.scopes:
                    names |= self.locals[c[1]]
            if o[0] == "inst":
                names |= {k[1] for k in self.state.get(("fk", o))}
        elif o[0] == "mod":
            path = self.module_path.get(o[1])
            if path is not None:
                names |= {k[1] for k in self.state.get(("names", self.gkey(path)))}
        out: set = set()
        for n in sorted(names):
            if not n.startswith(prefix) or (n.startswith("__") and not prefix.startswith("__")):
                continue
            for v in self.get_attr(fr, o, n):
                if v[0] in ("fn", "bm", "cls"):
                    out.add(v)
        return frozenset(out)

    def container_call(
        self,
        fr: Frame,
        objs: list[tuple],
        meth: str,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        call: ir.Call,
        site: tuple,
    ) -> frozenset:
        out: set = set()
        for o in objs:
            if o[0] == "globals":
                if meth == "get" and pos:
                    out |= self.read_globals(o[1], pos[0])
                continue
            if o[0] == "gen":
                continue
            kind = o[2]
            if meth in ("append", "add", "appendleft") and pos:
                self.state.add(("f", o, "#*"), pos[0])
                self.state.add(("fk", o), {("k", "#*")})
            elif meth == "insert" and len(pos) > 1:
                self.state.add(("f", o, "#*"), pos[1])
                self.state.add(("fk", o), {("k", "#*")})
            elif meth in ("extend", "extendleft") and pos:
                self.state.add(("f", o, "#*"), self.elements(fr, pos[0], False))
                self.state.add(("fk", o), {("k", "#*")})
            elif meth == "update":
                for src in pos[:1]:
                    for m in src:
                        if m[0] == "obj":
                            self.copy_items(m, o, fr)
                for k, vals in kws.items():
                    self.write_item(o, frozenset([V.const(k)]), vals, fr)
            elif meth in ("get", "pop", "setdefault") and kind in ("dict", "kwargs"):
                keys = pos[0] if pos else EMPTY
                if meth == "setdefault" and len(pos) > 1:
                    self.write_item(o, keys, pos[1], fr)
                out |= self.read_item(o, keys, fr)
                if len(pos) > 1:
                    out |= pos[1]
            elif meth in ("pop", "popleft"):
                out |= self.all_items(o)
            elif meth in ("copy",):
                out.add(o)
            elif meth == "values":
                out |= self._view(o, site, "values", self.all_items(o))
            elif meth == "keys":
                out |= self._view(o, site, "keys", self.state.get(("f", o, "@keys")))
            elif meth == "items":
                t = ("obj", f"{site[0]}:{site[1]}:item", "tuple")
                self.state.add(("f", t, "#int:0"), self.state.get(("f", o, "@keys")))
                self.state.add(("f", t, "#int:1"), self.all_items(o))
                self.state.add(("fk", t), {("k", "#int:0"), ("k", "#int:1")})
                out |= self._view(o, site, "items", frozenset([t]))
        return frozenset(out)

    def _view(self, o: tuple, site: tuple, name: str, vals: frozenset) -> frozenset:
        v = ("obj", f"{site[0]}:{site[1]}:{name}", "list")
        self.state.add(("f", v, "#*"), vals)
        self.state.add(("fk", v), {("k", "#*")})
        return frozenset([v])

    # ------------------------------------------------------------------ dispatch keys

    def dispatch_key(self, fr: Frame, func: ir.Expr) -> ir.Expr | None:
        """The runtime key a callee was looked up by (`TOOLS[name]`, `getattr(o, name)`)."""
        e = func
        while isinstance(e, (ir.Attr, ir.Await)):
            e = e.value
        if isinstance(e, ir.Name):
            return fr.dyn.get(e.id)
        return self.lookup_key(fr, e)

    def lookup_key(self, fr: Frame, e: ir.Expr) -> ir.Expr | None:
        if isinstance(e, ir.Await):
            e = e.value
        if isinstance(e, ir.Subscript) and not isinstance(e.index, ir.Slice):
            return None if self.static_key(fr, e.index) else e.index
        if isinstance(e, ir.Call):
            f = e.func
            if isinstance(f, ir.Name) and f.id == "getattr" and len(e.args) >= 2:
                k = e.args[1].value
                return None if self.static_key(fr, k) else k
            if isinstance(f, ir.Attr) and f.attr == "get" and e.args:
                k = e.args[0].value
                if self.static_key(fr, k):
                    return None
                recv = self.ev_quiet(fr, f.value)
                if any(v[0] in ("obj", "globals") for v in recv):
                    return k
        if isinstance(e, ir.Name):
            return fr.dyn.get(e.id)
        return None

    def static_key(self, fr: Frame, k: ir.Expr) -> bool:
        """A key fixed by the code: a literal, or a name that only ever holds one constant
        (a parameter never counts: any caller, or a model, may choose it)."""
        if _is_literal(k):
            return True
        if isinstance(k, ir.Name) and any(p.name == k.id for p in fr.scope.params):
            return False
        if not isinstance(k, (ir.Name, ir.Attr)):
            return False
        vals = self.peek_ev(fr, k)
        return len(vals) == 1 and _all_const(vals)

    def peek_ev(self, fr: Frame, e: ir.Expr) -> frozenset:
        """Values of a simple key expression (names and attributes only: no side effects)."""
        if isinstance(e, (ir.Name, ir.Const)):
            return self.ev(fr, e)
        if isinstance(e, ir.Attr) and isinstance(e.value, ir.Name):
            return self.ev_quiet(fr, e)
        return EMPTY

    def ev_quiet(self, fr: Frame, e: ir.Expr) -> frozenset:
        saved = self.recording
        self.recording = False
        try:
            return self.ev(fr, e) if isinstance(e, (ir.Name, ir.Attr, ir.Const)) else EMPTY
        finally:
            self.recording = saved

    # ------------------------------------------------------------------ types

    def types(self, fr: Frame, ann: ir.Expr) -> frozenset:
        """Instances an annotation describes: `OpenAI`, `Optional[Client]`, `A | B`, "A"."""
        if isinstance(ann, ir.Const):
            if isinstance(ann.value, str) and ann.value.replace(".", "").isidentifier():
                parts = ann.value.split(".")
                vals = self.lookup(fr, parts[0])
                for p in parts[1:]:
                    vals = (
                        frozenset().union(*[self.get_attr(fr, v, p) for v in vals])
                        if vals
                        else EMPTY
                    )
                return self._instances(vals)
            return EMPTY
        if isinstance(ann, ir.BinOp) and ann.op == "|":
            return self.types(fr, ann.left) | self.types(fr, ann.right)
        if isinstance(ann, ir.Subscript):
            head = ir.dotted(ann.value) or ""
            last = head.rsplit(".", 1)[-1]
            if last in ("Optional", "Union"):
                idx = ann.index
                elts = idx.elts if isinstance(idx, ir.Seq) else (idx,)
                out: set = set()
                for el in elts:
                    out |= self.types(fr, el)
                return frozenset(out)
            if last in ("Annotated", "Final", "ClassVar", "Required", "NotRequired"):
                idx = ann.index
                first = idx.elts[0] if isinstance(idx, ir.Seq) and idx.elts else idx
                return self.types(fr, first)
            return EMPTY
        if isinstance(ann, (ir.Name, ir.Attr)):
            saved = self.recording
            self.recording = False
            try:
                vals = self.ev(fr, ann)
            finally:
                self.recording = saved
            return self._instances(vals)
        return EMPTY

    def _instances(self, vals: frozenset) -> frozenset:
        out = set()
        for v in vals:
            if v[0] == "cls":
                out.add(("inst", v[1]))
            elif v[0] == "ext" and v[2] == "path":
                out.add(("ext", v[1], "inst"))
        return frozenset(out)

    # ------------------------------------------------------------------ edges

    def edge(self, fr: Frame, t: Target, site: tuple) -> None:
        if not self.recording:
            return
        callee = t.node
        info = self.edges.get((fr.node, callee))
        if info is None:
            info = self.edges[(fr.node, callee)] = EdgeInfo()
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


# ---------------------------------------------------------------------- helpers


def _alt_constructor(owner: str, meth: str) -> bool:
    """`pkg.Class.from_x` / `pkg.Class.load` / `pkg.Class.create`: an alternate constructor
    of an outside class (a capitalised last segment), which returns an instance of it."""
    cls = owner.rsplit(".", 1)[-1]
    return bool(cls[:1].isupper()) and meth.startswith(ALT_CONSTRUCTOR_PREFIXES)


def _join(envs: list[dict[str, frozenset]]) -> dict[str, frozenset]:
    if len(envs) == 1:
        return dict(envs[0])
    out: dict[str, frozenset] = {}
    for env in envs:
        for k, v in env.items():
            old = out.get(k)
            out[k] = v if old is None else old | v
    return out


def _c3(seqs: list[list]) -> list:
    seqs = [list(s) for s in seqs if s]
    out: list = []
    while seqs:
        for s in seqs:
            head = s[0]
            if not any(head in t[1:] for t in seqs):
                break
        else:  # inconsistent hierarchy: fall back to depth-first order
            for s in seqs:
                for x in s:
                    if x not in out:
                        out.append(x)
            return out
        out.append(head)
        seqs = [[x for x in s if x != head] for s in seqs]
        seqs = [s for s in seqs if s]
    return out


def _loc(e: ir.Expr | None) -> ir.Loc | None:
    return getattr(e, "loc", None)


def _locstr(e: ir.Expr) -> str:
    loc = getattr(e, "loc", ir.NOLOC)
    return f"{loc.line}:{loc.col}"


def _literal_args(call: ir.Call | None) -> tuple[tuple[str | None, object], ...]:
    """A call's arguments as (keyword, literal value or None) pairs, for the knowledge base."""
    if call is None:
        return ()
    out = []
    for a in call.args:
        kw = a.kw if a.kw not in ("*", "**") else None
        out.append((kw, a.value.value if isinstance(a.value, ir.Const) else None))
    return tuple(out)


def _is_literal(e: ir.Expr) -> bool:
    return isinstance(e, ir.Const) or (
        isinstance(e, ir.UnaryOp) and isinstance(e.operand, ir.Const)
    )


def _all_const(vals: frozenset) -> bool:
    return bool(vals) and all(v[0] == "const" for v in vals)


def _prefix(e: ir.Expr) -> str:
    """The literal start of a computed attribute name: `"handle_" + x`, `f"on_{x}"`."""
    if isinstance(e, ir.BinOp) and e.op == "+" and isinstance(e.left, ir.Const):
        return str(e.left.value) if isinstance(e.left.value, str) else ""
    if isinstance(e, ir.FString):
        text = e.text
        i = 0
        while i < len(text) and text[i] in "fFrRbBuU":
            i += 1
        body = text[i:].lstrip("\"'")
        return body.split("{", 1)[0]
    return ""


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
