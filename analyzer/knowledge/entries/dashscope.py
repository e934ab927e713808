"""dashscope (Alibaba Cloud Model Studio, Qwen): `Generation.call(model=..., messages=...)`,
`MultiModalConversation.call(...)`, `Application.call(...)` (an app/agent run on the
server); `TextEmbedding.call` is no LLM call. Async: `AioGeneration.call`. (API as
documented, unverified against a given version.)"""

from analyzer.knowledge.spec import Entry, ModelCall

_D = "dashscope"


def _call(cls: str, is_async: bool = False, **kw: object) -> ModelCall:
    return ModelCall(
        f"{_D}.{cls}.call",
        f"dashscope.{cls}.call",
        is_async=is_async,
        tools_kw=("tools",),
        stream_kw="stream",
        **kw,  # type: ignore[arg-type]
    )


ENTRY = Entry(
    key="dashscope",
    title="DashScope (Alibaba Cloud Qwen SDK)",
    roots=(_D,),
    packages=("dashscope",),
    aliases=(
        (f"{_D}.aigc.generation.Generation", f"{_D}.Generation"),
        (
            f"{_D}.aigc.multimodal_conversation.MultiModalConversation",
            f"{_D}.MultiModalConversation",
        ),
    ),
    model_calls=(
        _call("Generation"),
        _call("AioGeneration", is_async=True),
        _call("MultiModalConversation"),
        _call("Application", kind="framework_run", note="runs a Model Studio app or agent"),
    ),
    not_model_calls=(f"{_D}.TextEmbedding.call", f"{_D}.ImageSynthesis.call"),
)
