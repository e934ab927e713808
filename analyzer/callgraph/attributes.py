"""Attributes: reading and writing an attribute of any value.

An instance's own fields, then its class along the MRO; a module's globals, then its
submodules; an outside value's attribute, typed by the knowledge base or named by the
attribute chain; a `super()` proxy. A name neither binds is delegated through the class's
or the module's (PEP 562) `__getattr__`. `dynamic_attrs` lists every attribute a computed
`getattr` name may fetch.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph.core import EMPTY, Frame

# Attributes that, on a function wrapped by an external decorator (`@tool`, `@task`), run
# the function: `lookup.invoke(q)` calls `lookup` (the effective call).
CALLISH = frozenset(
    {"invoke", "ainvoke", "run", "arun", "__call__", "call", "func", "fn", "batch", "abatch"}
    | {"stream", "astream", "delay", "apply_async", "remote", "submit", "original", "__wrapped__"}
)
MAX_EXT_DEPTH = 10  # components of an external name built from attribute chains


class AttributesMixin:
    """Gets and sets attributes of instances, modules, outside values and functions."""

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
