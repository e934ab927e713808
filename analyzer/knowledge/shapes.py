"""Call shapes that identify a model request on a client the knowledge base does not know.

Many providers and gateways ship OpenAI- or Anthropic-compatible clients (groq, together,
fireworks, cerebras, deepseek, openrouter, vLLM and LiteLLM proxies, routellm, ...). Their
request methods keep the reference SDK's path and keywords, so a call such as
`X.chat.completions.create(model=..., messages=...)` is a model call whatever `X` is,
provided it is not project code (project code is followed through the call graph instead).
The shape is data: a path suffix and the keywords the request cannot do without.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Stainless-generated SDKs expose every request method again under these namespaces
#: (`client.chat.completions.with_raw_response.create(...)`); they still send the request.
RAW_NAMESPACES = ("with_raw_response", "with_streaming_response")


@dataclass(frozen=True, slots=True)
class CallShape:
    """A request method path (`suffix`) that, called with every keyword in `required`,
    sends a request to a language model in the `compatible` SDK's wire format."""

    suffix: tuple[str, ...]
    required: tuple[str, ...]
    compatible: str
    streaming: bool = False


SHAPES: tuple[CallShape, ...] = (
    CallShape(("chat", "completions", "create"), ("model", "messages"), "openai"),
    CallShape(("chat", "completions", "parse"), ("model", "messages"), "openai"),
    CallShape(("chat", "completions", "stream"), ("model", "messages"), "openai", True),
    CallShape(("responses", "create"), ("model", "input"), "openai"),
    CallShape(("responses", "parse"), ("model", "input"), "openai"),
    CallShape(("messages", "create"), ("model", "messages"), "anthropic"),
    CallShape(("messages", "stream"), ("model", "messages"), "anthropic", True),
)


def strip_raw(path: tuple[str, ...]) -> tuple[str, ...]:
    """The request path without the raw/streaming-response namespaces."""
    return tuple(p for p in path if p not in RAW_NAMESPACES)


def match_shape(path: tuple[str, ...], keywords: frozenset[str]) -> CallShape | None:
    """The shape a call with attribute `path` and keyword names `keywords` has, if any."""
    path = strip_raw(path)
    for shape in SHAPES:
        n = len(shape.suffix)
        if len(path) > n and path[-n:] == shape.suffix and set(shape.required) <= keywords:
            return shape
    return None
