"""Framework runs: what a run of an agentic construct is (an agent loop, routing by leaf
handoffs, sectioning with guardrails) and what bounds it (`_bounded_by`), including runs
delegated to another construct.
"""

from __future__ import annotations

from dataclasses import replace

from analyzer import ir
from analyzer.classify.constructs import _assigned_call, _has_agentic_args
from analyzer.classify.consts import Resolver, expr_text
from analyzer.classify.names import short_name
from analyzer.classify.nodes import Site


class RunsMixin:
    """The `Classifier`'s verdicts on framework runs."""

    def _run_specs(self, site: Site):
        """(run spec, constructor spec, agentic) for a framework run: what is run, how it
        was built, and whether the model gets tools to choose from."""
        run = self.kb.construct(site.callee)
        receiver = site.callee.rsplit(".", 1)[0]
        ctor_spec = self._ctor_spec(site)
        if site.ctor is not None and ctor_spec is not None:
            built = site.ctor
            inner = self._delegate(site.ctor_file, built, ctor_spec)
            if inner is not None:
                built, ctor_spec = inner
        elif run is not None and run.kind in ("agent", "workflow") and site.ctor is None:
            # a function that is itself the construct (`agent_loop(model, q, tools=...)`)
            ctor_spec, built = run, site.call
        else:
            built = None
        if built is not None:
            agentic = (
                bool(ctor_spec.agentic)
                or site.ctor_tools
                or _has_agentic_args(built, ctor_spec)
                or given_later(self.idx.modules.get(site.ctor_file), built, ctor_spec)
            )
            if agentic and self._leaf_handoffs(site, built, ctor_spec):
                agentic = False  # the model picks one leaf agent: routing, no loop
        else:
            agentic = receiver in self.agentic_types
            ctor_spec = self.kb.construct(receiver)
        return run, ctor_spec, agentic

    def framework_loop(self, site: Site) -> tuple[str, str, int | None] | None:
        """For a framework run of an agent: (stop status, evidence, bound on calls)."""
        if site.kind != "model" or site.model_kind != "framework_run":
            return None
        run, ctor, agentic = self._run_specs(site)
        if not agentic:
            return None
        return self._bounded_by(site, run, ctor, "turn")

    def construct_run(self, site: Site) -> tuple[str, tuple[str, str, int | None]] | None:
        """A framework construct that implements a workflow pattern (RouterQueryEngine,
        the reference runtime's chain/vote/...): its pattern and (stop, evidence, calls)."""
        if site.kind != "model" or site.model_kind != "framework_run":
            return None
        run, ctor, agentic = self._run_specs(site)
        leaves = (
            self._leaf_handoffs(site, site.ctor, ctor)
            if site.ctor is not None and ctor is not None
            else None
        )
        if leaves:
            why = f"hands off to one of {leaves} agent(s) with no tools: the model routes"
            return "routing", ("n/a", why, 2)
        together = [
            p
            for p in getattr(ctor, "parallel_params", ())
            if site.ctor is not None
            and isinstance(site.ctor.kwarg(p), ir.Seq)
            and site.ctor.kwarg(p).elts
        ]
        if together and not agentic:
            why = f"{together[0]} run concurrently with the agent's model call"
            return "parallelization_sectioning", ("n/a", why, None)
        if site.ctor is not None and ctor is not None and getattr(ctor, "children_mode", ""):
            made = self.composed(site.ctor_file, site.ctor, ctor)
            if made is not None:
                return self._composed_run(site, made)
        spec = ctor if ctor is not None and getattr(ctor, "pattern", "") else run
        pattern = getattr(spec, "pattern", "") if spec is not None else ""
        if not pattern or (agentic and pattern == "agent_loop"):
            return None
        status, evidence, n = self._bounded_by(site, run, spec, "round")
        fixed = getattr(spec, "fixed_calls", None)
        count = getattr(spec, "count_arg", None)
        if fixed is not None:
            n = fixed
        elif count is not None:
            items = site.call.arg(count[1], count[0])
            n = len(items.elts) if isinstance(items, ir.Seq) else None
        elif n is not None:
            n = n * getattr(spec, "calls_per_round", 1) + getattr(spec, "extra_calls", 0)
        if pattern not in ("evaluator_optimizer", "agent_loop"):
            status = "n/a"
        return pattern, (status, evidence, n)

    def _composed_run(self, site: Site, made) -> tuple:
        """(pattern, (stop, evidence, calls), contains) of a run of a composed workflow:
        the worst stop among the agent loops at its leaves (each judged by its own
        constructor's bounds), no static call count."""
        stops = []
        for call, spec in made.agents:
            leaf = Site(call, "model", callee=f"{spec.callee}.run", path=site.ctor_file)
            leaf.ctor = call
            stops.append(self._bounded_by(leaf, None, spec, "turn"))
        rank = {"missing": 3, "default": 2, "present": 1, "n/a": 0}
        status, evidence, _ = max(stops, key=lambda v: rank[v[0]], default=("n/a", "", None))
        return made.pattern, (status, evidence, None), tuple(made.contains)

    def _bounded_by(self, site: Site, run, ctor, what: str) -> tuple[str, str, int | None]:
        """Stop status from the limits a run was given or defaults to."""
        receiver = site.callee.rsplit(".", 1)[0]
        bounds = list(run.bounds) if run is not None else []
        if ctor is not None and ctor is not run:
            bounds += list(ctor.bounds)
        soft = ""
        for b in [b for b in bounds if not getattr(b, "ends_loop", True)]:
            given = site.call.kwarg(b.param) or (
                site.ctor.kwarg(b.param) if site.ctor is not None else None
            )
            if given is not None:
                soft = f"{b.param}={expr_text(given)} (line {given.loc.line}) does not end the loop: {b.on_hit}"
        bounds = [
            b
            for b in bounds
            if getattr(b, "ends_loop", True)
            and (
                not getattr(b, "only_when", ())
                or (site.ctor is not None and any(_arg_is(site.ctor, k, v) for k, v in b.only_when))
            )
        ]
        if not bounds:
            return "missing", soft or f"{short_name(site.callee)} has no {what} limit", None
        # the construct the run's target runs may hold the limit (GroupChatManager(groupchat=gc))
        held = (
            self._delegate(site.ctor_file, site.ctor, self._ctor_spec(site))
            if site.ctor is not None
            else None
        )
        inner = held[0] if held is not None else None
        for b in bounds:
            given = site.call.kwarg(b.param)
            if given is None and b.container:
                box = self._module_value(site.path, site.call.kwarg(b.container))
                given = _dict_value(box, b.param)
            if given is None and b.where == "config":
                box = self._module_value(site.path, site.call.kwarg("config"))
                given = _dict_value(box, b.param)
            if given is None and site.ctor is not None:
                given = site.ctor.kwarg(b.param)
            if given is None and inner is not None:
                given = inner.kwarg(b.param)
            if given is None and b.container and site.ctor is not None:
                # a collaborator built with the limit: manager=RoundRobinManager(max_rounds=5)
                box = self._module_value(site.ctor_file, site.ctor.kwarg(b.container))
                given = _dict_value(box, b.param)
            if given is None and site.ctor is None:
                for param, v, _line in self.ctor_bounds.get(receiver, []):
                    if param == b.param:
                        given = v
                        break
            if given is not None:
                value = given.value if isinstance(given, ir.Const) else None
                if isinstance(given, ir.Const) and (value is None or value in b.unbounded_values):
                    return "missing", f"{b.param}={value!r} switches the limit off", None
                n = value + b.extra_calls if isinstance(value, int) else None
                return "present", f"{b.param}={expr_text(given)} (line {given.loc.line})", n
        # nothing given: the first limit with a default ends the loop, else none does
        b = next((b for b in bounds if b.default is not None), bounds[0])
        owner = run if run is not None and b in run.bounds else ctor
        note = (
            getattr(owner, "default_bound_note", "") if owner is not None else ""
        ) or f"{b.param} defaults to {b.default}"
        if b.default is None:
            return "missing", f"{short_name(site.callee)}: {b.param} has no default limit", None
        n = int(b.default) + b.extra_calls if isinstance(b.default, (int, float)) else None
        # a limit the library enforces and never lets be switched off is a hard bound
        return ("present" if getattr(b, "enforced", False) else "default"), note, n

    def _module_value(self, path: str, e: ir.Expr | None) -> ir.Expr | None:
        """A module-level name's single assigned value (`limits = UsageLimits(...)`)."""
        facts = self.idx.modules.get(path)
        if isinstance(e, ir.Name) and facts is not None:
            module = facts.scope("<module>") or next(
                (s for s in facts.scopes if s.kind == "module"), None
            )
            if module is not None:
                return Resolver(facts, module).value_of(e.id) or e
        return e

    def _delegate(self, path: str, built: ir.Call, spec):
        """(constructor call, spec) of the construct a runner runs (`Runner(agent=team)`),
        when the KB says which argument holds it and that argument can be read."""
        name = getattr(spec, "delegates", "")
        if not name:
            return None
        return self._construct_call(path, built.kwarg(name), built.loc.line)

    def _leaf_handoffs(self, site: Site, built: ir.Call, spec) -> int:
        """How many agents a run can hand off to when handoffs are its only agentic
        arguments and every target is a leaf (no tools, no handoffs, none added later):
        the model picks one of them and that agent answers (RULES P7). 0 otherwise."""
        if getattr(spec, "handoff_by_return", ()):
            return self._leaf_returned_agents(site, built, spec)
        hand = getattr(spec, "handoff_params", ())
        if not hand:
            return 0
        when = getattr(spec, "handoff_when", ())
        if when and not any(_arg_is(built, kw, values) for kw, values in when):
            return 0
        others = replace(
            spec, agentic_params=tuple(p for p in spec.agentic_params if p not in hand)
        )
        if (spec.agentic and not when) or site.ctor_tools or _has_agentic_args(built, others):
            return 0
        facts = self.idx.modules.get(site.ctor_file)
        if facts is None:
            return 0
        late = _late_additions(facts, spec.agentic_params)
        targets: list[ir.Expr] = []
        for p in hand:
            v = built.kwarg(p)
            if isinstance(v, ir.Seq):
                targets += list(v.elts)
            elif v is not None:
                return 0
        targets += _late_values(facts, built, spec.agentic_params)
        if not targets:
            return 0
        for t in targets:
            if isinstance(t, ir.Call) and t.args:
                t = t.kwarg("agent") or t.args[0].value  # `handoff(agent)` wraps an agent
            tname = ir.dotted(t)
            ctor = t if isinstance(t, ir.Call) else None
            if ctor is None and tname:
                ctor = _assigned_call(facts, None, tname, 10**9)
            if ctor is None or (tname and tname in late):
                return 0
            tspec = self._construct_spec(site.ctor_file, ctor)
            if tspec is None or tspec.agentic or _has_agentic_args(ctor, tspec):
                return 0
        return len(targets)

    def _leaf_returned_agents(self, site: Site, built: ir.Call, spec) -> int:
        """Handoffs by return (swarm): every function the agent was given returns an
        agent, and every such agent is a leaf (given nothing itself). The model picks one
        function, the framework switches to that agent and it answers: routing. 0 when
        any function is a plain tool or any target can act again."""
        facts = self.idx.modules.get(site.ctor_file)
        if facts is None or spec.agentic:
            return 0
        given = _given(facts, built, spec.agentic_params)
        if not given:
            return 0
        for fn in given:
            name = ir.dotted(fn)
            returned = _returned_name(facts, name) if name and "." not in name else None
            target = _assigned_call(facts, None, returned, 10**9) if returned else None
            if target is None or target is built:
                return 0
            tspec = self._construct_spec(site.ctor_file, target)
            if tspec is None or tspec.agentic or _given(facts, target, tspec.agentic_params):
                return 0
        return len(given)


def _given(facts: ir.ModuleFacts, built: ir.Call, params: tuple[str, ...]) -> list[ir.Expr]:
    """Every value given to `built` in `params`: at construction and added later."""
    out: list[ir.Expr] = []
    for p in params:
        v = built.kwarg(p)
        out += list(v.elts) if isinstance(v, ir.Seq) else ([v] if v is not None else [])
    return out + _late_values(facts, built, params)


def _late_values(facts: ir.ModuleFacts, built: ir.Call, params: tuple[str, ...]) -> list[ir.Expr]:
    """The values given to the object `built` in `params` after construction (the items
    of a list, one by one), through any module-level name bound to that very call."""
    out: list[ir.Expr] = []
    for owner, values in _late_additions(facts, params).items():
        if owner and _assigned_call(facts, None, owner, 10**9) is built:
            for v in values:
                out += list(v.elts) if isinstance(v, ir.Seq) else [v]
    return out


def _returned_name(facts: ir.ModuleFacts, fn: str) -> str | None:
    """The module-level name a module function returns on every path (`return agent_b`)."""
    scope = next((s for s in facts.scopes if s.qualname == fn and s.kind == "function"), None)
    if scope is None:
        return None
    names = {
        ir.dotted(st.value) if st.value is not None else None
        for st in ir.walk_stmts(scope.body)
        if isinstance(st, ir.Return)
    }
    return next(iter(names)) if len(names) == 1 else None


def given_later(facts: ir.ModuleFacts | None, built: ir.Call, spec) -> bool:
    """Tools or handoffs given to the object `built` made after construction
    (`agent.functions = [...]`, `agent.tools.append(search)`): it is agentic as if they had
    been passed to the constructor."""
    return facts is not None and bool(
        _late_values(facts, built, getattr(spec, "agentic_params", ()))
    )


# `_late_additions` of the files asked about last, by (id of the facts, params): every
# framework run asks, and each answer is a walk of its whole file. The facts are kept in
# the entry, so an id is never reused while its entry lives.
_LATE: dict[tuple[int, tuple[str, ...]], tuple[ir.ModuleFacts, dict[str, list[ir.Expr]]]] = {}
_LATE_SIZE = 256


def _late_additions(facts: ir.ModuleFacts, params: tuple[str, ...]) -> dict[str, list[ir.Expr]]:
    """Values given to an object's agentic params after construction, by object name:
    `triage.handoffs.append(billing)`, `agent.tools = [...]`, `agent.handoffs += [...]`.
    (Callers only read the answer: it is shared.)"""
    key = (id(facts), tuple(params))
    hit = _LATE.get(key)
    if hit is not None and hit[0] is facts:
        return hit[1]
    out = _scan_late_additions(facts, key[1])
    if len(_LATE) >= _LATE_SIZE:
        _LATE.clear()
    _LATE[key] = (facts, out)
    return out


def _scan_late_additions(
    facts: ir.ModuleFacts, params: tuple[str, ...]
) -> dict[str, list[ir.Expr]]:
    out: dict[str, list[ir.Expr]] = {}
    for sc in facts.scopes:
        for st in ir.walk_stmts(sc.body):
            for e in ir.stmt_exprs(st):
                for x in ir.walk_expr(e):
                    if (
                        isinstance(x, ir.Call)
                        and isinstance(x.func, ir.Attr)
                        and x.func.attr in ("append", "extend", "insert")
                        and isinstance(x.func.value, ir.Attr)
                        and x.func.value.attr in params
                    ):
                        owner = ir.dotted(x.func.value.value)
                        if owner:
                            out.setdefault(owner, []).extend(a.value for a in x.args[-1:])
            if isinstance(st, ir.Assign):
                for t in st.targets:
                    if isinstance(t, ir.Attr) and t.attr in params and ir.dotted(t.value):
                        out.setdefault(ir.dotted(t.value) or "", []).append(st.value)
    return out


def _arg_is(call: ir.Call, kw: str, values: tuple) -> bool:
    """The keyword argument is one of `values`: a literal, or an enum member written as
    `Mode.route` (matched by its dotted text or its last name)."""
    v = call.kwarg(kw)
    if isinstance(v, ir.Const):
        return v.value in values
    text = ir.dotted(v) if v is not None else None
    return bool(text) and (
        text in values or any(text.endswith(f".{x}") for x in values if isinstance(x, str))
    )


def _dict_value(box: ir.Expr | None, key: str) -> ir.Expr | None:
    if isinstance(box, ir.Dict):
        for k, v in zip(box.keys, box.values, strict=False):
            if isinstance(k, ir.Const) and k.value == key:
                return v
    if isinstance(box, ir.Call):
        return box.kwarg(key)
    return None
