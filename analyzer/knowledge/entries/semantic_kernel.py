"""Semantic Kernel (Python): Kernel, chat completion services, agents, group chats and
orchestrations.

Read in semantic-kernel 1.44.1 (microsoft/semantic-kernel @ b39d95a3, python/semantic_kernel):
- `connectors/ai/function_choice_behavior.py`: `DEFAULT_MAX_AUTO_INVOKE_ATTEMPTS = 5`;
  `FunctionChoiceBehavior.Auto()` lets the model call kernel functions, at most 5 rounds
  of auto-invocation per request (0 when auto_invoke=False).
- `kernel.py`: async `invoke`, `invoke_prompt`, `invoke_stream`, `invoke_prompt_stream`.
- `agents/chat_completion/chat_completion_agent.py`: async `get_response`, `invoke`,
  `invoke_stream` (tools = the kernel's plugins, `plugins=[...]`).
- `agents/group_chat/agent_group_chat.py`: `termination_strategy` defaults to
  `DefaultTerminationStrategy` (`maximum_iterations = 5`; a custom
  `TerminationStrategy` defaults to 99); `invoke()` loops `for _ in
  range(maximum_iterations)`.
- `agents/orchestration/`: Sequential, Concurrent, Handoff, GroupChat
  (`RoundRobinGroupChatManager.max_rounds: int | None = None`) and Magentic
  (`max_round_count=None`, `max_stall_count=3`, `max_reset_count=None`), run by async
  `invoke(task=..., runtime=...)`.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, Family, TypeDecl, model, on

_SK = "semantic_kernel"
_KERNEL = f"{_SK}.Kernel"
_CHAT = f"{_SK}.connectors.ai.chat_completion_client_base.ChatCompletionClientBase"
_TEXT = f"{_SK}.connectors.ai.text_completion_client_base.TextCompletionClientBase"
_AGENT = f"{_SK}.agents.Agent"
_GROUP = f"{_SK}.agents.AgentGroupChat"
_ORCH = f"{_SK}.agents.orchestration.OrchestrationBase"

_AUTO_INVOKE = Bound(
    "maximum_auto_invoke_attempts",
    5,
    where="config",
    container="function_choice_behavior",
    unit="auto-invoke rounds",
    package="semantic-kernel",
)
_NOTE = (
    "semantic-kernel FunctionChoiceBehavior.Auto: at most 5 auto-invoke rounds "
    "(DEFAULT_MAX_AUTO_INVOKE_ATTEMPTS, function_choice_behavior.py)"
)

ENTRY = Entry(
    key="semantic_kernel",
    title="Semantic Kernel (Python)",
    roots=(_SK,),
    packages=("semantic-kernel",),
    aliases=(
        (f"{_SK}.kernel.Kernel", _KERNEL),
        (
            f"{_SK}.agents.chat_completion.chat_completion_agent.ChatCompletionAgent",
            f"{_SK}.agents.ChatCompletionAgent",
        ),
        (f"{_SK}.agents.group_chat.agent_group_chat.AgentGroupChat", _GROUP),
        (f"{_SK}.agents.orchestration.orchestration_base.OrchestrationBase", _ORCH),
        (
            f"{_SK}.agents.orchestration.sequential.SequentialOrchestration",
            f"{_SK}.agents.SequentialOrchestration",
        ),
        (
            f"{_SK}.agents.orchestration.concurrent.ConcurrentOrchestration",
            f"{_SK}.agents.ConcurrentOrchestration",
        ),
    ),
    types=(
        TypeDecl(_KERNEL, is_async=True),
        TypeDecl(_CHAT, is_async=True),
        TypeDecl(_TEXT, is_async=True),
        TypeDecl(_AGENT, is_async=True),
        TypeDecl(_GROUP, is_async=True),
        TypeDecl(_ORCH, is_async=True),
    ),
    families=(
        Family(f"{_SK}.connectors.ai.**.*ChatCompletion", _CHAT),
        Family(f"{_SK}.connectors.ai.**.*TextCompletion", _TEXT),
        Family(f"{_SK}.agents.*Agent", _AGENT),
        Family(f"{_SK}.agents.*Orchestration", _ORCH),
    ),
    model_calls=on(
        "semantic_kernel",
        (),
        (_KERNEL,),
        (
            model("invoke", kind="framework_run", tools_bound=True),
            model("invoke_prompt", kind="framework_run", tools_bound=True),
            model("invoke_stream", kind="framework_run", tools_bound=True, streaming=True),
            model("invoke_prompt_stream", kind="framework_run", tools_bound=True, streaming=True),
        ),
        role="kernel",
    )
    + on(
        "semantic_kernel",
        (),
        (_CHAT,),
        (
            model("get_chat_message_content"),
            model("get_chat_message_contents"),
            model("get_streaming_chat_message_content", streaming=True),
            model("get_streaming_chat_message_contents", streaming=True),
        ),
        role="chat_service",
    )
    + on(
        "semantic_kernel",
        (),
        (_TEXT,),
        (
            model("get_text_content"),
            model("get_text_contents"),
            model("get_streaming_text_content", streaming=True),
        ),
        role="text_service",
    )
    + on(
        "semantic_kernel",
        (),
        (_AGENT,),
        (
            model("get_response", kind="framework_run", tools_bound=True),
            model("invoke", kind="framework_run", tools_bound=True, streaming=True),
            model("invoke_stream", kind="framework_run", tools_bound=True, streaming=True),
        ),
        role="agent",
    )
    + on(
        "semantic_kernel",
        (),
        (_GROUP,),
        (
            model("invoke", kind="framework_run", tools_bound=True, streaming=True),
            model("invoke_stream", kind="framework_run", tools_bound=True, streaming=True),
        ),
        role="group_chat",
    )
    + on(
        "semantic_kernel",
        (),
        (_ORCH,),
        (model("invoke", kind="framework_run", tools_bound=True),),
        role="orchestration",
    ),
    not_model_calls=(
        f"{_SK}.connectors.ai.embeddings.EmbeddingGeneratorBase.generate_embeddings",
        f"{_SK}.connectors.ai.open_ai.OpenAITextEmbedding.generate_embeddings",
    ),
    constructs=(
        Construct(
            f"{_SK}.agents.ChatCompletionAgent",
            kind="agent",
            agentic_params=("plugins", "functions"),
            bounds=(_AUTO_INVOKE,),
            default_bound_note=_NOTE,
        ),
        Construct(
            _GROUP,
            kind="team",
            agentic=True,
            bounds=(
                Bound(
                    "maximum_iterations",
                    5,
                    where="config",
                    container="termination_strategy",
                    unit="turns",
                ),
            ),
            default_bound_note="AgentGroupChat: DefaultTerminationStrategy maximum_iterations=5 "
            "(a custom TerminationStrategy defaults to 99)",
        ),
        Construct(
            f"{_SK}.agents.SequentialOrchestration",
            kind="workflow",
            pattern="prompt_chaining",
            note="members run in order, each on the previous one's output",
        ),
        Construct(
            f"{_SK}.agents.ConcurrentOrchestration",
            kind="workflow",
            pattern="parallelization_sectioning",
            note="members run concurrently on the same task",
        ),
        Construct(
            f"{_SK}.agents.HandoffOrchestration",
            kind="team",
            agentic=True,
            default_bound_note="handoffs are chosen by the agents' models; no round limit",
        ),
        Construct(
            f"{_SK}.agents.GroupChatOrchestration",
            kind="team",
            agentic=True,
            # the manager object passed in holds the limit (should_terminate ends the chat
            # once current_round > max_rounds; subclasses keep it through super())
            bounds=(Bound("max_rounds", None, container="manager", unit="rounds"),),
            default_bound_note="RoundRobinGroupChatManager max_rounds=None (group_chat.py)",
        ),
        Construct(
            f"{_SK}.agents.RoundRobinGroupChatManager",
            kind="team",
            bounds=(Bound("max_rounds", None, unit="rounds"),),
            default_bound_note="RoundRobinGroupChatManager max_rounds=None (group_chat.py)",
        ),
        Construct(
            f"{_SK}.agents.MagenticOrchestration",
            kind="team",
            agentic=True,
            bounds=(Bound("max_round_count", None, container="manager", unit="rounds"),),
            default_bound_note="StandardMagenticManager max_round_count=None, "
            "max_stall_count=3, max_reset_count=None (magentic.py)",
        ),
        Construct(
            f"{_SK}.agents.StandardMagenticManager",
            kind="team",
            bounds=(
                Bound("max_round_count", None, unit="rounds"),
                Bound("max_reset_count", None, unit="resets"),
                Bound("max_stall_count", 3, unit="stalls"),
            ),
            default_bound_note="max_round_count=None, max_stall_count=3 (magentic.py)",
        ),
        Construct(
            f"{_SK}.connectors.ai.FunctionChoiceBehavior.Auto",
            kind="settings",
            bounds=(Bound("maximum_auto_invoke_attempts", 5, unit="rounds"),),
            default_bound_note=_NOTE,
        ),
        Construct(f"{_SK}.functions.kernel_function", kind="tool", decorator=True),
        # filters run around every function invocation of the kernel they are added to
        # (kernel.py: add_filter / filter; filters/filter_types.py)
        Construct(f"{_KERNEL}.add_filter", kind="hook", calls_params=("filter",)),
        Construct(f"{_KERNEL}.filter", kind="hook", decorator=True),
    ),
    notes=(
        "Source: semantic-kernel 1.44.1, microsoft/semantic-kernel@b39d95a3, python/semantic_kernel/{connectors/ai/function_choice_behavior.py, agents/}.",
        "All Semantic Kernel model calls are coroutines.",
        "Labels: semantic_kernel.kernel.invoke_prompt, semantic_kernel.chat_service."
        "get_chat_message_content, semantic_kernel.agent.get_response, "
        "semantic_kernel.orchestration.invoke.",
    ),
)
