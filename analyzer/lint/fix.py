"""Safe automatic fixes for `archlint check --fix/--diff`, done with libcst so comments and
formatting survive.

Only rewrites that cannot change what a correct program computes are offered: giving an
unbounded retry decorator a limit (tenacity `@retry` without `stop=` gets
`stop=stop_after_attempt(N)`; backoff `on_exception`/`on_predicate` with neither
`max_tries` nor `max_time` gets `max_tries=N`). A call that succeeds within the limit
behaves exactly as before; one that would have retried forever now raises.
"""

from __future__ import annotations

import difflib
import io
import tokenize
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

TENACITY_RETRY = "tenacity.retry"
BACKOFF_DECORATORS = ("backoff.on_exception", "backoff.on_predicate")


@dataclass(frozen=True)
class FixResult:
    source: str
    fixed: int
    lines: tuple[int, ...]


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


class _Imports(cst.CSTVisitor):
    """Local name -> qualified name, from the module's imports (any depth)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.tenacity_from: list[cst.ImportFrom] = []

    def visit_Import(self, node: cst.Import) -> None:
        for a in node.names:
            full = _dotted(a.name) or ""
            local = (
                a.asname.name.value if a.asname and isinstance(a.asname.name, cst.Name) else None
            )
            self.names[local or full.split(".")[0]] = full if local else full.split(".")[0]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        mod = _dotted(node.module) or ""
        if mod == "tenacity":
            self.tenacity_from.append(node)
        for a in node.names:
            name = _dotted(a.name) or ""
            local = (
                a.asname.name.value if a.asname and isinstance(a.asname.name, cst.Name) else name
            )
            self.names[local] = f"{mod}.{name}"


def _qualify(expr: cst.BaseExpression, names: dict[str, str]) -> str | None:
    d = _dotted(expr)
    if d is None:
        return None
    head, _, rest = d.partition(".")
    base = names.get(head)
    if base is None:
        return None
    return f"{base}.{rest}" if rest else base


class _Fixer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, imports: _Imports, lines, attempts: int, max_tries: int) -> None:
        self.imports = imports
        self.lines = lines
        self.attempts = attempts
        self.max_tries = max_tries
        self.fixed: list[int] = []
        self.need_stop_import = False
        self.stop_name = self._stop_name()

    def _stop_name(self) -> str:
        for local, qual in self.imports.names.items():
            if qual == "tenacity.stop_after_attempt":
                return local
        for local, qual in self.imports.names.items():
            if qual == "tenacity" and not self.imports.tenacity_from:
                return f"{local}.stop_after_attempt"
        return "stop_after_attempt"

    def _wanted(self, node: cst.Decorator) -> bool:
        if self.lines is None:
            return True
        pos = self.get_metadata(PositionProvider, node)
        inner = self.get_metadata(PositionProvider, node.decorator)
        return bool({pos.start.line, inner.start.line} & set(self.lines))

    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator) -> cst.Decorator:
        dec = updated.decorator
        func = dec.func if isinstance(dec, cst.Call) else dec
        qual = _qualify(func, self.imports.names)
        if qual == TENACITY_RETRY and self._wanted(original):
            if isinstance(dec, cst.Call):
                if any(a.keyword and a.keyword.value == "stop" for a in dec.args):
                    return updated
                call = dec
            else:
                call = cst.Call(func=dec)
            stop = cst.parse_expression(f"{self.stop_name}({self.attempts})")
            new = _add_kwarg(call, "stop", stop)
            self._done(original)
            if "." not in self.stop_name and "tenacity.stop_after_attempt" not in (
                self.imports.names.values()
            ):
                self.need_stop_import = True
            return updated.with_changes(decorator=new)
        if qual in BACKOFF_DECORATORS and isinstance(dec, cst.Call) and self._wanted(original):
            if any(a.keyword and a.keyword.value in ("max_tries", "max_time") for a in dec.args):
                return updated
            new = _add_kwarg(dec, "max_tries", cst.Integer(str(self.max_tries)))
            self._done(original)
            return updated.with_changes(decorator=new)
        return updated

    def _done(self, node: cst.Decorator) -> None:
        self.fixed.append(self.get_metadata(PositionProvider, node).start.line)


def _add_kwarg(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """Append `name=value`, keeping a trailing-comma / one-per-line layout if present."""
    args = list(call.args)
    new_arg = cst.Arg(
        keyword=cst.Name(name),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if not args:
        return call.with_changes(args=[new_arg])
    last = args[-1]
    comma = last.comma
    if isinstance(comma, cst.Comma):
        # `f(a, b,)` or one argument per line: the new argument takes the last one's
        # comma (and what follows it); the last one takes the comma between arguments
        between = (
            args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else None
        )
        args[-1] = last.with_changes(
            comma=between or cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        args.append(new_arg.with_changes(comma=comma))
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(new_arg)
    return call.with_changes(args=args)


def _add_stop_import(module: cst.Module, imports: _Imports) -> cst.Module:
    class _AddName(cst.CSTTransformer):
        done = False

        def leave_ImportFrom(self, original, updated):
            if self.done or (_dotted(updated.module) if updated.module else "") != "tenacity":
                return updated
            if isinstance(updated.names, cst.ImportStar) or updated.relative:
                return updated
            names = list(updated.names)
            last = names[-1]
            if isinstance(last.comma, cst.Comma):
                names.append(cst.ImportAlias(name=cst.Name("stop_after_attempt"), comma=last.comma))
            else:
                names[-1] = last.with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
                names.append(cst.ImportAlias(name=cst.Name("stop_after_attempt")))
            self.done = True
            return updated.with_changes(names=names)

    if imports.tenacity_from:
        return module.visit(_AddName())
    stmt = cst.parse_statement("from tenacity import stop_after_attempt\n")
    body = list(module.body)
    at = 0
    for i, s in enumerate(body):
        if isinstance(s, cst.SimpleStatementLine) and any(
            isinstance(x, (cst.Import, cst.ImportFrom)) for x in s.body
        ):
            at = i + 1
    body.insert(at, stmt)
    return module.with_changes(body=body)


def fix_source(
    source: str,
    lines: Collection[int] | None = None,
    *,
    attempts: int = 3,
    max_tries: int = 5,
) -> FixResult:
    """Fix the retry decorators on `lines` (all of them when None); source libcst cannot
    handle (or might crash on) comes back unchanged."""
    if not _within_libcst_limits(source):
        return FixResult(source, 0, ())
    try:
        module = cst.parse_module(source)
        imports = _Imports()
        module.visit(imports)
        wrapper = MetadataWrapper(module)
        fixer = _Fixer(imports, lines, attempts, max_tries)
        new = wrapper.visit(fixer)
        if not fixer.fixed:
            return FixResult(source, 0, ())
        if fixer.need_stop_import:
            new = _add_stop_import(new, imports)
        return FixResult(new.code, len(fixer.fixed), tuple(sorted(fixer.fixed)))
    except Exception:  # unparsable or too deep for libcst: a fix is optional, leave it
        return FixResult(source, 0, ())


# libcst's native parser recurses per bracket level and per link of a long expression
# chain, and overflows the C stack (a segfault, not an exception) somewhere above a
# thousand of either; Python itself refuses more than 200 nested brackets. A file beyond
# these limits is not fixed.
MAX_BRACKET_DEPTH = 100
MAX_TOKENS_PER_LINE = 2000


def _within_limits(tokens) -> bool:
    depth, count = 0, 0
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return False
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth = max(0, depth - 1)
        count = 0 if tok.type in (tokenize.NEWLINE, tokenize.NL) and not depth else count + 1
        if count > MAX_TOKENS_PER_LINE:
            return False
    return True


def _within_libcst_limits(source: str) -> bool:
    """Whether libcst can parse `source` safely (cheap token scan; False if unreadable)."""
    try:
        return _within_limits(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError):
        return False


@dataclass(frozen=True)
class PythonText:
    """A source file's text and the encoding it is written back in (PEP 263 cookie or
    BOM, as the interpreter reads it); newlines are kept as they are in the file."""

    text: str
    encoding: str


def read_python(path: Path) -> PythonText | None:
    """The file's text decoded as Python decodes it, or None if it cannot be read."""
    try:
        data = path.read_bytes()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return PythonText(data.decode(encoding), encoding)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        return None


def write_python(path: Path, text: str, encoding: str) -> bool:
    """Write `text` back in the file's own encoding; False if that is not possible."""
    try:
        data = text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    try:
        path.write_bytes(data)
    except OSError:
        return False
    return True


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
