"""mirascope: `@llm.call(...)` / `@<provider>.call(...)` decorated functions are model calls.

Read in Mirascope/mirascope: v1.25.7 (tag) `mirascope/llm/__init__.py` exports `call`
(`@llm.call(provider=..., model=...)`), and `mirascope/core/<provider>/__init__.py`
exports `<provider>_call as call` for anthropic, azure, bedrock, cohere, gemini, google,
groq, litellm, mistral, openai, vertex, xai; v1 has no `llm.retry` (tenacity is used).
v2 (main @ 41d43357, python/mirascope/llm) keeps `@llm.call("provider/model")` and adds
`llm.retry` with `DEFAULT_MAX_RETRIES: int = 3` (`retries/retry_config.py`: retries after
the first attempt).
"""

from analyzer.knowledge.spec import Entry, ModelCall, RetrySpec

_PROVIDERS = (
    "anthropic",
    "azure",
    "bedrock",
    "cohere",
    "gemini",
    "google",
    "groq",
    "litellm",
    "mistral",
    "openai",
    "vertex",
    "xai",
)


def _decorator(callee: str, api: str) -> ModelCall:
    return ModelCall(callee, api, decorator=True, tools_kw=("tools",), stream_kw="stream")


ENTRY = Entry(
    key="mirascope",
    title="Mirascope",
    roots=("mirascope",),
    packages=("mirascope",),
    aliases=tuple((f"mirascope.core.{p}.{p}_call", f"mirascope.core.{p}.call") for p in _PROVIDERS)
    + tuple((f"mirascope.core.{p}._call.{p}_call", f"mirascope.core.{p}.call") for p in _PROVIDERS)
    + (("mirascope.llm._call.call", "mirascope.llm.call"),),
    model_calls=(_decorator("mirascope.llm.call", "mirascope.llm.call"),)
    + tuple(_decorator(f"mirascope.core.{p}.call", f"mirascope.core.{p}.call") for p in _PROVIDERS),
    retries=(
        RetrySpec(
            "mirascope.llm.retry",
            library="mirascope",
            kind="decorator",
            # max_attempts: an older spelling seen in examples (unverified)
            limit_params=("max_retries", "max_attempts"),
            default_limit=3,
            limit_unit="retries",
            forms=("decorator", "call"),
            note="mirascope v2 @llm.retry: max_retries=3 (retries/retry_config.py)",
        ),
    ),
    notes=(
        "Source: Mirascope/mirascope tag v1.25.7 (mirascope/core, mirascope/llm) and main@41d43357 (python/mirascope/llm/retries).",
        "The decorated function is the LLM call; its label is the decorator's.",
    ),
)
