"""CAMEL (camel-ai): ChatAgent, RolePlaying, Workforce and model backends.

Read in camel-ai 0.2.91a5 (camel-ai/camel @ 13dc7a7d):
- `camel/agents/chat_agent.py`: `ChatAgent(system_message, model, tools=None, ...,
  max_iteration: Optional[int] = None, retry_attempts: int = 3)`; `step()`/`astep()` run
  `while True:` model call, execute the tool calls it asks for, until no tool call or
  `iteration_count >= max_iteration` ("If None (default), there's no explicit limit").
- `camel/societies/role_playing.py`: `RolePlaying.step()` / `astep()`: one assistant step
  and one user step (two ChatAgent steps); callers loop it.
- `camel/societies/workforce/workforce.py`: `Workforce.process_task(task)` /
  `process_task_async`: a coordinator agent decomposes the task and assigns subtasks to
  the workers the developer added.
- `camel/models/base_model.py`: `BaseModelBackend.run(messages)` / `arun` call the model;
  `ModelFactory.create(...)` builds one.
"""

from analyzer.knowledge.spec import (
    Bound,
    Construct,
    Entry,
    Family,
    ResultRule,
    RetrySpec,
    TypeDecl,
    model,
    on,
)

_AGENT = "camel.agents.ChatAgent"
_RP = "camel.societies.RolePlaying"
_WF = "camel.societies.workforce.Workforce"
_BACKEND = "camel.models.BaseModelBackend"
_MAX_ITER = Bound(
    "max_iteration",
    None,
    unit="model calls per step",
    on_hit="step returns the last response",
)
_NOTE = "camel ChatAgent max_iteration=None: no limit on model calls per step (chat_agent.py)"

ENTRY = Entry(
    key="camel",
    title="CAMEL (camel-ai)",
    roots=("camel",),
    packages=("camel-ai",),
    aliases=(
        ("camel.agents.chat_agent.ChatAgent", _AGENT),
        ("camel.societies.role_playing.RolePlaying", _RP),
        ("camel.societies.Workforce", _WF),
        ("camel.societies.workforce.workforce.Workforce", _WF),
        ("camel.models.base_model.BaseModelBackend", _BACKEND),
        ("camel.models.model_factory.ModelFactory", "camel.models.ModelFactory"),
    ),
    types=(TypeDecl(_AGENT), TypeDecl(_RP), TypeDecl(_WF), TypeDecl(_BACKEND)),
    # ChatAgent subclasses (CriticAgent, TaskSpecifyAgent, KnowledgeGraphAgent, ...)
    families=(Family("camel.models.*Model", _BACKEND), Family("camel.agents.*Agent", _AGENT)),
    alias_patterns=(
        (r"^camel\.agents\.(?:[a-z_]\w*\.)+([A-Z]\w*Agent)(?=\.|$)", r"camel.agents.\1"),
    ),
    results=(ResultRule("camel.models.ModelFactory.create", _BACKEND),),
    model_calls=on(
        "camel",
        (_AGENT,),
        (),
        (
            model("step", kind="framework_run", tools_bound=True),
            model("astep", kind="framework_run", tools_bound=True, is_async=True),
            # the task agents' entry point (TaskSpecifyAgent.run, KnowledgeGraphAgent.run)
            model("run", kind="framework_run", tools_bound=True),
        ),
        role="agent",
    )
    + on(
        "camel",
        (_RP,),
        (),
        (
            model("step", kind="framework_run", tools_bound=True),
            model("astep", kind="framework_run", tools_bound=True, is_async=True),
            model("init_chat", note="the assistant's first message"),
        ),
        role="role_playing",
    )
    + on(
        "camel",
        (_WF,),
        (),
        (
            model("process_task", kind="framework_run", tools_bound=True),
            model("process_task_async", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="workforce",
    )
    + on(
        "camel",
        (_BACKEND,),
        (),
        (model("run", tools_kw=("tools",)), model("arun", tools_kw=("tools",), is_async=True)),
        role="model",
    ),
    constructs=(
        Construct(
            _AGENT,
            kind="agent",
            agentic_params=("tools", "toolkits_to_register_agent"),
            calls_params=("tools",),
            bounds=(_MAX_ITER,),
            default_bound_note=_NOTE,
        ),
        Construct(
            _RP,
            kind="team",
            bounds=(_MAX_ITER,),
            default_bound_note="each RolePlaying.step is two ChatAgent steps; callers loop it",
        ),
        Construct(
            _WF,
            kind="workflow",
            pattern="orchestrator_workers",
            note="a coordinator model splits the task and assigns subtasks to added workers",
        ),
    ),
    retries=(
        RetrySpec(
            _AGENT,
            library="camel",
            kind="client",
            limit_params=("retry_attempts",),
            default_limit=3,
            note="ChatAgent retry_attempts=3 (chat_agent.py)",
        ),
    ),
    notes=(
        "Source: camel-ai 0.2.91a5, camel-ai/camel@13dc7a7d, camel/agents/chat_agent.py, camel/societies/.",
        "Labels: camel.agent.step, camel.role_playing.step, camel.workforce.process_task.",
    ),
)
