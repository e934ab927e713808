"""litellm: one completion API over every provider, plus the Router."""

from analyzer.knowledge.spec import Entry, ModelCall, RetrySpec, TypeDecl, model, on

_TOOLS = ("tools", "functions")


def _fn(name: str, is_async: bool = False, **kw: object) -> ModelCall:
    return ModelCall(
        callee=f"litellm.{name}",
        api=f"litellm.{name}",
        is_async=is_async,
        tools_kw=_TOOLS,
        stream_kw="stream",
        **kw,  # type: ignore[arg-type]
    )


ENTRY = Entry(
    key="litellm",
    title="LiteLLM",
    roots=("litellm",),
    packages=("litellm",),
    aliases=(("litellm.main", "litellm"), ("litellm.router.Router", "litellm.Router")),
    types=(TypeDecl("litellm.Router"),),
    model_calls=(
        _fn("completion"),
        _fn("acompletion", is_async=True),
        _fn("text_completion"),
        _fn("atext_completion", is_async=True),
        _fn("batch_completion", note="several requests in one call"),
        _fn("responses"),
        _fn("aresponses", is_async=True),
        _fn("completion_with_retries", note="completion wrapped in tenacity (num_retries)"),
        _fn("acompletion_with_retries", is_async=True),
    )
    + on(
        "litellm",
        ("litellm.Router",),
        (),
        (
            model("completion", tools_kw=_TOOLS, stream_kw="stream"),
            model("acompletion", tools_kw=_TOOLS, stream_kw="stream", is_async=True),
            model("text_completion", stream_kw="stream"),
            model("atext_completion", stream_kw="stream", is_async=True),
            model("responses", tools_kw=("tools",), stream_kw="stream"),
            model("aresponses", tools_kw=("tools",), stream_kw="stream", is_async=True),
        ),
    ),
    not_model_calls=(
        "litellm.embedding",
        "litellm.aembedding",
        "litellm.token_counter",
        "litellm.completion_cost",
        "litellm.Router.embedding",
        "litellm.Router.aembedding",
        "litellm.image_generation",
        "litellm.transcription",
        "litellm.moderation",
        "litellm.rerank",
    ),
    retries=(
        RetrySpec(
            "litellm.completion",
            library="litellm",
            kind="call",
            limit_params=("num_retries", "max_retries"),
            default_limit=0,
            limit_unit="retries",
        ),
        RetrySpec(
            "litellm.acompletion",
            library="litellm",
            kind="call",
            limit_params=("num_retries", "max_retries"),
            default_limit=0,
            limit_unit="retries",
        ),
        RetrySpec(
            "litellm.Router",
            library="litellm",
            kind="client",
            limit_params=("num_retries",),
            default_limit=0,
            limit_unit="retries",
        ),
    ),
)
