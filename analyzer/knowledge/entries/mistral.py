"""mistralai: v1 `Mistral().chat.complete/stream(_async)` and the v0 MistralClient."""

from analyzer.knowledge.spec import Entry, TypeDecl, model, on

_TOOLS = ("tools",)

ENTRY = Entry(
    key="mistral",
    title="Mistral AI Python SDK",
    roots=("mistralai",),
    packages=("mistralai",),
    aliases=(
        ("mistralai.sdk.Mistral", "mistralai.Mistral"),
        ("mistralai.client.MistralClient", "mistralai.MistralClient"),
        ("mistralai.async_client.MistralAsyncClient", "mistralai.MistralAsyncClient"),
    ),
    types=(
        TypeDecl("mistralai.Mistral"),
        TypeDecl("mistralai.MistralClient"),
        TypeDecl("mistralai.MistralAsyncClient", is_async=True),
    ),
    model_calls=on(
        "mistral",
        ("mistralai.Mistral",),
        (),
        (
            model("chat.complete", tools_kw=_TOOLS),
            model("chat.stream", tools_kw=_TOOLS, streaming=True),
            model("chat.complete_async", tools_kw=_TOOLS, is_async=True),
            model("chat.stream_async", tools_kw=_TOOLS, streaming=True, is_async=True),
            model("chat.parse", structured_kw="response_format"),
            model("fim.complete"),
            model("agents.complete", tools_kw=_TOOLS),
        ),
    )
    + on(
        "mistral",
        ("mistralai.MistralClient",),
        ("mistralai.MistralAsyncClient",),
        (model("chat", tools_kw=_TOOLS), model("chat_stream", tools_kw=_TOOLS, streaming=True)),
    ),
    not_model_calls=(
        "mistralai.Mistral.embeddings.create",
        "mistralai.Mistral.models.list",
        "mistralai.MistralClient.embeddings",
    ),
)
