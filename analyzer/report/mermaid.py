"""Mermaid `flowchart TD` text for a path diagram (renders on GitHub and in step summaries).

Every label is quoted and its risky characters written as Mermaid entity codes, node ids are
generated (`n1`, `g1`: never a keyword such as `end`), groups become nested `subgraph`s and
all edges are declared after them so no edge pulls a node into the wrong group.
"""

from __future__ import annotations

from analyzer.report.path_flat import FlatGraph, flatten
from analyzer.report.paths import PathDiagram, PNode

# Mermaid shape brackets per node kind (open, close).
SHAPES = {
    "start": ('(["', '"])'),
    "end": ('(["', '"])'),
    "stop": ('(["', '"])'),
    "model": ('["', '"]'),
    "agent": ('["', '"]'),
    "tool": ('[/"', '"/]'),
    "unit": ('[["', '"]]'),
    "decision": ('{"', '"}'),
    "loop": ('{{"', '"}}'),
    "fork": ('[/"', '"\\]'),
    "join": ('[\\"', '"/]'),
    "jump": ('>"', '"]'),
}

CLASSES = {
    "start": "fill:#e8eef7,stroke:#3b5b8c,color:#111",
    "end": "fill:#e8f4ea,stroke:#2e7d32,color:#111",
    "stop": "fill:#fdecea,stroke:#b3261e,color:#111",
    "model": "fill:#fff4d6,stroke:#9a6b00,color:#111",
    "agent": "fill:#fde2cf,stroke:#b35400,color:#111",
    "tool": "fill:#efe6fb,stroke:#5e35b1,color:#111",
    "unit": "fill:#eef1f4,stroke:#455a64,color:#111",
    "decision": "fill:#ffffff,stroke:#37474f,color:#111",
    "loop": "fill:#e3f2fd,stroke:#1565c0,color:#111",
    "fork": "fill:#e0f2f1,stroke:#00695c,color:#111",
    "join": "fill:#e0f2f1,stroke:#00695c,color:#111",
    "jump": "fill:#ffffff,stroke:#37474f,color:#111",
    "warn": "stroke:#b3261e,stroke-width:3px",
}

# Characters that could end a quoted label or be read as markup, as Mermaid entity codes.
_ESCAPES = {
    "#": "#35;",
    "&": "#38;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "%": "#37;",
    ";": "#59;",
    "|": "#124;",
    "\\": "#92;",
}


def escape(text: str) -> str:
    """A label safe inside `"…"` in Mermaid (and inside a Markdown code fence)."""
    out = "".join(_ESCAPES.get(ch, ch) for ch in text.replace("\r", ""))
    return "<br/>".join(part.strip() for part in out.split("\n"))


def node_text(n: PNode) -> str:
    """Label, then the line and note, as the diagram shows them."""
    lines = [n.label]
    detail = []
    if n.line:
        detail.append(f"line {n.line}")
    if n.note:
        detail.append(n.note)
    if detail:
        lines.append(" · ".join(detail))
    return "\n".join(lines)


def node_decl(n: PNode) -> str:
    left, right = SHAPES[n.kind]
    return f"{n.id}{left}{escape(node_text(n))}{right}"


def render_flat(g: FlatGraph, indent: str = "    ") -> str:
    """The flowchart text of a flat graph."""
    out = ["flowchart TD"]
    grouped = g.group_of()
    children: dict[str | None, list] = {}
    for grp in g.groups:
        children.setdefault(grp.parent, []).append(grp)
    by_node = {n.id: n for n in g.nodes}
    members: dict[str, list[str]] = {grp.gid: list(grp.nodes) for grp in g.groups}

    for n in g.nodes:
        if n.id not in grouped:
            out.append(indent + node_decl(n))

    def emit_group(grp, depth: int) -> None:
        pad = indent * depth
        out.append(f'{pad}subgraph {grp.gid}["{escape(grp.label)}"]')
        for nid in members[grp.gid]:
            out.append(pad + indent + node_decl(by_node[nid]))
        for sub in children.get(grp.gid, []):
            emit_group(sub, depth + 1)
        out.append(pad + "end")

    for grp in children.get(None, []):
        emit_group(grp, 1)

    for e in g.edges:
        arrow = "-.->" if e.kind == "back" else "-->"
        label = f'|"{escape(e.label)}"|' if e.label else ""
        out.append(f"{indent}{e.src} {arrow}{label} {e.dst}")

    by_kind: dict[str, list[str]] = {}
    for n in g.nodes:
        by_kind.setdefault(n.kind, []).append(n.id)
    for kind in sorted(by_kind):
        out.append(f"{indent}classDef k_{kind} {CLASSES[kind]}")
        out.append(f"{indent}class {','.join(by_kind[kind])} k_{kind}")
    warned = [n.id for n in g.nodes if n.warn]
    if warned:
        out.append(f"{indent}classDef k_warn {CLASSES['warn']}")
        out.append(f"{indent}class {','.join(warned)} k_warn")
    for grp in g.groups:
        if grp.warn:
            out.append(f"{indent}style {grp.gid} stroke:#b3261e,stroke-width:2px")
    return "\n".join(out) + "\n"


def render_mermaid(d: PathDiagram) -> str:
    """Mermaid flowchart text of one system's diagram."""
    return render_flat(flatten(d))
