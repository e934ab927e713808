"""The JSON output contract of `archlint analyze` (DESIGN §4), byte-for-byte deterministic."""

from __future__ import annotations

import json

from analyzer.results import AnalysisResult, Finding, Status, Unit


def _status(s: Status) -> dict:
    return {"status": s.status, "evidence": s.evidence}


def unit_to_dict(u: Unit) -> dict:
    out = {
        "path": u.path,
        "qualname": u.qualname,
        "line": u.line,
        "end_line": u.end_line,
        "cell": u.cell,
        "pattern": u.pattern,
        "contains": list(u.contains),
        "sequence_owner": u.sequence_owner,
        "is_system": u.is_system,
        "stop_condition": _status(u.stop_condition),
        "retries": _status(u.retries),
        "trace_logging": _status(u.trace_logging),
        "llm_call_bound": u.llm_call_bound,
        "llm_call_bound_reason": u.llm_call_bound_reason,
        "llm_calls": [
            {
                "path": c.path or u.path,
                "cell": c.cell,
                "line": c.line,
                "api": c.api,
                **({"via": c.via} if c.via else {}),
            }
            for c in u.llm_calls
        ],
        "evidence": [{"line": e.line, "reason": e.reason} for e in u.evidence],
    }
    if u.cells:
        out["cells"] = list(u.cells)
    out["is_test"] = u.is_test
    return out


def finding_to_dict(f: Finding) -> dict:
    out = {
        "rule": f.rule,
        "code": f.code,
        "severity": f.severity,
        "path": f.path,
        "line": f.line,
        "col": f.col,
        "message": f.message,
        "unit": f.unit,
    }
    if f.cell is not None:
        out["cell"] = f.cell
    return out


def result_to_dict(result: AnalysisResult) -> dict:
    return {
        "schema_version": 1,
        "tool": {"name": "archlint", "version": result.version},
        "units": [unit_to_dict(u) for u in result.units],
        "findings": [finding_to_dict(f) for f in result.findings],
        "errors": [
            {
                "path": e.path,
                "message": e.message,
                "line": e.line,
                **({"cell": e.cell} if e.cell is not None else {}),
            }
            for e in result.errors
        ],
        "warnings": list(result.warnings),
    }


def render_json(result: AnalysisResult) -> str:
    return json.dumps(result_to_dict(result), indent=2, ensure_ascii=False) + "\n"
