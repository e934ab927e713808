"""Running parallel branches: on any `concurrent.futures.Executor`, or as asyncio tasks.

Each branch gets a detached share of the budget and a buffering tracer, runs a module-level
flow, and sends back its value, error, usage and events; the parent merges them. That one
protocol works on threads (the context is copied so spans keep their parent), on executors
that pickle their arguments such as Dask's (the span context travels as W3C headers, models
as factories, and the events come back *with the result*), and on asyncio tasks (at most
`max_concurrency` at once; a cancelled branch still hands back what it recorded).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .bounds import require_count
from .drive import Branches, arun_flow, run_flow
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
    """A picklable unit of work: the flow `fn(run, *args)` inside the branch's view of the run."""

    run: Run
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    carrier: dict[str, str]

    def __call__(self) -> BranchOutcome:
        with self._entered():
            try:
                value, error = run_flow(self.fn(self.run, *self.args)), None
            except Exception as exc:
                value, error = None, exc
        return self._outcome(value, error)

    async def arun(self) -> BranchOutcome:
        """The same branch awaited; a cancellation ends it but its events still go home."""
        with self._entered():
            try:
                value, error = await arun_flow(self.fn(self.run, *self.args)), None
            except (Exception, asyncio.CancelledError) as exc:
                value, error = None, exc
        return self._outcome(value, error)

    @contextmanager
    def _entered(self) -> Iterator[None]:
        with attached_context(self.carrier):
            token = _ACTIVE.set(self.run)
            try:
                yield
            finally:
                _ACTIVE.reset(token)

    def _outcome(self, value: Any, error: BaseException | None) -> BranchOutcome:
        return BranchOutcome(value, error, self.run.budget.usage(), list(self.run.tracer.events))


def branch_tasks(work: Branches) -> list[BranchTask]:
    """One task per branch: a budget share, a buffering tracer, the caller's span context."""
    if not work.args:
        return []
    run = work.run
    shares = run.budget.split(len(work.args))
    carrier = capture_context()
    return [
        BranchTask(run.view(share, run.tracer.branch()), work.fn, tuple(args), carrier)
        for share, args in zip(shares, work.args, strict=True)
    ]


def merge_outcomes(run: Run, outcomes: Sequence[BranchOutcome]) -> list[Any]:
    """Merge every branch (usage and events) before raising the first branch error, so
    nothing is lost when one fails."""
    absorb_outcomes(run, outcomes)
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return [outcome.value for outcome in outcomes]


def absorb_outcomes(run: Run, outcomes: Sequence[BranchOutcome]) -> None:
    for outcome in outcomes:
        run.budget.merge(outcome.usage)
        run.tracer.absorb(outcome.events)


def run_branches(work: Branches) -> list[Any]:
    """Run the branches on `work.executor` (or a private thread pool); values in order."""
    tasks = branch_tasks(work)
    if not tasks:
        return []
    owned = work.executor is None
    limit = require_count("max_concurrency", work.max_concurrency)
    pool = work.executor or ThreadPoolExecutor(max_workers=min(len(tasks), limit))
    try:
        futures = [_submit(pool, task) for task in tasks]
        outcomes = [_outcome(future) for future in futures]
    finally:
        if owned:
            pool.shutdown(wait=True)
    return merge_outcomes(work.run, outcomes)


async def arun_branches(work: Branches) -> list[Any]:
    """Run the branches as asyncio tasks, at most `max_concurrency` at once, or on
    `work.executor` (each branch then runs blocking on a worker, e.g. Dask's).

    If the caller is cancelled, every branch is cancelled and waited for, and what the
    branches recorded is merged before the cancellation propagates. (A branch already
    running on an executor cannot be interrupted; its outcome is not waited for.)
    """
    tasks = branch_tasks(work)
    if not tasks:
        return []
    limit = require_count("max_concurrency", work.max_concurrency)
    if work.executor is not None:
        pending = [asyncio.wrap_future(_submit(work.executor, task)) for task in tasks]
    else:
        gate = asyncio.Semaphore(limit)
        pending = [asyncio.ensure_future(_limited(gate, task)) for task in tasks]
    try:
        await asyncio.wait(pending)
    except asyncio.CancelledError:
        for future in pending:
            future.cancel()
        await asyncio.wait(pending)
        absorb_outcomes(work.run, [_settled(future) for future in pending])
        raise
    return merge_outcomes(work.run, [_settled(future) for future in pending])


async def _limited(gate: asyncio.Semaphore, task: BranchTask) -> BranchOutcome:
    try:
        async with gate:
            return await task.arun()
    except asyncio.CancelledError as error:  # cancelled before it started: nothing to report
        return BranchOutcome(error=error)


def _settled(future: asyncio.Future[BranchOutcome]) -> BranchOutcome:
    if future.cancelled():
        return BranchOutcome(error=asyncio.CancelledError())
    error = future.exception()
    return BranchOutcome(error=error) if error is not None else future.result()


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
