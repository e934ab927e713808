"""What a big report says first: the riskiest systems, and counts by pattern and by rule.

On a project with hundreds of systems nobody reads every section; the reports rank the
systems by what can go wrong (error findings, then warnings, then an agent loop, no bound
on model calls, no trace), show the riskiest in full and summarise the rest. The ranking is
deterministic: ties are broken by the system's reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.results import Finding, Unit

# Systems shown in full (traits, diagram, findings) before the rest are summarised.
FULL_SYSTEMS = 40
# Systems a buyer's summary (`archlint classify`) shows in full.
TOP_SYSTEMS = 10
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TRACE_RULE = "absent-trace-logging"


@dataclass(frozen=True)
class Risk:
    errors: int
    warnings: int
    model_owned: bool
    unbounded: bool
    untraced: bool
    rules: tuple[str, ...] = ()  # the rules of its findings, errors first

    @property
    def score(self) -> int:
        return (
            self.errors * 100
            + self.warnings * 10
            + 5 * self.model_owned
            + 3 * self.unbounded
            + 1 * self.untraced
        )

    def reasons(self) -> str:
        """Why a system ranks where it does, in a few words."""
        out = list(self.rules)
        if self.model_owned:
            out.append("the model owns the path")
        if self.unbounded:
            out.append("no bound on model calls")
        if self.untraced:
            out.append("not traced")
        return ", ".join(dict.fromkeys(out)) or "nothing to flag"


def risk_of(u: Unit, findings: Sequence[Finding]) -> Risk:
    sev = Counter(f.severity for f in findings)
    order = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.code))
    return Risk(
        sev.get("error", 0),
        sev.get("warning", 0),
        u.sequence_owner == "model",
        u.llm_call_bound is None,
        u.trace_logging.status == "absent" and not any(f.rule == TRACE_RULE for f in findings),
        tuple(dict.fromkeys(f.rule for f in order)),
    )


def ranked(reviews: Sequence) -> list:
    """Reviews (anything with `.unit` and `.findings`) riskiest first."""
    return sorted(reviews, key=lambda r: (-risk_of(r.unit, r.findings).score, r.unit.ref))


def counts_by_rule(findings: Sequence[Finding]) -> list[tuple[str, str, str, int]]:
    """(code, rule, severity, count), most frequent first."""
    c = Counter((f.code, f.rule, f.severity) for f in findings)
    return [(code, rule, sev, n) for (code, rule, sev), n in sorted(c.items(), key=_by_count)]


def _by_count(item) -> tuple:
    (code, _rule, _sev), n = item
    return (-n, code)


def counts_by_pattern(units: Sequence[Unit]) -> list[tuple[str, int]]:
    c = Counter(u.pattern for u in units)
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
