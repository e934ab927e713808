"""Shared building blocks for entries whose SDKs share a shape (not an entry itself).

Stainless-generated SDKs (openai, anthropic, groq, together, cerebras, letta, ...) expose
every request method also as `<resource>.with_raw_response.<method>` and
`<resource>.with_streaming_response.<method>`, and the client itself has
`with_raw_response` / `with_streaming_response` properties mirroring all resources.
"""

from __future__ import annotations

from dataclasses import replace

from analyzer.knowledge.shapes import RAW_NAMESPACES as WRAPPERS
from analyzer.knowledge.spec import SELF, ModelCall, ResultRule, model

#: helper methods that the raw-response resources do not wrap
_HELPERS = frozenset({"stream", "create_and_stream", "submit_tool_outputs_stream", "tool_runner"})


def wrapped(provider: str, templates: tuple[ModelCall, ...]) -> tuple[ModelCall, ...]:
    """`templates` plus each request through `<resource>.with_raw_response.<m>` and
    `<resource>.with_streaming_response.<m>`: the same request, the raw HTTP response back.
    The label stays the request's own (`openai.chat.completions.create`)."""
    out = list(templates)
    for m in templates:
        if "." not in m.callee:
            continue
        res, meth = m.callee.rsplit(".", 1)
        if meth in _HELPERS:
            continue
        for wrap in WRAPPERS:
            out.append(
                replace(
                    m,
                    callee=f"{res}.{wrap}.{meth}",
                    api=m.api or f"{provider}.{m.callee}",
                    streaming=m.streaming or wrap == "with_streaming_response",
                )
            )
    return tuple(out)


def client_wrappers(types: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """Attribute hops `client.with_raw_response` -> the client's own type."""
    return tuple((t, w, t) for t in types for w in WRAPPERS)


def client_copies(types: tuple[str, ...]) -> tuple[ResultRule, ...]:
    """`client.with_options(...)` / `client.copy(...)` keep the client's type."""
    return tuple(ResultRule(f"{t}.{m}", SELF) for t in types for m in ("with_options", "copy"))


#: the OpenAI-compatible chat surface (groq, together, cerebras, fireworks, ...)
OPENAI_CHAT = (
    model("chat.completions.create", tools_kw=("tools", "functions"), stream_kw="stream"),
    model("completions.create", stream_kw="stream", note="legacy text completions"),
)
