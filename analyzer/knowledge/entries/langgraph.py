"""LangGraph: StateGraph/MessageGraph, compiled graphs, prebuilt create_react_agent,
the functional API (@entrypoint/@task) and Send/Command."""

from dataclasses import replace

from analyzer.knowledge.spec import Bound, Construct, Entry, ResultRule, TypeDecl, model, on

GRAPH = "langgraph.graph.state.CompiledStateGraph"
STATE_GRAPH = "langgraph.graph.StateGraph"
#: pseudo type: the graph create_react_agent returns (a model-owned tool loop)
REACT = "langgraph.prebuilt.CompiledReactAgent"
RUNNABLE = "langchain_core.runnables.Runnable"

RECURSION = Bound(
    "recursion_limit",
    10007,
    where="config",
    container="config",
    unit="steps",
    by_version=(("<=1.0.5", 25), (">=1.0.6,<1.1.4", 10000), (">=1.1.4", 10007)),
    package="langgraph",
    on_hit="GraphRecursionError",
)
_NOTE = "LangGraph recursion_limit: 25 up to 1.0.5, 10000 from 1.0.6, 10007 from 1.1.4"
_RUNS = ("invoke", "ainvoke", "stream", "astream", "batch", "abatch", "astream_events")

ENTRY = Entry(
    key="langgraph",
    title="LangGraph",
    roots=("langgraph",),
    packages=("langgraph",),
    aliases=(
        ("langgraph.graph.state.StateGraph", STATE_GRAPH),
        ("langgraph.graph.message.MessageGraph", "langgraph.graph.MessageGraph"),
        # the untyped builder (langgraph.graph.graph.Graph, exported as langgraph.graph.Graph
        # through 0.2.x): the same add_node/add_edge/compile API over plain dicts
        ("langgraph.graph.graph.Graph", "langgraph.graph.Graph"),
        (
            "langgraph.prebuilt.chat_agent_executor.create_react_agent",
            "langgraph.prebuilt.create_react_agent",
        ),
        ("langgraph.constants.Send", "langgraph.types.Send"),
        ("langgraph.func.entrypoint", "langgraph.func.entrypoint"),
        ("langgraph.prebuilt.tool_node.ToolNode", "langgraph.prebuilt.ToolNode"),
        ("langgraph.prebuilt.tool_node.tools_condition", "langgraph.prebuilt.tools_condition"),
        ("langgraph.constants.START", "langgraph.graph.START"),
        ("langgraph.constants.END", "langgraph.graph.END"),
        ("langgraph.graph.state.START", "langgraph.graph.START"),
        ("langgraph.graph.state.END", "langgraph.graph.END"),
    ),
    types=(
        TypeDecl(STATE_GRAPH),
        TypeDecl("langgraph.graph.MessageGraph", bases=(STATE_GRAPH,)),
        TypeDecl("langgraph.graph.Graph", bases=(STATE_GRAPH,)),
        TypeDecl(GRAPH, bases=(RUNNABLE,)),
        TypeDecl("langgraph.pregel.Pregel", same_as=GRAPH),
        TypeDecl(REACT, bases=(GRAPH,)),
    ),
    results=(
        ResultRule(f"{STATE_GRAPH}.compile", GRAPH),
        ResultRule("langgraph.prebuilt.create_react_agent", REACT),
    ),
    model_calls=on(
        "langgraph",
        (GRAPH,),
        (),
        tuple(
            replace(m, kind="framework_run")
            for m in (
                model("invoke"),
                model("ainvoke", is_async=True),
                model("stream", streaming=True),
                model("astream", streaming=True, is_async=True),
                model("astream_events", streaming=True, is_async=True),
                model("batch"),
                model("abatch", is_async=True),
            )
        ),
        role="graph",
    ),
    constructs=(
        Construct(STATE_GRAPH, kind="graph", bounds=(RECURSION,), default_bound_note=_NOTE),
        Construct(
            f"{STATE_GRAPH}.compile", kind="graph", bounds=(RECURSION,), default_bound_note=_NOTE
        ),
        Construct(
            f"{STATE_GRAPH}.add_conditional_edges",
            kind="route",
            note="the path function's return value picks the next node",
        ),
        Construct(
            "langgraph.prebuilt.create_react_agent",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=(RECURSION,),
            default_bound_note=_NOTE,
        ),
        Construct("langgraph.types.Send", kind="fanout", note="dynamic fan-out to a node"),
        Construct(
            "langgraph.prebuilt.ToolNode",
            kind="tools",
            note="a graph node that runs the tool calls of the last model message",
        ),
        Construct(
            "langgraph.prebuilt.tools_condition",
            kind="route",
            note="routes to the 'tools' node when the last model message has tool calls, else END",
        ),
        Construct("langgraph.types.Command", kind="route", note="goto= picks the next node"),
        Construct(
            "langgraph.func.entrypoint",
            kind="workflow",
            decorator=True,
            decorates_into=GRAPH,
            default_bound_note="functional API: @task calls inside one @entrypoint are not counted; unbounded",
        ),
        Construct("langgraph.func.task", kind="task", decorator=True),
    )
    + tuple(
        Construct(f"{GRAPH}.{m}", kind="run", bounds=(RECURSION,), default_bound_note=_NOTE)
        for m in _RUNS
    ),
    notes=(
        "create_react_agent returns the pseudo type CompiledReactAgent (a CompiledStateGraph).",
    ),
)
