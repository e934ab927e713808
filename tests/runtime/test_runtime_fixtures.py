"""The fixture projects under fixtures/runtime are real, runnable code: run each one
against the real SDKs with a mocked transport (no network, no keys). Each pattern has an
async twin (`<pattern>_async`, written with `analyzer.runtime.aio` and the async clients)
that the analyzer must classify the same way (see tests/test_fixtures.py)."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
from pathlib import Path

import pytest

httpx2 = pytest.importorskip("httpx2")
anthropic = pytest.importorskip("anthropic")
openai = pytest.importorskip("openai")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "runtime"
ENTRY = {
    "prompt_chaining": ("write_essay", "topic"),
    "routing": ("handle_ticket", "charged twice"),
    "parallelization_sectioning": ("review", "some text"),
    "parallelization_voting": ("is_spam", "win a prize"),
    "orchestrator_workers": ("write_report", "a report"),
    "evaluator_optimizer": ("translate", "hello"),
    "agent_loop": ("ask", "umbrella?"),
}
ANSWER = "1. PASS"  # passes the chain gate, parses as a one-item plan


def fake_api(request):
    if request.url.host == "api.anthropic.com":
        return httpx2.Response(
            200,
            json={
                "id": "m",
                "type": "message",
                "role": "assistant",
                "model": "claude",
                "content": [{"type": "text", "text": ANSWER}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 1, "output_tokens": 1},
            },
        )
    json.loads(request.content)
    return httpx2.Response(
        200,
        json={
            "id": "c",
            "object": "chat.completion",
            "created": 0,
            "model": "gpt",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": ANSWER},
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        },
    )


@pytest.mark.parametrize("folder", [p + suffix for p in sorted(ENTRY) for suffix in ("", "_async")])
def test_fixture_runs(folder, monkeypatch, tmp_path):
    def client(cls, http):
        return lambda **kw: cls(
            api_key="test", http_client=http(transport=httpx2.MockTransport(fake_api))
        )

    monkeypatch.setattr(anthropic, "Anthropic", client(anthropic.Anthropic, httpx2.Client))
    monkeypatch.setattr(openai, "OpenAI", client(openai.OpenAI, httpx2.Client))
    monkeypatch.setattr(
        anthropic, "AsyncAnthropic", client(anthropic.AsyncAnthropic, httpx2.AsyncClient)
    )
    monkeypatch.setattr(openai, "AsyncOpenAI", client(openai.AsyncOpenAI, httpx2.AsyncClient))
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location(f"fixture_{folder}", FIXTURES / folder / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    function, argument = ENTRY[folder.removesuffix("_async")]
    answer = getattr(module, function)(argument)
    if folder.endswith("_async"):
        assert inspect.iscoroutine(answer)
        answer = asyncio.run(answer)
    assert answer is not None
    events = [json.loads(line) for line in (tmp_path / "trace.jsonl").read_text().splitlines()]
    assert events[-1]["kind"] == "run" and "stop_reason" in events[-1]
