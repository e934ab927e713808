"""The one guarded path to a model, and to a tool.

Every model request goes through `call_model`: budget check, a `chat {model}` span and a
trace event per attempt, bounded retries with backoff. Every tool call goes through
`call_tool`: budget check, an `execute_tool {tool}` span and a trace event. Failures are
recorded before they propagate.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from .models import Message, Model, ModelResponse, Tool, ToolCall
from .scope import PATTERN_ATTRIBUTE, Run


def call_model(
    run: Run,
    model: Model,
    messages: Sequence[Message],
    *,
    tools: Sequence[Tool] | None = None,
    step: int | str | None = None,
) -> ModelResponse:
    """Call `model` within the run's budget, retrying transient failures a bounded number of times."""
    policy = run.retry
    for attempt in range(1, policy.max_attempts + 1):
        run.budget.charge("model_calls")  # also refuses when time, tokens or cost are spent
        started = time.perf_counter()
        attributes = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": getattr(model, "provider", None),
            "gen_ai.request.model": model.name,
            PATTERN_ATTRIBUTE: run.pattern,
        }
        with run.tracer.span(f"chat {model.name}", attributes) as span:
            try:
                response = model.complete(messages, tools=tools)
            except Exception as error:
                span.fail(error)
                run.event(
                    "model",
                    step=step,
                    model=model.name,
                    attempt=attempt,
                    error=f"{type(error).__name__}: {error}",
                    duration_ms=_ms(started),
                )
                if attempt == policy.max_attempts or not policy.retry_if(error):
                    raise
            else:
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
                )
                return response
        # Never wait past the deadline; the next charge() then reports the time budget.
        delay = min(policy.delay(attempt), max(run.budget.remaining_seconds(), 0.0))
        if delay > 0:
            policy.sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")


def call_tool(
    run: Run, tools: Mapping[str, Tool], call: ToolCall, *, step: int | str | None = None
) -> tuple[str, bool]:
    """Run one tool call the model asked for. Returns (content for the model, is_error).

    Unknown tools, malformed arguments and tool exceptions do not crash the loop: they are
    recorded and returned to the model as errors so it can correct itself, within budget.
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
        content, error = _invoke(tools, call)
        if error is not None:
            span.set("error.type", "tool_error")
        run.event("tool", step=step, tool=call.name, error=error, duration_ms=_ms(started))
    return (error, True) if error is not None else (content, False)


def _invoke(tools: Mapping[str, Tool], call: ToolCall) -> tuple[str, str | None]:
    tool = tools.get(call.name)
    if tool is None:
        return "", f"unknown tool {call.name!r}; available: {', '.join(sorted(tools)) or 'none'}"
    if not isinstance(call.arguments, Mapping):
        return "", f"malformed arguments for {call.name!r}: expected a JSON object"
    try:
        bound = inspect.signature(tool.fn).bind(**call.arguments)
    except TypeError as error:
        return "", f"invalid arguments for {call.name!r}: {error}"
    try:
        value: Any = tool.fn(*bound.args, **bound.kwargs)
    except Exception as error:
        return "", f"tool {call.name!r} failed: {type(error).__name__}: {error}"
    return (value if isinstance(value, str) else json.dumps(value, default=str)), None


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
