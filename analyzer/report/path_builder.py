"""Building a system's `PathDiagram` from its shape tree: steps, choices, loops, fan-outs
and groups, with callee units expanded inline up to a depth and a size (`MAX_NODES`).

`diagram_for` builds from a tree and a `PathContext`; `context_for` makes the context that
answers from the classifier's facts about one unit (loop bounds, condition and handler
text, callees, framework agent runs).
"""

from __future__ import annotations

import dataclasses

from analyzer import ir
from analyzer.classify.shape import Exit, Node, Site
from analyzer.report.paths import (
    Block,
    Callee,
    Choice,
    Fork,
    Group,
    Loop,
    PathContext,
    PathDiagram,
    PNode,
    Seq,
    Step,
    expr_src,
)

MAX_EXPAND_DEPTH = 2
MAX_NODES = 120  # beyond this, callee units are linked rather than expanded


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
