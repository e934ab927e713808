"""`archlint proposal`: lint the prose of an architecture proposal, and check it against code.

Vague or marketing wording ("agentic", "it's automated", "self-healing", …) is reported
with its line, the precise alternative and why it matters (`analyzer.report.proposal_phrases`).
Python blocks in the document are analysed like any Markdown file named on the command
line. With `--code`, claims in the text (a workflow, a bound, full tracing) are compared
with what the code shows, and every contradiction cites both the sentence and the lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from analyzer.report.proposal_phrases import CLAIMS, VAGUE
from analyzer.results import AnalysisResult, Unit

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`]*`")


@dataclass(frozen=True)
class CodeRef:
    path: str
    line: int
    what: str


@dataclass
class ProposalFinding:
    kind: str  # "vague" | "contradiction" | "code"
    id: str
    line: int
    col: int
    text: str  # the phrase, or the claim
    sentence: str
    message: str
    instead: str = ""
    why: str = ""
    code: list[CodeRef] = field(default_factory=list)


@dataclass(frozen=True)
class ProseLine:
    line: int
    text: str


def prose_lines(text: str) -> list[ProseLine]:
    """Lines outside fenced code blocks, with inline code blanked (it is not prose)."""
    out = []
    fenced = False
    for i, raw in enumerate(text.splitlines(), 1):
        if _FENCE.match(raw):
            fenced = not fenced
            continue
        if fenced:
            continue
        out.append(ProseLine(i, _INLINE_CODE.sub(lambda m: " " * len(m.group()), raw)))
    return out


def vague_phrases(text: str) -> list[ProposalFinding]:
    out = []
    for pl in prose_lines(text):
        for p in VAGUE:
            for m in list(re.finditer(p.pattern, pl.text, flags=re.IGNORECASE))[:1]:
                out.append(
                    ProposalFinding(
                        "vague",
                        p.id,
                        pl.line,
                        m.start() + 1,
                        m.group(0),
                        pl.text.strip(),
                        f'"{m.group(0)}" does not say who owns the sequence or what bounds it',
                        p.instead,
                        p.why,
                    )
                )
    out.sort(key=lambda f: (f.line, f.col, f.id))
    return out


def claims(text: str) -> list[tuple[str, ProseLine, str]]:
    """(claim, line, matched words) for every claim the prose makes."""
    out = []
    for pl in prose_lines(text):
        for c in CLAIMS:
            m = re.search(c.pattern, pl.text, flags=re.IGNORECASE)
            if m:
                out.append((c.claim, pl, m.group(0)))
    return out


def _systems(result: AnalysisResult) -> list[Unit]:
    return [u for u in result.units if u.is_system]


def _loop_lines(result: AnalysisResult, u: Unit, status: str = "missing") -> list[CodeRef]:
    classifier = result.extra.get("classifier")
    refs = []
    if classifier is not None and u.node_id in classifier.unit_facts:
        nodes = [u.node_id] + sorted(n for n in classifier.reach(u.node_id) if n != u.node_id)
        by_node = {x.node_id: x for x in result.units}
        for n in nodes:
            uf = classifier.unit_facts.get(n)
            if uf is None or n not in by_node:
                continue
            for v in uf.model_loops:
                if v.status == status:  # the ref has the place: no bare "(line N)"
                    what = re.sub(r" \(line \d+\)", "", v.evidence)
                    refs.append(CodeRef(by_node[n].path, v.line, what))
    return refs


@dataclass
class ClaimCheck:
    """One claim of the prose checked against the code: the evidence either way."""

    claim: str
    line: int
    words: str
    sentence: str
    verdict: str  # "supported" | "contradicted"
    reason: str
    code: list[CodeRef] = field(default_factory=list)


# Why a contradicted claim is wrong, per claim.
PROBLEMS = {
    "workflow": "the text says the path is fixed in code, but the model owns it here",
    "bounded": "the text promises a bound or a fixed cost, but the code has none here",
    "audited": "the text promises a full trace, but these model calls are not traced",
    "completion": "the text guarantees the work finishes, but a loop here has no bound (it "
    "may never end) or stops at its limit whether or not the task is done",
    "autonomy": "the text claims the system acts on its own, but the code fixes every path: "
    "the model chooses no action",
    "correctness": "the text claims answers are checked and corrected, but no step here "
    "judges an answer and tries again, or the loop that does has no bound",
}
SUPPORTS = {
    "workflow": "every system follows a path fixed in code",
    "bounded": "every system bounds its model calls",
    "audited": "every system's model calls are traced",
    "completion": "every loop has a bound and no agent loop can stop short of its task",
    "autonomy": "the model chooses the next action in these agent loops",
    "correctness": "an evaluator loop judges each answer and tries again, within a bound",
}


def _first_evidence(u: Unit) -> tuple[int, str]:
    ev = u.evidence[0] if u.evidence else None
    return (ev.line, ev.reason) if ev else (u.line, u.pattern.replace("_", " "))


def _evaluators(systems: list[Unit]) -> list[Unit]:
    return [u for u in systems if "evaluator_optimizer" in (u.pattern, *u.contains)]


def check_claim(claim: str, result: AnalysisResult) -> tuple[str, list[CodeRef]]:
    """("contradicted" | "supported", the code behind the verdict) for one claim."""
    systems = _systems(result)
    against: list[CodeRef] = []
    support: list[CodeRef] = []
    if claim == "workflow":
        for u in systems:
            if u.sequence_owner == "model":
                line, why = _first_evidence(u)
                against.append(CodeRef(u.path, line, f"{u.qualname} is an agent loop: {why}"))
            else:
                support.append(CodeRef(u.path, u.line, f"{u.qualname}: {_words(u)}"))
    elif claim == "bounded":
        for u in systems:
            loops = _loop_lines(result, u)
            against += [CodeRef(r.path, r.line, f"loop without a bound: {r.what}") for r in loops]
            if not loops and u.llm_call_bound is None:
                against.append(
                    CodeRef(
                        u.path,
                        u.line,
                        f"{u.qualname}: model calls not bounded ({u.llm_call_bound_reason})",
                    )
                )
            elif u.llm_call_bound is not None:
                support.append(
                    CodeRef(
                        u.path, u.line, f"{u.qualname}: at most {u.llm_call_bound} model call(s)"
                    )
                )
    elif claim == "completion":
        for u in systems:
            loops = _loop_lines(result, u)
            against += [
                CodeRef(r.path, r.line, f"loop without a bound, it may never end: {r.what}")
                for r in loops
            ]
            if not loops and u.sequence_owner == "model":
                against.append(
                    CodeRef(
                        u.path,
                        u.line,
                        f"{u.qualname}: an agent loop stops at its limit "
                        f"({u.stop_condition.evidence or u.stop_condition.status}) whether or "
                        "not the task is done",
                    )
                )
            elif not loops:
                support.append(CodeRef(u.path, u.line, f"{u.qualname}: every loop is bounded"))
    elif claim == "autonomy":
        for u in systems:
            if u.sequence_owner == "model":
                line, why = _first_evidence(u)
                support.append(CodeRef(u.path, line, f"{u.qualname}: {why}"))
        if not support:
            against = [
                CodeRef(
                    u.path,
                    u.line,
                    f"{u.qualname}: {_words(u)}, a path fixed in code",
                )
                for u in systems
            ]
    elif claim == "correctness":
        evaluators = _evaluators(systems)
        for u in evaluators:
            loops = _loop_lines(result, u)
            against += [
                CodeRef(
                    r.path, r.line, f"the judge's loop has no bound, it may never end: {r.what}"
                )
                for r in loops
            ]
            if not loops:
                support.append(CodeRef(u.path, u.line, f"{u.qualname}: evaluator-optimizer loop"))
        if not evaluators:
            against = [
                CodeRef(u.path, u.line, f"{u.qualname}: no step judges an answer and tries again")
                for u in systems
            ]
    else:
        for u in systems:
            line = u.llm_calls[0].line if u.llm_calls else u.line
            path = (u.llm_calls[0].path or u.path) if u.llm_calls else u.path
            if u.trace_logging.status == "absent":
                against.append(CodeRef(path, line, f"{u.qualname}: no trace around model calls"))
            else:
                support.append(CodeRef(path, line, f"{u.qualname}: {u.trace_logging.evidence}"))
    if against:
        return "contradicted", sorted(set(against), key=_ref_key)
    return "supported", sorted(set(support), key=_ref_key)


def _ref_key(r: CodeRef) -> tuple[str, int, str]:
    return (r.path, r.line, r.what)


def _words(u: Unit) -> str:
    return u.pattern.replace("_", " ")


def check_claims(text: str, result: AnalysisResult) -> list[ClaimCheck]:
    """Every claim of the prose with the code that supports or contradicts it."""
    out = []
    if not _systems(result):
        return out
    for claim, pl, words in claims(text):
        verdict, refs = check_claim(claim, result)
        reason = PROBLEMS[claim] if verdict == "contradicted" else SUPPORTS[claim]
        out.append(ClaimCheck(claim, pl.line, words, pl.text.strip(), verdict, reason, refs))
    return out


def contradictions(text: str, result: AnalysisResult) -> list[ProposalFinding]:
    """Claims in the prose that the analysed code does not support."""
    return [
        ProposalFinding(
            "contradiction",
            f"claim-{c.claim}",
            c.line,
            c.sentence.lower().find(c.words.lower()) + 1 or 1,
            c.words,
            c.sentence,
            c.reason,
            code=c.code,
        )
        for c in check_claims(text, result)
        if c.verdict == "contradicted" and c.code
    ]


def code_findings(result: AnalysisResult) -> list[ProposalFinding]:
    """Rule findings in the document's own Python blocks."""
    return [
        ProposalFinding(
            "code",
            f.rule,
            f.line,
            f.col + 1,
            f.rule,
            "",
            f.message,
            code=[CodeRef(f.path, f.line, f.message)],
        )
        for f in result.findings
    ]


@dataclass
class ProposalReport:
    doc: str
    findings: list[ProposalFinding]
    systems_in_doc: list[str]
    systems_in_code: list[str]
    claims: list[ClaimCheck] = field(default_factory=list)  # every claim, either verdict


def lint_proposal(
    doc: str, text: str, doc_result: AnalysisResult | None, code_result: AnalysisResult | None
) -> ProposalReport:
    """Every finding for one document; `doc_result` is the analysis of its Python blocks."""
    findings = vague_phrases(text)
    if doc_result is not None:
        findings += code_findings(doc_result)
    checked: list[ClaimCheck] = []
    against = code_result if code_result is not None else doc_result
    if against is not None and _systems(against):
        findings += contradictions(text, against)
        checked = check_claims(text, against)
    findings.sort(key=lambda f: (f.line, f.col, f.kind, f.id))
    return ProposalReport(
        doc,
        findings,
        [u.ref for u in _systems(doc_result)] if doc_result else [],
        [u.ref for u in _systems(code_result)] if code_result else [],
        checked,
    )


def render_proposal(report: ProposalReport, fmt: str = "text") -> str:
    if fmt == "json":
        data = asdict(report)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    out = []
    for f in report.findings:
        out.append(f"{report.doc}:{f.line}:{f.col}: {f.kind} {f.id}: {f.message}")
        if f.sentence:
            out.append(f"    > {f.sentence}")
        if f.instead:
            out.append(f"    say instead: {f.instead}")
        if f.why:
            out.append(f"    why it matters: {f.why}")
        for r in f.code:
            out.append(f"    code: {r.path}:{r.line}: {r.what}")
    supported = [c for c in report.claims if c.verdict == "supported"]
    if supported:
        out.append("claims the code supports:")
        for c in supported:
            out.append(f"    {report.doc}:{c.line}: {c.claim} ({c.words!r}): {c.reason}")
            out += [f"        code: {r.path}:{r.line}: {r.what}" for r in c.code[:4]]
    n = len(report.findings)
    out.append(f"{n} finding(s) in {report.doc}" if n else f"{report.doc}: no findings")
    return "\n".join(out) + "\n"


def _markdown(report: ProposalReport) -> str:
    out = [f"# Proposal review: `{report.doc}`", ""]
    if not report.findings:
        out.append("No vague phrasing, and no claim the code contradicts.")
    for f in report.findings:
        out.append(f"- **line {f.line}** ({f.kind}, `{f.id}`): {_md(f.message)}")
        if f.sentence:
            out.append(f"  - text: {_md(f.sentence)}")
        if f.instead:
            out.append(f"  - say instead: {_md(f.instead)}")
        if f.why:
            out.append(f"  - why it matters: {_md(f.why)}")
        for r in f.code:
            out.append(f"  - code: `{r.path}:{r.line}` {_md(r.what)}")
    supported = [c for c in report.claims if c.verdict == "supported"]
    if supported:
        out += ["", "## Claims the code supports", ""]
        for c in supported:
            out.append(f"- **line {c.line}** ({c.claim}): {_md(c.reason)}")
            out += [f"  - code: `{r.path}:{r.line}` {_md(r.what)}" for r in c.code[:4]]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")
