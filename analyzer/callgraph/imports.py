"""Imports: what `import` and `from ... import` bind.

A project module, a name inside one (reached through its attributes, so re-exports and
submodules resolve), or an outside path; `from m import *` of a project module binds its
`__all__` (or its public names); a local module named like an installed package that does
not provide the name is taken to be the package. `importlib.import_module("name")` with a
literal name yields that module (`imported_modules`).
"""

from __future__ import annotations

from analyzer import ir
from analyzer.callgraph.core import Frame

# Calls that import a module named by a string argument.
IMPORTERS = frozenset({"importlib.import_module", "importlib.__import__"})


class ImportsMixin:
    """Resolves imports, star imports, shadowed packages and `importlib` imports."""

    def bind_import(self, fr: Frame, imp: ir.Import) -> None:
        if imp.name == "*":
            hit = self.index.split(imp.target, fr.facts)
            if hit is None or hit[1]:
                return
            mod = hit[0]
            path = self.module_path.get(mod)
            if path is None:
                return
            g = self.gkey(path)
            names = [k[1] for k in self.state.get(("names", g))]
            exported = [v[2] for v in self.state.get(("v", g, "__all__")) if v[0] == "const"]
            for o in self.state.get(("v", g, "__all__")):
                if o[0] == "obj":
                    exported += [v[2] for v in self.all_items(o) if v[0] == "const"]
            chosen = exported or [n for n in names if not n.startswith("_")]
            for name in sorted(set(chosen)):
                self.bind_name(fr, name, self.get_attr(fr, ("mod", mod), name))
            return
        self.bind_name(fr, imp.name, self.resolve_import(fr, imp))

    def resolve_import(self, fr: Frame, imp: ir.Import) -> frozenset:
        target = imp.target
        if imp.is_module and "." in target and imp.name == target.split(".")[0]:
            target = imp.name  # `import a.b` binds `a`
        hit = self.index.split(target, fr.facts)
        if hit is None:
            return frozenset([("ext", target, "path")])
        mod, rest = hit
        if rest and self.shadows_package(mod, rest[0]):
            # a local module named like an installed package that does not define the
            # name: Python would fail, so the import must be the package's
            return frozenset([("ext", target, "path")])
        vals: frozenset = frozenset([("mod", mod)])
        for attr in rest:
            nxt: set = set()
            for v in vals:
                nxt |= self.get_attr(fr, v, attr)
            vals = frozenset(nxt)
        return vals

    def shadows_package(self, mod: str, name: str) -> bool:
        """`from mod import name` where the project's `mod` neither binds `name`, nor has
        a submodule, star import or module `__getattr__` that could provide it."""
        path = self.module_path.get(mod)
        if path is None or name in self.module_names.get(path, ()):
            return False
        if self.index.is_module(f"{mod}.{name}") or self.star_ext.get(path):
            return False
        return "__getattr__" not in self.module_names.get(path, ())

    def imported_modules(self, names: frozenset) -> frozenset:
        """The modules `importlib.import_module(name)` yields for literal names."""
        out = set()
        for n in names:
            if n[0] == "const" and n[1] == "str" and n[2] and not n[2].startswith("."):
                hit = self.index.split(n[2])
                if hit is not None and not hit[1]:
                    out.add(("mod", hit[0]))
                else:
                    out.add(("ext", n[2], "path"))
        return frozenset(out)
