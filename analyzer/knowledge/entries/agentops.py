"""AgentOps: `agentops.init()` instruments the installed LLM SDKs process-wide (on
OpenTelemetry); decorators open spans for agents, operations, workflows and traces.

Source: docs.agentops.ai v2 ("Recording operations", "Core concepts": after
`agentops.init()` the SDK identifies installed LLM providers and instruments their calls;
decorators in `agentops.sdk.decorators`: agent, operation/task, workflow, trace, tool) and
v1 (`@record_action`, `@track_agent`, `@record_tool`); read 2026-12, agentops 0.4.
"""

from analyzer.knowledge.spec import Entry, TracingSpec

_DECORATORS = ("agent", "operation", "task", "workflow", "trace", "tool", "session")

ENTRY = Entry(
    key="agentops",
    title="AgentOps",
    roots=("agentops",),
    packages=("agentops",),
    aliases=(("agentops.sdk.decorators", "agentops"),),
    tracing=(
        TracingSpec("agentops.init", library="agentops", kind="instrument", scope="global"),
        TracingSpec("agentops.start_trace", library="agentops", kind="span"),
        TracingSpec("agentops.start_session", library="agentops", kind="span"),
    )
    + tuple(
        TracingSpec(f"agentops.{d}", library="agentops", kind="decorator", forms=("decorator",))
        for d in (*_DECORATORS, "record_action", "track_agent", "record_tool")
    ),
)
