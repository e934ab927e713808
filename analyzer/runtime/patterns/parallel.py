"""Parallelization: sectioning (different prompts at once) and voting (one prompt n times)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from ..bounds import require_count
from ..budget import Budget
from ..drive import Branches, Flow, blocking
from ..executors import DEFAULT_MAX_WORKERS
from ..models import ModelSource
from ..result import Result
from ..retry import RetryPolicy
from ..scope import Run, open_run
from ..trace import Tracer
from ._common import call_user, model_step

Section = str | Callable[[], str]
"""A prompt (one model call) or a zero-argument function (e.g. a nested pattern; with the
async API it may be a coroutine function)."""


def _section(run: Run, model: ModelSource | None, section: Section, index: int) -> Flow[str]:
    if isinstance(section, str):
        if model is None:
            raise ValueError("prompt sections need a model")
        return (yield from model_step(run, model, section, index))
    with run.step(index):
        return (yield from call_user(run, section))


def parallel_flow(
    model: ModelSource | None,
    sections: Sequence[Section],
    *,
    aggregate: Callable[[list[str]], Any] | None = None,
    executor: Executor | None = None,
    max_concurrency: int = DEFAULT_MAX_WORKERS,
    name: str = "parallel",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Run independent sections concurrently; output is `aggregate(outputs)` or the list.

    Each section gets an equal share of the remaining budget, and its usage and events are
    merged back. At most `max_concurrency` run at once (threads, or asyncio tasks with the
    async API). With a pickling executor (Dask), pass the model as a factory.
    """
    sections = list(sections)
    if not sections:
        raise ValueError("parallel needs at least one section")
    with open_run(
        "parallelization_sectioning", name=name, budget=budget, tracer=tracer, retry=retry
    ) as run:
        args = [(model, section, i) for i, section in enumerate(sections)]
        outputs = yield Branches(run, _section, args, executor, max_concurrency)
        output = aggregate(outputs) if aggregate is not None else outputs
        return run.finish(output, sections=len(outputs), outputs=outputs)


def majority(answers: list[str]) -> str:
    """The most common answer (ignoring case and surrounding space); ties go to the earliest."""
    keys = [a.strip().lower() for a in answers]
    counts = Counter(keys)
    best = max(counts.values())
    return next(a.strip() for a, k in zip(answers, keys, strict=True) if counts[k] == best)


def vote_flow(
    model: ModelSource,
    prompt: str,
    *,
    n: int = 5,
    decide: Callable[[list[str]], str] = majority,
    executor: Executor | None = None,
    max_concurrency: int = DEFAULT_MAX_WORKERS,
    name: str = "vote",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Ask the same question `n` times concurrently and `decide` between the answers."""
    require_count("n", n)
    with open_run(
        "parallelization_voting", name=name, budget=budget, tracer=tracer, retry=retry
    ) as run:
        args = [(model, prompt, i) for i in range(n)]
        votes = yield Branches(run, _section, args, executor, max_concurrency)
        return run.finish(decide(votes), votes=votes)


parallel = blocking(parallel_flow)
vote = blocking(vote_flow)
