"""together: the Together AI SDK (`Together`, `AsyncTogether`), OpenAI-shaped.

`client.chat.completions.create(...)`, `client.completions.create(...)`; the v0 module
API `together.Complete.create(...)` (together < 1.0, unverified).
"""

from analyzer.knowledge.entries._shapes import OPENAI_CHAT, client_wrappers, wrapped
from analyzer.knowledge.spec import Entry, ModelCall, TypeDecl, on

_SYNC = ("together.Together",)
_ASYNC = ("together.AsyncTogether",)

ENTRY = Entry(
    key="together",
    title="Together AI Python SDK",
    roots=("together",),
    packages=("together",),
    aliases=(
        ("together.client", "together"),
        ("together.Client", "together.Together"),
        ("together.AsyncClient", "together.AsyncTogether"),
    ),
    types=(TypeDecl("together.Together"), TypeDecl("together.AsyncTogether", is_async=True)),
    attributes=client_wrappers(_SYNC + _ASYNC),
    model_calls=on("together", _SYNC, _ASYNC, wrapped("together", OPENAI_CHAT))
    + (
        ModelCall(
            "together.Complete.create",
            "together.Complete.create",
            note="together < 1.0 module-level API (unverified)",
        ),
    ),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _SYNC + _ASYNC
        for p in (
            "embeddings.create",
            "images.generate",
            "models.list",
            "files.upload",
            "fine_tuning.create",
            "rerank.create",
            "audio.speech.create",
        )
    ),
)
