"""anthropic: the Messages API on direct, Bedrock, Vertex, AWS and Foundry clients.

Checked against anthropic-sdk-python: `messages.create/stream/parse`, `beta.messages.*`
(incl. `tool_runner`), `messages.batches.create` (each batch request carries its own
`params` with model and messages), and the Stainless raw/streaming-response wrappers on
every resource and on the client itself.
"""

from analyzer.knowledge.entries._shapes import client_copies, client_wrappers, wrapped
from analyzer.knowledge.spec import (
    Bound,
    Construct,
    Entry,
    RetrySpec,
    TracingSpec,
    TypeDecl,
    model,
    on,
)

_SYNC = ("anthropic.Anthropic",)
_ASYNC = ("anthropic.AsyncAnthropic",)
_TOOLS = ("tools",)

_REQUESTS = (
    model("messages.create", tools_kw=_TOOLS, stream_kw="stream"),
    model("messages.stream", tools_kw=_TOOLS, streaming=True),
    model(
        "messages.parse",
        tools_kw=_TOOLS,
        structured_kw="output_format",
        note="structured outputs helper (unverified outside beta in older SDKs)",
    ),
    model("beta.messages.create", tools_kw=_TOOLS, stream_kw="stream"),
    model("beta.messages.stream", tools_kw=_TOOLS, streaming=True),
    model("beta.messages.parse", tools_kw=_TOOLS, structured_kw="output_format"),
    model(
        "beta.messages.tool_runner",
        kind="framework_run",
        tools_kw=_TOOLS,
        stream_kw="stream",
        note="the SDK's own tool loop: runs the tools the model picks until it stops",
    ),
    model(
        "messages.batches.create",
        note="a batch of Messages requests (each with model and messages), run offline",
    ),
    model("beta.messages.batches.create", note="beta Message Batches"),
    model("completions.create", stream_kw="stream", note="legacy Text Completions API"),
    # Managed Agents (beta): a user.message event sent to a session makes the hosted
    # agent run its loop server-side until end_turn (seen in e2b-cookbook's
    # anthropic-managed-agents example; unverified against the SDK source)
    model("beta.sessions.events.send", kind="framework_run", tools_bound=True),
)

ENTRY = Entry(
    key="anthropic",
    title="Anthropic Python SDK",
    roots=("anthropic",),
    packages=("anthropic",),
    aliases=(
        ("anthropic._client", "anthropic"),
        ("anthropic.Client", "anthropic.Anthropic"),
        ("anthropic.AsyncClient", "anthropic.AsyncAnthropic"),
        ("anthropic.lib.bedrock._client", "anthropic"),
        ("anthropic.lib.bedrock", "anthropic"),
        ("anthropic.lib.vertex._client", "anthropic"),
        ("anthropic.lib.vertex", "anthropic"),
        ("anthropic.lib.aws._client", "anthropic"),
        ("anthropic.lib.aws", "anthropic"),
        ("anthropic.lib.foundry", "anthropic"),
    ),
    types=(
        TypeDecl("anthropic.Anthropic"),
        TypeDecl("anthropic.AsyncAnthropic", is_async=True),
        TypeDecl("anthropic.AnthropicBedrock", same_as="anthropic.Anthropic"),
        TypeDecl("anthropic.AsyncAnthropicBedrock", same_as="anthropic.AsyncAnthropic"),
        TypeDecl("anthropic.AnthropicVertex", same_as="anthropic.Anthropic"),
        TypeDecl("anthropic.AsyncAnthropicVertex", same_as="anthropic.AsyncAnthropic"),
        TypeDecl("anthropic.AnthropicAWS", same_as="anthropic.Anthropic"),
        TypeDecl("anthropic.AsyncAnthropicAWS", same_as="anthropic.AsyncAnthropic"),
        TypeDecl("anthropic.AnthropicFoundry", same_as="anthropic.Anthropic"),
        TypeDecl("anthropic.AsyncAnthropicFoundry", same_as="anthropic.AsyncAnthropic"),
    ),
    attributes=client_wrappers(_SYNC + _ASYNC),
    results=client_copies(_SYNC + _ASYNC),
    model_calls=on("anthropic", _SYNC, _ASYNC, wrapped("anthropic", _REQUESTS)),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _SYNC + _ASYNC
        for p in (
            "messages.count_tokens",
            "beta.messages.count_tokens",
            "models.list",
            "models.retrieve",
            "messages.batches.retrieve",
            "messages.batches.list",
            "messages.batches.results",
            "messages.batches.cancel",
            "beta.messages.batches.retrieve",
            "beta.messages.batches.results",
            "beta.files.upload",
            "beta.files.list",
            "beta.agents.create",
            "beta.sessions.create",
            "beta.sessions.events.stream",
            "beta.sessions.events.list",
            "beta.environments.create",
            "beta.environments.retrieve",
        )
    ),
    constructs=tuple(
        Construct(
            f"{t}.beta.messages.tool_runner",
            kind="runner",
            agentic_params=_TOOLS,
            bounds=(Bound("max_iterations", None, where="run", unit="iterations"),),
            default_bound_note="tool_runner has no iteration limit unless max_iterations is set",
        )
        for t in _SYNC + _ASYNC
    ),
    retries=tuple(
        RetrySpec(
            t,
            library="anthropic",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="SDK default: 2 retries (3 HTTP attempts), timeout 600 s",
        )
        for t in _SYNC + _ASYNC
    )
    + tuple(
        RetrySpec(
            f"{t}.with_options",
            library="anthropic",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
        )
        for t in _SYNC + _ASYNC
    ),
    tracing=(
        TracingSpec(
            "anthropic.Anthropic.messages.create",
            library="anthropic",
            kind="span",
            counts=False,
            note="anthropic >= 2.0 emits a span per call only when a global OpenTelemetry "
            "TracerProvider is configured; the SDK alone records nothing",
        ),
    ),
    notes=(
        "messages.batches.create is a model request: every batch item carries its own "
        "model and messages (results come later through batches.results, no request).",
        "count_tokens and models.* do not generate: not LLM calls.",
        "Raw/streaming-response wrappers keep the wrapped request's label.",
    ),
)
