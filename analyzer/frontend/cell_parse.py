"""Parse one cell: the stdlib `ast` first, libcst for what it cannot read, and the
statements around a syntax error.

One file never ends the run. A syntax error blanks only its statement (`parse_around_error`),
and input libcst's native parser could crash on is refused before it starts (`Unsafe`):
deep bracket nesting and huge lines. A large cell only libcst can read raises
`NeedsIsolation`, so the caller parses it in a child process with a time limit, where it
is parsed with `isolated=True`.
"""

from __future__ import annotations

import ast
import warnings

import libcst as cst

from analyzer.frontend.deep import deep_recursion

# libcst's parse time grows far faster than the input (a flat sum of 5,000 terms takes
# 40 s) and its native parser can crash the process; a cell this large that only libcst
# can read is parsed in a child process with a time limit.
ISOLATE_CHARS = 4096


class NeedsIsolation(Exception):
    """Raised in-process when a cell must go to libcst and is too large to trust."""


class Unsafe(Exception):
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


def guard_libcst(code: str) -> None:
    """Refuse input libcst cannot parse safely (see `_MAX_BRACKET_DEPTH`): a cheap scan of
    bracket depth and line length, run only when the stdlib parser has already failed."""
    depth = 0
    line = 1
    for text in code.split("\n"):
        if len(text) > _MAX_LINE_CHARS:
            raise Unsafe(f"skipped: line too long to analyse at line {line}", line)
        for c in text:
            if c in "([{":
                depth += 1
                if depth > _MAX_BRACKET_DEPTH:
                    raise Unsafe(
                        f"skipped: expression nested too deep to analyse at line {line}", line
                    )
            elif c in ")]}":
                depth = max(depth - 1, 0)
        line += 1


CST_ERRORS = (cst.ParserSyntaxError, cst.CSTValidationError)


def parse_cell(code: str, frontend: str, isolated: bool = False) -> tuple[str, object]:
    """("ast", tree) from the stdlib parser, or ("cst", module) from libcst when the running
    interpreter cannot parse the code (newer syntax) or `frontend` asks for libcst.
    `isolated` says this runs in the child process a large libcst cell is sent to."""
    if frontend != "cst":
        try:
            with warnings.catch_warnings(), deep_recursion():
                warnings.simplefilter("ignore")
                return "ast", ast.parse(code)
        except SyntaxError as exc:
            if "too many nested" in str(exc.msg) or "too complex" in str(exc.msg):
                line = exc.lineno or None
                where = "" if line is None else f" at line {line}"
                raise Unsafe(
                    f"skipped: expression nested too deep to analyse{where}", line
                ) from exc
        except (RecursionError, MemoryError) as exc:
            raise Unsafe("skipped: expression nested too deep to analyse") from exc
        except (ValueError, OverflowError):
            pass  # e.g. NUL bytes: libcst says where
    guard_libcst(code)
    if len(code) > ISOLATE_CHARS and not isolated:
        raise NeedsIsolation
    return "cst", cst.parse_module(code)


def parse_around_error(
    code: str, bad_line: int, frontend: str, isolated: bool = False
) -> tuple[str, str, object] | None:
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
                kind, tree = parse_cell(candidate, frontend, isolated)
            except (*CST_ERRORS, RecursionError, ValueError, Unsafe):
                continue
            return candidate, kind, tree
    return None


def syntax_error(code: str, exc: Exception, line_offset: int = 0) -> tuple[int, str]:
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
