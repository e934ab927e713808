"""huggingface_hub: `InferenceClient` / `AsyncInferenceClient` (Inference Providers, TGI,
Inference Endpoints).

Generating methods: `chat_completion` (also OpenAI-style `client.chat.completions.create`,
an alias in huggingface_hub >= 0.24), `text_generation`, and the old `conversational`.
Task helpers that run non-generative models (embeddings, classification, images, speech)
are not LLM calls.
"""

from analyzer.knowledge.spec import Entry, TypeDecl, model, on

_HF = "huggingface_hub"
_SYNC = (f"{_HF}.InferenceClient",)
_ASYNC = (f"{_HF}.AsyncInferenceClient",)
_TOOLS = ("tools",)

ENTRY = Entry(
    key="huggingface_hub",
    title="Hugging Face Hub InferenceClient",
    roots=(_HF,),
    packages=("huggingface_hub",),
    aliases=(
        (f"{_HF}.inference._client.InferenceClient", f"{_HF}.InferenceClient"),
        (
            f"{_HF}.inference._generated._async_client.AsyncInferenceClient",
            f"{_HF}.AsyncInferenceClient",
        ),
    ),
    types=(
        TypeDecl(f"{_HF}.InferenceClient"),
        TypeDecl(f"{_HF}.AsyncInferenceClient", is_async=True),
    ),
    model_calls=on(
        "huggingface_hub",
        _SYNC,
        _ASYNC,
        (
            model("chat_completion", tools_kw=_TOOLS, stream_kw="stream"),
            model("chat.completions.create", tools_kw=_TOOLS, stream_kw="stream"),
            model("text_generation", stream_kw="stream"),
            model("conversational", note="removed in recent versions"),
        ),
    ),
    not_model_calls=tuple(
        f"{t}.{p}"
        for t in _SYNC + _ASYNC
        for p in (
            "feature_extraction",
            "sentence_similarity",
            "text_classification",
            "token_classification",
            "text_to_image",
            "text_to_speech",
            "automatic_speech_recognition",
            "image_classification",
            "zero_shot_classification",
            "fill_mask",
        )
    ),
)
