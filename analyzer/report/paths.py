"""Every path a system can take, as a small structured flowchart built from its shape tree.

The classifier's shape tree (`analyzer.classify.shape.Node`) keeps only the structure that
holds model calls. This module turns it into *blocks* — steps, choices, loops, fan-outs and
groups — that both renderers draw: Mermaid flattens them into nodes and edges, the SVG
renderer lays the same blocks out top-down. One model, two pictures, so the Markdown and
HTML reports can never disagree about which paths exist.

This module holds the model: the blocks, a diagram, and the `PathContext` of plain
callables through which the builder (`path_builder`) learns what it needs beyond the tree
(loop bounds, condition text, callee units, framework agent runs), so tests can build
diagrams from hand-made trees; `path_flat` turns a diagram into nodes and edges. Labels
show expressions as short Python-like text (`expr_src`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.shape import Node, Site

# Node kinds, and what they mean in a picture.
KINDS = (
    "start",  # where the system is entered
    "end",  # a normal way out (return, end of body)
    "stop",  # an error way out (raise)
    "model",  # a model call
    "agent",  # a framework agent run: the model picks tools inside it
    "tool",  # a tool dispatched by model output
    "unit",  # a call into another unit, not expanded
    "decision",  # a branch or a loop exit test
    "loop",  # the head of a loop (its bound)
    "fork",  # start of a fan-out
    "join",  # end of a fan-out
    "jump",  # `break`: leave the enclosing loop
)


@dataclass
class PNode:
    id: str
    kind: str
    label: str
    line: int = 0
    note: str = ""  # a second line: api, bound, condition
    link: str = ""  # the unit a `unit` node stands for
    warn: bool = False  # this node is on the failure surface (no bound, no fallback)


@dataclass
class Step:
    node: PNode


@dataclass
class Seq:
    items: list[Block] = field(default_factory=list)


@dataclass
class Choice:
    head: PNode
    arms: list[tuple[str, Block | None]] = field(default_factory=list)


@dataclass
class Loop:
    head: PNode
    body: Block | None
    gid: str
    label: str
    bounded: bool
    endless: bool  # no way out but the exits in the body


@dataclass
class Fork:
    head: PNode
    arms: list[tuple[str, Block]]
    join: PNode


@dataclass
class Group:
    gid: str
    label: str
    kind: str  # "unit" | "try"
    body: Block | None


Block = Step | Seq | Choice | Loop | Fork | Group


@dataclass
class PathDiagram:
    """One system's diagram: the block tree between a start and an end node."""

    title: str
    start: PNode
    body: Block | None
    end: PNode

    def nodes(self) -> list[PNode]:
        out = [self.start]
        _collect_nodes(self.body, out)
        out.append(self.end)
        return out


def _collect_nodes(b: Block | None, out: list[PNode]) -> None:
    if b is None:
        return
    if isinstance(b, Step):
        out.append(b.node)
    elif isinstance(b, Seq):
        for i in b.items:
            _collect_nodes(i, out)
    elif isinstance(b, Choice):
        out.append(b.head)
        for _, a in b.arms:
            _collect_nodes(a, out)
    elif isinstance(b, Loop):
        out.append(b.head)
        _collect_nodes(b.body, out)
    elif isinstance(b, Fork):
        out.append(b.head)
        for _, a in b.arms:
            _collect_nodes(a, out)
        out.append(b.join)
    elif isinstance(b, Group):
        _collect_nodes(b.body, out)


# -------------------------------------------------------------------- context


@dataclass
class Callee:
    """A unit called from a site: its name, shape tree and pattern."""

    name: str
    ref: str
    root: Node | None
    pattern: str
    api: str = ""  # for a one-call wrapper: the API it calls
    is_system: bool = False
    ctx: PathContext | None = None  # answers about the callee's own scope


@dataclass
class PathContext:
    """What the builder may ask about the code beyond the shape tree."""

    loop_bound: Callable[[Node], tuple[bool, str, int | None]] = lambda n: _static_bound(n)
    stmt_at: Callable[[int], ir.Stmt | None] = lambda line: None
    callee: Callable[[str], Callee | None] = lambda unit: None
    framework: Callable[[Site], tuple[str, str, int | None] | None] = lambda s: None


def _static_bound(loop: Node) -> tuple[bool, str, int | None]:
    """Bound of a loop read off the tree alone (for hand-made trees)."""
    if loop.loop_kind in ("for", "comp") and not loop.infinite:
        return True, f"for over {expr_src(loop.iterable)}", None
    if loop.test_counter or any(e.counter for e in loop.exits):
        return True, "counter checked", None
    return False, "no iteration, time or budget limit", None


# -------------------------------------------------------------------- expression text


def expr_src(e: ir.Expr | None, limit: int = 48) -> str:
    """Python-like text of an expression, short enough for a diagram label."""
    text = _src(e, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _src(e: ir.Expr | None, depth: int) -> str:
    if e is None:
        return "?"
    if depth > 6:
        return "…"
    d = depth + 1
    if isinstance(e, ir.Name):
        return e.id
    if isinstance(e, ir.Attr):
        return f"{_src(e.value, d)}.{e.attr}"
    if isinstance(e, ir.Const):
        if e.value == "...":
            return "..."
        return repr(e.value)
    if isinstance(e, ir.Call):
        args = ", ".join(
            (f"{a.kw}=" if a.kw not in (None, "*", "**") else (a.kw or "")) + _src(a.value, d)
            for a in e.args[:3]
        )
        more = ", …" if len(e.args) > 3 else ""
        return f"{_src(e.func, d)}({args}{more})"
    if isinstance(e, ir.Subscript):
        return f"{_src(e.value, d)}[{_src(e.index, d)}]"
    if isinstance(e, ir.Compare):
        parts = [_src(e.left, d)]
        for op, c in zip(e.ops, e.comparators, strict=False):
            parts += [op, _src(c, d)]
        return " ".join(parts)
    if isinstance(e, ir.BoolOp):
        return f" {e.op} ".join(_src(v, d) for v in e.values)
    if isinstance(e, ir.UnaryOp):
        sep = " " if e.op == "not" else ""
        return f"{e.op}{sep}{_src(e.operand, d)}"
    if isinstance(e, ir.BinOp):
        return f"{_src(e.left, d)} {e.op} {_src(e.right, d)}"
    if isinstance(e, ir.Seq):
        inner = ", ".join(_src(x, d) for x in e.elts[:4]) + (", …" if len(e.elts) > 4 else "")
        return {"list": f"[{inner}]", "set": f"{{{inner}}}"}.get(e.kind, f"({inner})")
    if isinstance(e, ir.Await):
        return f"await {_src(e.value, d)}"
    if isinstance(e, ir.FString):
        return 'f"…"'
    if isinstance(e, ir.Slice):
        lo = "" if e.lower is None else _src(e.lower, d)
        hi = "" if e.upper is None else _src(e.upper, d)
        return f"{lo}:{hi}"
    if isinstance(e, ir.Comp):
        gen = e.generators[0] if e.generators else None
        over = f" for {_src(gen.target, d)} in {_src(gen.iter, d)}" if gen is not None else ""
        left, right = {"list": "[]", "set": "{}", "dict": "{}"}.get(e.kind, "()")
        return f"{left}{_src(e.elt, d)}{over}{right}"
    if isinstance(e, ir.Dict):
        return "{…}"
    if isinstance(e, ir.Starred):
        return f"*{_src(e.value, d)}"
    if isinstance(e, ir.IfExp):
        return f"{_src(e.body, d)} if {_src(e.test, d)} else {_src(e.orelse, d)}"
    return "…"  # never an internal node name in a label
