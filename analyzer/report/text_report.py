"""A readable summary of `archlint analyze` for people at a terminal."""

from __future__ import annotations

from collections import Counter

from analyzer.report.where import location, unit_place
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
        return f"unbounded ({u.llm_call_bound_reason})" if u.llm_call_bound_reason else "unbounded"
    reason = f" ({u.llm_call_bound_reason})" if u.llm_call_bound_reason else ""
    return f"{u.llm_call_bound}{reason}"


def _unit_block(u: Unit) -> list[str]:
    pattern = u.pattern + (f" (contains {', '.join(u.contains)})" if u.contains else "")
    lines = [
        f"{_where(u)}",
        f"    pattern        {pattern} — {_OWNER_WORDS[u.sequence_owner]}",
        f"    stop condition {u.stop_condition.status}"
        + (f" — {u.stop_condition.evidence}" if u.stop_condition.evidence else ""),
        f"    retries        {u.retries.status}"
        + (f" — {u.retries.evidence}" if u.retries.evidence else ""),
        f"    trace logging  {u.trace_logging.status}"
        + (f" — {u.trace_logging.evidence}" if u.trace_logging.evidence else ""),
        f"    model calls    at most {_bound(u)}",
    ]
    for c in u.llm_calls[:8]:
        via = f" via {c.via}" if c.via else ""
        lines.append(f"      {location(c.path or u.path, c.line, c.cell)}: {c.api}{via}")
    if len(u.llm_calls) > 8:
        lines.append(f"      … and {len(u.llm_calls) - 8} more")
    for e in u.evidence[:6]:
        lines.append(f"    · {location(u.path, e.line, u.cell)}: {e.reason}")
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
            out += _unit_block(u)
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
