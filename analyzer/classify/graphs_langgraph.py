"""Read LangGraph `StateGraph` builders into `Graph`s and key them by the calls that run them.

A builder is a `StateGraph(...)`/`MessageGraph(...)` value; its registration calls
(`add_node`, `add_edge`, `add_conditional_edges`, `add_sequence`, entry/finish points,
chained or not) are found through the call graph's resolved callees, in source order
(cells and Markdown blocks in order), so a name rebound to a new builder starts a new
graph. `compile()` results are tracked by the name or attribute they are stored in, and
the run calls (`invoke`, `stream`, ...) on them are the keys of the verdicts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.classify.consts import Resolver
from analyzer.classify.graphs import END, START, Cond, GNode, Graph, GraphVerdict, RunLimit, decide
from analyzer.classify.graphs_fn import FnFacts, FnReader, _keys_of, _state_aliases

_BUILDERS = ("langgraph.graph.StateGraph", "langgraph.graph.MessageGraph", "langgraph.graph.Graph")
_COMPILED = "langgraph.graph.state.CompiledStateGraph"
_RUNS = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch", "astream_events"})
_ADD = frozenset(
    {
        "add_node",
        "add_edge",
        "add_conditional_edges",
        "add_sequence",
        "set_entry_point",
        "set_finish_point",
        "set_conditional_entry_point",
    }
)


@dataclass
class _Builder:
    bid: int
    path: str
    line: int
    calls: list[tuple[str, ir.Call, ir.ModuleFacts]] = field(default_factory=list)


@dataclass
class _Env:
    """Where builders and compiled graphs are bound: (path, scope, text) -> ids in order."""

    builders: dict[tuple[str, str, str], list[tuple[tuple, int]]] = field(default_factory=dict)
    compiled: dict[tuple[str, str, str], list[tuple[tuple, int]]] = field(default_factory=dict)

    @staticmethod
    def find(table, path: str, scope: str, text: str, pos: tuple, cell) -> int | None:
        for key in ((path, scope, text), (path, "<module>", text)):
            rows = table.get(key, [])
            before = [bid for p, bid in rows if key[1] != "<module>" or _cell_ok(p, pos, cell)]
            if before:
                return before[-1]
        return None


def _cell_ok(bound_at: tuple, pos: tuple, cell) -> bool:
    """A module-level binding is visible from code at `pos` if it comes earlier (cells and
    Markdown blocks run in order; a function sees the module state of its own cell)."""
    return bound_at <= pos or (cell is not None and bound_at[0] <= cell)


def _pos(scope: ir.Scope, line: int) -> tuple:
    return (scope.cell if scope.cell is not None else -1, line)


class _GraphOf:
    """The `Graph` a builder makes: its nodes, edges and conditional routes, read off the
    builder calls `LangGraphReader` collected (`_on_<method>` per builder method)."""

    def graph(self, bid: int) -> Graph:
        if bid in self._graphs:
            return self._graphs[bid]
        b = self.builders[bid]
        g = Graph("langgraph", b.line)
        self._graphs[bid] = g
        for meth, c, mf in b.calls:
            getattr(self, f"_on_{meth}")(g, c, mf)
        return g

    def _name(self, e: ir.Expr | None) -> str | None:
        if e is None:
            return None
        if isinstance(e, ir.Const) and isinstance(e.value, str):
            return {"__start__": START, "__end__": END}.get(e.value, e.value)
        d = ir.dotted(e)
        if d is not None:
            last = d.rsplit(".", 1)[-1]
            if last == "START":
                return START
            if last == "END":
                return END
            return last
        return None

    def _on_add_node(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        first = c.arg(0, "node")
        value = c.arg(1, "action")
        if value is None:
            value, first = first, None
        name = self._name(first) if first is not None else self._name(value)
        if name is None:
            return
        node = GNode(name, c.loc.line)
        fns = [
            t.name
            for t in self.cg.targets(mf.path, c.cid)
            if t.kind == "internal" and t.name in self.cg.graph
        ]
        node.fns = tuple(fns)
        if fns:
            node.facts = self.fn.facts(fns[0])
        kinds = self._value_kinds(value, mf, c)
        if "tools" in kinds:
            node.kind = "tools"
        elif "agent" in kinds:
            node.kind = "agent"
        sub = kinds.get("graph")
        if sub is not None and sub not in (None,) and isinstance(sub, int):
            node.kind = "graph"
            node.inner = self.verdict(sub, RunLimit("default", "subgraph"))
        g.nodes[name] = node

    def _value_kinds(self, value: ir.Expr | None, mf: ir.ModuleFacts, at: ir.Call) -> dict:
        """What a node value is when it is no plain function: ToolNode, a prebuilt agent,
        a compiled graph."""
        out: dict = {}
        calls: list[ir.Call] = []
        if isinstance(value, ir.Call):
            calls.append(value)
        elif isinstance(value, ir.Name):
            bound = _assigned_call(mf, value.id, at)
            if bound is not None:
                calls.append(bound)
            bid = self.env.find(self.env.compiled, mf.path, "<module>", value.id, (10**9, 0), None)
            if bid is not None:
                out["graph"] = bid
        for call in calls:
            for n in self.ext(mf.path, call):
                spec = self.kb.construct(n)
                if spec is not None and spec.kind == "tools":
                    out["tools"] = True
                if spec is not None and spec.kind == "agent" and n.startswith("langgraph"):
                    out["agent"] = True
            bid = self.by_call.get((mf.path, call.cid))
            if bid is not None:
                out["graph"] = bid
        return out

    def _node_exists(self, g: Graph, name: str) -> None:
        if name not in (START, END) and name not in g.nodes:
            g.nodes[name] = GNode(name, g.line)

    def _on_add_edge(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        src, dst = c.arg(0, "start_key"), c.arg(1, "end_key")
        b = self._name(dst)
        if b is None:
            return
        if isinstance(src, ir.Seq):
            srcs = tuple(n for n in (self._name(x) for x in src.elts) if n is not None)
            g.joins.append((srcs, b))
            return
        a = self._name(src)
        if a is not None:
            g.edges.append((a, b, c.loc.line))

    def _on_add_sequence(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        seq = c.arg(0, "nodes")
        if not isinstance(seq, ir.Seq):
            return
        fns = [t.name for t in self.cg.targets(mf.path, c.cid) if t.kind == "internal"]
        names = []
        for x in seq.elts:
            if isinstance(x, ir.Seq) and len(x.elts) == 2:
                x = x.elts[0]
            n = self._name(x)
            if n is None:
                continue
            names.append(n)
            if n not in g.nodes:
                fn = next((f for f in fns if f.rsplit(".", 1)[-1].endswith(n)), None)
                node = GNode(n, c.loc.line, (fn,) if fn else ())
                if fn:
                    node.facts = self.fn.facts(fn)
                g.nodes[n] = node
        for a, b in itertools.pairwise(names):
            g.edges.append((a, b, c.loc.line))

    def _on_set_entry_point(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        n = self._name(c.arg(0, "key"))
        if n is not None:
            g.edges.append((START, n, c.loc.line))

    def _on_set_finish_point(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        n = self._name(c.arg(0, "key"))
        if n is not None:
            g.edges.append((n, END, c.loc.line))

    def _on_set_conditional_entry_point(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        self._cond(g, c, mf, START, c.arg(0, "path"), c.arg(1, "path_map"))

    def _on_add_conditional_edges(self, g: Graph, c: ir.Call, mf: ir.ModuleFacts) -> None:
        src = self._name(c.arg(0, "source"))
        if src is None:
            return
        self._cond(g, c, mf, src, c.arg(1, "path"), c.arg(2, "path_map"))

    def _cond(self, g, c: ir.Call, mf, src: str, path: ir.Expr | None, path_map) -> None:
        fns = [
            t.name
            for t in self.cg.targets(mf.path, c.cid)
            if t.kind == "internal" and t.name in self.cg.graph
        ]
        facts = self.fn.facts(fns[0], with_helpers=True) if fns else None
        cond = Cond(src, c.loc.line, ())
        cond.path = facts
        ext = _imported(mf, path)
        if ext is not None and self.kb.canonical(ext) == "langgraph.prebuilt.tools_condition":
            cond.tools_route = True
            cond.targets = ("tools", END)
        elif facts is not None:
            cond.tools_route = facts.stop_field
            targets, send, keys, cap = self._returns(fns[0], facts)
            cond.targets, cond.send, cond.send_keys = targets, send, keys
            cond.send_cap = cap
        # a path function that fans out with Send goes where its Sends (and the names it
        # returns) go; a path map only lists where it might
        if not (cond.send and cond.targets):
            if isinstance(path_map, ir.Dict):
                names = (self._name(v) for v in path_map.values)
                cond.targets = tuple(n for n in names if n is not None)
            elif isinstance(path_map, ir.Seq):
                names = (self._name(v) for v in path_map.elts)
                cond.targets = tuple(n for n in names if n is not None)
        g.conds.append(cond)

    def _returns(
        self, node: str, facts: FnFacts
    ) -> tuple[tuple[str, ...], bool, frozenset, int | None]:
        """Where a path function sends the run: returned names, END, `Send` fan-out."""
        got = self.fn.scope(node)
        if got is None:
            return (), False, frozenset(), None
        mf, sc = got
        targets: list[str] = []
        send = False
        for r in facts.returns:
            for x in _alternatives(r):
                if isinstance(x, (ir.Call, ir.Comp, ir.Seq)):
                    for y in ir.walk_expr(x):
                        if isinstance(y, ir.Call) and any(
                            n == "langgraph.types.Send" for n in self.ext(mf.path, y)
                        ):
                            send = True
                            t = self._name(y.arg(0, "node"))
                            if t is not None and t not in targets:
                                targets.append(t)
                    continue
                n = self._name(x)
                if (n is not None and isinstance(x, ir.Const)) or n in (END, START):
                    if n not in targets:
                        targets.append(n)  # type: ignore[arg-type]
        if sc.returns is not None:
            for y in ir.walk_expr(sc.returns):
                n = self._name(y) if isinstance(y, ir.Const) or ir.dotted(y) else None
                if isinstance(y, ir.Const) and n is not None and n not in targets:
                    targets.append(n)
        keys: set[str] = set()
        caps: list[int | None] = []
        if send:
            params = [p.name for p in sc.params if p.name not in ("self", "cls")]
            state = params[0] if params else None
            aliases = _state_aliases(sc, state)
            resolver = Resolver(mf, sc)
            for s in ir.walk_stmts(sc.body):
                if isinstance(s, ir.For):
                    keys |= _keys_of(s.iter, state, aliases)
                    caps.append(resolver.length(s.iter)[0])
                for e in ir.stmt_exprs(s):
                    for x in ir.walk_expr(e):
                        if isinstance(x, ir.Comp):
                            for gen in x.generators:
                                keys |= _keys_of(gen.iter, state, aliases)
                                caps.append(resolver.length(gen.iter)[0])
        cap = max(caps) if caps and all(c is not None for c in caps) else None  # type: ignore[type-var]
        return tuple(targets), send, frozenset(keys), cap


class LangGraphReader(_GraphOf):
    def __init__(self, project, cg, kb, is_unit: Callable[[str], bool]) -> None:
        self.project = project
        self.cg = cg
        self.kb = kb
        self.fn = FnReader(cg, kb, is_unit)
        self.env = _Env()
        self.builders: dict[int, _Builder] = {}
        self.by_call: dict[tuple[str, int], int] = {}  # builder-method call -> builder
        self.runs: list[tuple[ir.ModuleFacts, ir.Scope, ir.Call]] = []
        self._verdicts: dict[int, GraphVerdict] = {}
        self._graphs: dict[int, Graph] = {}

    def ext(self, path: str, call: ir.Call) -> list[str]:
        return [
            self.kb.canonical(t.name)
            for t in self.cg.targets(path, call.cid)
            if t.kind == "external"
        ]

    # ---------------------------------------------------------------- collection

    def collect(self) -> None:
        scopes = []
        for mf in self.project.modules:
            for sc in mf.scopes:
                if sc.kind in ("module", "function"):
                    scopes.append((0 if sc.kind == "module" else 1, mf, sc))
        scopes.sort(key=lambda t: (t[0], t[1].path, _pos(t[2], t[2].loc.line)))
        for _, mf, sc in scopes:
            self._scan(mf, sc)

    def _scan(self, mf: ir.ModuleFacts, sc: ir.Scope) -> None:
        scope_key = sc.qualname if sc.kind == "function" else "<module>"
        for s in ir.walk_stmts(sc.body):
            for e in ir.stmt_exprs(s):
                for x in _calls_inner_first(e):
                    self._call(mf, sc, scope_key, x)
            if isinstance(s, ir.Assign) and s.value is not None:
                self._bind(mf, sc, scope_key, s)

    def _call(self, mf: ir.ModuleFacts, sc: ir.Scope, scope_key: str, c: ir.Call) -> None:
        names = self.ext(mf.path, c)
        if any(n in _BUILDERS for n in names):
            bid = len(self.builders)
            self.builders[bid] = _Builder(bid, mf.path, c.loc.line)
            self.by_call[(mf.path, c.cid)] = bid
            return
        for n in names:
            owner, _, meth = n.rpartition(".")
            if owner in _BUILDERS and (meth in _ADD or meth == "compile"):
                bid = self._receiver(mf, sc, scope_key, c, self.env.builders)
                if bid is None:
                    return
                self.by_call[(mf.path, c.cid)] = bid
                if meth != "compile":
                    self.builders[bid].calls.append((meth, c, mf))
                return
            if owner == _COMPILED and meth in _RUNS:
                self.runs.append((mf, sc, c))
                return

    def _receiver(self, mf, sc, scope_key, c: ir.Call, table) -> int | None:
        if not isinstance(c.func, ir.Attr):
            return None
        recv = c.func.value
        if isinstance(recv, ir.Call):
            return self.by_call.get((mf.path, recv.cid))
        text = ir.dotted(recv)
        if text is None:
            return None
        return self.env.find(table, mf.path, scope_key, text, _pos(sc, c.loc.line), sc.cell)

    def _bind(self, mf: ir.ModuleFacts, sc: ir.Scope, scope_key: str, s: ir.Assign) -> None:
        v = s.value
        if isinstance(v, ir.Await):
            v = v.value
        if not isinstance(v, ir.Call):
            return
        bid = self.by_call.get((mf.path, v.cid))
        if bid is None:
            return
        is_compile = any(n.endswith(".compile") for n in self.ext(mf.path, v))
        table = self.env.compiled if is_compile else self.env.builders
        for t in s.targets:
            text = ir.dotted(t)
            if text is not None:
                key = (mf.path, scope_key, text)
                table.setdefault(key, []).append((_pos(sc, s.loc.line), bid))

    # ---------------------------------------------------------------- runs

    def compiled_of(self, mf, sc, c: ir.Call) -> int | None:
        scope_key = sc.qualname if sc.kind == "function" else "<module>"
        bid = self._receiver(mf, sc, scope_key, c, self.env.compiled)
        if bid is not None:
            return bid
        if not isinstance(c.func, ir.Attr):
            return None
        recv = c.func.value
        passed = self._passed_in(mf, sc, recv)
        if passed is not None:
            return passed
        # stored elsewhere: `self.app = g.compile()` read as `Workflow().app`, or imported
        last = recv.attr if isinstance(recv, ir.Attr) else getattr(recv, "id", None)
        if last is None:
            return None
        hits = {
            ids[-1][1]
            for (_p, _s, text), ids in self.env.compiled.items()
            if text.rsplit(".", 1)[-1] == last
        }
        return hits.pop() if len(hits) == 1 else None

    def _passed_in(self, mf, sc, recv: ir.Expr) -> int | None:
        """A graph received as a parameter (`def show(app): app.stream(...)`): the one
        compiled graph every caller passes in that position."""
        if not isinstance(recv, ir.Name):
            return None
        params = [p.name for p in sc.params]
        if recv.id not in params:
            return None
        pos = params.index(recv.id) - (1 if params[0] in ("self", "cls") else 0)
        node = self.cg.node_id(mf.path, sc.qualname, sc.cell)
        found: set[int] = set()
        for caller in self.cg.callers(node):
            try:
                cmf, csc = self.cg.scope(caller)
            except (KeyError, LookupError):
                continue
            key = csc.qualname if csc.kind == "function" else "<module>"
            for call in ir.scope_calls(csc):
                if not any(t.name == node for t in self.cg.targets(cmf.path, call.cid)):
                    continue
                arg = call.arg(pos, recv.id)
                text = ir.dotted(arg) if arg is not None else None
                if text is None:
                    return None
                bid = self.env.find(
                    self.env.compiled, cmf.path, key, text, _pos(csc, call.loc.line), csc.cell
                )
                if bid is None:
                    return None
                found.add(bid)
        return found.pop() if len(found) == 1 else None

    def verdicts(self) -> dict[tuple[str, int], GraphVerdict]:
        self.collect()
        out = {}
        for mf, sc, c in self.runs:
            bid = self.compiled_of(mf, sc, c)
            if bid is None:
                continue
            out[(mf.path, c.cid)] = self.verdict(bid, self._run_limit(mf, sc, c))
        return out

    def verdict(self, bid: int, run: RunLimit) -> GraphVerdict:
        g = self.graph(bid)
        return decide(g, run)

    def _run_limit(self, mf: ir.ModuleFacts, sc: ir.Scope, c: ir.Call) -> RunLimit:
        config = c.kwarg("config")
        if config is None:
            positional = [a.value for a in c.args if a.kw is None]
            config = positional[1] if len(positional) > 1 else None
        config = _value(config, mf, sc)
        limit = None
        if isinstance(config, ir.Dict):
            for k, v in zip(config.keys, config.values, strict=False):
                if isinstance(k, ir.Const) and k.value == "recursion_limit":
                    limit = v
        elif isinstance(config, ir.Call):
            limit = config.kwarg("recursion_limit")
        if limit is not None:
            n = limit.value if isinstance(limit, ir.Const) else None
            n = n if isinstance(n, int) and not isinstance(n, bool) else None
            return RunLimit(
                "present", f"recursion_limit={n if n is not None else '…'} (line {c.loc.line})", n
            )
        spec = self.kb.construct(f"{_COMPILED}.invoke")
        bound = spec.bounds[0] if spec is not None and spec.bounds else None
        note = (spec.default_bound_note if spec is not None else "") or "recursion_limit default"
        if bound is None or bound.default is None:
            return RunLimit("missing", "no recursion_limit")
        return RunLimit("default", f"{note} (default {bound.default})", None)


# -------------------------------------------------------------------- helpers


def _alternatives(e: ir.Expr) -> list[ir.Expr]:
    if isinstance(e, ir.IfExp):
        return _alternatives(e.body) + _alternatives(e.orelse)
    return [e]


def _calls_inner_first(e: ir.Expr):
    """Calls in `e`, receivers before the calls made on them (chained builder calls)."""
    out = [x for x in ir.walk_expr(e) if isinstance(x, ir.Call)]
    out.sort(key=lambda c: (c.loc.end_line, c.loc.end_col))
    return out


def _imported(mf: ir.ModuleFacts, e: ir.Expr | None) -> str | None:
    d = ir.dotted(e) if e is not None else None
    if d is None:
        return None
    head, _, rest = d.partition(".")
    for imp in mf.imports:
        if imp.name == head:
            return f"{imp.target}.{rest}" if rest else imp.target
    return None


def _assigned_call(mf: ir.ModuleFacts, name: str, at: ir.Call) -> ir.Call | None:
    """The call last assigned to a module-level `name` (any cell) before use."""
    found = None
    for sc in mf.scopes:
        if sc.kind != "module":
            continue
        for s in sc.body:
            if isinstance(s, ir.Assign) and isinstance(s.value, ir.Call):
                if any(isinstance(t, ir.Name) and t.id == name for t in s.targets):
                    found = s.value
    return found


def _value(e: ir.Expr | None, mf: ir.ModuleFacts, sc: ir.Scope) -> ir.Expr | None:
    """A name's single assigned value (local first, then module level), else `e`."""
    if not isinstance(e, ir.Name):
        return e
    for scope in (sc, *[s for s in mf.scopes if s.kind == "module"]):
        for s in ir.walk_stmts(scope.body) if scope is sc else scope.body:
            if isinstance(s, ir.Assign) and s.value is not None:
                if any(isinstance(t, ir.Name) and t.id == e.id for t in s.targets):
                    return s.value
    return e


def langgraph_graphs(project, cg, kb, is_unit) -> dict[tuple[str, int], GraphVerdict]:
    return LangGraphReader(project, cg, kb, is_unit).verdicts()
