"""What one function of a framework graph does with the graph's state.

A graph's pattern depends on data its nodes pass through shared state: a planner node
writes a list the workers walk through, an evaluator writes a grade a path function reads.
`fn_facts` reads that off a node, path or flow-method function: the state keys it reads
and writes (model output or not), whether it calls a model and how often, whether it
runs the model's tool calls, and whether it compares a counter with a limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.nodes import STOP_FIELDS
from analyzer.classify.taint import Taint, target_names

_ORDER_OPS = frozenset({"<", ">", "<=", ">="})


@dataclass
class FnFacts:
    nodes: tuple[str, ...] = ()  # call-graph node ids read (the function and its helpers)
    model: bool = False
    calls: int | None = 0  # model calls per run of the function, None when not static
    writes_model: frozenset[str] = frozenset()  # state keys that receive model output
    writes: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    reads_collection: frozenset[str] = frozenset()  # iterated, indexed or measured
    stop_field: bool = False  # reads the model's tool calls / stop reason
    dispatches_tools: bool = False  # runs the tool calls of a model message
    counter: str = ""  # a comparison of a count with a fixed limit
    counter_keys: frozenset[str] = frozenset()  # state keys that comparison reads
    returns: tuple[ir.Expr, ...] = ()
    reads_unknown: bool = False
    interactive: bool = False  # waits for a person (`input()`)
    line: int = 0
    extra: dict = field(default_factory=dict)


class FnReader:
    """Reads `FnFacts` for call-graph nodes (memoised)."""

    def __init__(self, cg, kb, is_unit: Callable[[str], bool]) -> None:
        self.cg = cg
        self.kb = kb
        self.is_unit = is_unit
        self._memo: dict[tuple[str, bool], FnFacts] = {}
        self._calls: dict[str, int | None] = {}

    def scope(self, node: str) -> tuple[ir.ModuleFacts, ir.Scope] | None:
        try:
            return self.cg.scope(node)
        except (KeyError, LookupError):
            return None

    def model_site(self, path: str, call: ir.Call):
        for t in self.cg.targets(path, call.cid):
            if t.kind == "external":
                spec = self.kb.model_call(t.name)
                if spec is not None:
                    return spec
        return None

    def unit_callees(self, path: str, call: ir.Call) -> list[str]:
        return [
            t.name
            for t in self.cg.targets(path, call.cid)
            if t.kind == "internal" and self.is_unit(t.name)
        ]

    def helpers(self, path: str, call: ir.Call) -> list[str]:
        return [t.name for t in self.cg.targets(path, call.cid) if t.kind == "internal"]

    # ---------------------------------------------------------------- facts

    def facts(self, node: str, *, with_helpers: bool = False) -> FnFacts:
        key = (node, with_helpers)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = FnFacts(nodes=(node,))
        got = self.scope(node)
        if got is None:
            return self._memo[key]
        mf, sc = got
        f = self._read(node, mf, sc)
        if with_helpers:
            for call in ir.scope_calls(sc):
                for h in self.helpers(mf.path, call):
                    if h == node or self.is_unit(h):
                        continue
                    hf = self.facts(h, with_helpers=False)
                    f.nodes = (*f.nodes, *[n for n in hf.nodes if n not in f.nodes])
                    f.reads |= hf.reads
                    f.reads_collection |= hf.reads_collection
                    f.stop_field = f.stop_field or hf.stop_field
                    f.interactive = f.interactive or hf.interactive
                    if not f.counter and hf.counter:
                        f.counter, f.counter_keys = hf.counter, hf.counter_keys
        self._memo[key] = f
        return f

    def _read(self, node: str, mf: ir.ModuleFacts, sc: ir.Scope) -> FnFacts:
        path = mf.path
        params = [p.name for p in sc.params if p.name not in ("self", "cls")]
        state = params[0] if params else None

        def is_source(c):
            return self.model_site(path, c) is not None or bool(self.unit_callees(path, c))

        taint = _control_taint(sc, is_source)
        aliases = _state_aliases(sc, state)
        f = FnFacts(nodes=(node,), line=sc.loc.line)
        f.model = self.is_unit(node)
        f.calls = self.calls(node)
        reads: set[str] = set()
        coll: set[str] = set()
        writes: set[str] = set()
        writes_model: set[str] = set()
        returns: list[ir.Expr] = []
        returns_state = state is not None and any(
            isinstance(s, ir.Return) and isinstance(s.value, ir.Name) and s.value.id == state
            for s in ir.walk_stmts(sc.body)
        )
        for s in ir.walk_stmts(sc.body):
            for e in ir.stmt_exprs(s):
                if not f.stop_field and ir.reads_member(e, STOP_FIELDS):
                    f.stop_field = True
                for x in ir.walk_expr(e):
                    k = _state_key(x, state)
                    if k is not None:
                        reads.add(k)
                    coll |= _collection_use(x, state, aliases)
                    if isinstance(x, ir.Call) and ir.dotted(x.func) == "input":
                        f.interactive = True
            if isinstance(s, ir.For):
                coll |= _keys_of(s.iter, state, aliases)
                if _reads_tool_calls(s.iter):
                    f.dispatches_tools = True
            if isinstance(s, ir.Return) and s.value is not None:
                returns.append(s.value)
                for kx, v in _returned_items(sc, s.value):
                    writes.add(kx)
                    if taint.expr(v) and not isinstance(v, ir.Seq):
                        writes_model.add(kx)
            if isinstance(s, ir.Assign) and s.value is not None:
                for t in s.targets:
                    k = _self_state_key(t)
                    if k is None and returns_state and isinstance(t, (ir.Subscript, ir.Attr)):
                        # `state["k"] = v; return state`: the node's update is its state
                        k = _state_key(t, state)
                    if k is not None:
                        writes.add(k)
                        if taint.expr(s.value) and not isinstance(s.value, ir.Seq):
                            writes_model.add(k)
            if isinstance(s, (ir.If, ir.While, ir.Return)):
                exprs = [s.test] if isinstance(s, (ir.If, ir.While)) else [s.value]
                for e in exprs:
                    c = _counter(e, mf, sc) if e is not None else None
                    if c and not f.counter:
                        f.counter = c[0]
                        f.counter_keys = frozenset(c[1])
        f.reads = frozenset(reads)
        f.reads_collection = frozenset(coll)
        f.writes = frozenset(writes)
        f.writes_model = frozenset(writes_model)
        f.returns = tuple(returns)
        return f

    def calls(self, node: str, depth: int = 0) -> int | None:
        """Model calls one run of `node` makes: sites counted once, a site in a loop whose
        length is not a literal makes it unbounded, framework runs are not static."""
        if node in self._calls:
            return self._calls[node]
        self._calls[node] = 0
        got = self.scope(node)
        if got is None or depth > 6:
            return 0
        mf, sc = got
        total: int | None = 0
        for call, times in _calls_with_repeat(sc.body):
            spec = self.model_site(mf.path, call)
            n: int | None = 0
            if spec is not None:
                # a chain is one request; agents, crews and graphs run model-owned turns
                n = None if spec.kind == "framework_run" and ".chain." not in spec.api else 1
            else:
                subs = [self.calls(u, depth + 1) for u in self.unit_callees(mf.path, call)]
                if subs:
                    n = None if any(v is None for v in subs) else max(subs)  # type: ignore[type-var]
            if n is None or (times is None and n):
                total = None
                break
            total += n * (times or 1)  # type: ignore[operator]
        self._calls[node] = total
        return total


# -------------------------------------------------------------------- helpers


def _control_taint(sc: ir.Scope, is_source) -> Taint:
    """Model-output taint plus names assigned under a branch that tests model output
    (`if grade == "no": web_search = "Yes"` makes web_search depend on the model)."""
    seeded: frozenset[str] = frozenset()
    taint = Taint(sc, is_source)
    for _ in range(3):
        extra = set(taint.names)
        for s in ir.walk_stmts(sc.body):
            if isinstance(s, ir.If) and taint.expr(s.test):
                for inner in ir.walk_stmts(s.body + s.orelse):
                    if isinstance(inner, ir.Assign):
                        for t in inner.targets:
                            extra.update(target_names(t))
        if frozenset(extra) == seeded:
            break
        seeded = frozenset(extra)
        taint = Taint(sc, is_source, seeded)
    return taint


def _state_key(x: ir.Expr, state: str | None) -> str | None:
    """`state["k"]`, `state.get("k")`, `state.k`, `self.state.k`, `self.state["k"]`."""
    if isinstance(x, ir.Subscript) and isinstance(x.index, ir.Const):
        if _is_state(x.value, state) and isinstance(x.index.value, str):
            return x.index.value
    if isinstance(x, ir.Call) and isinstance(x.func, ir.Attr) and x.func.attr == "get":
        if _is_state(x.func.value, state) and x.args and isinstance(x.args[0].value, ir.Const):
            v = x.args[0].value.value
            return v if isinstance(v, str) else None
    if isinstance(x, ir.Attr) and _is_state(x.value, state) and x.attr != "get":
        return x.attr
    return None


def _is_state(e: ir.Expr, state: str | None) -> bool:
    if state is not None and isinstance(e, ir.Name) and e.id == state:
        return True
    return ir.dotted(e) == "self.state"


def _returned_items(sc: ir.Scope, value: ir.Expr) -> list[tuple[str, ir.Expr]]:
    """(key, value) pairs a node's return statement hands back as its update: a dict
    literal, or a local dict built in the node (`out = {"k": v}; out["m"] = w; return out`)."""
    if isinstance(value, ir.Dict):
        return [
            (k.value, v)
            for k, v in zip(value.keys, value.values, strict=False)
            if isinstance(k, ir.Const) and isinstance(k.value, str)
        ]
    if not isinstance(value, ir.Name):
        return []
    out: list[tuple[str, ir.Expr]] = []
    for st in ir.walk_stmts(sc.body):
        if not isinstance(st, ir.Assign) or st.value is None:
            continue
        for t in st.targets:
            if isinstance(t, ir.Name) and t.id == value.id and isinstance(st.value, ir.Dict):
                out += _returned_items(sc, st.value)
            if (
                isinstance(t, ir.Subscript)
                and isinstance(t.value, ir.Name)
                and t.value.id == value.id
                and isinstance(t.index, ir.Const)
                and isinstance(t.index.value, str)
            ):
                out.append((t.index.value, st.value))
    return out


def _self_state_key(t: ir.Expr) -> str | None:
    if isinstance(t, ir.Attr) and ir.dotted(t.value) == "self.state":
        return t.attr
    if isinstance(t, ir.Subscript) and ir.dotted(t.value) == "self.state":
        if isinstance(t.index, ir.Const) and isinstance(t.index.value, str):
            return t.index.value
    return None


def _state_aliases(sc: ir.Scope, state: str | None) -> dict[str, str]:
    """Local names bound to one state key (`plan = state["plan"]`)."""
    out: dict[str, str] = {}
    for s in ir.walk_stmts(sc.body):
        if isinstance(s, ir.Assign) and s.value is not None and len(s.targets) == 1:
            k = _state_key(s.value, state)
            if k is not None and isinstance(s.targets[0], ir.Name):
                out[s.targets[0].id] = k
    return out


def _keys_of(e: ir.Expr, state: str | None, aliases: dict[str, str]) -> set[str]:
    """State keys `e` denotes as a whole (the key itself or a local alias of it)."""
    k = _state_key(e, state)
    if k is not None:
        return {k}
    if isinstance(e, ir.Name) and e.id in aliases:
        return {aliases[e.id]}
    if isinstance(e, ir.Subscript) and isinstance(e.index, ir.Slice):
        return _keys_of(e.value, state, aliases)
    if isinstance(e, ir.Call) and ir.dotted(e.func) in ("enumerate", "list", "reversed", "zip"):
        out: set[str] = set()
        for a in e.args:
            out |= _keys_of(a.value, state, aliases)
        return out
    return set()


def _collection_use(x: ir.Expr, state: str | None, aliases: dict[str, str]) -> set[str]:
    """Keys used as a collection: iterated by a comprehension, indexed by a position,
    measured with len()."""
    if isinstance(x, ir.Comp):
        out: set[str] = set()
        for g in x.generators:
            out |= _keys_of(g.iter, state, aliases)
        return out
    if isinstance(x, ir.Call) and ir.dotted(x.func) == "len" and x.args:
        return _keys_of(x.args[0].value, state, aliases)
    if isinstance(x, ir.Subscript) and not (
        isinstance(x.index, ir.Const) and isinstance(x.index.value, str)
    ):
        if isinstance(x.index, ir.Const) and x.index.value == -1:
            return set()  # the last message: a conversation, not a plan
        return _keys_of(x.value, state, aliases)
    return set()


def _reads_tool_calls(e: ir.Expr) -> bool:
    return any(
        (isinstance(x, ir.Attr) and x.attr in ("tool_calls", "function_call"))
        or (
            isinstance(x, ir.Subscript)
            and isinstance(x.index, ir.Const)
            and x.index.value == "tool_calls"
        )
        for x in ir.walk_expr(e)
    )


def _int_const(e: ir.Expr, mf: ir.ModuleFacts, sc: ir.Scope) -> int | None:
    if isinstance(e, ir.Const) and isinstance(e.value, int) and not isinstance(e.value, bool):
        return e.value
    if isinstance(e, ir.Name):
        for s in mf.scopes:
            if s.kind != "module":
                continue
            for st in s.body:
                if isinstance(st, ir.Assign) and st.op is None and isinstance(st.value, ir.Const):
                    if any(isinstance(t, ir.Name) and t.id == e.id for t in st.targets):
                        v = st.value.value
                        if isinstance(v, int) and not isinstance(v, bool):
                            return v
    return None


def _counter(e: ir.Expr, mf: ir.ModuleFacts, sc: ir.Scope) -> tuple[str, set[str]] | None:
    """`len(state["messages"]) > 6`, `self.state.retry_count > 3`, `n > MAX`."""
    params = [p.name for p in sc.params if p.name not in ("self", "cls")]
    state = params[0] if params else None
    for x in ir.walk_expr(e):
        if not isinstance(x, ir.Compare) or len(x.ops) != 1 or x.ops[0] not in _ORDER_OPS:
            continue
        left, right = x.left, x.comparators[0]
        for side, other in ((left, right), (right, left)):
            limit = _int_const(other, mf, sc)
            if limit is None or limit <= 0 or _int_const(side, mf, sc) is not None:
                continue
            keys: set[str] = set()
            is_len = isinstance(side, ir.Call) and ir.dotted(side.func) == "len"
            if not is_len:
                for y in ir.walk_expr(side):
                    k = _state_key(y, state)
                    if k is not None:
                        keys.add(k)
            text = f"{_text(side)} {x.ops[0]} {_text(other)}"
            return text, keys
    return None


def _text(e: ir.Expr) -> str:
    from analyzer.classify.consts import expr_text

    if isinstance(e, ir.Call) and ir.dotted(e.func) == "len" and e.args:
        return f"len({expr_text(e.args[0].value)})"
    return expr_text(e)


def _calls_with_repeat(body: tuple[ir.Stmt, ...], times: int | None = 1):
    """Every call in `body` with how often one run evaluates it (None: not static)."""
    for s in body:
        if isinstance(s, ir.For):
            n = _literal_len(s.iter)
            inner = None if times is None or n is None else times * n
            for e in ir.stmt_exprs(s):
                yield from _expr_calls(e, times)
            yield from _calls_with_repeat(s.body, inner)
            yield from _calls_with_repeat(s.orelse, times)
            continue
        if isinstance(s, ir.While):
            yield from _expr_calls(s.test, None)
            yield from _calls_with_repeat(s.body, None)
            continue
        for e in ir.stmt_exprs(s):
            yield from _expr_calls(e, times)
        for block in ir.child_blocks(s):
            yield from _calls_with_repeat(block, times)


def _expr_calls(e: ir.Expr, times: int | None):
    if isinstance(e, ir.Comp):
        n = _literal_len(e.generators[0].iter) if e.generators else None
        inner = None if times is None or n is None else times * n
        for g in e.generators:
            yield from _expr_calls(g.iter, times)
        if e.key is not None:
            yield from _expr_calls(e.key, inner)
        yield from _expr_calls(e.elt, inner)
        return
    if isinstance(e, ir.Call):
        yield e, times
    for c in ir.iter_child_exprs(e):
        yield from _expr_calls(c, times)


def _literal_len(e: ir.Expr) -> int | None:
    if isinstance(e, ir.Seq):
        return len(e.elts)
    if isinstance(e, ir.Call) and ir.dotted(e.func) == "range":
        vals = [a.value for a in e.args]
        if len(vals) == 1 and isinstance(vals[0], ir.Const) and isinstance(vals[0].value, int):
            return max(vals[0].value, 0)
    return None
