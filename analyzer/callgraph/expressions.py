"""Expressions: `ev` gives the value set of any expression.

Names, attributes, literals, lambdas, `await`, boolean and conditional expressions, `:=`,
`yield`; displays (tuples, lists, sets, dicts) and comprehensions become containers keyed by
the site that built them; subscripts read their items (or keep a generic alias as its
class) and slices copy the fields they cover; `a | b` of outside values is typed by the
knowledge base (LCEL chains). `types` gives the instances an annotation describes.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph import values as V
from analyzer.callgraph.core import EMPTY, Frame, _locstr
from analyzer.callgraph.graph import node_id


class ExpressionsMixin:
    """Evaluates expressions and annotations to value sets."""

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
