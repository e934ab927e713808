"""Haystack (deepset, `haystack-ai`): Pipeline runs, chat/text generators, the Agent
component; integrations under `haystack_integrations.components.generators.*`.

Read in haystack 3.2.0-rc0 (deepset-ai/haystack @ c7cb46c0):
- `haystack/core/pipeline/base.py`: `max_runs_per_component: int = 100` (a component in
  a pipeline loop runs at most 100 times, then PipelineMaxComponentRuns).
- `haystack/core/pipeline/pipeline.py`: `Pipeline.run`, `run_async`,
  `run_async_generator`, `stream` (2.x also had `AsyncPipeline`).
- `haystack/components/agents/agent.py`: `Agent(chat_generator=..., tools=...,
  exit_conditions=None -> ["text"], max_agent_steps: int = 100)`, `run`/`run_async`: the
  generator is called, the tools it asks for run, until an exit condition or
  max_agent_steps.
- `haystack/components/generators/chat/`: OpenAIChatGenerator, AzureOpenAIChatGenerator,
  OpenAIResponsesChatGenerator, FallbackChatGenerator, LLM; `run`/`run_async`.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, Family, TypeDecl, model, on

_PIPE = "haystack.Pipeline"
_GEN = "haystack.components.generators.Generator"  # pseudo type: any LLM generator
_AGENT = "haystack.components.agents.Agent"
_STEPS = Bound(
    "max_agent_steps",
    100,
    unit="steps",
    package="haystack-ai",
    on_hit="the run returns with the messages so far",
)

ENTRY = Entry(
    key="haystack",
    title="Haystack (haystack-ai)",
    roots=("haystack", "haystack_integrations"),
    packages=("haystack-ai", "farm-haystack"),
    aliases=(
        ("haystack.core.pipeline.Pipeline", _PIPE),
        ("haystack.core.pipeline.pipeline.Pipeline", _PIPE),
        ("haystack.core.pipeline.AsyncPipeline", "haystack.AsyncPipeline"),
        ("haystack.core.pipeline.async_pipeline.AsyncPipeline", "haystack.AsyncPipeline"),
        ("haystack.components.agents.agent.Agent", _AGENT),
    ),
    types=(
        TypeDecl(_PIPE),
        TypeDecl("haystack.AsyncPipeline", bases=(_PIPE,)),
        TypeDecl(_GEN),
        TypeDecl(_AGENT),
        # image generators are no language model
        TypeDecl("haystack.components.generators.DALLEImageGenerator"),
        TypeDecl("haystack.components.generators.OpenAIImageGenerator"),
    ),
    families=(
        Family("haystack.components.generators.*Generator", _GEN),
        Family("haystack.components.generators.chat.*Generator", _GEN),
        Family("haystack.components.generators.chat.LLM", _GEN),
        Family("haystack_integrations.components.generators.**.*Generator", _GEN),
    ),
    model_calls=on(
        "haystack",
        (_PIPE,),
        (),
        (
            model("run", kind="framework_run"),
            model("run_async", kind="framework_run", is_async=True),
            model("run_async_generator", kind="framework_run", streaming=True, is_async=True),
            model("stream", kind="framework_run", streaming=True),
        ),
        role="pipeline",
    )
    + on(
        "haystack",
        (_GEN,),
        (),
        (
            model("run", tools_kw=("tools",)),
            model("run_async", tools_kw=("tools",), is_async=True),
        ),
        role="generator",
    )
    + on(
        "haystack",
        (_AGENT,),
        (),
        (
            model("run", kind="framework_run", tools_bound=True),
            model("run_async", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="agent",
    ),
    constructs=(
        Construct(
            _AGENT,
            kind="agent",
            agentic_params=("tools",),
            bounds=(_STEPS,),
            default_bound_note="haystack Agent max_agent_steps=100 (components/agents/agent.py)",
        ),
        Construct(
            _PIPE,
            kind="workflow",
            bounds=(Bound("max_runs_per_component", 100, unit="runs per component"),),
            default_bound_note="haystack Pipeline max_runs_per_component=100 "
            "(core/pipeline/base.py)",
        ),
        Construct("haystack.component", kind="component", decorator=True),
        Construct("haystack.tools.tool", kind="tool", decorator=True),
    ),
    notes=(
        "Source: haystack 3.2.0-rc0, deepset-ai/haystack@c7cb46c0, haystack/core/pipeline/base.py, haystack/components/agents/agent.py.",
        "A Pipeline's components are added with add_component and wired with connect; "
        "Pipeline.run runs them (model calls happen inside generator components).",
        "Labels: haystack.pipeline.run, haystack.generator.run, haystack.agent.run.",
    ),
)
