"""archlint's reference runtime (`analyzer.runtime`): every pattern bounded and traced.

Every bound is finite by default and None is rejected; every run is traced (events, and
OpenTelemetry spans when opentelemetry-api is installed).
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, ModelCall

_R = "analyzer.runtime"
_BUDGET = Bound("budget", "Budget() limits", unit="budget", where="run")
_BOUNDS: dict[str, tuple[Bound, ...]] = {
    "chain": (),
    "route": (),
    "parallel": (),
    "vote": (Bound("n", 5, where="run", unit="samples"),),
    "orchestrate": (Bound("max_subtasks", 8, where="run", unit="subtasks"),),
    "evaluate_optimize": (Bound("max_rounds", 3, where="run", unit="rounds"),),
    "agent_loop": (Bound("max_steps", 10, where="run", unit="steps"),),
}

ENTRY = Entry(
    key="archlint_runtime",
    title="archlint reference runtime",
    roots=(),
    modules=(_R,),
    alias_patterns=(
        (r"^analyzer\.runtime\.(?:patterns\.\w+|guard)\.(\w+)(?=\.|$)", r"analyzer.runtime.\1"),
    ),
    model_calls=tuple(
        ModelCall(
            f"{_R}.{name}",
            f"archlint.{name}",
            provider="archlint",
            kind="framework_run",
            tools_kw=("tools",) if name == "agent_loop" else (),
        )
        for name in _BOUNDS
    )
    + (
        ModelCall(
            f"{_R}.call_model", "archlint.call_model", provider="archlint", tools_kw=("tools",)
        ),
    ),
    constructs=tuple(
        Construct(
            f"{_R}.{name}",
            kind="agent" if name == "agent_loop" else "workflow",
            agentic_params=("tools",) if name == "agent_loop" else (),
            bounds=(*b, _BUDGET),
            default_bound_note="archlint runtime: every bound finite by default; None is rejected",
        )
        for name, b in _BOUNDS.items()
    ),
    default_tracing=True,
)
