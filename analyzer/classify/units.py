"""Units and notebook cell groups: which scopes are units, the order they are classified in,
the cells a notebook's units share, and the roll-up of each unit's facts into a `Unit`.

Owns `Classifier.order`, `run`, `reach`, `units`, `_cell_groups`, `_scope_of`, and what a
unit reads (`_unit_reads`, `_visible_in_cell`).
"""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from analyzer import ir
from analyzer.classify.flags import worst_retry
from analyzer.classify.taint import Taint, target_names
from analyzer.classify.verdicts import Summary
from analyzer.results import LLMCall, Status, Unit


class UnitsMixin:
    """The `Classifier`'s units, cell groups and roll-up."""

    def order(self) -> list[str]:
        sub = self.idx.graph.subgraph(self.idx.units)
        cond = nx.condensation(sub)
        out = []
        for comp in reversed(list(nx.topological_sort(cond))):
            out += sorted(cond.nodes[comp]["members"])
        return out

    def _visible_in_cell(self, node: str, units: set[str]) -> set[str]:
        """In notebooks and Markdown, a name redefined in a later cell is a new function:
        a call sees the latest definition made at or before its own cell."""
        attrs = self.cg.graph.nodes
        cell = attrs[node].get("cell")
        if cell is None or len(units) < 2:
            return units
        by_name: dict[tuple[str, str], list[str]] = {}
        for u in units:
            a = attrs[u]
            by_name.setdefault((a.get("path", ""), a.get("qualname", "")), []).append(u)
        out = set()
        for group in by_name.values():
            cells = [(attrs[u].get("cell"), u) for u in group]
            earlier = [(c, u) for c, u in cells if c is not None and c <= cell]
            out.add(max(earlier)[1] if earlier else min(cells, key=lambda x: (x[0] or 0, x[1]))[1])
        return out

    def _unit_reads(self, units: tuple[str, ...]) -> set[str]:
        out: set[str] = set()
        for u in units:
            try:
                out |= _names_read(self.cg.scope(u)[1])
            except (KeyError, LookupError):
                continue
        return out

    def _cell_groups(self) -> dict[str, list[str]]:
        """Top-level code of notebook cells (and Markdown blocks) that consumes model output
        produced by an earlier cell's top-level code joins that cell's unit (DESIGN §4)."""
        groups: dict[str, list[str]] = {}
        for m in self.project.modules:
            if m.kind not in ("ipynb", "md"):
                continue
            open_groups: list[tuple[str, set[str]]] = []  # (first node, model-output names)
            for sc in (x for x in m.scopes if x.kind == "module"):
                node = self.cg.node_id(m.path, "<module>", sc.cell)
                # names the cell (its top level or a function it defines) reads without
                # binding them itself: values that come from earlier cells
                reads = set().union(*(_free_reads(x) for x in m.scopes if x.cell == sc.cell))
                reads -= _names_bound(sc)
                joined = next((g for g in open_groups if g[1] & reads), None)

                def is_source(call: ir.Call, node=node, m=m) -> bool:
                    return self.site_of(node, m, call) is not None

                if joined is not None:
                    groups.setdefault(joined[0], [joined[0]]).append(node)
                    joined[1].update(Taint(sc, is_source, seeded=frozenset(joined[1])).names)
                elif node in self.idx.units:
                    names = Taint(sc, is_source).names
                    if names:
                        open_groups.append((node, set(names)))
        return {rep: members for rep, members in groups.items() if len(members) > 1}

    def _scope_of(self, node: str) -> tuple[ir.ModuleFacts, ir.Scope, list[ir.Scope]]:
        """The unit's facts and scope; a joined notebook unit gets its cells' bodies in order."""
        facts, scope = self.cg.scope(node)
        members = [self.cg.scope(n)[1] for n in self.cell_groups.get(node, [node])]
        if len(members) > 1:
            body = tuple(st for sc in members for st in sc.body)
            loc = ir.Loc(scope.loc.line, 0, scope.loc.end_line, 0)
            scope = replace(scope, body=body, loc=loc)
        return facts, scope, members

    def run(self) -> list[Unit]:
        joined = {n for members in self.cell_groups.values() for n in members[1:]}
        for node in self.order():
            if node in joined:
                continue  # part of an earlier cell's unit
            uf = self.classify_unit(node)
            self.summaries[node] = uf.summary
            self.unit_facts[node] = uf
        return self.units()

    def reach(self, node: str) -> set[str]:
        g = self.idx.graph
        out = set()
        for n in self.cell_groups.get(node, [node]):
            out |= ({n} | nx.descendants(g, n)) if n in g else {n}
        return out

    def units(self) -> list[Unit]:
        out = []
        for node, uf in self.unit_facts.items():
            reach = self.reach(node)
            # sorted: which retry is named must not depend on set order (hash seed, -j)
            unit_reach = [n for n in sorted(reach) if n in self.unit_facts]
            retry_facts = [f for n in unit_reach for f in self.unit_facts[n].retry_facts]
            worst = worst_retry(retry_facts)
            retries = (
                Status("none", "no retry code")
                if worst is None
                else Status(worst.status, worst.evidence)
            )
            trace = self._trace_status(node, reach)
            scope = uf.scope
            s = uf.summary
            out.append(
                Unit(
                    path=uf.facts.path,
                    qualname=scope.qualname,
                    line=scope.loc.line if scope.kind != "module" else max(scope.loc.line, 1),
                    end_line=max(scope.loc.end_line, scope.loc.line, 1),
                    cell=scope.cell,
                    pattern=s.pattern,
                    contains=s.contains,
                    is_system=node in self.idx.systems,
                    stop_condition=s.stop,
                    retries=retries,
                    trace_logging=trace,
                    llm_call_bound=s.bound,
                    llm_call_bound_reason=s.bound_reason or _bound_words(s),
                    llm_calls=self._reached_calls(node, reach),
                    evidence=s.evidence,
                    node_id=node,
                    cells=tuple(self.cg.scope(n)[1].cell for n in self.cell_groups.get(node, ())),
                )
            )
        out.sort(key=lambda u: (u.path, u.cell if u.cell is not None else -1, u.line, u.qualname))
        return out

    def _reached_calls(self, node: str, reach: set[str]) -> tuple[LLMCall, ...]:
        """Every model-call site the unit reaches (DESIGN §4), also through edges only the
        classifier knows (a framework graph run calls its node functions, cells joined into
        one unit): the unit's own sites, then each reached unit's own, named by that unit."""
        own = self.unit_facts[node].llm_calls
        out = list(own)
        seen = {(c.path, c.cell, c.line, c.api) for c in own}
        members = set(self.cell_groups.get(node, [node]))
        for n in sorted(reach - members):
            uf = self.unit_facts.get(n)
            if uf is None:
                continue
            for c in uf.llm_calls:
                if c.via:
                    continue  # the callee's own sites carry no via; others come in turn
                key = (c.path, c.cell, c.line, c.api)
                if key not in seen:
                    seen.add(key)
                    out.append(LLMCall(c.line, c.api, c.path, c.cell, uf.scope.qualname))
        return tuple(out)


def _names_read(scope: ir.Scope) -> set[str]:
    return {
        x.id
        for st in ir.walk_stmts(scope.body)
        for e in ir.stmt_exprs(st)
        for x in ir.walk_expr(e)
        if isinstance(x, ir.Name)
    }


def _names_bound(scope: ir.Scope) -> set[str]:
    """Names a scope binds itself: parameters, assignment and loop targets, definitions,
    imports (flow-insensitive: a name bound anywhere in the scope is its own)."""
    out = {p.name for p in scope.params}
    for st in ir.walk_stmts(scope.body):
        if isinstance(st, ir.Assign):
            for t in st.targets:
                out.update(target_names(t))
        elif isinstance(st, ir.For):
            out.update(target_names(st.target))
        elif isinstance(st, ir.With):
            for it in st.items:
                if it.target is not None:
                    out.update(target_names(it.target))
        elif isinstance(st, ir.Define):
            out.add(st.scope.rsplit(".", 1)[-1])
        elif isinstance(st, ir.Try):
            out.update(h.name for h in st.handlers if h.name)
    return out


def _free_reads(scope: ir.Scope) -> set[str]:
    return _names_read(scope) - (_names_bound(scope) if scope.kind != "module" else set())


def _bound_words(s: Summary) -> str:
    if s.bound is None:
        return "not statically bounded"
    return f"{s.bound} model call(s)"
