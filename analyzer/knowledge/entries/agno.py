"""agno (formerly phidata): Agent, Team, Workflow and the model classes.

Defaults read in agno 2.9.0 (agno-agi/agno @ 9644f229, libs/agno/agno):
- `agent/agent.py`: `tool_call_limit: Optional[int] = None`, `retries: int = 0`,
  `reasoning_max_steps: int = 10`, `telemetry: bool = True` (anonymous usage to agno,
  not tracing).
- `models/base.py` `Model.response()`: `while True:` call the model, run the tool calls it
  asks for, `continue`; it stops when a response has no tool calls (or a tool pauses for
  confirmation/user input). `tool_call_limit` only turns further tool calls into error
  results (`run_function_calls`: "Tool call limit reached"), the loop still asks the
  model again; so it bounds tools, and the model's next answer ends the run.
- `team/team.py`: `mode: Optional[TeamMode] = None` (coordinate: the leader model picks
  members through delegation tools), route, broadcast, tasks; `max_iterations: int = 10`
  bounds only the tasks-mode loop (`team/_run.py`: `for iteration in
  range(team.max_iterations)`); `tool_call_limit: Optional[int] = None`.
  agno 1.x had mode "route"/"coordinate"/"collaborate"; 2.x replaced collaborate by
  broadcast.
- `workflow/loop.py`: `Loop.max_iterations: int = 3`, `end_condition=None`;
  `workflow/parallel.py` runs its steps concurrently; `workflow/router.py` `Router(selector=...)`
  picks steps with a developer function (or a CEL expression); `Condition(evaluator=...)`.
- `tracing/setup.py`: `setup_tracing()` wires OpenTelemetry (openinference-instrumentation-agno).
"""

from analyzer.knowledge.spec import (
    SELF,
    Bound,
    Construct,
    Entry,
    Family,
    ResultRule,
    RetrySpec,
    TracingSpec,
    TypeDecl,
    model,
    on,
)

_AGENT = "agno.agent.Agent"
_TEAM = "agno.team.Team"
_WF = "agno.workflow.Workflow"
_MODEL = "agno.models.base.Model"

_TOOL_LIMIT = Bound(
    "tool_call_limit",
    None,
    unit="tool calls",
    on_hit="further tool calls return an error result; the model is asked again",
    ends_loop=False,  # Model.response keeps looping while the model emits tool calls
)


def _runs(role: str, tools: bool) -> tuple:
    kw = {"kind": "framework_run", "tools_bound": tools}
    return (
        model("run", stream_kw="stream", **kw),
        model("arun", stream_kw="stream", is_async=True, **kw),
        model("print_response", stream_kw="stream", **kw),
        model("aprint_response", stream_kw="stream", is_async=True, **kw),
        model("continue_run", **kw),
        model("acontinue_run", is_async=True, **kw),
        model("cli_app", note="interactive loop: one run per user line", **kw),
        model("acli_app", is_async=True, note="interactive loop: one run per user line", **kw),
    )


ENTRY = Entry(
    key="agno",
    title="Agno (agent framework, formerly phidata)",
    roots=("agno", "phi"),
    packages=("agno", "phidata"),
    aliases=(
        # phidata, agno's former name: same Agent API (phi.assistant.Assistant before it)
        ("phi.agent", "agno.agent"),
        ("phi.model", "agno.models"),
        ("phi.assistant.Assistant", _AGENT),
        ("agno.agent.agent.Agent", _AGENT),
        ("agno.team.team.Team", _TEAM),
        ("agno.workflow.workflow.Workflow", _WF),
        ("agno.workflow.v2", "agno.workflow"),
        ("agno.workflow.step.Step", "agno.workflow.Step"),
        ("agno.workflow.steps.Steps", "agno.workflow.Steps"),
        ("agno.workflow.loop.Loop", "agno.workflow.Loop"),
        ("agno.workflow.parallel.Parallel", "agno.workflow.Parallel"),
        ("agno.workflow.router.Router", "agno.workflow.Router"),
        ("agno.workflow.condition.Condition", "agno.workflow.Condition"),
        ("agno.models.base.Model", _MODEL),
        ("agno.agent.remote.RemoteAgent", "agno.agent.RemoteAgent"),
        ("agno.team.remote.RemoteTeam", "agno.team.RemoteTeam"),
        ("agno.workflow.remote.RemoteWorkflow", "agno.workflow.RemoteWorkflow"),
    ),
    types=(
        TypeDecl(_AGENT),
        TypeDecl(_TEAM),
        TypeDecl(_WF),
        TypeDecl(_MODEL),
        # clients of agents served by an AgentOS (agent/remote.py, team/remote.py, ...)
        TypeDecl("agno.agent.RemoteAgent", bases=(_AGENT,)),
        TypeDecl("agno.team.RemoteTeam", bases=(_TEAM,)),
        TypeDecl("agno.workflow.RemoteWorkflow", bases=(_WF,)),
    ),
    # copies and deserialised objects keep their type
    results=tuple(
        ResultRule(f"{t}.{m}", SELF if m == "deep_copy" else t)
        for t in (_AGENT, _TEAM, _WF)
        for m in ("deep_copy", "from_dict", "load")
    ),
    # agno.models.openai.chat.OpenAIChat -> agno.models.openai.OpenAIChat
    alias_patterns=((r"^agno\.models\.(\w+)\.[a-z_]+\.([A-Z]\w*)(?=\.|$)", r"agno.models.\1.\2"),),
    families=(Family("agno.models.*.*", _MODEL),),
    model_calls=on("agno", (_AGENT,), (), _runs("agent", True), role="agent")
    + on("agno", (_TEAM,), (), _runs("team", True), role="team")
    + on("agno", (_WF,), (), _runs("workflow", False), role="workflow")
    + on(
        "agno",
        (_MODEL,),
        (),
        (
            model("response", tools_kw=("tools",)),
            model("aresponse", tools_kw=("tools",), is_async=True),
            model("response_stream", tools_kw=("tools",), streaming=True),
            model("aresponse_stream", tools_kw=("tools",), streaming=True, is_async=True),
        ),
        role="model",
    ),
    constructs=(
        Construct(
            _AGENT,
            kind="agent",
            agentic_params=("tools", "knowledge", "mcp_tools"),
            calls_params=("tools",),
            bounds=(_TOOL_LIMIT,),
            default_bound_note="agno Agent: tool_call_limit=None; the model loop "
            "(Model.response, while True) ends only when the model stops calling tools "
            "(agno 2.9.0 models/base.py)",
        ),
        Construct(
            _TEAM,
            kind="team",
            # the leader model delegates to members through tools (coordinate/route)
            agentic=True,
            agentic_params=("members", "tools"),
            calls_params=("tools",),
            # mode=route sets respond_directly: the leader's delegate tool stops the run
            # after one member answers (team/_init.py, team/_default_tools.py @9644f229)
            handoff_params=("members",),
            handoff_when=(("mode", ("route", "TeamMode.route")), ("respond_directly", (True,))),
            bounds=(
                _TOOL_LIMIT,
                Bound(
                    "max_iterations",
                    10,
                    unit="iterations",
                    on_hit="tasks mode stops",
                    only_when=(("mode", ("tasks", "TeamMode.tasks")),),
                ),
            ),
            default_bound_note="agno Team: tool_call_limit=None; max_iterations=10 bounds "
            "only mode=tasks (agno 2.9.0 team/team.py, team/_run.py)",
        ),
        Construct(
            _WF,
            kind="workflow",
            # a step may be a plain function taking StepInput (workflow/workflow.py)
            calls_params=("steps",),
            children="steps",
            children_mode="sequence",
            note="runs its steps in order (functions, Step, Steps, agents, teams)",
        ),
        Construct(
            "agno.workflow.Loop",
            kind="workflow",
            bounds=(Bound("max_iterations", 3, unit="iterations"),),
            default_bound_note="agno workflow Loop: max_iterations=3, end_condition=None "
            "(agno 2.9.0 workflow/loop.py)",
        ),
        Construct(
            "agno.workflow.Parallel",
            kind="workflow",
            pattern="parallelization_sectioning",
            children="*",
            children_mode="parallel",
            note="runs its steps concurrently and merges their outputs",
        ),
        Construct(
            "agno.workflow.Router",
            kind="workflow",
            pattern="routing",
            note="selector (a function or CEL expression) picks the steps to run",
        ),
        Construct(
            "agno.workflow.Condition",
            kind="workflow",
            children="steps",
            children_mode="sequence",
            note="runs steps when evaluator holds",
        ),
        Construct(
            "agno.workflow.Steps",
            kind="workflow",
            pattern="prompt_chaining",
            children="steps",
            children_mode="sequence",
        ),
        # a step runs the agent or team it holds, or its `executor` function taking
        # StepInput (workflow/step.py @9644f229)
        Construct(
            "agno.workflow.Step",
            kind="workflow_step",
            delegates="agent",
            calls_params=("executor",),
        ),
        Construct("agno.tools.tool", kind="tool", decorator=True),
    ),
    retries=tuple(
        RetrySpec(
            t,
            library="agno",
            kind="client",
            limit_params=("retries",),
            default_limit=0,
            limit_unit="retries",
            note="agno retries=0 by default (agent/agent.py, models/base.py)",
        )
        for t in (_AGENT, _TEAM, _MODEL)
    ),
    tracing=(
        TracingSpec(
            "agno.tracing.setup_tracing",
            library="agno",
            kind="instrument",
            scope="global",
            note="OpenTelemetry through openinference-instrumentation-agno",
        ),
    ),
    notes=(
        "Source: agno 2.9.0, agno-agi/agno@9644f229, libs/agno/agno/{agent/agent.py, models/base.py, team/team.py, team/_run.py, team/mode.py, workflow/loop.py}.",
        "Labels: agno.agent.run, agno.team.run, agno.workflow.run, agno.model.response.",
        "telemetry=True (default) sends anonymous usage to agno: not trace logging.",
    ),
)
