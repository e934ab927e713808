"""Dispatch keys: the runtime key a callee was looked up by (`TOOLS[name]`,
`getattr(o, name)`, `handlers.get(kind)`), unless the code fixes it (a literal, or a name
that only ever holds one constant), so that the edges it reaches are marked dynamic.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph.core import EMPTY, Frame


class DispatchKeysMixin:
    """Finds the runtime key a callee was looked up by, and evaluates keys quietly."""

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


def _is_literal(e: ir.Expr) -> bool:
    return isinstance(e, ir.Const) or (
        isinstance(e, ir.UnaryOp) and isinstance(e.operand, ir.Const)
    )


def _all_const(vals: frozenset) -> bool:
    return bool(vals) and all(v[0] == "const" for v in vals)
