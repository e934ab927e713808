"""The model seam: a provider-neutral response, the `Model` protocol, tools, `ScriptedModel`.

Patterns only ever see these types, so the same pattern runs on a scripted model in tests,
on any SDK through an adapter, and across a process boundary (all types here pickle).
"""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .errors import ScriptExhausted

Message = dict[str, Any]
"""Neutral chat message: {"role": "system"|"user"|"assistant"|"tool", "content": str, ...}.

Assistant messages may carry "tool_calls" (list of {"id", "name", "arguments"}); tool
messages carry "tool_call_id", "name" and "is_error". Adapters translate to each SDK.
"""


@dataclass(frozen=True)
class ToolCall:
    """A tool the model asked for. `arguments` is whatever the model sent (maybe malformed)."""

    id: str
    name: str
    arguments: Any = field(default_factory=dict)


@dataclass(frozen=True)
class TokenUsage:
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class ModelResponse:
    """What a model returned. `stop_reason` is normalised: "end", "tool_use", "max_tokens", ..."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    usage: TokenUsage = field(default_factory=TokenUsage)
    stop_reason: str = "end"
    model: str | None = None


@dataclass(frozen=True)
class Tool:
    """A function the agent may call, with the JSON schema the model sees."""

    name: str
    fn: Callable[..., Any]
    description: str = ""
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )


@runtime_checkable
class Model(Protocol):
    """Anything that completes a conversation. `name` labels spans and trace events."""

    name: str

    def complete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse: ...


@runtime_checkable
class AsyncModel(Protocol):
    """A model with a coroutine `acomplete` (async SDK clients). The async API awaits it;
    a model with only `complete` runs in a worker thread there instead."""

    name: str

    async def acomplete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse: ...


StreamItem = str | ModelResponse
"""What `stream`/`astream` yield: text deltas, then one final `ModelResponse` with usage."""

AnyModel = Model | AsyncModel
ModelSource = AnyModel | Callable[[], AnyModel]
"""A model, or a zero-argument factory for one (what crosses a pickling executor)."""


def resolve_model(source: ModelSource) -> AnyModel:
    """Return the model itself, or build it from its factory."""
    if isinstance(source, (Model, AsyncModel)):
        return source
    if callable(source):
        model = source()
        if isinstance(model, (Model, AsyncModel)):
            return model
        raise TypeError(f"model factory returned {type(model).__name__}, not a Model")
    raise TypeError(f"expected a Model or a factory, got {type(source).__name__}")


ScriptItem = ModelResponse | str | BaseException
ScriptFn = Callable[
    [Sequence[Message], Sequence[Tool]], ModelResponse | str | Awaitable[ModelResponse | str]
]


class ScriptedModel:
    """A deterministic model for tests and demos.

    `script` is a list played in order (a string is a plain text answer, an exception is
    raised: that is how faults are injected) or a function of (messages, tools). Every call
    is recorded in `calls`. Thread-safe, and picklable so it can be built by a factory on a
    distributed worker.
    """

    def __init__(self, script: Sequence[ScriptItem] | ScriptFn, *, name: str = "scripted") -> None:
        self.name = name
        self._script: list[ScriptItem] | ScriptFn = script if callable(script) else list(script)
        self._lock = threading.Lock()
        self.calls: list[list[Message]] = []

    def complete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse:
        item = self._take(messages, tools)
        if inspect.isawaitable(item):
            _discard(item)
            raise TypeError(f"{self.name}: an async script needs the async API (runtime.aio)")
        return self._answer(item, messages)

    async def acomplete(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> ModelResponse:
        """The same script, awaited: a script function may be a coroutine (e.g. one that
        hangs, to test time budgets and cancellation)."""
        item = self._take(messages, tools)
        if inspect.isawaitable(item):
            item = await item
        return self._answer(item, messages)

    def stream(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> Iterator[StreamItem]:
        """The answer word by word, then the whole response (as a streaming SDK does)."""
        response = self.complete(messages, tools=tools)
        yield from _deltas(response.text)
        yield response

    async def astream(
        self, messages: Sequence[Message], *, tools: Sequence[Tool] | None = None
    ) -> AsyncIterator[StreamItem]:
        response = await self.acomplete(messages, tools=tools)
        for delta in _deltas(response.text):
            yield delta
        yield response

    def _take(self, messages: Sequence[Message], tools: Sequence[Tool] | None) -> Any:
        with self._lock:
            index = len(self.calls)
            self.calls.append([dict(m) for m in messages])
        if callable(self._script):
            return self._script(messages, tools or ())
        if index < len(self._script):
            return self._script[index]
        raise ScriptExhausted(f"{self.name}: script has {len(self._script)} responses")

    def _answer(self, item: ScriptItem, messages: Sequence[Message]) -> ModelResponse:
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, str):
            item = ModelResponse(text=item, usage=_estimate_usage(messages, item))
        if item.model is None:
            item = ModelResponse(
                item.text, item.tool_calls, item.usage, item.stop_reason, self.name
            )
        return item

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()


def _deltas(text: str) -> list[str]:
    """Word-sized pieces that join back to `text`."""
    return [part for part in re.split(r"(?<= )", text) if part]


def _discard(awaitable: Any) -> None:
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()


def _estimate_usage(messages: Sequence[Message], text: str) -> TokenUsage:
    """Rough word counts, so scripted runs still exercise the token budget."""
    prompt = sum(len(str(m.get("content", "")).split()) for m in messages)
    return TokenUsage(input_tokens=prompt, output_tokens=len(text.split()))


def user(content: str) -> list[Message]:
    """A one-message conversation: the common case for workflow steps."""
    return [{"role": "user", "content": content}]
