"""`AnthropicModel` / `AsyncAnthropicModel`: the anthropic SDK's Messages API as a runtime model.

The request and response translation is written once (`AnthropicMessages`); the sync and
async classes differ only in whether they await the client. Both can also stream
(`stream`/`astream`): text deltas as they arrive, then the final message with its usage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from ..errors import TransientModelError
from ..models import Message, ModelResponse, StreamItem, TokenUsage, Tool, ToolCall
from . import SdkModel, is_retryable_status, translated

STOP_REASONS = {
    "end_turn": "end",
    "stop_sequence": "end",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
}


class AnthropicMessages(SdkModel):
    """Translation between neutral messages and the Messages API, for both clients."""

    provider = "anthropic"

    def request(self, messages: Sequence[Message], tools: Sequence[Tool] | None) -> dict[str, Any]:
        system, converted = to_anthropic_messages(messages)
        request: dict[str, Any] = {
            "model": self.name,
            "max_tokens": self.max_tokens,
            "messages": converted,
        }
        if system:
            request["system"] = system
        if tools:
            request["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": dict(t.parameters)}
                for t in tools
            ]
        return request

    def _response(self, raw: Any) -> ModelResponse:
        texts, calls = [], []
        for block in raw.content:
            if block.type == "text":
                texts.append(block.text)
            elif block.type == "tool_use":
                calls.append(ToolCall(block.id, block.name, block.input))
        usage = TokenUsage(raw.usage.input_tokens, raw.usage.output_tokens)
        usage = self.priced(usage)
        return ModelResponse(
            text="".join(texts),
            tool_calls=tuple(calls),
            usage=usage,
            stop_reason=STOP_REASONS.get(raw.stop_reason or "", raw.stop_reason or "end"),
            model=raw.model,
        )


class AnthropicModel(AnthropicMessages):
    """Wraps an `anthropic.Anthropic` client (yours: auth, base URL, http_client stay yours).

    The client is copied with `max_retries=0` and a finite `timeout`. `price` turns token
    usage into cost for a budget with `max_cost`. Note that anthropic >= 2 also emits its
    own span per request when a global TracerProvider is set; it nests under `chat {model}`.
    """

    def complete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse:
        with translated(_transient):
            raw = self._client.messages.create(**self.request(messages, tools))
        return self._response(raw)

    def stream(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> Iterator[StreamItem]:
        with (
            translated(_transient),
            self._client.messages.stream(**self.request(messages, tools)) as stream,
        ):
            yield from stream.text_stream
            final = stream.get_final_message()
        yield self._response(final)


class AsyncAnthropicModel(AnthropicMessages):
    """Wraps an `anthropic.AsyncAnthropic` client, for `analyzer.runtime.aio`."""

    async def acomplete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse:
        with translated(_transient):
            raw = await self._client.messages.create(**self.request(messages, tools))
        return self._response(raw)

    async def astream(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> AsyncIterator[StreamItem]:
        with translated(_transient):
            async with self._client.messages.stream(**self.request(messages, tools)) as stream:
                async for text in stream.text_stream:
                    yield text
                final = await stream.get_final_message()
        yield self._response(final)


def to_anthropic_messages(messages: Sequence[Message]) -> tuple[str, list[dict[str, Any]]]:
    """Neutral messages -> (system prompt, Messages API list); tool results become user blocks."""
    system: list[str] = []
    out: list[dict[str, Any]] = []
    for message in messages:
        role = message["role"]
        if role == "system":
            system.append(message["content"])
        elif role == "tool":
            block = {
                "type": "tool_result",
                "tool_use_id": message["tool_call_id"],
                "content": message["content"],
                "is_error": bool(message.get("is_error")),
            }
            if out and out[-1]["role"] == "user" and isinstance(out[-1]["content"], list):
                out[-1]["content"].append(block)
            else:
                out.append({"role": "user", "content": [block]})
        elif role == "assistant" and message.get("tool_calls"):
            blocks: list[dict[str, Any]] = []
            if message.get("content"):
                blocks.append({"type": "text", "text": message["content"]})
            for call in message["tool_calls"]:
                arguments = call["arguments"] if isinstance(call["arguments"], dict) else {}
                blocks.append(
                    {"type": "tool_use", "id": call["id"], "name": call["name"], "input": arguments}
                )
            out.append({"role": "assistant", "content": blocks})
        else:
            out.append({"role": role, "content": message["content"]})
    return "\n\n".join(system), out


def _transient(error: Exception) -> TransientModelError | None:
    import anthropic

    if isinstance(error, anthropic.APIStatusError) and is_retryable_status(error.status_code):
        return TransientModelError(str(error), status=error.status_code)
    if isinstance(error, anthropic.APIConnectionError):  # includes APITimeoutError
        return TransientModelError(str(error))
    return None
