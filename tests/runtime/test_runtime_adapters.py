"""The anthropic and openai adapters, through the real SDKs with a mocked HTTP transport.

Both SDKs are built on httpx2; a `httpx2.MockTransport` answers every request, so no test
touches the network. The guard's retries (529 -> 500 -> 200) must cost exactly three HTTP
requests: the adapters turn the SDK's own retries off.
"""

from __future__ import annotations

import json

import pytest

from analyzer.runtime import (
    RetryPolicy,
    Tool,
    TransientModelError,
    agent_loop,
    chain,
)

httpx2 = pytest.importorskip("httpx2")
anthropic = pytest.importorskip("anthropic")
openai = pytest.importorskip("openai")

from analyzer.runtime.adapters.anthropic import AnthropicModel  # noqa: E402
from analyzer.runtime.adapters.openai import OpenAIModel  # noqa: E402


class FakeAPI:
    """Plays a list of (status, json body) replies and records every request body."""

    def __init__(self, replies: list[tuple[int, dict]]) -> None:
        self.replies = list(replies)
        self.requests: list[dict] = []

    def __call__(self, request):
        self.requests.append(json.loads(request.content))
        status, body = self.replies.pop(0)
        return httpx2.Response(status, json=body)

    def http_client(self):
        return httpx2.Client(transport=httpx2.MockTransport(self))


def anthropic_message(content: list[dict], stop_reason: str = "end_turn") -> dict:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 11, "output_tokens": 7},
    }


ANTHROPIC_OVERLOADED = {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}}
ANTHROPIC_INTERNAL = {"type": "error", "error": {"type": "api_error", "message": "oops"}}


def openai_completion(message: dict, finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-test",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
        "usage": {"prompt_tokens": 13, "completion_tokens": 5, "total_tokens": 18},
    }


OPENAI_ERROR = {"error": {"message": "server error", "type": "server_error", "code": None}}


@pytest.fixture
def anthropic_client():
    def make(api: FakeAPI, **kwargs):
        # Default max_retries (2) on purpose: the adapter must switch it off.
        return anthropic.Anthropic(api_key="test", http_client=api.http_client(), **kwargs)

    return make


@pytest.fixture
def openai_client():
    def make(api: FakeAPI, **kwargs):
        return openai.OpenAI(api_key="test", http_client=api.http_client(), **kwargs)

    return make


ADD = Tool(
    "add",
    lambda a, b: a + b,
    "Add two integers",
    {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}},
)


# -- anthropic ---------------------------------------------------------------------------


def test_anthropic_529_500_200_is_three_requests(
    anthropic_client, tracer, retry, sleeps, budget, accounted
):
    api = FakeAPI(
        [
            (529, ANTHROPIC_OVERLOADED),
            (500, ANTHROPIC_INTERNAL),
            (200, anthropic_message([{"type": "text", "text": "hello"}])),
        ]
    )
    model = AnthropicModel(anthropic_client(api), "claude-test", max_tokens=64)
    result = chain(model, ["Say hi to {input}"], "Ada", tracer=tracer, retry=retry, budget=budget)
    assert result.output == "hello"
    assert len(api.requests) == 3 and sleeps == [0.5, 1.0]
    errors = [e.error for e in tracer.events if e.kind == "model"]
    assert "529" in errors[0] and "500" in errors[1] and errors[2] is None
    assert api.requests[-1] == {
        "model": "claude-test",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Say hi to Ada"}],
    }
    assert budget.usage()["tokens"] == 18
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_anthropic_sdk_retries_are_off(anthropic_client, tracer, budget):
    api = FakeAPI([(529, ANTHROPIC_OVERLOADED), (200, anthropic_message([]))])
    model = AnthropicModel(anthropic_client(api), "claude-test")
    with pytest.raises(TransientModelError) as caught:
        chain(model, ["x"], "", tracer=tracer, retry=RetryPolicy(max_attempts=1), budget=budget)
    assert caught.value.status == 529
    assert isinstance(caught.value.__cause__, anthropic.APIStatusError)
    assert len(api.requests) == 1  # the SDK did not retry behind the guard's back


def test_anthropic_client_error_is_not_retried(anthropic_client, tracer, retry, budget):
    bad = {"type": "error", "error": {"type": "invalid_request_error", "message": "no"}}
    api = FakeAPI([(400, bad)])
    model = AnthropicModel(anthropic_client(api), "claude-test")
    with pytest.raises(anthropic.BadRequestError):
        chain(model, ["x"], "", tracer=tracer, retry=retry, budget=budget)
    assert len(api.requests) == 1


def test_anthropic_agent_round_trip(anthropic_client, tracer, retry, budget, accounted):
    api = FakeAPI(
        [
            (
                200,
                anthropic_message(
                    [
                        {"type": "text", "text": "Let me add."},
                        {
                            "type": "tool_use",
                            "id": "tu_1",
                            "name": "add",
                            "input": {"a": 2, "b": 3},
                        },
                    ],
                    "tool_use",
                ),
            ),
            (200, anthropic_message([{"type": "text", "text": "5"}])),
        ]
    )
    model = AnthropicModel(anthropic_client(api), "claude-test")
    result = agent_loop(
        model, "2+3?", tools=[ADD], system="Be brief.", tracer=tracer, retry=retry, budget=budget
    )
    assert result.output == "5" and result.detail["steps"] == 2
    first, second = api.requests
    assert first["system"] == "Be brief."
    assert first["tools"][0]["name"] == "add" and "input_schema" in first["tools"][0]
    assert second["messages"][1]["content"][1] == {
        "type": "tool_use",
        "id": "tu_1",
        "name": "add",
        "input": {"a": 2, "b": 3},
    }
    assert second["messages"][2] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "tu_1", "content": "5", "is_error": False}
        ],
    }
    accounted(tracer.events, budget, runs=1, model_calls=2)


# -- openai --------------------------------------------------------------------------------


def test_openai_529_500_200_is_three_requests(
    openai_client, tracer, retry, sleeps, budget, accounted
):
    api = FakeAPI(
        [
            (529, OPENAI_ERROR),
            (500, OPENAI_ERROR),
            (200, openai_completion({"role": "assistant", "content": "hello"})),
        ]
    )
    model = OpenAIModel(openai_client(api), "gpt-test", max_tokens=64)
    result = chain(model, ["Say hi to {input}"], "Ada", tracer=tracer, retry=retry, budget=budget)
    assert result.output == "hello" and len(api.requests) == 3 and sleeps == [0.5, 1.0]
    assert api.requests[-1] == {
        "model": "gpt-test",
        "max_completion_tokens": 64,
        "messages": [{"role": "user", "content": "Say hi to Ada"}],
    }
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_openai_sdk_retries_are_off(openai_client, tracer, budget):
    api = FakeAPI([(500, OPENAI_ERROR), (200, openai_completion({"role": "assistant"}))])
    model = OpenAIModel(openai_client(api), "gpt-test")
    with pytest.raises(TransientModelError):
        chain(model, ["x"], "", tracer=tracer, retry=RetryPolicy(max_attempts=1), budget=budget)
    assert len(api.requests) == 1


def test_openai_agent_round_trip_with_malformed_arguments(
    openai_client, tracer, retry, budget, accounted
):
    def tool_call(arguments: str) -> dict:
        return openai_completion(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "add", "arguments": arguments},
                    },
                ],
            },
            "tool_calls",
        )

    api = FakeAPI(
        [
            (200, tool_call('{"a": 2,')),  # malformed JSON from the model
            (200, tool_call('{"a": 2, "b": 3}')),
            (200, openai_completion({"role": "assistant", "content": "5"})),
        ]
    )
    model = OpenAIModel(openai_client(api), "gpt-test")
    result = agent_loop(model, "2+3?", tools=[ADD], tracer=tracer, retry=retry, budget=budget)
    assert result.output == "5"
    second, third = api.requests[1], api.requests[2]
    assert second["messages"][1]["tool_calls"][0]["function"]["arguments"] == '{"a": 2,'
    assert second["messages"][2]["role"] == "tool"
    assert "malformed arguments" in second["messages"][2]["content"]
    assert third["messages"][-1] == {"role": "tool", "tool_call_id": "call_1", "content": "5"}
    assert third["tools"][0]["function"]["name"] == "add"
    accounted(tracer.events, budget, runs=1, model_calls=3)
