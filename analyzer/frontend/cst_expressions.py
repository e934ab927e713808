"""Expressions of the libcst front end: names, calls, operators, literals.

libcst keeps what the IR wants directly (character ranges come from the byte-span
provider through `extract_cst`), so this is a plain walk: one `ir.Expr` per node, calls
numbered in the order they are lowered, which the stdlib-`ast` lowering
(`ast_expressions`) reproduces.
"""

from __future__ import annotations

import libcst as cst

from analyzer import ir
from analyzer.frontend.lowering import named_expr, number_value

_BINOPS = {
    cst.Add: "+",
    cst.Subtract: "-",
    cst.Multiply: "*",
    cst.Divide: "/",
    cst.FloorDivide: "//",
    cst.Modulo: "%",
    cst.Power: "**",
    cst.MatrixMultiply: "@",
    cst.LeftShift: "<<",
    cst.RightShift: ">>",
    cst.BitOr: "|",
    cst.BitAnd: "&",
    cst.BitXor: "^",
}
_CMPOPS = {
    cst.Equal: "==",
    cst.NotEqual: "!=",
    cst.LessThan: "<",
    cst.LessThanEqual: "<=",
    cst.GreaterThan: ">",
    cst.GreaterThanEqual: ">=",
    cst.In: "in",
    cst.NotIn: "not in",
    cst.Is: "is",
    cst.IsNot: "is not",
}
_NAMED_CONSTANTS = {"True": True, "False": False, "None": None}
_UNOPS = {cst.Not: "not", cst.Minus: "-", cst.Plus: "+", cst.BitInvert: "~"}


class CstExpressionsMixin:
    """Lowers libcst expression nodes to `ir.Expr` for `CstLowerer`."""

    def expr(self, node: cst.CSTNode) -> ir.Expr:
        loc = self.loc(node)
        if isinstance(node, cst.Name):
            if node.value in _NAMED_CONSTANTS:
                return ir.Const(_NAMED_CONSTANTS[node.value], loc)
            return ir.Name(node.value, loc)
        if isinstance(node, cst.Attribute):
            return ir.Attr(self.expr(node.value), node.attr.value, loc)
        if isinstance(node, cst.Call):
            func = self.expr(node.func)
            args = []
            for a in node.args:
                kw = a.keyword.value if a.keyword is not None else (a.star or None)
                args.append(ir.Arg(self.expr(a.value), kw))
            return ir.Call(func, tuple(args), self.new_cid(), loc)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                value = node.evaluated_value
            except Exception:  # an odd prefix or escape: keep the text
                value = None
            if value is None and isinstance(node, cst.ConcatenatedString):
                parts = (self.expr(node.left), self.expr(node.right))
                return ir.FString(parts, cst_code(node), loc)
            return ir.Const(value, loc)
        if isinstance(node, cst.Integer):
            return ir.Const(number_value(node.value, int), loc)
        if isinstance(node, cst.Float):
            return ir.Const(number_value(node.value, float), loc)
        if isinstance(node, cst.Imaginary):
            return ir.Const(node.value, loc)
        if isinstance(node, cst.Ellipsis):
            return ir.Const("...", loc)
        if isinstance(node, cst.FormattedString):
            parts = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    parts.append(self.expr(part.expression))
                    if part.format_spec:
                        for sp in part.format_spec:
                            if isinstance(sp, cst.FormattedStringExpression):
                                parts.append(self.expr(sp.expression))
            return ir.FString(tuple(parts), cst_code(node)[:200], loc)
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            kind = {cst.Tuple: "tuple", cst.List: "list", cst.Set: "set"}[type(node)]
            return ir.Seq(kind, tuple(self.element(e) for e in node.elements), loc)
        if isinstance(node, cst.Dict):
            keys: list[ir.Expr | None] = []
            values: list[ir.Expr] = []
            for el in node.elements:
                if isinstance(el, cst.StarredDictElement):
                    keys.append(None)
                    values.append(self.expr(el.value))
                else:
                    keys.append(self.expr(el.key))
                    values.append(self.expr(el.value))
            return ir.Dict(tuple(keys), tuple(values), loc)
        if isinstance(node, cst.Subscript):
            return ir.Subscript(self.expr(node.value), self.subscript_index(node), loc)
        if isinstance(node, cst.BinaryOperation):
            op = _BINOPS.get(type(node.operator), "?")
            return ir.BinOp(op, self.expr(node.left), self.expr(node.right), loc)
        if isinstance(node, cst.BooleanOperation):
            op = "and" if isinstance(node.operator, cst.And) else "or"
            return ir.BoolOp(op, _flatten_bool(self, node, op), loc)
        if isinstance(node, cst.UnaryOperation):
            return ir.UnaryOp(_UNOPS.get(type(node.operator), "?"), self.expr(node.expression), loc)
        if isinstance(node, cst.Comparison):
            ops = tuple(_CMPOPS.get(type(t.operator), "?") for t in node.comparisons)
            comps = tuple(self.expr(t.comparator) for t in node.comparisons)
            return ir.Compare(self.expr(node.left), ops, comps, loc)
        if isinstance(node, cst.IfExp):
            return ir.IfExp(self.expr(node.test), self.expr(node.body), self.expr(node.orelse), loc)
        if isinstance(node, cst.Lambda):
            return self.lambda_(node)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self.comprehension(node, loc)
        if isinstance(node, cst.Await):
            return ir.Await(self.expr(node.expression), loc)
        if isinstance(node, cst.Yield):
            self.mark_generator()
            value = node.value
            if isinstance(value, cst.From):
                return ir.Yield(self.expr(value.item), True, loc)
            return ir.Yield(None if value is None else self.expr(value), False, loc)
        if isinstance(node, cst.NamedExpr):
            return named_expr(self.expr(node.target), self.expr(node.value), loc)
        if isinstance(node, cst.StarredElement):
            return ir.Starred(self.expr(node.value), loc)
        return ir.Unknown(type(node).__name__, (), loc)

    def element(self, el: cst.BaseElement) -> ir.Expr:
        if isinstance(el, cst.StarredElement):
            return ir.Starred(self.expr(el.value), self.loc(el))
        return self.expr(el.value)

    def subscript_index(self, node: cst.Subscript) -> ir.Expr:
        items: list[ir.Expr] = []
        for el in node.slice:
            s = el.slice
            if isinstance(s, cst.Index):
                value = self.expr(s.value)
                items.append(ir.Starred(value) if s.star else value)
            elif isinstance(s, cst.Slice):
                items.append(
                    ir.Slice(
                        None if s.lower is None else self.expr(s.lower),
                        None if s.upper is None else self.expr(s.upper),
                        None if s.step is None else self.expr(s.step),
                        self.loc(s),
                    )
                )
        if len(items) == 1:
            return items[0]
        return ir.Seq("tuple", tuple(items), self.loc(node))

    def comprehension(self, node: cst.CSTNode, loc: ir.Loc) -> ir.Comp:
        gens: list[ir.Comprehension] = []
        f = node.for_in  # type: ignore[attr-defined]
        while f is not None:
            gens.append(
                ir.Comprehension(
                    self.expr(f.target),
                    self.expr(f.iter),
                    tuple(self.expr(i.test) for i in f.ifs),
                    f.asynchronous is not None,
                )
            )
            f = f.inner_for_in
        if isinstance(node, cst.DictComp):
            return ir.Comp("dict", self.expr(node.value), tuple(gens), self.expr(node.key), loc)
        kind = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "gen"}[type(node)]
        return ir.Comp(kind, self.expr(node.elt), tuple(gens), None, loc)  # type: ignore[attr-defined]


def _flatten_bool(
    lw: CstExpressionsMixin, node: cst.BooleanOperation, op: str
) -> tuple[ir.Expr, ...]:
    out: list[ir.Expr] = []
    for side in (node.left, node.right):
        same = isinstance(side, cst.BooleanOperation) and (
            ("and" if isinstance(side.operator, cst.And) else "or") == op
        )
        if same and not side.lpar:
            out.extend(_flatten_bool(lw, side, op))
        else:
            out.append(lw.expr(side))
    return tuple(out)


_EMPTY_MODULE = cst.Module(body=())


def cst_code(node: cst.CSTNode) -> str:
    """A node's source as libcst regenerates it."""
    return _EMPTY_MODULE.code_for_node(node)
