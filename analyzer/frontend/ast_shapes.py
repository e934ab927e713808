"""Strings and ranges as libcst has them, rebuilt from the text where `ast` differs.

The IR was built on libcst's tree, so the stdlib-`ast` lowerer must give the same facts.
Where ast's tree says less, this mixin reads the source (through `ast_text`) instead:

* implicit string concatenation is a right-nested pair of parts (ast merges it), and an
  f-string's text keeps the parentheses that belong to it;
* a tuple's or generator expression's range leaves out its own parentheses (ast includes
  them) and keeps a tuple's trailing comma;
* a slice's trailing colon owns the space after it;
* a docstring is a lone string on its own line (not an implicit concatenation).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from analyzer import ir
from analyzer.frontend.ast_text import (
    ends_expression,
    eval_concat,
    is_fstring,
    prev_significant,
    scan_comments,
    skip_space,
    string_pieces,
)


class AstShapesMixin:
    """The string and range reconstructions of `AstLowerer` (see the module docstring)."""

    # ----------------------------------------------------------------- strings

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
        if not any(is_fstring(self.code, s) for s, _ in pieces):
            value = eval_concat([self.code[s:e] for s, e in pieces])
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
        if not is_fstring(self.code, s):
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
            p = prev_significant(code, s, comment_cols, self.pos)
            if p < 0 or code[p] != "(":
                break
            q = skip_space(code, e, len(code))
            if q >= len(code) or code[q] != ")":
                break
            before = prev_significant(code, p, comment_cols, self.pos)
            if before >= 0 and ends_expression(code, before):
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

    # ----------------------------------------------------------------- ranges

    def tuple_loc(self, node: ast.Tuple) -> ir.Loc:
        """A tuple's range without its own parentheses, with a trailing comma."""
        start, end = self.pos.span(node)
        if self.tuple_parenthesized(node, start, end):
            inner_start = skip_space(self.code, start + 1, end)
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
                        return k == len(gaps) - 1 and skip_space(code, i + 1, ge) >= ge
                i += 1
        return False

    def _trailing_comma(self, end: int, limit: int) -> int:
        """Extend `end` over a trailing comma (libcst's tuple owns it)."""
        j = skip_space(self.code, end, limit)
        while j < limit and self.code[j] == ")":
            j = skip_space(self.code, j + 1, limit)
        if j < limit and self.code[j] == ",":
            return j + 1
        return end

    def genexp_loc(self, node: ast.GeneratorExp) -> ir.Loc:
        """A generator expression's range without the parentheses ast includes (its own,
        or the call's when it is the only argument)."""
        start, end = self.pos.span(node)
        if self.code[start] == "(" and self.code[end - 1] == ")":
            inner = skip_space(self.code, start + 1, end)
            last = end - 1
            while last > inner and self.code[last - 1] in " \t\n\\":
                last -= 1
            return self.pos.loc_of_offsets(inner, last)
        return self.pos.loc_of_offsets(start, end)

    def slice(self, s: ast.Slice) -> ir.Slice:
        lower = None if s.lower is None else self.expr(s.lower)
        upper = None if s.upper is None else self.expr(s.upper)
        step = None if s.step is None else self.expr(s.step)
        start, end = self.pos.span(s)
        if end > start and self.code[end - 1] == ":":
            # libcst's trailing colon owns the space after it, up to the next token
            loc = self.pos.loc_of_offsets(start, skip_space(self.code, end, len(self.code)))
        else:
            loc = self.loc(s)
        return ir.Slice(lower, upper, step, loc)

    def expr_loc(self, node: ast.expr) -> ir.Loc:
        """An expression's range as libcst has it (without its own parentheses)."""
        if isinstance(node, ast.Tuple):
            return self.tuple_loc(node)
        if isinstance(node, ast.GeneratorExp):
            return self.genexp_loc(node)
        return self.loc(node)

    # ----------------------------------------------------------------- bodies

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

    def _indented(self, body: list[ast.stmt]) -> bool:
        """Whether a body is an indented block (not `def f(): ...` on one line)."""
        first = body[0]
        line = self.pos.lines[first.lineno - 1]
        return not line[: self.pos.char_col(first.lineno, first.col_offset)].strip()
