"""cerebras: the Cerebras Cloud SDK (`from cerebras.cloud.sdk import Cerebras`), Stainless
and OpenAI-shaped: `client.chat.completions.create(...)`, `client.completions.create(...)`."""

from analyzer.knowledge.entries._shapes import OPENAI_CHAT, client_copies, client_wrappers, wrapped
from analyzer.knowledge.spec import Entry, RetrySpec, TypeDecl, on

_C = "cerebras.cloud.sdk"
_SYNC = (f"{_C}.Cerebras",)
_ASYNC = (f"{_C}.AsyncCerebras",)

ENTRY = Entry(
    key="cerebras",
    title="Cerebras Cloud SDK",
    roots=("cerebras",),
    modules=(_C,),
    packages=("cerebras-cloud-sdk",),
    aliases=((f"{_C}._client", _C),),
    types=(TypeDecl(f"{_C}.Cerebras"), TypeDecl(f"{_C}.AsyncCerebras", is_async=True)),
    attributes=client_wrappers(_SYNC + _ASYNC),
    results=client_copies(_SYNC + _ASYNC),
    model_calls=on("cerebras", _SYNC, _ASYNC, wrapped("cerebras", OPENAI_CHAT)),
    not_model_calls=tuple(f"{t}.models.list" for t in _SYNC + _ASYNC),
    retries=tuple(
        RetrySpec(
            t,
            library="cerebras",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="Stainless client default: 2 retries (unverified for cerebras)",
        )
        for t in _SYNC + _ASYNC
    ),
)
