"""ollama: module-level `chat`/`generate` and Client/AsyncClient."""

from analyzer.knowledge.spec import Entry, ModelCall, TypeDecl, model, on

_CALLS = (
    model("chat", tools_kw=("tools",), stream_kw="stream"),
    model("generate", stream_kw="stream"),
)

ENTRY = Entry(
    key="ollama",
    title="Ollama Python library",
    roots=("ollama",),
    packages=("ollama",),
    aliases=(("ollama._client", "ollama"),),
    types=(TypeDecl("ollama.Client"), TypeDecl("ollama.AsyncClient", is_async=True)),
    model_calls=(
        ModelCall("ollama.chat", "ollama.chat", tools_kw=("tools",), stream_kw="stream"),
        ModelCall("ollama.generate", "ollama.generate", stream_kw="stream"),
    )
    + on("ollama", ("ollama.Client",), ("ollama.AsyncClient",), _CALLS),
    not_model_calls=tuple(
        f"{p}.{f}"
        for p in ("ollama", "ollama.Client", "ollama.AsyncClient")
        for f in ("embed", "embeddings", "list", "pull", "show", "ps")
    ),
)
