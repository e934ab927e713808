"""Baselines: record today's findings so a legacy repository adopts the gate at once and
only new findings fail it.

A finding is matched without its line number (code moves): by rule, path, unit and a
fingerprint of its message with line references blanked. Duplicates are counted, so a
file with two baselined findings of one kind fails when a third appears.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from analyzer.results import Finding

VERSION = 1
_LINE_REFS = re.compile(r"\b(lines?)\s+\d+(?:\s*[-\u2013]\s*\d+)?|:\d+(?::\d+)?\b")


class BaselineError(ValueError):
    """A baseline file that cannot be read."""


def message_fingerprint(message: str) -> str:
    normalized = _LINE_REFS.sub(lambda m: (m.group(1) or "") + " ?", message)
    normalized = " ".join(normalized.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def key(f: Finding) -> tuple[str, str, str, str]:
    return (f.rule, f.path, f.unit or "", message_fingerprint(f.message))


def fingerprint(f: Finding) -> str:
    """A stable id of a finding that ignores line numbers (also SARIF's fingerprint)."""
    return hashlib.sha256("\x1f".join(key(f)).encode("utf-8")).hexdigest()[:32]


def build_baseline(findings: Iterable[Finding]) -> dict:
    counts = Counter(key(f) for f in findings)
    entries = [
        {"rule": r, "path": p, "unit": u or None, "fingerprint": m, "count": n}
        for (r, p, u, m), n in sorted(counts.items())
    ]
    return {"version": VERSION, "tool": "archlint", "findings": entries}


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Record the findings in `path`; a file that cannot be written is a BaselineError."""
    data = build_baseline(findings)
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from exc
    return sum(e["count"] for e in data["findings"])


def _reject_constant(name: str) -> float:
    """JSON has no NaN or Infinity; Python's parser accepts them unless told not to."""
    raise ValueError(f"{name} is not valid JSON")


def _entry_key(e: object) -> tuple[tuple[str, str, str, str], int]:
    """One validated baseline entry: its key and its count (a non-negative integer)."""
    if not isinstance(e, dict):
        raise ValueError(f"entry is not an object: {_short(e)}")
    fields = []
    for name in ("rule", "path", "fingerprint"):
        if not isinstance(e.get(name), str):
            raise ValueError(f"'{name}' must be a string, got {_short(e.get(name))}")
        fields.append(e[name])
    unit = e.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise ValueError(f"'unit' must be a string or null, got {_short(unit)}")
    count = e.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"'count' must be a non-negative integer, got {_short(count)}")
    rule, path, fp = fields
    return (rule, path, unit or "", fp), count


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_baseline(path: Path) -> Counter:
    """The counts of a baseline file; anything malformed is a BaselineError (one line)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject_constant)
    except RecursionError as exc:
        raise BaselineError(f"{path}: cannot read baseline: nested too deeply") from exc
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise BaselineError(f"{path}: not an archlint baseline (version {VERSION})")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: malformed baseline: 'findings' is not a list")
    out: Counter = Counter()
    for i, e in enumerate(entries):
        try:
            k, count = _entry_key(e)
        except ValueError as exc:
            raise BaselineError(f"{path}: malformed baseline entry {i}: {exc}") from exc
        out[k] += count
    return out


def apply_baseline(findings: Sequence[Finding], baseline: Counter) -> tuple[list[Finding], int]:
    """(findings not covered by the baseline, how many it covered). Earlier findings of a
    key use up its count first, so the extra ones are reported."""
    left = Counter(baseline)
    new: list[Finding] = []
    covered = 0
    for f in findings:
        k = key(f)
        if left[k] > 0:
            left[k] -= 1
            covered += 1
        else:
            new.append(f)
    return new, covered
