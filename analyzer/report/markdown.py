"""`archlint report --format markdown`: an architecture review that renders on GitHub.

Diagrams are Mermaid code blocks, so the file works as a pull-request comment or in
`$GITHUB_STEP_SUMMARY`; the whole report is kept under GitHub's 1 MiB summary limit by
replacing the largest diagrams with a note when needed. Text from the code (names, paths,
messages) is escaped so `<module>` or a `|` can never break the page.
"""

from __future__ import annotations

from collections import Counter

from analyzer.report.mermaid import render_mermaid
from analyzer.report.summary import (
    FULL_SYSTEMS,
    counts_by_pattern,
    counts_by_rule,
    ranked,
    risk_of,
)
from analyzer.report.traits import SystemReview, pattern_words, review_systems, use_instead
from analyzer.report.traits import where_text as _where
from analyzer.report.where import location, unit_label, unit_place
from analyzer.results import AnalysisResult, Finding, Unit

RISKIEST = 10  # systems in the summary's table

LIMIT = 1024 * 1024 - 16 * 1024  # stay clear of GitHub's 1 MiB step-summary cap

OWNER_WORDS = {
    "model": "model (agent loop)",
    "developer": "developer (workflow)",
    "none": "none (one call)",
}


def md(text: str) -> str:
    """Prose from the code, safe in Markdown (no HTML tags, no table breaks)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", " ")
    )


def code(text: str) -> str:
    """An inline code span that survives backticks and table pipes."""
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def bound_text(u: Unit) -> str:
    if u.llm_call_bound is None:
        return "no bound"
    return str(u.llm_call_bound)


def status_cell(status: str, bad: tuple[str, ...]) -> str:
    return f"**{status}**" if status in bad else status


def overview(result: AnalysisResult, reviews: list[SystemReview]) -> list[str]:
    """Summary first: counts, the riskiest systems, systems by pattern, findings by rule."""
    systems = [r.unit for r in reviews]
    by_owner = Counter(u.sequence_owner for u in systems)
    apart = sum(1 for u in result.units if u.is_test and not u.is_system)
    out = ["## Summary", ""]
    tests = f"; {apart} unit(s) in test files are left out" if apart else ""
    out.append(
        f"{len(systems)} system(s) (entry points that reach a model) among "
        f"{len(result.units) - apart} unit(s){tests}."
    )
    out.append("")
    out += [f"> **Warning:** {md(w)}" for w in result.warnings]
    if result.warnings:
        out.append("")
    if reviews:
        top = reviews[:RISKIEST]
        out += [f"### Riskiest systems (top {len(top)} of {len(reviews)})", ""]
        out += ["| # | system | pattern | why |", "|---|---|---|---|"]
        for i, r in enumerate(top, 1):
            why = risk_of(r.unit, r.findings).reasons()
            out.append(f"| {i} | {entry_link(r)} | {r.unit.pattern} | {md(why)} |")
        out.append("")
        out += ["| pattern | systems |", "|---|---|"]
        out += [f"| {p.replace('_', ' ')} | {n} |" for p, n in counts_by_pattern(systems)]
        out.append("")
        out += ["| who decides the path | systems |", "|---|---|"]
        out += [f"| {OWNER_WORDS[o]} | {n} |" for o, n in sorted(by_owner.items())]
        out.append("")
    serious = [f for f in result.findings if f.severity == "error"]
    if result.findings:
        out.append(
            f"Findings: {len(serious)} error(s), {len(result.findings) - len(serious)} other."
        )
        out += ["", "| rule | severity | findings |", "|---|---|---|"]
        out += [
            f"| {code} `{rule}` | {sev} | {n} |"
            for code, rule, sev, n in counts_by_rule(result.findings)
        ]
        out.append("")
    else:
        out += ["No findings.", ""]
    if result.errors:
        out.append(f"{len(result.errors)} file(s) could not be read:")
        out += [
            f"- {code(location(e.path, e.line, e.cell))}: {md(e.message)}" for e in result.errors
        ]
        out.append("")
    return out


def entry_link(r: SystemReview) -> str:
    """A system in a table: its name linked to its section, and where it starts."""
    return f"[{code(r.unit.qualname)}](#{r.anchor}) {code(unit_place(r.unit))}"


def finding_line(f: Finding) -> str:
    where = location(f.path, f.line, f.cell, f.col + 1)
    return f"**{f.rule}** ({f.code}, {f.severity}) at {code(where)}: {md(f.message)}"


def table(reviews: list[SystemReview]) -> list[str]:
    out = [
        "## Systems",
        "",
        "| system | pattern | owner | stop condition | retries | trace | model calls | findings |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in reviews:
        u = r.unit
        pattern = u.pattern + (f" (contains {', '.join(u.contains)})" if u.contains else "")
        out.append(
            "| "
            + " | ".join(
                [
                    entry_link(r),
                    md(pattern),
                    u.sequence_owner,
                    status_cell(u.stop_condition.status, ("missing",)),
                    status_cell(u.retries.status, ("unbounded",)),
                    status_cell(u.trace_logging.status, ("absent",)),
                    bound_text(u),
                    str(len(r.findings)),
                ]
            )
            + " |"
        )
    out.append("")
    return out


def system_section(r: SystemReview, advice: dict[str, str], *, full: bool = True) -> list[str]:
    """One system's review; `full` adds the trait details and the diagram."""
    u = r.unit
    out = [f'<a id="{r.anchor}"></a>', "", f"## {code(unit_label(u))}", ""]
    out.append(
        f"{md(pattern_words(u)).capitalize()}, lines {u.line} to {u.end_line} of "
        f"{code(location(u.path, None, u.cell))}."
    )
    out.append("")
    out.append("| trait | verdict |")
    out.append("|---|---|")
    for t in r.traits:
        out.append(f"| {t.name} | {md(t.verdict)} |")
    out.append("")
    if not full:
        out += _findings(r, advice)
        return out
    for t in r.traits:
        out.append(f"**{t.name}.** {md(t.verdict).capitalize()}.")
        out.append("")
        for c in t.claims:
            where = f" ({code(_where(c.where))})" if c.where else ""
            out.append(f"- {md(c.text)}{where}")
        out.append("")
    out.append("### Every execution path")
    out.append("")
    out.append(
        "Solid arrows run forward, dashed arrows go round a loop again; a red outline marks "
        "a loop with no bound or a branch with no fallback."
    )
    out.append("")
    out += ["```mermaid", render_mermaid(r.diagram).rstrip("\n"), "```", ""]
    if r.reached:
        names = ", ".join(code(unit_label(x)) for x in r.reached[:12])
        more = f" and {len(r.reached) - 12} more" if len(r.reached) > 12 else ""
        out += [f"Units it runs: {names}{more}.", ""]
    return out + _findings(r, advice)


def _findings(r: SystemReview, advice: dict[str, str]) -> list[str]:
    if not r.findings:
        return []
    out = ["### Findings", ""]
    for f in r.findings:
        out.append(f"- {finding_line(f)}")
        if advice.get(f.rule):
            out.append(f"  - Use instead: {md(advice[f.rule])}")
    out.append("")
    return out


def render_markdown(result: AnalysisResult, title: str = "", *, full: int = FULL_SYSTEMS) -> str:
    """The review, riskiest systems first: `full` systems in full with their diagram (0:
    all), the others summarised; deterministic for a given analysis."""
    reviews = ranked(review_systems(result))
    advice = use_instead()
    head = [f"# Architecture review{': ' + md(title) if title else ''}", ""]
    head.append(
        f"_archlint {md(result.version)}: static analysis of the code, not a test run. "
        "Systems are ranked riskiest first._"
    )
    head.append("")
    head += overview(result, reviews)
    head += table(reviews)
    limit = full or len(reviews)
    sections = [system_section(r, advice, full=i < limit) for i, r in enumerate(reviews)]
    if len(reviews) > limit:
        sections.insert(
            limit,
            [
                "## Other systems",
                "",
                f"_The {limit} riskiest systems are reviewed in full above; the "
                f"{len(reviews) - limit} others are summarised below (`archlint report "
                "--full 0` reviews every one)._",
                "",
            ],
        )
    text = "\n".join(head + [line for s in sections for line in s]).rstrip("\n") + "\n"
    if len(text.encode("utf-8")) <= LIMIT:
        return text
    return _shrink(head, sections)


def _shrink(head: list[str], sections: list[list[str]]) -> str:
    """Drop diagrams, largest first, until the report fits the limit."""
    note = "_Diagram left out to keep this report under 1 MiB; see the HTML report._"
    blocks = []
    for s in sections:
        start = s.index("```mermaid") if "```mermaid" in s else -1
        blocks.append(start)
    order = sorted(
        (i for i, b in enumerate(blocks) if b >= 0),
        key=lambda i: -len(sections[i][blocks[i] + 1]),
    )
    for i in order:
        b = blocks[i]
        sections[i] = sections[i][:b] + [note] + sections[i][b + 3 :]
        text = "\n".join(head + [line for s in sections for line in s]).rstrip("\n") + "\n"
        if len(text.encode("utf-8")) <= LIMIT:
            return text
    return text[: LIMIT - 100] + "\n\n_Report truncated at 1 MiB._\n"
