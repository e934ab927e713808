"""Langfuse: @observe, the `langfuse.openai` drop-in import, LangChain CallbackHandler."""

from analyzer.knowledge.spec import Entry, TracingSpec, TypeDecl

ENTRY = Entry(
    key="langfuse",
    title="Langfuse",
    roots=("langfuse",),
    packages=("langfuse",),
    aliases=(
        ("langfuse.decorators.observe", "langfuse.observe"),
        ("langfuse.callback.CallbackHandler", "langfuse.langchain.CallbackHandler"),
        # the drop-in module re-exports the openai SDK: its calls are openai calls
        ("langfuse.openai.openai", "openai"),
        ("langfuse.openai", "openai"),
    ),
    types=(TypeDecl("langfuse.Langfuse"),),
    tracing=(
        TracingSpec("langfuse.observe", library="langfuse", kind="decorator", forms=("decorator",)),
        TracingSpec(
            "langfuse.openai",
            library="langfuse",
            kind="import",
            scope="global",
            forms=("import",),
            note="importing openai from langfuse.openai traces every openai call",
        ),
        TracingSpec("langfuse.langchain.CallbackHandler", library="langfuse", kind="callback"),
        TracingSpec(
            "langfuse.Langfuse.start_as_current_span",
            library="langfuse",
            kind="span",
            forms=("context",),
        ),
        TracingSpec(
            "langfuse.Langfuse.start_as_current_generation",
            library="langfuse",
            kind="span",
            forms=("context",),
        ),
        TracingSpec("langfuse.Langfuse.trace", library="langfuse", kind="span"),
        TracingSpec("langfuse.Langfuse", library="langfuse", kind="client", counts=False),
    ),
    notes=(
        "tracing('langfuse.openai') answers for the import itself; canonical() maps it to openai.",
    ),
)
