"""OpenTelemetry spans: GenAI names, pattern attribute, and parents kept across threads."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from analyzer.runtime import (
    ModelResponse,
    ScriptedModel,
    TokenUsage,
    Tool,
    ToolCall,
    Tracer,
    agent_loop,
    aio,
    chain,
    parallel,
)

pytest.importorskip("opentelemetry.sdk")
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import StatusCode


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def otel_tracer(exporter) -> Tracer:
    """A private provider: no global TracerProvider is touched."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return Tracer(otel=provider.get_tracer("test"))


def by_name(spans, name):
    return [s for s in spans if s.name == name]


def test_parallel_on_threads_keeps_span_parents(exporter, otel_tracer, retry):
    model = ScriptedModel(lambda m, t: ModelResponse("ok", usage=TokenUsage(3, 2)))
    with ThreadPoolExecutor(max_workers=3) as pool:
        parallel(
            model, ["a", "b", "c"], executor=pool, name="sections", tracer=otel_tracer, retry=retry
        )
    spans = exporter.get_finished_spans()
    (workflow,) = by_name(spans, "invoke_workflow sections")
    chats = by_name(spans, "chat scripted")
    assert len(chats) == 3 and len(spans) == 4
    assert workflow.parent is None
    assert workflow.attributes["archlint.pattern"] == "parallelization_sectioning"
    assert workflow.attributes["gen_ai.operation.name"] == "invoke_workflow"
    assert workflow.attributes["archlint.stop_reason"] == "completed"
    for chat in chats:
        assert chat.parent is not None and chat.parent.span_id == workflow.context.span_id
        assert chat.context.trace_id == workflow.context.trace_id
        assert chat.attributes["gen_ai.operation.name"] == "chat"
        assert chat.attributes["gen_ai.request.model"] == "scripted"
        assert chat.attributes["gen_ai.usage.input_tokens"] == 3
        assert chat.attributes["gen_ai.usage.output_tokens"] == 2
        assert tuple(chat.attributes["gen_ai.response.finish_reasons"]) == ("end",)
        assert chat.attributes["archlint.pattern"] == "parallelization_sectioning"


def test_nested_agents_in_parallel_threads(exporter, otel_tracer, retry):
    tool = Tool("echo", lambda text: text)

    def section(i: int):
        def run() -> str:
            answers = iter(
                [
                    ModelResponse(tool_calls=(ToolCall(f"t{i}", "echo", {"text": "x"}),)),
                    ModelResponse(f"done {i}"),
                ]
            )
            model = ScriptedModel(lambda m, t: next(answers))
            return agent_loop(model, "go", tools=[tool], name=f"agent{i}").output

        return run

    with ThreadPoolExecutor(max_workers=2) as pool:
        result = parallel(
            None, [section(0), section(1)], executor=pool, tracer=otel_tracer, retry=retry
        )
    assert result.output == ["done 0", "done 1"]
    spans = exporter.get_finished_spans()
    (workflow,) = by_name(spans, "invoke_workflow parallel")
    for i in range(2):
        (agent,) = by_name(spans, f"invoke_agent agent{i}")
        assert agent.parent.span_id == workflow.context.span_id
        assert agent.attributes["gen_ai.agent.name"] == f"agent{i}"
        assert agent.attributes["archlint.pattern"] == "agent_loop"
        inner = [s for s in spans if s.parent and s.parent.span_id == agent.context.span_id]
        assert sorted(s.name for s in inner) == [
            "chat scripted",
            "chat scripted",
            "execute_tool echo",
        ]
        (tool_span,) = [s for s in inner if s.name == "execute_tool echo"]
        assert tool_span.attributes["gen_ai.tool.name"] == "echo"
        assert tool_span.attributes["gen_ai.tool.call.id"] == f"t{i}"


def test_failed_call_marks_its_span(exporter, otel_tracer, retry):
    model = ScriptedModel([ValueError("bad")])
    with pytest.raises(ValueError):
        chain(model, ["{input}"], "x", tracer=otel_tracer, retry=retry)
    spans = exporter.get_finished_spans()
    (chat,) = by_name(spans, "chat scripted")
    (workflow,) = by_name(spans, "invoke_workflow chain")
    assert chat.status.status_code == StatusCode.ERROR
    assert chat.attributes["error.type"] == "ValueError"
    assert workflow.status.status_code == StatusCode.ERROR
    assert workflow.attributes["archlint.stop_reason"] == "error"


def test_async_branches_and_nested_agents_keep_span_parents(exporter, otel_tracer, retry):
    tool = Tool("echo", lambda text: text)

    def section(i: int):
        async def run() -> str:
            answers = iter(
                [ModelResponse(tool_calls=(ToolCall(f"t{i}", "echo", {"text": "x"}),)), "ok"]
            )
            model = ScriptedModel(lambda m, t: next(answers))
            return (await aio.agent_loop(model, "go", tools=[tool], name=f"agent{i}")).output

        return run

    asyncio.run(aio.parallel(None, [section(0), section(1)], tracer=otel_tracer, retry=retry))
    spans = exporter.get_finished_spans()
    (workflow,) = by_name(spans, "invoke_workflow parallel")
    for i in range(2):
        (agent,) = by_name(spans, f"invoke_agent agent{i}")
        assert agent.parent.span_id == workflow.context.span_id
        inner = [s for s in spans if s.parent and s.parent.span_id == agent.context.span_id]
        assert sorted(s.name for s in inner) == [
            "chat scripted",
            "chat scripted",
            "execute_tool echo",
        ]


def test_cancelled_run_ends_its_spans_with_the_stop_reason(exporter, otel_tracer, retry):
    async def hang(messages, tools):
        await asyncio.Event().wait()

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(
            asyncio.wait_for(
                aio.chain(ScriptedModel(hang), ["{input}"], "x", tracer=otel_tracer), 0.02
            )
        )
    spans = exporter.get_finished_spans()
    (workflow,) = by_name(spans, "invoke_workflow chain")
    (chat,) = by_name(spans, "chat scripted")
    assert workflow.attributes["archlint.stop_reason"] == "cancelled"
    assert chat.attributes["error.type"] == "CancelledError"


def test_stream_span_is_a_child_of_the_step_run(exporter, otel_tracer, retry):
    from analyzer.runtime import stream_model
    from analyzer.runtime.models import user

    model = ScriptedModel(["a b c"])

    def step(text: str) -> str:
        with stream_model(None, model, user(text)) as stream:
            return "".join(stream)

    chain(None, [step], "x", tracer=otel_tracer, retry=retry)
    spans = exporter.get_finished_spans()
    (workflow,) = by_name(spans, "invoke_workflow chain")
    (chat,) = by_name(spans, "chat scripted")
    assert chat.parent.span_id == workflow.context.span_id
    assert chat.attributes["gen_ai.usage.output_tokens"] == 3
