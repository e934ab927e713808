"""Where things are in a cell's source text, for the stdlib-`ast` front end.

`ast` gives UTF-8 byte columns and drops what libcst keeps (comments, the pieces of an
implicitly concatenated string, a node's own parentheses). `Positions` maps ast's
positions to the IR's character columns in the file, and the scanners here read the rest
back from the text: comments, string tokens, and the significant character before a
position. Pure functions of the text; no tree is needed.
"""

from __future__ import annotations

import ast
import bisect
import keyword
import re
import sys

from analyzer import ir


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


def skip_space(code: str, i: int, end: int) -> int:
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
        i = skip_space(code, i, end)
        if i >= end:
            break
        j = _string_end(code, i)
        pieces.append((i, j))
        i = j
    return pieces


def prev_significant(code: str, i: int, comment_cols: dict[int, int], pos: Positions) -> int:
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


def ends_expression(code: str, i: int) -> bool:
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


def prev_nonspace(code: str, i: int) -> int:
    """Index of the last character before `i` that is not white space (-1 if none)."""
    i -= 1
    while i >= 0 and code[i] in " \t\n\f\r\\":
        i -= 1
    return i


def is_fstring(code: str, start: int) -> bool:
    """Whether the string token starting at `start` has an `f` prefix."""
    j = start
    while code[j] not in "'\"":
        if code[j] in "fF":
            return True
        j += 1
    return False


def eval_concat(texts: list[str]) -> object:
    """The value of string tokens written side by side, or None where one cannot be
    evaluated or they mix `str` and `bytes`."""
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
