"""openai: chat completions, responses, Assistants runs, legacy completions (v1+) and the
v0 module API, with the raw/streaming-response wrappers of every request method.

Checked against openai-python 1.x/2.x: `client.with_raw_response` and
`client.<resource>.with_raw_response` / `.with_streaming_response` wrap the same request
methods (`_client.py`, `resources/*`); `beta.threads.runs.*_and_poll` and
`beta.threads.create_and_run*` start Assistants runs that generate.
"""

from analyzer.knowledge.entries._shapes import client_copies, client_wrappers, wrapped
from analyzer.knowledge.spec import Entry, EnvSwitch, ModelCall, RetrySpec, TypeDecl, model, on

_SYNC = ("openai.OpenAI",)
_ASYNC = ("openai.AsyncOpenAI",)
_TOOLS = ("tools", "functions")

#: request methods that make the model generate (paths after the client)
_REQUESTS = (
    model("chat.completions.create", tools_kw=_TOOLS, stream_kw="stream"),
    model("chat.completions.parse", tools_kw=_TOOLS, structured_kw="response_format"),
    model("chat.completions.stream", tools_kw=_TOOLS, streaming=True),
    model("beta.chat.completions.parse", tools_kw=_TOOLS, structured_kw="response_format"),
    model("beta.chat.completions.stream", tools_kw=_TOOLS, streaming=True),
    model("responses.create", tools_kw=("tools",), stream_kw="stream"),
    model("responses.parse", tools_kw=("tools",), structured_kw="text_format"),
    model("responses.stream", tools_kw=("tools",), streaming=True),
    model("completions.create", stream_kw="stream", note="legacy completions"),
    # Assistants API: each run makes the assistant generate (and call its tools);
    # polling `runs.retrieve` is no request to the model
    model("beta.threads.runs.create", tools_kw=("tools",), stream_kw="stream"),
    model("beta.threads.runs.create_and_poll", tools_kw=("tools",)),
    model("beta.threads.runs.create_and_stream", tools_kw=("tools",), streaming=True),
    model("beta.threads.runs.stream", tools_kw=("tools",), streaming=True),
    model("beta.threads.runs.submit_tool_outputs", stream_kw="stream"),
    model("beta.threads.runs.submit_tool_outputs_and_poll"),
    model("beta.threads.runs.submit_tool_outputs_stream", streaming=True),
    model("beta.threads.create_and_run", tools_kw=("tools",), stream_kw="stream"),
    model("beta.threads.create_and_run_poll", tools_kw=("tools",)),
    model("beta.threads.create_and_run_stream", tools_kw=("tools",), streaming=True),
)


def _v0(path: str, is_async: bool = False) -> ModelCall:
    return ModelCall(
        callee=f"openai.{path}",
        api=f"openai.{path}",
        is_async=is_async,
        tools_kw=_TOOLS,
        stream_kw="stream",
        note="openai < 1.0 module-level API",
    )


_NOT_CALLS = (
    "embeddings.create",
    "models.list",
    "models.retrieve",
    "moderations.create",
    "files.create",
    "files.list",
    "files.retrieve",
    "files.content",
    "batches.create",
    "batches.retrieve",
    "batches.list",
    "images.generate",
    "images.edit",
    "audio.transcriptions.create",
    "audio.translations.create",
    "audio.speech.create",
    "beta.assistants.create",
    "beta.assistants.update",
    "beta.assistants.retrieve",
    "beta.threads.create",
    "beta.threads.retrieve",
    "beta.threads.messages.create",
    "beta.threads.messages.list",
    "beta.threads.runs.retrieve",
    "beta.threads.runs.list",
    "beta.threads.runs.cancel",
    "beta.threads.runs.poll",
    "beta.threads.runs.steps.list",
    "responses.retrieve",
    "responses.input_items.list",
    "vector_stores.create",
)

ENTRY = Entry(
    key="openai",
    title="OpenAI Python SDK",
    roots=("openai",),
    packages=("openai",),
    aliases=(
        ("openai._client", "openai"),
        ("openai.Client", "openai.OpenAI"),
        ("openai.AsyncClient", "openai.AsyncOpenAI"),
        ("openai.lib.azure", "openai"),
    ),
    types=(
        # openai >= 1 also has a module-level default client: `openai.chat.completions.create`
        TypeDecl("openai", same_as="openai.OpenAI"),
        TypeDecl("openai.OpenAI"),
        TypeDecl("openai.AsyncOpenAI", is_async=True),
        TypeDecl("openai.AzureOpenAI", same_as="openai.OpenAI"),
        TypeDecl("openai.AsyncAzureOpenAI", same_as="openai.AsyncOpenAI"),
    ),
    # `client.with_raw_response.chat.completions.create(...)`: the same resources
    attributes=client_wrappers(_SYNC + _ASYNC),
    results=client_copies(_SYNC + _ASYNC),
    model_calls=on("openai", _SYNC, _ASYNC, wrapped("openai", _REQUESTS))
    + (
        _v0("ChatCompletion.create"),
        _v0("ChatCompletion.acreate", is_async=True),
        _v0("Completion.create"),
        _v0("Completion.acreate", is_async=True),
    ),
    not_model_calls=tuple(f"{t}.{p}" for t in _SYNC + _ASYNC for p in _NOT_CALLS)
    + ("openai.Embedding.create", "openai.Moderation.create", "openai.Image.create"),
    retries=tuple(
        RetrySpec(
            f"{t}{suffix}",
            library="openai",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="SDK default: 2 retries (3 HTTP attempts), timeout 600 s",
        )
        for t in _SYNC + _ASYNC + ("openai.AzureOpenAI", "openai.AsyncAzureOpenAI")
        for suffix in ("", ".with_options")
    ),
    env=(EnvSwitch("OPENAI_LOG", library="openai", enables=True, truthy=("debug", "info")),),
    notes=(
        "Embeddings, moderation, images, audio, files and batches are not LLM calls: "
        "`batches.create` submits requests kept in an uploaded file (they may be "
        "embeddings), unlike anthropic's `messages.batches.create`, which carries them.",
        "Raw/streaming-response wrappers (`client.with_raw_response.X`, "
        "`client.X.with_raw_response.create`) keep the wrapped request's label.",
        "Assistants API: runs (create, create_and_poll, stream, submit_tool_outputs*, "
        "threads.create_and_run*) generate; runs.retrieve/poll only read the run's status.",
    ),
)
