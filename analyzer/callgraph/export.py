"""Render a call graph: PyCG's JSON, our own JSON, Graphviz dot, Mermaid.

PyCG's format names nodes by dotted module path (`main`, `main.C.m`, `<builtin>.print`,
`ext.Cls.fun`); lambdas are `<lambdaN>`, numbered per enclosing scope in source order.
With `--entry`, as in PyCG, only the entry modules and the project modules they import
(transitively) are analysed for output: their scopes are the keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from analyzer.callgraph.graph import CallGraph

_LAMBDA = re.compile(r"<lambda@(\d+):(\d+)>")


def render_graph(cg: CallGraph, fmt: str, entries: Sequence[Path | str] = ()) -> str:
    if fmt == "pycg":
        return json.dumps(to_pycg(cg, entries), indent=2, sort_keys=True) + "\n"
    if fmt == "json":
        return json.dumps(to_json(cg), indent=2, sort_keys=True) + "\n"
    if fmt == "dot":
        return to_dot(cg)
    if fmt == "mermaid":
        return to_mermaid(cg)
    raise ValueError(f"unknown graph format: {fmt}")


# ---------------------------------------------------------------------- PyCG


def pycg_names(cg: CallGraph) -> dict[str, str]:
    """Node id -> PyCG name for every internal node (lambdas renumbered PyCG's way)."""
    out: dict[str, str] = {}
    for m in cg.modules:
        # Number lambdas per enclosing scope in source order.
        counters: dict[tuple, int] = {}
        lambda_names: dict[tuple, str] = {}
        lambdas = sorted(
            (s for s in m.scopes if s.kind == "lambda"),
            key=lambda s: (s.cell if s.cell is not None else -1, s.loc.line, s.loc.col),
        )
        for s in lambdas:
            key = (s.cell, s.parent)
            counters[key] = counters.get(key, 0) + 1
            lambda_names[(s.cell, s.qualname)] = f"<lambda{counters[key]}>"
        for s in m.scopes:
            parts = []
            if s.qualname != "<module>":
                # Rebuild the dotted name component by component, renaming lambdas.
                pieces = _split_qualname(s.qualname)
                for i in range(len(pieces)):
                    q = ".".join(pieces[: i + 1])
                    if _LAMBDA.fullmatch(pieces[i]):
                        parts.append(lambda_names.get((s.cell, q), pieces[i]))
                    else:
                        parts.append(pieces[i])
            name = ".".join([m.module, *parts]) if m.module else ".".join(parts) or "<module>"
            out[cg.node_id(m.path, s.qualname, s.cell)] = name
    return out


def _split_qualname(q: str) -> list[str]:
    """Split on dots outside `<lambda@l:c>` markers (which contain no dots anyway)."""
    return q.split(".")


def _external_name(node: str, data: dict) -> str:
    kind = data.get("kind")
    name = data.get("qualname") or node.split("::", 1)[-1]
    if kind == "builtin":
        return f"<builtin>.{name}"
    return name


def included_modules(cg: CallGraph, entries: Iterable[Path | str]) -> set[str] | None:
    """Entry modules and every project module they import, or None for all modules."""
    entries = list(entries)
    if not entries:
        return None
    by_path = {m.path: m.module for m in cg.modules}
    roots: set[str] = set()
    root = Path(cg.root).resolve() if cg.root is not None else None
    for e in entries:
        p = Path(e)
        rel = None
        if root is not None:
            try:
                rel = p.resolve().relative_to(root).as_posix()
            except (ValueError, OSError):
                rel = None
        if rel is None:
            rel = p.as_posix()
        if rel in by_path:
            roots.add(by_path[rel])
            continue
        for path, mod in by_path.items():
            if rel.endswith("/" + path) or path.endswith("/" + rel) or path == rel:
                roots.add(mod)
                break
    seen: set[str] = set()
    todo = sorted(roots)
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        seen.add(mod)
        todo.extend(sorted(cg.imports.get(mod, ())))
    return seen


def to_pycg(cg: CallGraph, entries: Iterable[Path | str] = ()) -> dict[str, list[str]]:
    names = pycg_names(cg)
    keep = included_modules(cg, entries)
    g = cg.graph
    out: dict[str, set[str]] = {}

    def included(node: str) -> bool:
        data = g.nodes[node]
        return keep is None or data.get("module") in keep

    for node, data in g.nodes(data=True):
        if data.get("kind") in ("function", "lambda", "module") and included(node):
            out.setdefault(names[node], set())
    for caller, callee, edata in g.edges(data=True):
        cdata = g.nodes[caller]
        if cdata.get("kind") in ("external", "builtin") or not included(caller):
            continue
        if edata.get("vias") == ["forwarded"]:
            continue  # PyCG draws the call to the wrapper, and the wrapper's own call
        src = names.get(caller)
        if src is None:
            continue
        tdata = g.nodes[callee]
        dst = names.get(callee) or _external_name(callee, tdata)
        out.setdefault(src, set()).add(dst)
        out.setdefault(dst, set())
    return {k: sorted(v) for k, v in sorted(out.items())}


# ---------------------------------------------------------------------- our JSON


def to_json(cg: CallGraph) -> dict:
    g = cg.graph
    nodes = []
    externals = []
    for node in sorted(g.nodes):
        d = g.nodes[node]
        if d.get("kind") in ("external", "builtin"):
            externals.append({"id": node, "kind": d["kind"], "name": d.get("qualname")})
            continue
        nodes.append(
            {
                "id": node,
                "kind": d.get("kind"),
                "path": d.get("path"),
                "qualname": d.get("qualname"),
                "cell": d.get("cell"),
                "module": d.get("module"),
                "line": d.get("line"),
                "end_line": d.get("end_line"),
            }
        )
    edges = []
    for caller, callee in sorted(g.edges):
        d = g.edges[caller, callee]
        kind = g.nodes[callee].get("kind")
        edges.append(
            {
                "caller": caller,
                "callee": callee,
                "target_kind": kind if kind in ("external", "builtin") else "internal",
                "sites": [{"path": s[0], "cid": s[1], "line": s[2]} for s in d.get("sites", ())],
                "dynamic": bool(d.get("dynamic")),
                "via": d.get("via"),
                "vias": list(d.get("vias", ())),
            }
        )
    return {"schema_version": 1, "nodes": nodes, "edges": edges, "externals": externals}


# ---------------------------------------------------------------------- dot / mermaid


def _label(cg: CallGraph, node: str) -> str:
    d = cg.graph.nodes[node]
    if d.get("kind") == "builtin":
        return f"<builtin>.{d.get('qualname')}"
    if d.get("kind") == "external":
        return str(d.get("qualname"))
    cell = d.get("cell")
    where = f"{d.get('path')}" + (f"[{cell}]" if cell is not None else "")
    return f"{d.get('qualname')} ({where}:{d.get('line')})"


def _dot_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(cg: CallGraph) -> str:
    g = cg.graph
    lines = ["digraph callgraph {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for node in sorted(g.nodes):
        d = g.nodes[node]
        attrs = [f"label={_dot_quote(_label(cg, node))}"]
        if d.get("kind") in ("external", "builtin"):
            attrs.append("style=dashed")
        lines.append(f"  {_dot_quote(node)} [{', '.join(attrs)}];")
    for caller, callee in sorted(g.edges):
        d = g.edges[caller, callee]
        attrs = []
        if d.get("dynamic"):
            attrs.append("style=dashed")
        if d.get("via") and d.get("via") != "call":
            attrs.append(f"label={_dot_quote(d['via'])}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_dot_quote(caller)} -> {_dot_quote(callee)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_ESCAPES = {
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "#": "#35;",
}


def mermaid_escape(s: str) -> str:
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in s.replace("\n", " "))


def to_mermaid(cg: CallGraph) -> str:
    g = cg.graph
    ids = {node: f"n{i}" for i, node in enumerate(sorted(g.nodes))}
    lines = ["flowchart LR"]
    for node in sorted(g.nodes):
        label = mermaid_escape(_label(cg, node))
        if g.nodes[node].get("kind") in ("external", "builtin"):
            lines.append(f'  {ids[node]}(["{label}"])')
        else:
            lines.append(f'  {ids[node]}["{label}"]')
    for caller, callee in sorted(g.edges):
        d = g.edges[caller, callee]
        via = d.get("via") or "call"
        arrow = "-.->" if d.get("dynamic") else "-->"
        if via != "call" or d.get("dynamic"):
            text = mermaid_escape(via + (" (dynamic)" if d.get("dynamic") else ""))
            lines.append(f"  {ids[caller]} {arrow}|{text}| {ids[callee]}")
        else:
            lines.append(f"  {ids[caller]} {arrow} {ids[callee]}")
    return "\n".join(lines) + "\n"
