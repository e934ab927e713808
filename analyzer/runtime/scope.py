"""A run: one invocation of a pattern, with its budget, tracer and retry policy.

The active run is kept in a `ContextVar` (context-local, not process-global) so that a
pattern called inside another pattern's step joins the outer run's budget and tracer even
when the user does not pass them: nesting cannot escape the outer limits. Worker threads
get the context copied; pickling executors get the run shipped explicitly.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from .budget import Budget
from .result import Result, StopReason, stop_reason_of
from .retry import RetryPolicy
from .trace import SpanHandle, TraceEvent, Tracer

_ACTIVE: ContextVar[Run | None] = ContextVar("archlint_runtime_run", default=None)

PATTERN_ATTRIBUTE = "archlint.pattern"


def active_run() -> Run | None:
    """The run the calling code executes in, if any."""
    return _ACTIVE.get()


@dataclass
class StepRecord:
    """Facts a pattern fills in while a step runs; they go into the step's trace event."""

    route: str | None = None
    verdict: str | None = None
    stop_reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Run:
    pattern: str
    name: str
    budget: Budget
    tracer: Tracer
    retry: RetryPolicy
    run_id: str
    parent_id: str | None = None
    span: SpanHandle = field(default_factory=SpanHandle, repr=False, compare=False)

    def event(self, kind: str, **fields: Any) -> None:
        self.tracer.emit(
            TraceEvent(
                kind=kind,
                pattern=self.pattern,
                name=self.name,
                run=self.run_id,
                parent=self.parent_id,
                **fields,
            )
        )

    @contextmanager
    def step(self, step: int | str) -> Iterator[StepRecord]:
        """Charge one step, run it, and record it (with its error if it fails)."""
        self.budget.charge("steps")
        record = StepRecord()
        started = time.perf_counter()
        try:
            yield record
        except BaseException as error:
            self.event(
                "step",
                step=step,
                route=record.route,
                verdict=record.verdict,
                stop_reason=stop_reason_of(error),
                error=_describe(error),
                duration_ms=_ms(started),
                detail=record.detail or None,
            )
            raise
        self.event(
            "step",
            step=step,
            route=record.route,
            verdict=record.verdict,
            stop_reason=record.stop_reason,
            duration_ms=_ms(started),
            detail=record.detail or None,
        )

    def view(self, budget: Budget, tracer: Tracer) -> Run:
        """The same run seen by a parallel branch (its own budget share and event buffer)."""
        return replace(self, budget=budget, tracer=tracer, span=SpanHandle())

    def partial(self, output: Any, stop_reason: str, **detail: Any) -> Result:
        """A result to attach to a limit exception (the run event is recorded on the way out)."""
        return Result(output, stop_reason, self.pattern, self.budget.usage(), detail)

    def finish(self, output: Any, stop_reason: str = StopReason.COMPLETED, **detail: Any) -> Result:
        """Build the result and record the run's final event."""
        result = Result(output, stop_reason, self.pattern, self.budget.usage(), detail)
        self.event("run", stop_reason=stop_reason, detail=_jsonable(detail))
        self.span.set("archlint.stop_reason", stop_reason)
        return result


@contextmanager
def open_run(
    pattern: str,
    *,
    name: str,
    agent: bool = False,
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Iterator[Run]:
    """Start a run, nested in the active one if there is one, inside its span.

    If the body raises, a "run" event with the stop reason and the error is recorded before
    the exception propagates. The body must call `run.finish` on success.
    """
    parent = _ACTIVE.get()
    if budget is None:
        budget = parent.budget if parent else Budget()
    elif parent is not None:
        budget.within(parent.budget)
    tracer = tracer or (parent.tracer if parent else Tracer())
    retry = retry or (parent.retry if parent else RetryPolicy())
    run = Run(pattern, name, budget, tracer, retry, uuid.uuid4().hex[:12], parent and parent.run_id)
    operation = "invoke_agent" if agent else "invoke_workflow"
    attributes = {
        "gen_ai.operation.name": operation,
        PATTERN_ATTRIBUTE: pattern,
        "gen_ai.agent.name" if agent else "archlint.workflow.name": name,
    }
    with tracer.span(f"{operation} {name}", attributes) as span:
        run.span = span
        token = _ACTIVE.set(run)
        try:
            yield run
        except BaseException as error:
            reason = stop_reason_of(error)
            run.event("run", stop_reason=reason, error=_describe(error))
            span.set("archlint.stop_reason", reason)
            span.fail(error)
            raise
        finally:
            _ACTIVE.reset(token)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _jsonable(detail: dict[str, Any]) -> dict[str, Any] | None:
    """Keep small scalar facts for the event; outputs stay in the Result."""
    scalar = (str, int, float, bool)
    small = {
        k: v
        for k, v in detail.items()
        if isinstance(v, scalar)
        or (isinstance(v, list) and len(v) <= 20 and all(isinstance(x, scalar) for x in v))
    }
    return small or None
