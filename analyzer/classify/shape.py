"""The shape of one scope: its model-reaching call sites inside loops, branches and fan-outs.

The walker keeps only structure that contains a *site* (a model call or a call into a
unit), and records on each loop what decides whether it goes on: exits and the conditions
guarding them, counters, tool dispatch chosen by model output. Pattern, stop condition and
call bound are then read off this small tree by pure functions.

This module owns the walk over statements and expressions (`ShapeBuilder`); loops, their
exits and bounds are in `loops.py`, model-chosen dispatch in `dispatch.py`, the tree's types
in `nodes.py` and the predicates over IR in `predicates.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer import ir
from analyzer.classify.dispatch import DispatchMixin
from analyzer.classify.loops import LoopsMixin

# Exit, STOP_FIELDS, is_attempt_loop and asks_a_person live in `nodes` and `predicates`; they
# stay importable from here.
from analyzer.classify.nodes import STOP_FIELDS as STOP_FIELDS
from analyzer.classify.nodes import Dispatch, Node, Site, _prune, is_attempt_loop
from analyzer.classify.nodes import Exit as Exit
from analyzer.classify.predicates import (
    _FANOUT_VIAS,
    _RUNS_COROUTINE,
    _always_leaves,
    _branches,
    _handler_goes_round,
    _is_batch,
    _is_concurrent,
    _is_map_call,
    _picks_one,
    _reads_stop_field,
    asks_a_person,
)
from analyzer.classify.taint import Taint, target_names


class ShapeBuilder(LoopsMixin, DispatchMixin):
    """Builds the `Node` tree of one scope."""

    def __init__(
        self,
        *,
        path: str,
        scope: ir.Scope,
        site_of: Callable[[ir.Call], Site | None],
        externals: Callable[[ir.Call], list[str]],
        targets: Callable[[ir.Call], list],
        dispatch_params: Callable[[ir.Call], list[int | str]],
        taint: Taint,
        lambdas: dict[str, ir.Scope] | None = None,
        unit_reads: Callable[[tuple[str, ...]], set[str]] | None = None,
        returns_of: Callable[[ir.Call], list[ir.Expr]] | None = None,
        callee_effects: Callable[[ir.Call], tuple[set[str], int]] | None = None,
        callee_asks: Callable[[ir.Call], bool] | None = None,
    ) -> None:
        # the call's project callees wait for a person (a chat turn in a helper)
        self.callee_asks = callee_asks or (lambda _call: False)
        self.returns_of = returns_of or (lambda _call: [])
        # (shared names a call's project callees advance, line of a limit they raise on)
        self.callee_effects = callee_effects or (lambda _call: (set(), 0))
        self.unit_reads = unit_reads or (lambda _units: set())
        self.lambdas = lambdas or {}
        self.path = path
        self.scope = scope
        self.site_of = site_of
        self.externals = externals
        self.targets = targets
        self.dispatch_params = dispatch_params
        self.taint = taint
        self.loops: list[Node] = []  # enclosing loops, innermost last
        self.guards: list[tuple[ir.Expr, int]] = []  # enclosing if-tests, with loop depth
        self.try_stack: list[str] = []  # "body" | "handler" per enclosing try, inner last
        self.param_names = {p.name for p in scope.params}
        self.dispatch_on_params: set[int | str] = set()
        self.top_dispatch: list[Dispatch] = []  # dispatch outside any loop
        self.selects = 0  # line where one answer is picked from model answers (max, Counter)
        self.selections: dict[str, int] = {}  # names holding an item picked by model output
        self._awaited: set[int] = set()  # cids of calls awaited on the spot
        self.assigned: dict[str, ir.Expr] = {}  # the call a name was last assigned from

    # ---------------------------------------------------------------- entry

    def build(self) -> Node:
        body = self.block(self.scope.body)
        # a decorator that makes the function a model call (`@llm.call(...)`) is its call
        for d in self.scope.decorators:
            if isinstance(d, ir.Call):
                site = self.site_of(d)
                if site is not None and site.kind == "model":
                    body.children.insert(0, Node("site", d.loc, site=site))
        return body

    # ---------------------------------------------------------------- statements

    def block(self, body: tuple[ir.Stmt, ...]) -> Node:
        node = Node("seq")
        for i, s in enumerate(body):
            rest = body[i + 1 :]
            if isinstance(s, ir.If) and not s.orelse and rest and _always_leaves(s.body):
                # `if x: return a()` followed by `return b()` is an if/else
                s = ir.If(s.test, s.body, rest, s.is_elif, s.loc)
                child = self.stmt(s)
                if child is not None:
                    node.children.append(child)
                break
            child = self.stmt(s)
            if child is not None:
                node.children.append(child)
        return node

    def stmt(self, s: ir.Stmt) -> Node | None:
        if self.loops:
            self._note_changed(s)
        if isinstance(s, ir.For):
            return self.for_loop(s)
        if isinstance(s, ir.While):
            return self.while_loop(s)
        if isinstance(s, ir.If):
            return self.if_stmt(s)
        if isinstance(s, ir.Match):
            return self.match_stmt(s)
        if isinstance(s, ir.Try):
            return self.try_stmt(s)
        if isinstance(s, ir.With):
            seq = Node("seq", s.loc)
            for it in s.items:
                self._add(seq, self.expr(it.context))
            body = self.block(s.body)
            seq.children += body.children
            return _prune(seq)
        if isinstance(s, ir.Jump):
            if s.kind == "break":
                self.record_exit("break", s.loc.line)
            return None
        if isinstance(s, ir.Return):
            node = self.expr(s.value) if s.value is not None else None
            self.record_exit("return", s.loc.line)
            return node
        if isinstance(s, ir.Raise):
            self.record_exit("raise", s.loc.line)
            return None
        if isinstance(s, ir.Assign):
            if isinstance(s.value, (ir.Call, ir.Await)):
                for t in s.targets:
                    if isinstance(t, ir.Name):
                        self.assigned[t.id] = s.value
            seq = Node("seq", s.loc)
            if s.value is not None:
                self._add(seq, self.expr(s.value))
                picked = self._picks_by_model(s.value) or (
                    # `handler = expert` in a branch on model output picks the handler
                    isinstance(s.value, (ir.Name, ir.Attr))
                    and any(self.taint.expr(g) for g, _depth in self.guards)
                )
                if picked:
                    for t in s.targets:
                        for n in target_names(t):
                            self.selections[n] = s.loc.line
            if s.op is not None:
                self.note_counter(s)
            return _prune(seq)
        seq = Node("seq", s.loc)
        for e in ir.stmt_exprs(s):
            self._add(seq, self.expr(e))
        return _prune(seq)

    def _add(self, seq: Node, child: Node | None) -> None:
        if child is not None:
            seq.children.append(child)

    def if_stmt(self, s: ir.If) -> Node | None:
        test_node = self.expr(s.test)
        depth = len(self.loops)
        self.guards.append((s.test, depth))
        body = self.block(s.body)
        self.guards.pop()
        negated = ir.UnaryOp("not", s.test, s.test.loc)
        self.guards.append((negated, depth))
        orelse = self.block(s.orelse)
        self.guards.pop()
        tainted = self.taint.expr(s.test)
        if self.loops and _reads_stop_field(s.test):
            self.loops[-1].stop_field_read = True
        arms = [body, orelse]
        branch = Node(
            "branch",
            s.loc,
            children=arms,
            tainted_test=tainted,
            has_default=bool(s.orelse),
            arm_calls=sum(1 for a in arms if a.children),
        )
        self._maybe_branch_dispatch(branch, s.test, [s.body, s.orelse])
        seq = Node("seq", s.loc)
        self._add(seq, test_node)
        if body.children or orelse.children:
            seq.children.append(branch)
        return _prune(seq)

    def match_stmt(self, s: ir.Match) -> Node | None:
        subject = self.expr(s.subject)
        arms = []
        depth = len(self.loops)
        for case in s.cases:
            guard = ir.Compare(s.subject, ("==",), case.values or (ir.Const(None),), case.loc)
            self.guards.append((guard, depth))
            arms.append(self.block(case.body))
            self.guards.pop()
        tainted = self.taint.expr(s.subject)
        branch = Node(
            "branch",
            s.loc,
            children=arms,
            tainted_test=tainted,
            has_default=any(c.is_wildcard for c in s.cases),
        )
        self._maybe_branch_dispatch(branch, s.subject, [c.body for c in s.cases])
        seq = Node("seq", s.loc)
        self._add(seq, subject)
        if any(a.children for a in arms):
            seq.children.append(branch)
        return _prune(seq)

    def try_stmt(self, s: ir.Try) -> Node | None:
        self.try_stack.append("body")
        body = self.block(s.body)
        self.try_stack.pop()
        self.try_stack.append("handler")
        handlers = [self.block(h.body) for h in s.handlers]
        self.try_stack.pop()
        orelse = self.block(s.orelse)
        final = self.block(s.finalbody)
        if self.loops and body.sites() and is_attempt_loop(self.loops[-1]):
            goes_round = any(_handler_goes_round(h.body) for h in s.handlers)
            if goes_round:
                self.loops[-1].retry_try = True
        node = Node("try", s.loc, children=[body, *handlers, orelse, final])
        return node if node.sites() else None

    # ---------------------------------------------------------------- expressions

    def expr(self, e: ir.Expr | None) -> Node | None:
        if e is None:
            return None
        if isinstance(e, ir.Await) and isinstance(e.value, ir.Call):
            self._awaited.add(e.value.cid)
        if isinstance(e, ir.Comp):
            return self.comprehension(e)
        if isinstance(e, ir.Lambda):
            # a lambda runs where it is called; its body is part of this scope's shape
            body = self.lambdas.get(e.scope)
            if body is None or not body.body or not isinstance(body.body[0], ir.Return):
                return None
            return self.expr(body.body[0].value)
        if isinstance(e, ir.Call):
            return self.call(e)
        seq = Node("seq", e.loc)
        for c in ir.iter_child_exprs(e):
            self._add(seq, self.expr(c))
        return _prune(seq)

    def comprehension(self, e: ir.Comp) -> Node | None:
        head = Node("seq", e.loc)
        first = e.generators[0] if e.generators else None
        for g in e.generators:
            self._add(head, self.expr(g.iter))
        loop = Node(
            "loop",
            e.loc,
            loop_kind="comp",
            iterable=None if first is None else first.iter,
            loop_target=None if first is None else first.target,
            tainted_iter=first is not None and self._model_sized(first.iter),
        )
        self.loops.append(loop)
        inner = Node("seq", e.loc)
        if e.key is not None:
            self._add(inner, self.expr(e.key))
        self._add(inner, self.expr(e.elt))
        self.loops.pop()
        loop.children = inner.children
        if not loop.sites():
            self._hand_up(loop)
            return _prune(head)
        head.children.append(loop)
        return head if len(head.children) > 1 else loop

    def call(self, c: ir.Call) -> Node | None:
        if not self.selects and _picks_one(c) and any(self.taint.expr(a.value) for a in c.args):
            self.selects = c.loc.line
        ext = self.externals(c)
        if self.loops and (asks_a_person(c, ext) or self.callee_asks(c)):
            self.loops[-1].interactive = True
        is_fan = any(_is_concurrent(name) for name in ext)
        targets = self.targets(c)
        callback_fan = any(getattr(t, "via", "") in _FANOUT_VIAS for t in targets)
        if (
            isinstance(c.func, ir.Attr)
            and c.func.attr == "result"
            and isinstance(c.func.value, ir.Call)
        ):
            self._awaited.add(c.func.value.cid)  # `task(x).result()` waits on the spot
        if any(n.rsplit(".", 1)[-1] in _RUNS_COROUTINE for n in ext):
            # `asyncio.run(main())` awaits its argument on the spot
            self._awaited.update(a.value.cid for a in c.args if isinstance(a.value, ir.Call))
        if self.loops:
            self._note_callee_bounds(c)
        seq = Node("seq", c.loc)
        # callee expression first (a receiver may itself be a call), then arguments
        self._add(seq, self.expr(c.func))
        arg_nodes = Node("seq", c.loc)
        for a in c.args:
            self._add(arg_nodes, self.expr(a.value))
        site = self.site_of(c)
        self.note_dispatch(c, targets, site is not None)
        if site is not None:
            site.args_tainted = any(self.taint.expr(a.value) for a in c.args) or (
                # top-level code feeds a function through a global it reads
                self.scope.kind == "module" and bool(self.unit_reads(site.units) & self.taint.names)
            )
            site.fanout_via_callback = callback_fan
            for x in [c.func, *(x for a in c.args for x in ir.walk_expr(a.value))]:
                if isinstance(x, ir.Name) and x.id in self.selections:
                    site.selected_by_model = self.selections[x.id]
            if site.is_async and c.cid not in self._awaited and not is_fan:
                # a coroutine made here runs later, together with others (gather, tasks)
                site.in_fanout = True
        if site is not None and site.kind == "model" and (_is_batch(site) or site.fanout):
            site.in_fanout = True
            fan = Node("fan", c.loc, fan_api=site.api, children=[Node("site", c.loc, site=site)])
            fan.iterable = _branches(site.ctor) if site.fanout else c.arg(0, "inputs")
            fan.tainted_iter = self._model_sized(fan.iterable)
            seq.children += arg_nodes.children
            seq.children.append(fan)
            return _prune(seq)
        if is_fan or callback_fan:
            fan = Node(
                "fan", c.loc, fan_api=next((n for n in ext if _is_concurrent(n)), "callback")
            )
            fan.children = arg_nodes.children
            if site is not None:
                site.in_fanout = True
                fan.children.append(Node("site", c.loc, site=site))
            if fan.sites():
                if _is_map_call(c, ext) and len(c.args) >= 2:
                    fan.iterable = c.args[1].value
                    fan.tainted_iter = self._model_sized(fan.iterable)
                seq.children.append(fan)
            return _prune(seq)
        seq.children += arg_nodes.children
        if site is not None:
            seq.children.append(Node("site", c.loc, site=site))
        return _prune(seq)


# -------------------------------------------------------------------- helpers
