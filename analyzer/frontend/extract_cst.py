"""Lower one libcst parse of a source cell into the plain-data IR (`analyzer.ir`).

The reference front end, kept for what the stdlib `ast` of the running interpreter cannot
read: syntax newer than it, and the statements around a syntax error. It is lowered with
the cheap byte-span provider only (scope and qualified-name providers are never used, see
PERFORMANCE.md), and its IR is the one `extract_ast` reproduces field for field.

This module owns statements, definitions and imports; expressions are
`cst_expressions`'.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import libcst as cst

from analyzer import ir
from analyzer.frontend.cst_expressions import CstExpressionsMixin, cst_code
from analyzer.frontend.lowering import ScopeLowerer

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


class LineTable:
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


class CstLowerer(CstExpressionsMixin, ScopeLowerer):
    """Turns the statements of one cell into IR scopes, appending to shared lists."""

    def __init__(self, *, spans: object, table: LineTable, **shared) -> None:
        """`shared`: `ScopeLowerer`'s arguments (module, cell, the lists to append to)."""
        super().__init__(**shared)
        self.spans = spans
        self.table = table

    # ----------------------------------------------------------------- helpers

    def loc(self, node: cst.CSTNode) -> ir.Loc:
        span = self.spans.get(node)  # type: ignore[attr-defined]
        if span is None:
            return ir.NOLOC
        line, col = self.table.point(span.start)
        end_line, end_col = self.table.point(span.start + span.length)
        return ir.Loc(line, col, end_line, end_col)

    # ----------------------------------------------------------------- module

    def lower_module(self, mod: cst.Module) -> ir.Scope:
        return self.module_scope(
            lambda: self.block(mod.body), mod.code, self.table.line_offset, _docstring(mod.body)
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
            pattern=cst_code(node.pattern),
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
        params = self.params(node.params)
        body = node.body
        return self.lambda_scope(loc, params, lambda: (ir.Return(self.expr(body), self.loc(body)),))

    # ----------------------------------------------------------------- imports

    def import_plain(self, node: cst.Import, loc: ir.Loc) -> tuple[int, ...]:
        names = []
        for alias in node.names:
            full = cst_code(alias.name)
            asname = None if alias.asname is None else (_as_name(alias.asname) or full)
            names.append((full, asname))
        return self.import_names(names, loc)

    def import_from(self, node: cst.ImportFrom, loc: ir.Loc) -> tuple[int, ...]:
        raw = "" if node.module is None else cst_code(node.module)
        names = None
        if not isinstance(node.names, cst.ImportStar):
            names = [(cst_code(a.name), _as_name(a.asname)) for a in node.names]
        return self.import_from_names(len(node.relative), raw, names, loc)


def _as_name(asname: cst.AsName | None) -> str | None:
    if asname is None:
        return None
    name = asname.name
    return name.value if isinstance(name, cst.Name) else cst_code(name)


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
