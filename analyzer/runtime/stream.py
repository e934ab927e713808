"""A model answer consumed as a stream, still inside the budget and the trace.

`stream_model(run, model, messages)` returns a `ModelStream`: iterate it (`for`, or
`async for` in async code) to get text deltas as they arrive. Opening it charges one model
call; its end (exhausted, closed early, failed or cancelled) charges the tokens the final
response reports and writes exactly one `model` event, through the same bookkeeping as a
plain call (guard.py). Use it as a context manager so an early exit is recorded too.

A stream is one attempt: text already shown to a user cannot be taken back by a retry.
Async streams wait for each delta at most the seconds left in the budget (Python 3.11+).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from .errors import DeadlineExceeded
from .guard import chat_attributes, model_answered, model_failed
from .models import AnyModel, Message, ModelResponse, StreamItem, Tool
from .scope import Run, active_run


class StreamClosed(Exception):
    """Recorded when the consumer stops reading before the model finished."""


class ModelStream:
    """Text deltas of one guarded model call; `.response` is set once it has ended."""

    def __init__(
        self,
        run: Run,
        model: AnyModel,
        messages: Sequence[Message],
        *,
        tools: Sequence[Tool] | None = None,
        step: int | str | None = None,
    ) -> None:
        run.budget.charge("model_calls")
        self.run, self.model, self.step = run, model, step
        self._messages, self._tools = list(messages), tools
        self._span = run.tracer.start_span(f"chat {model.name}", chat_attributes(run, model))
        self._started = time.perf_counter()
        self._parts: list[str] = []
        self._sync: Iterator[StreamItem] | None = None
        self._async: AsyncIterator[StreamItem] | None = None
        self.response: ModelResponse | None = None
        self.ended = False

    # -- blocking ------------------------------------------------------------------------

    def __iter__(self) -> ModelStream:
        return self

    def __next__(self) -> str:
        if self.ended:
            raise StopIteration
        if self._sync is None:
            self._sync = _sync_source(self.model, self._messages, self._tools)
        try:
            while True:
                item = next(self._sync)
                if isinstance(item, ModelResponse):
                    self.response = item
                    continue
                self._parts.append(item)
                return item
        except StopIteration:
            self._end(None)
            raise
        except BaseException as error:
            self._end(error)
            raise

    def close(self) -> None:
        """Stop reading; records the call (with what is known) if it had not ended."""
        if self._sync is not None and hasattr(self._sync, "close"):
            self._sync.close()
        if not self.ended:
            self._end(StreamClosed("the consumer stopped before the model finished"))

    def __enter__(self) -> ModelStream:
        return self

    def __exit__(self, kind: Any, error: BaseException | None, tb: Any) -> None:
        if error is not None and not self.ended:
            self._end(error)
        self.close()

    # -- async ---------------------------------------------------------------------------

    def __aiter__(self) -> ModelStream:
        return self

    async def __anext__(self) -> str:
        if self.ended:
            raise StopAsyncIteration
        if self._async is None:
            self._async = _async_source(self.model, self._messages, self._tools)
        try:
            while True:
                item = await _next_within(self._async, self.run.budget.remaining_seconds())
                if isinstance(item, ModelResponse):
                    self.response = item
                    continue
                self._parts.append(item)
                return item
        except StopAsyncIteration:
            self._end(None)
            raise
        except DeadlineExceeded as error:
            self._end(error)
            raise self.run.budget.deadline_error() from error
        except BaseException as error:
            self._end(error)
            raise

    async def aclose(self) -> None:
        if self._async is not None and hasattr(self._async, "aclose"):
            await self._async.aclose()
        if not self.ended:
            self._end(StreamClosed("the consumer stopped before the model finished"))

    async def __aenter__(self) -> ModelStream:
        return self

    async def __aexit__(self, kind: Any, error: BaseException | None, tb: Any) -> None:
        if error is not None and not self.ended:
            self._end(error)
        await self.aclose()

    # -- the one record ------------------------------------------------------------------

    def _end(self, error: BaseException | None) -> None:
        """Charge tokens and write the stream's single event; then end its span."""
        self.ended = True
        common = {"attempt": 1, "step": self.step, "started": self._started, "streamed": True}
        if error is None:
            response = self.response or ModelResponse("".join(self._parts), model=self.model.name)
            self.response = response
            model_answered(self.run, self._span, self.model, response, **common)
        else:
            if self.response is not None:  # usage arrived before the failure: still spent
                usage = self.response.usage
                self.run.budget.record(tokens=usage.total, cost=usage.cost)
            model_failed(self.run, self._span, self.model, error, **common)
        self._span.end()


def stream_model(
    run: Run | None,
    model: AnyModel,
    messages: Sequence[Message],
    *,
    tools: Sequence[Tool] | None = None,
    step: int | str | None = None,
) -> ModelStream:
    """A guarded stream in `run` (default: the active run, e.g. inside a pattern's step)."""
    run = run or active_run()
    if run is None:
        raise RuntimeError("stream_model needs a run: call it inside a pattern step or pass one")
    return ModelStream(run, model, messages, tools=tools, step=step)


def _sync_source(
    model: AnyModel, messages: Sequence[Message], tools: Sequence[Tool] | None
) -> Iterator[StreamItem]:
    stream = getattr(model, "stream", None)
    if stream is not None:
        return iter(stream(messages, tools=tools))
    return _whole(model.complete(messages, tools=tools))  # type: ignore[union-attr]


async def _async_source(
    model: AnyModel, messages: Sequence[Message], tools: Sequence[Tool] | None
) -> AsyncIterator[StreamItem]:
    astream = getattr(model, "astream", None)
    if astream is not None:
        async for item in astream(messages, tools=tools):
            yield item
        return
    acomplete = getattr(model, "acomplete", None)
    if acomplete is not None:
        response = await acomplete(messages, tools=tools)
    else:
        response = await asyncio.to_thread(model.complete, messages, tools=tools)  # type: ignore[union-attr]
    for item in _whole(response):
        yield item


def _whole(response: ModelResponse) -> Iterator[StreamItem]:
    """A model that cannot stream: its whole answer is one delta."""
    if response.text:
        yield response.text
    yield response


async def _next_within(source: AsyncIterator[StreamItem], seconds: float) -> StreamItem:
    """The next item, waiting at most `seconds` (in this task: SDK streams are task-bound)."""
    timeout = getattr(asyncio, "timeout", None)
    if timeout is None:  # Python 3.10: no in-task deadline
        return await source.__anext__()
    scope = timeout(max(seconds, 0.0))
    try:
        async with scope:
            return await source.__anext__()
    except TimeoutError:
        if scope.expired():
            raise DeadlineExceeded(seconds) from None
        raise
