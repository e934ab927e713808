"""Calls: evaluating a call site and calling each value the callee may be.

`ev_call` evaluates the callee and the arguments (`*` and `**` spread, coroutines handed to
a task runner marked `task`) and records container methods and callbacks; `call_value`
calls one value: a project function or bound method (an edge, its parameters bound, its
result), a class (`construct`: an instance, through `__init__` along the MRO), an
instance's `__call__`, an outside callable (named by the knowledge base; typed results,
`partial`, `importlib`, pass-through wrappers, standard sequences, casts and alternate
constructors) or a builtin.
"""

from __future__ import annotations

from collections.abc import Iterable

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.builtin_calls import PARTIAL, TASK
from analyzer.callgraph.core import EMPTY, Frame, _locstr
from analyzer.callgraph.graph import Target
from analyzer.callgraph.imports import IMPORTERS

# Standard-library sequences whose items the analysis tracks as it does a list's.
SEQUENCES = frozenset({"collections.deque", "collections.UserList"})
# Calls whose result has the type named by their first argument.
CASTS = frozenset({"typing.cast", "typing_extensions.cast"})
# Classmethod names that, by convention, build an instance of their class.
ALT_CONSTRUCTOR_PREFIXES = ("from_", "load", "create")


_STR_SPLITS = frozenset({"split", "rsplit", "partition", "rpartition"})


class CallsMixin:
    """Evaluates call sites and calls functions, methods, classes and outside callables."""

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
        if isinstance(func, ir.Attr) and func.attr in _STR_SPLITS:
            container_out |= self.split_literals(fr, recv, func.attr, pos, kws, call)
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

    def split_literals(
        self,
        fr: Frame,
        recv: frozenset,
        method: str,
        pos: list[frozenset],
        kws: dict[str, frozenset],
        call: ir.Call,
    ) -> frozenset:
        """`"pkg.mod.Cls".rsplit(".", 1)` on literal strings is a sequence of literal
        strings, so `module, name = path.rsplit(".", 1)` followed by
        `getattr(importlib.import_module(module), name)` resolves a registry of dotted
        class paths (`{"openai": "pkg.llms.openai.OpenAILLM", ...}`)."""
        texts = sorted(v[2] for v in recv if v[0] == "const" and v[1] == "str")
        if not texts:
            return EMPTY
        seps = [v for v in (pos[0] if pos else kws.get("sep", EMPTY))]
        if len(seps) > 1 or (seps and not (seps[0][0] == "const" and seps[0][1] == "str")):
            return EMPTY
        sep = seps[0][2] if seps else None
        if method in ("partition", "rpartition") and not sep:
            return EMPTY
        limit = -1
        counts = [v for v in (pos[1] if len(pos) > 1 else kws.get("maxsplit", EMPTY))]
        if counts:
            if len(counts) != 1 or counts[0][0] != "const" or counts[0][1] != "int":
                return EMPTY
            limit = int(counts[0][2])
        kind = "tuple" if method.endswith("partition") else "list"
        o = ("obj", f"{fr.node}:{method}:{_locstr(call)}", kind)
        keys = set()
        for text in texts:
            if method in ("partition", "rpartition"):
                parts = list(getattr(text, method)(sep))
            else:
                parts = getattr(text, method)(sep, limit)
            for i, part in enumerate(parts[:8]):
                self.write_field(fr, o, f"#int:{i}", frozenset([("const", "str", part)]), False)
                keys.add(("k", f"#int:{i}"))
        self.state.add(("fk", o), keys)
        return frozenset([o])

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
            self.note_forwarded(fr, v[1], v[2] if len(v) > 2 else None, site, dyn, key)
            self.bind(v[1], pos, kws, star, dstar)
            return self.fn_result(v[1])
        if k == "bm":
            if v[1] not in self.scopes:
                return EMPTY
            self.edge(fr, Target("internal", v[1], dyn, key, via), site)
            self.note_forwarded(fr, v[1], v[3] if len(v) > 3 else None, site, dyn, key)
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

    def note_forwarded(
        self, fr: Frame, fid: str, ctx: tuple | None, site: tuple, dyn: bool, key
    ) -> None:
        """A call of a forwarding decorator's wrapper: remember which function it wraps
        here (`ctx`, None when the value does not say), to reach that function only."""
        if self.recording and self._runs is not None:  # kept with this run (`solve`)
            self._runs[self.state.current].append(("forward", fr.node, fid, ctx, site, dyn, key))
        elif self.recording and fid in self.forward_sites:
            self.forward_calls.append((fr.node, fid, ctx, site, dyn, key))

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


def _alt_constructor(owner: str, meth: str) -> bool:
    """`pkg.Class.from_x` / `pkg.Class.load` / `pkg.Class.create`: an alternate constructor
    of an outside class (a capitalised last segment), which returns an instance of it."""
    cls = owner.rsplit(".", 1)[-1]
    return bool(cls[:1].isupper()) and meth.startswith(ALT_CONSTRUCTOR_PREFIXES)


def _literal_args(call: ir.Call | None) -> tuple[tuple[str | None, object], ...]:
    """A call's arguments as (keyword, literal value or None) pairs, for the knowledge base."""
    if call is None:
        return ()
    out = []
    for a in call.args:
        kw = a.kw if a.kw not in ("*", "**") else None
        out.append((kw, a.value.value if isinstance(a.value, ir.Const) else None))
    return tuple(out)
