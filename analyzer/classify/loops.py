"""Loop bounds and exits: for and while loops in the shape tree, the exits that leave them and
the conditions guarding those exits, counters (also advanced by callees), optional limits
that are None on some path, and counter tests.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.nodes import Exit, Node, _is_counter_truthiness, _prune
from analyzer.classify.predicates import (
    _TIME_CALLS,
    _caps_size,
    _compares,
    _is_infinite_iter,
    _reads_stop_field,
)
from analyzer.classify.taint import target_names


class LoopsMixin:
    """The `ShapeBuilder`'s loops, their exits and their bounds."""

    def note_counter(self, s: ir.Assign) -> None:
        if self.loops and s.op in ("+", "-"):
            for t in s.targets:
                for n in target_names(t):
                    self.loops[-1].counters.add(n)

    def record_exit(self, kind: str, line: int) -> None:
        if not self.loops:
            return
        loops = self.loops if kind in ("return", "raise") else self.loops[-1:]
        for loop in loops:
            depth = self.loops.index(loop)
            guards = [g for g, d in self.guards if d > depth]
            tainted = any(self.taint.expr(g) for g in guards)
            checked = tainted and all(
                self.taint.only_checked(g) for g in guards if self.taint.expr(g)
            )
            counter = any(self.is_counter_test(g, loop) for g in guards)
            if counter and any(self.optional_limit(g) for g in guards):
                counter, loop.optional_limit = False, True
            stop_field = any(_reads_stop_field(g) for g in guards)
            where = self.try_stack[-1] if self.try_stack else ""
            loop.exits.append(
                Exit(
                    kind,
                    line,
                    tainted,
                    counter,
                    stop_field,
                    where == "body",
                    where == "handler",
                    tuple(guards),
                    checked,
                )
            )

    def _note_changed(self, s: ir.Stmt) -> None:
        """Names a statement in a loop body rebinds or mutates (`x = ...`, `for x in`,
        `msgs.append(...)`): a request that reads none of them is the same every round."""
        changed: set[str] = set()
        if isinstance(s, ir.Assign):
            for t in s.targets:
                changed.update(n.split(".")[0] for n in target_names(t))
        elif isinstance(s, ir.For):
            changed.update(n.split(".")[0] for n in target_names(s.target))
        grown: set[str] = set()
        for e in ir.stmt_exprs(s) if not isinstance(s, (ir.For, ir.While)) else ():
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Call) and isinstance(x.func, ir.Attr):
                    root = ir.receiver_chain(x.func)[0]
                    if isinstance(root, ir.Name):
                        changed.add(root.id)
                    if x.func.attr in ("append", "extend", "insert", "add"):
                        name = ir.dotted(x.func.value)
                        if name:
                            grown.add(name)  # a list growing each round counts rounds
                if isinstance(x, ir.NamedExpr):
                    changed.add(x.target.id)
        for loop in self.loops:
            loop.changed |= changed
        if grown:
            self.loops[-1].counters |= grown

    def _note_callee_bounds(self, c: ir.Call) -> None:
        """Bounds kept in a callee: a counter on shared state it advances
        (`self.state.n_steps += 1` in `step()`) counts for every enclosing loop that tests
        it, and a limit it raises on (`if self.cost > self.limit: raise`) ends them all."""
        advanced, raise_line = self.callee_effects(c)
        for loop in self.loops:
            loop.counters |= advanced
            if raise_line:
                loop.exits.append(Exit("raise", raise_line, False, True, False))

    def _recheck_exits(self, loop: Node) -> None:
        """An exit guarded at the top of the body (`if i >= 5: break` before `i += 1`) is
        recorded before the increment is seen: judge its guards again on the whole body."""
        for e in loop.exits:
            if e.counter:
                continue
            if any(self.is_counter_test(g, loop) for g in e.guards):
                if any(self.optional_limit(g) for g in e.guards):
                    loop.optional_limit = True
                else:
                    e.counter = True

    def optional_limit(self, test: ir.Expr) -> bool:
        """The test only applies when a limit is set (`max_turns is not None and n >= max_turns`,
        `max_turns is None or n < max_turns`) and the limit is None on some path
        (`3 if auto_mode else None`, a `None` default): no bound on that path."""
        names = set()
        for x in ir.walk_expr(test):
            if (
                isinstance(x, ir.Compare)
                and x.ops
                and x.ops[0] in ("is not", "is", "!=", "==")
                and isinstance(x.comparators[0], ir.Const)
                and x.comparators[0].value is None
            ):
                name = ir.dotted(x.left)
                if name:
                    names.add(name)
            elif isinstance(x, ir.Compare) and x.ops and x.ops[0] in ("<", "<=", ">", ">="):
                # `n < max_turns` with `max_turns=float("inf")` by default
                names.update(n for side in (x.left, *x.comparators) if (n := ir.dotted(side)))
        return any(self._may_be_none(n) for n in names)

    def _may_be_none(self, name: str) -> bool:
        """`name` is None or infinite on some path: no limit there."""

        def none_arm(v: ir.Expr | None) -> bool:
            if isinstance(v, ir.Const):
                return v.value is None or v.value == float("inf")
            if isinstance(v, ir.IfExp):
                return none_arm(v.body) or none_arm(v.orelse)
            if isinstance(v, ir.Call) and ir.dotted(v.func) == "float" and v.args:
                a = v.args[0].value
                return isinstance(a, ir.Const) and str(a.value).lower().lstrip("+") in (
                    "inf",
                    "infinity",
                )
            return ir.dotted(v) in ("math.inf", "numpy.inf", "np.inf") if v is not None else False

        for p in self.scope.params:
            if p.name == name and none_arm(p.default):
                return True
        for st in ir.walk_stmts(self.scope.body):
            if isinstance(st, ir.Assign) and st.op is None and st.value is not None:
                if any(ir.dotted(t) == name for t in st.targets) and none_arm(st.value):
                    return True
        return False

    def is_counter_test(self, test: ir.Expr, loop: Node) -> bool:
        """A comparison that involves a counter advanced in the loop, or a clock, or a
        helper that stops once a collection reaches a size (`len(history) >= 3`)."""
        for sub in ir.walk_expr(test):
            if isinstance(sub, ir.Call) and any(_caps_size(r) for r in self.returns_of(sub)):
                return True
            if (
                isinstance(sub, ir.Call)
                and any(ir.dotted(a.value) in loop.counters for a in sub.args)
                and any(_compares(r) for r in self.returns_of(sub))
            ):
                return True  # `reached(self.steps, self.max_steps)` returning `i >= n`
            if isinstance(sub, ir.Compare):
                for side in (sub.left, *sub.comparators):
                    for x in ir.walk_expr(side):
                        if isinstance(x, (ir.Name, ir.Attr)):
                            d = ir.dotted(x)
                            if d in loop.counters:
                                return True
                        if isinstance(x, ir.Call):
                            name = ir.dotted(x.func) or ""
                            if name.rsplit(".", 1)[-1] in _TIME_CALLS:
                                return True
                        if isinstance(x, ir.Call) and isinstance(x.func, ir.Name):
                            if x.func.id == "len":
                                return any(_sized(a.value) in loop.counters for a in x.args)
        return False

    def for_loop(self, s: ir.For) -> Node | None:
        head = self.expr(s.iter)
        loop = Node(
            "loop",
            s.loc,
            loop_kind="for",
            iterable=s.iter,
            loop_target=s.target,
            tainted_iter=self._model_sized(s.iter) and self._sized_before(s),
            infinite=_is_infinite_iter(s.iter),
        )
        self._counted_by_for(loop, s)
        self.loops.append(loop)
        body = self.block(s.body)
        self.loops.pop()
        self._recheck_exits(loop)
        loop.children = body.children
        orelse = self.block(s.orelse)
        return self._loop_result(loop, head, orelse)

    def _sized_before(self, s: ir.For) -> bool:
        """The collection is model output before the loop starts. A for loop reads it once,
        so model output its own body stores into it (`data[k] = answer`) does not size it;
        inside another loop a later round would, so there it counts."""
        if self.loops:
            return True
        local = {p.name for p in self.scope.params[1:]} if self.scope.params else set()
        if self.scope.params and self.scope.params[0].name not in ("self", "cls"):
            local.add(self.scope.params[0].name)
        for st in ir.walk_stmts(self.scope.body):
            if isinstance(st, ir.Assign):
                local.update(n for t in st.targets for n in target_names(t) if "." not in n)
            elif isinstance(st, ir.With):
                local.update(n for it in st.items if it.target for n in target_names(it.target))
        funcs = {id(x.func) for x in ir.walk_expr(s.iter) if isinstance(x, ir.Call)}
        roots = {
            x.id for x in ir.walk_expr(s.iter) if isinstance(x, ir.Name) and id(x) not in funcs
        }
        body = [st for b in (s.body, s.orelse) for st in ir.walk_stmts(b)]
        if roots and roots <= local:
            return self.taint.without(body).expr(s.iter)
        # State kept on an object or module outlives the call: a later call reads what
        # this loop stored, unless what it stores is rebuilt one item per item (the body
        # appends at most once per round to a list stored back after the loop): the model
        # fills the items but does not choose how many there are.
        per_item = _one_per_round(s, self.scope)
        stores = [
            st
            for st in ir.walk_stmts(self.scope.body)
            if isinstance(st, ir.Assign)
            and st.op is None
            and isinstance(st.value, ir.Name)
            and st.value.id in per_item
        ]
        if not stores:
            return True
        return self.taint.without(body + stores).expr(s.iter)

    def _counted_by_for(self, loop: Node, s: ir.For) -> None:
        if isinstance(s.target, ir.Name) and not loop.infinite:
            loop.counters.add(s.target.id)

    def while_loop(self, s: ir.While) -> Node | None:
        loop = Node("loop", s.loc, loop_kind="while", while_test=s.test)
        loop.infinite = isinstance(s.test, ir.Const) and bool(s.test.value)
        self.loops.append(loop)
        # the test runs before every round: a judge called in it is part of the round
        head = self.expr(s.test)
        body = self.block(s.body)
        self.loops.pop()
        loop.children = ([head] if head is not None else []) + body.children
        head = None
        self._recheck_exits(loop)
        loop.test_tainted = self.taint.expr(s.test)
        loop.test_counter = self.is_counter_test(s.test, loop) or _is_counter_truthiness(
            s.test, loop
        )
        if loop.test_counter and self.optional_limit(s.test):
            loop.test_counter, loop.optional_limit = False, True
        loop.stop_field_read = loop.stop_field_read or _reads_stop_field(s.test)
        orelse = self.block(s.orelse)
        return self._loop_result(loop, head, orelse)

    def _loop_result(self, loop: Node, head: Node | None, orelse: Node) -> Node | None:
        if not loop.sites():
            # a loop without model calls (`for block in response.content: run tool`) is
            # part of the enclosing loop's round: its dispatch belongs there
            self._hand_up(loop)
            seq = Node("seq", loop.loc, children=[c for c in (head,) if c] + orelse.children)
            return _prune(seq)
        seq = Node("seq", loop.loc)
        self._add(seq, head)
        seq.children.append(loop)
        seq.children += orelse.children
        return seq if len(seq.children) > 1 else loop

    def _hand_up(self, loop: Node) -> None:
        target = self.loops[-1].dispatch if self.loops else self.top_dispatch
        target.extend(loop.dispatch)
        if self.loops:
            outer = self.loops[-1]
            outer.stop_field_read = outer.stop_field_read or loop.stop_field_read


def _sized(e: ir.Expr) -> str | None:
    """The collection `len(e)` measures: `xs`, `self.xs`, or one entry of a collection of
    lists (`self.failed[k]`, `self.failed.get(k, [])`) grown as a whole."""
    if isinstance(e, ir.Call) and isinstance(e.func, ir.Attr) and e.func.attr == "get":
        e = e.func.value
    while isinstance(e, ir.Subscript):
        e = e.value
    return ir.dotted(e)


def _one_per_round(loop: ir.For, scope: ir.Scope) -> set[str]:
    """Local lists the loop's body appends to at most once per round, and that nothing
    else in the scope adds to or rebinds (other than `xs = []`)."""
    body = [st for b in (loop.body, loop.orelse) for st in ir.walk_stmts(b)]
    names = {
        ir.dotted(x.func.value) or ""
        for st in body
        for e in ir.stmt_exprs(st)
        for x in ir.walk_expr(e)
        if isinstance(x, ir.Call) and isinstance(x.func, ir.Attr) and x.func.attr == "append"
    }
    inside = {id(st) for st in body}
    out = set()
    for name in names - {""}:
        if "." in name or _appends(loop.body, name) > 1:
            continue
        elsewhere = False
        for st in ir.walk_stmts(scope.body):
            if id(st) in inside or st is loop:
                continue
            if _adds_to(st, name):
                elsewhere = True
            if isinstance(st, ir.Assign) and any(ir.dotted(t) == name for t in st.targets):
                if st.op is not None or not (isinstance(st.value, ir.Seq) and not st.value.elts):
                    elsewhere = True
        if not elsewhere:
            out.add(name)
    return out


def _appends(block: tuple[ir.Stmt, ...], name: str) -> int:
    """The most items one run of `block` can add to `name` (99: any number, in a loop)."""
    n = 0
    for st in block:
        if isinstance(st, (ir.For, ir.While)):
            if any(_adds_to(x, name) for b in ir.child_blocks(st) for x in ir.walk_stmts(b)):
                return 99
        elif isinstance(st, ir.If):
            n += max(_appends(st.body, name), _appends(st.orelse, name))
        elif isinstance(st, ir.Try):
            # an exception in the body's last statement leaves before that one appended
            done = _appends(st.body, name) + _appends(st.orelse, name)
            failed = _appends(st.body[:-1], name) + max(
                (_appends(h.body, name) for h in st.handlers), default=0
            )
            n += max(done, failed) + _appends(st.finalbody, name)
        elif isinstance(st, ir.With):
            n += _appends(st.body, name)
        elif isinstance(st, ir.Match):
            n += max((_appends(c.body, name) for c in st.cases), default=0)
        else:
            n += _adds_to(st, name)
    return n


def _adds_to(st: ir.Stmt, name: str) -> int:
    """How many items the statement itself (not a nested block) adds to the list `name`:
    one for `append`/`insert`, any number (99) for `extend` and `+=`."""
    if isinstance(st, ir.Assign) and st.op == "+":
        return 99 if any(ir.dotted(t) == name for t in st.targets) else 0
    n = 0
    for e in ir.stmt_exprs(st):
        for x in ir.walk_expr(e):
            if (
                isinstance(x, ir.Call)
                and isinstance(x.func, ir.Attr)
                and ir.dotted(x.func.value) == name
            ):
                n += {"append": 1, "insert": 1, "extend": 99}.get(x.func.attr, 0)
    return n
