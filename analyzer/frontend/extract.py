"""Lower each source cell into the plain-data IR (`analyzer.ir`): one parse, one pass.

Two front ends give the same facts. The stdlib `ast` (`analyzer.frontend.extract_ast`) reads every
cell this interpreter can parse, at a twelfth of libcst's cost. libcst, lowered here with
the cheap byte-span provider (scope and qualified-name providers are never used, see
PERFORMANCE.md), reads the rest: syntax newer than the running Python, and the statements
around a syntax error. `benchmarks/frontend_diff.py` and `tests/test_frontend.py` hold the
two together.

One file never ends the run: a syntax error blanks only its statement, code nested too
deep is one diagnostic, input libcst's native parser could crash on is refused before it
starts, and a large cell only libcst can read is parsed in a child process with a time
limit (`ARCHLINT_FILE_TIMEOUT`).
"""

from __future__ import annotations

import ast
import bisect
import io
import os
import pickle
import tokenize
import warnings
from collections.abc import Sequence

import libcst as cst
from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper

from analyzer import ir
from analyzer.frontend.deep import deep_recursion, run_deep
from analyzer.frontend.extract_ast import AstLowerer, Positions, TooDeep

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
_AUGOPS = {
    cst.AddAssign: "+",
    cst.SubtractAssign: "-",
    cst.MultiplyAssign: "*",
    cst.DivideAssign: "/",
    cst.FloorDivideAssign: "//",
    cst.ModuloAssign: "%",
    cst.PowerAssign: "**",
    cst.MatrixMultiplyAssign: "@",
    cst.LeftShiftAssign: "<<",
    cst.RightShiftAssign: ">>",
    cst.BitOrAssign: "|",
    cst.BitAndAssign: "&",
    cst.BitXorAssign: "^",
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


class _LineTable:
    """Byte offset -> (line, column) for one cell, with the cell's reporting offsets."""

    def __init__(self, code: str, line_offset: int, col_offset: int) -> None:
        self._lines = code.split("\n")
        self._starts: list[int] = []
        pos = 0
        for text in self._lines:
            self._starts.append(pos)
            pos += len(text.encode("utf-8")) + 1
        self._ascii = [text.isascii() for text in self._lines]
        self.line_offset = line_offset
        self.col_offset = col_offset

    def point(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        i = max(i, 0)
        col = offset - self._starts[i]
        if not self._ascii[i]:
            col = len(self._lines[i].encode("utf-8")[:col].decode("utf-8", "replace"))
        return i + 1 + self.line_offset, col + self.col_offset


class _Lowerer:
    """Turns the statements of one cell into IR scopes, appending to shared lists."""

    def __init__(
        self,
        *,
        module: str,
        is_package: bool,
        cell: int | None,
        spans: object,
        table: _LineTable,
        scopes: list[ir.Scope],
        imports: list[ir.Import],
        next_cid: int,
    ) -> None:
        self.module = module
        self.is_package = is_package
        self.cell = cell
        self.spans = spans
        self.table = table
        self.scopes = scopes
        self.imports = imports
        self.cid = next_cid
        self.stack: list[str] = []  # qualnames of enclosing scopes
        self.generator_flags: list[bool] = []
        self.lambda_count = 0

    # ----------------------------------------------------------------- helpers

    def loc(self, node: cst.CSTNode) -> ir.Loc:
        span = self.spans.get(node)  # type: ignore[attr-defined]
        if span is None:
            return ir.NOLOC
        line, col = self.table.point(span.start)
        end_line, end_col = self.table.point(span.start + span.length)
        return ir.Loc(line, col, end_line, end_col)

    def child_qualname(self, name: str) -> str:
        parent = self.stack[-1] if self.stack else "<module>"
        if parent == "<module>":
            return name
        return f"{parent}.{name}"

    # ----------------------------------------------------------------- module

    def lower_module(self, mod: cst.Module) -> ir.Scope:
        self.stack.append("<module>")
        self.generator_flags.append(False)
        body = self.block(mod.body)
        self.stack.pop()
        self.generator_flags.pop()
        end = mod.code.count("\n") + 1
        loc = ir.Loc(1 + self.table.line_offset, 0, end + self.table.line_offset, 0)
        return ir.Scope(
            qualname="<module>",
            kind="module",
            name="<module>",
            parent=None,
            loc=loc,
            body=body,
            cell=self.cell,
            docstring=_docstring(mod.body),
        )

    # ----------------------------------------------------------------- statements

    def block(self, body: Sequence[cst.CSTNode] | cst.BaseSuite) -> tuple[ir.Stmt, ...]:
        if isinstance(body, cst.SimpleStatementSuite):
            # a body on its header's line (`if not calls: break`, `def f(): return 1`)
            out_small: list[ir.Stmt] = []
            for small in body.body:
                out_small.extend(self.small_stmt(small))
            return tuple(out_small)
        if isinstance(body, cst.IndentedBlock):
            body = body.body
        out: list[ir.Stmt] = []
        for node in body:
            if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                for small in node.body:
                    out.extend(self.small_stmt(small))
            else:
                out.extend(self.compound(node))
        return tuple(out)

    def small_stmt(self, node: cst.BaseSmallStatement) -> list[ir.Stmt]:
        loc = self.loc(node)
        if isinstance(node, cst.Expr):
            return [ir.ExprStmt(self.expr(node.value), loc)]
        if isinstance(node, cst.Assign):
            targets = tuple(self.expr(t.target) for t in node.targets)
            return [ir.Assign(targets, self.expr(node.value), loc=loc)]
        if isinstance(node, cst.AnnAssign):
            value = None if node.value is None else self.expr(node.value)
            ann = self.expr(node.annotation.annotation)
            return [ir.Assign((self.expr(node.target),), value, annotation=ann, loc=loc)]
        if isinstance(node, cst.AugAssign):
            op = _AUGOPS.get(type(node.operator), "?")
            return [ir.Assign((self.expr(node.target),), self.expr(node.value), op=op, loc=loc)]
        if isinstance(node, cst.Return):
            return [ir.Return(None if node.value is None else self.expr(node.value), loc)]
        if isinstance(node, cst.Raise):
            exc = None if node.exc is None else self.expr(node.exc)
            cause = None if node.cause is None else self.expr(node.cause.item)
            return [ir.Raise(exc, cause, loc)]
        if isinstance(node, cst.Break):
            return [ir.Jump("break", loc)]
        if isinstance(node, cst.Continue):
            return [ir.Jump("continue", loc)]
        if isinstance(node, cst.Pass):
            return [ir.Jump("pass", loc)]
        if isinstance(node, cst.Del):
            return [ir.Delete((self.expr(node.target),), loc)]
        if isinstance(node, cst.Global):
            return [ir.Global("global", tuple(n.name.value for n in node.names), loc)]
        if isinstance(node, cst.Nonlocal):
            return [ir.Global("nonlocal", tuple(n.name.value for n in node.names), loc)]
        if isinstance(node, cst.Import):
            return [ir.ImportStmt(self.import_plain(node, loc), loc)]
        if isinstance(node, cst.ImportFrom):
            return [ir.ImportStmt(self.import_from(node, loc), loc)]
        if isinstance(node, cst.Assert):
            test = self.expr(node.test)
            msg = () if node.msg is None else (self.expr(node.msg),)
            return [ir.ExprStmt(ir.Unknown("assert", (test, *msg), loc), loc)]
        return []

    def compound(self, node: cst.CSTNode) -> list[ir.Stmt]:
        loc = self.loc(node)
        if isinstance(node, cst.FunctionDef):
            return [ir.Define(self.function(node), loc)]
        if isinstance(node, cst.ClassDef):
            return [ir.Define(self.klass(node), loc)]
        if isinstance(node, cst.If):
            return [self.if_stmt(node, is_elif=False)]
        if isinstance(node, cst.While):
            return [
                ir.While(self.expr(node.test), self.block(node.body), self.orelse(node.orelse), loc)
            ]
        if isinstance(node, cst.For):
            return [
                ir.For(
                    self.expr(node.target),
                    self.expr(node.iter),
                    self.block(node.body),
                    self.orelse(node.orelse),
                    is_async=node.asynchronous is not None,
                    loc=loc,
                )
            ]
        if isinstance(node, cst.With):
            items = tuple(
                ir.WithItem(
                    self.expr(item.item),
                    None if item.asname is None else self.expr(item.asname.name),
                )
                for item in node.items
            )
            return [ir.With(items, self.block(node.body), node.asynchronous is not None, loc)]
        if isinstance(node, (cst.Try, cst.TryStar)):
            handlers = tuple(
                ir.Handler(
                    None if h.type is None else self.expr(h.type),
                    _as_name(h.name),
                    self.block(h.body),
                    self.loc(h),
                )
                for h in node.handlers
            )
            final = () if node.finalbody is None else self.block(node.finalbody.body)
            return [
                ir.Try(
                    self.block(node.body),
                    handlers,
                    self.orelse(node.orelse),
                    final,
                    isinstance(node, cst.TryStar),
                    loc,
                )
            ]
        if isinstance(node, cst.Match):
            return [ir.Match(self.expr(node.subject), tuple(self.case(c) for c in node.cases), loc)]
        return []

    def orelse(self, node: cst.Else | cst.If | None) -> tuple[ir.Stmt, ...]:
        if node is None:
            return ()
        if isinstance(node, cst.If):
            return (self.if_stmt(node, is_elif=True),)
        return self.block(node.body)

    def if_stmt(self, node: cst.If, *, is_elif: bool) -> ir.If:
        return ir.If(
            self.expr(node.test),
            self.block(node.body),
            self.orelse(node.orelse),
            is_elif,
            self.loc(node),
        )

    def case(self, node: cst.MatchCase) -> ir.MatchCase:
        captures: list[str] = []
        values: list[ir.Expr] = []
        self.pattern(node.pattern, captures, values)
        wildcard = isinstance(node.pattern, cst.MatchAs) and node.pattern.pattern is None
        return ir.MatchCase(
            pattern=_code(node.pattern),
            captures=tuple(captures),
            values=tuple(values),
            guard=None if node.guard is None else self.expr(node.guard),
            body=self.block(node.body),
            is_wildcard=wildcard and node.guard is None,
            loc=self.loc(node),
        )

    def pattern(self, p: cst.CSTNode, captures: list[str], values: list[ir.Expr]) -> None:
        if isinstance(p, (cst.MatchValue, cst.MatchSingleton)):
            values.append(self.expr(p.value))
        elif isinstance(p, cst.MatchAs):
            if p.name is not None:
                captures.append(p.name.value)
            if p.pattern is not None:
                self.pattern(p.pattern, captures, values)
        elif isinstance(p, cst.MatchOr):
            for el in p.patterns:
                self.pattern(el.pattern, captures, values)
        elif isinstance(p, (cst.MatchSequence, cst.MatchList, cst.MatchTuple)):
            for el in p.patterns:
                if isinstance(el, cst.MatchStar):
                    if el.name is not None:
                        captures.append(el.name.value)
                else:
                    self.pattern(el.value, captures, values)
        elif isinstance(p, cst.MatchMapping):
            for el in p.elements:
                values.append(self.expr(el.key))
                self.pattern(el.pattern, captures, values)
            if p.rest is not None:
                captures.append(p.rest.value)
        elif isinstance(p, cst.MatchClass):
            values.append(self.expr(p.cls))
            for el in p.patterns:
                self.pattern(el.value, captures, values)
            for kw in p.kwds:
                self.pattern(kw.pattern, captures, values)

    # ----------------------------------------------------------------- definitions

    def params(self, params: cst.Parameters) -> tuple[ir.Param, ...]:
        out: list[ir.Param] = []

        def one(p: cst.Param, kind: str) -> None:
            ann = None if p.annotation is None else self.expr(p.annotation.annotation)
            default = None if p.default is None else self.expr(p.default)
            out.append(ir.Param(p.name.value, kind, ann, default))

        for p in params.posonly_params:
            one(p, "posonly")
        for p in params.params:
            one(p, "normal")
        if isinstance(params.star_arg, cst.Param):
            one(params.star_arg, "vararg")
        for p in params.kwonly_params:
            one(p, "kwonly")
        if params.star_kwarg is not None:
            one(params.star_kwarg, "kwarg")
        return tuple(out)

    def nested(self, qualname: str, lower, **fields) -> None:
        """Lower a nested scope's body with it on the stack, keeping source order (the scope
        is listed where it starts, before the scopes nested inside it)."""
        index = len(self.scopes)
        self.scopes.append(None)  # type: ignore[arg-type]  # filled below
        self.stack.append(qualname)
        self.generator_flags.append(False)
        body = lower()
        is_gen = self.generator_flags.pop()
        self.stack.pop()
        self.scopes[index] = ir.Scope(
            qualname=qualname,
            parent=self.stack[-1] if self.stack else "<module>",
            body=body,
            cell=self.cell,
            is_generator=is_gen and fields.get("kind") == "function",
            **fields,
        )

    def function(self, node: cst.FunctionDef) -> str:
        qualname = self.child_qualname(node.name.value)
        decorators = tuple(self.expr(d.decorator) for d in node.decorators)
        params = self.params(node.params)
        returns = None if node.returns is None else self.expr(node.returns.annotation)
        self.nested(
            qualname,
            lambda: self.block(node.body),
            kind="function",
            name=node.name.value,
            loc=self.loc(node),
            is_async=node.asynchronous is not None,
            params=params,
            decorators=decorators,
            returns=returns,
            docstring=_block_docstring(node.body),
        )
        return qualname

    def klass(self, node: cst.ClassDef) -> str:
        qualname = self.child_qualname(node.name.value)
        decorators = tuple(self.expr(d.decorator) for d in node.decorators)
        bases = tuple(self.expr(a.value) for a in node.bases)
        keywords = tuple(
            ir.Arg(self.expr(a.value), a.keyword.value) for a in node.keywords if a.keyword
        )
        self.nested(
            qualname,
            lambda: self.block(node.body),
            kind="class",
            name=node.name.value,
            loc=self.loc(node),
            decorators=decorators,
            bases=bases,
            keywords=keywords,
            docstring=_block_docstring(node.body),
        )
        return qualname

    def lambda_(self, node: cst.Lambda) -> ir.Lambda:
        loc = self.loc(node)
        name = f"<lambda@{loc.line}:{loc.col}>"
        qualname = self.child_qualname(name)
        params = self.params(node.params)
        self.nested(
            qualname,
            lambda: (ir.Return(self.expr(node.body), self.loc(node.body)),),
            kind="lambda",
            name=name,
            loc=loc,
            params=params,
        )
        return ir.Lambda(qualname, loc)

    # ----------------------------------------------------------------- imports

    def package_base(self, level: int) -> str:
        parts = self.module.split(".") if self.module else []
        if not self.is_package:
            parts = parts[:-1]
        if level > 1:
            parts = parts[: max(len(parts) - (level - 1), 0)]
        return ".".join(parts)

    def import_plain(self, node: cst.Import, loc: ir.Loc) -> tuple[int, ...]:
        out = []
        scope = self.stack[-1]
        for alias in node.names:
            full = _code(alias.name)
            if alias.asname is not None:
                bound = _as_name(alias.asname) or full
                imp = ir.Import(bound, full, True, scope, 0, full, "", loc)
            else:
                top = full.split(".")[0]
                imp = ir.Import(top, full, True, scope, 0, full, "", loc)
            out.append(len(self.imports))
            self.imports.append(imp)
        return tuple(out)

    def import_from(self, node: cst.ImportFrom, loc: ir.Loc) -> tuple[int, ...]:
        level = len(node.relative)
        raw = "" if node.module is None else _code(node.module)
        if level:
            base = self.package_base(level)
            source = ".".join(p for p in (base, raw) if p)
        else:
            source = raw
        scope = self.stack[-1]
        out = []
        if isinstance(node.names, cst.ImportStar):
            out.append(len(self.imports))
            self.imports.append(ir.Import("*", source, True, scope, level, raw, "*", loc))
            return tuple(out)
        for alias in node.names:
            name = _code(alias.name)
            bound = _as_name(alias.asname) if alias.asname is not None else name
            target = f"{source}.{name}" if source else name
            out.append(len(self.imports))
            self.imports.append(
                ir.Import(bound or name, target, False, scope, level, raw, name, loc)
            )
        return tuple(out)

    # ----------------------------------------------------------------- expressions

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
            cid = self.cid
            self.cid += 1
            return ir.Call(func, tuple(args), cid, loc)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                value = node.evaluated_value
            except Exception:  # an odd prefix or escape: keep the text
                value = None
            if value is None and isinstance(node, cst.ConcatenatedString):
                parts = (self.expr(node.left), self.expr(node.right))
                return ir.FString(parts, _code(node), loc)
            return ir.Const(value, loc)
        if isinstance(node, cst.Integer):
            return ir.Const(_literal(node.value, int), loc)
        if isinstance(node, cst.Float):
            return ir.Const(_literal(node.value, float), loc)
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
            return ir.FString(tuple(parts), _code(node)[:200], loc)
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
            if self.generator_flags:
                self.generator_flags[-1] = True
            value = node.value
            if isinstance(value, cst.From):
                return ir.Yield(self.expr(value.item), True, loc)
            return ir.Yield(None if value is None else self.expr(value), False, loc)
        if isinstance(node, cst.NamedExpr):
            target = self.expr(node.target)
            if not isinstance(target, ir.Name):
                target = ir.Name("_", loc)
            return ir.NamedExpr(target, self.expr(node.value), loc)
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


def _flatten_bool(lw: _Lowerer, node: cst.BooleanOperation, op: str) -> tuple[ir.Expr, ...]:
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


def _code(node: cst.CSTNode) -> str:
    return _EMPTY_MODULE.code_for_node(node)


def _as_name(asname: cst.AsName | None) -> str | None:
    if asname is None:
        return None
    name = asname.name
    return name.value if isinstance(name, cst.Name) else _code(name)


def _literal(text: str, kind: type) -> object:
    try:
        return kind(text.replace("_", ""), 0) if kind is int else kind(text.replace("_", ""))
    except ValueError:
        return text


def _block_docstring(suite: cst.BaseSuite) -> str | None:
    return _docstring(suite.body) if isinstance(suite, cst.IndentedBlock) else None


def _docstring(body: Sequence[cst.CSTNode]) -> str | None:
    if not body:
        return None
    first = body[0]
    if isinstance(first, cst.SimpleStatementLine) and first.body:
        small = first.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString):
            try:
                value = small.value.evaluated_value
            except Exception:
                return None
            return value if isinstance(value, str) else None
    return None


def _comments(code: str, cell: int | None, line_offset: int) -> list[tuple[int | None, int, str]]:
    """Comments by line, from the tokenizer (cheap, exact, independent of the CST)."""
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                out.append((cell, tok.start[0] + line_offset, tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def _syntax_error(code: str, exc: Exception, line_offset: int = 0) -> tuple[int, str]:
    """Line (within `code`) and message of a syntax error, as Python itself reports it when
    it can (its messages are the ones users know); libcst's otherwise. The message names
    the line as the diagnostic's `line` field does: shifted by `line_offset` (a Markdown
    block's place in its file)."""
    try:
        compile(code, "<cell>", "exec", dont_inherit=True)
    except SyntaxError as err:
        if err.lineno:
            return err.lineno, f"syntax error at line {err.lineno + line_offset}: {err.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    text = str(exc).strip().splitlines()
    first = text[0] if text else "invalid syntax"
    line = getattr(exc, "raw_line", 1)
    return line, f"syntax error at line {line + line_offset}: {first}"


_CONTINUATIONS = ("else", "elif", "except", "finally", "case", ")", "]", "}", "@")


def _statement_starts(lines: list[str]) -> list[tuple[int, int]]:
    """(index, indentation) of lines that look like the start of a statement."""
    out = []
    for i, text in enumerate(lines):
        body = text.lstrip(" \t")
        if body and not body.startswith(("#", *_CONTINUATIONS)):
            out.append((i, len(text) - len(body)))
    return out


class _Unsafe(Exception):
    """Raised instead of handing libcst input its native parser is known to crash on."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# libcst's native parser overflows its stack (a segfault, not an exception) well before
# Python's own limits: ~1,300 nested brackets, ~8,000-link chains. CPython refuses more than
# 200 nested brackets anyway, so code past these bounds cannot run and is not handed to it.
_MAX_BRACKET_DEPTH = 200
_MAX_LINE_CHARS = 20_000


def _guard_libcst(code: str) -> None:
    """Refuse input libcst cannot parse safely (see `_MAX_BRACKET_DEPTH`): a cheap scan of
    bracket depth and line length, run only when the stdlib parser has already failed."""
    depth = 0
    line = 1
    for text in code.split("\n"):
        if len(text) > _MAX_LINE_CHARS:
            raise _Unsafe(f"skipped: line too long to analyse at line {line}", line)
        for c in text:
            if c in "([{":
                depth += 1
                if depth > _MAX_BRACKET_DEPTH:
                    raise _Unsafe(
                        f"skipped: expression nested too deep to analyse at line {line}", line
                    )
            elif c in ")]}":
                depth = max(depth - 1, 0)
        line += 1


_CST_ERRORS = (cst.ParserSyntaxError, cst.CSTValidationError)


def _parse(code: str, frontend: str) -> tuple[str, object]:
    """("ast", tree) from the stdlib parser, or ("cst", module) from libcst when the running
    interpreter cannot parse the code (newer syntax) or `frontend` asks for libcst."""
    if frontend != "cst":
        try:
            with warnings.catch_warnings(), deep_recursion():
                warnings.simplefilter("ignore")
                return "ast", ast.parse(code)
        except SyntaxError as exc:
            if "too many nested" in str(exc.msg) or "too complex" in str(exc.msg):
                line = exc.lineno or None
                where = "" if line is None else f" at line {line}"
                raise _Unsafe(
                    f"skipped: expression nested too deep to analyse{where}", line
                ) from exc
        except (RecursionError, MemoryError) as exc:
            raise _Unsafe("skipped: expression nested too deep to analyse") from exc
        except (ValueError, OverflowError):
            pass  # e.g. NUL bytes: libcst says where
    _guard_libcst(code)
    if len(code) > _ISOLATE_CHARS and not _isolated:
        raise _NeedsIsolation
    return "cst", cst.parse_module(code)


def _parse_prefix(code: str, bad_line: int, frontend: str) -> tuple[str, str, object] | None:
    """Blank the statement a syntax error is in (keeping line numbers and replacing it
    with `pass`) and parse the rest, so one broken statement — common in notebooks and in
    documentation — does not hide the code around it."""
    lines = code.split("\n")
    starts = _statement_starts(lines)
    before = [(i, ind) for i, ind in starts if i < bad_line - 1 or (i == bad_line - 1)]
    for cut, indent in reversed(before[-6:]):
        after = [i for i, ind in starts if i >= bad_line and ind <= indent][:4]
        for resume in [*after, len(lines)]:
            filler = [" " * indent + "pass"] + [""] * (resume - cut - 1)
            candidate = "\n".join(lines[:cut] + filler + lines[resume:])
            try:
                kind, tree = _parse(candidate, frontend)
            except (*_CST_ERRORS, RecursionError, ValueError, _Unsafe):
                continue
            return candidate, kind, tree
    return None


def _lower(
    kind: str,
    tree: object,
    code: str,
    *,
    module: str,
    is_package: bool,
    cell: int | None,
    line_offset: int,
    col_offset: int,
    scopes: list[ir.Scope],
    imports: list[ir.Import],
    next_cid: int,
) -> tuple[int, list[tuple[int | None, int, str]]]:
    """Append one cell's scopes and imports; returns the next call id and the comments."""
    if kind == "ast":
        lowerer = AstLowerer(
            module=module,
            is_package=is_package,
            cell=cell,
            pos=Positions(code, line_offset, col_offset),
            scopes=scopes,
            imports=imports,
            next_cid=next_cid,
        )
        start = len(scopes)
        scopes.append(None)  # type: ignore[arg-type]  # module scope first, in order
        with warnings.catch_warnings(), deep_recursion():
            warnings.simplefilter("ignore")
            scopes[start] = lowerer.lower_module(tree)  # type: ignore[arg-type]
        comments = [(cell, line + line_offset, text) for line, _, text in lowerer.comments()]
        return lowerer.cid, comments
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)  # type: ignore[arg-type]
    with deep_recursion():
        spans = wrapper.resolve(ByteSpanPositionProvider)
    lowerer_cst = _Lowerer(
        module=module,
        is_package=is_package,
        cell=cell,
        spans=spans,
        table=_LineTable(code, line_offset, col_offset),
        scopes=scopes,
        imports=imports,
        next_cid=next_cid,
    )
    start = len(scopes)
    scopes.append(None)  # type: ignore[arg-type]
    with deep_recursion():
        scopes[start] = lowerer_cst.lower_module(tree)  # type: ignore[arg-type]
    return lowerer_cst.cid, _comments(code, cell, line_offset)


def _time_limit_from_env() -> float:
    try:
        return float(os.environ.get("ARCHLINT_FILE_TIMEOUT", "60"))
    except ValueError:
        return 60.0


# Seconds one file may take where parsing is not linear (libcst, see `_ISOLATE_CHARS`);
# `ARCHLINT_FILE_TIMEOUT` sets it.
DEFAULT_TIME_LIMIT = _time_limit_from_env()
# libcst's parse time grows far faster than the input (a flat sum of 5,000 terms takes
# 40 s) and its native parser can crash the process; a cell this large that only libcst
# can read is parsed in a child process with a time limit.
_ISOLATE_CHARS = 4096
_isolated = False


class _NeedsIsolation(Exception):
    """Raised in-process when a cell must go to libcst and is too large to trust."""


def extract_cells(*, time_limit: float | None = None, **kwargs) -> ir.ModuleFacts:
    """Facts for one file (see `_extract_cells`), lowered where deep nesting is safe; a
    file that needs libcst on a large cell is parsed in a child process within
    `time_limit` seconds, and its crash or timeout becomes one diagnostic."""
    try:
        return run_deep(_extract_cells, **kwargs)
    except _NeedsIsolation:
        limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
        return _extract_isolated(kwargs, limit)


def _child(conn, kwargs: dict) -> None:
    """Child process: facts for one file, pickled back through `conn`."""
    global _isolated
    _isolated = True
    try:
        facts = run_deep(_extract_cells, **kwargs)
        conn.send_bytes(run_deep(pickle.dumps, facts, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _extract_isolated(kwargs: dict, time_limit: float) -> ir.ModuleFacts:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, kwargs), daemon=True)
    proc.start()
    sender.close()
    message = None
    facts = None
    try:
        if receiver.poll(time_limit):
            facts = pickle.loads(receiver.recv_bytes())
        else:
            message = f"skipped: parsing took longer than {time_limit:g} s (ARCHLINT_FILE_TIMEOUT)"
    except (EOFError, OSError):
        proc.join(5)
        message = f"skipped: the parser crashed on this file (exit code {proc.exitcode})"
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if isinstance(facts, ir.ModuleFacts):
        return facts
    path = kwargs["path"]
    return ir.ModuleFacts(
        path=path,
        module=kwargs["module"],
        kind=kwargs["kind"],
        scopes=(),
        imports=(),
        errors=(*kwargs.get("errors", ()), ir.Diagnostic(path, message or "skipped")),
        is_package=kwargs.get("is_package", False),
        digest=kwargs.get("digest", ""),
    )


def _extract_cells(
    *,
    path: str,
    module: str,
    kind: str,
    cells: Sequence[tuple[int | None, str, int, int]],
    is_package: bool = False,
    digest: str = "",
    errors: Sequence[ir.Diagnostic] = (),
    frontend: str = "auto",
) -> ir.ModuleFacts:
    """Facts for one file given as cells of (index, code, line_offset, col_offset).

    A cell that does not parse becomes a diagnostic; the other cells are still lowered.
    `frontend` is "auto" (the stdlib `ast`, libcst for what it cannot parse) or "cst"
    (libcst only: the reference the differential tests compare against).
    """
    scopes: list[ir.Scope] = []
    imports: list[ir.Import] = []
    comments: list[tuple[int | None, int, str]] = []
    diagnostics = list(errors)
    next_cid = 0
    for index, code, line_offset, col_offset in cells:
        try:
            tree_kind, tree = _parse(code, frontend)
        except _CST_ERRORS as exc:
            bad_line, message = _syntax_error(code, exc, line_offset)
            recovered = _parse_prefix(code, bad_line, frontend)
            if recovered is not None:
                code, tree_kind, tree = recovered
                message += "; the statements around it were still analysed"
            diagnostics.append(ir.Diagnostic(path, message, bad_line + line_offset, index))
            if recovered is None:
                continue
        except _Unsafe as exc:
            line = None if exc.line is None else exc.line + line_offset
            diagnostics.append(ir.Diagnostic(path, exc.message, line, index))
            continue
        except (RecursionError, MemoryError, ValueError) as exc:
            diagnostics.append(ir.Diagnostic(path, f"could not parse: {exc}", None, index))
            continue
        start, start_imports = len(scopes), len(imports)
        try:
            next_cid, cell_comments = _lower(
                tree_kind,
                tree,
                code,
                module=module,
                is_package=is_package,
                cell=index,
                line_offset=line_offset,
                col_offset=col_offset,
                scopes=scopes,
                imports=imports,
                next_cid=next_cid,
            )
        except (RecursionError, TooDeep) as exc:
            del scopes[start:]
            del imports[start_imports:]
            line = exc.line if isinstance(exc, TooDeep) else None
            where = "" if line is None else f" at line {line + line_offset}"
            diagnostics.append(
                ir.Diagnostic(
                    path,
                    f"skipped: expression nested too deep to analyse{where}",
                    None if line is None else line + line_offset,
                    index,
                )
            )
            continue
        comments.extend(cell_comments)
    index_map = {(s.cell, s.qualname): i for i, s in enumerate(scopes)}
    return ir.ModuleFacts(
        path=path,
        module=module,
        kind=kind,
        scopes=tuple(scopes),
        imports=tuple(imports),
        errors=tuple(diagnostics),
        comments=tuple(comments),
        is_package=is_package,
        digest=digest,
        scope_index=index_map,
    )


def extract_source(
    code: str, *, path: str = "main.py", module: str = "main", frontend: str = "auto"
) -> ir.ModuleFacts:
    """Facts for one plain Python source string (the common case, and handy in tests)."""
    is_package = path.endswith("__init__.py")
    return extract_cells(
        path=path,
        module=module,
        kind="py",
        cells=[(None, code, 0, 0)],
        is_package=is_package,
        frontend=frontend,
    )
