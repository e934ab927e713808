"""fireworks: Fireworks AI SDKs, all OpenAI-shaped.

- `fireworks.client.Fireworks()` / `AsyncFireworks()` (fireworks-ai < 0.15):
  `client.chat.completions.create(...)` (async: `acreate`), and the module-level
  `fireworks.client.ChatCompletion.create(...)` / `Completion.create(...)`.
- `fireworks.LLM(model=...)` (fireworks-ai >= 0.15 "build SDK"):
  `llm.chat.completions.create(...)` (unverified exact version).
"""

from analyzer.knowledge.spec import Entry, ModelCall, TypeDecl, model, on

_LEGACY = ("fireworks.client.Fireworks",)
_ALEGACY = ("fireworks.client.AsyncFireworks",)
_TOOLS = ("tools", "functions")


def _module(path: str, is_async: bool = False) -> ModelCall:
    return ModelCall(
        f"fireworks.client.{path}",
        f"fireworks.{path}",
        is_async=is_async,
        tools_kw=_TOOLS,
        stream_kw="stream",
        note="fireworks.client module-level API",
    )


ENTRY = Entry(
    key="fireworks",
    title="Fireworks AI Python SDK",
    roots=("fireworks",),
    packages=("fireworks-ai",),
    aliases=(("fireworks.llm.LLM", "fireworks.LLM"),),
    types=(
        TypeDecl("fireworks.client.Fireworks"),
        TypeDecl("fireworks.client.AsyncFireworks", is_async=True),
        TypeDecl("fireworks.LLM"),
        TypeDecl("fireworks.Fireworks", same_as="fireworks.client.Fireworks"),
        TypeDecl("fireworks.AsyncFireworks", same_as="fireworks.client.AsyncFireworks"),
    ),
    model_calls=on(
        "fireworks",
        _LEGACY + ("fireworks.LLM",),
        _ALEGACY,
        (
            model("chat.completions.create", tools_kw=_TOOLS, stream_kw="stream"),
            model("completions.create", stream_kw="stream"),
        ),
    )
    + on(
        "fireworks",
        _LEGACY + _ALEGACY + ("fireworks.LLM",),
        (),
        (
            model("chat.completions.acreate", tools_kw=_TOOLS, stream_kw="stream", is_async=True),
            model("completions.acreate", stream_kw="stream", is_async=True),
        ),
    )
    + (
        _module("ChatCompletion.create"),
        _module("ChatCompletion.acreate", is_async=True),
        _module("Completion.create"),
        _module("Completion.acreate", is_async=True),
    ),
    not_model_calls=(
        "fireworks.client.Fireworks.embeddings.create",
        "fireworks.client.Embedding.create",
        "fireworks.LLM.apply",
        "fireworks.LLM.create_supervised_fine_tuning_job",
    ),
)
