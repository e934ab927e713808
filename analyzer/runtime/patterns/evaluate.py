"""Evaluator-optimizer: generate, judge, revise with the judge's feedback, a bounded number of rounds."""

from __future__ import annotations

from collections.abc import Callable

from ..bounds import require_count
from ..budget import Budget
from ..drive import Flow, blocking
from ..errors import BudgetExceeded
from ..guard import call_model_flow
from ..models import ModelSource, resolve_model, user
from ..result import Result, StopReason
from ..retry import RetryPolicy
from ..scope import Run, open_run
from ..trace import Tracer
from ._common import OnLimit, check_on_limit, fill, limit_reached, model_step

DEFAULT_GENERATE_PROMPT = "{task}"
DEFAULT_REVISE_PROMPT = (
    "{task}\n\nYour previous answer:\n{candidate}\n\nReviewer feedback:\n{feedback}\n\n"
    "Write an improved answer."
)
DEFAULT_EVALUATE_PROMPT = (
    "Task:\n{task}\n\nAnswer:\n{candidate}\n\n"
    "Reply PASS if the answer is acceptable; otherwise reply FAIL and say what to fix."
)


def parse_verdict(text: str) -> tuple[bool, str]:
    """(passed, feedback): passed when the reply starts with PASS."""
    stripped = text.strip()
    return stripped.upper().startswith("PASS"), stripped


def evaluate_optimize_flow(
    generator: ModelSource,
    evaluator: ModelSource,
    task: str,
    *,
    max_rounds: int = 3,
    on_limit: OnLimit = "raise",
    generate_prompt: str = DEFAULT_GENERATE_PROMPT,
    revise_prompt: str = DEFAULT_REVISE_PROMPT,
    evaluate_prompt: str = DEFAULT_EVALUATE_PROMPT,
    parse: Callable[[str], tuple[bool, str]] = parse_verdict,
    name: str = "evaluate",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Loop generate -> evaluate until the evaluator passes or `max_rounds` is reached.

    On exhaustion (rounds or budget) the last candidate is the partial output: returned
    with stop_reason "max_rounds"/"budget_exceeded" if on_limit="return", else attached to
    the raised LimitReached/BudgetExceeded as `.result`.
    """
    require_count("max_rounds", max_rounds)
    check_on_limit(on_limit)
    with open_run(
        "evaluator_optimizer", name=name, budget=budget, tracer=tracer, retry=retry
    ) as run:
        candidate, feedback, verdicts = "", "", []
        try:
            for round_ in range(1, max_rounds + 1):
                prompt = (
                    fill(generate_prompt, task=task)
                    if round_ == 1
                    else fill(revise_prompt, task=task, candidate=candidate, feedback=feedback)
                )
                candidate = yield from model_step(run, generator, prompt, f"generate {round_}")
                judge_prompt = fill(evaluate_prompt, task=task, candidate=candidate)
                passed, feedback = yield from _judge(run, evaluator, judge_prompt, round_, parse)
                verdicts.append("pass" if passed else "fail")
                if passed:
                    return run.finish(candidate, rounds=round_, verdicts=verdicts)
        except BudgetExceeded as error:
            return limit_reached(
                run, on_limit, error.stop_reason, candidate, error, verdicts=verdicts
            )
        return limit_reached(
            run,
            on_limit,
            StopReason.MAX_ROUNDS,
            candidate,
            None,
            rounds=max_rounds,
            verdicts=verdicts,
            feedback=feedback,
        )


def _judge(
    run: Run,
    evaluator: ModelSource,
    prompt: str,
    round_: int,
    parse: Callable[[str], tuple[bool, str]],
) -> Flow[tuple[bool, str]]:
    step = f"evaluate {round_}"
    with run.step(step) as record:
        judge = resolve_model(evaluator)
        response = yield from call_model_flow(run, judge, user(prompt), step=step)
        passed, feedback = parse(response.text)
        record.verdict = "pass" if passed else "fail"
    return passed, feedback


evaluate_optimize = blocking(evaluate_optimize_flow)
