"""The shape of one scope: its model-reaching call sites inside loops, branches and fan-outs.

The walker keeps only structure that contains a *site* (a model call or a call into a
unit), and records on each loop what decides whether it goes on: exits and the conditions
guarding them, counters, tool dispatch chosen by model output. Pattern, stop condition and
call bound are then read off this small tree by pure functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.taint import Taint, target_names

# External concurrency APIs (by last name, under these roots) that run their arguments
# concurrently.
_CONCURRENT_ROOTS = ("asyncio", "concurrent", "multiprocessing", "threading", "anyio", "trio")
_CONCURRENT_NAMES = frozenset(
    {
        "gather",
        "wait",
        "as_completed",
        "create_task",
        "ensure_future",
        "submit",
        "map",
        "imap",
        "imap_unordered",
        "starmap",
        "map_async",
        "apply_async",
        "run_in_executor",
        "to_thread",
        "Thread",
        "Process",
        "start_soon",
        "run_sync",
    }
)
_RUNS_COROUTINE = frozenset({"run", "run_until_complete", "run_coroutine_threadsafe"})
_USER_INPUT = frozenset({"input", "raw_input"})
# Library calls that wait for a person to type something (prompts of CLI and UI kits).
_ASKS = (
    "rich.prompt.",
    "click.prompt",
    "click.confirm",
    "typer.prompt",
    "typer.confirm",
    "getpass.getpass",
    "questionary.",
    "prompt_toolkit.prompt",
    "prompt_toolkit.shortcuts.prompt",
    "prompt_toolkit.PromptSession.prompt",
    "streamlit.chat_input",
    "gradio.",
)
_FANOUT_VIAS = frozenset({"executor", "task", "thread"})
_TIME_CALLS = frozenset({"time", "monotonic", "perf_counter", "now", "utcnow", "time_ns"})
_INFINITE_ITERS = frozenset({"count", "cycle", "repeat"})
# Response fields with which SDKs say why the model stopped (an SDK's API, not a project name).
STOP_FIELDS = frozenset({"stop_reason", "finish_reason", "tool_calls", "function_call"})


@dataclass
class Site:
    call: ir.Call
    kind: str  # "model" | "unit"
    api: str = ""
    model_kind: str = ""  # "model" | "framework_run"
    callee: str = ""  # the canonical external name, for model sites
    units: tuple[str, ...] = ()
    args_tainted: bool = False
    tools_offered: bool = False
    in_fanout: bool = False
    fanout_via_callback: bool = False
    selected_by_model: int = 0  # line where model output picked the prompt/handler it uses
    is_async: bool = False  # calling it makes a coroutine that runs when awaited or gathered
    fanout: bool = False  # a framework run of concurrent branches (RunnableParallel)
    ctor: ir.Call | None = None  # for framework runs: the call that built what is run
    path: str = ""  # the file of the call (and of `ctor`)
    ctor_tools: bool = False  # tools were attached to that object by decorators
    hands_off: bool = False  # the agent run can hand the conversation to other agents

    @property
    def line(self) -> int:
        return self.call.loc.line


@dataclass
class Exit:
    kind: str  # "break" | "return" | "raise"
    line: int
    tainted: bool  # guarded by a condition on model output
    counter: bool  # guarded by a comparison of a counter or a clock
    stop_field: bool  # the guard reads an SDK stop field (stop_reason, tool_calls, ...)
    in_try_body: bool = False
    in_handler: bool = False
    guards: tuple[ir.Expr, ...] = ()  # the conditions under which the exit is taken
    checked: bool = False  # decided by the developer's own check of model output


@dataclass
class Dispatch:
    line: int
    key_tainted: bool
    reason: str
    reaches_model: bool = True  # what it picks makes model calls (not a plain tool)


@dataclass
class Node:
    kind: str  # "seq" | "site" | "loop" | "branch" | "fan" | "try"
    loc: ir.Loc = ir.NOLOC
    children: list[Node] = field(default_factory=list)
    site: Site | None = None
    # loops
    loop_kind: str = ""  # "for" | "while" | "comp"
    iterable: ir.Expr | None = None
    loop_target: ir.Expr | None = None
    tainted_iter: bool = False
    infinite: bool = False
    exits: list[Exit] = field(default_factory=list)
    dispatch: list[Dispatch] = field(default_factory=list)
    counters: set[str] = field(default_factory=set)
    while_test: ir.Expr | None = None
    test_tainted: bool = False
    test_counter: bool = False
    stop_field_read: bool = False
    optional_limit: bool = False  # a counter limit that is None on some path
    changed: set[str] = field(default_factory=set)  # names rebound or mutated in the body
    retry_try: bool = False  # a try around a site whose handler goes round again
    interactive: bool = False  # each round waits for a person (`input()`): judged per turn
    # branches
    tainted_test: bool = False
    has_default: bool = False
    arm_calls: int = 0
    # fan-out
    fan_api: str = ""

    def loops(self) -> list[Node]:
        """Every loop node in this tree (this node included), outermost first."""
        out: list[Node] = []
        stack = [self]
        while stack:
            n = stack.pop()
            if n.kind == "loop":
                out.append(n)
            stack.extend(reversed(n.children))
        return out

    def sites(self) -> list[Site]:
        out: list[Site] = []
        stack = [self]
        while stack:
            n = stack.pop()
            if n.site is not None:
                out.append(n.site)
            stack.extend(reversed(n.children))
        return out


class ShapeBuilder:
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
                                return any(
                                    isinstance(a.value, ir.Name) and a.value.id in loop.counters
                                    for a in x.args
                                )
        return False

    def for_loop(self, s: ir.For) -> Node | None:
        head = self.expr(s.iter)
        loop = Node(
            "loop",
            s.loc,
            loop_kind="for",
            iterable=s.iter,
            loop_target=s.target,
            tainted_iter=self._model_sized(s.iter),
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

    def _maybe_branch_dispatch(self, branch: Node, test: ir.Expr, bodies) -> None:
        """Inside a loop, branching on model output to call different functions is tool
        dispatch written out by hand (`if call.name == "search": search(**args)`)."""
        if not self.loops or not branch.tainted_test:
            return
        called = [_called_names(b) for b in bodies]
        non_empty = [c for c in called if c]
        if len(non_empty) >= 2 and len({frozenset(c) for c in non_empty}) >= 2:
            if any(
                isinstance(x, ir.Const) and isinstance(x.value, str) for x in ir.walk_expr(test)
            ):
                self.loops[-1].dispatch.append(
                    Dispatch(test.loc.line, True, "branches on a model-given name to call a tool")
                )

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

    def _model_sized(self, e: ir.Expr | None) -> bool:
        """The model decided how many items iterating `e` yields (a parsed plan, tool calls).
        Iterating a model call itself, or the stream it returned, reads the chunks of one
        answer: no collection of subtasks."""
        if e is None or not self.taint.expr(e) or self.taint.sized_by_developer(e):
            return False
        return not self._is_stream(e)

    def _is_stream(self, e: ir.Expr) -> bool:
        if isinstance(e, ir.Await):
            e = e.value
        if isinstance(e, ir.Name):
            e = self.assigned.get(e.id)
        if not isinstance(e, ir.Call):
            return False
        site = self.site_of(e)
        return site is not None and site.kind == "model"

    def _picks_by_model(self, e: ir.Expr) -> bool:
        """`routes[label]` or `routes.get(label)`: a developer's table indexed by model output."""
        if isinstance(e, ir.Subscript):
            return self.taint.expr(e.index) and not self.taint.expr(e.value)
        if isinstance(e, ir.Call) and isinstance(e.func, ir.Attr) and e.func.attr == "get":
            key = e.arg(0)
            return key is not None and self.taint.expr(key) and not self.taint.expr(e.func.value)
        return False

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

    def note_dispatch(self, c: ir.Call, targets: list, reaches_model: bool = True) -> None:
        """Record a call whose target was chosen by a runtime value, by whom, and whether
        what it picks makes model calls (a handler or prompt) or not (a plain tool)."""
        reason = ""
        key_tainted = False
        dynamic = [t for t in targets if getattr(t, "dynamic", False)]
        if dynamic:
            key = getattr(dynamic[0], "key", None)
            key_tainted = self.taint.expr(key) if key is not None else False
            reason = "calls a function looked up by a runtime key"
            self._note_param_key(key)
        elif _callable_from_model(c.func, self.taint):
            key_tainted = True
            reason = "calls a function chosen from model output"
        elif _getattr_call(c.func) is not None:
            key = _getattr_call(c.func)
            key_tainted = self.taint.expr(key)
            reason = "calls getattr(obj, name) with a runtime name"
            self._note_param_key(key)
        else:
            for p in self.dispatch_params(c):
                arg = c.arg(p if isinstance(p, int) else -1, p if isinstance(p, str) else None)
                if arg is not None and self.taint.expr(arg):
                    key_tainted = True
                    reason = "passes a model-given name to a function that dispatches on it"
                    break
                if isinstance(arg, ir.Name) and arg.id in self.param_names:
                    self.dispatch_on_params.add(arg.id)
        if reason and self.loops:
            self.loops[-1].dispatch.append(Dispatch(c.loc.line, key_tainted, reason))
        elif reason:
            self.top_dispatch.append(Dispatch(c.loc.line, key_tainted, reason, reaches_model))

    def _note_param_key(self, key: ir.Expr | None) -> None:
        if key is None:
            return
        for x in ir.walk_expr(key):
            if isinstance(x, ir.Name) and x.id in self.param_names:
                self.dispatch_on_params.add(x.id)


# -------------------------------------------------------------------- helpers


def _prune(seq: Node) -> Node | None:
    if not seq.children:
        return None
    if len(seq.children) == 1 and seq.kind == "seq":
        return seq.children[0]
    return seq


def _branches(ctor: ir.Call | None) -> ir.Expr | None:
    """The branches a parallel runnable was built with, as a list expression."""
    if ctor is None:
        return None
    values = [a.value for a in ctor.args if a.kw not in (None, "*", "**")]
    first = ctor.arg(0)
    if isinstance(first, ir.Dict):
        values += list(first.values)
    return ir.Seq("list", tuple(values), ctor.loc) if values else None


_PICKS_ONE = frozenset({"max", "min", "Counter", "most_common", "mode", "multimode", "argmax"})


def _picks_one(c: ir.Call) -> bool:
    """`max(answers, key=score)`, `Counter(votes)`: one answer chosen among several."""
    name = (ir.dotted(c.func) or "").rsplit(".", 1)[-1]
    if isinstance(c.func, ir.Attr) and not name:
        name = c.func.attr
    if name in ("max", "min", "argmax"):
        return c.kwarg("key") is not None  # best by a score, not the largest of numbers
    return name in _PICKS_ONE


def _asks_a_person(name: str) -> bool:
    return name.startswith(_ASKS)


def asks_a_person(c: ir.Call, ext: list[str]) -> bool:
    """The call waits for a person to type: `input()`, a CLI/UI prompt, or either handed
    to a thread (`asyncio.to_thread(input, "> ")`, `loop.run_in_executor(None, input)`)."""
    if isinstance(c.func, ir.Name) and c.func.id in _USER_INPUT:
        return True
    if any(_asks_a_person(n) for n in ext):
        return True
    if any(n.rsplit(".", 1)[-1] in ("to_thread", "run_in_executor", "run_sync") for n in ext):
        return any(isinstance(a.value, ir.Name) and a.value.id in _USER_INPUT for a in c.args)
    return False


def _is_batch(site: Site) -> bool:
    """LangChain-style `.batch(inputs)`: one request per input, run concurrently."""
    return site.callee.rsplit(".", 1)[-1] in ("batch", "abatch", "batch_as_completed")


def _is_concurrent(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in _CONCURRENT_ROOTS and parts[-1] in _CONCURRENT_NAMES


def _is_map_call(c: ir.Call, ext: list[str]) -> bool:
    last = c.func.attr if isinstance(c.func, ir.Attr) else ""
    return last in ("map", "imap", "imap_unordered", "starmap", "map_async") or any(
        n.rsplit(".", 1)[-1] in ("map", "imap", "imap_unordered") for n in ext
    )


def _is_infinite_iter(e: ir.Expr) -> bool:
    if isinstance(e, ir.Call):
        name = ir.dotted(e.func) or ""
        return name.rsplit(".", 1)[-1] in _INFINITE_ITERS and name.split(".")[0] in (
            "itertools",
            "count",
            "cycle",
            "repeat",
        )
    return False


def _callable_from_model(func: ir.Expr, taint: Taint) -> bool:
    """`fn(...)` where `fn` was picked by model output, or `TOOLS[name](...)` with a
    model-given `name` (a method call on model output, `resp.json()`, is not dispatch)."""
    if isinstance(func, ir.Name):
        return func.id in taint
    if isinstance(func, ir.Subscript):
        return taint.expr(func.index)
    return False


def _getattr_call(func: ir.Expr) -> ir.Expr | None:
    if (
        isinstance(func, ir.Call)
        and isinstance(func.func, ir.Name)
        and func.func.id == "getattr"
        and len(func.args) >= 2
    ):
        return func.args[1].value
    return None


def _reads_stop_field(e: ir.Expr) -> bool:
    for x in ir.walk_expr(e):
        if isinstance(x, ir.Attr) and x.attr in STOP_FIELDS:
            return True
        if isinstance(x, ir.Subscript) and isinstance(x.index, ir.Const):
            if x.index.value in STOP_FIELDS:
                return True
        if isinstance(x, ir.Const) and x.value in ("tool_use", "end_turn", "tool_calls", "stop"):
            return True
    return False


def _is_counter_truthiness(test: ir.Expr, loop: Node) -> bool:
    """`while remaining:` where `remaining -= 1` in the body."""
    names = {ir.dotted(x) for x in ir.walk_expr(test) if isinstance(x, (ir.Name, ir.Attr))}
    return bool(names & loop.counters) and not any(
        isinstance(x, ir.Compare) for x in ir.walk_expr(test)
    )


def _compares(e: ir.Expr) -> bool:
    """A returned ordering comparison (`return i >= n`), alone or in an and/or."""
    alternatives = e.values if isinstance(e, ir.BoolOp) else (e,)
    return any(
        isinstance(a, ir.Compare) and a.ops and a.ops[0] in (">=", ">", "<", "<=")
        for a in alternatives
    )


def _caps_size(e: ir.Expr) -> bool:
    """`len(xs) >= 3`, alone or as one alternative of an `or`: true once a size is hit."""
    alternatives = e.values if isinstance(e, ir.BoolOp) and e.op == "or" else (e,)
    for alt in alternatives:
        if isinstance(alt, ir.Compare) and alt.ops and alt.ops[0] in (">=", ">", "=="):
            left, right = alt.left, alt.comparators[0]
            if (
                isinstance(left, ir.Call)
                and ir.dotted(left.func) == "len"
                and isinstance(right, ir.Const)
                and isinstance(right.value, int)
            ):
                return True
    return False


def is_attempt_loop(loop: Node) -> bool:
    """A loop that can only repeat the same work (`while`, `for _ in range(n)`), not one
    over data, where an except that carries on skips an item rather than retrying it."""
    if loop.loop_kind == "while":
        return True
    it = loop.iterable
    if isinstance(it, ir.Call):
        name = (ir.dotted(it.func) or "").rsplit(".", 1)[-1]
        return name in ("range", "count", "repeat", "Retrying", "AsyncRetrying")
    return False


def _always_leaves(body: tuple[ir.Stmt, ...]) -> bool:
    """The block ends in a return or raise on every path it takes to its end."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ir.Return, ir.Raise)):
        return True
    if isinstance(last, ir.If):
        return _always_leaves(last.body) and _always_leaves(last.orelse)
    return False


def _handler_goes_round(body: tuple[ir.Stmt, ...]) -> bool:
    """An except body that does not always leave the loop: on some path it tries again
    (`attempt += 1; if attempt >= N: raise` goes round until the counter says stop)."""
    for s in body:
        if isinstance(s, (ir.Raise, ir.Return)):
            return False
        if isinstance(s, ir.Jump) and s.kind == "break":
            return False
    return True


def _called_names(body: tuple[ir.Stmt, ...]) -> set[str]:
    out = set()
    for s in ir.walk_stmts(body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Call):
                    d = ir.dotted(x.func)
                    if d and not d.endswith(("append", "extend", "print", "get")):
                        out.add(d)
    return out
