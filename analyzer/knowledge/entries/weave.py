"""W&B Weave: weave.init patches LLM SDKs process-wide; @weave.op traces a function."""

from analyzer.knowledge.spec import Entry, TracingSpec

ENTRY = Entry(
    key="weave",
    title="Weights & Biases Weave",
    roots=("weave",),
    packages=("weave",),
    tracing=(
        TracingSpec("weave.init", library="weave", kind="instrument", scope="global"),
        TracingSpec("weave.op", library="weave", kind="decorator", forms=("decorator", "call")),
    ),
)
