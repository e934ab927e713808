"""crewAI: Agent (max_iter=25), Task, Crew.kickoff, Flow with @start/@listen/@router, LLM.call.

Read in crewAI 1.15.17 (crewAIInc/crewAI @ f4731f50, lib/crewai/src/crewai):
`agents/agent_builder/base_agent.py` `max_iter: int = Field(default=25)`; `crew.py`
kickoff, kickoff_for_each, kickoff_async, kickoff_for_each_async, akickoff,
akickoff_for_each; `agent/core.py` execute_task/aexecute_task, kickoff/kickoff_async;
`task.py` execute_sync/execute_async/aexecute_sync; `llm.py` call/acall;
`flow/runtime/__init__.py` kickoff/kickoff_async/akickoff.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, TypeDecl, model, on

ENTRY = Entry(
    key="crewai",
    title="crewAI",
    roots=("crewai",),
    packages=("crewai",),
    aliases=(
        ("crewai.agent.Agent", "crewai.Agent"),
        ("crewai.crew.Crew", "crewai.Crew"),
        ("crewai.task.Task", "crewai.Task"),
        ("crewai.llm.LLM", "crewai.LLM"),
        ("crewai.process.Process", "crewai.Process"),
        ("crewai.flow.flow", "crewai.flow"),
        ("crewai.flow.runtime", "crewai.flow"),
        ("crewai.Flow", "crewai.flow.Flow"),
        ("crewai.tools.tool", "crewai.tools.tool"),
    ),
    types=(
        TypeDecl("crewai.Agent"),
        TypeDecl("crewai.Crew"),
        TypeDecl("crewai.Task"),
        TypeDecl("crewai.LLM"),
        TypeDecl("crewai.flow.Flow"),
    ),
    model_calls=on(
        "crewai",
        ("crewai.Crew",),
        (),
        (
            model("kickoff", kind="framework_run", tools_bound=True),
            model("kickoff_async", kind="framework_run", tools_bound=True, is_async=True),
            model("kickoff_for_each", kind="framework_run", tools_bound=True),
            model("kickoff_for_each_async", kind="framework_run", tools_bound=True, is_async=True),
            model("akickoff", kind="framework_run", tools_bound=True, is_async=True),
            model("akickoff_for_each", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="crew",
    )
    + on(
        "crewai",
        ("crewai.Agent",),
        (),
        (
            model("kickoff", kind="framework_run", tools_bound=True),
            model("kickoff_async", kind="framework_run", tools_bound=True, is_async=True),
            model("execute_task", kind="framework_run", tools_bound=True),
            model("aexecute_task", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="agent",
    )
    + on(
        "crewai",
        ("crewai.Task",),
        (),
        (
            model("execute_sync", kind="framework_run", tools_bound=True),
            model("execute_async", kind="framework_run", tools_bound=True),
            model("aexecute_sync", kind="framework_run", tools_bound=True, is_async=True),
        ),
        role="task",
    )
    + on(
        "crewai",
        ("crewai.flow.Flow",),
        (),
        (
            model("kickoff", kind="framework_run"),
            model("kickoff_async", kind="framework_run", is_async=True),
            model("akickoff", kind="framework_run", is_async=True),
        ),
        role="flow",
    )
    + on(
        "crewai",
        ("crewai.LLM",),
        (),
        (model("call", tools_kw=("tools",)), model("acall", tools_kw=("tools",), is_async=True)),
        role="llm",
    ),
    constructs=(
        Construct(
            "crewai.Agent",
            kind="agent",
            agentic_params=("tools",),
            bounds=(
                Bound("max_iter", 25, unit="iterations"),
                Bound("max_execution_time", None, unit="seconds"),
            ),
            default_bound_note="crewAI Agent max_iter defaults to 25",
        ),
        Construct("crewai.Task", kind="task", agentic_params=("tools",)),
        Construct(
            "crewai.Crew",
            kind="crew",
            agentic_params=("manager_llm", "manager_agent"),
            note="process=Process.hierarchical lets a manager LLM delegate (model-owned order)",
        ),
        Construct("crewai.flow.start", kind="flow_step", decorator=True),
        Construct("crewai.flow.listen", kind="flow_step", decorator=True),
        Construct(
            "crewai.flow.router",
            kind="route",
            decorator=True,
            note="returned label picks listeners",
        ),
        Construct(
            "crewai.flow.or_", kind="flow_cond", note="a listener runs when any trigger fires"
        ),
        Construct(
            "crewai.flow.and_", kind="flow_cond", note="a listener runs when all triggers fired"
        ),
        Construct("crewai.tools.tool", kind="tool", decorator=True),
    ),
    notes=("Source: crewAI 1.15.17, crewAIInc/crewAI@f4731f50, lib/crewai/src/crewai/.",),
)
