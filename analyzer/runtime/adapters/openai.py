"""`OpenAIModel` / `AsyncOpenAIModel`: the openai SDK's Chat Completions API as a runtime model.

Translation is written once (`OpenAIChat`); the classes differ only in awaiting the client.
`stream`/`astream` yield text deltas, then the final completion with its usage.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from ..errors import TransientModelError
from ..models import Message, ModelResponse, StreamItem, TokenUsage, Tool, ToolCall
from . import SdkModel, is_retryable_status, translated

FINISH_REASONS = {"stop": "end", "tool_calls": "tool_use", "length": "max_tokens"}


class OpenAIChat(SdkModel):
    """Translation between neutral messages and Chat Completions, for both clients."""

    provider = "openai"

    def request(self, messages: Sequence[Message], tools: Sequence[Tool] | None) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.name,
            "max_completion_tokens": self.max_tokens,
            "messages": to_openai_messages(messages),
        }
        if tools:
            request["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": dict(t.parameters),
                    },
                }
                for t in tools
            ]
        return request

    def stream_request(
        self, messages: Sequence[Message], tools: Sequence[Tool] | None
    ) -> dict[str, Any]:
        """Streams report usage only when asked to, and the budget needs it."""
        return {**self.request(messages, tools), "stream_options": {"include_usage": True}}

    def _response(self, raw: Any) -> ModelResponse:
        choice = raw.choices[0]
        calls = tuple(
            ToolCall(c.id, c.function.name, _arguments(c.function.arguments))
            for c in (choice.message.tool_calls or ())
            if getattr(c, "function", None) is not None
        )
        usage = TokenUsage(
            raw.usage.prompt_tokens if raw.usage else 0,
            raw.usage.completion_tokens if raw.usage else 0,
        )
        usage = self.priced(usage)
        reason = choice.finish_reason or "stop"
        return ModelResponse(
            text=choice.message.content or "",
            tool_calls=calls,
            usage=usage,
            stop_reason=FINISH_REASONS.get(reason, reason),
            model=raw.model,
        )


class OpenAIModel(OpenAIChat):
    """Wraps an `openai.OpenAI` client, copied with `max_retries=0` and a finite timeout."""

    def complete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse:
        with translated(_transient):
            raw = self._client.chat.completions.create(**self.request(messages, tools))
        return self._response(raw)

    def stream(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> Iterator[StreamItem]:
        request = self.stream_request(messages, tools)
        with translated(_transient), self._client.chat.completions.stream(**request) as stream:
            for event in stream:
                if event.type == "content.delta":
                    yield event.delta
            final = stream.get_final_completion()
        yield self._response(final)


class AsyncOpenAIModel(OpenAIChat):
    """Wraps an `openai.AsyncOpenAI` client, for `analyzer.runtime.aio`."""

    async def acomplete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse:
        with translated(_transient):
            raw = await self._client.chat.completions.create(**self.request(messages, tools))
        return self._response(raw)

    async def astream(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> AsyncIterator[StreamItem]:
        request = self.stream_request(messages, tools)
        with translated(_transient):
            async with self._client.chat.completions.stream(**request) as stream:
                async for event in stream:
                    if event.type == "content.delta":
                        yield event.delta
                final = await stream.get_final_completion()
        yield self._response(final)


def _arguments(text: str) -> Any:
    """Parsed JSON arguments; malformed JSON is kept as text so the agent can report it."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def to_openai_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        role = message["role"]
        if role == "tool":
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": message["tool_call_id"],
                    "content": message["content"],
                }
            )
        elif role == "assistant" and message.get("tool_calls"):
            out.append(
                {
                    "role": "assistant",
                    "content": message.get("content") or None,
                    "tool_calls": [
                        {
                            "id": call["id"],
                            "type": "function",
                            "function": {
                                "name": call["name"],
                                "arguments": call["arguments"]
                                if isinstance(call["arguments"], str)
                                else json.dumps(call["arguments"]),
                            },
                        }
                        for call in message["tool_calls"]
                    ],
                }
            )
        else:
            out.append({"role": role, "content": message["content"]})
    return out


def _transient(error: Exception) -> TransientModelError | None:
    import openai

    if isinstance(error, openai.APIStatusError) and is_retryable_status(error.status_code):
        return TransientModelError(str(error), status=error.status_code)
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return TransientModelError(str(error))
    return None
