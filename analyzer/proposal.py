"""`archlint proposal`: lint the prose of an architecture proposal, and check it against code.

Vague or marketing wording ("agentic", "it's automated", "self-healing", …) is reported
with its line, the precise alternative and why it matters (`analyzer.proposal_phrases`).
Python blocks in the document are analysed like any Markdown file named on the command
line. With `--code`, claims in the text (a workflow, a bound, full tracing) are compared
with what the code shows, and every contradiction cites both the sentence and the lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from analyzer.proposal_phrases import CLAIMS, VAGUE
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
                if v.status == status:
                    refs.append(CodeRef(by_node[n].path, v.line, v.evidence))
    return refs


def contradictions(text: str, result: AnalysisResult) -> list[ProposalFinding]:
    """Claims in the prose that the analysed code does not support."""
    out = []
    systems = _systems(result)
    for claim, pl, words in claims(text):
        refs: list[CodeRef] = []
        if claim == "workflow":
            for u in systems:
                if u.sequence_owner == "model":
                    ev = u.evidence[0] if u.evidence else None
                    line, why = (ev.line, ev.reason) if ev else (u.line, "agent loop")
                    refs.append(CodeRef(u.path, line, f"{u.qualname} is an agent loop: {why}"))
            problem = "the text says the path is fixed in code, but the model owns it here"
        elif claim == "bounded":
            for u in systems:
                loops = _loop_lines(result, u)
                refs += [CodeRef(r.path, r.line, f"loop without a bound: {r.what}") for r in loops]
                if not loops and u.llm_call_bound is None:
                    refs.append(
                        CodeRef(
                            u.path,
                            u.line,
                            f"{u.qualname}: model calls not bounded ({u.llm_call_bound_reason})",
                        )
                    )
            problem = "the text promises a bound, but the code has none here"
        else:
            for u in systems:
                if u.trace_logging.status == "absent":
                    line = u.llm_calls[0].line if u.llm_calls else u.line
                    path = (u.llm_calls[0].path or u.path) if u.llm_calls else u.path
                    refs.append(CodeRef(path, line, f"{u.qualname}: no trace around model calls"))
            problem = "the text promises a full trace, but these model calls are not traced"
        if refs:
            out.append(
                ProposalFinding(
                    "contradiction",
                    f"claim-{claim}",
                    pl.line,
                    pl.text.lower().find(words.lower()) + 1,
                    words,
                    pl.text.strip(),
                    problem,
                    code=sorted(set(refs), key=lambda r: (r.path, r.line, r.what)),
                )
            )
    return out


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


def lint_proposal(
    doc: str, text: str, doc_result: AnalysisResult | None, code_result: AnalysisResult | None
) -> ProposalReport:
    """Every finding for one document; `doc_result` is the analysis of its Python blocks."""
    findings = vague_phrases(text)
    if doc_result is not None:
        findings += code_findings(doc_result)
    if code_result is not None:
        findings += contradictions(text, code_result)
    elif doc_result is not None and _systems(doc_result):
        findings += contradictions(text, doc_result)
    findings.sort(key=lambda f: (f.line, f.col, f.kind, f.id))
    return ProposalReport(
        doc,
        findings,
        [u.ref for u in _systems(doc_result)] if doc_result else [],
        [u.ref for u in _systems(code_result)] if code_result else [],
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
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")
