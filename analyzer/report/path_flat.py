"""A `PathDiagram` flattened into nodes, edges and nested groups: what a graph syntax such
as Mermaid needs (the SVG renderer lays out the blocks themselves)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.report.paths import (
    Block,
    Choice,
    Fork,
    Loop,
    PathDiagram,
    PNode,
    Seq,
    Step,
)


@dataclass(frozen=True)
class PEdge:
    src: str
    dst: str
    label: str = ""
    kind: str = "flow"  # "flow" | "back" (next round of a loop) | "exit" (leaves a loop)


@dataclass
class PGroup:
    gid: str
    label: str
    kind: str  # "loop" | "unit" | "try"
    parent: str | None
    nodes: list[str] = field(default_factory=list)
    warn: bool = False


@dataclass
class FlatGraph:
    """Nodes, edges and nested groups: what a graph syntax such as Mermaid needs."""

    title: str
    nodes: list[PNode]
    edges: list[PEdge]
    groups: list[PGroup]

    def group_of(self) -> dict[str, str]:
        return {n: g.gid for g in self.groups for n in g.nodes}


Port = tuple[str, str, str]  # (node id, edge label, edge kind)


class _Flattener:
    def __init__(self, title: str) -> None:
        self.g = FlatGraph(title, [], [], [])
        self.stack: list[str] = []
        self.by_id: dict[str, PGroup] = {}
        self.returns: list[list[Port]] = []  # per open unit group: its `return` exits

    def add(self, node: PNode) -> None:
        self.g.nodes.append(node)
        if self.stack:
            self.by_id[self.stack[-1]].nodes.append(node.id)

    def connect(self, preds: list[Port], dst: str) -> None:
        for src, label, kind in preds:
            self.g.edges.append(PEdge(src, dst, label, kind))

    def open(self, gid: str, label: str, kind: str, warn: bool = False) -> None:
        group = PGroup(gid, label, kind, self.stack[-1] if self.stack else None, warn=warn)
        self.g.groups.append(group)
        self.by_id[gid] = group
        self.stack.append(gid)

    def flat(self, b: Block | None, preds: list[Port]) -> tuple[list[Port], list[Port]]:
        """Draw `b` after `preds`; return its way out and its breaks."""
        if b is None:
            return preds, []
        if isinstance(b, Step):
            self.add(b.node)
            self.connect(preds, b.node.id)
            if b.node.kind == "end" and b.node.label == "return" and self.returns:
                # a return inside a called unit goes back to its caller, not out of the run
                self.returns[-1].append((b.node.id, "returns", "exit"))
                return [], []
            if b.node.kind in ("end", "stop"):
                return [], []
            if b.node.kind == "jump":
                return [], [(b.node.id, "", "exit")]
            return [(b.node.id, "", "flow")], []
        if isinstance(b, Seq):
            breaks: list[Port] = []
            for item in b.items:
                preds, br = self.flat(item, preds)
                breaks += br
            return preds, breaks
        if isinstance(b, Choice):
            return self.branches(b.head, b.arms, preds)
        if isinstance(b, Loop):
            self.open(b.gid, b.label, "loop", warn=not b.bounded)
            self.add(b.head)
            self.connect(preds, b.head.id)
            outs, breaks = self.flat(b.body, [(b.head.id, "round", "flow")])
            for src, label, _ in outs:
                self.g.edges.append(PEdge(src, b.head.id, label or "next round", "back"))
            self.stack.pop()
            leave = [(src, label or "leave loop", "exit") for src, label, _ in breaks]
            if not b.endless:
                leave.insert(0, (b.head.id, "done", "exit"))
            return leave, []
        if isinstance(b, Fork):
            joined, breaks = self.branches(b.head, b.arms, preds)
            self.add(b.join)
            self.connect(joined, b.join.id)
            return [(b.join.id, "", "flow")], breaks
        self.open(b.gid, b.label, b.kind)
        if b.kind == "unit":
            self.returns.append([])
        outs, breaks = self.flat(b.body, preds)
        if b.kind == "unit":
            outs = outs + self.returns.pop()
        self.stack.pop()
        return outs, breaks

    def branches(
        self, head: PNode, arms: list[tuple[str, Block | None]], preds: list[Port]
    ) -> tuple[list[Port], list[Port]]:
        """A choice's or fork's head, then each arm from it: the arms' ends and breaks."""
        self.add(head)
        self.connect(preds, head.id)
        outs: list[Port] = []
        breaks: list[Port] = []
        for label, arm in arms:
            o, br = self.flat(arm, [(head.id, label, "flow")])
            outs += o
            breaks += br
        return outs, breaks


def flatten(d: PathDiagram) -> FlatGraph:
    """The diagram as nodes, edges and nested groups (the end node only when reached)."""
    f = _Flattener(d.title)
    f.add(d.start)
    outs, _ = f.flat(d.body, [(d.start.id, "", "flow")])
    if outs:
        f.add(d.end)
        f.connect(outs, d.end.id)
    return f.g
