"""swarm (OpenAI's experimental multi-agent library): `Swarm().run(agent, messages)`.

Read in openai/swarm @ 6af0b4ca (setup.cfg version 0.1.0), `swarm/core.py`:
`Swarm(client=None)` wraps an `OpenAI()` client; `run(agent, messages, context_variables={},
model_override=None, stream=False, debug=False, max_turns: int = float("inf"),
execute_tools=True)` loops `while len(history) - init_len < max_turns and active_agent`,
calling `client.chat.completions.create` and running the tool calls (functions, or
handoffs returning another Agent) until a response has no tool calls: a model-owned loop
with no turn limit by default. `swarm/repl/repl.py` `run_demo_loop(starting_agent,
context_variables=None, stream=False, debug=False)`: `while True: input(...)`, then
`client.run(...)` for each user line (no max_turns passed).
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, ModelCall, TypeDecl, model, on

_MAX_TURNS = Bound(
    "max_turns",
    None,  # float("inf") in the source: no limit
    where="run",
    unit="turns",
    unbounded_values=(float("inf"),),
    package="swarm",
)
_NOTE = 'swarm Swarm.run max_turns=float("inf"): no turn limit (swarm/core.py)'

ENTRY = Entry(
    key="swarm",
    title="OpenAI Swarm",
    roots=("swarm",),
    packages=("swarm",),
    aliases=(
        ("swarm.core.Swarm", "swarm.Swarm"),
        ("swarm.types.Agent", "swarm.Agent"),
        ("swarm.repl.repl.run_demo_loop", "swarm.repl.run_demo_loop"),
    ),
    types=(TypeDecl("swarm.Swarm"), TypeDecl("swarm.Agent")),
    model_calls=on(
        "swarm",
        ("swarm.Swarm",),
        (),
        (
            model("run", kind="framework_run", tools_bound=True, stream_kw="stream"),
            model("run_and_stream", kind="framework_run", tools_bound=True, streaming=True),
        ),
    )
    + (
        ModelCall(
            "swarm.repl.run_demo_loop",
            "swarm.repl.run_demo_loop",
            kind="framework_run",
            tools_bound=True,
            stream_kw="stream",
            note="interactive: one Swarm.run (no max_turns) per line the user types",
        ),
    ),
    constructs=(
        Construct(
            "swarm.Agent",
            kind="agent",
            agentic_params=("functions",),
            # core.py handle_function_result: a function returning an Agent makes it the
            # active agent (a handoff); any other result is a tool result
            handoff_by_return=("functions",),
            default_bound_note=_NOTE,
        ),
    )
    + tuple(
        Construct(
            f"swarm.Swarm.{m}",
            kind="runner",
            runs=("agent", 0),
            bounds=(_MAX_TURNS,),
            default_bound_note=_NOTE,
        )
        for m in ("run", "run_and_stream")
    )
    + (
        Construct(
            "swarm.repl.run_demo_loop",
            kind="runner",
            runs=("starting_agent", 0),
            bounds=(_MAX_TURNS,),
            default_bound_note="run_demo_loop calls Swarm.run without max_turns (no limit)",
        ),
    ),
    notes=(
        "Source: swarm 0.1.0, openai/swarm@6af0b4ca, swarm/core.py and swarm/repl/repl.py.",
        "Labels: swarm.run, swarm.run_and_stream.",
    ),
)
