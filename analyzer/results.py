"""What an analysis produces: units, findings and input errors, as plain frozen data.

These are the objects every reporter (JSON, text, SARIF, Markdown, HTML) renders; their
field names follow the output contract in DESIGN §4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer import ir

PATTERNS = (
    "agent_loop",
    "evaluator_optimizer",
    "orchestrator_workers",
    "parallelization_voting",
    "parallelization_sectioning",
    "routing",
    "prompt_chaining",
    "single_call",
)
# Outermost first: when one structure wraps another, the earlier one names the unit.
WORKFLOW_PATTERNS = PATTERNS[1:7]

# How evidence and reports name a pattern in a sentence.
PATTERN_WORDS = {
    "agent_loop": "an agent loop",
    "evaluator_optimizer": "an evaluator-optimizer loop",
    "orchestrator_workers": "an orchestrator with workers",
    "parallelization_voting": "a parallel vote",
    "parallelization_sectioning": "parallel sections",
    "routing": "a router",
    "prompt_chaining": "a prompt chain",
    "single_call": "a single model call",
}
# How reports name a pattern after an article of their own: a heading's "Routing workflow,
# lines 3 to 40", a review's "A prompt chain: ...".
PATTERN_NOUNS = {
    "agent_loop": "agent loop",
    "evaluator_optimizer": "evaluator-optimizer workflow",
    "orchestrator_workers": "orchestrator-workers workflow",
    "parallelization_voting": "parallel voting workflow",
    "parallelization_sectioning": "parallel sectioning workflow",
    "routing": "routing workflow",
    "prompt_chaining": "prompt chain",
    "single_call": "single model call",
}


def sequence_owner(pattern: str) -> str:
    """Who fixes the path: the model (agent loop), the developer (workflows), or nobody."""
    if pattern == "agent_loop":
        return "model"
    if pattern == "single_call":
        return "none"
    return "developer"


@dataclass(frozen=True, slots=True)
class Status:
    status: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class LLMCall:
    line: int
    api: str
    path: str = ""
    cell: int | None = None
    via: str = ""  # the project function the call goes through, when not direct


@dataclass(frozen=True, slots=True)
class Evidence:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Unit:
    path: str
    qualname: str
    line: int
    end_line: int
    cell: int | None
    pattern: str
    contains: tuple[str, ...]
    is_system: bool
    stop_condition: Status
    retries: Status
    trace_logging: Status
    llm_call_bound: int | None
    llm_call_bound_reason: str
    llm_calls: tuple[LLMCall, ...]
    evidence: tuple[Evidence, ...]
    cells: tuple[int, ...] = ()
    node_id: str = ""
    is_test: bool = False  # defined in a test file (tests/, test_*.py, *_test.py, conftest.py)

    @property
    def sequence_owner(self) -> str:
        return sequence_owner(self.pattern)

    @property
    def ref(self) -> str:
        """How findings name the unit: `path::qualname` (with `:cell` for cells)."""
        if self.cell is None:
            return f"{self.path}::{self.qualname}"
        return f"{self.path}:{self.cell}::{self.qualname}"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    code: str
    severity: str
    path: str
    line: int
    col: int
    message: str
    unit: str | None = None
    cell: int | None = None
    fix_hint: str = ""


@dataclass(frozen=True)
class AnalysisResult:
    units: tuple[Unit, ...]
    findings: tuple[Finding, ...]
    errors: tuple[ir.Diagnostic, ...]
    version: str
    extra: dict = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = ()  # input warnings: nothing to read, model calls not found
