"""Read a unit's pattern, stop condition and model-call bound off its shape.

Patterns are found where their structure is (a loop, a branch, a fan-out, a delegated call
into another unit) together with how deeply that structure is nested; the outermost one
names the unit and the others become `contains` (DESIGN §2).

This module owns the `Decider` and the loop rules (retry or pattern, model-owned or not);
voting against sectioning is in `voting.py`, stop conditions and call bounds in `bound.py`,
and the types decisions produce in `verdicts.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer import ir

# Bounder and selector_use live in `bound` and `voting`; they stay importable from here.
from analyzer.classify.bound import Bounder as Bounder
from analyzer.classify.bound import _model_owned, loop_bounded
from analyzer.classify.consts import Resolver, expr_text
from analyzer.classify.nodes import Node, Site
from analyzer.classify.verdicts import PRIORITY, Decision, Found, LoopVerdict, Summary
from analyzer.classify.voting import _call_key, _same_input, _same_request, _voting
from analyzer.classify.voting import selector_use as selector_use
from analyzer.results import PATTERN_WORDS, Evidence


def site_weight(site: Site, summaries: dict[str, Summary]) -> int:
    if site.kind == "model":
        return 1
    return max((summaries[u].weight for u in site.units if u in summaries), default=1)


def site_pattern(site: Site, summaries: dict[str, Summary]) -> Summary | None:
    for u in site.units:
        s = summaries.get(u)
        if s is not None and s.pattern != "single_call":
            return s
    return None


# -------------------------------------------------------------------- loops


def _checked_exits(loop: Node) -> bool:
    """Every model-dependent exit is decided by the developer's check of the output
    (run the generated SQL, validate it): the check is the evaluator."""
    tainted = [e for e in loop.exits if e.tainted]
    return bool(tainted) and all(e.checked for e in tainted)


def _loop_is_retry(loop: Node) -> bool:
    """A loop that only goes round again when a call fails: a retry, not a pattern."""
    if not loop.retry_try or _model_owned(loop) or loop.interactive:
        return False
    return any(e.in_try_body or e.kind == "return" for e in loop.exits) or not loop.exits


def is_rerequest(loop: Node) -> bool:
    """A loop that sends the same request again until an answer is acceptable (no error,
    not empty, valid JSON) is a retry bounded by its count, not voting or an
    evaluator: one request written once, whose arguments read nothing the loop changes
    (no feedback), no tools or stop reason, and an exit as soon as an answer is good."""
    sites = loop.sites()
    if not sites or len({_call_key(s.call) for s in sites}) != 1:
        return False
    if loop.dispatch or loop.stop_field_read or any(s.tools_offered for s in sites):
        return False
    if any(s.in_fanout or s.args_tainted for s in sites):
        return False
    read = {
        x.id
        for s in sites
        for a in s.call.args
        for x in ir.walk_expr(a.value)
        if isinstance(x, ir.Name)
    }
    if read & (loop.changed | _target_names(loop.loop_target)):
        return False
    return any(e.kind in ("return", "break") and (e.tainted or e.in_try_body) for e in loop.exits)


def _target_names(e: ir.Expr | None) -> set[str]:
    return {x.id for x in ir.walk_expr(e) if isinstance(x, ir.Name)} if e is not None else set()


def _all_fanned(loop: Node) -> bool:
    sites = loop.sites()
    return bool(sites) and all(s.in_fanout for s in sites)


# -------------------------------------------------------------------- patterns


class Decider:
    def __init__(
        self,
        root: Node | None,
        summaries: dict[str, Summary],
        resolver: Resolver,
        framework_loop: Callable[[Site], tuple[str, str, int | None] | None],
        top_dispatch: list,
        construct_run: Callable[[Site], tuple | None] = lambda _site: None,
        graph_verdict: Callable[[Site], object] = lambda _site: None,
        selects: int = 0,
    ) -> None:
        self.selects = selects
        self.construct_run = construct_run
        self.graph_verdict = graph_verdict
        self.root = root
        self.summaries = summaries
        self.resolver = resolver
        self.framework_loop = framework_loop
        self.top_dispatch = top_dispatch
        self.found: list[Found] = []
        self.model_loops: list[LoopVerdict] = []
        self._agent_depth = 0  # > 0 while visiting the inside of an agent loop

    def decide(self) -> Decision:
        if self.root is not None:
            self.visit(self.root, 0)
        sites = self.root.sites() if self.root is not None else []
        for d in self.top_dispatch:
            # one tool round fixed by code is a chain, not routing (P6, P8): routing picks
            # a handler or prompt that itself calls a model
            if d.key_tainted and d.reaches_model:
                self.found.append(Found("routing", 0, d.line, f"{d.reason}: the model's answer"))
        direct = _depth0_sites(self.root)
        deferred = [s for s in direct if s.in_fanout]
        if len(deferred) >= 2:
            # futures or coroutines started one after another run together
            same = len({_call_key(s.call) for s in deferred}) == 1 or _same_input(
                deferred, self.summaries
            )
            pattern = "parallelization_voting" if same else "parallelization_sectioning"
            self.found.append(
                Found(pattern, 0, deferred[0].line, "calls started together run concurrently")
            )
            direct = [s for s in direct if not s.in_fanout]
        # a model-chosen branch followed by fixed model steps (verify, synthesise) is one
        # stage of a chain around it (P2): the chain is outermost, routing inside
        for f in self.found:
            if f.pattern == "routing" and f.depth == 0 and not f.delegated and f.end_line:
                if any(s.line > f.end_line for s in direct):
                    f.fed = True
        # structure written in this unit (a loop, branch, fan-out) outranks a chain; a
        # sequence of calls into other units' patterns is itself a chain around them
        # a fan-out fed by an earlier model call is one stage of a chain around it
        fed_fan = any(f.depth == 0 and f.fed for f in self.found)
        own = any(
            f.depth == 0 and not f.delegated and not f.fed and f.pattern != "prompt_chaining"
            for f in self.found
        )
        if len(sites) >= 2 and not own:
            if len(direct) >= 2 or (direct and fed_fan) or (len(sites) >= 2 and not self.found):
                flow = any(s.args_tainted for s in sites[1:])
                why = (
                    "output of one model call feeds the next"
                    if flow
                    else "model calls in a fixed order"
                )
                self.found.append(Found("prompt_chaining", 0, sites[0].line, why))
        if self.selects:
            self._votes_by_selection(direct)
        if not self.found:
            line = sites[0].line if sites else 0
            return Decision("single_call", (), [Evidence(line, "one model call")], self.model_loops)
        chained = [f for f in self.found if f.pattern == "prompt_chaining" and f.depth == 0]
        if chained and not own:
            outer = chained[0]
        else:
            outer = min(self.found, key=lambda f: (f.depth, PRIORITY.index(f.pattern), f.line))
        # every other structure found, and what those contain, outermost first
        contains = []
        for f in sorted(self.found, key=lambda f: (f.depth, PRIORITY.index(f.pattern), f.line)):
            for p in (f.pattern, *f.contains):
                if p not in contains and p not in (outer.pattern, "single_call"):
                    contains.append(p)
        evidence = [Evidence(f.line, f.reason) for f in sorted(self.found, key=lambda f: f.line)]
        return Decision(outer.pattern, tuple(contains), evidence, self.model_loops)

    def _votes_by_selection(self, direct: list[Site]) -> None:
        """Answers gathered in parallel and then one picked (`max(..., key=score)`,
        `Counter(...).most_common`) are a vote, not sections to combine."""
        parallel = [f for f in self.found if f.pattern.startswith("parallelization_")]
        if not parallel:
            return
        for f in parallel:
            f.pattern = "parallelization_voting"
            f.reason = f"{f.reason}; one answer is picked from them (line {self.selects})"
        if direct and all(f.delegated for f in parallel) and len(parallel) >= len(direct):
            # the whole unit is candidates and their scoring: a vote, outermost
            self.found = [f for f in self.found if f.pattern != "prompt_chaining"]
            for f in parallel:
                f.delegated = False

    def visit(self, node: Node, depth: int) -> None:
        if node.kind == "site":
            self.site(node.site, depth)  # type: ignore[arg-type]
            return
        if node.kind == "loop":
            self.loop(node, depth)
            return
        if node.kind == "fan":
            self.fan(node, depth)
            return
        if node.kind == "branch":
            self.branch(node, depth)
            return
        for c in node.children:
            self.visit(c, depth)

    def site(self, site: Site, depth: int) -> None:
        if site.selected_by_model and not self._agent_depth:
            self.found.append(
                Found(
                    "routing",
                    depth,
                    site.selected_by_model,
                    "model output selects the prompt or handler a later call uses",
                )
            )
        verdict = self.graph_verdict(site)
        if verdict is not None:
            self.graph_found(site, verdict, depth)
            return
        built = self.construct_run(site)
        if built is not None:
            pattern, (status, evidence, _calls), *more = built
            contains = tuple(more[0]) if more else ()
            self.found.append(
                Found(pattern, depth, site.line, f"{site.api} runs {pattern}", contains)
            )
            if status != "n/a":
                self.model_loops.append(LoopVerdict(site.line, status, evidence))
            return
        fw = self.framework_loop(site)
        if fw is not None:
            status, evidence, _ = fw
            self.found.append(
                Found(
                    "agent_loop",
                    depth,
                    site.line,
                    f"framework agent run: {site.api}",
                    ("routing",) if site.hands_off else (),
                    # the loop is the framework's, not structure written here: runs in a
                    # fixed order are a chain around their agent loops (P2)
                    delegated=True,
                )
            )
            if status != "n/a":
                self.model_loops.append(LoopVerdict(site.line, status, evidence))
            return
        inner = site_pattern(site, self.summaries)
        if inner is not None:
            self.found.append(
                Found(
                    inner.pattern,
                    depth,
                    site.line,
                    f"calls {PATTERN_WORDS[inner.pattern]} ({inner.pattern})",
                    inner.contains,
                    delegated=True,
                )
            )

    def graph_found(self, site: Site, verdict, depth: int) -> None:
        """A framework graph run: its pattern as the graph reader decided it, with the
        patterns of the units it runs inside it."""
        inner = [self.summaries[n] for n in verdict.nodes if n in self.summaries]
        inner_patterns = [s.pattern for s in inner if s.pattern != "single_call"]
        pattern, contains = verdict.pattern, list(verdict.contains)
        if pattern == "single_call" and inner_patterns:
            pattern, contains = inner_patterns[0], [*inner_patterns[1:]]
        for p in inner_patterns + [c for s in inner for c in s.contains]:
            if p != pattern and p not in contains:
                contains.append(p)
        reason = verdict.evidence[0][1] if verdict.evidence else f"framework graph: {pattern}"
        self.found.append(Found(pattern, depth, site.line, reason, tuple(contains)))
        status, evidence = verdict.stop
        if status != "n/a":
            self.model_loops.append(LoopVerdict(site.line, status, evidence))

    def loop(self, loop: Node, depth: int) -> None:
        sites = loop.sites()
        inner_depth = depth + 1
        if _loop_is_retry(loop) or is_rerequest(loop):
            for c in loop.children:
                self.visit(c, depth)
            return
        if _all_fanned(loop):
            self.fanout(loop, sites, depth, loop.iterable, loop.tainted_iter)
            for c in loop.children:
                self.visit(c, inner_depth)
            return
        weight = sum(site_weight(s, self.summaries) for s in sites)
        model_dispatch = [d for d in loop.dispatch if d.key_tainted]
        owned = _model_owned(loop)
        stopish = loop.stop_field_read or any(e.stop_field for e in loop.exits)
        tools = any(s.tools_offered for s in sites)
        pattern = None
        reason = ""
        if model_dispatch:
            pattern, reason = (
                "agent_loop",
                f"loop dispatches tools chosen by the model ({model_dispatch[0].reason}, line {model_dispatch[0].line})",
            )
        elif loop.tainted_iter and loop.loop_kind in ("for", "comp"):
            pattern = "orchestrator_workers"
            reason = f"workers run for each item of model output {expr_text(loop.iterable)}"
        elif loop.interactive and not (stopish or tools):
            pass  # each round waits for a person: judged per turn (S4), no loop of the model's
        elif owned or (loop.infinite and not loop.test_counter):
            if stopish or tools:
                pattern, reason = (
                    "agent_loop",
                    "the model's stop reason decides whether the loop goes on",
                )
            elif weight >= 2 or _checked_exits(loop):
                pattern, reason = (
                    "evaluator_optimizer",
                    "an evaluating model call decides whether to generate again",
                )
            elif owned:
                pattern, reason = "agent_loop", "model output decides whether the loop goes on"
        elif loop.loop_kind in ("for", "comp", "while"):
            if _refines(loop, sites):
                pattern, reason = (
                    "evaluator_optimizer",
                    "a critique and a revision repeat, each fed by the other's output",
                )
            elif _same_request(loop, sites, self.resolver):
                pattern, reason = (
                    "parallelization_voting",
                    f"the same request repeated over {expr_text(loop.iterable)}",
                )
            elif any(s.args_tainted for s in sites) and loop.loop_kind != "comp":
                pattern, reason = (
                    "prompt_chaining",
                    f"a fixed sequence over {expr_text(loop.iterable)} carries output forward",
                )
            elif weight >= 1 and loop.loop_kind != "while":
                pattern, reason = (
                    "prompt_chaining",
                    f"model calls over a fixed list {expr_text(loop.iterable)}",
                )
        # every loop that makes model calls one after another has a stop verdict; an
        # unbounded one is only "missing" when model output decides whether it goes on
        # (a chat loop driven by user input is judged per turn)
        bounded, evidence, _, _ = loop_bounded(loop, self.resolver)
        if loop.interactive:
            pass  # a conversation with a person: judged per user turn
        elif bounded:
            self.model_loops.append(LoopVerdict(loop.loc.line, "present", evidence))
        elif pattern in ("agent_loop", "evaluator_optimizer") or owned:
            self.model_loops.append(LoopVerdict(loop.loc.line, "missing", evidence))
        if pattern is not None:
            self.found.append(Found(pattern, depth, loop.loc.line, reason))
            agent = pattern == "agent_loop"
            self._agent_depth += agent  # what the model picks in there is a tool call
            for c in loop.children:
                self.visit(c, inner_depth)
            self._agent_depth -= agent
        else:
            for c in loop.children:
                self.visit(c, inner_depth)

    def fan(self, node: Node, depth: int) -> None:
        sites = node.sites()
        comp = next((c for c in node.children if c.kind == "loop"), None)
        iterable = node.iterable if node.iterable is not None else (comp.iterable if comp else None)
        tainted = node.tainted_iter or (comp.tainted_iter if comp else False)
        self.fanout(node, sites, depth, iterable, tainted)
        for c in node.children:
            if c.kind == "loop":
                for cc in c.children:
                    self.visit(cc, depth + 1)
            else:
                self.visit(c, depth + 1)

    def fanout(self, node: Node, sites: list[Site], depth: int, iterable, tainted: bool) -> None:
        if tainted:
            self.found.append(
                Found(
                    "orchestrator_workers",
                    depth,
                    node.loc.line,
                    f"workers fan out over model output {expr_text(iterable)}",
                )
            )
            return
        fed = any(s.args_tainted for s in sites)
        if _voting(node, sites, iterable, self.summaries):
            self.found.append(
                Found(
                    "parallelization_voting",
                    depth,
                    node.loc.line,
                    "the same request runs several times concurrently",
                    fed=fed,
                )
            )
            return
        if len(sites) >= 2 or iterable is not None:
            self.found.append(
                Found(
                    "parallelization_sectioning",
                    depth,
                    node.loc.line,
                    "independent model calls run concurrently",
                    fed=fed,
                )
            )

    def branch(self, node: Node, depth: int) -> None:
        arms_with_sites = sum(1 for a in node.children if a.sites())
        if node.tainted_test and (
            arms_with_sites >= 2 or (arms_with_sites >= 1 and node.arm_calls >= 2)
        ):
            self.found.append(
                Found(
                    "routing",
                    depth,
                    node.loc.line,
                    "model output selects which handler runs",
                    end_line=node.loc.end_line,
                )
            )
            for c in node.children:
                self.visit(c, depth + 1)
            return
        for c in node.children:
            self.visit(c, depth + (1 if node.tainted_test else 0))


def _depth0_sites(root: Node | None) -> list[Site]:
    if root is None:
        return []
    if root.kind == "site":
        return [root.site]  # type: ignore[list-item]
    out = []
    for c in root.children if root.kind in ("seq", "try") else []:
        if c.kind == "site":
            out.append(c.site)
        elif c.kind in ("seq", "try"):
            out += _depth0_sites(c)
    return out


def _refines(loop: Node, sites: list[Site]) -> bool:
    """Rounds of two or more different model steps over the same work (the round index is
    not in any request), each step reading model output: generate/critique/revise
    repeated (RULES P9), not a chain over a list of prompts."""
    if loop.loop_kind == "comp" or len(sites) < 2:
        return False
    if len({_call_key(s.call) for s in sites}) < 2:
        return False
    if not all(s.args_tainted for s in sites):
        return False
    target = _target_names(loop.loop_target)
    return not any(
        isinstance(x, ir.Name) and x.id in target
        for s in sites
        for a in s.call.args
        for x in ir.walk_expr(a.value)
    )


# -------------------------------------------------------------------- bounds
