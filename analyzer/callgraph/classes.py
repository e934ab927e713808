"""Classes and the MRO: the C3 linearisation of a project class as its bases are known so
far (outside bases kept, marker bases such as `Generic` dropped; cached until a base
changes), a class attribute found along it and bound to its receiver (methods,
classmethods, staticmethods; properties run on access), `super()` lookups, and the kinds
decorators gave a method.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.core import EMPTY, Frame, _loc

# Bases that add no methods of their own: an attribute missing from the project's classes
# is not theirs (no `abc.ABC.keys`).
MARKER_BASES = frozenset(
    f"{m}.{n}"
    for m in ("typing", "typing_extensions")
    for n in ("Generic", "Protocol", "NamedTuple", "TypedDict")
) | {"abc.ABC", "abc.ABCMeta", "collections.abc.Hashable"}


class ClassesMixin:
    """Linearises class hierarchies and looks attributes up along them."""

    def method_kinds(self, fid: str) -> set[str]:
        return {k[1] for k in self.state.get(("mk", fid))}

    def mro(self, cid: str) -> list[tuple]:
        """C3 linearisation of a class's bases as currently known (external bases kept)."""
        hit = self._mro_cache.get(cid)
        if hit is not None and hit[0] == self.state.base_version:
            for key in hit[2]:
                self.state.get(key)
            return hit[1]
        keys: dict[tuple, None] = {}
        out = self._mro(cid, (), keys, {})
        self._mro_cache[cid] = (self.state.base_version, out, tuple(keys))
        return out

    def _mro(self, cid: str, seen: tuple, keys: dict, memo: dict) -> list[tuple]:
        """`keys` collects the base keys read (once each, for the dependency tracking of
        cache hits); `memo` shares the linearisation of a base that several paths reach,
        so a wide diamond-shaped hierarchy costs one visit per class, not one per path."""
        if cid in seen or len(seen) > 30:
            return [("cls", cid)]
        if cid in memo:
            return memo[cid]
        seen = (*seen, cid)
        sc = self.scopes[cid][1]
        bases: list[tuple] = []
        for i in range(len(sc.bases)):
            key = ("base", cid, i)
            keys[key] = None
            for v in sorted(self.state.get(key), key=V.sort_key):
                if v[0] == "cls" and v not in bases:
                    bases.append(v)
                elif v[0] == "ext" and v[2] == "path" and v[1] not in MARKER_BASES:
                    bases.append(("ext", v[1], "path"))
        seqs = [self._mro(b[1], seen, keys, memo) if b[0] == "cls" else [b] for b in bases]
        seqs.append(list(bases))
        merged = _c3(seqs)
        memo[cid] = [("cls", cid), *merged]
        return memo[cid]

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
            # a forwarding wrapper carries the method it wraps (`("fn", wrapper, method)`):
            # how the method was declared (static, class) is marked on the method
            ctx = v[2:]
            kinds = self.method_kinds(ctx[0][1] if ctx and ctx[0][0] == "fn" else v[1])
            if "static" in kinds:
                out.add(v)
            elif "class" in kinds:
                klass = ("cls", recv[1]) if recv is not None else ("cls", cid)
                out.add(("bm", v[1], klass, *ctx))
            elif "setter" in kinds:
                continue
            elif "property" in kinds:
                if recv is not None and recv[0] == "inst":
                    site = self.site(fr, None, _loc(expr) if expr is not None else None)
                    out |= self.call_value(
                        fr, ("bm", v[1], recv, *ctx), [], {}, None, None, site, "property", None
                    )
            elif recv is not None and recv[0] == "inst":
                out.add(("bm", v[1], recv, *ctx))
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
