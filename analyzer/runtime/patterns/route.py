"""Routing: a model classifies the input, and one developer-defined handler runs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..budget import Budget
from ..drive import Flow, blocking
from ..errors import UnknownRoute
from ..guard import call_model_flow
from ..models import ModelSource, resolve_model, user
from ..result import Result
from ..retry import RetryPolicy
from ..scope import open_run
from ..trace import Tracer
from ._common import call_user, fill

Handler = str | Callable[[str], str]
"""A prompt template using {input} (one model call), or a function of the input."""

DEFAULT_CLASSIFY_PROMPT = (
    "Classify the input into exactly one of these labels: {labels}.\n"
    "Answer with the label only.\n\nInput:\n{input}"
)


def parse_label(text: str, labels: tuple[str, ...]) -> str:
    """The first word of the answer, lower-cased and stripped of punctuation."""
    words = re.findall(r"[\w-]+", text.lower())
    return words[0] if words else ""


def route_flow(
    model: ModelSource,
    input: str,
    routes: Mapping[str, Handler],
    *,
    default: Handler | None = None,
    classify_prompt: str = DEFAULT_CLASSIFY_PROMPT,
    parse: Callable[[str, tuple[str, ...]], str] = parse_label,
    name: str = "route",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Classify `input`, then run its handler (or `default`).

    A label with no handler runs `default`; without a default it raises `UnknownRoute`, so
    an unexpected label is never silently dropped. `detail["route"]` says which handler ran.
    """
    if not routes:
        raise ValueError("route needs at least one route")
    labels = tuple(routes)
    with open_run("routing", name=name, budget=budget, tracer=tracer, retry=retry) as run:
        llm = resolve_model(model)
        with run.step("classify") as record:
            prompt = fill(classify_prompt, labels=", ".join(labels), input=input)
            answer = yield from call_model_flow(run, llm, user(prompt), step="classify")
            label = parse(answer.text, labels)
            chosen = label if label in routes else "default"
            record.route = chosen
            record.detail["label"] = label
            if chosen == "default" and default is None:
                raise UnknownRoute(label, labels)
        handler = routes[label] if chosen != "default" else default
        assert handler is not None
        with run.step("handle") as record:
            record.route = chosen
            if isinstance(handler, str):
                prompt = fill(handler, input=input)
                response = yield from call_model_flow(run, llm, user(prompt), step="handle")
                output = response.text
            else:
                output = yield from call_user(run, handler, input)
        return run.finish(output, route=chosen, label=label)


route = blocking(route_flow)
