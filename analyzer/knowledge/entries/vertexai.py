"""vertexai (google-cloud-aiplatform's Vertex AI SDK): GenerativeModel, ChatSession and the
older PaLM-era language_models.

`vertexai.generative_models.GenerativeModel(model).generate_content(contents, stream=...)`
and `.start_chat().send_message(...)` (also under `vertexai.preview.generative_models`);
`language_models.TextGenerationModel.from_pretrained(...).predict(...)` and
`ChatModel.from_pretrained(...).start_chat().send_message(...)` (deprecated, still seen).
Agent Engine (docs for google-cloud-aiplatform 1.119.0, cloud.google.com
vertexai.agent_engines.AdkApp): `agent_engines.get(resource)` / `agent_engines.create(...)`
(also `vertexai.Client(...).agent_engines.get(name=...)`) return a deployed `AgentEngine`
whose `stream_query` / `async_stream_query` / `query` run the agent on the server;
`AdkApp(agent=...)` runs an ADK agent locally with the same methods.
"""

from analyzer.knowledge.spec import Entry, ResultRule, TypeDecl, model, on

_GM = "vertexai.generative_models"
_AE = "vertexai.agent_engines.AgentEngine"
_LM = "vertexai.language_models"
_TOOLS = ("tools",)

ENTRY = Entry(
    key="vertexai",
    title="Vertex AI SDK (vertexai, google-cloud-aiplatform)",
    roots=("vertexai",),
    packages=("google-cloud-aiplatform", "vertexai"),
    aliases=(
        ("vertexai.preview.generative_models", _GM),
        ("vertexai.generative_models._generative_models", _GM),
        ("vertexai.preview.language_models", _LM),
        ("vertexai.preview.reasoning_engines.AdkApp", "vertexai.agent_engines.AdkApp"),
        ("vertexai.preview.reasoning_engines", "vertexai.agent_engines"),
    ),
    types=(
        TypeDecl(f"{_GM}.GenerativeModel"),
        TypeDecl(f"{_GM}.ChatSession"),
        TypeDecl(f"{_LM}.TextGenerationModel"),
        TypeDecl(f"{_LM}.ChatModel"),
        TypeDecl(f"{_LM}.CodeGenerationModel"),
        TypeDecl(f"{_LM}.ChatSession"),
        TypeDecl(_AE),
        TypeDecl("vertexai.agent_engines.AdkApp", bases=(_AE,)),
        TypeDecl("vertexai.Client"),
        TypeDecl("vertexai.AgentEngines"),
    ),
    attributes=(("vertexai.Client", "agent_engines", "vertexai.AgentEngines"),),
    results=(
        ResultRule(f"{_GM}.GenerativeModel.start_chat", f"{_GM}.ChatSession"),
        ResultRule(f"{_LM}.TextGenerationModel.from_pretrained", f"{_LM}.TextGenerationModel"),
        ResultRule(f"{_LM}.CodeGenerationModel.from_pretrained", f"{_LM}.CodeGenerationModel"),
        ResultRule(f"{_LM}.ChatModel.from_pretrained", f"{_LM}.ChatModel"),
        ResultRule(f"{_LM}.ChatModel.start_chat", f"{_LM}.ChatSession"),
    )
    + tuple(
        ResultRule(f"{owner}.{m}", _AE)
        for owner in ("vertexai.agent_engines", "vertexai.AgentEngines")
        for m in ("get", "create", "update")
    ),
    model_calls=on(
        "vertexai",
        (f"{_GM}.GenerativeModel",),
        (),
        (
            model("generate_content", tools_kw=_TOOLS, stream_kw="stream"),
            model("generate_content_async", tools_kw=_TOOLS, stream_kw="stream", is_async=True),
        ),
        role="generative_model",
    )
    + on(
        "vertexai",
        (f"{_GM}.ChatSession",),
        (),
        (
            model("send_message", tools_kw=_TOOLS, stream_kw="stream"),
            model("send_message_async", tools_kw=_TOOLS, stream_kw="stream", is_async=True),
        ),
        role="chat",
    )
    + on(
        "vertexai",
        (f"{_LM}.TextGenerationModel", f"{_LM}.CodeGenerationModel"),
        (),
        (
            model("predict"),
            model("predict_async", is_async=True),
            model("predict_streaming", streaming=True),
        ),
        role="text_model",
    )
    + on(
        "vertexai",
        (f"{_LM}.ChatSession",),
        (),
        (
            model("send_message"),
            model("send_message_async", is_async=True),
            model("send_message_streaming", streaming=True),
        ),
        role="chat",
    )
    + on(
        "vertexai",
        (_AE,),
        (),
        (
            model("stream_query", kind="framework_run", tools_bound=True, streaming=True),
            model(
                "async_stream_query",
                kind="framework_run",
                tools_bound=True,
                streaming=True,
                is_async=True,
            ),
            model("query", kind="framework_run", tools_bound=True),
            model("async_query", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="agent_engine",
    ),
    not_model_calls=(
        "vertexai.init",
        f"{_AE}.create_session",
        f"{_AE}.delete",
        "vertexai.agent_engines.list",
        "vertexai.agent_engines.delete",
        f"{_GM}.GenerativeModel.count_tokens",
        f"{_GM}.GenerativeModel.count_tokens_async",
        "vertexai.language_models.TextEmbeddingModel.get_embeddings",
    ),
    notes=(
        "Labels: vertexai.generative_model.generate_content, vertexai.chat.send_message, "
        "vertexai.text_model.predict.",
    ),
)
