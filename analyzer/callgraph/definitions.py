"""Definitions: what a `def`, `class` or `lambda` binds.

A class records its bases (for the MRO); a function its parameter defaults, annotated
parameter and return types, and the receiver a method's first parameter holds; then the
decorators, innermost last: `staticmethod`/`classmethod`/`property` set the method's kind,
an external decorator is transparent (and marks the function as callable through `.invoke`
and the like), a project decorator is called with the function and its result is bound.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.core import Frame, _loc
from analyzer.callgraph.graph import Target, node_id

PROPERTY_DECORATORS = {"property", "cached_property", "abstractproperty"}


class DefinitionsMixin:
    """Binds the functions, classes and lambdas a scope defines, with their decorators."""

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
                    if v[0] in ("fn", "bm"):
                        res = self.with_context(v[1], res, cur)
                    new |= res
                else:
                    new |= cur
            if isinstance(d, ir.Attr) and d.attr in ("setter", "deleter"):
                self.state.add(("mk", nid), {("k", "setter")})
            if not dv:
                new |= cur  # an unresolved decorator: assume it keeps the function
            cur = frozenset(new)
        return cur

    def with_context(self, deco: str, res: frozenset, cur: frozenset) -> frozenset:
        """A forwarding wrapper the decorator returns (`def wrapper(*a, **k): ...;
        return func(*a, **k)`) is one function per decoration: its value carries the
        function it wraps (`("fn", wrapper, decorated)`), so a call through the decorated
        name reaches that function only, not every function the decorator wraps."""
        wrapped = [c for c in sorted(cur, key=V.sort_key) if c[0] in ("fn", "bm")]
        if not wrapped:
            return res
        out: set = set()
        for r in res:
            if r[0] == "fn" and len(r) == 2 and self.forwarder(r[1], deco):
                out.update(("fn", r[1], c) for c in wrapped)
            else:
                out.add(r)
        return frozenset(out)

    def forwarder(self, wrapper: str, deco: str) -> bool:
        """`wrapper`, defined in `deco`, calls a parameter of `deco` exactly once and not
        in a loop (a retrying or repeating wrapper is not a plain forwarder)."""
        if self.parent.get(wrapper) != deco or wrapper not in self.scopes:
            return False
        if wrapper in self.forward_checked:
            return self.forward_checked[wrapper]
        self.forward_checked[wrapper] = False
        facts, sc = self.scopes[wrapper]
        params = {p.name for p in self.scopes[deco][1].params}
        params -= self.locals.get(wrapper, set()) | {p.name for p in sc.params}
        found: list[ir.Call] = []

        def walk(body: tuple, in_loop: bool) -> bool:
            for st in body:
                for e in ir.stmt_exprs(st):
                    for x in ir.walk_expr(e):
                        if isinstance(x, ir.Call) and isinstance(x.func, ir.Name):
                            if x.func.id in params:
                                if in_loop or isinstance(st, (ir.For, ir.While)):
                                    return False
                                found.append(x)
                        elif isinstance(x, (ir.Lambda, ir.Comp)):
                            if any(
                                isinstance(y, ir.Name) and y.id in params for y in ir.walk_expr(x)
                            ):
                                return False
                loop = in_loop or isinstance(st, (ir.For, ir.While))
                if not all(walk(b, loop) for b in ir.child_blocks(st)):
                    return False
            return True

        if not walk(sc.body, False) or len(found) != 1:
            return False
        self.forward_sites[wrapper] = (facts.path, found[0].cid)
        self.forward_checked[wrapper] = True
        return True
