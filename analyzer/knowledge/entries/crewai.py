"""crewAI: Agent (max_iter=25), Task, Crew.kickoff, Flow with @start/@listen/@router, LLM.call."""

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
        ),
        role="agent",
    )
    + on(
        "crewai",
        ("crewai.flow.Flow",),
        (),
        (
            model("kickoff", kind="framework_run"),
            model("kickoff_async", kind="framework_run", is_async=True),
        ),
        role="flow",
    )
    + on("crewai", ("crewai.LLM",), (), (model("call", tools_kw=("tools",)),), role="llm"),
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
)
