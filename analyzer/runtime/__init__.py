"""archlint's reference runtime: bounded, budgeted, traced LLM workflow patterns.

Public functions and the parameters that bound them (the analyzer reads these names):

- ``chain(model, steps, input, gates=...)``: bounded by ``len(steps)``; ``gates`` stop it.
- ``route(model, input, routes, default=...)``: two steps; an unknown label without
  ``default`` raises ``UnknownRoute``.
- ``parallel(model, sections, executor=...)``: bounded by ``len(sections)``.
- ``vote(model, prompt, n=5, decide=..., executor=...)``: bounded by ``n``.
- ``orchestrate(planner, task, max_subtasks=8, on_limit=..., executor=...)``: bounded by
  ``max_subtasks``.
- ``evaluate_optimize(generator, evaluator, task, max_rounds=3, on_limit=...)``: bounded
  by ``max_rounds``.
- ``agent_loop(model, task, tools=..., max_steps=10, on_limit="raise"|"return")``: bounded
  by ``max_steps``.
- ``call_model(run, model, messages)``: the guarded model call; retries bounded by
  ``RetryPolicy(max_attempts=3)``.

Every function above also takes ``budget=Budget(max_steps=50, max_model_calls=50,
max_tool_calls=100, max_tokens=200_000, max_seconds=300.0, max_cost=...)``,
``tracer=Tracer(...)`` and ``retry=RetryPolicy(...)``. Every bound is finite by default;
``None`` or infinity is rejected. Nested calls share the outer budget. Every ``Result``
carries ``stop_reason``; bounds hit raise ``RuntimeLimitError`` subclasses
(``BudgetExceeded``, ``LimitReached``) unless ``on_limit="return"``.

``analyzer.runtime.aio`` has the same functions to be awaited (one implementation of each
pattern, see drive.py); ``stream_model(run, model, messages)`` streams one guarded call.
"""

from .budget import UNMETERED, Budget
from .errors import (
    BudgetExceeded,
    DeadlineExceeded,
    LimitReached,
    RuntimeLimitError,
    ScriptExhausted,
    TransientModelError,
    UnknownRoute,
)
from .guard import call_model, call_tool
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
from .patterns.agent import agent_loop
from .patterns.chain import chain
from .patterns.evaluate import evaluate_optimize
from .patterns.orchestrate import orchestrate
from .patterns.parallel import majority, parallel, vote
from .patterns.route import route
from .result import Result, StopReason
from .retry import NO_WAIT, RetryPolicy
from .scope import Run, active_run
from .stream import ModelStream, stream_model
from .trace import JsonlSink, MemorySink, TraceEvent, Tracer, format_events

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
