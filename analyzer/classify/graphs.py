"""Framework graphs: workflows whose structure is declared through an API, not control flow.

A LangGraph `StateGraph` (nodes, edges, conditional edges, `Send`) or a crewAI `Flow`
(`@start`/`@listen`/`@router`) fixes its sequence in registration calls; run as one call
(`app.invoke(...)`, `flow.kickoff()`) it looks opaque. The framework readers
(`graphs_langgraph`, `graphs_crewai`) lower each one into the small `Graph` below, and
`decide` reads DESIGN §2's pattern, the stop condition and the call bound off its
structure, the way `decide.py` reads them off a unit's shape.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from analyzer.classify.graphs_fn import FnFacts
from analyzer.classify.verdicts import PRIORITY

START = "__start__"
END = "__end__"


@dataclass(frozen=True)
class GraphVerdict:
    pattern: str  # one of DESIGN §2's patterns
    contains: tuple[str, ...]
    stop: tuple[str, str]  # (status: "present"|"default"|"missing"|"n/a", evidence text)
    bound: int | None  # static bound on model calls per run, None if unbounded
    bound_reason: str
    evidence: tuple[tuple[int, str], ...]  # (line, reason)
    nodes: tuple[str, ...]  # call-graph node ids of the functions the graph runs
    writes_model: frozenset[str] = frozenset()  # state keys its model nodes fill


@dataclass
class GNode:
    """One node of a framework graph and what its function does."""

    name: str
    line: int = 0
    fns: tuple[str, ...] = ()  # call-graph node ids
    facts: FnFacts | None = None
    kind: str = "fn"  # "fn" | "tools" (runs the model's tool calls) | "agent" | "graph"
    inner: GraphVerdict | None = None  # a compiled subgraph used as a node

    @property
    def model(self) -> bool:
        if self.kind == "agent":
            return True
        if self.inner is not None:
            return True
        return self.facts is not None and self.facts.model

    @property
    def calls(self) -> int | None:
        if self.kind == "agent":
            return None
        if self.inner is not None:
            return self.inner.bound
        if self.facts is None:
            return 0
        return self.facts.calls


@dataclass
class Cond:
    """A conditional edge: a path function (or router) picks the next node(s)."""

    src: str
    line: int
    targets: tuple[str, ...]
    path: FnFacts | None = None
    tools_route: bool = False  # tools_condition, or the path reads the model's tool calls
    send: bool = False  # returns Send(...) objects: fan-out
    send_keys: frozenset[str] = frozenset()  # state keys the Send list iterates
    send_cap: int | None = None  # the Send list is cut to at most this many (`xs[:4]`)


@dataclass
class Graph:
    """A framework workflow lowered to nodes and edges (START/END are pseudo nodes)."""

    kind: str  # "langgraph" | "crewai_flow"
    line: int
    nodes: dict[str, GNode] = field(default_factory=dict)
    edges: list[tuple[str, str, int]] = field(default_factory=list)
    conds: list[Cond] = field(default_factory=list)
    # a join (`add_edge([a, b], c)`, `and_(a, b)`): c waits for all of them
    joins: list[tuple[tuple[str, ...], str]] = field(default_factory=list)


@dataclass(frozen=True)
class RunLimit:
    """What the run call says about the cycle bound (LangGraph's recursion_limit)."""

    status: str  # "present" | "default" | "missing"
    evidence: str
    limit: int | None = None


# -------------------------------------------------------------------- structure


def _digraph(g: Graph) -> nx.DiGraph:
    d = nx.DiGraph()
    d.add_nodes_from([START, END, *g.nodes])
    for a, b, _ in g.edges:
        d.add_edge(a, b)
    for c in g.conds:
        for t in c.targets:
            d.add_edge(c.src, t)
    for srcs, dst in g.joins:
        for s in srcs:
            d.add_edge(s, dst)
    return d


def _first_models(g: Graph, d: nx.DiGraph, start: str) -> frozenset[str]:
    """The model-calling nodes reached first from `start` (itself if it calls a model)."""
    seen, out, stack = set(), set(), [start]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        node = g.nodes.get(n)
        if node is not None and node.model:
            out.add(n)
            continue
        stack.extend(d.successors(n) if n in d else ())
    return frozenset(out)


def _model_written(g: Graph) -> dict[str, str]:
    """State key -> the model node that writes model output into it as a collection or value."""
    out: dict[str, str] = {}
    for n in g.nodes.values():
        if n.facts is not None and n.model:
            for k in n.facts.writes_model:
                out.setdefault(k, n.name)
        if n.inner is not None:
            # a compiled subgraph as a node hands its state back to the parent graph
            for k in sorted(n.inner.writes_model):
                out.setdefault(k, n.name)
    return out


def _cycles(d: nx.DiGraph) -> list[set[str]]:
    out = []
    for comp in nx.strongly_connected_components(d):
        if len(comp) > 1 or any(d.has_edge(n, n) for n in comp):
            out.append(set(comp))
    return out


@dataclass
class _Found:
    pattern: str
    depth: int
    line: int
    reason: str


def decide(g: Graph, run: RunLimit) -> GraphVerdict:
    """Pattern, stop, bound and evidence of one graph, from its structure only."""
    d = _digraph(g)
    reach = nx.descendants(d, START) | {START} if START in d else set(d)
    live = {n for n in g.nodes if n in reach} or set(g.nodes)
    written = _model_written(g)
    model_keys = set(written)
    found: list[_Found] = []
    contains: list[str] = []
    loop_stops: list[tuple[str, str]] = []
    cycles = [c for c in _cycles(d.subgraph(live | {START, END})) if c & live]
    pattern_cycles: list[set[str]] = []

    # ---- cycles: model-owned loops
    for comp in cycles:
        models = [n for n in comp if g.nodes[n].model]
        if any(c.path is not None and c.path.interactive for c in g.conds if c.src in comp):
            continue  # a person decides whether to go round again: judged per turn
        inner_conds = [c for c in g.conds if c.src in comp and any(t in comp for t in c.targets)]
        judges = [c for c in inner_conds if c.path is not None and c.path.model]
        line = min(g.nodes[n].line for n in comp)
        tools = [n for n in comp if g.nodes[n].kind == "tools" or _dispatches(g.nodes[n])]
        tool_route = any(c.tools_route for c in inner_conds) or any(
            c.tools_route for c in g.conds if c.src in comp
        )
        reads_model = any(
            c.path is not None
            and not c.path.counter  # a count decides, not the model's answer
            and (c.path.reads & model_keys or c.path.model or c.path.stop_field)
            for c in inner_conds
        )
        counted = [c for c in inner_conds if c.path is not None and c.path.counter]
        planned = _planned(g, comp, written)
        pattern, reason = None, ""
        if tools and tool_route and _judged_around(g, d, comp, tools, model_keys):
            # a judge sends the answer back round a loop that holds the tool loop
            pattern = "evaluator_optimizer"
            reason = "an evaluating model call sends the agent's answer back to be redone"
            found.append(_Found("agent_loop", 1, line, "the model's tool calls loop inside"))
        elif tools and tool_route:
            pattern, reason = "agent_loop", "the model's tool calls decide whether the graph loops"
        elif planned:
            pattern = "orchestrator_workers"
            reason = f"workers run step by step over the planner's {planned}"
        elif len(models) + len(judges) >= 2:
            pattern = "evaluator_optimizer"
            reason = "an evaluating model call decides whether to generate again"
        elif models and reads_model:
            pattern, reason = "agent_loop", "model output decides whether the graph loops"
        elif models and tools:
            # tools run every round whatever the model asks; the model revises its answer
            pattern = "evaluator_optimizer"
            reason = "each round feeds tool results back for the model to revise"
        if pattern is None and not models and not judges:
            continue
        if pattern is not None:
            pattern_cycles.append(comp)
            found.append(_Found(pattern, 0, line, reason))
        if counted:
            loop_stops.append(("present", f"{counted[0].path.counter} (line {counted[0].line})"))
        elif planned:
            loop_stops.append(("present", f"ends when the planned {planned} are done"))
        else:
            loop_stops.append((run.status, run.evidence))

    in_cycle = set().union(*pattern_cycles) if pattern_cycles else set()

    # ---- conditional edges: routing and Send fan-out
    looped = set().union(*_cycles(d))  # nodes on any loop of the whole graph (gates)
    fan_srcs: list[str] = []
    fans: list[tuple[str, str, int]] = []  # (pattern, source node, line) at depth 0
    for c in g.conds:
        if c.src not in live and c.src != START:
            continue
        depth = 1 if c.src in in_cycle else 0
        if c.send:
            keys = sorted(c.send_keys & model_keys)
            if keys:
                found.append(
                    _Found(
                        "orchestrator_workers",
                        depth,
                        c.line,
                        f"Send fans out over the planner's {keys[0]}",
                    )
                )
            else:
                found.append(
                    _Found("parallelization_sectioning", depth, c.line, "Send fans out workers")
                )
            fan_srcs.append(c.src)
            if depth == 0:
                fans.append((found[-1].pattern, c.src, c.line))
            continue
        if c.tools_route:
            continue
        if any(t in in_cycle for t in c.targets) and c.src in in_cycle:
            continue
        decided = c.path is not None and (c.path.model or c.path.reads & model_keys)
        if not decided and c.path is not None and c.path.reads_unknown:
            decided = bool(_upstream_models(g, d, c.src))
        firsts = {_first_models(g, d, t) for t in c.targets if t != END}
        firsts.discard(frozenset())
        if decided and len(firsts) >= 2 and not _detour(d, c.targets, looped):
            found.append(
                _Found("routing", depth, c.line, "a conditional edge on model output picks a node")
            )
            fan_srcs.append(c.src)

    # ---- parallel edges: several unconditional successors run in the same step
    for src in [START, *sorted(live)]:
        outs = sorted({b for a, b, _ in g.edges if a == src and b != END})
        if len(outs) < 2:
            continue
        branches = [_first_models(g, d, b) for b in outs]
        if sum(1 for b in branches if b) >= 2:
            line = min(ln for a, b, ln in g.edges if a == src)
            depth = 1 if src in in_cycle else 0
            found.append(
                _Found(
                    "parallelization_sectioning",
                    depth,
                    line,
                    f"{len(outs)} nodes run in parallel after {_label(src)}",
                )
            )
            if depth == 0:
                fans.append(("parallelization_sectioning", src, line))

    # ---- the first fan-out comes after a model stage: a chain around it (P4)
    first = [
        f for f in fans if not any(o[1] != f[1] and f[1] in nx.descendants(d, o[1]) for o in fans)
    ]
    if len(first) == 1 and first[0][0] == "parallelization_sectioning":
        _, src, line = first[0]
        before = _upstream_models(g, d, src) if src != START else set()
        if before:
            found.append(
                _Found(
                    "prompt_chaining",
                    -1,  # around everything else found: the outermost structure
                    line,
                    f"{sorted(before)[0]} runs before the fan-out: a stage of a chain",
                )
            )

    # ---- orchestrator inside an acyclic flow: a model node iterates a planner's list
    if not any(f.pattern == "orchestrator_workers" for f in found):
        for n in sorted(live - in_cycle):
            node = g.nodes[n]
            if node.model and node.facts is not None:
                keys = sorted(
                    k for k in node.facts.reads_collection if k in written and written[k] != n
                )
                if keys:
                    found.append(
                        _Found(
                            "orchestrator_workers",
                            0,
                            node.line,
                            f"{n} runs workers over the planner's {keys[0]}",
                        )
                    )
                    break

    # cycles reached only through a routing/fan-out branch sit inside it
    for f in found:
        if (
            f.pattern in ("agent_loop", "evaluator_optimizer", "orchestrator_workers")
            and f.depth == 0
        ):
            comp = next(
                (c for c in pattern_cycles if min(g.nodes[n].line for n in c) == f.line), None
            )
            if comp is not None and any(
                s not in comp and (s == START or s in live) and comp & nx.descendants(d, s)
                for s in fan_srcs
            ):
                f.depth = 1

    models = sorted(n for n in live if g.nodes[n].model)
    bound, bound_reason = _bound(g, d, live, cycles, run)
    if not found:
        if len(models) >= 2 or any(c.path is not None and c.path.model for c in g.conds):
            found.append(_Found("prompt_chaining", 0, g.line, "model nodes run in a fixed order"))
        else:
            found.append(_Found("single_call", 0, g.line, "one model node"))
    order = sorted(found, key=lambda f: (f.depth, PRIORITY.index(f.pattern), f.line))
    outer = order[0]
    for f in order[1:]:
        if f.pattern != outer.pattern and f.pattern not in contains and f.pattern != "single_call":
            contains.append(f.pattern)
    for n in models:
        node = g.nodes[n]
        inner = []
        if node.kind == "agent":
            inner = ["agent_loop"]
        elif node.inner is not None:
            inner = [node.inner.pattern, *node.inner.contains]
        for p in inner:
            if p != outer.pattern and p not in contains and p != "single_call":
                contains.append(p)
    stop = ("n/a", "no cycle in the graph")
    if loop_stops:
        rank = {"missing": 3, "default": 2, "present": 1, "n/a": 0}
        stop = max(loop_stops, key=lambda s: rank[s[0]])
    fns: list[str] = []
    for n in g.nodes.values():
        fns += [f for f in n.fns if f not in fns]
        if n.inner is not None:  # a compiled subgraph as a node runs its own functions
            fns += [f for f in n.inner.nodes if f not in fns]
    for c in g.conds:
        if c.path is not None:
            fns += [f for f in c.path.nodes if f not in fns]
    return GraphVerdict(
        outer.pattern,
        tuple(contains),
        stop,
        bound,
        bound_reason,
        tuple((f.line, f.reason) for f in sorted(found, key=lambda f: f.line)),
        tuple(fns),
        frozenset(written),
    )


def _judged_around(g: Graph, d: nx.DiGraph, comp: set[str], tools: list[str], model_keys) -> bool:
    """Without its tool nodes the loop still cycles through two or more model nodes, and a
    condition on model output decides that outer cycle: an evaluator around an agent."""
    rest = d.subgraph(comp - set(tools))
    for outer in _cycles(rest):
        models = [n for n in outer if g.nodes[n].model]
        judged = any(
            c.src in outer
            and any(t in outer for t in c.targets)
            and c.path is not None
            and not c.path.counter
            and (c.path.model or c.path.reads & model_keys)
            for c in g.conds
        )
        if len(models) >= 2 and judged:
            return True
    return False


def _detour(d: nx.DiGraph, targets, looped: set[str]) -> bool:
    """Every branch but one leads straight into that one (`{"rewrite": "rewrite",
    "answer": "answer"}` with rewrite -> answer, through no loop): the choice only inserts
    steps before a step every path takes, a gate in a fixed chain. Routing picks one of
    several handlers, each of which finishes the request."""
    outs = sorted({t for t in targets if t != END and t in d})
    if len(outs) < 2:
        return False
    for common in outs:
        straight = d.subgraph((set(d) - looped) | {common})
        if all(t == common or (t in straight and nx.has_path(straight, t, common)) for t in outs):
            return True
    return False


def _label(n: str) -> str:
    return "START" if n == START else n


def _dispatches(n: GNode) -> bool:
    return n.facts is not None and n.facts.dispatches_tools


def _planned(g: Graph, comp: set[str], written: dict[str, str]) -> str:
    """A state collection a model node wrote that the cycle walks through step by step."""
    for n in sorted(comp):
        facts = g.nodes[n].facts
        if facts is None or not g.nodes[n].model:
            continue
        for k in sorted(facts.reads_collection):
            if k in written and written[k] != n and k not in facts.writes_model:
                return k
            if k in written and written[k] not in comp:
                return k
    return ""


def _upstream_models(g: Graph, d: nx.DiGraph, n: str) -> set[str]:
    return {a for a in nx.ancestors(d, n) | {n} if a in g.nodes and g.nodes[a].model}


def _bound(
    g: Graph, d: nx.DiGraph, live: set[str], cycles: list[set[str]], run: RunLimit
) -> tuple[int | None, str]:
    """Acyclic: the costliest START->END path (a fan-out adds its branches); a cycle: None
    unless a hard step limit is given."""
    if any(c & live for c in cycles):
        per_step = [g.nodes[n].calls for n in live]
        if run.limit is not None and all(v is not None for v in per_step):
            worst = max([v for v in per_step if v is not None], default=0)
            return run.limit * worst, f"recursion_limit {run.limit} steps x {worst} calls"
        if run.limit is not None:
            return None, f"at most {run.limit} steps, each with a number of calls not fixed"
        return None, "the graph loops until a node decides to stop"
    for c in g.conds:
        if c.send and c.send_cap is None:
            keys = ", ".join(sorted(c.send_keys)) or "the Send list"
            return None, f"depends on len({keys})"
    cost: dict[str, int | None] = {}
    for n in live:
        cost[n] = g.nodes[n].calls
    for c in g.conds:
        if c.send and c.send_cap is not None:
            for t in c.targets:
                if cost.get(t) is not None:
                    cost[t] = cost[t] * c.send_cap  # type: ignore[operator]
    for c in g.conds:
        if c.path is not None and c.path.model:
            extra = c.path.calls
            if extra is None:
                return None, "a path function's model calls are not bounded"
            if c.src in cost and cost[c.src] is not None:
                cost[c.src] = cost[c.src] + extra  # type: ignore[operator]
            elif c.src == START:
                cost[START] = extra
    if any(v is None for v in cost.values()):
        unknown = sorted(n for n, v in cost.items() if v is None)
        return None, f"node {unknown[0]} has no static bound"
    return _costliest_run(g, live, cost), "the costliest path through the graph"


def _costliest_run(g: Graph, live: set[str], cost: dict[str, int | None]) -> int:
    """Max over the choices of every conditional edge of the model calls of the nodes one
    run visits (unconditional successors all run; a node runs once per run)."""
    conds = [c for c in g.conds if c.src in live or c.src == START]
    choices = [[t for t in c.targets if t in live or t == END] or [END] for c in conds]
    best = 0
    for combo in itertools.islice(itertools.product(*choices), 512):
        pick = {c.src: t for c, t in zip(conds, combo, strict=True)}
        seen: set[str] = set()
        stack = [START]
        while stack:
            n = stack.pop()
            if n in seen or n == END:
                continue
            seen.add(n)
            stack += [b for a, b, _ in g.edges if a == n]
            stack += [dst for srcs, dst in g.joins if n in srcs]
            if n in pick:
                stack.append(pick[n])
        best = max(best, sum(cost.get(n) or 0 for n in seen))
    return best


def framework_graphs(project, cg, kb, is_unit: Callable[[str], bool]) -> dict:
    """(path, cid) of every call that runs a framework graph or flow -> its verdict."""
    from analyzer.classify.graphs_crewai import crewai_graphs
    from analyzer.classify.graphs_langgraph import langgraph_graphs

    out: dict[tuple[str, int], GraphVerdict] = {}
    out.update(langgraph_graphs(project, cg, kb, is_unit))
    out.update(crewai_graphs(project, cg, kb, is_unit))
    return out
