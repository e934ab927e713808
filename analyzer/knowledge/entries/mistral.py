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
        # mistralai 2.x moved the client under `mistralai.client` (unverified)
        ("mistralai.client.Mistral", "mistralai.Mistral"),
        ("mistralai.client.sdk.Mistral", "mistralai.Mistral"),
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
            model("chat.parse_async", structured_kw="response_format", is_async=True),
            model("chat.parse_stream", structured_kw="response_format", streaming=True),
            model("fim.complete"),
            model("fim.complete_async", is_async=True),
            model("fim.stream", streaming=True),
            model("agents.complete", tools_kw=_TOOLS),
            model("agents.complete_async", tools_kw=_TOOLS, is_async=True),
            model("agents.stream", tools_kw=_TOOLS, streaming=True),
            # Conversations (Agents) API: the server runs the agent's tool loop
            model("beta.conversations.start", kind="framework_run", tools_kw=_TOOLS),
            model(
                "beta.conversations.start_async",
                kind="framework_run",
                tools_kw=_TOOLS,
                is_async=True,
            ),
            model("beta.conversations.append", kind="framework_run"),
            model("beta.conversations.append_async", kind="framework_run", is_async=True),
            model("beta.conversations.start_stream", kind="framework_run", streaming=True),
            model(
                "beta.conversations.start_stream_async",
                kind="framework_run",
                streaming=True,
                is_async=True,
            ),
            model("beta.conversations.append_stream", kind="framework_run", streaming=True),
            # RunContext helpers: the SDK runs local functions the model calls, in a loop
            model(
                "beta.conversations.run_async",
                kind="framework_run",
                tools_kw=_TOOLS,
                is_async=True,
            ),
            model(
                "beta.conversations.run_stream_async",
                kind="framework_run",
                tools_kw=_TOOLS,
                streaming=True,
                is_async=True,
            ),
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
        "mistralai.Mistral.embeddings.create_async",
        "mistralai.Mistral.classifiers.moderate",
        "mistralai.Mistral.files.upload",
        "mistralai.Mistral.ocr.process",
        "mistralai.Mistral.beta.agents.create",
        "mistralai.Mistral.beta.agents.update",
        "mistralai.Mistral.beta.libraries.create",
        "mistralai.Mistral.models.list",
        "mistralai.MistralClient.embeddings",
    ),
)
