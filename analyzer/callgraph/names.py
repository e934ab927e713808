"""Module names and import targets: which dotted names are project modules, and which are not.

The facts give every file a module name relative to the analysis root, and every import an
absolute target. Real projects import their own modules by other names too: a `src/` layout
or a monorepo (`libs/pkg/pkg/mod.py` imported as `pkg.mod`), or an analysed folder that is
itself inside a package (`agents/` analysed alone, imported as `app.agents.x`). This module
registers those alternative names so an import resolves to the file it means, without ever
looking at installed packages.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from pathlib import Path

from analyzer import ir

BUILTIN_NAMES: frozenset[str] = frozenset(n for n in dir(builtins) if not n.startswith("__"))


class ModuleIndex:
    """Project modules by every name they can be imported under."""

    def __init__(self, modules: Iterable[ir.ModuleFacts], root: Path | None = None) -> None:
        self.by_name: dict[str, ir.ModuleFacts] = {}
        self.primary: dict[str, str] = {}  # any accepted name -> the module's own name
        mods = sorted(modules, key=lambda m: m.path)
        for m in mods:
            self._register(m.module, m)
        # Directories that hold an __init__.py, to find each file's source root.
        package_dirs = {
            m.path.rsplit("/", 1)[0] if "/" in m.path else "" for m in mods if m.is_package
        }
        self.package_dirs = package_dirs
        for m in mods:
            for alt in _alternative_names(m, package_dirs):
                self._register(alt, m, primary=False)
        for prefix in _root_package_prefixes(root):
            for m in mods:
                if m.module:
                    self._register(f"{prefix}.{m.module}", m, primary=False)
        # Namespace packages: every dotted prefix of a module name is importable.
        self.namespaces: set[str] = set()
        for name in list(self.by_name):
            parts = name.split(".")
            for i in range(1, len(parts)):
                prefix = ".".join(parts[:i])
                if prefix not in self.by_name:
                    self.namespaces.add(prefix)

    def _register(self, name: str, facts: ir.ModuleFacts, primary: bool = True) -> None:
        if not name:
            return
        if primary or name not in self.by_name:
            self.by_name[name] = facts
            self.primary[name] = facts.module

    def is_module(self, name: str) -> bool:
        """True for a project module or a namespace package prefix of one."""
        return name in self.by_name or name in self.namespaces

    def canonical(self, name: str) -> str:
        """The module's own name for any accepted alias (namespaces keep theirs)."""
        return self.primary.get(name, name)

    def split(
        self, target: str, near: ir.ModuleFacts | None = None
    ) -> tuple[str, tuple[str, ...]] | None:
        """Split `a.b.c.d` into the longest project-module prefix and the attribute tail.

        With `near` (the importing file), a module beside it comes first: a script's own
        folder is the head of `sys.path`, so in a folder of scripts that each have an
        `agents.py`, `from agents import x` means the one next to the importer."""
        if near is not None:
            target = self._beside(target, near)
        parts = target.split(".")
        for i in range(len(parts), 0, -1):
            head = ".".join(parts[:i])
            if self.is_module(head):
                return self.canonical(head), tuple(parts[i:])
        return None

    def _beside(self, target: str, near: ir.ModuleFacts) -> str:
        """`target` as the module next to `near` when one is there and `near`'s folder is
        not a package (inside a package, absolute imports start at the source root)."""
        if near.is_package or "/" not in near.path or "." not in near.module:
            return target
        folder = near.path.rsplit("/", 1)[0]
        if folder in self.package_dirs:
            return target
        prefix = near.module.rsplit(".", 1)[0]
        local = f"{prefix}.{target.split('.')[0]}"
        facts = self.by_name.get(local)
        if facts is not None and facts.module == local:
            return f"{prefix}.{target}"
        return target

    def imported_modules(self, facts: ir.ModuleFacts) -> set[str]:
        """Project modules a file imports (with the packages whose `__init__` runs)."""
        out: set[str] = set()
        for imp in facts.imports:
            hit = self.split(imp.target, facts)
            if hit is None:
                continue
            mod, rest = hit
            names = [mod]
            if rest and not imp.is_module and self.is_module(f"{mod}.{rest[0]}"):
                names.append(self.canonical(f"{mod}.{rest[0]}"))
            for name in names:
                parts = name.split(".")
                for i in range(1, len(parts) + 1):
                    prefix = ".".join(parts[:i])
                    if prefix in self.by_name:
                        out.add(self.canonical(prefix))
        out.discard(facts.module)
        return out


def _alternative_names(m: ir.ModuleFacts, package_dirs: set[str]) -> list[str]:
    """Names under each source root above the file: `src/pkg/x.py` is also `pkg.x`."""
    parts = m.module.split(".") if m.module else []
    if not parts:
        return []
    dirs = m.path.split("/")[:-1]
    out = []
    # Walk up while the directory is a package; the first non-package directory is a
    # source root, so the name below it is importable.
    depth = len(dirs)
    while depth > 0 and "/".join(dirs[:depth]) in package_dirs:
        depth -= 1
    if depth > 0:
        alt = parts[depth:]
        if alt:
            out.append(".".join(alt))
    return out


def _root_package_prefixes(root: Path | None) -> list[str]:
    """If the analysed folder sits inside packages, the dotted names it has there."""
    if root is None:
        return []
    try:
        root = root.resolve()
    except OSError:
        return []
    out: list[str] = []
    names: list[str] = []
    cur = root
    while (cur / "__init__.py").is_file() and cur.name:
        names.insert(0, cur.name)
        out.append(".".join(names))
        cur = cur.parent
    return out
