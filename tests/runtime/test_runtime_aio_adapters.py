"""Async adapters and streams, through the real anthropic and openai SDKs.

The async clients get `httpx2.AsyncClient(transport=httpx2.MockTransport(...))`, so no test
touches the network. Retries (529 -> 500 -> 200) must cost exactly three HTTP requests;
a streamed answer (server-sent events) must charge its tokens and leave one model event.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from analyzer.runtime import (
    Budget,
    BudgetExceeded,
    RetryPolicy,
    ScriptedModel,
    TransientModelError,
    aio,
    chain,
    stream_model,
)
from analyzer.runtime.models import user

httpx2 = pytest.importorskip("httpx2")
anthropic = pytest.importorskip("anthropic")
openai = pytest.importorskip("openai")

from analyzer.runtime.adapters.anthropic import AnthropicModel, AsyncAnthropicModel  # noqa: E402
from analyzer.runtime.adapters.openai import AsyncOpenAIModel, OpenAIModel  # noqa: E402

from .test_runtime_adapters import (  # noqa: E402
    ADD,
    ANTHROPIC_INTERNAL,
    ANTHROPIC_OVERLOADED,
    OPENAI_ERROR,
    FakeAPI,
    anthropic_message,
    openai_completion,
)


def async_client(api: FakeAPI):
    return httpx2.AsyncClient(transport=httpx2.MockTransport(api))


def sse(events: list[tuple[str | None, dict | str]]) -> httpx2.Response:
    """A text/event-stream body: (event name or None, data) pairs."""
    lines = []
    for name, data in events:
        if name:
            lines.append(f"event: {name}")
        lines.append(f"data: {data if isinstance(data, str) else json.dumps(data)}")
        lines.append("")
    body = ("\n".join(lines) + "\n").encode()
    return httpx2.Response(200, content=body, headers={"content-type": "text/event-stream"})


def anthropic_stream(chunks: list[str]) -> httpx2.Response:
    start = anthropic_message([])
    start["stop_reason"] = None
    start["usage"] = {"input_tokens": 11, "output_tokens": 1}
    events = [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    events += [
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": c}},
        )
        for c in chunks
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 7},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return sse(events)


def openai_stream(chunks: list[str]) -> httpx2.Response:
    def chunk(delta: dict, finish: str | None = None, usage: dict | None = None) -> dict:
        body = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test"}
        body["choices"] = [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}]
        if usage:
            body["usage"] = usage
        return body

    events = [(None, chunk({"role": "assistant", "content": ""}))]
    events += [(None, chunk({"content": c})) for c in chunks]
    events += [
        (None, chunk({}, "stop")),
        (None, chunk({}, usage={"prompt_tokens": 13, "completion_tokens": 5, "total_tokens": 18})),
        (None, "[DONE]"),
    ]
    return sse(events)


class StreamingAPI(FakeAPI):
    """Replies may be prepared httpx2 responses (streams) as well as (status, json)."""

    def __call__(self, request):
        self.requests.append(json.loads(request.content))
        reply = self.replies.pop(0)
        if isinstance(reply, httpx2.Response):
            return reply
        status, body = reply
        return httpx2.Response(status, json=body)


def go(awaitable):
    return asyncio.run(asyncio.wait_for(awaitable, 10))


def make_async_anthropic(api: FakeAPI, **kwargs) -> AsyncAnthropicModel:
    client = anthropic.AsyncAnthropic(api_key="test", http_client=async_client(api))
    return AsyncAnthropicModel(client, "claude-test", **kwargs)


def make_async_openai(api: FakeAPI, **kwargs) -> AsyncOpenAIModel:
    client = openai.AsyncOpenAI(api_key="test", http_client=async_client(api))
    return AsyncOpenAIModel(client, "gpt-test", **kwargs)


# -- retries through the async clients ------------------------------------------------------


def test_async_anthropic_529_500_200_is_three_requests(tracer, retry, sleeps, budget, accounted):
    api = FakeAPI(
        [
            (529, ANTHROPIC_OVERLOADED),
            (500, ANTHROPIC_INTERNAL),
            (200, anthropic_message([{"type": "text", "text": "hello"}])),
        ]
    )
    model = make_async_anthropic(api, max_tokens=64)
    result = go(aio.chain(model, ["Hi {input}"], "Ada", tracer=tracer, retry=retry, budget=budget))
    assert result.output == "hello" and len(api.requests) == 3 and sleeps == [0.5, 1.0]
    errors = [e.error for e in tracer.events if e.kind == "model"]
    assert "529" in errors[0] and "500" in errors[1] and errors[2] is None
    assert api.requests[-1]["messages"] == [{"role": "user", "content": "Hi Ada"}]
    assert budget.usage()["tokens"] == 18
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_async_openai_529_500_200_is_three_requests(tracer, retry, sleeps, budget, accounted):
    api = FakeAPI(
        [
            (529, OPENAI_ERROR),
            (500, OPENAI_ERROR),
            (200, openai_completion({"role": "assistant", "content": "hello"})),
        ]
    )
    model = make_async_openai(api, max_tokens=64)
    result = go(aio.chain(model, ["Hi {input}"], "Ada", tracer=tracer, retry=retry, budget=budget))
    assert result.output == "hello" and len(api.requests) == 3 and sleeps == [0.5, 1.0]
    assert api.requests[-1]["max_completion_tokens"] == 64
    accounted(tracer.events, budget, runs=1, model_calls=3)


@pytest.mark.parametrize(
    ("make", "reply"),
    [(make_async_anthropic, (529, ANTHROPIC_OVERLOADED)), (make_async_openai, (500, OPENAI_ERROR))],
)
def test_async_sdk_retries_are_off(make, reply, tracer, budget):
    api = FakeAPI([reply, reply])
    with pytest.raises(TransientModelError) as caught:
        go(
            aio.chain(
                make(api),
                ["x"],
                "",
                tracer=tracer,
                retry=RetryPolicy(max_attempts=1),
                budget=budget,
            )
        )
    assert isinstance(caught.value.__cause__, (anthropic.APIStatusError, openai.APIStatusError))
    assert len(api.requests) == 1  # the SDK did not retry behind the guard's back


def test_async_anthropic_agent_round_trip(tracer, retry, budget, accounted):
    tool_use = {"type": "tool_use", "id": "tu_1", "name": "add", "input": {"a": 2, "b": 3}}
    api = FakeAPI(
        [
            (200, anthropic_message([tool_use], "tool_use")),
            (200, anthropic_message([{"type": "text", "text": "5"}])),
        ]
    )
    result = go(
        aio.agent_loop(
            make_async_anthropic(api),
            "2+3?",
            tools=[ADD],
            tracer=tracer,
            retry=retry,
            budget=budget,
        )
    )
    assert result.output == "5"
    assert api.requests[1]["messages"][2]["content"][0]["content"] == "5"
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_async_openai_agent_round_trip(tracer, retry, budget, accounted):
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "add", "arguments": '{"a": 2, "b": 3}'},
    }
    api = FakeAPI(
        [
            (200, openai_completion({"role": "assistant", "tool_calls": [call]}, "tool_calls")),
            (200, openai_completion({"role": "assistant", "content": "5"})),
        ]
    )
    result = go(
        aio.agent_loop(
            make_async_openai(api), "2+3?", tools=[ADD], tracer=tracer, retry=retry, budget=budget
        )
    )
    assert result.output == "5"
    assert api.requests[1]["messages"][-1] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": "5",
    }
    accounted(tracer.events, budget, runs=1, model_calls=2)


# -- streams ---------------------------------------------------------------------------------


def streamed_chain(model, tracer, retry, budget, *, stop_after: int | None = None):
    """A chain whose one step streams the model's answer (as a UI would show it)."""

    async def step(text: str) -> str:
        parts = []
        async with aio.stream_model(None, model, user(text)) as stream:
            async for delta in stream:
                parts.append(delta)
                if stop_after is not None and len(parts) == stop_after:
                    break
        return "".join(parts)

    return aio.chain(None, [step], "hi", tracer=tracer, retry=retry, budget=budget)


@pytest.mark.parametrize(
    ("make", "reply", "tokens"),
    [
        (make_async_anthropic, anthropic_stream(["Hel", "lo ", "there"]), (11, 7)),
        (make_async_openai, openai_stream(["Hel", "lo ", "there"]), (13, 5)),
    ],
)
def test_async_stream_counts_tokens_and_emits_one_event(
    make, reply, tokens, tracer, retry, budget, accounted
):
    api = StreamingAPI([reply])
    result = go(streamed_chain(make(api), tracer, retry, budget))
    assert result.output == "Hello there"
    (event,) = [e for e in tracer.events if e.kind == "model"]
    assert (event.input_tokens, event.output_tokens, event.error) == (*tokens, None)
    assert event.detail == {"streamed": True} and event.stop_reason == "end"
    assert budget.usage()["tokens"] == sum(tokens)
    assert api.requests[0]["stream"] is True
    accounted(tracer.events, budget, runs=1, model_calls=1)


@pytest.mark.parametrize(
    ("make", "reply"),
    [(AnthropicModel, anthropic_stream(["a ", "b"])), (OpenAIModel, openai_stream(["a ", "b"]))],
)
def test_sync_stream_through_the_sdk(make, reply, tracer, retry, budget, accounted):
    api = StreamingAPI([reply])
    sdk = anthropic.Anthropic if make is AnthropicModel else openai.OpenAI
    model = make(sdk(api_key="test", http_client=api.http_client()), "m")

    def step(text: str) -> str:
        with stream_model(None, model, user(text)) as stream:
            return "".join(stream)

    result = chain(None, [step], "hi", tracer=tracer, retry=retry, budget=budget)
    assert result.output == "a b"
    (event,) = [e for e in tracer.events if e.kind == "model"]
    assert event.input_tokens and event.output_tokens
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_stream_closed_early_is_still_one_event(tracer, retry, budget, accounted):
    model = ScriptedModel(["one two three four"])
    result = go(streamed_chain(model, tracer, retry, budget, stop_after=2))
    assert result.output == "one two "
    (event,) = [e for e in tracer.events if e.kind == "model"]
    assert "StreamClosed" in event.error
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_stream_that_hangs_ends_at_the_time_budget(tracer, retry, accounted, final_run):
    async def hang(messages, tools):
        await asyncio.Event().wait()

    budget = Budget(max_seconds=0.05)
    with pytest.raises(BudgetExceeded) as caught:
        go(streamed_chain(ScriptedModel(hang), tracer, retry, budget))
    assert caught.value.kind == "seconds"
    assert final_run(tracer.events).stop_reason == "budget_exceeded"
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_stream_tokens_count_against_the_budget(tracer, retry, accounted):
    budget = Budget(max_tokens=5)
    model = ScriptedModel(lambda m, t: "six words of answer right here")

    async def twice(text: str) -> str:
        for _ in range(2):
            async with aio.stream_model(None, model, user(text)) as stream:
                text = "".join([d async for d in stream])
        return text

    with pytest.raises(BudgetExceeded) as caught:
        go(aio.chain(None, [twice], "hi", tracer=tracer, retry=retry, budget=budget))
    assert caught.value.kind == "tokens" and len(model.calls) == 1
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_stream_needs_a_run():
    with pytest.raises(RuntimeError, match="needs a run"):
        stream_model(None, ScriptedModel(["x"]), user("hi"))
