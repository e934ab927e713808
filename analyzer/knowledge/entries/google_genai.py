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
# the Interactions API (google-genai >= 1.5x, unverified version): `client.interactions.create(
# model=... | agent=..., input=...)` generates (possibly in the background); `.get(id)` polls
_INTERACTIONS = (model("create", tools_kw=("tools",), stream_kw="stream"),)

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
        TypeDecl(f"{_G}.Interactions"),
        TypeDecl(f"{_G}.AsyncLive", is_async=True),
        TypeDecl(f"{_G}.Batches"),
        TypeDecl(f"{_G}.AsyncBatches", is_async=True),
        TypeDecl(f"{_G}.AsyncInteractions", is_async=True),
    ),
    attributes=(
        (f"{_G}.Client", "models", f"{_G}.Models"),
        (f"{_G}.Client", "chats", f"{_G}.Chats"),
        (f"{_G}.Client", "aio", f"{_G}.AsyncClient"),
        (f"{_G}.AsyncClient", "models", f"{_G}.AsyncModels"),
        (f"{_G}.AsyncClient", "chats", f"{_G}.AsyncChats"),
        (f"{_G}.Client", "interactions", f"{_G}.Interactions"),
        (f"{_G}.AsyncClient", "live", f"{_G}.AsyncLive"),
        (f"{_G}.Client", "batches", f"{_G}.Batches"),
        (f"{_G}.AsyncClient", "batches", f"{_G}.AsyncBatches"),
        (f"{_G}.AsyncClient", "interactions", f"{_G}.AsyncInteractions"),
    ),
    results=(
        ResultRule(f"{_G}.Chats.create", f"{_G}.Chat"),
        ResultRule(f"{_G}.AsyncChats.create", f"{_G}.AsyncChat"),
    ),
    model_calls=on("google_genai", (f"{_G}.Models",), (f"{_G}.AsyncModels",), _GEN, role="models")
    + on("google_genai", (f"{_G}.Chat",), (f"{_G}.AsyncChat",), _CHAT, role="chat")
    + on(
        "google_genai",
        (f"{_G}.Interactions",),
        (f"{_G}.AsyncInteractions",),
        _INTERACTIONS,
        role="interactions",
    )
    # the Live API: `async with client.aio.live.connect(model=..., config=...) as session`
    # opens a realtime session in which the model answers what is sent
    + on(
        "google_genai",
        (),
        (f"{_G}.AsyncLive",),
        (model("connect", tools_kw=("tools",), streaming=True),),
        role="live",
    )
    # batch jobs with inline requests (`src=[{"contents": ...}]`), run offline
    + on(
        "google_genai",
        (f"{_G}.Batches",),
        (f"{_G}.AsyncBatches",),
        (model("create", note="a batch of generate_content requests"),),
        role="batches",
    ),
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
            "generate_videos",
            "edit_image",
            "upscale_image",
        )
    )
    + tuple(
        f"{_G}.{i}.{p}"
        for i in ("Interactions", "AsyncInteractions")
        for p in ("get", "delete", "cancel")
    )
    + tuple(
        f"{_G}.{b}.{p}" for b in ("Batches", "AsyncBatches") for p in ("get", "list", "cancel")
    ),
    notes=(
        "Labels: google_genai.models.<method>, google_genai.chat.<method>, "
        "google_genai.interactions.create.",
        "`client.chats.create(...)` builds a local chat session (no request); its "
        "send_message is the call.",
    ),
)
