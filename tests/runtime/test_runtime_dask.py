"""parallel, vote and orchestrate on Dask's `Client.get_executor()`.

Dask pickles what it runs even in-process, so models cross as factories and each branch
sends back its usage and trace events, which the parent merges.
"""

from __future__ import annotations

import functools
import json

import pytest

from analyzer.runtime import (
    Budget,
    BudgetExceeded,
    ScriptedModel,
    orchestrate,
    parallel,
    vote,
)

distributed = pytest.importorskip("distributed")


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
