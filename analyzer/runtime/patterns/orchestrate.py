"""Orchestrator-workers: a planner model splits the task; provisioned workers run each part."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor

from ..bounds import require_count
from ..budget import Budget
from ..drive import Branches, Flow, blocking
from ..executors import DEFAULT_MAX_WORKERS
from ..guard import call_model_flow
from ..models import ModelSource, resolve_model, user
from ..result import Result, StopReason
from ..retry import RetryPolicy
from ..scope import Run, open_run
from ..trace import Tracer
from ._common import OnLimit, check_on_limit, fill, limit_reached, model_step

DEFAULT_PLAN_PROMPT = (
    "Break the task into independent subtasks. Answer with a JSON list of strings.\n\nTask:\n{task}"
)
DEFAULT_WORKER_PROMPT = "Overall task:\n{task}\n\nDo this subtask:\n{subtask}"
DEFAULT_SYNTHESIZE_PROMPT = "Task:\n{task}\n\nCombine these results into one answer:\n{results}"


def parse_plan(text: str) -> list[str]:
    """A JSON list of strings, or else one subtask per non-empty line (bullets stripped)."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [
        line.strip().lstrip("-*0123456789.) ").strip() for line in text.splitlines() if line.strip()
    ]


def _work(run: Run, model: ModelSource, prompt: str, index: int) -> Flow[str]:
    return (yield from model_step(run, model, prompt, f"worker {index}"))


def orchestrate_flow(
    planner: ModelSource,
    task: str,
    *,
    worker: ModelSource | None = None,
    max_subtasks: int = 8,
    on_limit: OnLimit = "raise",
    synthesizer: ModelSource | None = None,
    plan_prompt: str = DEFAULT_PLAN_PROMPT,
    worker_prompt: str = DEFAULT_WORKER_PROMPT,
    synthesize_prompt: str = DEFAULT_SYNTHESIZE_PROMPT,
    parse: Callable[[str], list[str]] = parse_plan,
    executor: Executor | None = None,
    max_concurrency: int = DEFAULT_MAX_WORKERS,
    name: str = "orchestrate",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Plan, run at most `max_subtasks` workers concurrently, then combine.

    A plan longer than `max_subtasks` raises `LimitReached("max_subtasks")` with
    on_limit="raise"; with "return" only the first `max_subtasks` run and the result's
    stop_reason is "max_subtasks". Results are combined by `synthesizer` if given, else
    joined with blank lines.
    """
    require_count("max_subtasks", max_subtasks)
    check_on_limit(on_limit)
    with open_run(
        "orchestrator_workers", name=name, budget=budget, tracer=tracer, retry=retry
    ) as run:
        with run.step("plan") as record:
            prompt = user(fill(plan_prompt, task=task))
            plan = yield from call_model_flow(run, resolve_model(planner), prompt, step="plan")
            subtasks = parse(plan.text)
            record.detail["subtasks"] = len(subtasks)
        stop = StopReason.COMPLETED
        if len(subtasks) > max_subtasks:
            stop = StopReason.MAX_SUBTASKS
            if on_limit == "raise":
                limit_reached(
                    run, on_limit, stop, None, planned=len(subtasks), max_subtasks=max_subtasks
                )
            subtasks = subtasks[:max_subtasks]
        work_model = worker if worker is not None else planner
        args = [
            (work_model, fill(worker_prompt, task=task, subtask=s), i)
            for i, s in enumerate(subtasks)
        ]
        results = yield Branches(run, _work, args, executor, max_concurrency)
        if synthesizer is not None and results:
            joined = "\n\n".join(f"[{i + 1}] {r}" for i, r in enumerate(results))
            prompt = fill(synthesize_prompt, task=task, results=joined)
            output = yield from model_step(run, synthesizer, prompt, "synthesize")
        else:
            output = "\n\n".join(results)
        return run.finish(output, stop, subtasks=subtasks, results=results)


orchestrate = blocking(orchestrate_flow)
