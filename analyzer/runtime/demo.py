"""`run_demo(pattern)`: run one pattern on a ScriptedModel and return its trace as text.

Backs `archlint demo PATTERN [--async]`. Everything is scripted: no network, no keys, no
sleeping. Each demo is written once against an API module, `analyzer.runtime` or
`analyzer.runtime.aio`, so the async demo runs the very same script, awaited.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .budget import Budget
from .errors import RuntimeLimitError
from .models import ModelResponse, ScriptedModel, TokenUsage, Tool, ToolCall
from .result import Result
from .retry import NO_WAIT
from .trace import Tracer, format_events

Options = dict[str, Any]
"""tracer, retry and budget, passed to every pattern a demo runs."""

Api = ModuleType
"""`analyzer.runtime` (results) or `analyzer.runtime.aio` (coroutines giving results)."""

DEMO_PATTERNS: tuple[str, ...] = (
    "chain",
    "route",
    "parallel",
    "vote",
    "orchestrate",
    "evaluate",
    "agent",
)


def _chain(api: Api, options: Options) -> Any:
    model = ScriptedModel(["1. intro 2. body 3. end", "A short essay in three parts."])
    return api.chain(
        model,
        ["Outline an essay on {input}", "Write the essay from this outline: {input}"],
        "bounded agents",
        gates={0: lambda outline: "1." in outline},
        **options,
    )


def _route(api: Api, options: Options) -> Any:
    model = ScriptedModel(["billing", "Refund issued."])
    return api.route(
        model,
        "I was charged twice",
        {"billing": "Resolve this billing issue: {input}", "tech": "Debug: {input}"},
        default=lambda text: "Forwarded to a human.",
        **options,
    )


def _parallel(api: Api, options: Options) -> Any:
    model = ScriptedModel(lambda messages, tools: "ok: " + messages[0]["content"])
    return api.parallel(
        model, ["check grammar", "check facts", "check tone"], aggregate="; ".join, **options
    )


def _vote(api: Api, options: Options) -> Any:
    answers = iter(["spam", "spam", "not spam"])
    model = ScriptedModel(lambda messages, tools: next(answers))
    return api.vote(model, "Is this message spam?", n=3, **options)


def _orchestrate(api: Api, options: Options) -> Any:
    def answer(messages: list, tools: list) -> str:
        prompt = messages[0]["content"]
        if prompt.startswith("Break the task"):
            return json.dumps([f"section {i}" for i in range(1, 21)])  # too many on purpose
        if prompt.startswith("Task:"):
            return "Combined report."
        return "wrote " + prompt.rsplit("\n", 1)[-1]

    model = ScriptedModel(answer)
    return api.orchestrate(
        model, "Write a report", max_subtasks=3, on_limit="return", synthesizer=model, **options
    )


def _evaluate(api: Api, options: Options) -> Any:
    generator = ScriptedModel(["A haiku, draft one.", "A haiku, draft two."])
    judge = ScriptedModel(["FAIL: wrong syllable count", "PASS"])
    return api.evaluate_optimize(generator, judge, "Write a haiku", max_rounds=3, **options)


def _agent(api: Api, options: Options) -> Any:
    script = [
        ModelResponse(
            tool_calls=(ToolCall("c1", "lookup", {"city": "Paris"}),),
            stop_reason="tool_use",
            usage=TokenUsage(20, 8),
        ),
        ModelResponse(
            tool_calls=(ToolCall("c2", "forecast", {}),), stop_reason="tool_use"
        ),  # unknown tool: reported back to the model
        ModelResponse("It is 18°C in Paris.", usage=TokenUsage(40, 9)),
    ]
    lookup = Tool("lookup", lambda city: {"city": city, "celsius": 18}, "Current weather")
    return api.agent_loop(
        ScriptedModel(script), "Weather in Paris?", tools=[lookup], max_steps=5, **options
    )


_RUNNERS: dict[str, Callable[[Api, Options], Any]] = {
    "chain": _chain,
    "route": _route,
    "parallel": _parallel,
    "vote": _vote,
    "orchestrate": _orchestrate,
    "evaluate": _evaluate,
    "agent": _agent,
}


def run_demo(pattern: str, *, use_async: bool = False) -> str:
    """Run `pattern` (one of DEMO_PATTERNS) and return its trace and result as text;
    with `use_async`, through `analyzer.runtime.aio` in an event loop."""
    if pattern not in _RUNNERS:
        choices = ", ".join(DEMO_PATTERNS)
        raise ValueError(f"unknown demo pattern {pattern!r}; choose from {choices}")
    tracer = Tracer(otel=None)
    options: Options = {
        "tracer": tracer,
        "retry": NO_WAIT,
        "budget": Budget(max_model_calls=30, max_seconds=30),
    }
    try:
        result = _run(_RUNNERS[pattern], use_async, options)
        outcome = f"result: stop_reason={result.stop_reason} output={result.output!r}"
    except RuntimeLimitError as error:
        outcome = f"stopped: {error.stop_reason}: {error}"
    return f"{format_events(tracer.events)}\n{outcome}"


def _run(runner: Callable[[Api, Options], Any], use_async: bool, options: Options) -> Result:
    from . import aio

    if not use_async:
        import analyzer.runtime as sync_api

        return runner(sync_api, options)

    async def main() -> Result:
        pending = runner(aio, options)
        assert inspect.isawaitable(pending)
        return await pending

    return asyncio.run(main())
