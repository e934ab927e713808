"""`run_demo(pattern)`: run one pattern on a ScriptedModel and return its trace as text.

Backs `archlint demo PATTERN`. Everything is scripted: no network, no keys, no sleeping.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .budget import Budget
from .errors import RuntimeLimitError
from .models import ModelResponse, ScriptedModel, TokenUsage, Tool, ToolCall
from .patterns.agent import agent_loop
from .patterns.chain import chain
from .patterns.evaluate import evaluate_optimize
from .patterns.orchestrate import orchestrate
from .patterns.parallel import parallel, vote
from .patterns.route import route
from .result import Result
from .retry import NO_WAIT
from .trace import Tracer, format_events

Options = dict[str, Any]
"""tracer, retry and budget, passed to every pattern a demo runs."""

DEMO_PATTERNS: tuple[str, ...] = (
    "chain",
    "route",
    "parallel",
    "vote",
    "orchestrate",
    "evaluate",
    "agent",
)


def _chain(options: Options) -> Result:
    model = ScriptedModel(["1. intro 2. body 3. end", "A short essay in three parts."])
    return chain(
        model,
        ["Outline an essay on {input}", "Write the essay from this outline: {input}"],
        "bounded agents",
        gates={0: lambda outline: "1." in outline},
        **options,
    )


def _route(options: Options) -> Result:
    model = ScriptedModel(["billing", "Refund issued."])
    return route(
        model,
        "I was charged twice",
        {"billing": "Resolve this billing issue: {input}", "tech": "Debug: {input}"},
        default=lambda text: "Forwarded to a human.",
        **options,
    )


def _parallel(options: Options) -> Result:
    model = ScriptedModel(lambda messages, tools: "ok: " + messages[0]["content"])
    return parallel(
        model, ["check grammar", "check facts", "check tone"], aggregate="; ".join, **options
    )


def _vote(options: Options) -> Result:
    answers = iter(["spam", "spam", "not spam"])
    model = ScriptedModel(lambda messages, tools: next(answers))
    return vote(model, "Is this message spam?", n=3, **options)


def _orchestrate(options: Options) -> Result:
    def answer(messages: list, tools: list) -> str:
        prompt = messages[0]["content"]
        if prompt.startswith("Break the task"):
            return json.dumps([f"section {i}" for i in range(1, 21)])  # too many on purpose
        if prompt.startswith("Task:"):
            return "Combined report."
        return "wrote " + prompt.rsplit("\n", 1)[-1]

    model = ScriptedModel(answer)
    return orchestrate(
        model, "Write a report", max_subtasks=3, on_limit="return", synthesizer=model, **options
    )


def _evaluate(options: Options) -> Result:
    generator = ScriptedModel(["A haiku, draft one.", "A haiku, draft two."])
    judge = ScriptedModel(["FAIL: wrong syllable count", "PASS"])
    return evaluate_optimize(generator, judge, "Write a haiku", max_rounds=3, **options)


def _agent(options: Options) -> Result:
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
    return agent_loop(
        ScriptedModel(script), "Weather in Paris?", tools=[lookup], max_steps=5, **options
    )


_RUNNERS: dict[str, Callable[[Options], Result]] = {
    "chain": _chain,
    "route": _route,
    "parallel": _parallel,
    "vote": _vote,
    "orchestrate": _orchestrate,
    "evaluate": _evaluate,
    "agent": _agent,
}


def run_demo(pattern: str) -> str:
    """Run `pattern` (one of DEMO_PATTERNS) and return its trace and result as text."""
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
        result = _RUNNERS[pattern](options)
        outcome = f"result: stop_reason={result.stop_reason} output={result.output!r}"
    except RuntimeLimitError as error:
        outcome = f"stopped: {error.stop_reason}: {error}"
    return f"{format_events(tracer.events)}\n{outcome}"
