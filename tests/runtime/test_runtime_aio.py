"""The async API under fault injection: every pattern, every fault.

The model raises, keeps failing transiently, hangs past the time budget, or the caller
cancels mid-run; the agent gets unknown tools and never stops; the judge never passes; the
planner returns 1,000 subtasks. Each run ends within its bound with the right stop reason,
and leaves exactly one trace event per step, model attempt, tool call and run (cancelled
branches included). Hangs use real asyncio deadlines of a few hundredths of a second.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest

from analyzer.runtime import (
    Budget,
    BudgetExceeded,
    LimitReached,
    ModelResponse,
    ScriptedModel,
    TokenUsage,
    Tool,
    ToolCall,
    TransientModelError,
    aio,
)

HANG_BUDGET = 0.05  # seconds: a hanging call is cut off after this


def call(name: str, arguments: object = None, id: str = "c1") -> ModelResponse:
    return ModelResponse(
        tool_calls=(ToolCall(id, name, {} if arguments is None else arguments),),
        stop_reason="tool_use",
        usage=TokenUsage(10, 5),
    )


def add(a: int, b: int) -> int:
    return a + b


ADD = Tool("add", add, "Add two integers")


def answer_for(prompt: str) -> str:
    """A plausible answer for whichever pattern asks (plans are lists, judges pass)."""
    if prompt.startswith("Break the task"):
        return json.dumps(["part 0", "part 1"])
    if prompt.startswith("Task:"):
        return "PASS"
    if prompt.startswith("Classify"):
        return "billing"
    return "ok"


def run_pattern(pattern: str, model: ScriptedModel, **options) -> Awaitable:
    """Run one async pattern with the same model everywhere it needs one."""
    if pattern == "chain":
        return aio.chain(model, ["a {input}", "b {input}"], "x", **options)
    if pattern == "route":
        return aio.route(model, "hi", {"billing": "Handle {input}"}, **options)
    if pattern == "parallel":
        return aio.parallel(model, ["a", "b", "c"], **options)
    if pattern == "vote":
        return aio.vote(model, "q", n=3, **options)
    if pattern == "orchestrate":
        return aio.orchestrate(model, "t", max_subtasks=4, **options)
    if pattern == "evaluate":
        return aio.evaluate_optimize(model, model, "t", max_rounds=2, **options)
    return aio.agent_loop(model, "t", tools=[ADD], max_steps=3, **options)


PATTERNS = ["chain", "route", "parallel", "vote", "orchestrate", "evaluate", "agent"]
FAN_OUT = {"parallel", "vote"}  # patterns whose first model calls are concurrent branches


def go(awaitable: Awaitable):
    """Run to the end; the outer wait_for only guards the test suite against a hang."""
    return asyncio.run(asyncio.wait_for(awaitable, 10))


@pytest.fixture
def options(tracer, retry, budget):
    return {"tracer": tracer, "retry": retry, "budget": budget}


# -- the happy path: same results as the sync API ------------------------------------------


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_completes(pattern, options, tracer, budget, accounted, final_run):
    model = ScriptedModel(lambda m, t: answer_for(m[-1]["content"]))
    result = go(run_pattern(pattern, model, **options))
    assert result.stop_reason == "completed"
    assert final_run(tracer.events).stop_reason == "completed"
    accounted(tracer.events, budget, runs=1, model_calls=len(model.calls))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_async_scripts_are_awaited(pattern, options, tracer, budget, accounted):
    async def answer(messages, tools):
        await asyncio.sleep(0)
        return answer_for(messages[-1]["content"])

    model = ScriptedModel(answer)
    assert go(run_pattern(pattern, model, **options)).ok
    accounted(tracer.events, budget, runs=1, model_calls=len(model.calls))


# -- faults common to every pattern ---------------------------------------------------------


@pytest.mark.parametrize("pattern", PATTERNS)
def test_model_raises(pattern, options, tracer, budget, accounted, final_run):
    model = ScriptedModel(lambda m, t: (_ for _ in ()).throw(ValueError("bad request")))
    with pytest.raises(ValueError, match="bad request"):
        go(run_pattern(pattern, model, **options))
    assert final_run(tracer.events).stop_reason == "error"
    branches = 3 if pattern in FAN_OUT else 1
    assert len(model.calls) == branches  # not retryable: one attempt each
    accounted(tracer.events, budget, runs=1, model_calls=branches)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_model_keeps_failing_transiently(pattern, options, tracer, budget, sleeps, accounted):
    model = ScriptedModel(lambda m, t: (_ for _ in ()).throw(TransientModelError("529")))
    with pytest.raises(TransientModelError):
        go(run_pattern(pattern, model, **options))
    branches = 3 if pattern in FAN_OUT else 1
    assert len(model.calls) == 3 * branches  # RetryPolicy(max_attempts=3), per call
    assert sorted(sleeps) == sorted(
        [0.5, 1.0] * branches
    )  # the fake sleep is used by the async driver too
    accounted(tracer.events, budget, runs=1, model_calls=3 * branches)


async def hang(messages, tools):
    await asyncio.Event().wait()


@pytest.mark.parametrize("pattern", PATTERNS)
def test_model_hangs_past_the_time_budget(pattern, tracer, retry, accounted, final_run):
    budget = Budget(max_seconds=HANG_BUDGET)
    model = ScriptedModel(hang)
    with pytest.raises(BudgetExceeded) as caught:
        go(run_pattern(pattern, model, tracer=tracer, retry=retry, budget=budget))
    assert caught.value.kind == "seconds"
    assert final_run(tracer.events).stop_reason == "budget_exceeded"
    failed = [e for e in tracer.events if e.kind == "model"]
    assert failed and all("DeadlineExceeded" in e.error for e in failed)
    accounted(tracer.events, budget, runs=1, model_calls=3 if pattern in FAN_OUT else 1)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_caller_cancels_mid_run(pattern, options, tracer, budget, accounted, final_run):
    calls = 3 if pattern in FAN_OUT else 1

    async def scenario() -> None:
        waiting = 0
        all_waiting = asyncio.Event()

        async def answer(messages, tools):
            nonlocal waiting
            waiting += 1
            if waiting == calls:
                all_waiting.set()
            await asyncio.Event().wait()

        task = asyncio.ensure_future(run_pattern(pattern, ScriptedModel(answer), **options))
        await all_waiting.wait()  # every branch is inside its model call
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    go(scenario())
    assert final_run(tracer.events).stop_reason == "cancelled"
    steps = [e for e in tracer.events if e.kind == "step"]
    assert steps and {e.stop_reason for e in steps} == {"cancelled"}
    accounted(tracer.events, budget, runs=1, model_calls=calls)


def test_caller_timeout_is_a_cancellation(options, tracer, budget, accounted, final_run):
    model = ScriptedModel(hang)
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(aio.agent_loop(model, "t", **options), 0.02))
    assert final_run(tracer.events).stop_reason == "cancelled"
    accounted(tracer.events, budget, runs=1, model_calls=1)


# -- faults of one pattern ------------------------------------------------------------------


def test_agent_unknown_tools_are_fed_back(options, tracer, budget, accounted):
    model = ScriptedModel([call("rm_rf"), call("add", {"a": 1}), "sorry"])
    result = go(aio.agent_loop(model, "go", tools=[ADD], **options))
    assert result.stop_reason == "completed"
    errors = [e.error for e in tracer.events if e.kind == "tool"]
    assert "unknown tool 'rm_rf'" in errors[0] and "invalid arguments" in errors[1]
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_agent_never_stops_raises_at_max_steps(options, tracer, budget, accounted):
    model = ScriptedModel(lambda m, t: call("add", {"a": 1, "b": 1}))
    with pytest.raises(LimitReached) as caught:
        go(aio.agent_loop(model, "go", tools=[ADD], max_steps=4, **options))
    assert caught.value.stop_reason == "max_steps" and len(model.calls) == 4
    accounted(tracer.events, budget, runs=1, model_calls=4)


def test_agent_never_stops_returns_partial(options, tracer, budget, accounted):
    model = ScriptedModel(lambda m, t: call("add", {"a": 1, "b": 1}))
    result = go(aio.agent_loop(model, "go", tools=[ADD], max_steps=3, on_limit="return", **options))
    assert result.stop_reason == "max_steps" and tracer.events[-1].stop_reason == "max_steps"
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_agent_async_tool_hangs_past_the_time_budget(tracer, retry, accounted):
    async def slow(a: int, b: int) -> int:
        await asyncio.Event().wait()

    budget = Budget(max_seconds=HANG_BUDGET)
    model = ScriptedModel([call("slow", {"a": 1, "b": 2})])
    result = go(
        aio.agent_loop(
            model,
            "go",
            tools=[Tool("slow", slow)],
            on_limit="return",
            tracer=tracer,
            retry=retry,
            budget=budget,
        )
    )
    assert result.stop_reason == "budget_exceeded"
    (tool,) = [e for e in tracer.events if e.kind == "tool"]
    assert "DeadlineExceeded" in tool.error
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_agent_async_tool_result_goes_back_to_the_model(options, tracer, budget, accounted):
    async def lookup(city: str) -> dict:
        await asyncio.sleep(0)
        return {"city": city, "celsius": 18}

    model = ScriptedModel([call("lookup", {"city": "Paris"}), "18°C"])
    result = go(aio.agent_loop(model, "go", tools=[Tool("lookup", lookup)], **options))
    assert result.output == "18°C"
    assert json.loads(model.calls[1][-1]["content"]) == {"city": "Paris", "celsius": 18}
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_judge_never_passes(options, tracer, budget, accounted):
    generator = ScriptedModel(lambda m, t: "draft")
    judge = ScriptedModel(lambda m, t: "FAIL again")
    with pytest.raises(LimitReached) as caught:
        go(aio.evaluate_optimize(generator, judge, "w", max_rounds=3, **options))
    assert caught.value.stop_reason == "max_rounds" and caught.value.result.output == "draft"
    assert len(judge.calls) == 3
    accounted(tracer.events, budget, runs=1, model_calls=6)


def planner(n_subtasks: int) -> ScriptedModel:
    def answer(messages, tools):
        prompt = messages[0]["content"]
        if prompt.startswith("Break the task"):
            return json.dumps([f"part {i}" for i in range(n_subtasks)])
        return "done " + prompt.rsplit("\n", 1)[-1]

    return ScriptedModel(answer)


def test_planner_returns_a_thousand_subtasks(options, tracer, budget, accounted):
    model = planner(1000)
    with pytest.raises(LimitReached) as caught:
        go(aio.orchestrate(model, "t", max_subtasks=8, **options))
    assert caught.value.stop_reason == "max_subtasks" and len(model.calls) == 1
    assert caught.value.result.detail["planned"] == 1000
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_planner_thousand_subtasks_truncated_on_return(options, tracer, budget, accounted):
    model = planner(1000)
    result = go(aio.orchestrate(model, "t", max_subtasks=8, on_limit="return", **options))
    assert result.stop_reason == "max_subtasks" and len(result.detail["results"]) == 8
    assert result.detail["results"][7] == "done part 7"
    accounted(tracer.events, budget, runs=1, model_calls=9)


def test_route_unknown_label_without_default(options, tracer, budget, accounted, final_run):
    with pytest.raises(aio.UnknownRoute):
        go(aio.route(ScriptedModel(["weather"]), "hi", {"billing": "b"}, **options))
    assert final_run(tracer.events).stop_reason == "unknown_route"
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_chain_async_gate_and_step(options, tracer, budget, accounted):
    async def shout(text: str) -> str:
        return text.upper()

    async def too_short(text: str) -> bool:
        return len(text) > 10

    model = ScriptedModel(["outline"])
    result = go(aio.chain(model, ["{input}", shout], "x", gates={1: too_short}, **options))
    assert (result.stop_reason, result.output) == ("gate_failed", "OUTLINE")
    accounted(tracer.events, budget, runs=1, model_calls=1)


# -- fan-out: concurrency cap, shared budget, nesting -------------------------------------


def test_fan_out_respects_max_concurrency(options):
    active, peak = 0, 0

    async def answer(messages, tools):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        for _ in range(3):
            await asyncio.sleep(0)
        active -= 1
        return "yes"

    result = go(aio.vote(ScriptedModel(answer), "q", n=7, max_concurrency=2, **options))
    assert result.output == "yes" and peak == 2


def test_fan_out_splits_the_budget(tracer, retry, accounted):
    budget = Budget(max_model_calls=2)
    model = ScriptedModel(lambda m, t: "x")
    with pytest.raises(BudgetExceeded):
        go(aio.parallel(model, ["a", "b", "c"], tracer=tracer, retry=retry, budget=budget))
    assert len(model.calls) == 2
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_nested_async_agents_share_the_outer_budget(tracer, retry, accounted):
    budget = Budget(max_model_calls=5)

    def section(i: int) -> Callable[[], Awaitable[str]]:
        async def run() -> str:
            model = ScriptedModel([call("add", {"a": i, "b": 1}), f"done {i}"])
            result = await aio.agent_loop(model, "go", tools=[ADD], name=f"agent{i}")
            return result.output

        return run

    result = go(
        aio.parallel(None, [section(0), section(1)], tracer=tracer, retry=retry, budget=budget)
    )
    assert result.output == ["done 0", "done 1"]
    assert {e.name for e in tracer.events if e.kind == "run"} == {"agent0", "agent1", "parallel"}
    accounted(tracer.events, budget, runs=3, model_calls=4)


def test_sync_only_model_runs_in_a_thread(options, tracer, budget, accounted):
    class Blocking:
        name = "blocking"

        def complete(self, messages, *, tools=None):
            return ModelResponse("fine", usage=TokenUsage(1, 1))

    result = go(aio.chain(Blocking(), ["{input}"], "x", **options))
    assert result.output == "fine"
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_sync_api_refuses_async_code(options):
    async def shout(text: str) -> str:
        return text.upper()

    with pytest.raises(TypeError, match=r"runtime\.aio"):
        from analyzer.runtime import chain

        chain(None, [shout], "x", **options)


def test_cancel_with_branches_still_queued(options, tracer, budget, accounted, final_run):
    """Branches waiting for a concurrency slot never ran: no events, no usage, nothing lost."""

    async def scenario() -> None:
        waiting = 0
        two_running = asyncio.Event()

        async def answer(messages, tools):
            nonlocal waiting
            waiting += 1
            if waiting == 2:
                two_running.set()
            await asyncio.Event().wait()

        model = ScriptedModel(answer)
        task = asyncio.ensure_future(aio.vote(model, "q", n=5, max_concurrency=2, **options))
        await two_running.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    go(scenario())
    assert final_run(tracer.events).stop_reason == "cancelled"
    accounted(tracer.events, budget, runs=1, model_calls=2)
