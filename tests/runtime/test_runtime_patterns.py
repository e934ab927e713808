"""Each pattern: the happy path, then faults. Every run ends within its bound, with the
right stop reason, and leaves exactly one trace event per step, model attempt, tool call
and run."""

from __future__ import annotations

import json

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
    UnknownRoute,
    agent_loop,
    chain,
    evaluate_optimize,
    orchestrate,
    parallel,
    route,
    vote,
)


def call(name: str, arguments: object = None, id: str = "c1") -> ModelResponse:
    return ModelResponse(
        tool_calls=(ToolCall(id, name, {} if arguments is None else arguments),),
        stop_reason="tool_use",
        usage=TokenUsage(10, 5),
    )


# -- prompt chaining -------------------------------------------------------------------


def test_chain_feeds_each_output_forward(tracer, retry, budget, accounted):
    model = ScriptedModel(["outline", "draft", "final"])
    result = chain(
        model,
        ["Outline {input}", "Draft from {input}", "Polish {input}"],
        "topic",
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert (result.output, result.stop_reason, result.ok) == ("final", "completed", True)
    assert model.calls[1][0]["content"] == "Draft from outline"
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_chain_gate_stops_the_chain(tracer, retry, budget, accounted):
    model = ScriptedModel(["too short", "never reached"])
    result = chain(
        model,
        ["a {input}", "b {input}"],
        "x",
        gates={0: lambda text: len(text) > 20},
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert result.stop_reason == "gate_failed" and not result.ok
    assert result.detail["failed_step"] == 0 and len(model.calls) == 1
    step = next(e for e in tracer.events if e.kind == "step")
    assert step.verdict == "fail"
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_chain_model_error_is_recorded_before_it_propagates(tracer, retry, budget, accounted):
    model = ScriptedModel(["ok", ValueError("bad request")])
    with pytest.raises(ValueError, match="bad request"):
        chain(model, ["{input}", "{input}"], "x", tracer=tracer, retry=retry, budget=budget)
    kinds = [(e.kind, e.error is not None) for e in tracer.events]
    assert kinds == [
        ("model", False),
        ("step", False),
        ("model", True),  # not retryable: one attempt
        ("step", True),
        ("run", True),
    ]
    assert tracer.events[-1].stop_reason == "error"
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_chain_timeouts_are_retried_with_backoff_then_raised(
    tracer, retry, sleeps, budget, accounted
):
    model = ScriptedModel([TimeoutError("read timed out")] * 3)
    with pytest.raises(TimeoutError):
        chain(model, ["{input}"], "x", tracer=tracer, retry=retry, budget=budget)
    assert len(model.calls) == 3
    assert sleeps == [0.5, 1.0]  # exponential backoff, none after the last attempt
    assert [e.attempt for e in tracer.events if e.kind == "model"] == [1, 2, 3]
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_transient_error_then_success(tracer, retry, budget, accounted):
    model = ScriptedModel([TransientModelError("overloaded", status=529), "fine"])
    result = chain(model, ["{input}"], "x", tracer=tracer, retry=retry, budget=budget)
    assert result.output == "fine"
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_retries_count_against_the_budget(tracer, retry):
    budget = Budget(max_model_calls=2)
    model = ScriptedModel([TimeoutError()] * 3)
    with pytest.raises(BudgetExceeded) as caught:
        chain(model, ["{input}"], "x", tracer=tracer, retry=retry, budget=budget)
    assert caught.value.kind == "model_calls" and len(model.calls) == 2
    assert tracer.events[-1].stop_reason == "budget_exceeded"


# -- routing ---------------------------------------------------------------------------


def test_route_runs_the_chosen_handler(tracer, retry, budget, accounted):
    model = ScriptedModel(["Billing.", "refund issued"])
    result = route(
        model,
        "I was charged twice",
        {"billing": "Handle billing: {input}", "tech": lambda text: "tech"},
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert (result.output, result.detail["route"]) == ("refund issued", "billing")
    assert model.calls[1][0]["content"] == "Handle billing: I was charged twice"
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_route_unknown_label_uses_default(tracer, retry, budget, accounted):
    model = ScriptedModel(["weather"])
    result = route(
        model,
        "hi",
        {"billing": lambda t: "b"},
        default=lambda t: "general",
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert (result.output, result.detail["route"], result.detail["label"]) == (
        "general",
        "default",
        "weather",
    )
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_route_unknown_label_without_default_raises(tracer, retry, budget, accounted, final_run):
    model = ScriptedModel(["weather"])
    with pytest.raises(UnknownRoute) as caught:
        route(model, "hi", {"billing": "b"}, tracer=tracer, retry=retry, budget=budget)
    assert caught.value.label == "weather"
    assert final_run(tracer.events).stop_reason == "unknown_route"
    accounted(tracer.events, budget, runs=1, model_calls=1)


# -- parallelization -------------------------------------------------------------------


def test_parallel_sections_run_and_merge(tracer, retry, budget, accounted):
    model = ScriptedModel(lambda messages, tools: messages[0]["content"].upper())
    result = parallel(
        model, ["a", "b", "c"], aggregate=" ".join, tracer=tracer, retry=retry, budget=budget
    )
    assert result.output == "A B C" and result.detail["sections"] == 3
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_parallel_failing_section_keeps_every_event(tracer, retry, budget, accounted):
    def answer(messages, tools):
        if messages[0]["content"] == "bad":
            raise ValueError("boom")
        return "ok"

    with pytest.raises(ValueError, match="boom"):
        parallel(
            ScriptedModel(answer), ["a", "bad", "c"], tracer=tracer, retry=retry, budget=budget
        )
    assert tracer.events[-1].stop_reason == "error"
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_parallel_branches_split_the_budget(tracer, retry, accounted):
    budget = Budget(max_model_calls=2)
    model = ScriptedModel(lambda m, t: "x")
    with pytest.raises(BudgetExceeded):
        parallel(model, ["a", "b", "c"], tracer=tracer, retry=retry, budget=budget)
    assert len(model.calls) == 2  # the third branch's share was zero
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_vote_takes_the_majority(tracer, retry, budget, accounted):
    answers = iter(["yes", "no", "Yes ", "yes", "no"])
    model = ScriptedModel(lambda m, t: next(answers))
    result = vote(model, "Is it spam?", n=5, tracer=tracer, retry=retry, budget=budget)
    assert result.output.lower() == "yes" and len(result.detail["votes"]) == 5
    accounted(tracer.events, budget, runs=1, model_calls=5)


# -- orchestrator-workers ---------------------------------------------------------------


def planner_and_workers(n_subtasks: int) -> ScriptedModel:
    def answer(messages, tools):
        prompt = messages[0]["content"]
        if prompt.startswith("Break the task"):
            return json.dumps([f"part {i}" for i in range(n_subtasks)])
        return "done " + prompt.rsplit("\n", 1)[-1]

    return ScriptedModel(answer)


def test_orchestrate_plans_and_runs_workers(tracer, retry, budget, accounted):
    synth = ScriptedModel(["summary"])
    result = orchestrate(
        planner_and_workers(3),
        "write a report",
        synthesizer=synth,
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert result.output == "summary" and result.detail["results"][2] == "done part 2"
    accounted(tracer.events, budget, runs=1, model_calls=5)


def test_orchestrate_thousand_subtasks_raises_at_the_cap(tracer, retry, budget, accounted):
    model = planner_and_workers(1000)
    with pytest.raises(LimitReached) as caught:
        orchestrate(model, "t", max_subtasks=8, tracer=tracer, retry=retry, budget=budget)
    assert caught.value.stop_reason == "max_subtasks"
    assert caught.value.result.detail["planned"] == 1000
    assert len(model.calls) == 1  # no worker ran
    assert tracer.events[-1].stop_reason == "max_subtasks"
    accounted(tracer.events, budget, runs=1, model_calls=1)


def test_orchestrate_thousand_subtasks_truncates_on_return(tracer, retry, budget, accounted):
    model = planner_and_workers(1000)
    result = orchestrate(
        model, "t", max_subtasks=8, on_limit="return", tracer=tracer, retry=retry, budget=budget
    )
    assert result.stop_reason == "max_subtasks" and not result.ok
    assert len(result.detail["results"]) == 8 and len(model.calls) == 9
    accounted(tracer.events, budget, runs=1, model_calls=9)


# -- evaluator-optimizer -----------------------------------------------------------------


def test_evaluate_revises_until_pass(tracer, retry, budget, accounted):
    generator = ScriptedModel(["draft 1", "draft 2"])
    judge = ScriptedModel(["FAIL: too vague", "PASS"])
    result = evaluate_optimize(generator, judge, "write", tracer=tracer, retry=retry, budget=budget)
    assert (result.output, result.detail["rounds"]) == ("draft 2", 2)
    assert "too vague" in generator.calls[1][0]["content"]
    assert [e.verdict for e in tracer.events if e.verdict] == ["fail", "pass"]
    accounted(tracer.events, budget, runs=1, model_calls=4)


def test_evaluate_judge_never_passes_raises(tracer, retry, budget, accounted):
    generator = ScriptedModel(lambda m, t: "draft")
    judge = ScriptedModel(lambda m, t: "FAIL again")
    with pytest.raises(LimitReached) as caught:
        evaluate_optimize(
            generator, judge, "w", max_rounds=3, tracer=tracer, retry=retry, budget=budget
        )
    assert caught.value.stop_reason == "max_rounds"
    assert caught.value.result.output == "draft"
    assert len(generator.calls) == len(judge.calls) == 3
    accounted(tracer.events, budget, runs=1, model_calls=6)


def test_evaluate_judge_never_passes_returns_last(tracer, retry, budget, accounted):
    judge = ScriptedModel(lambda m, t: "FAIL")
    result = evaluate_optimize(
        ScriptedModel(lambda m, t: "d"),
        judge,
        "w",
        max_rounds=2,
        on_limit="return",
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert (result.stop_reason, result.output, result.detail["verdicts"]) == (
        "max_rounds",
        "d",
        ["fail", "fail"],
    )
    accounted(tracer.events, budget, runs=1, model_calls=4)


# -- agent loop --------------------------------------------------------------------------


def add(a: int, b: int) -> int:
    return a + b


ADD = Tool("add", add, "Add two integers", {"type": "object", "properties": {}})


def test_agent_uses_tools_then_answers(tracer, retry, budget, accounted):
    model = ScriptedModel([call("add", {"a": 2, "b": 3}), "It is 5."])
    result = agent_loop(model, "2+3?", tools=[ADD], tracer=tracer, retry=retry, budget=budget)
    assert (result.output, result.stop_reason, result.detail["steps"]) == (
        "It is 5.",
        "completed",
        2,
    )
    tool_message = model.calls[1][-1]
    assert (tool_message["role"], tool_message["content"], tool_message["is_error"]) == (
        "tool",
        "5",
        False,
    )
    accounted(tracer.events, budget, runs=1, model_calls=2)


@pytest.mark.parametrize(
    ("bad_call", "message"),
    [
        (call("delete_everything"), "unknown tool"),
        (call("add", '{"a": 1,'), "malformed arguments"),
        (call("add", {"a": 1}), "invalid arguments"),
        (call("add", {"a": "x", "b": 1}), "failed: TypeError"),
    ],
)
def test_agent_feeds_bad_tool_calls_back_as_errors(
    bad_call, message, tracer, retry, budget, accounted
):
    model = ScriptedModel([bad_call, "sorry"])
    result = agent_loop(model, "go", tools=[ADD], tracer=tracer, retry=retry, budget=budget)
    assert result.stop_reason == "completed"
    fed_back = model.calls[1][-1]
    assert fed_back["is_error"] and message in fed_back["content"]
    tool_event = next(e for e in tracer.events if e.kind == "tool")
    assert message in tool_event.error
    accounted(tracer.events, budget, runs=1, model_calls=2)


def test_agent_that_never_stops_raises_at_max_steps(tracer, retry, budget, accounted):
    model = ScriptedModel(lambda m, t: call("add", {"a": 1, "b": 1}))
    with pytest.raises(LimitReached) as caught:
        agent_loop(model, "go", tools=[ADD], max_steps=4, tracer=tracer, retry=retry, budget=budget)
    assert caught.value.stop_reason == "max_steps"
    assert len(caught.value.result.detail["messages"]) == 1 + 4 * 2
    assert len(model.calls) == 4
    accounted(tracer.events, budget, runs=1, model_calls=4)


def test_agent_that_never_stops_returns_partial(tracer, retry, budget, accounted):
    model = ScriptedModel(lambda m, t: call("add", {"a": 1, "b": 1}))
    result = agent_loop(
        model,
        "go",
        tools=[ADD],
        max_steps=3,
        on_limit="return",
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert result.stop_reason == "max_steps" and not result.ok
    assert tracer.events[-1].stop_reason == "max_steps"
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_agent_stops_on_token_budget(tracer, retry, accounted):
    budget = Budget(max_tokens=40)
    model = ScriptedModel(lambda m, t: call("add", {"a": 1, "b": 1}))  # 15 tokens a call
    result = agent_loop(
        model,
        "go",
        tools=[ADD],
        max_steps=50,
        on_limit="return",
        tracer=tracer,
        retry=retry,
        budget=budget,
    )
    assert result.stop_reason == "budget_exceeded"
    assert len(model.calls) == 3 and budget.usage()["tokens"] == 45
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_agent_stops_on_wall_time(tracer, retry, clock, accounted):
    budget = Budget(max_seconds=10, clock=clock)

    def slow(messages, tools):
        clock.advance(4)
        return call("add", {"a": 1, "b": 1})

    with pytest.raises(BudgetExceeded) as caught:
        agent_loop(
            ScriptedModel(slow), "go", tools=[ADD], tracer=tracer, retry=retry, budget=budget
        )
    assert caught.value.kind == "seconds"
    assert caught.value.result.stop_reason == "budget_exceeded"
    accounted(tracer.events, budget, runs=1, model_calls=3)


def test_agent_model_that_keeps_failing(tracer, retry, budget, accounted, final_run):
    model = ScriptedModel([TransientModelError("503", status=503)] * 5)
    with pytest.raises(TransientModelError):
        agent_loop(model, "go", tools=[ADD], tracer=tracer, retry=retry, budget=budget)
    assert len(model.calls) == 3
    assert final_run(tracer.events).stop_reason == "error"
    accounted(tracer.events, budget, runs=1, model_calls=3)
