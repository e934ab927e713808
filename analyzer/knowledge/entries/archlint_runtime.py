"""archlint's reference runtime (`analyzer.runtime`): every pattern bounded and traced.

Names follow RUNTIME.md's proposed shape; adjust when the runtime lands.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, ModelCall

_R = "analyzer.runtime"
_FINITE = "finite by default (Budget)"
_BOUNDS = {
    "chain": (),
    "route": (),
    "parallel": (),
    "vote": (Bound("n", _FINITE, unit="samples"),),
    "orchestrate": (Bound("max_subtasks", _FINITE, unit="subtasks"),),
    "evaluate_optimize": (Bound("max_rounds", _FINITE, unit="rounds"),),
    "agent_loop": (Bound("budget", _FINITE, unit="budget", unbounded_values=()),),
}

ENTRY = Entry(
    key="archlint_runtime",
    title="archlint reference runtime",
    roots=(),
    modules=(_R,),
    model_calls=tuple(
        ModelCall(
            f"{_R}.{name}",
            f"archlint.{name}",
            provider="archlint",
            kind="framework_run",
            tools_kw=("tools",) if name == "agent_loop" else (),
        )
        for name in _BOUNDS
    ),
    constructs=tuple(
        Construct(
            f"{_R}.{name}",
            kind="agent" if name == "agent_loop" else "workflow",
            agentic_params=("tools",) if name == "agent_loop" else (),
            bounds=b + (Bound("budget", _FINITE, unit="budget"),) if name != "agent_loop" else b,
            default_bound_note="archlint runtime: every bound finite by default; None is rejected",
        )
        for name, b in _BOUNDS.items()
    ),
    default_tracing=True,
)
