"""Names resolved through a module's imports, for expressions that are no call site, and
qualified names shortened for evidence."""

from __future__ import annotations

from analyzer import ir


def imported_name(facts: ir.ModuleFacts, e: ir.Expr) -> str | None:
    """The qualified name a `name` or `name.attr` expression denotes through the module's
    imports (`traceable` -> `langsmith.traceable`), or None."""
    d = ir.dotted(e)
    if d is None:
        return None
    head, _, rest = d.partition(".")
    for imp in facts.imports:
        if imp.name == head and imp.name != "*":
            target = imp.target
            if imp.is_module and imp.name == imp.target.split(".")[0]:
                target = imp.name  # `import a.b` binds `a`
            return f"{target}.{rest}" if rest else target
    return None


def short_name(name: str) -> str:
    """The last three parts of a qualified name (`a.b.c.d.e` -> `c.d.e`), for evidence."""
    parts = name.split(".")
    return ".".join(parts[-3:]) if len(parts) > 3 else name
