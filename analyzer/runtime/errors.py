"""Exceptions raised by the runtime.

They live in one module so that patterns, the guard and adapters can share them without
importing each other, and so users can catch one family (`RuntimeLimitError`) for every
bound the runtime enforces.
"""

from __future__ import annotations

from typing import Any


class RuntimeLimitError(Exception):
    """A bound was hit. `stop_reason` says which; `result` holds the partial result, if any."""

    stop_reason: str = "limit"

    def __init__(self, message: str, *, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class BudgetExceeded(RuntimeLimitError):
    """The shared budget has no room left for `kind` (steps, model_calls, tokens, ...)."""

    stop_reason = "budget_exceeded"

    def __init__(self, kind: str, limit: float, used: float, *, result: Any = None) -> None:
        super().__init__(f"budget exceeded: {kind} used {used:g} of {limit:g}", result=result)
        self.kind = kind
        self.limit = limit
        self.used = used

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only state must survive pickling: Dask ships branch errors back.
        return (_rebuild_budget_exceeded, (self.kind, self.limit, self.used))


def _rebuild_budget_exceeded(kind: str, limit: float, used: float) -> BudgetExceeded:
    return BudgetExceeded(kind, limit, used)


class LimitReached(RuntimeLimitError):
    """A pattern's own bound (max_steps, max_rounds, max_subtasks) was reached."""

    def __init__(self, stop_reason: str, message: str, *, result: Any = None) -> None:
        super().__init__(message, result=result)
        self.stop_reason = stop_reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (LimitReached, (self.stop_reason, str(self)))


class UnknownRoute(LookupError):
    """The router produced a label with no handler and no default was given."""

    stop_reason = "unknown_route"

    def __init__(self, label: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown route {label!r}; known routes: {', '.join(known)}")
        self.label = label
        self.known = known

    def __reduce__(self) -> tuple[Any, ...]:
        return (UnknownRoute, (self.label, self.known))


class TransientModelError(Exception):
    """A model failure worth retrying (rate limit, overload, 5xx, connection, timeout).

    Adapters translate their SDK's errors into this so the guard's retry decision does not
    depend on any SDK.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_transient, (str(self), self.status))


def _rebuild_transient(message: str, status: int | None) -> TransientModelError:
    return TransientModelError(message, status=status)


class DeadlineExceeded(TimeoutError):
    """An awaited model or tool call outlived the seconds left in the budget.

    Async drivers raise it (the call is cancelled); the guard turns it into the time
    budget's `BudgetExceeded`, so a hang ends a run the same way slow steps do.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within the {seconds:.3g} s left in the budget")
        self.seconds = seconds

    def __reduce__(self) -> tuple[Any, ...]:
        return (DeadlineExceeded, (self.seconds,))


class ScriptExhausted(RuntimeError):
    """A `ScriptedModel` was called more often than its script allows."""
