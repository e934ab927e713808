"""Pieces shared by the patterns: a model-call step, user code as an effect, the on_limit policy.

Patterns are flows (see ../drive.py): `yield from` a guarded call, `yield Invoke(...)` to
run the developer's own functions (sync or async), `yield Branches(...)` to fan out.
"""

from __future__ import annotations

from typing import Any, Literal

from ..drive import Flow, Invoke
from ..errors import DeadlineExceeded, LimitReached, RuntimeLimitError
from ..guard import call_model_flow
from ..models import ModelSource, resolve_model, user
from ..result import Result
from ..scope import Run

OnLimit = Literal["raise", "return"]


def check_on_limit(on_limit: str) -> str:
    if on_limit not in ("raise", "return"):
        raise ValueError(f'on_limit must be "raise" or "return", not {on_limit!r}')
    return on_limit


def fill(template: str, **values: str) -> str:
    """Substitute {name} placeholders without str.format (prompts often contain braces)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def model_step(run: Run, model: ModelSource, prompt: str, step: int | str) -> Flow[str]:
    """One step = one guarded model call on a single-message prompt. Module-level: picklable."""
    with run.step(step):
        response = yield from call_model_flow(run, resolve_model(model), user(prompt), step=step)
        return response.text


def call_user(run: Run, fn: Any, *args: Any) -> Flow[Any]:
    """Run developer code (a step, handler, gate or section): awaited if it is async, and
    then within the time left in the budget (outliving it is the time budget's error)."""
    try:
        return (yield Invoke(fn, args, {}, run.budget.remaining_seconds()))
    except DeadlineExceeded as error:
        raise run.budget.deadline_error() from error


def limit_reached(
    run: Run,
    on_limit: str,
    reason: str,
    output: Any,
    error: RuntimeLimitError | None = None,
    **detail: Any,
) -> Result:
    """Return a partial result, or raise with it attached, as the caller chose."""
    if on_limit == "return":
        return run.finish(output, reason, **detail)
    partial = run.partial(output, reason, **detail)
    if error is not None:
        error.result = partial
        raise error
    raise LimitReached(reason, f"{run.pattern} {run.name!r} stopped: {reason}", result=partial)
