"""The agent loop: the model chooses tools until it answers, within max_steps and the budget."""

from __future__ import annotations

from collections.abc import Sequence

from ..bounds import require_count
from ..budget import Budget
from ..drive import Flow, blocking
from ..errors import BudgetExceeded
from ..guard import call_model_flow, call_tool_flow
from ..models import Message, ModelResponse, ModelSource, Tool, resolve_model
from ..result import Result, StopReason
from ..retry import RetryPolicy
from ..scope import open_run
from ..trace import Tracer
from ._common import OnLimit, check_on_limit, limit_reached


def agent_loop_flow(
    model: ModelSource,
    task: str | Sequence[Message],
    *,
    tools: Sequence[Tool] = (),
    max_steps: int = 10,
    on_limit: OnLimit = "raise",
    system: str | None = None,
    name: str = "agent",
    budget: Budget | None = None,
    tracer: Tracer | None = None,
    retry: RetryPolicy | None = None,
) -> Flow[Result]:
    """Call the model; run the tools it asks for; repeat until it answers without tools.

    One step is one model call plus the tool calls it requested. Unknown tools, malformed
    arguments and tool errors are returned to the model as errors. When `max_steps` or the
    budget runs out: on_limit="raise" raises LimitReached/BudgetExceeded carrying the
    partial result; on_limit="return" returns it with stop_reason "max_steps" or
    "budget_exceeded". `detail["messages"]` is the conversation so far.
    """
    require_count("max_steps", max_steps)
    check_on_limit(on_limit)
    tool_map = {tool.name: tool for tool in tools}
    if len(tool_map) != len(tools):
        raise ValueError("tool names must be unique")
    messages: list[Message] = [{"role": "system", "content": system}] if system else []
    if isinstance(task, str):
        messages.append({"role": "user", "content": task})
    else:
        messages.extend(dict(m) for m in task)
    with open_run(
        "agent_loop", name=name, agent=True, budget=budget, tracer=tracer, retry=retry
    ) as run:
        llm = resolve_model(model)
        last_text = ""
        final: ModelResponse | None = None
        try:
            for step in range(1, max_steps + 1):
                with run.step(step) as record:
                    response = yield from call_model_flow(
                        run, llm, messages, tools=list(tools), step=step
                    )
                    last_text = response.text or last_text
                    if not response.tool_calls:
                        record.stop_reason = StopReason.COMPLETED
                        messages.append({"role": "assistant", "content": response.text})
                        final = response
                        break
                    messages.append(
                        {
                            "role": "assistant",
                            "content": response.text,
                            "tool_calls": [
                                {"id": c.id, "name": c.name, "arguments": c.arguments}
                                for c in response.tool_calls
                            ],
                        }
                    )
                    for call in response.tool_calls:
                        content, is_error = yield from call_tool_flow(
                            run, tool_map, call, step=step
                        )
                        messages.append(
                            {
                                "role": "tool",
                                "tool_call_id": call.id,
                                "name": call.name,
                                "content": content,
                                "is_error": is_error,
                            }
                        )
        except BudgetExceeded as error:
            return limit_reached(
                run, on_limit, error.stop_reason, last_text, error, messages=messages
            )
        if final is not None:
            return run.finish(
                final.text,
                steps=step,
                model_stop_reason=final.stop_reason,
                messages=messages,
            )
        return limit_reached(
            run,
            on_limit,
            StopReason.MAX_STEPS,
            last_text,
            None,
            steps=max_steps,
            messages=messages,
        )


agent_loop = blocking(agent_loop_flow)
