"""Containers: lists, tuples, sets, dicts and `**kwargs` made at a site.

Fields are written and read by literal key (`#str:name`, `#int:0`) or as `#*` (any), the
scope that builds a container keeps a flow-sensitive view of its fields, and dicts record
their keys (`@keys`). Also `globals()` lookups, iteration (`elements`: items, generator
yields, `__iter__`/`__next__` of project classes), `with` (`__enter__`), and the methods
that fill or read containers (`append`, `update`, `get`, `items`...).
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.core import EMPTY, Frame, _loc


class ContainersMixin:
    """Reads and writes container fields, iterates values and models container methods."""

    # ------------------------------------------------------------------ fields

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

    # ------------------------------------------------------------------ iteration

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

    # ------------------------------------------------------------------ container methods

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
