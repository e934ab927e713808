"""A readable summary of `archlint analyze` for people at a terminal."""

from __future__ import annotations

from collections import Counter

from analyzer.report.where import location, place_lines, unit_place, unit_spans
from analyzer.results import AnalysisResult, Unit

_OWNER_WORDS = {
    "model": "agent loop: the model chooses the next step",
    "developer": "workflow: the code fixes the path",
    "none": "one model call",
}


def _where(u: Unit) -> str:
    return f"{unit_place(u)} {u.qualname}"


def _bound(u: Unit) -> str:
    if u.llm_call_bound is None:
        return f"no bound ({u.llm_call_bound_reason})" if u.llm_call_bound_reason else "no bound"
    reason = f" ({u.llm_call_bound_reason})" if u.llm_call_bound_reason else ""
    return f"at most {u.llm_call_bound}{reason}"


def _status_line(label: str, s, spans) -> str:
    evidence = f" — {place_lines(s.evidence, spans)}" if s.evidence else ""
    return f"    {label:<14} {s.status}{evidence}"


def _unit_block(u: Unit, spans=()) -> list[str]:
    pattern = u.pattern + (f" (contains {', '.join(u.contains)})" if u.contains else "")
    spans = list(spans) or [(u.path, u.cell, u.line, u.end_line)]
    lines = [
        f"{_where(u)}",
        f"    pattern        {pattern} — {_OWNER_WORDS[u.sequence_owner]}",
        _status_line("stop condition", u.stop_condition, spans),
        _status_line("retries", u.retries, spans),
        _status_line("trace logging", u.trace_logging, spans),
        f"    model calls    {place_lines(_bound(u), spans)}",
    ]
    for c in u.llm_calls[:8]:
        via = f" via {c.via}" if c.via else ""
        lines.append(f"      {location(c.path or u.path, c.line, c.cell)}: {c.api}{via}")
    if len(u.llm_calls) > 8:
        lines.append(f"      … and {len(u.llm_calls) - 8} more")
    for e in u.evidence[:6]:
        lines.append(f"    · {location(u.path, e.line, u.cell)}: {place_lines(e.reason, spans)}")
    return lines


def render_text(result: AnalysisResult) -> str:
    systems = [u for u in result.units if u.is_system]
    apart = [u for u in result.units if u.is_test and not u.is_system]
    others = [u for u in result.units if not u.is_system and u not in apart]
    out: list[str] = []
    by_pattern = Counter(u.pattern for u in systems)
    summary = ", ".join(f"{n} {p}" for p, n in sorted(by_pattern.items()))
    tests = f", {len(apart)} in test files" if apart else ""
    out.append(
        f"archlint {result.version}: {len(systems)} system(s), "
        f"{len(result.units) - len(apart)} unit(s){tests}" + (f" — {summary}" if summary else "")
    )
    out += [f"warning: {w}" for w in result.warnings]
    if systems:
        out += ["", "Systems"]
        for u in systems:
            out += _unit_block(u, unit_spans(result, u))
    if others:
        out += ["", "Other units (called by the systems above)"]
        for u in others:
            pattern = u.pattern + (f" (contains {', '.join(u.contains)})" if u.contains else "")
            out.append(f"  {_where(u)} — {pattern}")
    if apart:
        out += [
            "",
            "Units in test files (no system, no finding; `include-tests = true` counts them)",
        ]
        out.append("  " + ", ".join(_where(u) for u in apart[:20]))
        if len(apart) > 20:
            out.append(f"  … and {len(apart) - 20} more")
    if result.findings:
        out += ["", "Findings"]
        for f in result.findings:
            where = location(f.path, f.line, f.cell, f.col + 1)
            out.append(f"  {where}: {f.code} [{f.rule}] {f.message}")
    if result.errors:
        out += ["", "Input errors"]
        for e in result.errors:
            out.append(f"  {location(e.path, e.line, e.cell)}: {e.message}")
    if not result.units and not result.errors:
        out += ["", "No code that reaches a model call was found."]
    return "\n".join(out) + "\n"
