"""Running parallel branches on any `concurrent.futures.Executor`.

Each branch gets a detached share of the budget and a buffering tracer, runs a module-level
function, and sends back its value, error, usage and events; the parent merges them. That
one protocol works on threads (the context is copied so spans keep their parent) and on
executors that pickle their arguments, such as Dask's (the span context travels as W3C
headers, and models travel as factories).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .scope import _ACTIVE, Run
from .trace import TraceEvent, attached_context, capture_context

DEFAULT_MAX_WORKERS = 8


@dataclass
class BranchOutcome:
    value: Any = None
    error: BaseException | None = None
    usage: dict[str, float] = field(default_factory=dict)
    events: list[TraceEvent] = field(default_factory=list)


@dataclass
class BranchTask:
    """A picklable unit of work: `fn(run, *args)` inside the branch's view of the run."""

    run: Run
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    carrier: dict[str, str]

    def __call__(self) -> BranchOutcome:
        with attached_context(self.carrier):
            token = _ACTIVE.set(self.run)
            try:
                value, error = self.fn(self.run, *self.args), None
            except Exception as exc:
                value, error = None, exc
            finally:
                _ACTIVE.reset(token)
        return BranchOutcome(value, error, self.run.budget.usage(), list(self.run.tracer.events))


def run_branches(
    run: Run,
    fn: Callable[..., Any],
    branch_args: Sequence[tuple[Any, ...]],
    executor: Executor | None = None,
) -> list[Any]:
    """Run `fn(run, *args)` for each args tuple concurrently; return values in order.

    All branches are merged (usage and events) before the first branch error is raised, so
    nothing is lost when one fails. Without an executor a private thread pool is used.
    """
    if not branch_args:
        return []
    shares = run.budget.split(len(branch_args))
    carrier = capture_context()
    tasks = [
        BranchTask(run.view(share, run.tracer.branch()), fn, tuple(args), carrier)
        for share, args in zip(shares, branch_args, strict=True)
    ]
    owned = executor is None
    pool = executor or ThreadPoolExecutor(max_workers=min(len(tasks), DEFAULT_MAX_WORKERS))
    try:
        futures = [_submit(pool, task) for task in tasks]
        outcomes = [_outcome(future) for future in futures]
    finally:
        if owned:
            pool.shutdown(wait=True)
    for outcome in outcomes:
        run.budget.merge(outcome.usage)
        run.tracer.absorb(outcome.events)
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return [outcome.value for outcome in outcomes]


def _submit(executor: Executor, task: BranchTask) -> Future[BranchOutcome]:
    if isinstance(executor, ThreadPoolExecutor):
        # Same process: carry every context variable (spans, the caller's own contextvars).
        return executor.submit(contextvars.copy_context().run, task)
    return executor.submit(task)


def _outcome(future: Future[BranchOutcome]) -> BranchOutcome:
    """A branch that could not even run (e.g. a worker died) still reports its error."""
    try:
        return future.result()
    except Exception as error:
        return BranchOutcome(error=error)
