"""Local inference engines: llama-cpp-python (`Llama`) and vLLM (`LLM`, `AsyncLLMEngine`).

llama_cpp: `Llama(model_path=...)` / `Llama.from_pretrained(repo_id, filename)`;
`llm(prompt)`, `create_completion`, `create_chat_completion` generate; `embed` does not.
vllm: `LLM(model=...)`; `generate(prompts, sampling_params)` and `chat(messages, ...)`;
`AsyncLLMEngine.generate(...)` (an async generator). (API as documented, unverified
against a given version.)
"""

from analyzer.knowledge.spec import Entry, ModelCall, ResultRule, TypeDecl, model, on

ENTRY = Entry(
    key="local_llms",
    title="Local inference engines (llama-cpp-python, vLLM)",
    roots=("llama_cpp", "vllm"),
    packages=("llama-cpp-python", "vllm"),
    aliases=(
        ("llama_cpp.llama.Llama", "llama_cpp.Llama"),
        ("vllm.entrypoints.llm.LLM", "vllm.LLM"),
        ("vllm.engine.async_llm_engine.AsyncLLMEngine", "vllm.AsyncLLMEngine"),
    ),
    types=(
        TypeDecl("llama_cpp.Llama"),
        TypeDecl("vllm.LLM"),
        TypeDecl("vllm.AsyncLLMEngine", is_async=True),
    ),
    results=(
        ResultRule("llama_cpp.Llama.from_pretrained", "llama_cpp.Llama"),
        ResultRule("vllm.AsyncLLMEngine.from_engine_args", "vllm.AsyncLLMEngine"),
    ),
    model_calls=on(
        "llama_cpp",
        ("llama_cpp.Llama",),
        (),
        (
            model("__call__", api="llama_cpp.llama", stream_kw="stream"),
            model("create_completion", stream_kw="stream"),
            model("create_chat_completion", tools_kw=("tools",), stream_kw="stream"),
        ),
    )
    + on("vllm", ("vllm.LLM",), (), (model("generate"), model("chat", tools_kw=("tools",))))
    + (
        ModelCall(
            "vllm.AsyncLLMEngine.generate",
            "vllm.generate",
            provider="vllm",
            is_async=True,
            streaming=True,
        ),
    ),
    not_model_calls=(
        "llama_cpp.Llama.embed",
        "llama_cpp.Llama.create_embedding",
        "llama_cpp.Llama.tokenize",
        "vllm.LLM.embed",
        "vllm.LLM.encode",
    ),
    notes=("Labels: llama_cpp.llama, llama_cpp.create_chat_completion, vllm.generate, vllm.chat.",),
)
