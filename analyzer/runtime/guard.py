"""The one guarded path to a model, and to a tool.

Every model request goes through `call_model`: budget check, a `chat {model}` span and a
trace event per attempt, bounded retries with backoff. Every tool call goes through
`call_tool`: budget check, an `execute_tool {tool}` span and a trace event. Failures are
recorded before they propagate.

Both are written once as flows (see drive.py): `call_model`/`call_tool` here block,
`analyzer.runtime.aio.call_model`/`call_tool` await the same flows. The bookkeeping a
call leaves (span attributes, budget usage, the trace event, the retry decision) lives in
small functions that streams (stream.py) share too.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from .drive import Complete, Flow, Invoke, Sleep, blocking
from .errors import DeadlineExceeded
from .models import AnyModel, Message, ModelResponse, Tool, ToolCall
from .retry import RetryPolicy
from .scope import PATTERN_ATTRIBUTE, Run
from .trace import SpanHandle


def call_model_flow(
    run: Run,
    model: AnyModel,
    messages: Sequence[Message],
    *,
    tools: Sequence[Tool] | None = None,
    step: int | str | None = None,
) -> Flow[ModelResponse]:
    """Call `model` within the run's budget, retrying transient failures a bounded number of times."""
    policy = run.retry
    for attempt in range(1, policy.max_attempts + 1):
        run.budget.charge("model_calls")  # also refuses when time, tokens or cost are spent
        started = time.perf_counter()
        with run.tracer.span(f"chat {model.name}", chat_attributes(run, model)) as span:
            try:
                response = yield Complete(model, messages, tools, run.budget.remaining_seconds())
            except BaseException as error:
                model_failed(run, span, model, error, attempt=attempt, step=step, started=started)
                if isinstance(error, DeadlineExceeded):
                    raise run.budget.deadline_error() from error
                if not should_retry(policy, attempt, error):
                    raise
            else:
                model_answered(
                    run, span, model, response, attempt=attempt, step=step, started=started
                )
                return response
        delay = retry_delay(run, attempt)
        if delay > 0:
            yield Sleep(delay, policy.sleep)
    raise AssertionError("unreachable: the last attempt returns or raises")


def chat_attributes(run: Run, model: AnyModel) -> dict[str, Any]:
    return {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": getattr(model, "provider", None),
        "gen_ai.request.model": model.name,
        PATTERN_ATTRIBUTE: run.pattern,
    }


def model_answered(
    run: Run,
    span: SpanHandle,
    model: AnyModel,
    response: ModelResponse,
    *,
    attempt: int,
    step: int | str | None,
    started: float,
    **extra: Any,
) -> None:
    """Charge the tokens, annotate the span and write the attempt's one event."""
    usage = response.usage
    run.budget.record(tokens=usage.total, cost=usage.cost)
    span.set_many(
        {
            "gen_ai.response.model": response.model,
            "gen_ai.usage.input_tokens": usage.input_tokens,
            "gen_ai.usage.output_tokens": usage.output_tokens,
            "gen_ai.response.finish_reasons": [response.stop_reason],
        }
    )
    run.event(
        "model",
        step=step,
        model=response.model or model.name,
        attempt=attempt,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        stop_reason=response.stop_reason,
        duration_ms=_ms(started),
        detail=extra or None,
    )


def model_failed(
    run: Run,
    span: SpanHandle,
    model: AnyModel,
    error: BaseException,
    *,
    attempt: int,
    step: int | str | None,
    started: float,
    **extra: Any,
) -> None:
    """Mark the span and write the failed attempt's one event (before anything re-raises)."""
    span.fail(error)
    run.event(
        "model",
        step=step,
        model=model.name,
        attempt=attempt,
        error=describe(error),
        duration_ms=_ms(started),
        detail=extra or None,
    )


def should_retry(policy: RetryPolicy, attempt: int, error: BaseException) -> bool:
    """Retry transient failures while attempts remain; never a cancellation or interrupt."""
    return isinstance(error, Exception) and attempt < policy.max_attempts and policy.retry_if(error)


def retry_delay(run: Run, attempt: int) -> float:
    """Backoff, but never past the deadline; the next charge() then reports the time budget."""
    return min(run.retry.delay(attempt), max(run.budget.remaining_seconds(), 0.0))


def call_tool_flow(
    run: Run, tools: Mapping[str, Tool], call: ToolCall, *, step: int | str | None = None
) -> Flow[tuple[str, bool]]:
    """Run one tool call the model asked for. Returns (content for the model, is_error).

    Unknown tools, malformed arguments and tool exceptions do not crash the loop: they are
    recorded and returned to the model as errors so it can correct itself, within budget.
    A tool outliving the time budget (async) ends the run with the time budget's error.
    """
    run.budget.charge("tool_calls")
    started = time.perf_counter()
    attributes = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": call.name,
        "gen_ai.tool.call.id": call.id,
        PATTERN_ATTRIBUTE: run.pattern,
    }
    with run.tracer.span(f"execute_tool {call.name}", attributes) as span:
        target, error = bind_tool(tools, call)
        content, stop = "", None
        if target is not None:
            try:
                value = yield Invoke(
                    target[0], target[1], target[2], run.budget.remaining_seconds()
                )
            except Exception as exc:
                error = f"tool {call.name!r} failed: {describe(exc)}"
                if isinstance(exc, DeadlineExceeded):
                    stop = run.budget.deadline_error()
                    stop.__cause__ = exc
            except BaseException as exc:  # cancelled or interrupted: recorded, re-raised
                error, stop = describe(exc), exc
            else:
                content = tool_content(value)
        if error is not None:
            span.set("error.type", "tool_error")
        run.event("tool", step=step, tool=call.name, error=error, duration_ms=_ms(started))
        if stop is not None:
            raise stop
    return (error, True) if error is not None else (content, False)


Target = tuple[Any, tuple[Any, ...], dict[str, Any]]


def bind_tool(tools: Mapping[str, Tool], call: ToolCall) -> tuple[Target | None, str | None]:
    """(fn, args, kwargs) to run, or the error to return to the model instead."""
    tool = tools.get(call.name)
    if tool is None:
        known = ", ".join(sorted(tools)) or "none"
        return None, f"unknown tool {call.name!r}; available: {known}"
    if not isinstance(call.arguments, Mapping):
        return None, f"malformed arguments for {call.name!r}: expected a JSON object"
    try:
        bound = inspect.signature(tool.fn).bind(**call.arguments)
    except TypeError as error:
        return None, f"invalid arguments for {call.name!r}: {error}"
    return (tool.fn, bound.args, bound.kwargs), None


def tool_content(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


call_model = blocking(call_model_flow)
call_tool = blocking(call_tool_flow)
