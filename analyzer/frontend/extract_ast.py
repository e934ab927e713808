"""Lower one stdlib `ast` parse of a source cell into the plain-data IR (`analyzer.ir`).

The fast front end: `ast.parse` costs about a twelfth of a libcst parse, and the IR it
yields is the same, field for field, as the libcst lowering in `extract_cst` (a
differential test holds the two together on every fixture). Where the two trees differ the
libcst shape wins, because it is what the rest of the pipeline was built on:

* columns are characters (ast gives UTF-8 byte offsets: `ast_text.Positions`);
* a node's range never includes its own parentheses, and implicit string concatenation is
  a right-nested pair of parts (`ast_shapes`);
* operands are lowered in the order libcst's lowering visits them, so call ids (`cid`) and
  the order of nested scopes are the same.

This module owns statements, definitions and imports; expressions are
`ast_expressions`'. Long `elif` chains are iterated, not recursed into, and other nesting
runs under `analyzer.frontend.deep`'s raised limit, so deep but reasonable code is
analysed instead of skipped (up to `MAX_DEPTH`).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from analyzer import ir
from analyzer.frontend.ast_expressions import BINOPS, AstExpressionsMixin
from analyzer.frontend.ast_shapes import AstShapesMixin
from analyzer.frontend.ast_text import Positions, prev_nonspace, skip_space
from analyzer.frontend.deep import MAX_DEPTH
from analyzer.frontend.lowering import ScopeLowerer, TooDeep


class AstLowerer(AstExpressionsMixin, AstShapesMixin, ScopeLowerer):
    """Turns the statements of one cell into IR scopes, appending to shared lists."""

    def __init__(self, *, pos: Positions, **shared) -> None:
        """`shared`: `ScopeLowerer`'s arguments (module, cell, the lists to append to)."""
        super().__init__(**shared)
        self.pos = pos
        self.code = pos.code
        self.depth = 0
        self.indent = ""  # the enclosing statement's indentation
        # string literal ranges (character offsets), to tell comments from '#' in strings
        self.string_spans: list[tuple[int, int]] = []
        self._comment_cols: dict[int, int] | None = None
        self._comments: list[tuple[int, int, str]] | None = None

    # ----------------------------------------------------------------- helpers

    def loc(self, node: ast.AST) -> ir.Loc:
        return self.pos.loc(node)

    def enter(self, node: ast.AST) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(getattr(node, "lineno", 0))

    # ----------------------------------------------------------------- module

    def lower_module(self, mod: ast.Module) -> ir.Scope:
        return self.module_scope(
            lambda: self.block(mod.body),
            self.code,
            self.pos.line_offset,
            self.docstring(mod.body),
        )

    # ----------------------------------------------------------------- statements

    def block(self, body: Sequence[ast.stmt]) -> tuple[ir.Stmt, ...]:
        out: list[ir.Stmt] = []
        for node in body:
            out.extend(self.stmt(node))
        return tuple(out)

    def stmt(self, node: ast.stmt) -> list[ir.Stmt]:
        self.enter(node)
        saved = self.indent
        line = self.pos.lines[node.lineno - 1]
        self.indent = line[: len(line) - len(line.lstrip(" \t"))]
        try:
            return self._stmt(node)
        finally:
            self.depth -= 1
            self.indent = saved

    def _stmt(self, node: ast.stmt) -> list[ir.Stmt]:
        loc = self.loc(node)
        t = type(node)
        if t is ast.Expr:
            return [ir.ExprStmt(self.expr(node.value), loc)]
        if t is ast.Assign:
            targets = tuple(self.expr(x) for x in node.targets)
            return [ir.Assign(targets, self.expr(node.value), loc=loc)]
        if t is ast.AnnAssign:
            value = None if node.value is None else self.expr(node.value)
            ann = self.expr(node.annotation)
            return [ir.Assign((self.expr(node.target),), value, annotation=ann, loc=loc)]
        if t is ast.AugAssign:
            op = BINOPS.get(type(node.op), "?")
            target = self.expr(node.target)
            return [ir.Assign((target,), self.expr(node.value), op=op, loc=loc)]
        if t is ast.Return:
            return [ir.Return(None if node.value is None else self.expr(node.value), loc)]
        if t is ast.Raise:
            exc = None if node.exc is None else self.expr(node.exc)
            cause = None if node.cause is None else self.expr(node.cause)
            return [ir.Raise(exc, cause, loc)]
        if t is ast.Break:
            return [ir.Jump("break", loc)]
        if t is ast.Continue:
            return [ir.Jump("continue", loc)]
        if t is ast.Pass:
            return [ir.Jump("pass", loc)]
        if t is ast.Delete:
            return [ir.Delete((self.delete_target(node),), loc)]
        if t is ast.Global:
            return [ir.Global("global", tuple(node.names), loc)]
        if t is ast.Nonlocal:
            return [ir.Global("nonlocal", tuple(node.names), loc)]
        if t is ast.Import:
            return [ir.ImportStmt(self.import_plain(node, loc), loc)]
        if t is ast.ImportFrom:
            return [ir.ImportStmt(self.import_from(node, loc), loc)]
        if t is ast.Assert:
            test = self.expr(node.test)
            msg = () if node.msg is None else (self.expr(node.msg),)
            return [ir.ExprStmt(ir.Unknown("assert", (test, *msg), loc), loc)]
        if t in (ast.FunctionDef, ast.AsyncFunctionDef):
            return [ir.Define(self.function(node), loc)]
        if t is ast.ClassDef:
            return [ir.Define(self.klass(node), loc)]
        if t is ast.If:
            return [self.if_stmt(node, is_elif=False)]
        if t is ast.While:
            test = self.expr(node.test)
            return [ir.While(test, self.block(node.body), self.block(node.orelse), loc)]
        if t in (ast.For, ast.AsyncFor):
            target = self.expr(node.target)
            it = self.expr(node.iter)
            body = self.block(node.body)
            orelse = self.block(node.orelse)
            return [ir.For(target, it, body, orelse, is_async=t is ast.AsyncFor, loc=loc)]
        if t in (ast.With, ast.AsyncWith):
            items = tuple(
                ir.WithItem(
                    self.expr(item.context_expr),
                    None if item.optional_vars is None else self.expr(item.optional_vars),
                )
                for item in node.items
            )
            return [ir.With(items, self.block(node.body), t is ast.AsyncWith, loc)]
        if t is ast.Try or t.__name__ == "TryStar":
            # libcst's lowering visits handlers and `finally` before the body
            handlers = tuple(
                ir.Handler(
                    None if h.type is None else self.expr(h.type),
                    h.name,
                    self.block(h.body),
                    self.loc(h),
                )
                for h in node.handlers
            )
            final = self.block(node.finalbody)
            body = self.block(node.body)
            orelse = self.block(node.orelse)
            return [ir.Try(body, handlers, orelse, final, t is not ast.Try, loc)]
        if t is ast.Match:
            subject = self.expr(node.subject)
            return [ir.Match(subject, tuple(self.case(c, node) for c in node.cases), loc)]
        return []

    def delete_target(self, node: ast.Delete) -> ir.Expr:
        """libcst keeps `del a, b` as one tuple target (its range without parentheses)."""
        if len(node.targets) == 1:
            return self.expr(node.targets[0])
        elts = tuple(self.expr(x) for x in node.targets)
        first, last = node.targets[0], node.targets[-1]
        start = self.pos.offset(first.lineno, first.col_offset)
        end = self.pos.offset(last.end_lineno, last.end_col_offset)
        end = self._trailing_comma(end, self.pos.offset(node.end_lineno, node.end_col_offset))
        return ir.Seq("tuple", elts, self.pos.loc_of_offsets(start, end))

    def if_stmt(self, node: ast.If, *, is_elif: bool) -> ir.If:
        # an `elif` chain is iterated, not recursed into: hundreds of branches are common
        chain: list[tuple[ast.If, bool]] = [(node, is_elif)]
        cur = node
        while len(cur.orelse) == 1 and isinstance(cur.orelse[0], ast.If) and self._is_elif(cur):
            cur = cur.orelse[0]
            chain.append((cur, True))
        parts = []
        for n, _ in chain:
            test = self.expr(n.test)
            body = self.block(n.body)
            parts.append((test, body))
        last = chain[-1][0]
        orelse = self.block(last.orelse)
        result: ir.If | None = None
        for (n, elif_), (test, body) in zip(reversed(chain), reversed(parts), strict=True):
            tail = orelse if result is None else (result,)
            result = ir.If(test, body, tail, elif_, self.loc(n))
        assert result is not None
        return result

    def _is_elif(self, node: ast.If) -> bool:
        """Whether `node`'s else branch is an `elif` (ast writes `else: if` the same way)."""
        inner = node.orelse[0]
        off = self.pos.offset(inner.lineno, inner.col_offset)
        return self.code.startswith("elif", off)

    def case(self, node: ast.match_case, match: ast.Match) -> ir.MatchCase:
        captures: list[str] = []
        values: list[ir.Expr] = []
        self.pattern(node.pattern, captures, values)
        p = node.pattern
        wildcard = isinstance(p, ast.MatchAs) and p.pattern is None
        # the `case` keyword: scan back from the pattern over spaces and '('
        p_start, p_end = self.pos.span(p)
        i = p_start
        while True:
            j = prev_nonspace(self.code, i)
            if j >= 0 and self.code[j] == "(":
                i = j
                continue
            break
        case_kw = prev_nonspace(self.code, i) - 3
        # pattern text: from after `case` to before `if`/`:`
        k = p_end
        limit = len(self.code)
        while True:
            k2 = skip_space(self.code, k, limit)
            if k2 < limit and self.code[k2] == ")":
                k = k2 + 1
                continue
            break
        # continuation lines lose the `case` line's indentation, as libcst prints them
        saved = self.indent
        text = self.pos.lines[self.code.count("\n", 0, max(case_kw, 0))]
        self.indent = text[: len(text) - len(text.lstrip(" \t"))]
        pattern_text = self.cst_text(i, k, [])
        self.indent = saved
        guard = None if node.guard is None else self.expr(node.guard)
        body = self.block(node.body)
        last = node.body[-1]
        end = self.pos.offset(last.end_lineno, last.end_col_offset)
        return ir.MatchCase(
            pattern=pattern_text,
            captures=tuple(captures),
            values=tuple(values),
            guard=guard,
            body=body,
            is_wildcard=wildcard and node.guard is None,
            loc=self.pos.loc_of_offsets(case_kw, end),
        )

    def pattern(self, p: ast.pattern, captures: list[str], values: list[ir.Expr]) -> None:
        if isinstance(p, ast.MatchValue):
            values.append(self.expr(p.value))
        elif isinstance(p, ast.MatchSingleton):
            values.append(ir.Const(p.value, self.loc(p)))
        elif isinstance(p, ast.MatchAs):
            if p.name is not None:
                captures.append(p.name)
            if p.pattern is not None:
                self.pattern(p.pattern, captures, values)
        elif isinstance(p, ast.MatchOr):
            for el in p.patterns:
                self.pattern(el, captures, values)
        elif isinstance(p, ast.MatchSequence):
            for el in p.patterns:
                if isinstance(el, ast.MatchStar):
                    if el.name is not None:
                        captures.append(el.name)
                else:
                    self.pattern(el, captures, values)
        elif isinstance(p, ast.MatchMapping):
            for key, el in zip(p.keys, p.patterns, strict=False):
                values.append(self.expr(key))
                self.pattern(el, captures, values)
            if p.rest is not None:
                captures.append(p.rest)
        elif isinstance(p, ast.MatchClass):
            values.append(self.expr(p.cls))
            for el in p.patterns:
                self.pattern(el, captures, values)
            for el in p.kwd_patterns:
                self.pattern(el, captures, values)

    # ----------------------------------------------------------------- definitions

    def params(self, args: ast.arguments) -> tuple[ir.Param, ...]:
        out: list[ir.Param] = []
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults += list(args.defaults)

        def one(a: ast.arg, kind: str, default: ast.expr | None) -> None:
            ann = None if a.annotation is None else self.expr(a.annotation)
            value = None if default is None else self.expr(default)
            out.append(ir.Param(a.arg, kind, ann, value))

        n_pos = len(args.posonlyargs)
        for i, a in enumerate(positional):
            one(a, "posonly" if i < n_pos else "normal", defaults[i])
        if args.vararg is not None:
            one(args.vararg, "vararg", None)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False):
            one(a, "kwonly", d)
        if args.kwarg is not None:
            one(args.kwarg, "kwarg", None)
        return tuple(out)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        qualname = self.child_qualname(node.name)
        decorators = tuple(self.expr(d) for d in node.decorator_list)
        params = self.params(node.args)
        returns = None if node.returns is None else self.expr(node.returns)
        self.nested(
            qualname,
            lambda: self.block(node.body),
            kind="function",
            name=node.name,
            loc=self.loc(node),  # both start at the keyword, after decorators
            is_async=isinstance(node, ast.AsyncFunctionDef),
            params=params,
            decorators=decorators,
            returns=returns,
            docstring=self.docstring(node.body) if self._indented(node.body) else None,
        )
        return qualname

    def klass(self, node: ast.ClassDef) -> str:
        qualname = self.child_qualname(node.name)
        decorators = tuple(self.expr(d) for d in node.decorator_list)
        bases = tuple(self.expr(b.value if isinstance(b, ast.Starred) else b) for b in node.bases)
        keywords = tuple(
            ir.Arg(self.expr(k.value), k.arg) for k in node.keywords if k.arg is not None
        )
        self.nested(
            qualname,
            lambda: self.block(node.body),
            kind="class",
            name=node.name,
            loc=self.loc(node),  # both start at the keyword, after decorators
            decorators=decorators,
            bases=bases,
            keywords=keywords,
            docstring=self.docstring(node.body) if self._indented(node.body) else None,
        )
        return qualname

    def lambda_(self, node: ast.Lambda) -> ir.Lambda:
        loc = self.loc(node)
        params = self.params(node.args)
        body = node.body
        return self.lambda_scope(
            loc, params, lambda: (ir.Return(self.expr(body), self.expr_loc(body)),)
        )

    # ----------------------------------------------------------------- imports

    def import_plain(self, node: ast.Import, loc: ir.Loc) -> tuple[int, ...]:
        return self.import_names([(a.name, a.asname) for a in node.names], loc)

    def import_from(self, node: ast.ImportFrom, loc: ir.Loc) -> tuple[int, ...]:
        star = len(node.names) == 1 and node.names[0].name == "*"
        names = None if star else [(a.name, a.asname) for a in node.names]
        return self.import_from_names(node.level or 0, node.module or "", names, loc)
