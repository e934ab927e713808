"""Which calls matter: model calls, calls into units, and what every node reaches.

A *unit* (DESIGN §1) is a function, method or module body that reaches a model call
through the call graph; a *system* is a unit no other unit calls. Lambdas are folded into
the scope that defines them: `pool.map(lambda p: llm(p), prompts)` is the enclosing
function's fan-out, not a unit of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from analyzer import ir
from analyzer.classify.names import imported_name
from analyzer.knowledge.shapes import match_shape
from analyzer.knowledge.spec import ModelCall


@dataclass(frozen=True, slots=True)
class ModelSite:
    """A call site that sends a request to a model (SDK or framework run)."""

    api: str
    kind: str  # "model" | "framework_run"
    callee: str  # canonical external name
    spec: object  # the knowledge base's ModelCall


class SiteIndex:
    """Per-call-site facts derived from the call graph and the knowledge base."""

    def __init__(self, project, cg, kb) -> None:
        self.project = project
        self.cg = cg
        self.kb = kb
        self.modules = {m.path: m for m in project.modules}
        self._project_roots = {m.module.split(".")[0] for m in project.modules}
        self._model: dict[tuple[str, int], ModelSite | None] = {}
        self._externals: dict[tuple[str, int], list[str]] = {}
        self._call_index: dict[str, dict[int, ir.Call]] = {}
        self.graph = self._folded_graph()
        self.direct = self._direct_model_nodes()
        self.units = self._units()
        self.systems = self._systems()

    def add_runs(self, edges: list[tuple[str, str]]) -> None:
        """Calls the call graph cannot see (a framework graph run calls its node
        functions); units and systems are recomputed with them."""
        for a, b in edges:
            oa, ob = self.owner(a), self.owner(b)
            if oa in self.graph and ob in self.graph and oa != ob:
                self.graph.add_edge(oa, ob)
        self.units = self._units()
        self.systems = self._systems()

    # ---------------------------------------------------------------- nodes

    def node_attrs(self, node: str) -> dict:
        return self.cg.graph.nodes[node]

    def kind(self, node: str) -> str:
        return self.node_attrs(node).get("kind", "")

    def owner(self, node: str) -> str:
        """The non-lambda scope a node belongs to (lambdas fold into their definer)."""
        seen = 0
        while self.kind(node) == "lambda" and seen < 50:
            attrs = self.node_attrs(node)
            parent = attrs.get("parent")
            if parent is None:
                qual = attrs.get("qualname", "")
                parent = qual.rsplit(".", 1)[0] if "." in qual else "<module>"
            cand = self.cg.node_id(attrs.get("path", ""), parent, attrs.get("cell"))
            if cand not in self.cg.graph:
                break
            node = cand
            seen += 1
        return node

    def _folded_graph(self) -> nx.DiGraph:
        """The call graph with lambdas merged into their defining scope."""
        g = nx.DiGraph()
        for n, attrs in self.cg.graph.nodes(data=True):
            if attrs.get("kind") != "lambda" and attrs.get("kind") != "class":
                g.add_node(n)
        for a, b, data in self.cg.graph.edges(data=True):
            oa, ob = self.owner(a), self.owner(b)
            if oa == ob or oa not in g or ob not in g:
                continue
            if data.get("via") == "decorator" and self.kind(oa) == "module":
                continue  # defining a decorated function does not run it
            if self._only_registered(data):
                continue  # handing a function to a framework that keeps it runs nothing
            if data.get("forward"):
                continue  # a decorator wrapper's call of what it wraps: per call, `forwarded`
            g.add_edge(oa, ob)
        return g

    # ---------------------------------------------------------------- call sites

    def model_site(self, path: str, cid: int) -> ModelSite | None:
        key = (path, cid)
        if key in self._model:
            return self._model[key]
        found = None
        for name in self.externals(path, cid):
            spec = self.kb.model_call(name)
            if spec is None and self._calls_instance(path, cid, name):
                name = f"{name}.__call__"  # `model(messages)` on a model object
                spec = self.kb.model_call(name)
            if spec is not None:
                found = ModelSite(spec.api, spec.kind, name, spec)
                break
        if found is None:
            found = self._shape_site(path, cid)
        self._model[key] = found
        return found

    def _shape_site(self, path: str, cid: int) -> ModelSite | None:
        """A request in an OpenAI- or Anthropic-compatible shape on a client the knowledge
        base does not know (`knowledge.shapes`); project code is followed instead."""
        call = self._calls_by_id(path).get(cid)
        if call is None:
            return None
        targets = self.cg.targets(path, cid)
        if any(t.kind == "internal" for t in targets):
            return None
        names = [t.name for t in targets if t.kind == "external"]
        if any(self.kb.model_call(n) or self.kb.is_known_non_model_call(n) for n in names):
            return None
        keywords = frozenset(a.kw for a in call.args if a.kw)
        if names:
            paths = [tuple(n.split(".")) for n in names]
        else:
            paths = [("client", *ir.receiver_chain(call.func)[1])]
        for attrs in paths:
            shape = match_shape(attrs, keywords)
            if shape is None:
                continue
            root = attrs[0]
            api = f"{root}.{'.'.join(shape.suffix)}"
            note = (
                f"recognised by shape: an {shape.compatible}-compatible request "
                f"({', '.join(f'{k}=' for k in shape.required)}) on "
                + (
                    f"a {root} client the knowledge base does not know"
                    if names
                    else "a client of unknown type"
                )
            )
            spec = ModelCall(
                callee=".".join(attrs),
                api=api,
                provider=root,
                tools_kw=("tools", "functions"),
                stream_kw="stream",
                streaming=shape.streaming,
                note=note,
            )
            return ModelSite(api, "model", spec.callee, spec)
        return None

    def _calls_instance(self, path: str, cid: int, target: str) -> bool:
        """The call site calls a value of type `target` rather than the class itself: its
        callee is not the imported class name (`model(...)` vs `LiteLLMModel(...)`)."""
        call = self._calls_by_id(path).get(cid)
        if call is None:
            return False
        named = imported_name(self.modules[path], call.func)
        return named is None or self.kb.canonical(named) != self.kb.canonical(target)

    def _calls_by_id(self, path: str) -> dict[int, ir.Call]:
        if path not in self._call_index:
            facts = self.modules.get(path)
            index: dict[int, ir.Call] = {}
            for sc in facts.scopes if facts is not None else ():
                for c in ir.scope_calls(sc):
                    index[c.cid] = c
                for d in sc.decorators:
                    for x in ir.walk_expr(d):
                        if isinstance(x, ir.Call):
                            index[x.cid] = x
            self._call_index[path] = index
        return self._call_index[path]

    def decorator_model_sites(self, path: str, scope: ir.Scope) -> list[tuple[ir.Call, ModelSite]]:
        """`@llm.call(...)`-style decorators that turn the function into a model call."""
        out = []
        for d in scope.decorators:
            if isinstance(d, ir.Call):
                m = self.model_site(path, d.cid)
                if m is not None and getattr(m.spec, "decorator", False):
                    out.append((d, m))
        return out

    def internal_targets(self, path: str, cid: int) -> list:
        return [t for t in self.cg.targets(path, cid) if t.kind == "internal"]

    def _only_registered(self, data: dict) -> bool:
        if set(data.get("vias", [data.get("via")])) != {"callback"}:
            return False
        sites = [(site[0], site[1]) for site in data.get("sites", ()) if site[1] is not None]
        return bool(sites) and all(self.registered_only(p, c) for p, c in sites)

    def registered_only(self, path: str, cid: int) -> bool:
        """A function handed to an outside library that keeps it for later
        (`graph.add_node("plan", plan)`, `@flow.listen`): passing it is no call."""
        targets = self.cg.targets(path, cid)
        return any(t.kind == "external" for t in targets)

    def unit_targets(self, path: str, cid: int) -> list:
        out = []
        registered = self.registered_only(path, cid)
        for t in self.internal_targets(path, cid):
            if registered and getattr(t, "via", "call") == "callback":
                continue
            owner = self.owner(t.name)
            if owner in self.units:
                out.append((owner, t))
        return out

    def externals(self, path: str, cid: int) -> list[str]:
        """The outside APIs a call reaches: its external targets, then the public names of
        a described package's own source it calls into (`framework_api_names`). Memoised
        (every stage asks about the same calls): callers only read the answer."""
        hit = self._externals.get((path, cid))
        if hit is not None:
            return hit
        out = [t.name for t in self.cg.targets(path, cid) if t.kind == "external"]
        out += [n for n in self.framework_api_names(path, cid) if n not in out]
        self._externals[(path, cid)] = out
        return out

    def framework_api_names(self, path: str, cid: int) -> list[str]:
        """The knowledge base's names for a call into a described package whose source is
        part of the project, made from outside that package.

        A framework's repository holds the framework and its examples. The examples call
        its public API, which the knowledge base describes with the semantics a caller
        sees (defaults, what an agent's arguments make of a run); the framework's body,
        analysed once for all callers, cannot say what one call site's arguments do. So an
        example's `client.run(agent)` is the framework run the knowledge base describes,
        whether the package is installed or sits beside the example. Calls inside the
        package are its own code and stay that way.
        """
        caller = self.modules.get(path)
        out: list[str] = []
        if caller is not None:
            for t in self.cg.targets(path, cid):
                if t.kind != "internal":
                    continue
                try:
                    facts, scope = self.cg.scope(t.name)
                except (KeyError, LookupError):
                    continue
                qual = scope.qualname
                if t.via == "constructor" and qual.endswith(".__init__"):
                    qual = qual[: -len(".__init__")]
                out.append(f"{facts.module}.{qual}")
            call = self._calls_by_id(path).get(cid)
            named = imported_name(caller, call.func) if call is not None else None
            if named and named.split(".")[0] in self._project_roots:
                out.append(named)
            out = [
                self.kb.canonical(n)
                for n in out
                if self.kb.is_external_module(n.rsplit(".", 1)[0])
                and n.split(".")[0] != caller.module.split(".")[0]
            ]
        return out

    def scope_nodes(self) -> Iterable[tuple[str, ir.ModuleFacts, ir.Scope]]:
        for n in self.cg.graph.nodes:
            try:
                facts, scope = self.cg.scope(n)
            except (KeyError, LookupError):
                continue
            yield n, facts, scope

    def _direct_model_nodes(self) -> set[str]:
        out = set()
        for n, facts, scope in self.scope_nodes():
            if self.decorator_model_sites(facts.path, scope):
                out.add(self.owner(n))
                continue
            for call in ir.scope_calls(scope):
                if self.model_site(facts.path, call.cid) is not None:
                    out.add(self.owner(n))
                    break
        return out

    def _units(self) -> set[str]:
        units = set(self.direct)
        rev = self.graph.reverse(copy=False)
        for n in self.direct:
            if n in rev:
                units |= nx.descendants(rev, n)
        return {u for u in units if self.kind(u) in ("function", "module")}

    def _systems(self) -> set[str]:
        out = set()
        for u in self.units:
            callers = {c for c in self.graph.predecessors(u) if c != u and c in self.units}
            if not callers:
                out.add(u)
        return out

    def unit_callers(self, node: str) -> list[str]:
        return sorted(c for c in self.graph.predecessors(node) if c in self.units and c != node)
