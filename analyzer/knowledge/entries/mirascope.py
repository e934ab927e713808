"""mirascope: `@llm.call(...)` decorated functions are model calls; `@llm.retry` (3 attempts)."""

from analyzer.knowledge.spec import Entry, ModelCall, RetrySpec

ENTRY = Entry(
    key="mirascope",
    title="Mirascope",
    roots=("mirascope",),
    packages=("mirascope",),
    aliases=(("mirascope.core.openai.openai_call", "mirascope.core.openai.call"),),
    model_calls=(
        ModelCall("mirascope.llm.call", "mirascope.llm.call", decorator=True, tools_kw=("tools",)),
        ModelCall(
            "mirascope.core.openai.call",
            "mirascope.core.openai.call",
            decorator=True,
            tools_kw=("tools",),
        ),
        ModelCall(
            "mirascope.core.anthropic.call",
            "mirascope.core.anthropic.call",
            decorator=True,
            tools_kw=("tools",),
        ),
    ),
    retries=(
        RetrySpec(
            "mirascope.llm.retry",
            library="mirascope",
            kind="decorator",
            limit_params=("max_attempts",),
            default_limit=3,
            forms=("decorator", "call"),
            note="mirascope @llm.retry defaults to 3 attempts (parameter name unverified)",
        ),
    ),
    notes=("The decorated function is the LLM call; its label is the decorator's.",),
)
