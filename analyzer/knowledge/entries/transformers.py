"""transformers: local generation with `pipeline("text-generation", ...)` and
`AutoModelForCausalLM.generate`.

A `pipeline(task)` is a model call when called only for generating tasks (text-generation,
text2text-generation, summarization, translation, image-text-to-text); classification
or embedding pipelines get no type. `model.generate(**inputs)` on a causal-LM /
seq2seq model loaded with `from_pretrained` generates.
"""

from analyzer.knowledge.spec import SELF, ArgIs, Entry, ResultRule, TypeDecl, model, on

_T = "transformers"
_PIPE = f"{_T}.TextGenerationPipeline"
_LM = f"{_T}.PreTrainedModel"
_TASKS = (
    "text-generation",
    "text2text-generation",
    "summarization",
    "translation",
    "image-text-to-text",
    "conversational",
)
_LOADERS = (
    "AutoModelForCausalLM",
    "AutoModelForSeq2SeqLM",
    "AutoModelForImageTextToText",
    "AutoModelForVision2Seq",
    "LlamaForCausalLM",
    "MistralForCausalLM",
    "Qwen2ForCausalLM",
    "GPT2LMHeadModel",
    "T5ForConditionalGeneration",
)

ENTRY = Entry(
    key="transformers",
    title="Hugging Face transformers (local generation)",
    roots=(_T,),
    packages=("transformers",),
    aliases=((f"{_T}.pipelines.pipeline", f"{_T}.pipeline"),),
    types=(TypeDecl(_PIPE), TypeDecl(_LM))
    + tuple(TypeDecl(f"{_T}.{c}", same_as=_LM) for c in _LOADERS),
    results=tuple(
        ResultRule(f"{_T}.pipeline", _PIPE, (ArgIs(t, pos=0, kw="task"),)) for t in _TASKS
    )
    + (ResultRule(f"{_LM}.from_pretrained", _LM), ResultRule(f"{_LM}.to", SELF)),
    model_calls=on(
        "transformers",
        (_PIPE,),
        (),
        (model("__call__", api="transformers.pipeline"),),
        role="pipeline",
    )
    + on("transformers", (_LM,), (), (model("generate"),), role="model"),
    notes=(
        "Labels: transformers.pipeline (calling a generating pipeline), "
        "transformers.model.generate.",
    ),
)
