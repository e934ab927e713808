"""pydantic-ai: Agent with tools, run*/iter, UsageLimits(request_limit=50 by default)."""

from analyzer.knowledge.spec import (
    ArgIs,
    Bound,
    Construct,
    Entry,
    ModelCall,
    TracingSpec,
    TypeDecl,
    model,
    on,
)

_AGENT = "pydantic_ai.Agent"
_LIMIT = Bound(
    "request_limit",
    50,
    where="config",
    container="usage_limits",
    unit="requests",
    on_hit="UsageLimitExceeded",
)
_RUNS = ("run", "run_sync", "run_stream", "iter", "run_stream_events")

ENTRY = Entry(
    key="pydantic_ai",
    title="Pydantic AI",
    roots=("pydantic_ai",),
    packages=("pydantic-ai", "pydantic-ai-slim"),
    aliases=(
        ("pydantic_ai.agent.Agent", _AGENT),
        ("pydantic_ai.usage.UsageLimits", "pydantic_ai.UsageLimits"),
    ),
    types=(TypeDecl(_AGENT),),
    model_calls=on(
        "pydantic_ai",
        (_AGENT,),
        (),
        (
            model("run", kind="framework_run", tools_bound=True, is_async=True),
            model("run_sync", kind="framework_run", tools_bound=True),
            model(
                "run_stream", kind="framework_run", tools_bound=True, streaming=True, is_async=True
            ),
            model(
                "run_stream_events",
                kind="framework_run",
                tools_bound=True,
                streaming=True,
                is_async=True,
            ),
            model("iter", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="agent",
    )
    + (
        ModelCall(
            "pydantic_ai.direct.model_request", "pydantic_ai.direct.model_request", is_async=True
        ),
        ModelCall("pydantic_ai.direct.model_request_sync", "pydantic_ai.direct.model_request_sync"),
        ModelCall(
            "pydantic_ai.direct.model_request_stream",
            "pydantic_ai.direct.model_request_stream",
            is_async=True,
            streaming=True,
        ),
    ),
    constructs=(
        Construct(
            _AGENT,
            kind="agent",
            agentic_params=("tools", "toolsets", "mcp_servers"),
            bounds=(_LIMIT,),
            default_bound_note="Agent.run* usage_limits: request_limit=50 by default",
        ),
        Construct(
            f"{_AGENT}.tool",
            kind="tool",
            decorator=True,
            note="adds a tool: makes the agent agentic",
        ),
        Construct(f"{_AGENT}.tool_plain", kind="tool", decorator=True, note="adds a tool"),
        Construct(
            "pydantic_ai.UsageLimits",
            kind="limits",
            bounds=(
                Bound("request_limit", 50, unit="requests"),
                Bound("tool_calls_limit", None, unit="tool_calls"),
                Bound("total_tokens_limit", None, unit="tokens"),
            ),
        ),
    )
    + tuple(
        Construct(
            f"{_AGENT}.{m}", kind="run", bounds=(_LIMIT,), default_bound_note="request_limit=50"
        )
        for m in _RUNS
    ),
    tracing=(
        TracingSpec(
            f"{_AGENT}.instrument_all", library="pydantic-ai", kind="instrument", scope="global"
        ),
        TracingSpec(
            _AGENT,
            library="pydantic-ai",
            kind="switch",
            enables_when=(ArgIs(True, pos=None, kw="instrument"),),
            note="Agent(instrument=True) emits OpenTelemetry spans for its runs",
        ),
    ),
)
