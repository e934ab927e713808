"""azure-ai-inference: `ChatCompletionsClient.complete(...)` (Azure AI Foundry / GitHub
Models), sync and `azure.ai.inference.aio`; `EmbeddingsClient.embed` is no LLM call.
(API as documented for azure-ai-inference 1.0.0b*, unverified against a given version.)"""

from analyzer.knowledge.spec import Entry, ResultRule, TypeDecl, model, on

_AI = "azure.ai.inference"
_SYNC = (f"{_AI}.ChatCompletionsClient",)
_ASYNC = (f"{_AI}.aio.ChatCompletionsClient",)

ENTRY = Entry(
    key="azure_ai_inference",
    title="Azure AI Inference SDK (azure-ai-inference)",
    roots=("azure",),
    modules=(_AI,),
    packages=("azure-ai-inference",),
    aliases=(
        (f"{_AI}._patch.ChatCompletionsClient", f"{_AI}.ChatCompletionsClient"),
        (f"{_AI}.aio._patch.ChatCompletionsClient", f"{_AI}.aio.ChatCompletionsClient"),
    ),
    types=(
        TypeDecl(f"{_AI}.ChatCompletionsClient"),
        TypeDecl(f"{_AI}.aio.ChatCompletionsClient", is_async=True),
        TypeDecl(f"{_AI}.EmbeddingsClient"),
    ),
    results=(ResultRule(f"{_AI}.load_client", f"{_AI}.ChatCompletionsClient"),),
    model_calls=on(
        "azure_ai_inference",
        _SYNC,
        _ASYNC,
        (model("complete", tools_kw=("tools",), stream_kw="stream"),),
    ),
    not_model_calls=(
        f"{_AI}.EmbeddingsClient.embed",
        f"{_AI}.ChatCompletionsClient.get_model_info",
    ),
    notes=("Label: azure_ai_inference.complete.",),
)
