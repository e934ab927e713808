"""What every pattern returns: an output and the reason it stopped.

A bound being hit must be distinguishable from success, so `stop_reason` is always set and
`ok` is true only for a completed run.
"""

from __future__ import annotations

from asyncio import CancelledError
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class StopReason:
    """The stop reasons the runtime reports (plain strings: they go into JSON and spans)."""

    COMPLETED = "completed"
    GATE_FAILED = "gate_failed"
    MAX_STEPS = "max_steps"
    MAX_ROUNDS = "max_rounds"
    MAX_SUBTASKS = "max_subtasks"
    BUDGET_EXCEEDED = "budget_exceeded"
    UNKNOWN_ROUTE = "unknown_route"
    CANCELLED = "cancelled"
    ERROR = "error"


@dataclass(frozen=True)
class Result:
    """A pattern's outcome. `detail` holds pattern-specific facts (route, votes, rounds...)."""

    output: Any
    stop_reason: str
    pattern: str
    usage: Mapping[str, float] = field(default_factory=dict)
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.stop_reason == StopReason.COMPLETED


def stop_reason_of(error: BaseException) -> str:
    """The stop reason an exception stands for (limits carry their own; the rest are errors)."""
    if isinstance(error, CancelledError):
        return StopReason.CANCELLED
    reason = getattr(error, "stop_reason", None)
    return reason if isinstance(reason, str) else StopReason.ERROR
