"""Letta (formerly MemGPT): the `letta_client` SDK talking to a Letta server.

Read in letta-client 1.12.1 (letta-ai/letta-python @ db2d9374, Stainless-generated):
`src/letta_client/_client.py` `Letta`/`AsyncLetta` (`max_retries=DEFAULT_MAX_RETRIES` = 2,
`_constants.py`); `resources/agents/messages.py`: `create(agent_id, messages=...,
max_steps=omit, ...)`, `create_async`, `stream`, plus `list/cancel/reset` (no generation).
The agent's loop (model calls and tool runs) executes on the server: `max_steps` bounds
it; the server's default (50 in letta's constants) is unverified here.
"""

from analyzer.knowledge.entries._shapes import client_copies, client_wrappers, wrapped
from analyzer.knowledge.spec import Bound, Construct, Entry, RetrySpec, TypeDecl, model, on

_SYNC = ("letta_client.Letta",)
_ASYNC = ("letta_client.AsyncLetta",)
_STEPS = Bound("max_steps", 50, where="run", unit="steps", package="letta")
_NOTE = "Letta agent runs on the server: max_steps bounds them (server default 50, unverified)"

_REQUESTS = (
    model("agents.messages.create", kind="framework_run", tools_bound=True, stream_kw="streaming"),
    model("agents.messages.create_async", kind="framework_run", tools_bound=True),
    model("agents.messages.stream", kind="framework_run", tools_bound=True, streaming=True),
    model(
        "agents.messages.create_stream",
        kind="framework_run",
        tools_bound=True,
        streaming=True,
        note="letta-client < 1.0",
    ),
)

ENTRY = Entry(
    key="letta",
    title="Letta (letta-client)",
    roots=("letta_client", "letta"),
    packages=("letta-client", "letta"),
    aliases=(
        ("letta_client._client", "letta_client"),
        ("letta_client.client.Letta", "letta_client.Letta"),
        ("letta.Letta", "letta_client.Letta"),
    ),
    types=(TypeDecl("letta_client.Letta"), TypeDecl("letta_client.AsyncLetta", is_async=True)),
    attributes=client_wrappers(_SYNC + _ASYNC),
    results=client_copies(_SYNC + _ASYNC),
    model_calls=on("letta", _SYNC, _ASYNC, wrapped("letta", _REQUESTS)),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _SYNC + _ASYNC
        for p in (
            "agents.create",
            "agents.list",
            "agents.retrieve",
            "agents.messages.list",
            "agents.messages.cancel",
            "agents.messages.reset",
            "tools.create",
            "tools.upsert_from_function",
        )
    ),
    # each message run is the server-side agent's loop (model calls and tool runs)
    constructs=tuple(
        Construct(
            f"{t}.agents.messages.{m}",
            kind="agent",
            agentic=True,
            bounds=(_STEPS,),
            default_bound_note=_NOTE,
        )
        for t in _SYNC + _ASYNC
        for m in ("create", "create_async", "stream", "create_stream")
    ),
    retries=tuple(
        RetrySpec(
            t,
            library="letta",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="letta-client DEFAULT_MAX_RETRIES = 2 (_constants.py)",
        )
        for t in _SYNC + _ASYNC
    ),
    notes=(
        "Source: letta-client 1.12.1, letta-ai/letta-python@db2d9374, src/letta_client/; server default max_steps unverified.",
        "Labels: letta.agents.messages.create, letta.agents.messages.stream.",
    ),
)
