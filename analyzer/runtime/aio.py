"""The async API: the same names as `analyzer.runtime`, to be awaited.

    from analyzer.runtime import aio
    result = await aio.agent_loop(model, "task", tools=[...], max_steps=8)

Each function here runs the *same* flow as its sync twin (see drive.py): one implementation
of every decision, budget charge and trace event, awaited instead of blocked on. `Budget`,
`RetryPolicy`, `Tracer`, `Result` and the stop reasons are shared with the sync API.

What awaiting adds:
- Models: an `AsyncModel` (`acomplete`, e.g. `AsyncAnthropicModel`, `AsyncOpenAIModel`) is
  awaited; a sync-only model runs in a worker thread. Steps, handlers, gates, sections and
  tools may be coroutine functions.
- Deadlines: every awaited model call, tool and developer function gets at most the
  seconds left in the budget; one that hangs past them is cancelled and the run ends with
  `BudgetExceeded("seconds")` (stop reason "budget_exceeded").
- Cancellation: cancelling the caller (`task.cancel()`, `asyncio.wait_for`) records the
  open call, step and run with stop reason "cancelled" before `CancelledError` propagates.
- Fan-out (`parallel`, `vote`, `orchestrate`): asyncio tasks, at most `max_concurrency`
  at once, each with its share of the budget; cancelled branches still hand back their
  events. With `executor=` (e.g. Dask's) branches run blocking on its workers instead.
- Streams: `stream_model(run, model, messages)` is consumed with `async for`.
"""

from __future__ import annotations

from .budget import UNMETERED, Budget
from .drive import awaitable
from .errors import (
    BudgetExceeded,
    DeadlineExceeded,
    LimitReached,
    RuntimeLimitError,
    ScriptExhausted,
    TransientModelError,
    UnknownRoute,
)
from .guard import call_model_flow, call_tool_flow
from .models import (
    AsyncModel,
    Message,
    Model,
    ModelResponse,
    ScriptedModel,
    TokenUsage,
    Tool,
    ToolCall,
)
from .patterns.agent import agent_loop_flow
from .patterns.chain import chain_flow
from .patterns.evaluate import evaluate_optimize_flow
from .patterns.orchestrate import orchestrate_flow
from .patterns.parallel import majority, parallel_flow, vote_flow
from .patterns.route import route_flow
from .result import Result, StopReason
from .retry import NO_WAIT, RetryPolicy
from .scope import Run, active_run
from .stream import ModelStream, stream_model
from .trace import JsonlSink, MemorySink, TraceEvent, Tracer, format_events

chain = awaitable(chain_flow)
route = awaitable(route_flow)
parallel = awaitable(parallel_flow)
vote = awaitable(vote_flow)
orchestrate = awaitable(orchestrate_flow)
evaluate_optimize = awaitable(evaluate_optimize_flow)
agent_loop = awaitable(agent_loop_flow)
call_model = awaitable(call_model_flow)
call_tool = awaitable(call_tool_flow)

__all__ = [
    "NO_WAIT",
    "UNMETERED",
    "AsyncModel",
    "Budget",
    "BudgetExceeded",
    "DeadlineExceeded",
    "JsonlSink",
    "LimitReached",
    "MemorySink",
    "Message",
    "Model",
    "ModelResponse",
    "ModelStream",
    "Result",
    "RetryPolicy",
    "Run",
    "RuntimeLimitError",
    "ScriptExhausted",
    "ScriptedModel",
    "StopReason",
    "TokenUsage",
    "Tool",
    "ToolCall",
    "TraceEvent",
    "Tracer",
    "TransientModelError",
    "UnknownRoute",
    "active_run",
    "agent_loop",
    "call_model",
    "call_tool",
    "chain",
    "evaluate_optimize",
    "format_events",
    "majority",
    "orchestrate",
    "parallel",
    "route",
    "stream_model",
    "vote",
]
