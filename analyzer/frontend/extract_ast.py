"""Lower one stdlib `ast` parse of a source cell into the plain-data IR (`analyzer.ir`).

The fast front end: `ast.parse` costs about a twelfth of a libcst parse, and the IR it
yields is the same, field for field, as the libcst lowering in `analyzer.frontend.extract` (a
differential test holds the two together on every fixture). Where the two trees differ the
libcst shape wins, because it is what the rest of the pipeline was built on:

* columns are characters (ast gives UTF-8 byte offsets);
* a node's range never includes its own parentheses (ast includes them for tuples and
  generator expressions);
* implicit string concatenation is a right-nested pair of parts (ast merges it);
* operands are lowered in the order libcst's lowering visits them, so call ids (`cid`) and
  the order of nested scopes are the same.

Long left-nested chains (`a + b + ...`, `x.a.b...`, `f()()`) and `elif` chains are
iterated, not recursed into, and other nesting runs under `analyzer.frontend.deep`'s raised limit,
so deep but reasonable code is analysed instead of skipped (up to `MAX_DEPTH`).
"""

from __future__ import annotations

import ast
import bisect
import keyword
import re
import sys
from collections.abc import Sequence

from analyzer import ir
from analyzer.frontend.deep import MAX_DEPTH

_BINOPS = {
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
# libcst's class names, for expressions the IR keeps as `Unknown`
_UNKNOWN_NAMES = {ast.Slice: "Slice", ast.Starred: "StarredElement"}


class TooDeep(Exception):
    """Raised when a cell nests deeper than `MAX_DEPTH`; carries the line it happens at."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class Positions:
    """(line, byte column) in a cell -> the IR's (line, character column) in the file."""

    def __init__(self, code: str, line_offset: int, col_offset: int) -> None:
        self.lines = code.split("\n")
        self.all_ascii = code.isascii()
        self.ascii = (
            [True] * len(self.lines) if self.all_ascii else [text.isascii() for text in self.lines]
        )
        self.line_offset = line_offset
        self.col_offset = col_offset
        # start offset (in characters) of each line, for slicing source text
        self.starts: list[int] = []
        pos = 0
        for text in self.lines:
            self.starts.append(pos)
            pos += len(text) + 1
        self.code = code

    def char_col(self, line: int, col: int) -> int:
        """Character column of byte column `col` on 1-based `line`."""
        i = line - 1
        if 0 <= i < len(self.lines) and not self.ascii[i]:
            return len(self.lines[i].encode("utf-8")[:col].decode("utf-8", "replace"))
        return col

    def loc(self, node: ast.AST) -> ir.Loc:
        line = node.lineno  # type: ignore[attr-defined]
        col = node.col_offset  # type: ignore[attr-defined]
        end_line = node.end_lineno  # type: ignore[attr-defined]
        end_col = node.end_col_offset  # type: ignore[attr-defined]
        if not self.all_ascii:
            ascii_ = self.ascii
            if not ascii_[line - 1]:
                col = self.char_col(line, col)
            if not ascii_[end_line - 1]:
                end_col = self.char_col(end_line, end_col)
        lo = self.line_offset
        co = self.col_offset
        return ir.Loc(line + lo, col + co, end_line + lo, end_col + co)

    def offset(self, line: int, col: int) -> int:
        """Character offset in the cell of (1-based line, byte column)."""
        return self.starts[line - 1] + self.char_col(line, col)

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.code[start:end]

    def loc_of_offsets(self, start: int, end: int) -> ir.Loc:
        """Loc of a character range of the cell."""
        return ir.Loc(*self.point(start), *self.point(end))

    def point(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return i + 1 + self.line_offset, offset - self.starts[i] + self.col_offset


# --------------------------------------------------------------------------- source scanning


def _skip_space(code: str, i: int, end: int) -> int:
    """Skip whitespace, newlines, line continuations and comments forward from `i`."""
    while i < end:
        c = code[i]
        if c in " \t\n\f\r\\":
            i += 1
        elif c == "#":
            nl = code.find("\n", i, end)
            i = end if nl < 0 else nl
        else:
            return i
    return i


_QUOTE_OR_HASH = re.compile(r"[#'\"]")
# the rest of a string body after its opening quote, through the closing quote
_STRING_REST = {
    "'": re.compile(r"(?:[^'\\\n]|\\.|\\\n)*'"),
    '"': re.compile(r'(?:[^"\\\n]|\\.|\\\n)*"'),
    "'''": re.compile(r"(?:[^\\']|\\.|'(?!''))*'''", re.DOTALL),
    '"""': re.compile(r'(?:[^\\"]|\\.|"(?!""))*"""', re.DOTALL),
}


def _string_end(code: str, i: int) -> int:
    """End of the string literal (prefix and quotes) starting at `i` (or at its quote)."""
    j = i
    while code[j] not in "'\"":
        j += 1
    q = code[j]
    quote = q * 3 if code.startswith(q * 3, j) else q
    m = _STRING_REST[quote].match(code, j + len(quote))
    return len(code) if m is None else m.end()


def scan_comments(code: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment, as the tokenizer finds them, by skipping
    string literals with regular expressions (the tokenize module costs more than the
    parse). Valid before Python 3.12 only, where an f-string cannot reuse its own quote."""
    if sys.version_info >= (3, 12):  # tokenize is in C there, and f-strings nest
        return tokenize_comments(code)
    out = []
    i = 0
    line, counted = 1, 0  # newlines counted up to offset `counted`
    search = _QUOTE_OR_HASH.search
    while True:
        m = search(code, i)
        if m is None:
            return out
        k = m.start()
        if code[k] == "#":
            nl = code.find("\n", k)
            end = len(code) if nl < 0 else nl
            line += code.count("\n", counted, k)
            counted = k
            line_start = code.rfind("\n", 0, k) + 1
            out.append((line, k - line_start, code[k:end]))
            i = end
        else:
            i = _string_end(code, k)


def string_pieces(code: str, start: int, end: int) -> list[tuple[int, int]]:
    """The string tokens of an implicitly concatenated literal spanning [start, end)."""
    pieces = []
    i = start
    while i < end:
        i = _skip_space(code, i, end)
        if i >= end:
            break
        j = _string_end(code, i)
        pieces.append((i, j))
        i = j
    return pieces


def _prev_significant(code: str, i: int, comment_cols: dict[int, int], pos: Positions) -> int:
    """Index of the last non-space, non-comment character before `i` (-1 if none)."""
    i -= 1
    while i >= 0:
        c = code[i]
        if c == "\n":
            # the line before this newline may end in a comment
            line = code.count("\n", 0, i)  # 0-based index of the line ending here
            cut = comment_cols.get(line)
            if cut is not None:
                i = pos.starts[line] + cut
            i -= 1
            continue
        if c in " \t\f\r\\":
            i -= 1
            continue
        return i
    return -1


def _ends_expression(code: str, i: int) -> bool:
    """Whether the character at `i` ends an expression (so a `(` after it is a call)."""
    c = code[i]
    if c in ")]}'\"":
        return True
    if c.isalnum() or c == "_" or not c.isascii():
        j = i
        while j >= 0 and (code[j].isalnum() or code[j] == "_" or not code[j].isascii()):
            j -= 1
        word = code[j + 1 : i + 1]
        return not keyword.iskeyword(word)
    return False


# --------------------------------------------------------------------------- lowering


class AstLowerer:
    """Turns the statements of one cell into IR scopes, appending to shared lists."""

    def __init__(
        self,
        *,
        module: str,
        is_package: bool,
        cell: int | None,
        pos: Positions,
        scopes: list[ir.Scope],
        imports: list[ir.Import],
        next_cid: int,
    ) -> None:
        self.module = module
        self.is_package = is_package
        self.cell = cell
        self.pos = pos
        self.code = pos.code
        self.scopes = scopes
        self.imports = imports
        self.cid = next_cid
        self.stack: list[str] = []
        self.generator_flags: list[bool] = []
        self.depth = 0
        self.indent = ""  # the enclosing statement's indentation
        # string literal ranges (character offsets), to tell comments from '#' in strings
        self.string_spans: list[tuple[int, int]] = []
        self._comment_cols: dict[int, int] | None = None
        self._comments: list[tuple[int, int, str]] | None = None

    # ----------------------------------------------------------------- helpers

    def loc(self, node: ast.AST) -> ir.Loc:
        return self.pos.loc(node)

    def child_qualname(self, name: str) -> str:
        parent = self.stack[-1] if self.stack else "<module>"
        if parent == "<module>":
            return name
        return f"{parent}.{name}"

    def enter(self, node: ast.AST) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(getattr(node, "lineno", 0))

    # ----------------------------------------------------------------- module

    def lower_module(self, mod: ast.Module) -> ir.Scope:
        self.stack.append("<module>")
        self.generator_flags.append(False)
        body = self.block(mod.body)
        self.stack.pop()
        self.generator_flags.pop()
        end = self.code.count("\n") + 1
        off = self.pos.line_offset
        return ir.Scope(
            qualname="<module>",
            kind="module",
            name="<module>",
            parent=None,
            loc=ir.Loc(1 + off, 0, end + off, 0),
            body=body,
            cell=self.cell,
            docstring=self.docstring(mod.body),
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
            op = _BINOPS.get(type(node.op), "?")
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

    def _trailing_comma(self, end: int, limit: int) -> int:
        """Extend `end` over a trailing comma (libcst's tuple owns it)."""
        j = _skip_space(self.code, end, limit)
        while j < limit and self.code[j] == ")":
            j = _skip_space(self.code, j + 1, limit)
        if j < limit and self.code[j] == ",":
            return j + 1
        return end

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
            j = _prev_significant_simple(self.code, i)
            if j >= 0 and self.code[j] == "(":
                i = j
                continue
            break
        case_kw = _prev_significant_simple(self.code, i) - 3
        # pattern text: from after `case` to before `if`/`:`
        k = p_end
        limit = len(self.code)
        while True:
            k2 = _skip_space(self.code, k, limit)
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

    def nested(self, qualname: str, lower, **fields) -> None:
        """Lower a nested scope's body with it on the stack, keeping source order."""
        index = len(self.scopes)
        self.scopes.append(None)  # type: ignore[arg-type]
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

    def _indented(self, body: list[ast.stmt]) -> bool:
        """Whether a body is an indented block (not `def f(): ...` on one line)."""
        first = body[0]
        line = self.pos.lines[first.lineno - 1]
        return not line[: self.pos.char_col(first.lineno, first.col_offset)].strip()

    def lambda_(self, node: ast.Lambda) -> ir.Lambda:
        loc = self.loc(node)
        name = f"<lambda@{loc.line}:{loc.col}>"
        qualname = self.child_qualname(name)
        params = self.params(node.args)
        self.nested(
            qualname,
            lambda: (ir.Return(self.expr(node.body), self.expr_loc(node.body)),),
            kind="lambda",
            name=name,
            loc=loc,
            params=params,
        )
        return ir.Lambda(qualname, loc)

    def expr_loc(self, node: ast.expr) -> ir.Loc:
        """An expression's range as libcst has it (without its own parentheses)."""
        if isinstance(node, ast.Tuple):
            return self.tuple_loc(node)
        if isinstance(node, ast.GeneratorExp):
            return self.genexp_loc(node)
        return self.loc(node)

    def docstring(self, body: list[ast.stmt]) -> str | None:
        if not body:
            return None
        first = body[0]
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
            return None
        value = first.value.value
        if not isinstance(value, str):
            return None
        start, end = self.pos.span(first.value)
        if len(string_pieces(self.code, start, end)) != 1:
            return None  # implicit concatenation: not a docstring for libcst
        return value

    # ----------------------------------------------------------------- imports

    def package_base(self, level: int) -> str:
        parts = self.module.split(".") if self.module else []
        if not self.is_package:
            parts = parts[:-1]
        if level > 1:
            parts = parts[: max(len(parts) - (level - 1), 0)]
        return ".".join(parts)

    def import_plain(self, node: ast.Import, loc: ir.Loc) -> tuple[int, ...]:
        out = []
        scope = self.stack[-1]
        for alias in node.names:
            full = alias.name
            if alias.asname is not None:
                imp = ir.Import(alias.asname, full, True, scope, 0, full, "", loc)
            else:
                imp = ir.Import(full.split(".")[0], full, True, scope, 0, full, "", loc)
            out.append(len(self.imports))
            self.imports.append(imp)
        return tuple(out)

    def import_from(self, node: ast.ImportFrom, loc: ir.Loc) -> tuple[int, ...]:
        level = node.level or 0
        raw = node.module or ""
        if level:
            base = self.package_base(level)
            source = ".".join(p for p in (base, raw) if p)
        else:
            source = raw
        scope = self.stack[-1]
        out = []
        if len(node.names) == 1 and node.names[0].name == "*":
            out.append(len(self.imports))
            self.imports.append(ir.Import("*", source, True, scope, level, raw, "*", loc))
            return tuple(out)
        for alias in node.names:
            name = alias.name
            bound = alias.asname if alias.asname is not None else name
            target = f"{source}.{name}" if source else name
            out.append(len(self.imports))
            self.imports.append(
                ir.Import(bound or name, target, False, scope, level, raw, name, loc)
            )
        return tuple(out)

    # ----------------------------------------------------------------- expressions

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
        if t in (ast.Attribute, ast.Call, ast.Subscript, ast.BinOp):
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
            if self.generator_flags:
                self.generator_flags[-1] = True
            if t is ast.YieldFrom:
                return ir.Yield(self.expr(node.value), True, loc)
            return ir.Yield(None if node.value is None else self.expr(node.value), False, loc)
        if t is ast.NamedExpr:
            loc = self.loc(node)
            target = self.expr(node.target)
            if not isinstance(target, ir.Name):
                target = ir.Name("_", loc)
            return ir.NamedExpr(target, self.expr(node.value), loc)
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
        while True:
            t = type(cur)
            if t is ast.Attribute:
                links.append(cur)
                cur = cur.value
            elif t is ast.Call:
                links.append(cur)
                cur = cur.func
            elif t is ast.Subscript:
                links.append(cur)
                cur = cur.value
            elif t is ast.BinOp:
                links.append(cur)
                cur = cur.left
            else:
                break
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
                op = _BINOPS.get(type(link.op), "?")
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
        cid = self.cid
        self.cid += 1
        return ir.Call(func, tuple(args), cid, loc)

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
            return ir.Const(_number(text, type(value)), self.loc(node))
        return ir.Const(value, self.loc(node))

    def joined(self, node: ast.JoinedStr) -> ir.Expr:
        start, end = self.pos.span(node)
        self.string_spans.append((start, end))
        pieces = string_pieces(self.code, start, end)
        if len(pieces) > 1:
            return self.concatenated(node, pieces, start, end)
        parts = self.fstring_parts(node.values)
        text = self.own_parens_text(start, end, pieces)
        return ir.FString(tuple(parts), text[:200], self.loc(node))

    def fstring_parts(self, values: Sequence[ast.expr]) -> list[ir.Expr]:
        parts: list[ir.Expr] = []
        for v in values:
            if isinstance(v, ast.FormattedValue):
                parts.append(self.expr(v.value))
                spec = v.format_spec
                if isinstance(spec, ast.JoinedStr):
                    for sp in spec.values:
                        if isinstance(sp, ast.FormattedValue):
                            parts.append(self.expr(sp.value))
        return parts

    def concatenated(
        self, node: ast.expr, pieces: list[tuple[int, int]], start: int, end: int
    ) -> ir.Expr:
        """libcst's ConcatenatedString: (first piece, rest) pairs nested to the right; an
        all-literal one is a constant."""
        if isinstance(node, ast.Constant):
            return ir.Const(node.value, self.loc(node))
        # FormattedValues of the merged JoinedStr, assigned to the piece they sit in
        fvalues: list[tuple[int, ast.FormattedValue]] = []
        for v in node.values:  # type: ignore[attr-defined]
            if isinstance(v, ast.FormattedValue):
                fvalues.append((self.pos.offset(v.value.lineno, v.value.col_offset), v))
        text = self.own_parens_text(start, end, pieces)
        return self._concat(pieces, fvalues, text, start, end)

    def _concat(
        self,
        pieces: list[tuple[int, int]],
        fvalues: list[tuple[int, ast.FormattedValue]],
        text: str,
        start: int,
        end: int,
    ) -> ir.Expr:
        loc = self.pos.loc_of_offsets(start, end)
        if len(pieces) == 1:
            return self._piece(pieces[0], fvalues)
        if not any(_is_fstring(self.code, s) for s, _ in pieces):
            value = _eval_concat([self.code[s:e] for s, e in pieces])
            return ir.Const(value, loc)
        first = self._piece(pieces[0], fvalues)
        rest_start = pieces[1][0]
        rest_text = self.cst_text(rest_start, end, pieces[1:])
        rest = self._concat(pieces[1:], fvalues, rest_text, rest_start, end)
        return ir.FString((first, rest), text, loc)

    def _piece(
        self, piece: tuple[int, int], fvalues: list[tuple[int, ast.FormattedValue]]
    ) -> ir.Expr:
        s, e = piece
        loc = self.pos.loc_of_offsets(s, e)
        source = self.code[s:e]
        if not _is_fstring(self.code, s):
            try:
                value = ast.literal_eval(source)
            except Exception:
                value = None
            return ir.Const(value, loc)
        inside = [v for off, v in fvalues if s <= off < e]
        return ir.FString(tuple(self.fstring_parts(inside)), source[:200], loc)

    def cst_text(self, start: int, end: int, pieces: list[tuple[int, int]]) -> str:
        """Source of [start, end) as libcst regenerates it: a line that starts between
        tokens (not inside a string) loses the enclosing block's indentation."""
        text = self.code[start:end]
        indent = self.indent
        if not indent or "\n" not in text:
            return text
        out = []
        i = start
        for k, line in enumerate(text.split("\n")):
            strip = k > 0 and line.startswith(indent) and not any(s < i < e for s, e in pieces)
            out.append(line[len(indent) :] if strip else line)
            i += len(line) + 1
        return "\n".join(out)

    def own_parens_text(self, start: int, end: int, pieces: list[tuple[int, int]]) -> str:
        """Source of [start, end) with the parentheses that belong to this node (libcst
        keeps them on the node): `(` ... `)` right around it that are not a call's."""
        code = self.code
        comment_cols = self.comment_cols()
        s, e = start, end
        while True:
            p = _prev_significant(code, s, comment_cols, self.pos)
            if p < 0 or code[p] != "(":
                break
            q = _skip_space(code, e, len(code))
            if q >= len(code) or code[q] != ")":
                break
            before = _prev_significant(code, p, comment_cols, self.pos)
            if before >= 0 and _ends_expression(code, before):
                break
            s, e = p, q + 1
        return self.cst_text(s, e, pieces)

    def comments(self) -> list[tuple[int, int, str]]:
        """(line, column, text) of the cell's comments, scanned once."""
        if self._comments is None:
            self._comments = scan_comments(self.code)
        return self._comments

    def comment_cols(self) -> dict[int, int]:
        """0-based line -> character column of the comment on it."""
        if self._comment_cols is None:
            self._comment_cols = {line - 1: col for line, col, _ in self.comments()}
        return self._comment_cols

    def sequence(self, node: ast.Tuple | ast.List | ast.Set) -> ir.Seq:
        kind = _SEQ_KINDS[type(node)]
        if kind == "tuple":
            loc = self.tuple_loc(node)
        else:
            loc = self.loc(node)
        elts = tuple(self.expr(e) for e in node.elts)
        return ir.Seq(kind, elts, loc)

    def tuple_loc(self, node: ast.Tuple) -> ir.Loc:
        """A tuple's range without its own parentheses, with a trailing comma."""
        start, end = self.pos.span(node)
        if self.tuple_parenthesized(node, start, end):
            inner_start = _skip_space(self.code, start + 1, end)
            inner_end = end - 1
            # strip whitespace before the closing paren
            while inner_end > inner_start and self.code[inner_end - 1] in " \t\n\\":
                inner_end -= 1
            if not node.elts:
                return self.pos.loc_of_offsets(start + 1, start + 1)
            last = node.elts[-1]
            last_end = self.pos.offset(last.end_lineno, last.end_col_offset)
            return self.pos.loc_of_offsets(inner_start, self._trailing_comma(last_end, end))
        return self.pos.loc_of_offsets(start, end)

    def tuple_parenthesized(self, node: ast.Tuple, start: int, end: int) -> bool:
        """Whether the `(` starting a tuple's range is its own (it closes at the end)."""
        code = self.code
        if code[start] != "(":
            return False
        if not node.elts:
            return True
        # The text outside the elements is only brackets, commas, spaces and comments.
        depth = 0
        i = start
        gaps = []
        prev = start
        for e in node.elts:
            es, ee = self.pos.span(e)
            gaps.append((prev, es))
            prev = ee
        gaps.append((prev, end))
        for k, (gs, ge) in enumerate(gaps):
            i = gs
            while i < ge:
                c = code[i]
                if c == "#":
                    nl = code.find("\n", i, ge)
                    i = ge if nl < 0 else nl
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        # the opening paren closed: own parens iff this is the very end
                        return k == len(gaps) - 1 and _skip_space(code, i + 1, ge) >= ge
                i += 1
        return False

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

    def slice(self, s: ast.Slice) -> ir.Slice:
        lower = None if s.lower is None else self.expr(s.lower)
        upper = None if s.upper is None else self.expr(s.upper)
        step = None if s.step is None else self.expr(s.step)
        start, end = self.pos.span(s)
        if end > start and self.code[end - 1] == ":":
            # libcst's trailing colon owns the space after it, up to the next token
            loc = self.pos.loc_of_offsets(start, _skip_space(self.code, end, len(self.code)))
        else:
            loc = self.loc(s)
        return ir.Slice(lower, upper, step, loc)

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

    def genexp_loc(self, node: ast.GeneratorExp) -> ir.Loc:
        """A generator expression's range without the parentheses ast includes (its own,
        or the call's when it is the only argument)."""
        start, end = self.pos.span(node)
        if self.code[start] == "(" and self.code[end - 1] == ")":
            inner = _skip_space(self.code, start + 1, end)
            last = end - 1
            while last > inner and self.code[last - 1] in " \t\n\\":
                last -= 1
            return self.pos.loc_of_offsets(inner, last)
        return self.pos.loc_of_offsets(start, end)


def _prev_significant_simple(code: str, i: int) -> int:
    i -= 1
    while i >= 0 and code[i] in " \t\n\f\r\\":
        i -= 1
    return i


def _is_fstring(code: str, start: int) -> bool:
    j = start
    while code[j] not in "'\"":
        if code[j] in "fF":
            return True
        j += 1
    return False


def _eval_concat(texts: list[str]) -> object:
    try:
        value = ast.literal_eval(texts[0])
    except Exception:
        return None
    for t in texts[1:]:
        try:
            nxt = ast.literal_eval(t)
        except Exception:
            return None
        if type(nxt) is not type(value):
            return None
        value = value + nxt
    return value


def _number(text: str, kind: type) -> object:
    """A number as libcst's lowering reads it (`int(text, 0)` / `float(text)`)."""
    clean = text.replace("_", "")
    try:
        return int(clean, 0) if kind is int else float(clean)
    except ValueError:
        return text


def tokenize_comments(code: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment, from the tokenizer."""
    import io
    import tokenize

    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                out.append((tok.start[0], tok.start[1], tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out
