"""Prompt chaining: fixed steps, each fed the previous output, with optional gates."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..budget import Budget
from ..drive import Flow, blocking
from ..guard import call_model_flow
from ..models import ModelSource, resolve_model, user
from ..result import Result, StopReason
from ..retry import RetryPolicy
from ..scope import open_run
from ..trace import Tracer
from ._common import call_user, fill

Step = str | Callable[[str], str]
"""A prompt template using {input} (one model call), or a function of the previous output
(async functions too, with the async API)."""

Gate = Callable[[str], bool]


def chain_flow(
    model: ModelSource | None,
    steps: Sequence[Step],
    input: str,
    *,
    gates: Mapping[int, Gate] | None = None,
    name: str = "chain",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Run `steps` in order. `gates[i]` checks step i's output; a failing gate stops the chain.

    The chain is bounded by its length and by the budget. A failed gate is an outcome, not
    an error: the result has stop_reason "gate_failed" and the output that failed.
    """
    steps = list(steps)
    if not steps:
        raise ValueError("chain needs at least one step")
    gates = dict(gates or {})
    if bad := [i for i in gates if not 0 <= i < len(steps)]:
        raise ValueError(f"gates refer to steps that do not exist: {bad}")
    if model is None and any(isinstance(s, str) for s in steps):
        raise ValueError("prompt steps need a model")
    with open_run("prompt_chaining", name=name, budget=budget, tracer=tracer, retry=retry) as run:
        llm = resolve_model(model) if model is not None else None
        text, outputs = input, []
        for index, step in enumerate(steps):
            with run.step(index) as record:
                if isinstance(step, str):
                    assert llm is not None
                    prompt = fill(step, input=text)
                    response = yield from call_model_flow(run, llm, user(prompt), step=index)
                    text = response.text
                else:
                    text = yield from call_user(run, step, text)
                outputs.append(text)
                gate = gates.get(index)
                if gate is not None:
                    passed = yield from call_user(run, gate, text)
                    record.verdict = "pass" if passed else "fail"
                    if record.verdict == "fail":
                        record.stop_reason = StopReason.GATE_FAILED
            if record.verdict == "fail":
                return run.finish(text, StopReason.GATE_FAILED, failed_step=index, outputs=outputs)
        return run.finish(text, outputs=outputs)


chain = blocking(chain_flow)
