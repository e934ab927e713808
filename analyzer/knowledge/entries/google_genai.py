"""google-genai (`from google import genai`): Client.models, Client.chats and Client.aio."""

from analyzer.knowledge.spec import Entry, ResultRule, TypeDecl, model, on

_G = "google.genai"
_GEN = (
    model(
        "generate_content",
        tools_kw=("tools",),
        note="tools ride in config=GenerateContentConfig(tools=...)",
    ),
    model("generate_content_stream", tools_kw=("tools",), streaming=True),
)
_CHAT = (
    model("send_message"),
    model("send_message_stream", streaming=True),
)

ENTRY = Entry(
    key="google_genai",
    title="Google Gen AI SDK (google-genai)",
    roots=("google",),
    modules=("google.genai",),
    packages=("google-genai",),
    aliases=(
        ("google.genai.client.Client", f"{_G}.Client"),
        ("google.genai.client.AsyncClient", f"{_G}.AsyncClient"),
        ("google.genai.models.Models", f"{_G}.Models"),
        ("google.genai.models.AsyncModels", f"{_G}.AsyncModels"),
        ("google.genai.chats.Chats", f"{_G}.Chats"),
        ("google.genai.chats.AsyncChats", f"{_G}.AsyncChats"),
        ("google.genai.chats.Chat", f"{_G}.Chat"),
        ("google.genai.chats.AsyncChat", f"{_G}.AsyncChat"),
    ),
    types=(
        TypeDecl(f"{_G}.Client"),
        TypeDecl(f"{_G}.AsyncClient", is_async=True),
        TypeDecl(f"{_G}.Models"),
        TypeDecl(f"{_G}.AsyncModels", is_async=True),
        TypeDecl(f"{_G}.Chats"),
        TypeDecl(f"{_G}.AsyncChats", is_async=True),
        TypeDecl(f"{_G}.Chat"),
        TypeDecl(f"{_G}.AsyncChat", is_async=True),
    ),
    attributes=(
        (f"{_G}.Client", "models", f"{_G}.Models"),
        (f"{_G}.Client", "chats", f"{_G}.Chats"),
        (f"{_G}.Client", "aio", f"{_G}.AsyncClient"),
        (f"{_G}.AsyncClient", "models", f"{_G}.AsyncModels"),
        (f"{_G}.AsyncClient", "chats", f"{_G}.AsyncChats"),
    ),
    results=(
        ResultRule(f"{_G}.Chats.create", f"{_G}.Chat"),
        ResultRule(f"{_G}.AsyncChats.create", f"{_G}.AsyncChat"),
    ),
    model_calls=on("google_genai", (f"{_G}.Models",), (f"{_G}.AsyncModels",), _GEN, role="models")
    + on("google_genai", (f"{_G}.Chat",), (f"{_G}.AsyncChat",), _CHAT, role="chat"),
    not_model_calls=tuple(
        f"{_G}.{m}.{p}"
        for m in ("Models", "AsyncModels")
        for p in (
            "embed_content",
            "count_tokens",
            "list",
            "get",
            "generate_images",
            "compute_tokens",
        )
    ),
    notes=("Labels: google_genai.models.<method> and google_genai.chat.<method>.",),
)
