"""Budget: finite bounds only, shared by nesting, split and merged across branches."""

from __future__ import annotations

import math
import pickle

import pytest

from analyzer.runtime import (
    NO_WAIT,
    Budget,
    BudgetExceeded,
    ModelResponse,
    RetryPolicy,
    ScriptedModel,
    Tool,
    ToolCall,
    agent_loop,
    chain,
    evaluate_optimize,
    orchestrate,
    vote,
)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_steps": None},
        {"max_model_calls": None},
        {"max_tool_calls": math.inf},
        {"max_tokens": None},
        {"max_seconds": None},
        {"max_seconds": math.inf},
        {"max_seconds": math.nan},
        {"max_cost": None},
        {"max_cost": math.inf},
    ],
)
def test_unbounded_budget_values_are_rejected(kwargs):
    with pytest.raises(ValueError, match=r"finite|unbounded"):
        Budget(**kwargs)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: agent_loop(m, "t", max_steps=None),
        lambda m: agent_loop(m, "t", max_steps=math.inf),
        lambda m: evaluate_optimize(m, m, "t", max_rounds=None),
        lambda m: orchestrate(m, "t", max_subtasks=None),
        lambda m: vote(m, "q", n=math.inf),
        lambda m: RetryPolicy(max_attempts=None),
        lambda m: RetryPolicy(max_delay=math.inf),
    ],
)
def test_unbounded_pattern_bounds_are_rejected(call):
    with pytest.raises(ValueError, match=r"finite|unbounded"):
        call(ScriptedModel(["x"]))


def test_wrong_types_are_rejected():
    with pytest.raises(TypeError):
        Budget(max_steps=2.5)
    with pytest.raises(ValueError, match="on_limit"):
        agent_loop(ScriptedModel(["x"]), "t", on_limit="ignore")


def test_every_default_is_finite():
    limits = Budget().limits
    assert "cost" not in limits  # cost is the one opt-in bound
    assert all(math.isfinite(v) for v in limits.values())
    assert RetryPolicy().max_attempts == 3


def test_charge_refuses_without_taking():
    budget = Budget(max_model_calls=2)
    budget.charge("model_calls")
    budget.charge("model_calls")
    with pytest.raises(BudgetExceeded) as caught:
        budget.charge("model_calls")
    assert (caught.value.kind, caught.value.limit, caught.value.used) == ("model_calls", 2, 2)
    assert budget.usage()["model_calls"] == 2


def test_tokens_and_cost_refuse_the_next_call():
    budget = Budget(max_tokens=10, max_cost=1.0)
    budget.record(tokens=12, cost=0.5)
    with pytest.raises(BudgetExceeded) as caught:
        budget.charge("model_calls")
    assert caught.value.kind == "tokens"
    budget = Budget(max_cost=1.0)
    budget.record(cost=1.0)
    with pytest.raises(BudgetExceeded, match="cost"):
        budget.ensure_room()


def test_wall_time_uses_the_injected_clock(clock):
    budget = Budget(max_seconds=5, clock=clock)
    budget.charge("steps")
    clock.advance(5)
    with pytest.raises(BudgetExceeded) as caught:
        budget.charge("steps")
    assert caught.value.kind == "seconds"


def test_nested_budget_cannot_escape_the_outer_one():
    outer = Budget(max_model_calls=3)
    inner = Budget(max_model_calls=100).within(outer)
    for _ in range(3):
        inner.charge("model_calls")
    with pytest.raises(BudgetExceeded) as caught:
        inner.charge("model_calls")
    assert caught.value.limit == 3
    assert outer.usage()["model_calls"] == 3


def test_split_divides_what_is_left_and_merge_adds_back():
    budget = Budget(max_steps=10, max_model_calls=7, max_tokens=100)
    budget.charge("steps", 2)
    shares = budget.split(3)
    assert [s.limits["steps"] for s in shares] == [3, 3, 2]
    assert [s.limits["model_calls"] for s in shares] == [3, 2, 2]
    assert sum(s.limits["tokens"] for s in shares) == 100
    shares[0].charge("steps", 3)
    shares[0].record(tokens=9)
    budget.merge(shares[0].usage())
    assert budget.usage()["steps"] == 5
    assert budget.usage()["tokens"] == 9


def test_split_share_pickles_with_its_remaining_time(clock):
    budget = Budget(max_seconds=10, clock=clock)
    share = budget.split(2)[0]
    share.charge("steps")
    clock.advance(4)
    copy = pickle.loads(pickle.dumps(share))
    assert copy.usage()["steps"] == 1
    assert copy.remaining_seconds() == pytest.approx(6)
    with pytest.raises(TypeError):
        pickle.dumps(Budget().within(budget))


def test_nested_pattern_shares_the_outer_budget(tracer, accounted):
    """An agent inside a chain step, given a generous budget of its own, still stops at
    the chain's limit: nesting cannot escape."""
    outer = Budget(max_model_calls=4)

    def looping(messages, tools):
        return ModelResponse(tool_calls=(ToolCall("1", "noop", {}),), stop_reason="tool_use")

    noop = Tool("noop", lambda: "ok")

    def step(text: str) -> str:
        result = agent_loop(
            ScriptedModel(looping),
            text,
            tools=[noop],
            max_steps=50,
            budget=Budget(max_model_calls=1000),
            on_limit="return",
        )
        assert result.stop_reason == "budget_exceeded"
        return result.output

    model = ScriptedModel(["first"])
    with pytest.raises(BudgetExceeded):
        chain(model, ["{input}", step, "{input}"], "go", budget=outer, tracer=tracer, retry=NO_WAIT)
    assert outer.usage()["model_calls"] == 4
    accounted(tracer.events, outer, runs=2)
