"""Parallelization: sectioning (different prompts at once) and voting (one prompt n times)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from ..bounds import require_count
from ..budget import Budget
from ..executors import run_branches
from ..models import ModelSource
from ..result import Result
from ..retry import RetryPolicy
from ..scope import Run, open_run
from ..trace import Tracer
from ._common import model_step

Section = str | Callable[[], str]
"""A prompt (one model call) or a zero-argument function (e.g. a nested pattern)."""


def _section(run: Run, model: ModelSource | None, section: Section, index: int) -> str:
    if isinstance(section, str):
        if model is None:
            raise ValueError("prompt sections need a model")
        return model_step(run, model, section, index)
    with run.step(index):
        return section()


def parallel(
    model: ModelSource | None,
    sections: Sequence[Section],
    *,
    aggregate: Callable[[list[str]], Any] | None = None,
    executor: Executor | None = None,
    name: str = "parallel",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Result:
    """Run independent sections concurrently; output is `aggregate(outputs)` or the list.

    Each section gets an equal share of the remaining budget, and its usage is merged back.
    With a pickling executor (Dask), pass the model as a factory.
    """
    sections = list(sections)
    if not sections:
        raise ValueError("parallel needs at least one section")
    with open_run(
        "parallelization_sectioning", name=name, budget=budget, tracer=tracer, retry=retry
    ) as run:
        args = [(model, section, i) for i, section in enumerate(sections)]
        outputs = run_branches(run, _section, args, executor)
        output = aggregate(outputs) if aggregate is not None else outputs
        return run.finish(output, sections=len(outputs), outputs=outputs)


def majority(answers: list[str]) -> str:
    """The most common answer (ignoring case and surrounding space); ties go to the earliest."""
    keys = [a.strip().lower() for a in answers]
    counts = Counter(keys)
    best = max(counts.values())
    return next(a.strip() for a, k in zip(answers, keys, strict=True) if counts[k] == best)


def vote(
    model: ModelSource,
    prompt: str,
    *,
    n: int = 5,
    decide: Callable[[list[str]], str] = majority,
    executor: Executor | None = None,
    name: str = "vote",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Result:
    """Ask the same question `n` times concurrently and `decide` between the answers."""
    require_count("n", n)
    with open_run(
        "parallelization_voting", name=name, budget=budget, tracer=tracer, retry=retry
    ) as run:
        votes = run_branches(run, _section, [(model, prompt, i) for i in range(n)], executor)
        return run.finish(decide(votes), votes=votes)
