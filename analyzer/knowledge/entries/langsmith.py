"""LangSmith: @traceable, wrap_openai/wrap_anthropic, trace(), env switches for LangChain."""

from analyzer.knowledge.spec import Entry, EnvSwitch, TracingSpec

_FW = ("langchain", "langgraph")

ENTRY = Entry(
    key="langsmith",
    title="LangSmith",
    roots=("langsmith",),
    packages=("langsmith",),
    aliases=(
        ("langsmith.run_helpers.traceable", "langsmith.traceable"),
        ("langsmith.run_helpers.trace", "langsmith.trace"),
        ("langsmith.client.Client", "langsmith.Client"),
    ),
    passthrough=(("langsmith.wrappers.wrap_openai", 0), ("langsmith.wrappers.wrap_anthropic", 0)),
    tracing=(
        TracingSpec(
            "langsmith.traceable",
            library="langsmith",
            kind="decorator",
            forms=("decorator", "call"),
        ),
        TracingSpec("langsmith.trace", library="langsmith", kind="span", forms=("context",)),
        TracingSpec("langsmith.wrappers.wrap_openai", library="langsmith", kind="wrapper"),
        TracingSpec("langsmith.wrappers.wrap_anthropic", library="langsmith", kind="wrapper"),
        TracingSpec(
            "langsmith.Client",
            library="langsmith",
            kind="client",
            counts=False,
            note="an API client (datasets, feedback); traces only through @traceable/wrappers/env",
        ),
    ),
    env=(
        EnvSwitch("LANGSMITH_TRACING", library="langsmith", enables=True, frameworks=_FW),
        EnvSwitch("LANGCHAIN_TRACING_V2", library="langsmith", enables=True, frameworks=_FW),
    ),
    notes=("wrap_openai(client) keeps the client's type: see KnowledgeBase.passthrough_arg.",),
)
