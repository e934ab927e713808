"""The plain-data intermediate form every later stage reads instead of libcst nodes.

One libcst parse of a file is lowered once into these frozen dataclasses. They are small,
picklable (so worker processes can return them and a cache can store them by content hash)
and close enough to Python's own grammar that the call graph can do points-to analysis and
the classifier can follow control and data flow without ever touching a CST again.

Every expression and statement carries a `Loc`. Every call carries `cid`, an integer unique
within its `ModuleFacts`, which later stages use as the key of a call site. The helpers
that walk these (`ir.walk_expr`, `ir.walk_stmts`, `ir.dotted`, ...) are written in
`analyzer.ir_walk` and reached through this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- locations


@dataclass(frozen=True, slots=True)
class Loc:
    """A source range. Lines are 1-based, columns 0-based (as in ruff and SARIF minus one)."""

    line: int
    col: int
    end_line: int
    end_col: int


NOLOC = Loc(0, 0, 0, 0)

# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Name:
    id: str
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Attr:
    value: Expr
    attr: str
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a call. `kw` is the keyword, `"*"`/`"**"` for unpacking, None if positional."""

    value: Expr
    kw: str | None = None


@dataclass(frozen=True, slots=True)
class Call:
    func: Expr
    args: tuple[Arg, ...]
    cid: int
    loc: Loc = NOLOC

    def arg(self, index: int, keyword: str | None = None) -> Expr | None:
        """The argument at positional `index` or named `keyword`, whichever is present."""
        if keyword is not None:
            for a in self.args:
                if a.kw == keyword:
                    return a.value
        positional = [a.value for a in self.args if a.kw is None]
        if 0 <= index < len(positional):
            return positional[index]
        return None

    def kwarg(self, keyword: str) -> Expr | None:
        for a in self.args:
            if a.kw == keyword:
                return a.value
        return None


@dataclass(frozen=True, slots=True)
class Subscript:
    value: Expr
    index: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Slice:
    lower: Expr | None
    upper: Expr | None
    step: Expr | None
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Const:
    """A literal: str, bytes, int, float, complex, bool, None or Ellipsis (as the string '...')."""

    value: object
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class FString:
    parts: tuple[Expr, ...]
    text: str = ""
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Seq:
    """A tuple, list or set display (`kind` says which)."""

    kind: str
    elts: tuple[Expr, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Dict:
    """A dict display. A key of None marks a `**mapping` entry."""

    keys: tuple[Expr | None, ...]
    values: tuple[Expr, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Starred:
    value: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Expr
    right: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    values: tuple[Expr, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class UnaryOp:
    op: str  # "not" | "-" | "+" | "~"
    operand: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Compare:
    left: Expr
    ops: tuple[str, ...]  # "==", "!=", "<", "in", "not in", "is", "is not", ...
    comparators: tuple[Expr, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class IfExp:
    test: Expr
    body: Expr
    orelse: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Lambda:
    """A lambda; its body lives in the `Scope` named `scope` (params and one Return)."""

    scope: str
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Comprehension:
    target: Expr
    iter: Expr
    ifs: tuple[Expr, ...]
    is_async: bool = False


@dataclass(frozen=True, slots=True)
class Comp:
    """A list/set/dict comprehension or generator expression (`kind`: list|set|dict|gen).

    For dict comprehensions `key` is set and `elt` is the value.
    """

    kind: str
    elt: Expr
    generators: tuple[Comprehension, ...]
    key: Expr | None = None
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Await:
    value: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Yield:
    value: Expr | None
    is_from: bool = False
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class NamedExpr:
    target: Name
    value: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Unknown:
    """Anything the analysis does not model; its sub-expressions are still kept."""

    kind: str
    children: tuple[Expr, ...] = ()
    loc: Loc = NOLOC


Expr = (
    Name
    | Attr
    | Call
    | Subscript
    | Slice
    | Const
    | FString
    | Seq
    | Dict
    | Starred
    | BinOp
    | BoolOp
    | UnaryOp
    | Compare
    | IfExp
    | Lambda
    | Comp
    | Await
    | Yield
    | NamedExpr
    | Unknown
)

# --------------------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Assign:
    """`a = b = value`, `a: T = value`, `a: T` (value None) and `a += value` (op set)."""

    targets: tuple[Expr, ...]
    value: Expr | None
    annotation: Expr | None = None
    op: str | None = None
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class ExprStmt:
    value: Expr
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Return:
    value: Expr | None
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class If:
    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]
    is_elif: bool = False
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class While:
    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class For:
    target: Expr
    iter: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]
    is_async: bool = False
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class WithItem:
    context: Expr
    target: Expr | None


@dataclass(frozen=True, slots=True)
class With:
    items: tuple[WithItem, ...]
    body: tuple[Stmt, ...]
    is_async: bool = False
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Handler:
    type: Expr | None
    name: str | None
    body: tuple[Stmt, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Try:
    body: tuple[Stmt, ...]
    handlers: tuple[Handler, ...]
    orelse: tuple[Stmt, ...]
    finalbody: tuple[Stmt, ...]
    is_star: bool = False
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class MatchCase:
    """One `case`: `pattern` is the pattern's source text, `captures` the names it binds,
    `values` the literal/value expressions it compares against."""

    pattern: str
    captures: tuple[str, ...]
    values: tuple[Expr, ...]
    guard: Expr | None
    body: tuple[Stmt, ...]
    is_wildcard: bool = False
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Match:
    subject: Expr
    cases: tuple[MatchCase, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Raise:
    exc: Expr | None
    cause: Expr | None = None
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Jump:
    """`break`, `continue` or `pass` (`kind` says which)."""

    kind: str
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Delete:
    targets: tuple[Expr, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Global:
    """`global` (kind "global") or `nonlocal` (kind "nonlocal") declarations."""

    kind: str
    names: tuple[str, ...]
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class ImportStmt:
    """An import statement in place; the bindings themselves are in `ModuleFacts.imports`."""

    bindings: tuple[int, ...]  # indexes into ModuleFacts.imports
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Define:
    """A nested `def`/`class` in place: the body lives in the `Scope` named `scope`."""

    scope: str
    loc: Loc = NOLOC


Stmt = (
    Assign
    | ExprStmt
    | Return
    | If
    | While
    | For
    | With
    | Try
    | Match
    | Raise
    | Jump
    | Delete
    | Global
    | ImportStmt
    | Define
)

# --------------------------------------------------------------------------- scopes


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str  # "posonly" | "normal" | "vararg" | "kwonly" | "kwarg"
    annotation: Expr | None = None
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class Import:
    """One binding an import creates.

    `import a.b` binds `a` to module `a` (`target="a"`, `is_module=True`);
    `import a.b as c` binds `c` to `a.b`; `from .x import y as z` binds `z` to `pkg.x.y`
    where `pkg` comes from the importing module (resolved here when the module's own dotted
    name is known). `name == "*"` marks a star import of `target`.
    `level` and `raw_module` keep the statement as written for later re-resolution.
    """

    name: str
    target: str
    is_module: bool
    scope: str
    level: int = 0
    raw_module: str = ""
    imported: str = ""
    loc: Loc = NOLOC


@dataclass(frozen=True, slots=True)
class Scope:
    """A module body (per notebook cell), class, function, method or lambda.

    `qualname` is the dotted name inside the file (`<module>`, `C`, `C.m`, `f.inner`,
    `f.<lambda>@12:4`). `parent` is the enclosing scope's qualname (None for `<module>`).
    """

    qualname: str
    kind: str  # "module" | "class" | "function" | "lambda"
    name: str
    parent: str | None
    loc: Loc
    body: tuple[Stmt, ...]
    cell: int | None = None
    is_async: bool = False
    params: tuple[Param, ...] = ()
    decorators: tuple[Expr, ...] = ()
    bases: tuple[Expr, ...] = ()
    keywords: tuple[Arg, ...] = ()  # class keywords such as metaclass=
    returns: Expr | None = None  # return annotation
    is_generator: bool = False
    docstring: str | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    message: str
    line: int | None = None
    cell: int | None = None


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """Everything later stages know about one source file.

    `path` is POSIX and relative to the analysis root; `module` the dotted module name
    (`pkg.sub` for `pkg/sub/__init__.py`). Notebooks and Markdown keep one `<module>`
    scope per cell, named `<module>` with `cell` set; all scopes of a file share
    `scopes`, in source order. `comments` maps a line (and cell) to its comment text, for
    suppressions and inline expectations.
    """

    path: str
    module: str
    kind: str  # "py" | "ipynb" | "md"
    scopes: tuple[Scope, ...]
    imports: tuple[Import, ...]
    errors: tuple[Diagnostic, ...] = ()
    comments: tuple[tuple[int | None, int, str], ...] = ()  # (cell, line, text)
    is_package: bool = False
    digest: str = ""
    scope_index: dict[tuple[int | None, str], int] = field(default_factory=dict, compare=False)

    def scope(self, qualname: str, cell: int | None = None) -> Scope | None:
        i = self.scope_index.get((cell, qualname))
        return None if i is None else self.scopes[i]


# --------------------------------------------------------------------------- traversal
# The helpers that walk these dataclasses live in `analyzer.ir_walk`; `ir.walk_expr` and the
# rest keep working. They load on first use, so either module may be imported first.
_TRAVERSAL = frozenset(
    (
        "iter_child_exprs",
        "walk_expr",
        "stmt_exprs",
        "child_blocks",
        "walk_stmts",
        "scope_calls",
        "dotted",
        "reads_member",
        "receiver_chain",
    )
)


def __getattr__(name: str):
    if name in _TRAVERSAL:
        from analyzer import ir_walk

        value = getattr(ir_walk, name)
        globals()[name] = value  # later lookups skip this hook
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
