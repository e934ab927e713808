"""Helpers: build a call graph from in-memory sources, read it back as PyCG-style edges."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from analyzer import ir
from analyzer.callgraph import CallGraph, build_call_graph
from analyzer.callgraph.export import to_pycg
from analyzer.frontend.extract import extract_source


def _module_name(path: str) -> str:
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    parts = parts[:-1] if stem == "__init__" else [*parts[:-1], stem]
    return ".".join(parts)


@dataclass(frozen=True)
class FakeProject:
    root: Path | None
    modules: tuple[ir.ModuleFacts, ...]


class NoKnowledge:
    """A knowledge base that knows nothing (the call graph must degrade to path names)."""

    def canonical(self, q: str) -> str:
        return q

    def result_type(self, callee, args=()):
        return None

    def attribute_type(self, type_, attr):
        return None

    def compose_type(self, op, left, right):
        return None


def build(files: dict[str, str] | str, kb=None, root: Path | None = None) -> CallGraph:
    if isinstance(files, str):
        files = {"main.py": files}
    mods = tuple(
        extract_source(code, path=path, module=_module_name(path))
        for path, code in sorted(files.items())
    )
    return build_call_graph(FakeProject(root, mods), kb=kb if kb is not None else NoKnowledge())


def edges(cg: CallGraph, entries=()) -> set[tuple[str, str]]:
    return {(k, v) for k, vs in to_pycg(cg, entries).items() for v in vs}


def calls_from(cg: CallGraph, caller: str) -> set[str]:
    return {b for a, b in edges(cg) if a == caller}


def find_call(cg: CallGraph, path: str, text: str) -> ir.Call:
    """The first call in `path` whose callee reads `text` (e.g. "TOOLS[...]" or "self.run")."""
    facts = next(m for m in cg.modules if m.path == path)
    for scope in facts.scopes:
        for call in ir.scope_calls(scope):
            if _show(call.func) == text:
                return call
    raise AssertionError(f"no call to {text} in {path}")


def _show(e: ir.Expr) -> str:
    if isinstance(e, ir.Name):
        return e.id
    if isinstance(e, ir.Attr):
        return f"{_show(e.value)}.{e.attr}"
    if isinstance(e, ir.Subscript):
        return f"{_show(e.value)}[...]"
    if isinstance(e, ir.Call):
        return f"{_show(e.func)}(...)"
    return "?"


@pytest.fixture
def graph():
    return build
