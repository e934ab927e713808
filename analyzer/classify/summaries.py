"""Callee summaries: what a called function does that its caller's decisions need — its
returns (`_returns_of`, `_returns_output`), whether it asks a person, the shared counters it
advances and limits it raises on (`_callee_effects`), and the parameters it dispatches on or
only uses to pick who answers (`dispatch_params`, `_derived_from`, `_selector_params`).
"""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.nodes import Site
from analyzer.classify.predicates import asks_a_person
from analyzer.classify.taint import Taint, target_names
from analyzer.classify.voting import selector_use


class SummariesMixin:
    """The `Classifier`'s summaries of callees."""

    def dispatch_params(self, node: str) -> dict[str, int]:
        """Parameters of a (non-unit) function that select which function it calls."""
        if node in self._dispatch_params:
            return self._dispatch_params[node]
        self._dispatch_params[node] = {}
        try:
            facts, scope = self.cg.scope(node)
        except (KeyError, LookupError):
            return {}
        params = [p.name for p in scope.params if p.name not in ("self", "cls")]
        derived = _derived_from(scope, params)
        found: dict[str, int] = {}
        for call in ir.scope_calls(scope):
            keys: list[ir.Expr] = []
            for t in self.cg.targets(facts.path, call.cid):
                if getattr(t, "dynamic", False) and getattr(t, "key", None) is not None:
                    keys.append(t.key)
            if isinstance(call.func, ir.Subscript):
                keys.append(call.func.index)
            if isinstance(call.func, ir.Call) and ir.dotted(call.func.func) == "getattr":
                if len(call.func.args) >= 2:
                    keys.append(call.func.args[1].value)
            for k in keys:
                for x in ir.walk_expr(k):
                    if isinstance(x, ir.Name):
                        for p in derived.get(x.id, ()):
                            found[p] = params.index(p)
        self._dispatch_params[node] = found
        return found

    def _call_dispatch_params(self, path: str, call: ir.Call) -> list[int | str]:
        out: list[int | str] = []
        for t in self.idx.internal_targets(path, call.cid):
            for name, pos in self.dispatch_params(t.name).items():
                out += [pos, name]
        return out

    def _returns_of(self, path: str, call: ir.Call) -> list[ir.Expr]:
        """What the project functions a call reaches return (for helper predicates)."""
        out = []
        for t in self.idx.internal_targets(path, call.cid):
            try:
                scope = self.cg.scope(t.name)[1]
            except (KeyError, LookupError):
                continue
            out += [
                st.value
                for st in ir.walk_stmts(scope.body)
                if isinstance(st, ir.Return) and st.value is not None
            ]
        return out

    def _callee_asks(self, path: str, call: ir.Call) -> bool:
        """A project function the call reaches (four calls deep, units included) waits for
        a person: the loop around the call is a conversation, judged per turn (S4)."""
        key = (path, call.cid)
        if key not in self._asks_cache:
            self._asks_cache[key] = False
            found = False
            for facts, scope, _ in self._reached_scopes(path, call, 41, lambda depth, _: depth < 4):
                if any(
                    asks_a_person(c, self.idx.externals(facts.path, c.cid))
                    for c in ir.scope_calls(scope)
                ):
                    found = True
                    break
            self._asks_cache[key] = found or self._hook_asks(path, call)
        return self._asks_cache[key]

    def _hook_asks(self, path: str, call: ir.Call) -> bool:
        """A framework run whose object has a hook registered on it (KB constructs of kind
        "hook": Semantic Kernel `kernel.add_filter(type, fn)`, `@kernel.filter(...)`) runs
        the hook around every call: when the hook waits for a person, so does the run. The
        registration must be on the same name, in the scope that makes the run (or the
        module's top level)."""
        site = self.idx.model_site(path, call.cid)
        if site is None or site.kind != "framework_run" or not isinstance(call.func, ir.Attr):
            return False
        recv = ir.dotted(call.func.value)
        facts = self.idx.modules.get(path)
        if recv is None or facts is None:
            return False
        home = next(
            (sc for sc in facts.scopes if any(c.cid == call.cid for c in ir.scope_calls(sc))),
            None,
        )
        if home is None:
            return False
        hooks: set[str] = set()
        for sc in facts.scopes:
            if sc is home or (sc.kind == "module" and sc.cell == home.cell):
                for c in ir.scope_calls(sc):
                    if self._is_hook(path, c, recv):
                        hooks |= {t.name for t in self.idx.internal_targets(path, c.cid)}
            if sc.parent == home.qualname and sc.cell == home.cell:
                if any(
                    isinstance(d, ir.Call) and self._is_hook(path, d, recv) for d in sc.decorators
                ):
                    hooks.add(self.cg.node_id(path, sc.qualname, sc.cell))
        for node in sorted(hooks):
            try:
                hfacts, hscope = self.cg.scope(node)
            except (KeyError, LookupError):
                continue
            if any(
                asks_a_person(c, self.idx.externals(hfacts.path, c.cid))
                or self._callee_asks(hfacts.path, c)
                for c in ir.scope_calls(hscope)
            ):
                return True
        return False

    def _is_hook(self, path: str, c: ir.Call, recv: str) -> bool:
        if not isinstance(c.func, ir.Attr) or ir.dotted(c.func.value) != recv:
            return False
        return any(
            (spec := self.kb.construct(e)) is not None and spec.kind == "hook"
            for e in self.idx.externals(path, c.cid)
        )

    def _reached_scopes(self, path: str, call: ir.Call, limit: int, expand):
        """The project functions a call reaches, breadth first and each once, as
        (facts, scope, depth), until `limit` have been seen. A scope's own calls are followed
        when `expand(depth, seen)` holds (`seen`: how many functions were seen so far)."""
        todo = [(t.name, 0) for t in self.idx.internal_targets(path, call.cid)]
        seen: set[str] = set()
        while todo and len(seen) < limit:
            n, depth = todo.pop(0)
            if n in seen:
                continue
            seen.add(n)
            try:
                facts, scope = self.cg.scope(n)
            except (KeyError, LookupError):
                continue
            yield facts, scope, depth
            if expand(depth, len(seen)):
                for c in ir.scope_calls(scope):
                    todo += [
                        (t.name, depth + 1) for t in self.idx.internal_targets(facts.path, c.cid)
                    ]

    def _callee_effects(self, path: str, call: ir.Call) -> tuple[set[str], int]:
        """What the project functions a call reaches (three calls deep) do to shared state:
        the `self.`/global names they advance, and the line of a raise guarded by a
        comparison of such a name (a step, cost or budget limit kept by the callee)."""
        key = (path, call.cid)
        if key in self._effects_cache:
            return self._effects_cache[key]
        self._effects_cache[key] = (set(), 0)  # recursion guard
        scopes = [
            scope for _, scope, _ in self._reached_scopes(path, call, 12, lambda _, seen: seen < 4)
        ]
        advanced: set[str] = set()
        counts: dict[int, set[str]] = {}  # per scope: locals holding an advanced count
        for sc in scopes:
            shared = {
                n for st in ir.walk_stmts(sc.body) if isinstance(st, ir.Global) for n in st.names
            }
            for st in ir.walk_stmts(sc.body):
                if isinstance(st, ir.Assign) and st.op in ("+", "-"):
                    for t in st.targets:
                        name = ir.dotted(t) or ""
                        if name.startswith("self.") or name in shared:
                            advanced.add(name)
            counts[id(sc)] = _stored_counts(sc, shared)
            advanced |= {n for n in counts[id(sc)] if "." in n or n in shared}
        advanced |= self._grown_by_call(path, call)
        line = 0
        for sc in scopes:
            local = advanced | counts[id(sc)]
            for st in ir.walk_stmts(sc.body):
                if (
                    isinstance(st, ir.If)
                    and any(isinstance(x, ir.Compare) for x in ir.walk_expr(st.test))
                    and any(
                        ir.dotted(x) in local
                        for x in ir.walk_expr(st.test)
                        if isinstance(x, (ir.Name, ir.Attr))
                    )
                    and any(isinstance(b, ir.Raise) for b in st.body)
                ):
                    line = line or st.loc.line
        self._effects_cache[key] = (advanced, line)
        return advanced, line

    def _grown_by_call(self, path: str, call: ir.Call) -> set[str]:
        """The caller's collections a call grows: an argument the callee appends to
        (`attempts = record(err, attempts)`), and the receiver's fields it grows
        (`self._note(field, err)` storing a longer list in `self.failed[field]`). A length
        of such a collection counts the rounds of a loop that makes the call each round."""
        out = self._grown_by_call_in(path, call, -1)
        if isinstance(call.func, ir.Attr) and (receiver := ir.dotted(call.func.value)):
            for t in self.idx.internal_targets(path, call.cid):
                _, shared = self._grows(t.name, 0)
                out |= {receiver + n[len("self") :] for n in shared}
        return out

    def _grows(self, node: str, depth: int) -> tuple[frozenset[str], frozenset[str]]:
        """What a function grows: the parameters it appends to (itself or through a
        callee it hands them to), and the `self.` collections it appends to or stores a
        grown list back into (`prev = self.failed.get(k, []); prev.append(e);
        self.failed[k] = prev`)."""
        cache = self.__dict__.setdefault("_grows_cache", {})
        if node in cache:
            return cache[node]
        cache[node] = (frozenset(), frozenset())
        try:
            facts, scope = self.cg.scope(node)
        except (KeyError, LookupError):
            return cache[node]
        grown: set[str] = set()
        for c in ir.scope_calls(scope):
            if isinstance(c.func, ir.Attr) and c.func.attr in _GROWERS:
                base = c.func.value
                while isinstance(base, ir.Subscript):
                    base = base.value
                if d := ir.dotted(base):
                    grown.add(d)
            elif depth < 2:
                grown |= self._grown_by_call_in(facts.path, c, depth)
        for st in ir.walk_stmts(scope.body):
            if isinstance(st, ir.Assign) and st.op is None and ir.dotted(st.value) in grown:
                for t in st.targets:
                    while isinstance(t, ir.Subscript):
                        t = t.value
                    if (d := ir.dotted(t)) and d.startswith("self."):
                        grown.add(d)
        params = frozenset(p.name for p in scope.params) & grown
        shared = frozenset(n for n in grown if n.startswith("self."))
        cache[node] = (params, shared)
        return cache[node]

    def _grown_by_call_in(self, path: str, call: ir.Call, depth: int) -> set[str]:
        out: set[str] = set()
        for t in self.idx.internal_targets(path, call.cid):
            params, _ = self._grows(t.name, depth + 1)
            if not params:
                continue
            try:
                names = [p.name for p in self.cg.scope(t.name)[1].params]
            except (KeyError, LookupError):
                continue
            bound = isinstance(call.func, ir.Attr) and names[:1] in (["self"], ["cls"])
            positional = names[1:] if bound else names
            for i, a in enumerate(call.args):
                if a.kw in ("*", "**"):
                    continue
                p = a.kw if a.kw is not None else (positional[i] if i < len(positional) else None)
                if p in params and (d := ir.dotted(a.value)):
                    out.add(d)
        return out


_GROWERS = frozenset({"append", "extend", "insert", "appendleft"})  # a set may not grow


def _stored_counts(sc: ir.Scope, shared: set[str]) -> set[str]:
    """A count advanced through a local and stored back on shared state:
    `n = self.calls.get(key, 0) + 1; ...; self.calls[key] = n` (one count per key, such as
    each handler an engine runs). Gives the local (`n`) and the shared name (`self.calls`)."""
    stmts = list(ir.walk_stmts(sc.body))
    bumped: dict[str, set[str]] = {}  # local -> shared names its value reads
    for st in stmts:
        if (
            isinstance(st, ir.Assign)
            and st.op is None
            and isinstance(st.value, ir.BinOp)
            and st.value.op in ("+", "-")
            and len(st.targets) == 1
            and isinstance(st.targets[0], ir.Name)
        ):
            read = {
                d
                for x in ir.walk_expr(st.value)
                if isinstance(x, ir.Attr) and (d := ir.dotted(x))
                if d.startswith("self.") or d.split(".")[0] in shared
            }
            if read:
                bumped[st.targets[0].id] = read
    out: set[str] = set()
    for st in stmts:
        if isinstance(st, ir.Assign) and st.op is None and isinstance(st.value, ir.Name):
            src = bumped.get(st.value.id)
            for t in st.targets:
                while isinstance(t, ir.Subscript):
                    t = t.value
                name = ir.dotted(t)
                if src and name and any(r == name or r.startswith(name + ".") for r in src):
                    out |= {name, st.value.id}
    return out


def _returns_output(body: tuple[ir.Stmt, ...], taint: Taint, guarded: bool) -> bool:
    """The function returns (or yields) model output, or a value chosen on a branch that
    tests model output (`if "PASS" in verdict: return True`). A helper that returns only
    constants chosen by user input (`if text == "exit": return False`) does not."""
    for st in body:
        if isinstance(st, ir.Return) and st.value is not None:
            if guarded or taint.expr(st.value):
                return True
        for e in ir.stmt_exprs(st):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Yield) and (guarded or taint.expr(x.value)):
                    return True
        test = getattr(st, "test", None) if isinstance(st, (ir.If, ir.While)) else None
        inner = guarded or (test is not None and taint.expr(test))
        if isinstance(st, ir.Match):
            inner = guarded or taint.expr(st.subject)
        for block in ir.child_blocks(st):
            if _returns_output(block, taint, inner):
                return True
    return False


def _selector_params(scope: ir.Scope, sites: list[Site], summaries) -> frozenset[int]:
    """Positions of parameters used only to pick who answers: `def ask(model): ...
    create(model=model, messages=same)`; a fan-out over them asks one question of many."""
    params = [p.name for p in scope.params if p.kind in ("posonly", "normal")]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    uses: dict[str, int] = {}  # uses in what the function sends (call arguments)
    for c in ir.scope_calls(scope):
        for a in c.args:
            for x in ir.walk_expr(a.value):
                if isinstance(x, ir.Name) and x.id in params:
                    uses[x.id] = uses.get(x.id, 0) + 1
    picks: dict[str, int] = {}
    for s in sites:
        for a in s.call.args:
            if isinstance(a.value, ir.Name) and a.value.id in params:
                if selector_use(s, a.value, summaries):
                    picks[a.value.id] = picks.get(a.value.id, 0) + 1
    return frozenset(i for i, p in enumerate(params) if picks.get(p) and picks[p] == uses.get(p))


def _derived_from(scope: ir.Scope, params: list[str]) -> dict[str, set[str]]:
    """Local names whose value is computed from the parameters, with the parameters each
    depends on: `for raw in calls: name = json.loads(raw)["name"]` makes `name` depend on
    `calls`, so a lookup keyed by `name` is a dispatch on that parameter."""
    deps: dict[str, set[str]] = {p: {p} for p in params}

    def reads(e: ir.Expr | None) -> set[str]:
        out: set[str] = set()
        for x in ir.walk_expr(e) if e is not None else ():
            if isinstance(x, ir.Name):
                out |= deps.get(x.id, set())
        return out

    for _ in range(4):  # a few rounds reach the fixed point of straight-line code
        grew = False
        for st in ir.walk_stmts(scope.body):
            if isinstance(st, ir.Assign):
                src, targets = reads(st.value), st.targets
            elif isinstance(st, ir.For):
                src, targets = reads(st.iter), (st.target,)
            else:
                continue
            if not src:
                continue
            for t in targets:
                for n in target_names(t):
                    if not src <= deps.get(n, set()):
                        deps[n] = deps.get(n, set()) | src
                        grew = True
        if not grew:
            break
    return deps
