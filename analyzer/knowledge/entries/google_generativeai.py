"""google.generativeai (the older Gemini SDK): GenerativeModel and ChatSession."""

from analyzer.knowledge.spec import Entry, ModelCall, ResultRule, TypeDecl, model, on

_G = "google.generativeai"

ENTRY = Entry(
    key="google_generativeai",
    title="Google Generative AI SDK (google-generativeai, legacy)",
    roots=("google",),
    modules=("google.generativeai",),
    packages=("google-generativeai",),
    aliases=(
        ("google.generativeai.generative_models.GenerativeModel", f"{_G}.GenerativeModel"),
        ("google.generativeai.generative_models.ChatSession", f"{_G}.ChatSession"),
    ),
    types=(TypeDecl(f"{_G}.GenerativeModel"), TypeDecl(f"{_G}.ChatSession")),
    results=(ResultRule(f"{_G}.GenerativeModel.start_chat", f"{_G}.ChatSession"),),
    model_calls=on(
        "google_generativeai",
        (f"{_G}.GenerativeModel",),
        (),
        (
            model("generate_content", tools_kw=("tools",), stream_kw="stream"),
            model("generate_content_async", tools_kw=("tools",), stream_kw="stream", is_async=True),
        ),
    )
    + on(
        "google_generativeai",
        (f"{_G}.ChatSession",),
        (),
        (
            model("send_message", tools_kw=("tools",), stream_kw="stream"),
            model("send_message_async", tools_kw=("tools",), stream_kw="stream", is_async=True),
        ),
        role="chat",
    )
    # the PaLM-era module functions (google-generativeai < 0.4)
    + (
        ModelCall(f"{_G}.generate_text", "google_generativeai.generate_text"),
        ModelCall(f"{_G}.chat", "google_generativeai.chat"),
        ModelCall(f"{_G}.chat_async", "google_generativeai.chat_async", is_async=True),
    ),
    not_model_calls=(
        f"{_G}.generate_embeddings",
        f"{_G}.embed_content",
        f"{_G}.list_models",
        f"{_G}.configure",
        f"{_G}.GenerativeModel.count_tokens",
    ),
)
