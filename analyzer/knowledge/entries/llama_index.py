"""LlamaIndex: LLMs, query/chat engines, ReActAgent/FunctionAgent, workflows with @step.

Read in llama-index-core (run-llama/llama_index @ 011ea534,
llama-index-core/llama_index/core/agent/workflow/base_agent.py): `DEFAULT_MAX_ITERATIONS =
20`, taken when `run(..., max_iterations=None)`; `early_stopping_method="force"` raises
when it is hit ("generate" makes one final LLM call). Workflows (llama-index-workflows
2.20.0, run-llama/workflows-py @ 0b2098b7, `src/workflows/workflow.py`):
`Workflow(timeout: float | None = 45.0, ...)`, `run()` returns a handler to await;
steps are `@step` methods wired by the events they take and return.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, Family, ResultRule, TypeDecl, model, on

_LLM = "llama_index.core.llms.LLM"
_INDEX = "llama_index.core.indices.BaseIndex"
_QE = "llama_index.core.query_engine.BaseQueryEngine"
_CE = "llama_index.core.chat_engine.BaseChatEngine"
_LEGACY_REACT = "llama_index.core.agent.ReActAgent"
_WF_AGENT = "llama_index.core.agent.workflow.BaseWorkflowAgent"
_WF = "llama_index.core.workflow.Workflow"
_ROUTER_QE = "llama_index.core.query_engine.RouterQueryEngine"
_SUBQ_QE = "llama_index.core.query_engine.SubQuestionQueryEngine"

ENTRY = Entry(
    key="llama_index",
    title="LlamaIndex",
    roots=("llama_index",),
    packages=("llama-index", "llama-index-core"),
    aliases=(
        ("llama_index.core.llms.llm.LLM", _LLM),
        ("llama_index.core.agent.react.ReActAgent", _LEGACY_REACT),
        ("llama_index.core.agent.react.base.ReActAgent", _LEGACY_REACT),
        (
            "llama_index.core.agent.workflow.react_agent.ReActAgent",
            "llama_index.core.agent.workflow.ReActAgent",
        ),
        (
            "llama_index.core.agent.workflow.function_agent.FunctionAgent",
            "llama_index.core.agent.workflow.FunctionAgent",
        ),
        ("llama_index.core.workflow.workflow.Workflow", _WF),
        ("llama_index.core.query_engine.router_query_engine.RouterQueryEngine", _ROUTER_QE),
        (
            "llama_index.core.query_engine.sub_question_query_engine.SubQuestionQueryEngine",
            _SUBQ_QE,
        ),
        ("llama_index.core.workflow.decorators.step", "llama_index.core.workflow.step"),
        ("workflows.Workflow", _WF),
        # llama-index < 0.10 exported everything from the top package
        ("llama_index.VectorStoreIndex", "llama_index.core.VectorStoreIndex"),
        ("llama_index.SummaryIndex", "llama_index.core.SummaryIndex"),
        ("llama_index.ListIndex", "llama_index.core.ListIndex"),
        ("llama_index.load_index_from_storage", "llama_index.core.load_index_from_storage"),
        ("workflows.step", "llama_index.core.workflow.step"),
        ("workflows.decorators.step", "llama_index.core.workflow.step"),
        ("workflows.workflow.Workflow", _WF),
        (
            "llama_index.core.agent.workflow.multi_agent_workflow.AgentWorkflow",
            "llama_index.core.agent.workflow.AgentWorkflow",
        ),
        (
            "llama_index.core.agent.workflow.codeact_agent.CodeActAgent",
            "llama_index.core.agent.workflow.CodeActAgent",
        ),
    ),
    types=(
        TypeDecl(_LLM),
        TypeDecl(_INDEX),
        TypeDecl(_QE),
        TypeDecl(_CE),
        TypeDecl(_LEGACY_REACT),
        TypeDecl(_WF_AGENT),
        TypeDecl("llama_index.core.agent.workflow.ReActAgent", bases=(_WF_AGENT,)),
        TypeDecl("llama_index.core.agent.workflow.FunctionAgent", bases=(_WF_AGENT,)),
        TypeDecl("llama_index.core.agent.workflow.CodeActAgent", bases=(_WF_AGENT,)),
        TypeDecl("llama_index.core.agent.workflow.AgentWorkflow", bases=(_WF_AGENT,)),
        TypeDecl(_WF),
        TypeDecl(_ROUTER_QE, bases=(_QE,)),
        TypeDecl(_SUBQ_QE, bases=(_QE,)),
    ),
    families=(
        Family("llama_index.llms.*.*", _LLM),
        Family("llama_index.core.*Index", _INDEX),
        Family("llama_index.core.indices.*Index", _INDEX),
    ),
    results=(
        ResultRule(f"{_INDEX}.as_query_engine", _QE),
        ResultRule("llama_index.core.load_index_from_storage", _INDEX),
        ResultRule("llama_index.core.indices.load_index_from_storage", _INDEX),
        ResultRule(f"{_ROUTER_QE}.from_defaults", _ROUTER_QE),
        ResultRule(f"{_SUBQ_QE}.from_defaults", _SUBQ_QE),
        ResultRule(f"{_INDEX}.as_chat_engine", _CE),
        ResultRule(f"{_INDEX}.from_documents", "<self>"),
        ResultRule(f"{_LEGACY_REACT}.from_tools", _LEGACY_REACT),
        ResultRule(
            "llama_index.core.agent.workflow.AgentWorkflow.from_tools_or_functions",
            "llama_index.core.agent.workflow.AgentWorkflow",
        ),
        ResultRule(
            "llama_index.core.agent.workflow.FunctionAgent.from_tools_or_functions",
            "llama_index.core.agent.workflow.FunctionAgent",
        ),
    ),
    model_calls=on(
        "llama_index",
        (_LLM,),
        (),
        (
            model("complete"),
            model("acomplete", is_async=True),
            model("chat"),
            model("achat", is_async=True),
            model("stream_complete", streaming=True),
            model("stream_chat", streaming=True),
            model("astream_complete", streaming=True, is_async=True),
            model("astream_chat", streaming=True, is_async=True),
            model("predict"),
            model("apredict", is_async=True),
            model("structured_predict"),
            model("astructured_predict", is_async=True),
            model("chat_with_tools", tools_kw=("tools",), tools_pos=0),
            model("achat_with_tools", tools_kw=("tools",), tools_pos=0, is_async=True),
        ),
        role="llm",
    )
    + on(
        "llama_index",
        (_QE,),
        (),
        (
            model("query", kind="framework_run"),
            model("aquery", kind="framework_run", is_async=True),
        ),
        role="query_engine",
    )
    + on(
        "llama_index",
        (_CE,),
        (),
        (
            model("chat", kind="framework_run"),
            model("achat", kind="framework_run", is_async=True),
            model("stream_chat", kind="framework_run", streaming=True),
        ),
        role="chat_engine",
    )
    + on(
        "llama_index",
        (_LEGACY_REACT,),
        (),
        (
            model("chat", kind="framework_run", tools_bound=True),
            model("achat", kind="framework_run", tools_bound=True, is_async=True),
            model("query", kind="framework_run", tools_bound=True),
            model("stream_chat", kind="framework_run", tools_bound=True, streaming=True),
        ),
        role="agent",
    )
    + on(
        "llama_index",
        (_WF_AGENT,),
        (),
        (model("run", kind="framework_run", tools_bound=True, is_async=True),),
        role="agent",
    )
    + on(
        "llama_index",
        (_WF,),
        (),
        (model("run", kind="framework_run", is_async=True),),
        role="workflow",
    ),
    not_model_calls=(
        f"{_INDEX}.as_retriever",
        "llama_index.core.retrievers.BaseRetriever.retrieve",
    ),
    constructs=(
        Construct(
            _LEGACY_REACT,
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=(Bound("max_iterations", 10, unit="iterations", on_hit="raises"),),
            default_bound_note="llama-index ReActAgent max_iterations defaults to 10",
        ),
        Construct(
            f"{_LEGACY_REACT}.from_tools",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=(Bound("max_iterations", 10, unit="iterations", on_hit="raises"),),
            default_bound_note="llama-index ReActAgent max_iterations defaults to 10",
        ),
    )
    + tuple(
        Construct(
            f"llama_index.core.agent.workflow.{name}",
            kind="agent",
            agentic_params=("tools",),
            bounds=(Bound("max_iterations", 20, where="run", unit="iterations"),),
            default_bound_note="workflow agents: run(max_iterations=None) -> "
            "DEFAULT_MAX_ITERATIONS=20 (llama-index-core base_agent.py)",
        )
        for name in ("ReActAgent", "FunctionAgent", "CodeActAgent", "AgentWorkflow")
    )
    + tuple(
        # built from a list of tools or functions: always given tools
        Construct(
            f"llama_index.core.agent.workflow.{name}.from_tools_or_functions",
            kind="agent",
            agentic=True,
            bounds=(Bound("max_iterations", 20, where="run", unit="iterations"),),
            default_bound_note="workflow agents: run(max_iterations=None) -> "
            "DEFAULT_MAX_ITERATIONS=20 (llama-index-core base_agent.py)",
        )
        for name in ("AgentWorkflow", "FunctionAgent", "ReActAgent")
    )
    + (
        Construct(
            f"{_WF_AGENT}.run",
            kind="run",
            bounds=(Bound("max_iterations", 20, where="run", unit="iterations"),),
            default_bound_note="run(max_iterations=None) -> DEFAULT_MAX_ITERATIONS=20",
        ),
        Construct(
            _WF,
            kind="workflow",
            bounds=(Bound("timeout", 45.0, unit="seconds"),),
            default_bound_note="Workflow timeout=45.0 s (llama-index-workflows 2.20.0)",
        ),
        Construct("llama_index.core.workflow.step", kind="workflow_step", decorator=True),
    )
    # query engines that are workflows: a model picks one engine, or plans sub-questions
    # that engines answer before a final synthesis
    + tuple(
        Construct(name, kind="workflow", pattern="routing")
        for name in (_ROUTER_QE, f"{_ROUTER_QE}.from_defaults")
    )
    + tuple(
        Construct(name, kind="workflow", pattern="orchestrator_workers")
        for name in (_SUBQ_QE, f"{_SUBQ_QE}.from_defaults")
    ),
    notes=(
        "Source: llama-index-core run-llama/llama_index@011ea534 agent/workflow/base_agent.py; llama-index-workflows 2.20.0 run-llama/workflows-py@0b2098b7.",
    ),
)
