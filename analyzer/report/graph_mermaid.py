"""`archlint graph --format mermaid` that Mermaid can draw on a whole project.

Mermaid refuses text over 50,000 characters (`maxTextSize`) and graphs over 500 edges
(`maxEdges`) by default, and a whole project's call graph is usually both. When the full
graph does not fit, it is collapsed step by step until it does: functions grouped by file
(lambdas folded into the function that holds them, LLM libraries one node per package,
other libraries left out), then
one node per file, then one node per folder, shallower and shallower. A `%%` comment
says what was collapsed and how to get the full graph (`--format json` or `dot`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from analyzer.callgraph.export import mermaid_escape
from analyzer.report.where import location

MAX_CHARS = 50_000
MAX_EDGES = 500
_INTERNAL = ("function", "module", "class", "lambda")


def _llm_packages() -> frozenset[str]:
    """Top-level import names of the SDKs and frameworks that make model calls."""
    from analyzer.knowledge import load_knowledge

    out: set[str] = set()
    for e in load_knowledge().entries:
        if e.model_calls:
            out |= {r.split(".")[0] for r in (*e.roots, *e.modules) if "*" not in r}
    return frozenset(out)


def _fits(text: str, edges: int) -> bool:
    return len(text) <= MAX_CHARS and edges <= MAX_EDGES


def _outer_qualname(qualname: str) -> str:
    """`f.<lambda@3:4>` -> `f`: a lambda is drawn as the scope it is written in."""
    parts = qualname.split(".")
    while len(parts) > 1 and parts[-1].startswith("<lambda"):
        parts.pop()
    return ".".join(parts)


def _package(data: dict) -> str:
    name = str(data.get("qualname") or "")
    if data.get("kind") == "builtin":
        return "builtins"
    return name.split(".")[0] or "external"


Key = Callable[[dict], "tuple[str, str, str] | None"]  # node data -> (group, id, label)


def _library(data: dict, llm: frozenset[str]) -> tuple[str, str, str] | None:
    """An external node as its package, kept only for LLM packages (`llm`: the calls that
    matter here); the standard library and other libraries are left out of collapsed views."""
    pkg = _package(data)
    if data.get("kind") == "builtin" or pkg not in llm:
        return None
    return ("", f"pkg:{pkg}", pkg)


def _function_key(llm: frozenset[str]) -> Key:
    """(group, node key, label) for the per-function view."""

    def key(data: dict) -> tuple[str, str, str] | None:
        if data.get("kind") not in _INTERNAL:
            return _library(data, llm)
        where = location(str(data.get("path")), cell=data.get("cell"))
        q = _outer_qualname(str(data.get("qualname")))
        return (where, f"{where}::{q}", q)

    return key


def _file_key(llm: frozenset[str]) -> Key:
    def key(data: dict) -> tuple[str, str, str] | None:
        if data.get("kind") not in _INTERNAL:
            return _library(data, llm)
        path = str(data.get("path"))
        return ("", path, path)

    return key


def _folder_key(depth: int, llm: frozenset[str]) -> Key:
    def key(data: dict) -> tuple[str, str, str] | None:
        if data.get("kind") not in _INTERNAL:
            return _library(data, llm)
        parts = PurePosixPath(str(data.get("path"))).parts
        folder = "/".join(parts[:depth]) if len(parts) > depth else "/".join(parts)
        label = folder + ("/" if len(parts) > depth else "")
        return ("", folder, label)

    return key


def collapse(graph, key: Key) -> tuple[str, int]:
    """Mermaid text of `graph` with nodes merged by `key` (group, id, label), and the
    number of edges it draws. Self-loops of merged nodes are dropped."""
    nodes: dict[str, tuple[str, str]] = {}
    of: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        k = key(data)
        if k is None:
            continue
        group, nid, label = k
        nodes.setdefault(nid, (group, label))
        of[node] = nid
    edges = sorted(
        {(of[a], of[b]) for a, b in graph.edges if a in of and b in of and of[a] != of[b]}
    )
    ids = {nid: f"n{i}" for i, nid in enumerate(sorted(nodes))}
    groups: dict[str, list[str]] = {}
    for nid in sorted(nodes):
        groups.setdefault(nodes[nid][0], []).append(nid)
    lines = ["flowchart LR"]
    for gi, group in enumerate(sorted(groups)):
        pad = "  "
        if group:
            lines.append(f'  subgraph g{gi}["{mermaid_escape(group)}"]')
            pad = "    "
        for nid in groups[group]:
            label = mermaid_escape(nodes[nid][1])
            shape = ('(["', '"])') if nid.startswith("pkg:") else ('["', '"]')
            lines.append(f"{pad}{ids[nid]}{shape[0]}{label}{shape[1]}")
        if group:
            lines.append("  end")
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in edges]
    return "\n".join(lines) + "\n", len(edges)


def _max_depth(graph) -> int:
    depths = [
        len(PurePosixPath(str(d.get("path"))).parts)
        for _, d in graph.nodes(data=True)
        if d.get("kind") in _INTERNAL
    ]
    return max(depths, default=1)


def fit_mermaid(cg, full_text: str) -> str:
    """The full Mermaid text when Mermaid can draw it, else the least collapsed view that
    fits its default limits, with a comment saying what was collapsed."""
    graph = cg.graph
    if _fits(full_text, graph.number_of_edges()):
        return full_text
    llm = _llm_packages()
    total = f"{graph.number_of_nodes()} nodes and {graph.number_of_edges()} calls"
    views: list[tuple[str, Callable]] = [
        (
            "functions grouped by file, LLM libraries by package, other libraries left out",
            _function_key(llm),
        ),
        ("one node per file", _file_key(llm)),
    ]
    for depth in range(_max_depth(graph) - 1, 0, -1):
        views.append((f"one node per folder, {depth} level(s) deep", _folder_key(depth, llm)))
    text = full_text
    for what, key in views:
        body, edges = collapse(graph, key)
        note = (
            f"%% archlint: the full graph ({total}) is past Mermaid's limits "
            f"({MAX_CHARS} characters, {MAX_EDGES} edges); drawn as {what}. "
            "`--format json` or `--format dot` has every call.\n"
        )
        text = note + body
        if _fits(text, edges):
            return text
    return text
