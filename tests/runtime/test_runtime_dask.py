"""parallel, vote and orchestrate on Dask's `Client.get_executor()` (a LocalCluster).

Dask pickles what it runs even in-process, so models cross as factories and each branch
sends back its usage and trace events with its result, which the parent merges into the
caller's sinks; the caller's span context travels as W3C headers, so worker spans are its
children. Sync and async APIs alike.
"""

from __future__ import annotations

import asyncio
import functools
import json
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from analyzer.runtime import (
    Budget,
    BudgetExceeded,
    ScriptedModel,
    Tracer,
    aio,
    orchestrate,
    parallel,
    vote,
)

distributed = pytest.importorskip("distributed")
pytest.importorskip("opentelemetry.sdk")
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)


@pytest.fixture(scope="module")
def dask_executor():
    with distributed.Client(
        processes=False, dashboard_address=None, n_workers=1, threads_per_worker=4
    ) as client:
        yield client.get_executor()


def echo_model() -> ScriptedModel:
    """A module-level factory: what a user would write for a real SDK client too."""
    return ScriptedModel(lambda messages, tools: "echo: " + messages[0]["content"][-6:])


def plan_model() -> ScriptedModel:
    def answer(messages, tools):
        prompt = messages[0]["content"]
        if prompt.startswith("Break the task"):
            return json.dumps([f"part {i}" for i in range(1000)])
        return "did " + prompt.rsplit("\n", 1)[-1]

    return ScriptedModel(answer)


def test_parallel_on_dask(dask_executor, tracer, retry, budget, accounted):
    result = parallel(
        echo_model,
        ["first", "second"],
        executor=dask_executor,
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert result.output == ["echo: first", "echo: second"]
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_vote_on_dask(dask_executor, tracer, retry, budget, accounted):
    model = functools.partial(ScriptedModel, ["yes"])
    result = vote(
        model, "ok?", n=4, executor=dask_executor, tracer=tracer, retry=retry, budget=budget
    )
    assert result.output == "yes" and result.detail["votes"] == ["yes"] * 4
    accounted(tracer.events, budget, runs=1, model_calls=4)


def test_orchestrate_on_dask_caps_subtasks(dask_executor, tracer, retry, budget, accounted):
    result = orchestrate(
        plan_model,
        "t",
        max_subtasks=5,
        on_limit="return",
        executor=dask_executor,
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert result.stop_reason == "max_subtasks"
    assert result.detail["results"] == [f"did part {i}" for i in range(5)]
    accounted(tracer.events, budget, runs=1, model_calls=6)


def test_budget_error_crosses_dask(dask_executor, tracer, retry, accounted):
    budget = Budget(max_model_calls=1)
    with pytest.raises(BudgetExceeded) as caught:
        vote(
            echo_model, "q", n=2, executor=dask_executor, tracer=tracer, retry=retry, budget=budget
        )
    assert caught.value.kind == "model_calls"
    assert tracer.events[-1].stop_reason == "budget_exceeded"
    accounted(tracer.events, budget, runs=1, model_calls=1)


# -- the same trace on a cluster as on threads, and spans parented across it ---------------


class ThreadRecordingSink:
    """The caller's own sink: records each event with the thread that wrote it."""

    def __init__(self) -> None:
        self.writes: list[tuple[int, object]] = []

    def write(self, event) -> None:
        self.writes.append((threading.get_ident(), event))


def comparable(events) -> list[dict]:
    """Events without what differs between two runs (ids, clocks)."""
    drop = {"run", "parent", "time", "duration_ms"}
    return [{k: v for k, v in e.to_dict().items() if k not in drop} for e in events]


def run_parallel_sync(executor, tracer):
    return parallel(echo_model, ["first", "second", "third"], executor=executor, tracer=tracer)


async def run_parallel_async(executor, tracer):
    return await aio.parallel(
        echo_model, ["first", "second", "third"], executor=executor, tracer=tracer
    )


@pytest.mark.parametrize("api", ["sync", "async"])
def test_dask_cluster_gives_the_caller_the_same_events_as_threads(api, dask_executor):
    def traced(executor) -> tuple[list[dict], ThreadRecordingSink, object]:
        sink = ThreadRecordingSink()
        tracer = Tracer([sink], otel=None)
        if api == "sync":
            result = run_parallel_sync(executor, tracer)
        else:
            result = asyncio.run(run_parallel_async(executor, tracer))
        return comparable(tracer.events), sink, result

    with ThreadPoolExecutor(max_workers=3) as pool:
        on_threads, _, expected = traced(pool)
    on_dask, sink, result = traced(dask_executor)
    assert result.output == expected.output
    assert on_dask == on_threads and len(on_dask) == 3 * 2 + 1
    # Every event reached the caller's sink from the caller's thread: the events came back
    # with each branch's result, not through memory shared with the worker.
    assert {ident for ident, _ in sink.writes} == {threading.get_ident()}
    assert comparable(e for _, e in sink.writes) == on_dask


def test_async_branches_on_tasks_give_the_same_events(dask_executor):
    tracer_tasks, tracer_dask = Tracer(otel=None), Tracer(otel=None)
    asyncio.run(run_parallel_async(None, tracer_tasks))
    asyncio.run(run_parallel_async(dask_executor, tracer_dask))
    assert comparable(tracer_tasks.events) == comparable(tracer_dask.events)


EXPORTER = InMemorySpanExporter()
PROVIDER = TracerProvider()
PROVIDER.add_span_processor(SimpleSpanProcessor(EXPORTER))


def otel_tracer():
    """A module-level tracer factory: it crosses the pickling executor by reference."""
    return PROVIDER.get_tracer("dask-test")


def test_worker_spans_are_children_of_the_callers_span(dask_executor):
    EXPORTER.clear()
    tracer = Tracer(otel=otel_tracer)
    parallel(echo_model, ["a", "b"], executor=dask_executor, name="fan", tracer=tracer)
    spans = EXPORTER.get_finished_spans()
    (workflow,) = [s for s in spans if s.name == "invoke_workflow fan"]
    chats = [s for s in spans if s.name == "chat scripted"]
    assert len(chats) == 2
    for chat in chats:
        assert chat.parent is not None and chat.parent.span_id == workflow.context.span_id
        assert chat.context.trace_id == workflow.context.trace_id
    assert pickle.loads(pickle.dumps(tracer))._otel is not None  # the factory re-resolves


def append_one(items: list) -> int:
    items.append(1)
    return len(items)


def test_dask_copies_arguments_even_in_process(dask_executor):
    """Why the events above cannot have arrived through shared memory."""
    items: list = []
    assert dask_executor.submit(append_one, items).result() == 1 and items == []
