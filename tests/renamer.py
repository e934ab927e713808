"""Rename every identifier a fixture project defines to a neutral name (tests only).

Functions, classes, methods, variables and module files become `n1`, `n2`, ... so that a
test can check the classifier decides from behaviour, not from names like `agent` or
`router`. Names the code does not own stay: SDK attributes and keyword arguments,
imported library names, builtins and dunders.
"""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import libcst as cst

_KEEP = set(dir(builtins)) | {"self", "cls", "main"}
_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")


class _Collect(cst.CSTVisitor):
    def __init__(self) -> None:
        self.defined: set[str] = set()
        self.protected: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.defined.add(node.name.value)
        for p in (*node.params.params, *node.params.kwonly_params, *node.params.posonly_params):
            self.protected.add(p.name.value)  # parameters double as keyword names
        for p in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(p, cst.Param):
                self.protected.add(p.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.defined.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, cst.Name):
            self.defined.add(node.name.value)

    def _targets(self, t: cst.BaseExpression) -> None:
        if isinstance(t, cst.Name):
            self.defined.add(t.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                self._targets(el.value)
        elif (
            isinstance(t, cst.Attribute)
            and isinstance(t.value, cst.Name)
            and t.value.value in ("self", "cls")
        ):
            self.defined.add(t.attr.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not (isinstance(node.value, cst.Name) and node.value.value in ("self", "cls")):
            self.protected.add(node.attr.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.protected.add(node.keyword.value)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            self.protected.add(cst.Module(body=()).code_for_node(alias.name).split(".")[0])

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.protected.add(cst.Module(body=()).code_for_node(alias.name).split(".")[0])


class _Rename(cst.CSTTransformer):
    def __init__(self, names: dict[str, str], modules: dict[str, str]) -> None:
        self.names = names
        self.modules = modules
        self._skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            for n in _names_in(node.module):
                self._skip.add(id(n))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            for n in _names_in(alias.name):
                self._skip.add(id(n))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if id(original) in self._skip:
            return updated
        return updated.with_changes(value=self.names.get(updated.value, updated.value))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        if isinstance(updated.value, cst.Name) and updated.value.value in ("self", "cls"):
            attr = updated.attr.value
            return updated.with_changes(attr=cst.Name(self.names.get(attr, attr)))
        return updated

    def leave_SimpleString(
        self, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.SimpleString:
        """A dotted path the program imports by string (`"pkg.mod.Cls"` in a registry
        resolved with importlib) names the same things as the code: rename its parts."""
        text = updated.evaluated_value
        if not isinstance(text, str) or not _DOTTED.fullmatch(text):
            return updated
        parts = text.split(".")
        if not any(p in self.names for p in parts):
            return updated
        quote = updated.quote
        renamed = ".".join(self.names.get(p, p) for p in parts)
        return updated.with_changes(value=f"{updated.prefix}{quote}{renamed}{quote}")

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):
        if updated.module is not None:
            dotted = cst.Module(body=()).code_for_node(updated.module)
            if dotted in self.modules:
                return updated.with_changes(module=cst.Name(self.modules[dotted]))
        return updated

    def leave_Import(self, original: cst.Import, updated: cst.Import):
        aliases = []
        for alias in updated.names:
            dotted = cst.Module(body=()).code_for_node(alias.name)
            if dotted in self.modules:
                alias = alias.with_changes(
                    name=cst.Name(self.modules[dotted]),
                    asname=alias.asname
                    or cst.AsName(name=cst.Name(self.names.get(dotted, dotted))),
                )
            aliases.append(alias)
        return updated.with_changes(names=aliases)


def _names_in(e: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(e, cst.Name):
        return [e]
    if isinstance(e, cst.Attribute):
        return [*_names_in(e.value), e.attr]
    return []


def rename_project(src: Path, dst: Path) -> dict[str, str]:
    """Copy `src` (a folder of .py files) to `dst` with neutral names; returns the map."""
    files = sorted(p for p in src.rglob("*.py"))
    trees = {p: cst.parse_module(p.read_text(encoding="utf-8")) for p in files}
    collect = _Collect()
    for tree in trees.values():
        tree.visit(collect)
    owned = sorted(
        n
        for n in collect.defined - collect.protected - _KEEP
        if not (n.startswith("__") and n.endswith("__"))
    )
    names = {n: f"n{i}" for i, n in enumerate(owned, 1)}
    modules = {
        p.relative_to(src).with_suffix("").as_posix().replace("/", "."): f"mod{i}"
        for i, p in enumerate(files, 1)
        if p.parent == src and p.stem != "__init__"
    }
    for p, tree in trees.items():
        rel = p.relative_to(src)
        stem = rel.with_suffix("").as_posix().replace("/", ".")
        out = dst / (f"{modules[stem]}.py" if stem in modules else rel)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(tree.visit(_Rename(names, modules)).code, encoding="utf-8")
    return names
