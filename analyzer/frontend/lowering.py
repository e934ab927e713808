"""What both front ends do the same way, whatever tree they read: scopes and imports.

The stdlib-`ast` lowerer (`extract_ast`) and the libcst one (`extract_cst`) walk different
trees but must give the same IR, field for field. Everything that does not depend on the
tree lives here once: the stack of enclosing scopes and their qualified names, the order
nested scopes are listed in, call ids, generator marks, and how an import statement
becomes `ir.Import` rows. A lowerer subclasses `ScopeLowerer` and reads its own nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from analyzer import ir


class TooDeep(Exception):
    """Raised when a cell nests deeper than `MAX_DEPTH`; carries the line it happens at."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


@dataclass(eq=False, kw_only=True)
class ScopeLowerer:
    """Shared state of one cell's lowering: appends scopes and imports to shared lists."""

    module: str
    is_package: bool
    cell: int | None
    scopes: list[ir.Scope]
    imports: list[ir.Import]
    cid: int  # the next call id
    stack: list[str] = field(default_factory=list, init=False)  # enclosing qualnames
    generator_flags: list[bool] = field(default_factory=list, init=False)

    # ----------------------------------------------------------------- scopes

    def child_qualname(self, name: str) -> str:
        parent = self.stack[-1] if self.stack else "<module>"
        if parent == "<module>":
            return name
        return f"{parent}.{name}"

    def module_scope(
        self,
        lower: Callable[[], tuple[ir.Stmt, ...]],
        code: str,
        line_offset: int,
        docstring: str | None,
    ) -> ir.Scope:
        """The `<module>` scope: its body lowered with it on the stack, its range every line
        of the cell (column 0 to column 0)."""
        self.stack.append("<module>")
        self.generator_flags.append(False)
        body = lower()
        self.stack.pop()
        self.generator_flags.pop()
        end = code.count("\n") + 1
        return ir.Scope(
            qualname="<module>",
            kind="module",
            name="<module>",
            parent=None,
            loc=ir.Loc(1 + line_offset, 0, end + line_offset, 0),
            body=body,
            cell=self.cell,
            docstring=docstring,
        )

    def nested(self, qualname: str, lower: Callable[[], tuple[ir.Stmt, ...]], **fields) -> None:
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

    def lambda_scope(
        self, loc: ir.Loc, params: tuple[ir.Param, ...], lower: Callable[[], tuple[ir.Stmt, ...]]
    ) -> ir.Lambda:
        """A lambda is a scope named by where it starts; the expression refers to it."""
        name = f"<lambda@{loc.line}:{loc.col}>"
        qualname = self.child_qualname(name)
        self.nested(qualname, lower, kind="lambda", name=name, loc=loc, params=params)
        return ir.Lambda(qualname, loc)

    def mark_generator(self) -> None:
        """A `yield` makes the innermost scope a generator."""
        if self.generator_flags:
            self.generator_flags[-1] = True

    def new_cid(self) -> int:
        """The next call id: unique within the file, in the order calls are lowered."""
        cid = self.cid
        self.cid += 1
        return cid

    # ----------------------------------------------------------------- imports

    def package_base(self, level: int) -> str:
        parts = self.module.split(".") if self.module else []
        if not self.is_package:
            parts = parts[:-1]
        if level > 1:
            parts = parts[: max(len(parts) - (level - 1), 0)]
        return ".".join(parts)

    def _add_import(self, imp: ir.Import) -> int:
        self.imports.append(imp)
        return len(self.imports) - 1

    def import_names(self, names: Sequence[tuple[str, str | None]], loc: ir.Loc) -> tuple[int, ...]:
        """`import a.b as c`: (dotted name, alias or None) pairs; binds the alias, else the
        top package. Returns the rows' indexes in `imports`."""
        scope = self.stack[-1]
        out = []
        for full, asname in names:
            bound = asname if asname is not None else full.split(".")[0]
            out.append(self._add_import(ir.Import(bound, full, True, scope, 0, full, "", loc)))
        return tuple(out)

    def import_from_names(
        self,
        level: int,
        raw: str,
        names: Sequence[tuple[str, str | None]] | None,
        loc: ir.Loc,
    ) -> tuple[int, ...]:
        """`from .raw import x as y`: `names` is (name, alias or None) pairs, None for `*`;
        a relative module is resolved against this module's package."""
        if level:
            base = self.package_base(level)
            source = ".".join(p for p in (base, raw) if p)
        else:
            source = raw
        scope = self.stack[-1]
        if names is None:
            return (self._add_import(ir.Import("*", source, True, scope, level, raw, "*", loc)),)
        out = []
        for name, asname in names:
            bound = asname if asname is not None else name
            target = f"{source}.{name}" if source else name
            imp = ir.Import(bound or name, target, False, scope, level, raw, name, loc)
            out.append(self._add_import(imp))
        return tuple(out)


def named_expr(target: ir.Expr, value: ir.Expr, loc: ir.Loc) -> ir.NamedExpr:
    """`(x := value)`; a target that is not a plain name (invalid code) binds `_`."""
    if not isinstance(target, ir.Name):
        target = ir.Name("_", loc)
    return ir.NamedExpr(target, value, loc)


def number_value(text: str, kind: type) -> object:
    """A number literal's value as libcst's lowering reads it (`int(text, 0)`,
    `float(text)`), or its text where that fails."""
    clean = text.replace("_", "")
    try:
        return int(clean, 0) if kind is int else float(clean)
    except ValueError:
        return text
