"""openai: chat completions, responses, legacy completions (v1+) and the v0 module API."""

from analyzer.knowledge.spec import Entry, EnvSwitch, ModelCall, RetrySpec, TypeDecl, model, on

_SYNC = ("openai.OpenAI",)
_ASYNC = ("openai.AsyncOpenAI",)
_TOOLS = ("tools", "functions")


def _v0(path: str, is_async: bool = False) -> ModelCall:
    return ModelCall(
        callee=f"openai.{path}",
        api=f"openai.{path}",
        is_async=is_async,
        tools_kw=_TOOLS,
        stream_kw="stream",
        note="openai < 1.0 module-level API",
    )


ENTRY = Entry(
    key="openai",
    title="OpenAI Python SDK",
    roots=("openai",),
    packages=("openai",),
    aliases=(
        ("openai._client", "openai"),
        ("openai.Client", "openai.OpenAI"),
        ("openai.AsyncClient", "openai.AsyncOpenAI"),
        ("openai.lib.azure", "openai"),
    ),
    types=(
        # openai >= 1 also has a module-level default client: `openai.chat.completions.create`
        TypeDecl("openai", same_as="openai.OpenAI"),
        TypeDecl("openai.OpenAI"),
        TypeDecl("openai.AsyncOpenAI", is_async=True),
        TypeDecl("openai.AzureOpenAI", same_as="openai.OpenAI"),
        TypeDecl("openai.AsyncAzureOpenAI", same_as="openai.AsyncOpenAI"),
    ),
    model_calls=on(
        "openai",
        _SYNC,
        _ASYNC,
        (
            model("chat.completions.create", tools_kw=_TOOLS, stream_kw="stream"),
            model("chat.completions.parse", tools_kw=_TOOLS, structured_kw="response_format"),
            model("chat.completions.stream", tools_kw=_TOOLS, streaming=True),
            model("beta.chat.completions.parse", tools_kw=_TOOLS, structured_kw="response_format"),
            model("beta.chat.completions.stream", tools_kw=_TOOLS, streaming=True),
            model("responses.create", tools_kw=("tools",), stream_kw="stream"),
            model("responses.parse", tools_kw=("tools",), structured_kw="text_format"),
            model("responses.stream", tools_kw=("tools",), streaming=True),
            model("completions.create", stream_kw="stream", note="legacy completions"),
        ),
    )
    + (
        _v0("ChatCompletion.create"),
        _v0("ChatCompletion.acreate", is_async=True),
        _v0("Completion.create"),
        _v0("Completion.acreate", is_async=True),
    ),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _SYNC + _ASYNC
        for p in (
            "embeddings.create",
            "models.list",
            "models.retrieve",
            "moderations.create",
            "files.create",
            "batches.create",
            "images.generate",
            "audio.transcriptions.create",
        )
    )
    + ("openai.Embedding.create",),
    retries=tuple(
        RetrySpec(
            f"{t}{suffix}",
            library="openai",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="SDK default: 2 retries (3 HTTP attempts), timeout 600 s",
        )
        for t in _SYNC + _ASYNC + ("openai.AzureOpenAI", "openai.AsyncAzureOpenAI")
        for suffix in ("", ".with_options")
    ),
    env=(EnvSwitch("OPENAI_LOG", library="openai", enables=True, truthy=("debug", "info")),),
    notes=("Embeddings, moderation, images, audio, files and batches are not LLM calls.",),
)
