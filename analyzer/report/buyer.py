"""`archlint classify`: one page per system for someone buying, not building, the software.

For each system: is it a workflow or an agent loop and what that means for the buyer, are
cost and latency predictable, can its decisions be audited, and which questions to put to
the vendor (tools, credentials, stop conditions, traces). Derived from the analysis only.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from analyzer.report.summary import TOP_SYSTEMS, ranked, risk_of
from analyzer.report.traits import pattern_words, review_systems
from analyzer.report.where import place_lines, unit_place
from analyzer.results import AnalysisResult


@dataclass
class BuyerView:
    system: str  # the unit reference findings use (`path::qualname`)
    where: str
    kind: str  # "workflow" | "agent loop" | "single call"
    pattern: str
    meaning: str
    predictable: bool
    cost: str
    auditable: bool
    audit: str
    questions: list[str] = field(default_factory=list)
    risk: str = ""  # why it ranks where it does
    name: str = ""  # the qualified name, as the text and Markdown pages show it


def _kind(owner: str) -> str:
    return {"model": "agent loop", "developer": "workflow"}.get(owner, "single call")


def buyer_view(r) -> BuyerView:
    u = r.unit
    kind = _kind(u.sequence_owner)
    if kind == "agent loop":
        meaning = (
            "The model decides which actions to take and in what order while it runs. You "
            "cannot know in advance what it will do for a given request; you control it "
            "through the tools it is given and the limits around the loop."
        )
    elif kind == "workflow":
        meaning = (
            f"A {pattern_words(u)}: the vendor's code fixes the steps and the model works "
            "inside each one. What it does for a request can be read from the code; the "
            "model's answers within a step still vary."
        )
    else:
        meaning = "One request to a model per run; no sequence of steps to govern."
    predictable = u.llm_call_bound is not None
    if predictable:
        cost = f"Predictable: at most {u.llm_call_bound} model call(s) per request."
    else:
        cost = (
            "Not predictable from the code: the number of model calls per request has no "
            f"ceiling ({u.llm_call_bound_reason or 'depends on runtime values'})."
        )
    auditable = u.trace_logging.status == "present"
    if auditable and kind == "agent loop":
        audit = (
            "Model calls are traced, but explaining why each action was chosen also needs "
            "the model's responses kept for every step."
        )
    elif auditable:
        audit = "Model calls are traced and follow the code path, so a run can be replayed."
    else:
        audit = "No tracing of model calls was found: a run cannot be reconstructed afterwards."
    questions = [place_lines(q, spans_of(r)) for q in vendor_questions(r)]
    cost = place_lines(cost, spans_of(r))
    return BuyerView(
        u.ref,
        unit_place(u),
        kind,
        u.pattern,
        meaning,
        predictable,
        cost,
        auditable,
        audit,
        questions,
        risk_of(u, r.findings).reasons(),
        u.qualname,
    )


def spans_of(r) -> list:
    return [(x.path, x.cell, x.line, max(x.end_line, x.line)) for x in [r.unit, *r.reached]]


def vendor_questions(r) -> list[str]:
    u = r.unit
    q = []
    tools = any(n.kind in ("tool", "agent") for n in r.diagram.nodes())
    if u.sequence_owner == "model" or tools:
        q.append(
            "Scope of tools: which tools can the model call, and what can each one read, "
            "change or delete?"
        )
        q.append(
            "Credentials: which credentials does the system hold while the model chooses "
            "actions, and are they limited to what those tools need?"
        )
    else:
        q.append(
            "Credentials: which credentials does each step use, and could a model answer "
            "steer one of them to an action nobody intended?"
        )
    if u.stop_condition.status == "missing":
        q.append(
            "Stop conditions: the code shows a loop with no limit. What stops it, and what "
            "does the user get when it stops?"
        )
    elif u.stop_condition.status in ("present", "default"):
        q.append(
            f"Stop conditions: the limit is {u.stop_condition.evidence}. Is it enforced in "
            "production, and what happens when it is hit?"
        )
    if u.llm_call_bound is None:
        q.append("Cost: what is the worst-case number of model calls for one request?")
    q.append(
        "Traces: where do traces of model calls and tool actions go, who can read them, "
        "and how long are they kept?"
        if u.trace_logging.status == "present"
        else "Traces: the code shows no tracing. How would you explain a wrong action "
        "after the fact?"
    )
    return q


def _kind_text(v: BuyerView) -> str:
    words = v.pattern.replace("_", " ")
    return v.kind if words == v.kind else f"{v.kind} ({words})"


def buyer_views(result: AnalysisResult) -> list[BuyerView]:
    """One view per system, riskiest first."""
    return [buyer_view(r) for r in ranked(review_systems(result))]


def render_buyer(result: AnalysisResult, fmt: str = "text", *, top: int = TOP_SYSTEMS) -> str:
    """The `top` riskiest systems in full (0: all), the others one line each."""
    views = buyer_views(result)
    if fmt == "json":
        data = {"version": result.version, "systems": [asdict(v) for v in views]}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"
    md = fmt == "markdown"
    limit = top or len(views)
    out = ["# What this software is" if md else "What this software is", ""]
    if not views:
        out.append("No system that calls a language model was found.")
    elif len(views) > limit:
        out += [
            f"{len(views)} systems, riskiest first: the {limit} riskiest are described in "
            f"full, the other {len(views) - limit} are summarised at the end "
            "(`--top 0` describes every one).",
            "",
        ]
    for v in views[:limit]:
        head = f"## `{v.name}` ({v.where})" if md else f"{v.name} ({v.where})"
        out += [head, ""]
        rows = [
            ("Kind", _kind_text(v)),
            ("What it means", v.meaning),
            ("Cost and latency", v.cost),
            ("Auditable", v.audit),
        ]
        for label, text in rows:
            out.append(f"- **{label}:** {text}" if md else f"  {label}: {text}")
        out.append("")
        out += ["### Questions for the vendor", ""] if md else ["  Questions for the vendor:"]
        for i, question in enumerate(v.questions, 1):
            out.append(f"{i}. {question}" if md else f"    {i}. {question}")
        out.append("")
    rest = views[limit:]
    if rest:
        out += ["## The other systems" if md else "The other systems", ""]
        out += _rest_summary(rest, md)
    return "\n".join(out).rstrip("\n") + "\n"


def _rest_summary(rest: list[BuyerView], md: bool) -> list[str]:
    """Counts by kind, then one line per system."""
    kinds = Counter(_kind_text(v) for v in rest)
    unpredictable = sum(not v.predictable for v in rest)
    untraced = sum(not v.auditable for v in rest)
    lead = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    out = [
        f"{lead}; {unpredictable} without a bound on model calls, {untraced} not traced.",
        "",
    ]
    for v in rest:
        line = f"{v.name} ({v.where}): {_kind_text(v)}; {v.risk}"
        out.append(f"- `{v.name}` ({v.where}): {_kind_text(v)}; {v.risk}" if md else f"  {line}")
    return out
