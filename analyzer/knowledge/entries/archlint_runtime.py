"""archlint's reference runtime (`analyzer.runtime`): every pattern bounded and traced.

Every bound is finite by default and None is rejected; every run is traced (events, and
OpenTelemetry spans when opentelemetry-api is installed). `analyzer.runtime.aio` has the
same functions to be awaited (the same implementation, so the same bounds, retries and
tracing); `stream_model` streams one guarded model call.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, ModelCall, RetrySpec

_R = "analyzer.runtime"
_AIO = f"{_R}.aio"
_MODULES = ((_R, False), (_AIO, True))  # (module, awaited)
_BUDGET = Bound("budget", "Budget() limits", unit="budget", where="run", enforced=True)
_BOUNDS: dict[str, tuple[Bound, ...]] = {
    "chain": (),
    "route": (),
    "parallel": (),
    "vote": (Bound("n", 5, where="run", unit="samples", enforced=True),),
    "orchestrate": (Bound("max_subtasks", 8, where="run", unit="subtasks", enforced=True),),
    "evaluate_optimize": (Bound("max_rounds", 3, where="run", unit="rounds", enforced=True),),
    "agent_loop": (Bound("max_steps", 10, where="run", unit="steps", enforced=True),),
}
# the pattern each function implements and how many model calls one run makes
_SHAPE: dict[str, dict] = {
    "chain": {"pattern": "prompt_chaining", "count_arg": ("steps", 1)},
    "route": {"pattern": "routing", "fixed_calls": 2},
    "parallel": {"pattern": "parallelization_sectioning", "count_arg": ("sections", 1)},
    "vote": {"pattern": "parallelization_voting"},
    "orchestrate": {"pattern": "orchestrator_workers", "extra_calls": 2},
    "evaluate_optimize": {"pattern": "evaluator_optimizer", "calls_per_round": 2},
    "agent_loop": {"pattern": "agent_loop"},
}

ENTRY = Entry(
    key="archlint_runtime",
    title="archlint reference runtime",
    roots=(),
    modules=(_R, _AIO),
    alias_patterns=(
        (
            r"^analyzer\.runtime\.(?:patterns\.\w+|guard|stream)\.(\w+)(?=\.|$)",
            r"analyzer.runtime.\1",
        ),
    ),
    model_calls=tuple(
        ModelCall(
            f"{module}.{name}",
            f"archlint.{name}",
            provider="archlint",
            kind="framework_run",
            is_async=awaited,
            tools_kw=("tools",) if name == "agent_loop" else (),
        )
        for module, awaited in _MODULES
        for name in _BOUNDS
    )
    + tuple(
        call
        for module, awaited in _MODULES
        for call in (
            ModelCall(
                f"{module}.call_model",
                "archlint.call_model",
                provider="archlint",
                is_async=awaited,
                tools_kw=("tools",),
            ),
            # the stream is the call: iterating it reads the answer
            ModelCall(
                f"{module}.stream_model",
                "archlint.stream_model",
                provider="archlint",
                is_async=awaited,
                streaming=True,
                tools_kw=("tools",),
            ),
        )
    ),
    constructs=tuple(
        Construct(
            f"{module}.{name}",
            kind="agent" if name == "agent_loop" else "workflow",
            agentic_params=("tools",) if name == "agent_loop" else (),
            bounds=(*b, _BUDGET),
            default_bound_note="archlint runtime: every bound finite by default; None is rejected",
            **_SHAPE[name],
        )
        for module, _ in _MODULES
        for name, b in _BOUNDS.items()
    ),
    # the guarded path retries transient failures a bounded number of times (3 attempts)
    retries=tuple(
        RetrySpec(
            f"{module}.{name}",
            library="archlint",
            kind="runtime",
            limit_params=("retry",),
            default_limit=2,
            limit_unit="retries",
            note="RetryPolicy(): 3 attempts with backoff; SDK retries turned off",
        )
        for module, _ in _MODULES
        for name in (*_BOUNDS, "call_model", "stream_model")
    ),
    default_tracing=True,
)
