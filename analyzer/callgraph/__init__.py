"""The project's call graph (issue 3): who calls what, across modules, for the classifier.

`build_call_graph(project)` runs a PyCG-style points-to analysis over the facts of every
module (see `build.py`) and returns a `CallGraph`: a networkx DiGraph of scopes plus the
resolved targets of every call site, with dynamic dispatch marked and external SDK calls
named by their qualified API.
"""

from __future__ import annotations

import gc
from typing import Any

import networkx as nx

from analyzer.callgraph.build import Engine, Options
from analyzer.callgraph.graph import CallGraph, Target, node_id, target_node
from analyzer.callgraph.kb import Knowledge

__all__ = ["CallGraph", "Options", "Target", "build_call_graph", "node_id"]


def build_call_graph(project: Any, kb: Any = None, options: Options | None = None) -> CallGraph:
    """Resolve every call of `project` (an `analyzer.frontend.project.Project` or anything with
    `.modules` and optionally `.root`)."""
    modules = tuple(project.modules)
    root = getattr(project, "root", None)
    # The analysis allocates millions of small tuples that never form cycles; the cyclic
    # collector would rescan them over and over, so it is paused for the build.
    enabled = gc.isenabled()
    gc.disable()
    try:
        engine = Engine(modules, root, Knowledge(kb), options)
        engine.solve()
        # who-read-what served the fixpoint only; the graph keeps the engine (type
        # queries) for as long as the classifier runs, so it is dropped here
        engine.state.deps = {}
        return _to_graph(engine, modules, root)
    finally:
        if enabled:
            gc.enable()


def _to_graph(engine: Engine, modules: tuple, root: Any) -> CallGraph:
    g = nx.DiGraph()
    for nid in engine.order:
        facts, sc = engine.scopes[nid]
        g.add_node(
            nid,
            kind=sc.kind,
            path=facts.path,
            qualname=sc.qualname,
            cell=sc.cell,
            module=facts.module,
            line=sc.loc.line,
            end_line=sc.loc.end_line,
        )
    for (caller, callee), info in sorted(engine.edges.items()):
        if callee not in g:
            kind, _, name = callee.partition("::")
            g.add_node(callee, kind="external" if kind == "ext" else "builtin", qualname=name)
        g.add_edge(
            caller,
            callee,
            sites=sorted(info.sites, key=lambda s: (s[0], s[2], -1 if s[1] is None else s[1])),
            dynamic=info.dynamic,
            via="call" if "call" in info.vias else sorted(info.vias)[0],
            vias=sorted(info.vias),
            forward=info.forward,
        )
    targets = {
        k: tuple(sorted(v, key=lambda t: (t.kind, t.name, t.via, t.dynamic)))
        for k, v in sorted(engine.site_targets.items())
    }
    imports = {
        m.module: frozenset(engine.index.imported_modules(m)) for m in engine.modules if m.module
    }
    return CallGraph(
        graph=g,
        root=root,
        modules=engine.modules,
        _scopes=dict(engine.scopes),
        _targets=targets,
        _types=engine.value_types,
        imports=imports,
    )


__all__ += ["target_node"]
