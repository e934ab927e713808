"""cohere: Client/ClientV2 (and async) `chat`, `chat_stream`, legacy `generate`."""

from analyzer.knowledge.spec import Entry, TypeDecl, model, on

_TYPES = ("cohere.Client", "cohere.ClientV2")
_ATYPES = ("cohere.AsyncClient", "cohere.AsyncClientV2")

ENTRY = Entry(
    key="cohere",
    title="Cohere Python SDK",
    roots=("cohere",),
    packages=("cohere",),
    aliases=(
        ("cohere.client.Client", "cohere.Client"),
        ("cohere.client_v2.ClientV2", "cohere.ClientV2"),
        ("cohere.client.AsyncClient", "cohere.AsyncClient"),
        ("cohere.client_v2.AsyncClientV2", "cohere.AsyncClientV2"),
    ),
    types=tuple(TypeDecl(t) for t in _TYPES) + tuple(TypeDecl(t, is_async=True) for t in _ATYPES),
    model_calls=on(
        "cohere",
        _TYPES,
        _ATYPES,
        (
            model("chat", tools_kw=("tools",)),
            model("chat_stream", tools_kw=("tools",), streaming=True),
            model("generate", note="legacy generate endpoint"),
            model("generate_stream", streaming=True, note="legacy generate endpoint"),
        ),
    ),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _TYPES + _ATYPES
        for p in ("embed", "rerank", "tokenize", "detokenize", "classify")
    ),
    notes=("rerank scores documents with a ranking model, not a language model call.",),
)
