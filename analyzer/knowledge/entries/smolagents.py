"""smolagents: CodeAgent / ToolCallingAgent (max_steps=20) and the model classes."""

from analyzer.knowledge.spec import Bound, Construct, Entry, Family, TypeDecl, model, on

_BASE = "smolagents.MultiStepAgent"
_MODEL = "smolagents.Model"
_STEPS = Bound(
    "max_steps",
    20,
    where="ctor",
    unit="steps",
    on_hit="returns a fallback final answer (+1 call)",
    extra_calls=1,
)
_RUN_STEPS = Bound(
    "max_steps",
    20,
    where="run",
    unit="steps",
    on_hit="None: the constructor's max_steps",
    extra_calls=1,
)
_NOTE = "smolagents max_steps defaults to 20 (plus one fallback model call)"

ENTRY = Entry(
    key="smolagents",
    title="smolagents (Hugging Face)",
    roots=("smolagents",),
    packages=("smolagents",),
    aliases=(
        ("smolagents.agents", "smolagents"),
        ("smolagents.models", "smolagents"),
        ("smolagents.HfApiModel", "smolagents.InferenceClientModel"),
        ("smolagents.OpenAIServerModel", "smolagents.OpenAIModel"),
        ("smolagents.AzureOpenAIServerModel", "smolagents.AzureOpenAIModel"),
    ),
    types=(
        TypeDecl(_BASE),
        TypeDecl("smolagents.CodeAgent", bases=(_BASE,)),
        TypeDecl("smolagents.ToolCallingAgent", bases=(_BASE,)),
        TypeDecl(_MODEL),
    ),
    families=(Family("smolagents.*Model", _MODEL),),
    model_calls=on(
        "smolagents",
        (_BASE,),
        (),
        (model("run", kind="framework_run", tools_bound=True, stream_kw="stream"),),
        role="agent",
    )
    + on(
        "smolagents",
        (_MODEL,),
        (),
        (
            model("__call__", api="smolagents.model", tools_kw=("tools_to_call_from",)),
            model("generate", tools_kw=("tools_to_call_from",)),
            model("generate_stream", tools_kw=("tools_to_call_from",), streaming=True),
        ),
        role="model",
    ),
    constructs=tuple(
        Construct(
            c,
            kind="agent",
            agentic=True,
            agentic_params=("tools", "managed_agents"),
            bounds=(_STEPS, _RUN_STEPS),
            default_bound_note=_NOTE,
        )
        for c in (_BASE, "smolagents.CodeAgent", "smolagents.ToolCallingAgent")
    )
    + (
        Construct(f"{_BASE}.run", kind="run", bounds=(_RUN_STEPS,), default_bound_note=_NOTE),
        Construct("smolagents.tool", kind="tool", decorator=True),
    ),
)
