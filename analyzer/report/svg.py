"""Inline SVG for a path diagram, laid out by our own code (no Graphviz, no JavaScript).

The diagram is structured (sequences, choices, loops, fan-outs, groups), so the layout is
too: every block becomes a box whose parts are stacked top-down in layers, side by side
where the code branches or fans out. Edges follow the structure, so they never cross a
box: forward edges go down through the gap between layers, a loop's next round goes up
its right-hand channel, leaving a loop goes down its left-hand channel. Output is
deterministic (fixed rounding, no ids from memory addresses).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape as _xml

from analyzer.report.paths import Block, Choice, Fork, Group, Loop, PathDiagram, PNode, Seq, Step

FONT = 12.0
CHAR_W = 6.9  # average glyph width of the sans-serif stack at FONT px
LINE_H = 15.0
PAD_X = 10.0
PAD_Y = 7.0
MIN_W = 110.0
WRAP = 28
VGAP = 34.0  # between layers
HGAP = 22.0  # between side-by-side arms
LANE_W = 44.0  # an arm where nothing runs
FRAME_PAD = 10.0
TITLE_H = 22.0
CHANNEL = 18.0

FILL = {
    "start": ("#e8eef7", "#3b5b8c"),
    "end": ("#e8f4ea", "#2e7d32"),
    "stop": ("#fdecea", "#b3261e"),
    "model": ("#fff4d6", "#9a6b00"),
    "agent": ("#fde2cf", "#b35400"),
    "tool": ("#efe6fb", "#5e35b1"),
    "unit": ("#eef1f4", "#455a64"),
    "decision": ("#ffffff", "#37474f"),
    "loop": ("#e3f2fd", "#1565c0"),
    "fork": ("#e0f2f1", "#00695c"),
    "join": ("#e0f2f1", "#00695c"),
    "jump": ("#ffffff", "#37474f"),
}
WARN = "#b3261e"


def _f(v: float) -> str:
    """Fixed rounding keeps the output byte-identical across runs and platforms."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


# -------------------------------------------------------------------- geometry


@dataclass
class NodeBox:
    node: PNode
    x: float
    y: float
    w: float
    h: float
    lines: list[tuple[str, bool]]  # (text, is_title)


@dataclass
class Edge:
    points: list[tuple[float, float]]
    label: str = ""
    back: bool = False
    label_at: int = -1  # segment whose middle carries the label (-1: last)
    arrow: bool = True


@dataclass
class Frame:
    x: float
    y: float
    w: float
    h: float
    label: str
    kind: str
    warn: bool = False


@dataclass
class Box:
    w: float
    h: float
    entry: float
    exits: list[tuple[float, str]] = field(default_factory=list)
    breaks: list[tuple[float, float]] = field(default_factory=list)
    nodes: list[NodeBox] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)

    def place(self, dx: float, dy: float) -> Box:
        """The same box moved by (dx, dy): its parts move with it."""
        return Box(
            self.w,
            self.h,
            self.entry + dx,
            [(x + dx, lab) for x, lab in self.exits],
            [(x + dx, y + dy) for x, y in self.breaks],
            [NodeBox(n.node, n.x + dx, n.y + dy, n.w, n.h, n.lines) for n in self.nodes],
            [
                Edge([(x + dx, y + dy) for x, y in e.points], e.label, e.back, e.label_at, e.arrow)
                for e in self.edges
            ],
            [Frame(f.x + dx, f.y + dy, f.w, f.h, f.label, f.kind, f.warn) for f in self.frames],
        )


def text_lines(n: PNode) -> list[tuple[str, bool]]:
    """Title lines, then `line N` and the note: wrapped narrow so columns stay narrow."""
    out = [(t, True) for t in textwrap.wrap(n.label, WRAP) or [""]]
    note = " · ".join(x for x in (f"line {n.line}" if n.line else "", n.note) if x)
    for part in note.split(" · ") if len(note) > WRAP else [note]:
        out += [(t, False) for t in textwrap.wrap(part, WRAP, break_on_hyphens=False)]
    return out


def node_size(n: PNode) -> tuple[float, float, list[tuple[str, bool]]]:
    lines = text_lines(n)
    longest = max(len(t) for t, _ in lines)
    extra = 24.0 if n.kind in ("decision", "tool", "fork", "join", "jump") else 0.0
    w = max(MIN_W, longest * CHAR_W + 2 * PAD_X + extra)
    h = len(lines) * LINE_H + 2 * PAD_Y
    return round(w), round(h), lines


# -------------------------------------------------------------------- layout


def layout(b: Block | None) -> Box:
    if b is None:
        return Box(LANE_W, 0, LANE_W / 2, [(LANE_W / 2, "")])
    if isinstance(b, Step):
        return _step(b.node)
    if isinstance(b, Seq):
        return _seq([layout(i) for i in b.items])
    if isinstance(b, Choice):
        return _choice(_step(b.head), [(lab, layout(a) if a else None) for lab, a in b.arms])
    if isinstance(b, Loop):
        return _loop(b)
    if isinstance(b, Fork):
        return _fork(b)
    return _group(b)


def _step(n: PNode) -> Box:
    w, h, lines = node_size(n)
    box = Box(w, h, w / 2, nodes=[NodeBox(n, 0, 0, w, h, lines)])
    if n.kind == "jump":
        box.breaks = [(0, h / 2)]
    elif n.kind not in ("end", "stop"):
        box.exits = [(w / 2, "")]
    return box


def _seq(boxes: list[Box]) -> Box:
    if not boxes:
        return layout(None)
    spine = max(b.entry for b in boxes)
    width = max(spine - b.entry + b.w for b in boxes)
    out = Box(width, 0, spine)
    y = 0.0
    pending: list[tuple[float, str]] = []
    for i, b in enumerate(boxes):
        if i:
            y += VGAP
        placed = b.place(spine - b.entry, y)
        for x, label in pending:
            mid = y - VGAP / 2
            pts = [(x, y - VGAP), (x, mid), (spine, mid), (spine, y)]
            out.edges.append(Edge(_clean(pts), label, label_at=0))
        _absorb(out, placed)
        pending = placed.exits
        y += b.h
    out.h = y
    out.exits = pending
    return out


def _absorb(out: Box, placed: Box) -> None:
    out.nodes += placed.nodes
    out.edges += placed.edges
    out.frames += placed.frames
    out.breaks += placed.breaks


def _arms_row(
    head: Box, arms: list[tuple[str, Box | None]], top_gap: float
) -> tuple[Box, float, list[tuple[float, Box | None, str]]]:
    """Head on top, arms side by side under it; edges from the head to every arm."""
    sizes = [a.w if a is not None else LANE_W for _, a in arms]
    row_w = sum(sizes) + HGAP * max(0, len(arms) - 1)
    width = max(head.w, row_w)
    out = Box(width, 0, width / 2)
    hx = (width - head.w) / 2
    _absorb(out, head.place(hx, 0))
    y0 = head.h + top_gap
    x = (width - row_w) / 2
    placed: list[tuple[float, Box | None, str]] = []
    for (label, arm), size in zip(arms, sizes, strict=True):
        if arm is None:
            entry = x + LANE_W / 2
            placed.append((entry, None, label))
        else:
            p = arm.place(x, y0)
            entry = p.entry
            placed.append((entry, p, label))
        mid = head.h + top_gap / 2
        pts = [(width / 2, head.h), (width / 2, mid), (entry, mid), (entry, y0)]
        if arm is not None:
            out.edges.append(Edge(_clean(pts), label))
        else:
            out.edges.append(Edge(_clean(pts), label, label_at=-1, arrow=False))
        x += size + HGAP
    return out, y0, placed


def _choice(head: Box, arms: list[tuple[str, Box | None]]) -> Box:
    out, y0, placed = _arms_row(head, arms, VGAP + 8)
    bottom = y0 + max((p.h for _, p, _ in placed if p is not None), default=0.0)
    for entry, p, _label in placed:
        if p is None:
            out.edges.append(Edge([(entry, y0), (entry, bottom)], arrow=False))
            out.exits.append((entry, ""))
            continue
        _absorb(out, p)
        for x, label in p.exits:
            if y0 + p.h < bottom:
                ext = Edge([(x, y0 + p.h), (x, bottom)], label, label_at=0, arrow=False)
                out.edges.append(ext)
                out.exits.append((x, ""))
            else:
                out.exits.append((x, label))
    out.h = bottom
    return out


def _fork(b: Fork) -> Box:
    head = _step(b.head)
    arms = [(lab, layout(a)) for lab, a in b.arms]
    out, y0, placed = _arms_row(head, arms, VGAP + (8 if any(lab for lab, _ in arms) else 0))
    arm_bottom = y0 + max((p.h for _, p, _ in placed if p is not None), default=0.0)
    join = _step(b.join)
    jy = arm_bottom + VGAP
    jx = (out.w - join.w) / 2
    _absorb(out, join.place(jx, jy))
    for _entry, p, _ in placed:
        if p is None:
            continue
        _absorb(out, p)
        for x, label in p.exits:
            mid = jy - VGAP / 2
            pts = [(x, y0 + p.h), (x, mid), (out.w / 2, mid), (out.w / 2, jy)]
            out.edges.append(Edge(_clean(pts), label, label_at=0))
    out.h = jy + join.h
    out.exits = [(out.w / 2, "")]
    return out


def _loop(b: Loop) -> Box:
    head = _step(b.head)
    body = layout(b.body) if b.body is not None else None
    cw = max(head.w, body.w if body else 0.0)
    left_ch = FRAME_PAD
    content_x = FRAME_PAD + CHANNEL
    right_ch = content_x + cw + CHANNEL
    width = right_ch + FRAME_PAD
    spine = content_x + cw / 2
    out = Box(width, 0, spine)
    hy = TITLE_H + 6
    ph = head.place(spine - head.w / 2, hy)
    _absorb(out, ph)
    head_cy = hy + head.h / 2
    head_right = spine + head.w / 2
    head_left = spine - head.w / 2
    y = hy + head.h
    if body is not None:
        by = y + VGAP
        pb = body.place(spine - body.entry, by)
        out.edges.append(Edge([(spine, y), (spine, by)], "round"))
        _absorb(out, pb)
        out.breaks = []  # breaks of the body end here
        bottom = by + body.h
        back_y = bottom + 14
        for x, label in pb.exits:
            pts = [(x, bottom), (x, back_y), (right_ch, back_y), (right_ch, head_cy)]
            out.edges.append(Edge(_clean(pts + [(head_right, head_cy)]), label, back=True))
        breaks = pb.breaks
    else:
        bottom = y
        back_y = bottom + 14
        pts = [(spine, y), (spine, back_y), (right_ch, back_y), (right_ch, head_cy)]
        out.edges.append(Edge(pts + [(head_right, head_cy)], "next round", back=True))
        breaks = []
    h = back_y + 12
    tops = [by for _, by in breaks]
    if not b.endless:
        out.edges.append(
            Edge([(head_left, head_cy), (left_ch, head_cy), (left_ch, h)], "done", label_at=1)
        )
    elif tops:
        out.edges.append(Edge([(left_ch, min(tops)), (left_ch, h)], arrow=False))
    for bx, by in breaks:
        out.edges.append(Edge([(bx, by), (left_ch, by)], arrow=False))
    if not b.endless or tops:
        out.exits = [(left_ch, "")]
    out.frames.insert(0, Frame(0, 0, width, h, b.label, "loop", not b.bounded))
    out.h = h
    return out


def _group(b: Group) -> Box:
    body = layout(b.body)
    width = max(body.w + 2 * FRAME_PAD, min(len(b.label) * CHAR_W * 0.9 + 20, 420))
    x = (width - body.w) / 2
    p = body.place(x, TITLE_H + 4)
    h = TITLE_H + 4 + body.h + FRAME_PAD
    out = Box(width, h, p.entry)
    _absorb(out, p)
    for ex, label in p.exits:
        out.edges.append(Edge([(ex, TITLE_H + 4 + body.h), (ex, h)], arrow=False))
        out.exits.append((ex, label))
    out.frames.insert(0, Frame(0, 0, width, h, b.label, b.kind))
    if b.body is None:
        out.exits = [(out.entry, "")]
    return out


def _clean(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and zero-length jogs."""
    out: list[tuple[float, float]] = []
    for p in pts:
        if not out or abs(out[-1][0] - p[0]) > 0.05 or abs(out[-1][1] - p[1]) > 0.05:
            out.append(p)
    return out


def layout_diagram(d: PathDiagram) -> Box:
    """Start, the body, and the end node when some path reaches it."""
    first = _seq([_step(d.start), layout(d.body)] if d.body is not None else [_step(d.start)])
    if first.exits:
        return _seq([first, _step(d.end)])
    return first


# -------------------------------------------------------------------- drawing


def _shape(nb: NodeBox) -> str:
    n = nb.node
    fill, stroke = FILL.get(n.kind, ("#fff", "#333"))
    if n.warn:
        stroke = WARN
    sw = "2.5" if n.warn or n.kind == "agent" else "1.2"
    x, y, w, h = nb.x, nb.y, nb.w, nb.h
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="{sw}"'
    if n.kind in ("start", "end", "stop"):
        return (
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" '
            f'rx="{_f(h / 2)}" {common}/>'
        )
    if n.kind == "decision":
        k = 12.0
        pts = [(x, y + h / 2), (x + k, y), (x + w - k, y), (x + w, y + h / 2)]
        pts += [(x + w - k, y + h), (x + k, y + h)]
        return f'<polygon points="{_pts(pts)}" {common}/>'
    if n.kind == "tool":
        k = 10.0
        pts = [(x + k, y), (x + w, y), (x + w - k, y + h), (x, y + h)]
        return f'<polygon points="{_pts(pts)}" {common}/>'
    if n.kind in ("fork", "join"):
        k = 10.0
        if n.kind == "fork":
            pts = [(x + k, y), (x + w - k, y), (x + w, y + h), (x, y + h)]
        else:
            pts = [(x, y), (x + w, y), (x + w - k, y + h), (x + k, y + h)]
        return f'<polygon points="{_pts(pts)}" {common}/>'
    if n.kind == "jump":
        k = 12.0
        pts = [(x + k, y), (x + w, y), (x + w, y + h), (x + k, y + h), (x, y + h / 2)]
        return f'<polygon points="{_pts(pts)}" {common}/>'
    rect = (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" '
        f'rx="{"10" if n.kind == "loop" else "4"}" {common}/>'
    )
    if n.kind == "unit":
        rect += (
            f'<line x1="{_f(x + 7)}" y1="{_f(y)}" x2="{_f(x + 7)}" y2="{_f(y + h)}" '
            f'stroke="{stroke}"/><line x1="{_f(x + w - 7)}" y1="{_f(y)}" '
            f'x2="{_f(x + w - 7)}" y2="{_f(y + h)}" stroke="{stroke}"/>'
        )
    return rect


def _pts(pts: list[tuple[float, float]]) -> str:
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in pts)


def _node(nb: NodeBox) -> str:
    parts = [f'<g class="node {nb.node.kind}{" warn" if nb.node.warn else ""}">']
    parts.append(f"<title>{_xml(nb.node.label)}</title>")
    parts.append(_shape(nb))
    cx = nb.x + nb.w / 2
    y = nb.y + PAD_Y + LINE_H - 3.5
    for text, title in nb.lines:
        cls = "t" if title else "d"
        parts.append(f'<text x="{_f(cx)}" y="{_f(y)}" class="{cls}">{_xml(text)}</text>')
        y += LINE_H
    parts.append("</g>")
    return "".join(parts)


def _edge(e: Edge) -> str:
    cls = "edge back" if e.back else "edge"
    d = "M" + " L".join(f"{_f(x)} {_f(y)}" for x, y in e.points)
    marker = ' marker-end="url(#arrow)"' if e.arrow else ""
    out = f'<path class="{cls}" d="{d}"{marker}/>'
    if e.label and len(e.points) >= 2:
        i = e.label_at if e.label_at >= 0 else len(e.points) - 2
        i = min(i, len(e.points) - 2)
        (x1, y1), (x2, y2) = e.points[i], e.points[i + 1]
        lx, ly = (x1 + x2) / 2 + 4, (y1 + y2) / 2 + 4
        if abs(y1 - y2) < 0.1:  # horizontal: label above the line
            lx, ly = (x1 + x2) / 2 - len(e.label) * 3, y1 - 4
        w = len(e.label) * 6.0 + 6
        out += (
            f'<rect class="lbg" x="{_f(lx - 2)}" y="{_f(ly - 10)}" width="{_f(w)}" '
            f'height="13"/><text class="el" x="{_f(lx + 1)}" y="{_f(ly)}">{_xml(e.label)}</text>'
        )
    return out


def _frame(f: Frame) -> str:
    cls = f"frame {f.kind}{' warn' if f.warn else ''}"
    return (
        f'<g class="{cls}"><rect x="{_f(f.x)}" y="{_f(f.y)}" width="{_f(f.w)}" '
        f'height="{_f(f.h)}" rx="6"/><text x="{_f(f.x + 8)}" y="{_f(f.y + 15)}">'
        f"{_xml(_clip(f.label, int(f.w / 6.2)))}</text></g>"
    )


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: max(1, n - 1)] + "…"


STYLE = (
    ".pd text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "Arial,sans-serif}"
    ".pd .t{font-size:12px;text-anchor:middle;fill:#111;font-weight:600}"
    ".pd .d{font-size:11px;text-anchor:middle;fill:#333}"
    ".pd .edge{fill:none;stroke:#455a64;stroke-width:1.3}"
    ".pd .edge.back{stroke:#1565c0;stroke-dasharray:5 3}"
    ".pd .el{font-size:10.5px;fill:#263238}"
    ".pd .lbg{fill:#fff;opacity:.85}"
    ".pd .frame rect{fill:#f7f9fc;stroke:#90a4ae;stroke-dasharray:4 3}"
    ".pd .frame.loop rect{fill:#f3f8fe;stroke:#1565c0}"
    ".pd .frame.warn rect{fill:#fff6f5;stroke:#b3261e;stroke-width:2}"
    ".pd .frame text{font-size:11px;fill:#37474f;font-style:italic}"
)


def render_svg(d: PathDiagram, *, idx: int = 0, margin: float = 12.0) -> str:
    """An `<svg>` element for one diagram; `idx` keeps marker ids unique per page."""
    box = layout_diagram(d)
    placed = box.place(margin, margin)
    w, h = box.w + 2 * margin, box.h + 2 * margin
    arrow = f"arrow{idx}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pd" role="img" '
        f'width="{_f(w)}" height="{_f(h)}" viewBox="0 0 {_f(w)} {_f(h)}">',
        f"<title>{_xml('Execution paths of ' + d.title)}</title>",
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" '
        f'fill="#455a64"/></marker></defs>',
    ]
    parts += [_frame(f) for f in placed.frames]
    parts += [_edge(e).replace("url(#arrow)", f"url(#{arrow})") for e in placed.edges]
    parts += [_node(n) for n in placed.nodes]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
