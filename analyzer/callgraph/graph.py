"""The call graph as later stages see it: a networkx DiGraph plus per-call-site targets.

Internal nodes are scopes (`path::qualname`, `path:CELL::qualname` in notebooks); external
and builtin callees are nodes too (`ext::openai.OpenAI.chat.completions.create`,
`builtin::print`), so `callees()` shows SDK calls next to project calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from analyzer import ir


@dataclass(frozen=True)
class Target:
    """One resolved callee of a call site."""

    kind: str  # "internal" | "external" | "builtin"
    name: str  # internal: node id; external: canonical qualified name; builtin: "print"
    dynamic: bool = False  # reached through runtime dispatch
    key: ir.Expr | None = None  # the dispatch key expression (dynamic only)
    via: str = "call"

    @property
    def node(self) -> str:
        """The graph node this target is."""
        return target_node(self.kind, self.name)


def target_node(kind: str, name: str) -> str:
    if kind == "internal":
        return name
    if kind == "builtin":
        return f"builtin::{name}"
    return f"ext::{name}"


def node_id(path: str, qualname: str, cell: int | None = None) -> str:
    return f"{path}::{qualname}" if cell is None else f"{path}:{cell}::{qualname}"


@dataclass
class CallGraph:
    """A project's call graph; built by `build_call_graph`."""

    graph: nx.DiGraph
    root: Path | None = None
    modules: tuple[ir.ModuleFacts, ...] = ()
    _scopes: dict[str, tuple[ir.ModuleFacts, ir.Scope]] = field(default_factory=dict)
    _targets: dict[tuple[str, int], tuple[Target, ...]] = field(default_factory=dict)
    _types: object = None  # callable (node_id, name) -> frozenset[str], set by the builder
    imports: dict[str, frozenset[str]] = field(default_factory=dict)  # module -> modules

    def node_id(self, path: str, qualname: str, cell: int | None = None) -> str:
        return node_id(path, qualname, cell)

    def scope(self, node_id: str) -> tuple[ir.ModuleFacts, ir.Scope]:
        return self._scopes[node_id]

    def targets(self, path: str, cid: int) -> tuple[Target, ...]:
        return self._targets.get((path, cid), ())

    def callees(self, node_id: str) -> list[str]:
        if node_id not in self.graph:
            return []
        return sorted(self.graph.successors(node_id))

    def callers(self, node_id: str) -> list[str]:
        if node_id not in self.graph:
            return []
        return sorted(self.graph.predecessors(node_id))

    def value_types(self, node_id: str, name: str) -> frozenset[str]:
        if self._types is None:
            return frozenset()
        return self._types(node_id, name)  # type: ignore[operator]

    def internal_nodes(self) -> list[str]:
        return sorted(
            n
            for n, d in self.graph.nodes(data=True)
            if d.get("kind") not in ("external", "builtin")
        )
