"""LangChain: chat models and LLMs, LCEL runnables, legacy chains, AgentExecutor, create_agent."""

from dataclasses import replace

from analyzer.knowledge.spec import (
    SELF,
    Bound,
    Compose,
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

RUNNABLE = "langchain_core.runnables.Runnable"
CHAT = "langchain_core.language_models.BaseChatModel"
LLM = "langchain_core.language_models.BaseLLM"
#: pseudo type: a chat model with tools bound (`llm.bind_tools(tools)`)
CHAT_TOOLS = "langchain_core.language_models.ChatModelWithTools"
#: an LCEL sequence that contains a model (`prompt | llm | parser`)
SEQ = "langchain_core.runnables.RunnableSequence"
EXECUTOR = "langchain.agents.AgentExecutor"
LLM_CHAIN = "langchain.chains.LLMChain"
#: pseudo type: the compiled graph `langchain.agents.create_agent` returns
CREATE_AGENT_GRAPH = "langchain.agents.CompiledAgent"
GRAPH = "langgraph.graph.state.CompiledStateGraph"
#: branches run concurrently on one input (`RunnableParallel(a=chain_a, b=chain_b)`)
PARALLEL = "langchain_core.runnables.RunnableParallel"
HISTORY = "langchain_core.runnables.RunnableWithMessageHistory"

_RUN_METHODS = (
    model("invoke"),
    model("ainvoke", is_async=True),
    model("stream", streaming=True),
    model("astream", streaming=True, is_async=True),
    model("astream_events", streaming=True, is_async=True),
    model("batch"),
    model("abatch", is_async=True),
    model("batch_as_completed"),
    model("abatch_as_completed", is_async=True),
)
_LEGACY_MODEL = (
    model("predict"),
    model("apredict", is_async=True),
    model("predict_messages"),
    model("generate"),
    model("agenerate", is_async=True),
    model("__call__", api="langchain.chat_model"),
)
_LEGACY_CHAIN = (
    model("run"),
    model("arun", is_async=True),
    model("predict"),
    model("apredict", is_async=True),
    model("__call__", api="langchain.chain"),
    model("acall", is_async=True),
)
#: legacy Chain classes that hold a model (run like LLMChain)
_LEGACY_CHAINS = (
    "langchain.chains.RetrievalQA",
    "langchain.chains.RetrievalQAWithSourcesChain",
    "langchain.chains.ConversationalRetrievalChain",
    "langchain.chains.ConversationChain",
    "langchain.chains.SequentialChain",
    "langchain.chains.SimpleSequentialChain",
    "langchain.chains.LLMMathChain",
)
#: LCEL constructors whose result is a runnable that contains a model
_LCEL_FACTORIES = (
    "langchain.chains.create_retrieval_chain",
    "langchain.chains.create_history_aware_retriever",
    "langchain.chains.combine_documents.create_stuff_documents_chain",
    "langchain.chains.create_sql_query_chain",
    "langchain.chains.openai_functions.create_structured_output_runnable",
)

_EXEC_BOUNDS = (
    Bound(
        "max_iterations", 15, where="ctor", unit="iterations", on_hit='returns "Agent stopped..."'
    ),
    Bound("max_execution_time", None, where="ctor", unit="seconds"),
)
_CREATE_AGENT_BOUND = Bound(
    "recursion_limit",
    9999,
    where="config",
    container="config",
    unit="steps",
    on_hit="GraphRecursionError",
)


#: text-completion LLM classes (`llm.invoke("...")` is a model call) in partner packages;
#: chat models are the `langchain_*.Chat*` family
_PARTNER_LLMS = (
    "langchain_openai.OpenAI",
    "langchain_openai.AzureOpenAI",
    "langchain_ollama.OllamaLLM",
    "langchain_google_genai.GoogleGenerativeAI",
    "langchain_google_vertexai.VertexAI",
    "langchain_aws.BedrockLLM",
    "langchain_aws.SagemakerEndpoint",
    "langchain_huggingface.HuggingFaceEndpoint",
    "langchain_huggingface.HuggingFacePipeline",
    "langchain_fireworks.Fireworks",
    "langchain_together.Together",
    "langchain_mistralai.MistralAI",
    "langchain_cohere.Cohere",
    "langchain_anthropic.AnthropicLLM",
)


def _with(calls, **kw):
    return tuple(replace(c, **kw) for c in calls)


ENTRY = Entry(
    key="langchain",
    title="LangChain (langchain, langchain_core, langchain_community, langchain_<provider>)",
    roots=("langchain", "langchain_*"),
    packages=("langchain", "langchain-core", "langchain-community"),
    aliases=(
        ("langchain.schema.runnable", "langchain_core.runnables"),
        ("langchain_core.runnables.base.Runnable", RUNNABLE),
        ("langchain_core.runnables.base.RunnableSequence", SEQ),
        ("langchain_core.runnables.base.RunnableParallel", PARALLEL),
        ("langchain_core.runnables.RunnableMap", PARALLEL),
        ("langchain_core.runnables.history.RunnableWithMessageHistory", HISTORY),
        ("langchain.schema.runnable.RunnableWithMessageHistory", HISTORY),
        ("langchain.schema.runnable.RunnableParallel", PARALLEL),
        ("langchain_core.language_models.chat_models.BaseChatModel", CHAT),
        ("langchain_core.language_models.llms.BaseLLM", LLM),
        ("langchain.llms", "langchain_community.llms"),
        ("langchain.prompts", "langchain_core.prompts"),
        (
            "langchain_core.prompts.chat.ChatPromptTemplate",
            "langchain_core.prompts.ChatPromptTemplate",
        ),
        ("langchain_core.prompts.prompt.PromptTemplate", "langchain_core.prompts.PromptTemplate"),
        ("langchain.agents.agent.AgentExecutor", EXECUTOR),
        ("langchain.chains.llm.LLMChain", LLM_CHAIN),
        # langchain >= 1.0 moved the legacy chains and agents to langchain-classic
        ("langchain_classic", "langchain"),
        (
            "langchain.chains.retrieval.create_retrieval_chain",
            "langchain.chains.create_retrieval_chain",
        ),
        (
            "langchain.chains.history_aware_retriever.create_history_aware_retriever",
            "langchain.chains.create_history_aware_retriever",
        ),
        (
            "langchain.chains.combine_documents.stuff.create_stuff_documents_chain",
            "langchain.chains.combine_documents.create_stuff_documents_chain",
        ),
        ("langchain.chains.retrieval_qa.base.RetrievalQA", "langchain.chains.RetrievalQA"),
        ("langchain.chat_models.base.init_chat_model", "langchain.chat_models.init_chat_model"),
        ("langchain.agents.factory.create_agent", "langchain.agents.create_agent"),
        ("langchain.callbacks.tracers.LangChainTracer", "langchain_core.tracers.LangChainTracer"),
        (
            "langchain_core.tracers.langchain.LangChainTracer",
            "langchain_core.tracers.LangChainTracer",
        ),
    ),
    alias_patterns=(
        # langchain_openai.chat_models.base.ChatOpenAI -> langchain_openai.ChatOpenAI
        (
            r"^(langchain_(?!community|core)\w+)\.chat_models(?:\.\w+)*?\.((?:Azure)?Chat\w+)(?=\.|$)",
            r"\1.\2",
        ),
        # any other module of a partner package:
        # langchain_google_vertexai.model_garden.ChatAnthropicVertex -> ..._vertexai.ChatAnthropicVertex
        (
            r"^(langchain_(?!community|core)\w+)\.(?:\w+\.)+?((?:Azure)?Chat[A-Z]\w*)(?=\.|$)",
            r"\1.\2",
        ),
        # langchain_community.chat_models.openai.ChatOpenAI -> langchain_community.chat_models.ChatOpenAI
        (
            r"^langchain_community\.chat_models\.\w+\.(\w*Chat\w*)(?=\.|$)",
            r"langchain_community.chat_models.\1",
        ),
        # langchain.chat_models.ChatOpenAI (old re-export) -> langchain_community.chat_models.ChatOpenAI
        (r"^langchain\.chat_models\.(\w*Chat\w*)(?=\.|$)", r"langchain_community.chat_models.\1"),
    ),
    types=(
        TypeDecl(RUNNABLE),
        TypeDecl(CHAT, bases=(RUNNABLE,)),
        TypeDecl(LLM, bases=(RUNNABLE,)),
        TypeDecl(CHAT_TOOLS, bases=(CHAT,)),
        TypeDecl(SEQ, bases=(RUNNABLE,)),
        TypeDecl(PARALLEL, bases=(RUNNABLE,)),
        # wraps a chain with chat history: invoking it runs the chain (which has a model)
        TypeDecl(HISTORY, bases=(SEQ,)),
        TypeDecl("langchain_core.prompts.ChatPromptTemplate", bases=(RUNNABLE,)),
        TypeDecl("langchain_core.prompts.PromptTemplate", bases=(RUNNABLE,)),
    )
    # completion-style (non-chat) LLM classes of the partner packages
    + tuple(TypeDecl(name, bases=(LLM,)) for name in _PARTNER_LLMS)
    + (
        TypeDecl(EXECUTOR, bases=(RUNNABLE,)),
        TypeDecl(LLM_CHAIN),
    )
    + tuple(TypeDecl(name, bases=(LLM_CHAIN,)) for name in _LEGACY_CHAINS)
    + (TypeDecl(CREATE_AGENT_GRAPH, bases=(GRAPH,)),),
    families=(
        Family("langchain_*.Chat*", CHAT),
        Family("langchain_*.AzureChat*", CHAT),
        Family("langchain_community.chat_models.*", CHAT),
        Family("langchain_community.llms.*", LLM),
        Family("langchain_core.prompts.*", RUNNABLE),
        Family("langchain_core.output_parsers.*", RUNNABLE),
        Family("langchain_core.runnables.*", RUNNABLE),
    ),
    results=(
        ResultRule("langchain.chat_models.init_chat_model", CHAT),
        ResultRule(f"{CHAT}.bind_tools", CHAT_TOOLS),
        ResultRule(f"{CHAT}.with_structured_output", SELF),
        ResultRule(f"{RUNNABLE}.with_retry", SELF),
        ResultRule(f"{RUNNABLE}.with_config", SELF),
        ResultRule(f"{RUNNABLE}.with_fallbacks", SELF),
        ResultRule(f"{RUNNABLE}.bind", SELF),
        ResultRule(f"{RUNNABLE}.configurable_fields", SELF),
        ResultRule(
            "langchain_core.prompts.ChatPromptTemplate.from_messages",
            "langchain_core.prompts.ChatPromptTemplate",
        ),
        ResultRule(
            "langchain_core.prompts.ChatPromptTemplate.from_template",
            "langchain_core.prompts.ChatPromptTemplate",
        ),
        ResultRule(
            "langchain_core.prompts.PromptTemplate.from_template",
            "langchain_core.prompts.PromptTemplate",
        ),
        ResultRule("langchain.agents.initialize_agent", EXECUTOR),
        # toolkit agents built on AgentExecutor
        ResultRule("langchain_community.agent_toolkits.create_sql_agent", EXECUTOR),
        ResultRule("langchain_community.agent_toolkits.sql.base.create_sql_agent", EXECUTOR),
        ResultRule("langchain_experimental.agents.create_pandas_dataframe_agent", EXECUTOR),
        ResultRule("langchain_experimental.agents.create_csv_agent", EXECUTOR),
    )
    + tuple(ResultRule(f, SEQ) for f in _LCEL_FACTORIES)
    + tuple(
        ResultRule(f"{c}.{m}", c)
        for c in _LEGACY_CHAINS
        for m in ("from_llm", "from_chain_type", "from_chains")
    )
    + (
        ResultRule("langchain.chains.summarize.load_summarize_chain", LLM_CHAIN),
        ResultRule("langchain.chains.question_answering.load_qa_chain", LLM_CHAIN),
        ResultRule(f"{EXECUTOR}.from_agent_and_tools", EXECUTOR),
        ResultRule("langchain.agents.create_agent", CREATE_AGENT_GRAPH),
    ),
    compose=(Compose("|", RUNNABLE, "invoke", model_result=SEQ, plain_result=RUNNABLE),),
    model_calls=on("langchain", (CHAT,), (), _RUN_METHODS + _LEGACY_MODEL, role="chat_model")
    + on("langchain", (CHAT_TOOLS,), (), _with(_RUN_METHODS, tools_bound=True), role="chat_model")
    + on("langchain", (LLM,), (), _RUN_METHODS + _LEGACY_MODEL[:2], role="llm")
    + on("langchain", (SEQ,), (), _with(_RUN_METHODS, kind="framework_run"), role="chain")
    + on(
        "langchain",
        (PARALLEL,),
        (),
        _with(_RUN_METHODS[:2], kind="framework_run", fanout=True),
        role="parallel",
    )
    + on(
        "langchain",
        (LLM_CHAIN,),
        (),
        _with(_RUN_METHODS[:2] + _LEGACY_CHAIN, kind="framework_run"),
        role="chain",
    )
    + on(
        "langchain",
        (EXECUTOR,),
        (),
        _with(_RUN_METHODS + _LEGACY_CHAIN[:2], kind="framework_run", tools_bound=True),
        role="agent_executor",
    ),
    not_model_calls=(
        "langchain_openai.OpenAIEmbeddings.embed_query",
        "langchain_openai.OpenAIEmbeddings.embed_documents",
        # every partner/community embeddings class (OllamaEmbeddings, BedrockEmbeddings, ...)
        "langchain_*.*Embeddings.*",
        "langchain_community.embeddings.*.*",
        f"{CHAT}.get_num_tokens",
        f"{CHAT}.get_num_tokens_from_messages",
    ),
    constructs=(
        Construct(
            EXECUTOR,
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=_EXEC_BOUNDS,
            default_bound_note="AgentExecutor: max_iterations=15, max_execution_time=None",
        ),
        Construct(
            "langchain.agents.initialize_agent",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=_EXEC_BOUNDS,
            default_bound_note="AgentExecutor: max_iterations=15, max_execution_time=None",
        ),
        Construct(
            f"{EXECUTOR}.from_agent_and_tools",
            kind="agent",
            agentic=True,
            agentic_params=("tools",),
            bounds=_EXEC_BOUNDS,
            default_bound_note="AgentExecutor: max_iterations=15, max_execution_time=None",
        ),
    )
    + tuple(
        Construct(
            name,
            kind="agent",
            agentic=True,
            bounds=_EXEC_BOUNDS,
            default_bound_note="toolkit agent on AgentExecutor: max_iterations=15",
        )
        for name in (
            "langchain_community.agent_toolkits.create_sql_agent",
            "langchain_experimental.agents.create_pandas_dataframe_agent",
            "langchain_experimental.agents.create_csv_agent",
        )
    )
    + (
        Construct(
            "langchain.agents.create_agent",
            kind="agent",
            agentic_params=("tools",),
            bounds=(_CREATE_AGENT_BOUND,),
            default_bound_note="create_agent graphs run with recursion_limit 9999 unless config sets one",
        ),
    )
    + tuple(
        Construct(
            f"{CREATE_AGENT_GRAPH}.{m}",
            kind="run",
            bounds=(_CREATE_AGENT_BOUND,),
            default_bound_note="recursion_limit 9999 (create_agent default)",
        )
        for m in ("invoke", "ainvoke", "stream", "astream")
    ),
    retries=(
        RetrySpec(
            f"{RUNNABLE}.with_retry",
            library="langchain",
            kind="method",
            limit_params=("stop_after_attempt",),
            default_limit=3,
            note="Runnable.with_retry(): stop_after_attempt=3",
        ),
        RetrySpec(
            CHAT,
            library="langchain",
            kind="client",
            limit_params=("max_retries",),
            default_limit=2,
            limit_unit="retries",
            note="chat model max_retries is passed to the provider SDK (openai/anthropic default 2)",
        ),
    ),
    tracing=(
        TracingSpec("langchain_core.tracers.LangChainTracer", library="langsmith", kind="callback"),
        TracingSpec(
            "langchain_core.tracers.context.tracing_v2_enabled",
            library="langsmith",
            kind="span",
            forms=("context",),
        ),
    ),
    notes=(
        "Pseudo types: ChatModelWithTools (after bind_tools), CompiledAgent (create_agent).",
        "RunnableSequence stands for an LCEL sequence that contains a model; a sequence "
        "without one (prompt | parser) is a plain Runnable and invoking it is no LLM call.",
    ),
)
