"""The names `archlint demo` accepts: the README's pattern names and the short ones.

The README and `analyze` call patterns `agent_loop`, `evaluator_optimizer`, …; the
reference runtime's demos use short names (`agent`, `evaluate`, …). Both work, with `-`
or `_`, in any case, so a user can type what the documentation shows.
"""

from __future__ import annotations

# README pattern name -> the demo that runs it
PATTERN_DEMOS: dict[str, str] = {
    "agent_loop": "agent",
    "evaluator_optimizer": "evaluate",
    "orchestrator_workers": "orchestrate",
    "parallelization_voting": "vote",
    "parallelization_sectioning": "parallel",
    "routing": "route",
    "prompt_chaining": "chain",
}


def resolve_demo_pattern(name: str, demos: tuple[str, ...]) -> str | None:
    """The demo for `name` (short or README name), or None when there is none."""
    key = name.strip().lower().replace("-", "_")
    if key in demos:
        return key
    demo = PATTERN_DEMOS.get(key)
    return demo if demo in demos else None


def demo_choices(demos: tuple[str, ...]) -> str:
    """`agent_loop (agent), …` for help and error messages."""
    long = {v: k for k, v in PATTERN_DEMOS.items()}
    return ", ".join(f"{long[d]} ({d})" if d in long else d for d in demos)
