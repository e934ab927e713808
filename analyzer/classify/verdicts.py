"""What the decisions produce: a unit's `Summary` (what callers see of it), the patterns
`Found` in its shape, loop verdicts, the `Decision`, and the priority of patterns at the
same depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.results import PATTERNS, Evidence, Status

# Ties at the same depth go to the structure that owns more of the sequence.
PRIORITY = PATTERNS


@dataclass
class Summary:
    """What callers need to know about a unit."""

    pattern: str
    contains: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    stop: Status
    bound: int | None
    bound_reason: str
    weight: int  # model-call sites reachable, counting each once
    # positions of parameters that only pick who answers (a model name, an agent to run)
    selectors: frozenset[int] = frozenset()
    # what it returns carries model output (or is decided by it): callers' taint source
    returns_output: bool = True


@dataclass
class Found:
    pattern: str
    depth: int
    line: int
    reason: str
    contains: tuple[str, ...] = ()
    delegated: bool = False  # the structure is inside a called unit, not in this code
    fed: bool = False  # a fan-out whose inputs come from an earlier model call
    end_line: int = 0  # where the structure ends (a routing branch)


@dataclass
class LoopVerdict:
    """A loop whose continuation the model owns, and whether something hard bounds it."""

    line: int
    status: str  # "present" | "missing"
    evidence: str


@dataclass
class Decision:
    pattern: str
    contains: tuple[str, ...]
    evidence: list[Evidence]
    model_loops: list[LoopVerdict] = field(default_factory=list)
