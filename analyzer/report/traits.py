"""The four traits of a system, in plain words, each claim pointing at the lines behind it.

Sequence ownership, failure surface, auditability and resource commitment are what an
architecture review turns on. Every sentence is derived from the analysis (the unit, its
shape tree, its loop verdicts and findings), never from names in the code, and carries the
`path:line` places a reviewer should read to check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzer.classify.shape import Node
from analyzer.report.where import location, place_lines
from analyzer.results import PATTERN_NOUNS, Finding, Unit

TRAITS = ("Sequence ownership", "Failure surface", "Auditability", "Resource commitment")


@dataclass(frozen=True)
class Claim:
    text: str
    # (path, line) or (path, line, cell): the places a reviewer should read
    where: tuple[tuple, ...] = ()


@dataclass
class Trait:
    name: str
    verdict: str
    claims: list[Claim] = field(default_factory=list)


def pattern_words(u: Unit) -> str:
    """`routing workflow containing agent loop`: the unit's pattern, then what it contains."""
    words = PATTERN_NOUNS.get(u.pattern, u.pattern)
    if u.contains:
        words += " containing " + ", ".join(PATTERN_NOUNS.get(p, p) for p in u.contains)
    return words


# -------------------------------------------------------------------- tree queries


def walk(root: Node | None):
    stack = [root] if root is not None else []
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def open_routes(root: Node | None) -> list[Node]:
    """Branches on model output with no fallback arm."""
    return [
        n
        for n in walk(root)
        if n.kind == "branch" and n.tainted_test and not n.has_default and n.sites()
    ]


def uncapped_fanouts(root: Node | None) -> list[Node]:
    """Fan-outs (or loops) over model output: the model sets how many workers run."""
    out = []
    for n in walk(root):
        if n.kind == "fan":
            comp = next((c for c in n.children if c.kind == "loop"), None)
            if n.tainted_iter or (comp is not None and comp.tainted_iter):
                out.append(n)
        elif n.kind == "loop" and n.loop_kind in ("for", "comp") and n.tainted_iter and n.sites():
            out.append(n)
    return out


def chained_sites(root: Node | None) -> list[int]:
    """Lines of model calls whose arguments carry an earlier call's output."""
    return sorted({s.line for s in (root.sites() if root else []) if s.args_tainted})


def dispatch_lines(root: Node | None) -> list[int]:
    return sorted({d.line for n in walk(root) for d in n.dispatch if d.key_tainted})


# -------------------------------------------------------------------- traits


def sequence_ownership(u: Unit, root: Node | None) -> Trait:
    at = [(u.path, e.line, u.cell) for e in u.evidence if e.line]
    if u.pattern == "agent_loop":
        verdict = "the model decides the path at runtime"
        lead = (
            "The model chooses what happens next: the code provides the tools and the loop, "
            "the model's answers pick which tool runs and when to stop. What the system will "
            "do for a given input cannot be read off the code."
        )
    elif u.pattern == "single_call":
        verdict = "no sequence: one model call"
        lead = "One model call per run; there is no sequence for anyone to own."
    else:
        verdict = "the code fixes the path"
        lead = (
            "The developer wrote the path; the model works inside each step and does not "
            "choose the steps. Reading the code tells you what runs for a given input."
        )
        if u.pattern == "routing":
            lead += " The model's answer picks one of the handlers written in the code."
        if u.pattern == "orchestrator_workers":
            lead += " The model lists the subtasks, but only workers the code provides can run."
        if u.pattern == "evaluator_optimizer":
            lead += (
                " A model judge decides whether to go round again; the loop and the criteria "
                "are in the code."
            )
    claims = [Claim(lead, tuple(at[:1]))]
    for e in u.evidence:
        reason = e.reason[:1].upper() + e.reason[1:]
        claims.append(Claim(f"{reason}.", ((u.path, e.line, u.cell),) if e.line else ()))
    if u.contains and u.pattern != "agent_loop" and "agent_loop" in u.contains:
        claims.append(
            Claim(
                "Part of this workflow hands control to an agent loop: there, the model "
                "owns the sequence."
            )
        )
    return Trait(TRAITS[0], verdict, claims)


# What each rule's finding means for the failure surface, in a reviewer's words.
FAILURE_LEADS = {
    "missing-stop-condition": "The loop may never end: a model that keeps asking for "
    "another round runs until something outside the program stops it.",
    "unbounded-retry": "A retry has no limit: a call that keeps failing is retried forever.",
    "missing-route-fallback": "The branch on model output has no fallback: an answer the "
    "code does not expect takes none of the handlers, silently.",
    "unbounded-fan-out": "Workers run once per item of model output with no cap: the model "
    "sets how many calls run.",
    "nominal-default-bound": "Only a framework default limits the loop, and it is too high "
    "to bound cost in practice.",
    "model-output-to-exec": "Model output reaches code execution or a shell.",
    "unrestricted-tool-dispatch": "The model can call any function the lookup reaches, not "
    "only the tools meant for it.",
    "stacked-retries": "Retries are stacked: the attempts multiply across layers.",
}
# Rules the other traits (auditability) or no system (input errors) speak for.
NOT_FAILURES = ("absent-trace-logging", "input-error", "unknown-suppression")


def _finding_claim(f: Finding) -> Claim:
    """A finding in a reviewer's words, with the rule's own detail (its evidence)."""
    detail = re.sub(r" ?\(line \d+\)", "", f.message.split("; ")[0]).strip()
    detail = detail[:1].upper() + detail[1:]  # its place is the claim's `where`
    lead = FAILURE_LEADS.get(f.rule, "")
    text = f"{lead} {detail} ({f.rule})." if lead else f"{detail} ({f.rule})."
    return Claim(text, ((f.path, f.line, f.cell),))


def failure_surface(u: Unit, roots: list, loops: list, findings: list[Finding]) -> Trait:
    """The ways a run can go wrong. Each rule finding of the system is one point (the same
    findings `archlint check` reports, so the review and the gate agree), then what the
    structure itself implies; duplicates are dropped and the count is the bullets'."""
    claims: list[Claim] = [_finding_claim(f) for f in findings if f.rule not in NOT_FAILURES]
    root = roots[0][1] if roots else None
    chain = chained_sites(root)
    if chain and "prompt_chaining" in (u.pattern, *u.contains):
        claims.append(
            Claim(
                "Each call's output feeds the next without a check in between: a bad "
                "answer early on is carried into every later step.",
                tuple((u.path, line, u.cell) for line in chain[:4]),
            )
        )
    if u.pattern == "agent_loop":
        claims.append(
            Claim(
                "Beyond code errors, the model can pick the wrong tool for a plausible "
                "reason, repeat itself, or stop early with a confident wrong answer; its "
                "own judgment is the quality gate.",
                tuple((u.path, line, u.cell) for line in dispatch_lines(root)[:3]),
            )
        )
    elif u.pattern == "evaluator_optimizer":
        claims.append(
            Claim(
                "The judge's criteria are the quality gate; a lenient or inconsistent "
                "judge lets weak answers through."
            )
        )
    claims = list(dict.fromkeys(claims))
    if not claims:
        verdict = "enumerable: failures follow the code path"
        claims.append(
            Claim("Nothing beyond ordinary step failures: each step either works or raises.")
        )
    else:
        verdict = f"{len(claims)} point(s) to review"
    return Trait(TRAITS[1], verdict, claims)


def auditability(u: Unit, roots: list) -> Trait:
    calls = tuple((c.path or u.path, c.line, c.cell) for c in u.llm_calls[:4])
    tools = [(p, line) for p, r in roots for line in dispatch_lines(r)]
    if u.trace_logging.status == "present":
        verdict = "traced"
        claims = [
            Claim(f"Model calls are covered by tracing: {u.trace_logging.evidence}.", calls[:1])
        ]
        if u.sequence_owner == "model":
            claims.append(
                Claim(
                    "The trace shows which tools ran, but to know why each was chosen a "
                    "reviewer also needs the model's response (and reasoning) logged at "
                    "every turn.",
                    tuple(tools[:3]),
                )
            )
        else:
            claims.append(
                Claim(
                    "The trace follows the code path, so a reviewer can reconstruct what "
                    "ran and which step triggered the next."
                )
            )
    else:
        verdict = "not traced"
        claims = [
            Claim(
                "No logging, span or tracing decorator covers the model calls"
                + (" or the tool dispatch" if tools else "")
                + ": after the fact, nobody can reconstruct what the system did or why.",
                calls + tuple(tools[:2]),
            )
        ]
    return Trait(TRAITS[2], verdict, claims)


def resource_commitment(u: Unit, loops: list) -> Trait:
    if u.llm_call_bound is not None:
        verdict = f"at most {u.llm_call_bound} model call(s) per run"
        why = u.llm_call_bound_reason
        reason = f" ({why})" if why and why != f"{u.llm_call_bound} model call(s)" else ""
        claims = [
            Claim(
                f"The code bounds one run at {u.llm_call_bound} model call(s){reason}: "
                "cost and latency have a known ceiling."
            )
        ]
    else:
        verdict = "no bound on model calls"
        claims = [
            Claim(
                "The number of model calls per run is not bounded "
                f"({u.llm_call_bound_reason or 'it depends on runtime values'}). Cost and "
                "latency are known only after the run."
            )
        ]
    for path, v in loops:
        if v.status == "present":
            claims.append(Claim(f"Loop bound: {placed(v.evidence, path)}.", ((path, v.line),)))
    if u.stop_condition.status == "default":
        claims.append(
            Claim(f"Only the framework's default limit applies: {u.stop_condition.evidence}.")
        )
    return Trait(TRAITS[3], verdict, claims)


def unit_traits(u: Unit, reached: list, findings: list[Finding]) -> list[Trait]:
    """The four traits of one system. `reached` lists (path, UnitFacts) for the system
    first, then every unit it runs; findings are those of the same units."""
    roots = [(p, uf.root) for p, uf in reached if uf.root is not None]
    loops = [(p, v) for p, uf in reached for v in uf.model_loops]
    root = roots[0][1] if roots else None
    return [
        sequence_ownership(u, root),
        failure_surface(u, roots, loops, findings),
        auditability(u, roots),
        resource_commitment(u, loops),
    ]


def where_text(where: tuple[tuple, ...]) -> str:
    """`a.py:12, x.ipynb[cell 3]:4`: the places of a claim, in the one location format."""
    return ", ".join(location(*w) for w in where)


_LINE_REF = re.compile(r"\(line (\d+)\)")


def placed(text: str, path: str, cell: int | None = None) -> str:
    """Evidence's bare `(line N)` written with its file, so a claim about another module
    never points at a line of the wrong file."""
    return _LINE_REF.sub(lambda m: f"({location(path, int(m.group(1)), cell)})", text)


# -------------------------------------------------------------------- per-system review


@dataclass
class SystemReview:
    """Everything the review reports say about one system."""

    unit: Unit
    anchor: str
    traits: list[Trait]
    diagram: object  # paths.PathDiagram
    findings: list[Finding]
    reached: list[Unit]  # other units it runs


def anchor_of(u: Unit) -> str:
    """A stable, URL-safe id for a system's section."""
    raw = u.ref.lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in raw)
    while "--" in out:
        out = out.replace("--", "-")
    return "sys-" + out.strip("-")


def use_instead() -> dict[str, str]:
    """Rule name -> the text of its docs' `## Use instead` section."""
    try:
        from analyzer.lint.engine import load_rules
    except ImportError:
        return {}
    out = {}
    for rule in load_rules():
        docs = getattr(rule, "docs", "") or ""
        marker = "## Use instead"
        if marker in docs:
            section = docs.split(marker, 1)[1].split("\n## ", 1)[0]
            out[rule.name] = " ".join(section.split())
    return out


def _placed_trait(t: Trait, spans) -> Trait:
    """The trait with every bare `(line N)` of its evidence written with its file."""
    claims = [Claim(place_lines(c.text, spans), c.where) for c in t.claims]
    return Trait(t.name, place_lines(t.verdict, spans), claims)


def review_systems(result) -> list[SystemReview]:
    """One review per system of an analysis, in the analysis's (sorted) order."""
    from analyzer.report.path_builder import context_for, diagram_for

    classifier = result.extra.get("classifier")
    by_node = {u.node_id: u for u in result.units}
    out = []
    taken: dict[str, int] = {}
    for u in result.units:
        if not u.is_system:
            continue
        reach: list[str] = [u.node_id]
        if classifier is not None and u.node_id in getattr(classifier, "unit_facts", {}):
            reach += sorted(n for n in classifier.reach(u.node_id) if n != u.node_id)
        facts = getattr(classifier, "unit_facts", {}) if classifier is not None else {}
        reached_facts = [(by_node[n].path, facts[n]) for n in reach if n in facts and n in by_node]
        refs = {by_node[n].ref for n in reach if n in by_node}
        findings = [f for f in result.findings if f.unit in refs]
        title = f"{u.qualname}()" if u.qualname != "<module>" else location(u.path, None, u.cell)
        if u.node_id in facts:
            ctx = context_for(classifier, u.node_id, by_node)
            diagram = diagram_for(title, facts[u.node_id].root, ctx, u.line, u.path)
        else:
            diagram = diagram_for(title, None, None, u.line)
        reached = [by_node[n] for n in reach[1:] if n in by_node]
        spans = [(x.path, x.cell, x.line, max(x.end_line, x.line)) for x in [u, *reached]]
        traits = [_placed_trait(t, spans) for t in unit_traits(u, reached_facts, findings)]
        anchor = anchor_of(u)
        taken[anchor] = taken.get(anchor, 0) + 1
        if taken[anchor] > 1:  # `a/main.py` and `a/__main__.py` slug alike
            anchor = f"{anchor}-{taken[anchor]}"
        out.append(SystemReview(u, anchor, traits, diagram, findings, reached))
    return out
