"""Expressions of the stdlib-`ast` front end: names, calls, operators, literals.

Long left-nested chains (`a + b + ...`, `x.a.b...`, `f()()`) are iterated, not recursed
into: hundreds of links are real code (prompt concatenations, fluent builders). Operands
are lowered in the order libcst's lowering visits them, so call ids (`cid`) come out the
same in both front ends. Strings and the ranges ast draws differently are `ast_shapes`'.
"""

from __future__ import annotations

import ast

from analyzer import ir
from analyzer.frontend.ast_text import string_pieces
from analyzer.frontend.deep import MAX_DEPTH
from analyzer.frontend.lowering import TooDeep, named_expr, number_value

BINOPS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}
_CMPOPS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_UNOPS = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
_SEQ_KINDS = {ast.Tuple: "tuple", ast.List: "list", ast.Set: "set"}
_COMP_KINDS = {ast.ListComp: "list", ast.SetComp: "set", ast.GeneratorExp: "gen"}
# the field a chain link continues in: `x` of `x.a`, `x(...)`, `x[...]`, `x + y`
_LEFT_SIDE = {ast.Attribute: "value", ast.Call: "func", ast.Subscript: "value", ast.BinOp: "left"}
# libcst's class names, for expressions the IR keeps as `Unknown`
_UNKNOWN_NAMES = {ast.Slice: "Slice", ast.Starred: "StarredElement"}


class AstExpressionsMixin:
    """Lowers `ast.expr` nodes to `ir.Expr` for `AstLowerer`."""

    def expr(self, node: ast.expr) -> ir.Expr:
        self.enter(node)
        try:
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: ast.expr) -> ir.Expr:
        t = type(node)
        if t is ast.Name:
            return ir.Name(node.id, self.loc(node))
        if t in _LEFT_SIDE:
            return self.chain(node)
        if t is ast.Constant:
            return self.constant(node)
        if t is ast.JoinedStr:
            return self.joined(node)
        if t in _SEQ_KINDS:
            return self.sequence(node)
        if t is ast.Dict:
            loc = self.loc(node)
            keys: list[ir.Expr | None] = []
            values: list[ir.Expr] = []
            for k, v in zip(node.keys, node.values, strict=True):
                keys.append(None if k is None else self.expr(k))
                values.append(self.expr(v))
            return ir.Dict(tuple(keys), tuple(values), loc)
        if t is ast.BoolOp:
            op = "and" if isinstance(node.op, ast.And) else "or"
            return ir.BoolOp(op, self.bool_values(node, op), self.loc(node))
        if t is ast.UnaryOp:
            op = _UNOPS.get(type(node.op), "?")
            return ir.UnaryOp(op, self.expr(node.operand), self.loc(node))
        if t is ast.Compare:
            loc = self.loc(node)
            ops = tuple(_CMPOPS.get(type(o), "?") for o in node.ops)
            comps = tuple(self.expr(c) for c in node.comparators)
            return ir.Compare(self.expr(node.left), ops, comps, loc)
        if t is ast.IfExp:
            loc = self.loc(node)
            test = self.expr(node.test)
            body = self.expr(node.body)
            return ir.IfExp(test, body, self.expr(node.orelse), loc)
        if t is ast.Lambda:
            return self.lambda_(node)
        if t in _COMP_KINDS or t is ast.DictComp:
            return self.comprehension(node)
        if t is ast.Await:
            loc = self.loc(node)
            return ir.Await(self.expr(node.value), loc)
        if t in (ast.Yield, ast.YieldFrom):
            loc = self.loc(node)
            self.mark_generator()
            if t is ast.YieldFrom:
                return ir.Yield(self.expr(node.value), True, loc)
            return ir.Yield(None if node.value is None else self.expr(node.value), False, loc)
        if t is ast.NamedExpr:
            loc = self.loc(node)
            return named_expr(self.expr(node.target), self.expr(node.value), loc)
        if t is ast.Starred:
            loc = self.loc(node)
            return ir.Starred(self.expr(node.value), loc)
        if t is ast.Slice:
            return self.slice(node)
        return ir.Unknown(_UNKNOWN_NAMES.get(t, t.__name__), (), self.loc(node))

    def chain(self, node: ast.expr) -> ir.Expr:
        """Attribute/call/subscript/binary-operation chains, iterated down their left side
        (hundreds of links are real code: prompt concatenations, fluent builders)."""
        links: list[ast.expr] = []
        cur = node
        while (side := _LEFT_SIDE.get(type(cur))) is not None:
            links.append(cur)
            cur = getattr(cur, side)
            if len(links) > MAX_DEPTH:
                raise TooDeep(node.lineno)
        value = self.expr(cur)
        for link in reversed(links):
            t = type(link)
            loc = self.loc(link)
            if t is ast.Attribute:
                value = ir.Attr(value, link.attr, loc)
            elif t is ast.Call:
                value = self.call_rest(link, value, loc)
            elif t is ast.Subscript:
                value = ir.Subscript(value, self.subscript_index(link), loc)
            else:
                op = BINOPS.get(type(link.op), "?")
                value = ir.BinOp(op, value, self.expr(link.right), loc)
        return value

    def call_rest(self, node: ast.Call, func: ir.Expr, loc: ir.Loc) -> ir.Call:
        items: list[tuple[tuple[int, int], ast.AST]] = [
            ((a.lineno, a.col_offset), a) for a in node.args
        ]
        items += [((k.lineno, k.col_offset), k) for k in node.keywords]
        if node.keywords and node.args:
            items.sort(key=lambda it: it[0])
        args = []
        for _, a in items:
            if isinstance(a, ast.keyword):
                args.append(ir.Arg(self.expr(a.value), a.arg if a.arg is not None else "**"))
            elif isinstance(a, ast.Starred):
                args.append(ir.Arg(self.expr(a.value), "*"))
            elif isinstance(a, ast.GeneratorExp) and len(node.args) == 1 and not node.keywords:
                args.append(ir.Arg(self.comprehension(a), None))
            else:
                args.append(ir.Arg(self.expr(a), None))
        return ir.Call(func, tuple(args), self.new_cid(), loc)

    def bool_values(self, node: ast.BoolOp, op: str) -> tuple[ir.Expr, ...]:
        """ast flattens `a and b and c` but not `(a and b) and c`, which is exactly what
        libcst's lowering does with its nested operations."""
        return tuple(self.expr(v) for v in node.values)

    def constant(self, node: ast.Constant) -> ir.Expr:
        value = node.value
        if isinstance(value, (str, bytes)):
            start, end = self.pos.span(node)
            self.string_spans.append((start, end))
            pieces = string_pieces(self.code, start, end)
            if len(pieces) > 1:
                return self.concatenated(node, pieces, start, end)
            return ir.Const(value, self.loc(node))
        if value is Ellipsis:
            return ir.Const("...", self.loc(node))
        if isinstance(value, complex):
            return ir.Const(self.pos.text(node), self.loc(node))
        if isinstance(value, bool) or value is None:
            return ir.Const(value, self.loc(node))
        if isinstance(value, (int, float)):
            text = self.pos.text(node)
            return ir.Const(number_value(text, type(value)), self.loc(node))
        return ir.Const(value, self.loc(node))

    def sequence(self, node: ast.Tuple | ast.List | ast.Set) -> ir.Seq:
        kind = _SEQ_KINDS[type(node)]
        if kind == "tuple":
            loc = self.tuple_loc(node)
        else:
            loc = self.loc(node)
        elts = tuple(self.expr(e) for e in node.elts)
        return ir.Seq(kind, elts, loc)

    def subscript_index(self, node: ast.Subscript) -> ir.Expr:
        s = node.slice
        if isinstance(s, ast.Tuple) and not self.tuple_parenthesized(s, *self.pos.span(s)):
            items = [self.index_item(e) for e in s.elts]
            if len(items) == 1:
                return items[0]
            return ir.Seq("tuple", tuple(items), self.loc(node))
        return self.index_item(s)

    def index_item(self, e: ast.expr) -> ir.Expr:
        if isinstance(e, ast.Slice):
            return self.slice(e)
        if isinstance(e, ast.Starred):
            return ir.Starred(self.expr(e.value))
        return self.expr(e)

    def comprehension(self, node: ast.expr) -> ir.Comp:
        if isinstance(node, ast.GeneratorExp):
            loc = self.genexp_loc(node)
        else:
            loc = self.loc(node)
        gens = []
        for g in node.generators:  # type: ignore[attr-defined]
            target = self.expr(g.target)
            it = self.expr(g.iter)
            ifs = tuple(self.expr(i) for i in g.ifs)
            gens.append(ir.Comprehension(target, it, ifs, bool(g.is_async)))
        if isinstance(node, ast.DictComp):
            value = self.expr(node.value)
            return ir.Comp("dict", value, tuple(gens), self.expr(node.key), loc)
        elt = self.expr(node.elt)  # type: ignore[attr-defined]
        return ir.Comp(_COMP_KINDS[type(node)], elt, tuple(gens), None, loc)
