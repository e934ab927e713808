"""Every path a system can take, as a small structured flowchart built from its shape tree.

The classifier's shape tree (`analyzer.classify.shape.Node`) keeps only the structure that
holds model calls. This module turns it into *blocks* — steps, choices, loops, fan-outs and
groups — that both renderers draw: Mermaid flattens them into nodes and edges, the SVG
renderer lays the same blocks out top-down. One model, two pictures, so the Markdown and
HTML reports can never disagree about which paths exist.

Nothing here reads files or the call graph directly: what the builder needs to know beyond
the tree (loop bounds, condition text, callee units, framework agent runs) comes through a
`PathContext` of plain callables, so tests can build diagrams from hand-made trees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.shape import Exit, Node, Site

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

MAX_EXPAND_DEPTH = 2
MAX_NODES = 120  # beyond this, callee units are linked rather than expanded


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


# -------------------------------------------------------------------- building


class PathBuilder:
    """Turns one unit's shape tree into a `PathDiagram`."""

    def __init__(self, ctx: PathContext | None = None) -> None:
        self.ctx = ctx or PathContext()
        self.count = 0
        self.groups = 0
        self.expanding: list[str] = []  # units being expanded (cycle guard)
        self.expanded: set[str] = set()
        self.collapsed: dict[str, tuple[str, str]] = {}  # one-call units: (label, note)
        self.home = ""  # the system's file: callee groups from other files name theirs

    def new(self, kind: str, label: str, line: int = 0, note: str = "", **kw) -> PNode:
        self.count += 1
        return PNode(f"n{self.count}", kind, label, line, note, **kw)

    def gid(self) -> str:
        self.groups += 1
        return f"g{self.groups}"

    def diagram(self, title: str, root: Node | None, line: int = 0) -> PathDiagram:
        start = self.new("start", title, line, "entry point")
        body = self.block(root) if root is not None else None
        end = self.new("end", "done", 0, "returns")
        return PathDiagram(title, start, body, end)

    # ------------------------------------------------------------ blocks

    def block(self, n: Node) -> Block | None:
        if n.kind == "site" and n.site is not None:
            return self.site(n.site)
        if n.kind == "loop":
            return self.loop(n)
        if n.kind == "branch":
            return self.branch(n)
        if n.kind == "fan":
            return self.fan(n)
        if n.kind == "try":
            return self.try_block(n)
        return self.seq(n.children)

    def seq(self, children: list[Node]) -> Block | None:
        items = [b for b in (self.block(c) for c in children) if b is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Seq(items)

    def site(self, site: Site) -> Block:
        line = site.line
        fw = self.ctx.framework(site) if site.kind == "model" else None
        if fw is not None:
            return self.framework_agent(site, fw)
        if site.kind == "model":
            note = site.api + (" · tools offered" if site.tools_offered else "")
            return Step(self.new("model", "model call", line, note))
        return self.unit_site(site)

    def framework_agent(self, site: Site, fw: tuple[str, str, int | None]) -> Block:
        """A framework agent run is a loop inside the library: draw the loop it runs."""
        status, evidence, n = fw
        bounded = status in ("present", "default")
        limit = f"at most {n} turns" if n is not None else ("bounded" if bounded else "no bound")
        gid = self.gid()
        head = self.new("loop", f"agent turns: {limit}", site.line, evidence, warn=not bounded)
        turn = self.new("agent", "model picks the next step", site.line, site.api)
        choice = Choice(
            self.new("decision", "tool requested?", site.line, "the model decides"),
            [
                ("final answer", Step(self.new("end", "final answer", site.line))),
                ("yes", Step(self.new("tool", "framework runs the tool", site.line))),
            ],
        )
        label = f"{site.api} (line {site.line})"
        return Loop(head, Seq([Step(turn), choice]), gid, label, bounded, endless=True)

    def unit_site(self, site: Site) -> Block:
        callees = [c for c in (self.ctx.callee(u) for u in site.units) if c is not None]
        line = site.line
        if not callees:
            name = ", ".join(site.units) or "another unit"
            return Step(self.new("unit", f"calls {name}", line))
        arms: list[Block] = [self.callee(c, line) for c in callees]
        if len(arms) == 1:
            return arms[0]
        head = self.new("decision", "one of these runs", line, "chosen at runtime")
        return Choice(head, [(c.name, a) for c, a in zip(callees, arms, strict=True)])

    def callee(self, c: Callee, line: int) -> Block:
        """Expand a called unit inline, or link to it when deep, recursive or large."""
        if c.pattern == "single_call" and c.api:
            return Step(self.new("model", f"model call via {c.name}()", line, c.api))
        if c.ref in self.collapsed:
            label, note = self.collapsed[c.ref]
            return Step(self.new("model", label, line, note))
        c = self.through_wrappers(c)
        too_deep = len(self.expanding) >= MAX_EXPAND_DEPTH or self.count > MAX_NODES
        if too_deep and self.has_unbounded_loop(c):
            # the loop a system's main finding is about is always drawn, however deep
            too_deep = len(self.expanding) >= MAX_EXPAND_DEPTH + 3 or self.count > 3 * MAX_NODES
        if c.ref in self.expanding or c.ref in self.expanded or too_deep or c.root is None:
            note = c.pattern.replace("_", " ")
            return Step(self.new("unit", f"calls {c.name}()", line, note, link=c.ref))
        self.expanding.append(c.ref)
        outer = self.ctx
        self.ctx = c.ctx or outer
        body = self.block(c.root)
        self.ctx = outer
        self.expanding.pop()
        self.expanded.add(c.ref)
        if isinstance(body, Step) and body.node.kind == "model":
            body.node.note = f"{body.node.label}, {body.node.note}".strip(", ")
            body.node.label = f"{c.name}() → model call"
            body.node.line = line
            self.collapsed[c.ref] = (body.node.label, body.node.note)
            return body
        where = _ref_path(c.ref)
        elsewhere = f" in {where}" if where and self.home and where != self.home else ""
        label = f"{c.name}(){elsewhere} — {c.pattern.replace('_', ' ')} (called at line {line})"
        return Group(self.gid(), label, "unit", body)

    def through_wrappers(self, c: Callee) -> Callee:
        """A unit whose whole body is one call into another unit is drawn as that unit
        (`level1() → level2() → loop()`), so wrappers do not use up the expansion depth."""
        names = [c.name]
        seen = {c.ref}
        while c.root is not None:
            site = _wrapped_site(c.root)
            nxt = (c.ctx or self.ctx).callee(site.units[0]) if site is not None else None
            if nxt is None or nxt.ref in seen or nxt.ref in self.expanding:
                break
            seen.add(nxt.ref)
            names.append(nxt.name)
            c = nxt
        if len(names) == 1:
            return c
        return dataclasses.replace(c, name="() → ".join(names))

    def has_unbounded_loop(self, c: Callee) -> bool:
        if c.root is None:
            return False
        ctx = c.ctx or self.ctx
        return any(not ctx.loop_bound(n)[0] for n in c.root.loops())

    def loop(self, n: Node) -> Block:
        bounded, evidence, count = self.ctx.loop_bound(n)
        evidence = evidence.split(" (line")[0]
        head_text = _loop_head(n)
        if count is not None:
            bound = f"at most {count} rounds"
        elif bounded:
            bound = "bounded"
        else:
            bound = "no bound"
        head = self.new("loop", head_text, n.loc.line, bound, warn=not bounded)
        body = self.loop_body(n)
        endless = n.infinite or _always_true(n)
        gid = self.gid()
        kind = "retry loop" if n.retry_try else "loop"
        label = f"{kind}, line {n.loc.line}: {bound}"
        head.note = bound if bounded else f"no bound: {evidence}"
        return Loop(head, body, gid, label, bounded, endless=endless)

    def loop_body(self, n: Node) -> Block | None:
        """The loop's children with its tool dispatch and exit tests placed by line."""
        items: list[tuple[int, int, Block]] = []
        for i, c in enumerate(n.children):
            b = self.block(c)
            if b is not None:
                items.append((_first_line(c), i, b))
        inner = [c for c in _descendant_loops(n)]
        dispatch = [d for d in n.dispatch if d.key_tainted and not _inside(d.line, inner)]
        if dispatch:
            lines = sorted({d.line for d in dispatch})
            note = _lines(lines) if len(lines) > 1 else ""
            node = self.new("tool", "run the tool the model named", lines[0], note)
            items.append((lines[0], len(items) + 100, Step(node)))
        for e in _own_exits(n, inner):
            items.append((e.line, len(items) + 200, self.exit_test(e)))
        items.sort(key=lambda t: (t[0], t[1]))
        blocks = [b for _, _, b in items]
        if not blocks:
            return None
        return blocks[0] if len(blocks) == 1 else Seq(blocks)

    def exit_test(self, e: Exit) -> Block:
        stmt = self.ctx.stmt_at(e.line)
        if e.stop_field:
            question = "model says it is done?"
        elif e.tainted:
            question = "model output says stop?"
        elif e.counter:
            question = "limit reached?"
        elif e.in_handler:
            question = "call failed again?"
        else:
            question = "exit condition?"
        cond = expr_src(stmt.test) if isinstance(stmt, ir.If) else ""
        head = self.new("decision", question, e.line, cond)
        if e.kind == "break":
            out: Block = Step(self.new("jump", "leave loop", e.line, "break"))
        elif e.kind == "raise":
            out = Step(self.new("stop", "raise", e.line))
        else:
            out = Step(self.new("end", "return", e.line))
        return Choice(head, [("yes", out), ("no", None)])

    def branch(self, n: Node) -> Block:
        stmt = self.ctx.stmt_at(n.loc.line)
        labels = _arm_labels(stmt, len(n.children))
        test = _branch_test(stmt)
        question = "branch on model output" if n.tainted_test else "branch"
        head = self.new("decision", question, n.loc.line, test)
        arms: list[tuple[str, Block | None]] = []
        for label, arm in zip(labels, n.children, strict=False):
            arms.append((label, self.block(arm) if arm.children or arm.site else None))
        if isinstance(stmt, ir.Match) and not n.has_default:
            arms.append(("no case matches", None))
        if n.tainted_test and not n.has_default and len(arms) >= 2:
            label, _ = arms[-1]
            if isinstance(stmt, ir.Match) or label == "else":
                head.warn = True
                head.note = (
                    head.note + " · " if head.note else ""
                ) + "no fallback for other labels"
        return Choice(head, arms)

    def fan(self, n: Node) -> Block:
        comp = next((c for c in n.children if c.kind == "loop"), None)
        iterable = n.iterable if n.iterable is not None else (comp.iterable if comp else None)
        tainted = n.tainted_iter or (comp.tainted_iter if comp else False)
        head_note = n.fan_api
        warn = False
        if iterable is not None:
            head_note = f"one per item of {expr_src(iterable)}"
            if tainted:
                head_note += " (model output, no cap)"
                warn = True
        head = self.new("fork", "run concurrently", n.loc.line, head_note, warn=warn)
        arms: list[tuple[str, Block]] = []
        for c in n.children:
            inner = c.children if c.kind == "loop" else [c]
            b = self.seq(inner)
            if b is not None:
                arms.append(("each item" if c.kind == "loop" else "", b))
        if len(arms) == 1 and iterable is None and comp is None:
            # one awaitable run on its own (`asyncio.run(main())`, `gather(one())`): a call,
            # not a fan-out
            return arms[0][1]
        if len(arms) == 1 and isinstance(arms[0][1], Fork):
            inner = arms[0][1]  # a fan-out whose only work is another fan-out: draw one
            if iterable is not None:
                inner.head.note, inner.head.warn = head_note, warn or inner.head.warn
            return inner
        join = self.new("join", "wait for all", n.loc.line, "results combined")
        return Fork(head, arms, join)

    def try_block(self, n: Node) -> Block:
        body, *rest = n.children
        handlers, orelse, final = rest[:-2], rest[-2], rest[-1]
        stmt = self.ctx.stmt_at(n.loc.line)
        items: list[Block] = []
        b = self.block(body)
        gid = self.gid()
        items.append(Group(gid, f"try (line {n.loc.line})", "try", b))
        arms: list[tuple[str, Block | None]] = [("no error", self.block(orelse))]
        types = _handler_types(stmt, len(handlers))
        for t, h in zip(types, handlers, strict=False):
            arms.append((t, self.block(h)))
        head = self.new("decision", "did it fail?", n.loc.line, "except")
        items.append(Choice(head, arms))
        f = self.block(final)
        if f is not None:
            items.append(f)
        return Seq(items)


# -------------------------------------------------------------------- helpers


def _wrapped_site(root: Node) -> Site | None:
    """The one call into one other unit that is all of a body, if it is."""
    n = root
    while n.kind == "seq" and len(n.children) == 1:
        n = n.children[0]
    site = n.site if n.kind == "site" else None
    if site is None or site.kind == "model" or len(site.units) != 1:
        return None
    return site


def _lines(lines: list[int]) -> str:
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(str(x) for x in lines)


def _loop_head(n: Node) -> str:
    if n.loop_kind == "while":
        return f"while {expr_src(n.while_test, 36)}"
    target = expr_src(n.loop_target, 16) if n.loop_target is not None else "_"
    return f"for {target} in {expr_src(n.iterable, 32)}"


def _always_true(n: Node) -> bool:
    return isinstance(n.while_test, ir.Const) and bool(n.while_test.value)


def _first_line(n: Node) -> int:
    if n.loc.line:
        return n.loc.line
    sites = n.sites()
    return min((s.line for s in sites), default=0)


def _descendant_loops(n: Node) -> list[Node]:
    out = []
    stack = list(n.children)
    while stack:
        c = stack.pop()
        if c.kind == "loop":
            out.append(c)
        stack.extend(c.children)
    return out


def _inside(line: int, loops: list[Node]) -> bool:
    return any(lp.loc.line <= line <= max(lp.loc.end_line, lp.loc.line) for lp in loops)


def _own_exits(n: Node, inner: list[Node]) -> list[Exit]:
    """Exits of this loop that are not written inside a nested loop drawn on its own
    (those show there), one per line."""
    seen: set[tuple[str, int]] = set()
    out = []
    for e in sorted(n.exits, key=lambda e: e.line):
        if _inside(e.line, inner) and e.kind != "break":
            continue
        key = (e.kind, e.line)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _arm_labels(stmt: ir.Stmt | None, n: int) -> list[str]:
    if isinstance(stmt, ir.Match):
        return [f"case {c.pattern}" for c in stmt.cases][:n] + [""] * max(0, n - len(stmt.cases))
    if n == 2:
        return ["yes", "else"]
    return [f"arm {i + 1}" for i in range(n)]


def _branch_test(stmt: ir.Stmt | None) -> str:
    if isinstance(stmt, ir.If):
        return expr_src(stmt.test)
    if isinstance(stmt, ir.Match):
        return f"match {expr_src(stmt.subject)}"
    return ""


def _handler_types(stmt: ir.Stmt | None, n: int) -> list[str]:
    if isinstance(stmt, ir.Try):
        out = [
            f"except {expr_src(h.type, 24)}" if h.type is not None else "except"
            for h in stmt.handlers
        ]
        return out[:n] + ["except"] * max(0, n - len(out))
    return ["except"] * n


def stmt_index(scope: ir.Scope) -> dict[int, ir.Stmt]:
    """Compound statements of a scope by line, for condition and handler text."""
    out: dict[int, ir.Stmt] = {}
    for s in ir.walk_stmts(scope.body):
        if isinstance(s, (ir.If, ir.Match, ir.Try, ir.While, ir.For)):
            out.setdefault(s.loc.line, s)
    return out


def diagram_for(
    title: str, root: Node | None, ctx: PathContext | None = None, line: int = 0, path: str = ""
):
    """The diagram of one unit's shape tree; `path` is the unit's file (line numbers of
    units expanded from other files are then labelled with their file)."""
    builder = PathBuilder(ctx)
    builder.home = path
    return builder.diagram(title, root, line)


def _ref_path(ref: str) -> str:
    """The file of a unit reference `path::qualname` (or `path:cell::qualname`)."""
    head = ref.split("::", 1)[0] if "::" in ref else ""
    base, _, cell = head.rpartition(":")
    return base if base and cell.isdigit() else head


# -------------------------------------------------------------------- from the analysis


def context_for(classifier, node_id: str, units_by_node: dict) -> PathContext:
    """A `PathContext` that answers from the classifier's facts about one unit."""
    from analyzer.classify.consts import Resolver
    from analyzer.classify.decide import loop_bounded

    uf = classifier.unit_facts[node_id]
    resolver = Resolver(uf.facts, uf.scope)
    stmts = stmt_index(uf.scope)

    def loop_bound(n: Node) -> tuple[bool, str, int | None]:
        bounded, evidence, count, _ = loop_bounded(n, resolver)
        return bounded, evidence, count

    def callee(unit: str) -> Callee | None:
        cf = classifier.unit_facts.get(unit)
        if cf is None:
            return None
        s = cf.summary
        root = cf.root
        api = ""
        if s.pattern == "single_call" and root is not None:
            sites = root.sites()
            if len(sites) == 1 and sites[0].kind == "model" and cf.llm_calls:
                api = cf.llm_calls[0].api
        u = units_by_node.get(unit)
        ref = u.ref if u is not None else unit
        return Callee(
            cf.scope.qualname,
            ref,
            root,
            s.pattern,
            api,
            bool(u and u.is_system),
            context_for(classifier, unit, units_by_node),
        )

    def framework(site: Site):
        return classifier.framework_loop(site)

    return PathContext(loop_bound, lambda line: stmts.get(line), callee, framework)


# -------------------------------------------------------------------- flat graph


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
            self.add(b.head)
            self.connect(preds, b.head.id)
            outs: list[Port] = []
            breaks = []
            for label, arm in b.arms:
                o, br = self.flat(arm, [(b.head.id, label, "flow")])
                outs += o
                breaks += br
            return outs, breaks
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
            self.add(b.head)
            self.connect(preds, b.head.id)
            joined: list[Port] = []
            breaks = []
            for label, arm in b.arms:
                o, br = self.flat(arm, [(b.head.id, label, "flow")])
                joined += o
                breaks += br
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


def flatten(d: PathDiagram) -> FlatGraph:
    """The diagram as nodes, edges and nested groups (the end node only when reached)."""
    f = _Flattener(d.title)
    f.add(d.start)
    outs, _ = f.flat(d.body, [(d.start.id, "", "flow")])
    if outs:
        f.add(d.end)
        f.connect(outs, d.end.id)
    return f.g
