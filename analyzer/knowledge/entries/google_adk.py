"""google-adk (Agent Development Kit): LlmAgent/Agent, workflow agents, Runner.

Defaults read in google-adk 1.4.2 (google/adk-python @ 7c670f63, src/google/adk):
- `agents/run_config.py`: `max_llm_calls: int = 500` ("a limit on the total number of
  llm calls for a given run"; <= 0 disables enforcement); `Runner.run/run_async(...,
  run_config=RunConfig())`; exceeding it raises `LlmCallsLimitExceededError`
  (`agents/invocation_context.py`).
- `flows/llm_flows/base_llm_flow.py`: `while True:` one LLM step, run the function calls
  it asks for, until `last_event.is_final_response()`: a model-owned loop.
- `agents/loop_agent.py`: `max_iterations: Optional[int] = None`, `while not
  self.max_iterations or times_looped < self.max_iterations` (unbounded unless set or a
  sub-agent escalates).
- `agents/parallel_agent.py` runs sub-agents concurrently; `sequential_agent.py` in order.
- `runners.py`: `Runner(app_name=, agent=, session_service=...)`, `run` (sync generator,
  "only for local testing"), `run_async` (async generator), `run_live`;
  `InMemoryRunner(agent, app_name='InMemoryRunner')`.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, Family, ModelCall, TypeDecl, model, on

_A = "google.adk.agents"
_RUNNER = "google.adk.runners.Runner"
_BASE = f"{_A}.BaseAgent"

_MAX_LLM_CALLS = Bound(
    "max_llm_calls",
    500,
    where="config",
    container="run_config",
    unit="model calls",
    unbounded_values=(0,),
    package="google-adk",
    on_hit="LlmCallsLimitExceededError",
)
_NOTE = "ADK runs are capped by RunConfig.max_llm_calls=500 (google-adk 1.4.2 run_config.py)"

ENTRY = Entry(
    key="google_adk",
    title="Google Agent Development Kit (google-adk)",
    roots=("google",),
    modules=("google.adk",),
    packages=("google-adk",),
    aliases=(
        ("google.adk.Agent", f"{_A}.Agent"),
        (f"{_A}.llm_agent.Agent", f"{_A}.Agent"),
        (f"{_A}.llm_agent.LlmAgent", f"{_A}.LlmAgent"),
        (f"{_A}.Agent", f"{_A}.LlmAgent"),
        (f"{_A}.loop_agent.LoopAgent", f"{_A}.LoopAgent"),
        (f"{_A}.parallel_agent.ParallelAgent", f"{_A}.ParallelAgent"),
        (f"{_A}.sequential_agent.SequentialAgent", f"{_A}.SequentialAgent"),
        (f"{_A}.base_agent.BaseAgent", _BASE),
        (f"{_A}.run_config.RunConfig", f"{_A}.RunConfig"),
        ("google.adk.Runner", _RUNNER),
        ("google.adk.tools.AgentTool", "google.adk.tools.agent_tool.AgentTool"),
        (
            "google.adk.evaluation.agent_evaluator.AgentEvaluator",
            "google.adk.evaluation.AgentEvaluator",
        ),
    ),
    types=(
        TypeDecl(_RUNNER),
        TypeDecl("google.adk.tools.agent_tool.AgentTool"),
        TypeDecl("google.adk.evaluation.AgentEvaluator"),
        TypeDecl("google.adk.runners.InMemoryRunner", bases=(_RUNNER,)),
        TypeDecl(_BASE),
        TypeDecl(f"{_A}.LlmAgent", bases=(_BASE,)),
        TypeDecl(f"{_A}.LoopAgent", bases=(_BASE,)),
        TypeDecl(f"{_A}.ParallelAgent", bases=(_BASE,)),
        TypeDecl(f"{_A}.SequentialAgent", bases=(_BASE,)),
    ),
    families=(Family("google.adk.runners.*Runner", _RUNNER),),
    model_calls=on(
        "google_adk",
        (_RUNNER,),
        (),
        (
            model("run", kind="framework_run", tools_bound=True, streaming=True),
            model(
                "run_async", kind="framework_run", tools_bound=True, streaming=True, is_async=True
            ),
            model(
                "run_live", kind="framework_run", tools_bound=True, streaming=True, is_async=True
            ),
            model("run_debug", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="runner",
    )
    + (
        ModelCall(
            "google.adk.tools.agent_tool.AgentTool.run_async",
            "google_adk.agent_tool.run_async",
            provider="google_adk",
            kind="framework_run",
            tools_bound=True,
            is_async=True,
            note="runs the wrapped agent as a tool call",
        ),
        ModelCall(
            "google.adk.evaluation.AgentEvaluator.evaluate",
            "google_adk.AgentEvaluator.evaluate",
            provider="google_adk",
            kind="framework_run",
            tools_bound=True,
            is_async=True,
            note="runs the agent over an eval set (tests)",
        ),
    )
    + on(
        "google_adk",
        (_BASE,),
        (),
        (
            model(
                "run_async", kind="framework_run", tools_bound=True, streaming=True, is_async=True
            ),
        ),
        role="agent",
    ),
    constructs=(
        Construct(
            _RUNNER,
            kind="runner",
            # the root agent's LLM flow loops over tool calls and transfers until a final
            # response; which agent it is (LlmAgent with tools, a workflow agent) is only
            # known through the `agent=` argument
            agentic_params=("agent",),
            delegates="agent",
            calls_params=("tools",),  # none directly: the agent holds them
            bounds=(_MAX_LLM_CALLS,),
            default_bound_note=_NOTE,
        ),
        Construct(
            "google.adk.runners.InMemoryRunner",
            kind="runner",
            agentic_params=("agent",),
            delegates="agent",
            calls_params=("tools",),
            bounds=(_MAX_LLM_CALLS,),
            default_bound_note=_NOTE,
        ),
    )
    + tuple(
        Construct(
            f"{_RUNNER}.{m}",
            kind="run",
            bounds=(_MAX_LLM_CALLS,),
            default_bound_note=_NOTE,
        )
        for m in ("run", "run_async", "run_live", "run_debug")
    )
    + (
        Construct(
            f"{_A}.LlmAgent",
            kind="agent",
            agentic_params=("tools", "sub_agents"),
            calls_params=("tools",),
            bounds=(_MAX_LLM_CALLS,),
            default_bound_note=_NOTE,
        ),
        Construct(
            f"{_A}.LoopAgent",
            kind="workflow",
            bounds=(Bound("max_iterations", None, unit="iterations"),),
            default_bound_note="LoopAgent max_iterations=None: loops until a sub-agent "
            "escalates (google-adk 1.4.2 loop_agent.py); runs stay under max_llm_calls=500",
        ),
        Construct(
            f"{_A}.ParallelAgent",
            kind="workflow",
            pattern="parallelization_sectioning",
            note="runs its sub_agents concurrently (asyncio tasks), once each",
        ),
        Construct(
            f"{_A}.SequentialAgent",
            kind="workflow",
            pattern="prompt_chaining",
            note="runs its sub_agents once each, in order, sharing session state",
        ),
    ),
    notes=(
        "Source: google-adk 1.4.2, google/adk-python@7c670f63, src/google/adk/{agents/run_config.py, agents/loop_agent.py, agents/invocation_context.py, runners.py}.",
        "Labels: google_adk.runner.run_async, google_adk.runner.run.",
        "ADK creates OpenTelemetry spans through the API only: without a configured "
        "TracerProvider nothing is recorded (no default tracing).",
    ),
)
