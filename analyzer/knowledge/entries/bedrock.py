"""boto3 bedrock-runtime: invoke_model, converse and their streaming forms."""

from analyzer.knowledge.spec import ArgIs, Entry, ModelCall, ResultRule, TypeDecl, model, on

_RT = "boto3.bedrock_runtime"
_AGENT_RT = "boto3.bedrock_agent_runtime"
#: aioboto3: `async with aioboto3.Session().client("bedrock-runtime") as rt`
_ART = "aioboto3.bedrock_runtime"


def _service(
    name: str, type_: str, callees: tuple[str, ...] = ("boto3.client", "boto3.Session.client")
) -> tuple[ResultRule, ...]:
    return tuple(ResultRule(c, type_, (ArgIs(name, pos=0, kw="service_name"),)) for c in callees)


ENTRY = Entry(
    key="bedrock",
    title="Amazon Bedrock via boto3 (bedrock-runtime)",
    roots=("boto3", "aioboto3"),
    packages=("boto3", "aioboto3"),
    aliases=(
        ("boto3.session.Session", "boto3.Session"),
        ("aioboto3.session.Session", "aioboto3.Session"),
    ),
    types=(
        TypeDecl("boto3.Session"),
        TypeDecl(_RT),
        TypeDecl(_AGENT_RT),
        TypeDecl("aioboto3.Session"),
        TypeDecl(_ART, is_async=True),
    ),
    results=_service("bedrock-runtime", _RT)
    + _service("bedrock-agent-runtime", _AGENT_RT)
    + _service("bedrock-runtime", _ART, ("aioboto3.Session.client",)),
    model_calls=on(
        "bedrock_runtime",
        (_RT,),
        (_ART,),
        (
            model("invoke_model"),
            model("invoke_model_with_response_stream", streaming=True),
            model("converse", tools_kw=("toolConfig",)),
            model("converse_stream", tools_kw=("toolConfig",), streaming=True),
        ),
    )
    + (
        ModelCall(
            f"{_AGENT_RT}.invoke_agent",
            "bedrock_agent_runtime.invoke_agent",
            provider="bedrock_agent_runtime",
            kind="framework_run",
            tools_bound=True,
            note="runs a managed Bedrock agent (its loop runs server-side)",
        ),
        ModelCall(
            f"{_AGENT_RT}.retrieve_and_generate",
            "bedrock_agent_runtime.retrieve_and_generate",
            provider="bedrock_agent_runtime",
        ),
    ),
    not_model_calls=(f"{_AGENT_RT}.retrieve",),
    notes=("boto3.client('s3') and other services get no type: unknown to the analyzer.",),
)
