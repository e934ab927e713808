"""Read crewAI `Flow` classes and `Crew` constructions into verdicts for their run calls.

A Flow's methods form a graph through decorators: `@start()` methods run first,
`@listen(m)` runs after method `m` (or after a router returned the label it names),
`@router(m)` runs after `m` and returns a label; `or_`/`and_` combine triggers. A
`Crew(tasks=[...], process=...)` runs its tasks in order (sequential) or lets a manager
model assign them (hierarchical).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from analyzer import ir
from analyzer.classify.graphs import START, Cond, GNode, Graph, GraphVerdict, RunLimit, decide
from analyzer.classify.graphs_fn import FnReader

_FLOW = "crewai.flow.Flow"
_CREW = "crewai.Crew"


def _resolve(mf: ir.ModuleFacts, e: ir.Expr, kb) -> str | None:
    if isinstance(e, ir.Subscript):
        e = e.value
    if isinstance(e, ir.Call):
        e = e.func
    d = ir.dotted(e)
    if d is None:
        return None
    head, _, rest = d.partition(".")
    for imp in mf.imports:
        if imp.name == head:
            return kb.canonical(f"{imp.target}.{rest}" if rest else imp.target)
    return None


class CrewReader:
    def __init__(self, project, cg, kb, is_unit: Callable[[str], bool]) -> None:
        self.project = project
        self.cg = cg
        self.kb = kb
        self.fn = FnReader(cg, kb, is_unit)
        self.flows: dict[str, tuple[ir.ModuleFacts, ir.Scope]] = {}  # class node id -> scope

    def ext(self, path: str, call: ir.Call) -> list[str]:
        return [
            self.kb.canonical(t.name)
            for t in self.cg.targets(path, call.cid)
            if t.kind == "external"
        ]

    def verdicts(self) -> dict[tuple[str, int], GraphVerdict]:
        out: dict[tuple[str, int], GraphVerdict] = {}
        self.crews = self._crews()
        flows: dict[str, GraphVerdict] = {}
        for mf in self.project.modules:
            for sc in mf.scopes:
                if sc.kind == "class" and any(
                    (_resolve(mf, b, self.kb) or "").startswith(_FLOW) for b in sc.bases
                ):
                    v = self.flow(mf, sc)
                    if v is not None:
                        flows[sc.name] = v
        for mf in self.project.modules:
            for sc in mf.scopes:
                for c in ir.scope_calls(sc):
                    names = self.ext(mf.path, c)
                    if any(n.endswith((".kickoff", ".kickoff_async")) for n in names):
                        cls = self._flow_class(mf, sc, c)
                        if cls is not None and cls in flows:
                            out[(mf.path, c.cid)] = flows[cls]
        out.update(self.crews)
        return out

    def _crews(self) -> dict[tuple[str, int], GraphVerdict]:
        out = {}
        for mf in self.project.modules:
            for sc in mf.scopes:
                for c in ir.scope_calls(sc):
                    names = self.ext(mf.path, c)
                    if any(n in (f"{_CREW}.kickoff", f"{_CREW}.kickoff_async") for n in names):
                        v = self.crew(mf, sc, c)
                        if v is not None:
                            out[(mf.path, c.cid)] = v
        return out

    def _inner_crew(self, mf: ir.ModuleFacts, m: ir.Scope) -> GraphVerdict | None:
        """A crew a flow method (or a function nested in it) runs."""
        for sc in mf.scopes:
            if sc is m or (sc.qualname.startswith(m.qualname + ".") and sc.cell == m.cell):
                for c in ir.scope_calls(sc):
                    v = self.crews.get((mf.path, c.cid))
                    if v is not None:
                        return v
        return None

    # ---------------------------------------------------------------- flows

    def _flow_class(self, mf: ir.ModuleFacts, sc: ir.Scope, c: ir.Call) -> str | None:
        """The Flow class a `kickoff` runs on: `F().kickoff()` or `f = F(); f.kickoff()`."""
        if not isinstance(c.func, ir.Attr):
            return None
        recv = _bound_call(sc, c.func.value)
        if isinstance(recv, ir.Call):
            for t in self.cg.targets(mf.path, recv.cid):
                if t.kind == "internal":
                    return t.name.rsplit("::", 1)[-1].split(".")[
                        -2 if ".__init__" in t.name else -1
                    ]
            d = ir.dotted(recv.func)
            return d.rsplit(".", 1)[-1] if d else None
        return None

    def flow(self, mf: ir.ModuleFacts, cls: ir.Scope) -> GraphVerdict | None:
        g = Graph("crewai_flow", cls.loc.line)
        methods = [s for s in mf.scopes if s.parent == cls.qualname and s.kind == "function"]
        triggers: dict[str, list[tuple[str, ir.Expr]]] = {}
        routers: list[str] = []
        for m in methods:
            for d in m.decorators:
                kind = (_resolve(mf, d, self.kb) or "").rsplit(".", 1)[-1]
                if kind not in ("start", "listen", "router"):
                    continue
                nid = self.cg.node_id(mf.path, m.qualname, m.cell)
                node = GNode(m.name, m.loc.line, (nid,), self.fn.facts(nid))
                node.inner = self._inner_crew(mf, m)
                g.nodes[m.name] = node
                args = d.args if isinstance(d, ir.Call) else ()
                if kind == "start":
                    g.edges.append((START, m.name, d.loc.line))
                if kind == "router":
                    routers.append(m.name)
                for a in args:
                    triggers.setdefault(m.name, []).append((kind, a.value))
        if not g.nodes:
            return None
        labels: dict[str, list[str]] = {}  # label -> listeners
        for name, trigs in triggers.items():
            for _kind, e in trigs:
                for t, joined in self._trigger_names(mf, e):
                    if t in g.nodes and not joined:
                        g.edges.append((t, name, g.nodes[name].line))
                    elif t in g.nodes:
                        g.joins.append(((t,), name))
                    else:
                        labels.setdefault(t, []).append(name)
        for r in routers:
            node = g.nodes[r]
            facts = node.facts
            returned = [
                x.value
                for e in (facts.returns if facts else ())
                for x in ir.walk_expr(e)
                if isinstance(x, ir.Const) and isinstance(x.value, str)
            ]
            targets = []
            for lab in returned:
                targets += [t for t in labels.get(lab, []) if t not in targets]
                if lab in g.nodes and lab not in targets:
                    targets.append(lab)
            # the router's own model calls are its node's; as a path it only decides
            path = replace(facts, model=False, calls=0) if facts is not None else None
            g.edges = [(a, b, ln) for a, b, ln in g.edges if not (a == r and b in targets)]
            g.conds.append(Cond(r, node.line, tuple(targets), path))
        return decide(g, RunLimit("missing", "a Flow has no step limit"))

    def _trigger_names(self, mf: ir.ModuleFacts, e: ir.Expr) -> list[tuple[str, bool]]:
        """Method names or labels a trigger expression names; `and_` marks a join."""
        if isinstance(e, ir.Const) and isinstance(e.value, str):
            return [(e.value, False)]
        if isinstance(e, ir.Call):
            kind = (_resolve(mf, e.func, self.kb) or "").rsplit(".", 1)[-1]
            out = []
            for a in e.args:
                out += [(n, kind == "and_") for n, _ in self._trigger_names(mf, a.value)]
            return out
        d = ir.dotted(e)
        return [(d.rsplit(".", 1)[-1], False)] if d else []

    # ---------------------------------------------------------------- crews

    def crew(self, mf: ir.ModuleFacts, sc: ir.Scope, c: ir.Call) -> GraphVerdict | None:
        """`Crew(tasks=[...], process=...)` built in this scope (or returned by a method)."""
        got = self._crew_ctor(mf, sc, c)
        if got is None:
            return None
        home = mf
        mf, sc, ctor = got
        process = ir.dotted(ctor.kwarg("process") or ir.Const(None)) or ""
        tasks = ctor.kwarg("tasks")
        n = len(tasks.elts) if isinstance(tasks, ir.Seq) else None
        if ir.dotted(tasks) == "self.tasks" and sc.parent is not None:
            # @CrewBase: one task per @task method of the class
            n = sum(
                1
                for m in mf.scopes
                if m.parent == sc.parent
                and any((_resolve(mf, d, self.kb) or "").endswith(".task") for d in m.decorators)
            )
        agents = ctor.kwarg("agents")
        line = ctor.loc.line
        contains: tuple[str, ...] = ()
        if self._agents_with_tools(mf, agents) or self._agents_with_tools(home, agents):
            contains = ("agent_loop",)
        if process.endswith("hierarchical"):
            return GraphVerdict(
                "orchestrator_workers",
                contains,
                ("default", "crewAI Agent max_iter defaults to 25"),
                None,
                "a manager model assigns the tasks",
                ((line, "Process.hierarchical: a manager model assigns tasks to agents"),),
                (),
            )
        pattern = "prompt_chaining" if n is None or n >= 2 else "single_call"
        stop = ("default", "crewAI Agent max_iter defaults to 25") if contains else ("n/a", "")
        if contains == ("agent_loop",) and pattern == "single_call":
            pattern, contains = "agent_loop", ()
        return GraphVerdict(
            pattern,
            contains,
            stop,
            None if contains or n is None else n,
            "each agent may take up to max_iter turns" if contains else "one call per task",
            ((line, "crew tasks run in order, each output feeding the next"),),
            (),
        )

    def _crew_ctor(self, mf: ir.ModuleFacts, sc: ir.Scope, c: ir.Call):
        if not isinstance(c.func, ir.Attr):
            return None
        recv = _bound_call(sc, c.func.value)
        if not isinstance(recv, ir.Call):
            return None
        direct = mf, sc, recv
        if recv.kwarg("tasks") is not None or recv.kwarg("agents") is not None:
            return direct
        # `SomeCrew().crew().kickoff()`: the method that returns the Crew
        for t in self.cg.targets(mf.path, recv.cid):
            if t.kind != "internal":
                continue
            try:
                hf, hs = self.cg.scope(t.name)
            except (KeyError, LookupError):
                continue
            for s in ir.walk_stmts(hs.body):
                if isinstance(s, ir.Return) and isinstance(s.value, ir.Call):
                    if _CREW in self.ext(hf.path, s.value):
                        return hf, hs, s.value
        return direct if _CREW in self.ext(mf.path, recv) else None

    def _agents_with_tools(self, mf: ir.ModuleFacts, agents: ir.Expr | None) -> bool:
        """Some `Agent(tools=[...])` in the module (crews list their agents indirectly)."""
        for sc in mf.scopes:
            for c in ir.scope_calls(sc):
                tools = c.kwarg("tools")
                if tools is None or (isinstance(tools, ir.Seq) and not tools.elts):
                    continue
                if "crewai.Agent" in self.ext(mf.path, c):
                    return True
        return False


def _bound_call(sc: ir.Scope, recv: ir.Expr) -> ir.Expr:
    """`x` assigned a call in this scope -> that call (last assignment wins)."""
    if not isinstance(recv, ir.Name):
        return recv
    name, out = recv.id, recv
    for s in ir.walk_stmts(sc.body):
        if isinstance(s, ir.Assign) and isinstance(s.value, ir.Call):
            if any(isinstance(t, ir.Name) and t.id == name for t in s.targets):
                out = s.value
    return out


def crewai_graphs(project, cg, kb, is_unit) -> dict[tuple[str, int], GraphVerdict]:
    return CrewReader(project, cg, kb, is_unit).verdicts()
