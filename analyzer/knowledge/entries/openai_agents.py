"""openai-agents (`agents` package): Agent, Runner, tracing on by default.

Also read in openai-agents-python @ 7f7a44f8 (src/agents): `realtime/runner.py`
`RealtimeRunner(starting_agent, ...).run()` starts a realtime session with the model;
`voice/pipeline.py` `VoicePipeline(workflow=...).run(audio)` transcribes, runs the workflow
and speaks; `models/interface.py` `ModelProvider.get_model(name)` -> `Model` whose
`get_response` / `stream_response` call the model directly.
"""

from analyzer.knowledge.spec import (
    ArgIs,
    Bound,
    Construct,
    Entry,
    EnvSwitch,
    ModelCall,
    ResultRule,
    RetrySpec,
    TracingSpec,
    TypeDecl,
)

_MAX_TURNS = Bound(
    "max_turns",
    10,
    where="run",
    unit="turns",
    unbounded_values=(None,),
    package="openai-agents",
    on_hit="MaxTurnsExceeded (unless error_handlers)",
)


def _run(name: str, is_async: bool, streaming: bool = False) -> ModelCall:
    return ModelCall(
        f"agents.Runner.{name}",
        f"openai_agents.Runner.{name}",
        provider="openai_agents",
        kind="framework_run",
        is_async=is_async,
        streaming=streaming,
        tools_bound=True,
    )


ENTRY = Entry(
    key="openai_agents",
    title="OpenAI Agents SDK (openai-agents)",
    roots=("agents",),
    packages=("openai-agents",),
    aliases=(
        ("agents.run.Runner", "agents.Runner"),
        ("agents.agent.Agent", "agents.Agent"),
        ("agents.run.RunConfig", "agents.RunConfig"),
        ("agents.run_config.RunConfig", "agents.RunConfig"),
        ("agents.tracing.set_tracing_disabled", "agents.set_tracing_disabled"),
        ("agents.retry.ModelRetrySettings", "agents.ModelRetrySettings"),
        ("agents.realtime.runner.RealtimeRunner", "agents.realtime.RealtimeRunner"),
        ("agents.voice.pipeline.VoicePipeline", "agents.voice.VoicePipeline"),
        ("agents.models.interface.Model", "agents.Model"),
        ("agents.models.interface.ModelProvider", "agents.ModelProvider"),
        ("agents.models.openai_provider.OpenAIProvider", "agents.OpenAIProvider"),
        ("agents.models.multi_provider.MultiProvider", "agents.MultiProvider"),
    ),
    types=(
        TypeDecl("agents.Agent"),
        TypeDecl("agents.Runner"),
        TypeDecl("agents.realtime.RealtimeRunner"),
        TypeDecl("agents.voice.VoicePipeline"),
        TypeDecl("agents.Model", is_async=True),
        TypeDecl("agents.OpenAIChatCompletionsModel", bases=("agents.Model",), is_async=True),
        TypeDecl("agents.OpenAIResponsesModel", bases=("agents.Model",), is_async=True),
        TypeDecl("agents.ModelProvider"),
        TypeDecl("agents.OpenAIProvider", bases=("agents.ModelProvider",)),
        TypeDecl("agents.MultiProvider", bases=("agents.ModelProvider",)),
    ),
    results=(ResultRule("agents.ModelProvider.get_model", "agents.Model"),),
    model_calls=(_run("run", True), _run("run_sync", False), _run("run_streamed", False, True))
    + (
        ModelCall(
            "agents.realtime.RealtimeRunner.run",
            "openai_agents.RealtimeRunner.run",
            provider="openai_agents",
            kind="framework_run",
            is_async=True,
            tools_bound=True,
            note="opens a realtime session (audio/text) with the model",
        ),
        ModelCall(
            "agents.voice.VoicePipeline.run",
            "openai_agents.VoicePipeline.run",
            provider="openai_agents",
            kind="framework_run",
            is_async=True,
            streaming=True,
            note="speech-to-text, the voice workflow (agents), text-to-speech",
        ),
        ModelCall(
            "agents.Model.get_response",
            "openai_agents.model.get_response",
            provider="openai_agents",
            tools_kw=("tools",),
            is_async=True,
        ),
        ModelCall(
            "agents.Model.stream_response",
            "openai_agents.model.stream_response",
            provider="openai_agents",
            tools_kw=("tools",),
            streaming=True,
            is_async=True,
        ),
    ),
    constructs=(
        Construct(
            "agents.Agent",
            kind="agent",
            agentic_params=("tools", "handoffs", "mcp_servers"),
            # a handoff is a tool call the model makes to transfer the conversation;
            # a target with no tools or handoffs answers and the run ends (0.2.x run loop)
            handoff_params=("handoffs",),
            # guardrail functions run on every run: input guardrails concurrently with the
            # first turn (InputGuardrail.run_in_parallel=True, HEAD 7f7a44f), output after
            calls_params=("tools", "input_guardrails", "output_guardrails"),
            parallel_params=("input_guardrails",),
            default_bound_note="turns are bounded by Runner.run(max_turns=10)",
        ),
        Construct(
            "agents.Agent.as_tool",
            kind="agent",
            bounds=(Bound("max_turns", 10, where="ctor", unit="turns", unbounded_values=(None,)),),
            default_bound_note="Agent.as_tool(max_turns=) defaults to DEFAULT_MAX_TURNS (10)",
        ),
        Construct("agents.function_tool", kind="tool", decorator=True),
    )
    + tuple(
        Construct(
            f"agents.Runner.{m}",
            kind="runner",
            runs=("starting_agent", 0),
            bounds=(_MAX_TURNS,),
            default_bound_note="Runner max_turns defaults to 10 (DEFAULT_MAX_TURNS); None disables (>= 0.16)",
        )
        for m in ("run", "run_sync", "run_streamed")
    ),
    retries=(
        RetrySpec(
            "agents.ModelRetrySettings",
            library="openai-agents",
            kind="settings",
            limit_params=("max_retries",),
            default_limit=0,
            limit_unit="retries",
            note="opt-in: no model retries unless max_retries is set",
        ),
    ),
    tracing=(
        TracingSpec(
            "agents.set_tracing_disabled",
            library="openai-agents",
            kind="switch",
            scope="global",
            disables_when=(ArgIs(True, pos=0, kw="disabled"),),
            enables_when=(ArgIs(False, pos=0, kw="disabled"),),
        ),
        TracingSpec(
            "agents.RunConfig",
            library="openai-agents",
            kind="switch",
            disables_when=(ArgIs(True, pos=None, kw="tracing_disabled"),),
        ),
        TracingSpec(
            "agents.trace", library="openai-agents", kind="span", forms=("context", "call")
        ),
        TracingSpec(
            "agents.custom_span", library="openai-agents", kind="span", forms=("context", "call")
        ),
        TracingSpec(
            "agents.add_trace_processor", library="openai-agents", kind="config", scope="global"
        ),
        TracingSpec(
            "agents.set_trace_processors", library="openai-agents", kind="config", scope="global"
        ),
    ),
    env=(
        EnvSwitch(
            "OPENAI_AGENTS_DISABLE_TRACING",
            library="openai-agents",
            enables=False,
            frameworks=("openai_agents",),
        ),
    ),
    default_tracing=True,
)
