"""groq: the OpenAI-shaped Groq SDK (`Groq`, `AsyncGroq`), Stainless-generated.

`client.chat.completions.create(...)` with the raw/streaming-response wrappers; retries as
the other Stainless clients (`max_retries=2`, groq-python `_constants.py`, unverified
version).
"""

from analyzer.knowledge.entries._shapes import OPENAI_CHAT, client_copies, client_wrappers, wrapped
from analyzer.knowledge.spec import Entry, RetrySpec, TypeDecl, on

_SYNC = ("groq.Groq",)
_ASYNC = ("groq.AsyncGroq",)

ENTRY = Entry(
    key="groq",
    title="Groq Python SDK",
    roots=("groq",),
    packages=("groq",),
    aliases=(
        ("groq._client", "groq"),
        ("groq.Client", "groq.Groq"),
        ("groq.AsyncClient", "groq.AsyncGroq"),
    ),
    types=(TypeDecl("groq.Groq"), TypeDecl("groq.AsyncGroq", is_async=True)),
    attributes=client_wrappers(_SYNC + _ASYNC),
    results=client_copies(_SYNC + _ASYNC),
    model_calls=on("groq", _SYNC, _ASYNC, wrapped("groq", OPENAI_CHAT[:1])),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _SYNC + _ASYNC
        for p in (
            "audio.transcriptions.create",
            "audio.translations.create",
            "audio.speech.create",
            "embeddings.create",
            "models.list",
            "batches.create",
            "files.create",
        )
    ),
    retries=tuple(
        RetrySpec(
            t,
            library="groq",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="Stainless client default: 2 retries (unverified for groq)",
        )
        for t in _SYNC + _ASYNC
    ),
)
