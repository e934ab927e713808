"""Shared helpers for runtime tests: a quiet tracer, no-wait retries, event accounting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from analyzer.runtime import Budget, RetryPolicy, TraceEvent, Tracer


class FakeClock:
    """A monotonic clock the test moves by hand, so wall-time limits need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def tracer() -> Tracer:
    return Tracer(otel=None)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> RetryPolicy:
    """Three attempts with real backoff arithmetic, but sleeping only into a list."""
    return RetryPolicy(max_attempts=3, initial_delay=0.5, jitter=0.0, sleep=sleeps.append)


@pytest.fixture
def budget() -> Budget:
    return Budget()


def assert_accounted(
    events: Sequence[TraceEvent], budget: Budget, *, runs: int, model_calls: int | None = None
) -> None:
    """Nothing lost: one event per step, per model attempt, per tool call, per run."""
    kinds = Counter(event.kind for event in events)
    usage = budget.usage()
    assert kinds["step"] == usage["steps"]
    assert kinds["model"] == usage["model_calls"]
    assert kinds["tool"] == usage["tool_calls"]
    assert kinds["run"] == runs
    assert len(events) == usage["steps"] + usage["model_calls"] + usage["tool_calls"] + runs
    if model_calls is not None:
        assert usage["model_calls"] == model_calls


def run_event(events: Sequence[TraceEvent]) -> TraceEvent:
    """The last run event (the outermost run finishes last)."""
    return [e for e in events if e.kind == "run"][-1]


@pytest.fixture
def accounted():
    """`accounted(events, budget, runs=...)`: assert every step and call left one event."""
    return assert_accounted


@pytest.fixture
def final_run():
    return run_event


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
