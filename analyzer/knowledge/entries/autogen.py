"""AutoGen: agentchat (AssistantAgent, teams run/run_stream, model clients) and the older
`autogen`/ag2 ConversableAgent.initiate_chat API.

Read in autogen-agentchat 0.7.5 (microsoft/autogen @ 027ecf0a,
python/packages/autogen-agentchat/src/autogen_agentchat):
- `agents/_assistant_agent.py`: `max_tool_iterations: int = Field(default=1, ge=1)`,
  `reflect_on_tool_use` (one more model call over the tool results).
- `teams/_group_chat/_round_robin_group_chat.py`, `_selector_group_chat.py`,
  `_swarm_group_chat.py`: `max_turns: int | None = None`, `termination_condition=None`;
  SelectorGroupChat `max_selector_attempts: int = 3`.
- `teams/_group_chat/_magentic_one/_magentic_one_group_chat.py`: `max_turns: int | None =
  20`, `max_stalls: int = 3`.
- `conditions/`: MaxMessageTermination(max_messages), TextMentionTermination,
  StopMessageTermination, TokenUsageTermination, HandoffTermination,
  TimeoutTermination(timeout_seconds), ExternalTermination, SourceMatchTermination,
  TextMessageTermination, FunctionCallTermination, FunctionalTermination; combined with
  `|` / `&`.
Read in autogen 0.2.40 (branch 0.2, `autogen/agentchat`): `conversable_agent.py`
`MAX_CONSECUTIVE_AUTO_REPLY = 100`, `initiate_chat(..., max_turns: Optional[int] = None)`;
`groupchat.py` `max_round: int = 10`.
"""

from analyzer.knowledge.spec import (
    Bound,
    Construct,
    Entry,
    Family,
    ResultRule,
    TypeDecl,
    model,
    on,
)

_AGENT = "autogen_agentchat.agents.BaseChatAgent"
_TEAM = "autogen_agentchat.teams.BaseGroupChat"
_CLIENT = "autogen_core.models.ChatCompletionClient"
_CONV = "autogen.ConversableAgent"
_RUN = (
    model("run", kind="framework_run", tools_bound=True, is_async=True),
    model("run_stream", kind="framework_run", tools_bound=True, streaming=True, is_async=True),
)
_TEAM_BOUNDS = (
    Bound("max_turns", None, unit="turns"),
    Bound("termination_condition", None, unit="condition"),
)

ENTRY = Entry(
    key="autogen",
    title="AutoGen (autogen-agentchat, autogen-ext; pyautogen/ag2 `autogen`)",
    roots=("autogen_agentchat", "autogen_core", "autogen_ext", "autogen"),
    packages=("autogen-agentchat", "autogen-ext", "pyautogen", "ag2"),
    aliases=(
        ("autogen.agentchat.ConversableAgent", _CONV),
        ("autogen.agentchat.AssistantAgent", "autogen.AssistantAgent"),
        ("autogen.agentchat.UserProxyAgent", "autogen.UserProxyAgent"),
        ("autogen.agentchat.GroupChat", "autogen.GroupChat"),
        ("autogen.agentchat.GroupChatManager", "autogen.GroupChatManager"),
    ),
    types=(
        TypeDecl(_AGENT),
        TypeDecl(_TEAM),
        TypeDecl(_CLIENT, is_async=True),
        TypeDecl(_CONV),
        TypeDecl("autogen.AssistantAgent", bases=(_CONV,)),
        TypeDecl("autogen.UserProxyAgent", bases=(_CONV,)),
        TypeDecl("autogen.GroupChatManager", bases=(_CONV,)),
    ),
    families=(
        Family("autogen_agentchat.agents.*", _AGENT),
        Family("autogen_agentchat.teams.*", _TEAM),
        Family("autogen_ext.models.*.*Client", _CLIENT),
    ),
    # a model client built from a config (`ChatCompletionClient.load_component(cfg)`)
    results=(ResultRule(f"{_CLIENT}.load_component", _CLIENT),),
    model_calls=on("autogen", (_AGENT,), (), _RUN, role="agent")
    + on("autogen", (_TEAM,), (), _RUN, role="team")
    + on(
        "autogen",
        (),
        (_CLIENT,),
        (
            model("create", tools_kw=("tools",)),
            model("create_stream", tools_kw=("tools",), streaming=True),
        ),
        role="model_client",
    )
    + on(
        "autogen",
        (_CONV,),
        (),
        (
            model("initiate_chat", kind="framework_run"),
            model("a_initiate_chat", kind="framework_run", is_async=True),
            model("generate_reply"),
            model("a_generate_reply", is_async=True),
            model("initiate_chats", kind="framework_run", note="a sequence of chats"),
            model("a_initiate_chats", kind="framework_run", is_async=True),
            model("run", kind="framework_run", note="ag2 >= 0.8 single-agent run (unverified)"),
        ),
        role="agent",
    )
    + on(
        "autogen",
        (_AGENT,),
        (),
        (
            model("on_messages", kind="framework_run", tools_bound=True, is_async=True),
            model(
                "on_messages_stream",
                kind="framework_run",
                tools_bound=True,
                streaming=True,
                is_async=True,
            ),
        ),
        role="agent",
    ),
    constructs=(
        Construct(
            "autogen_agentchat.agents.AssistantAgent",
            kind="agent",
            agentic_params=("tools", "handoffs", "workbench"),
            bounds=(Bound("max_tool_iterations", 1, unit="iterations"),),
            default_bound_note="AssistantAgent runs 1 tool iteration per call unless max_tool_iterations is set",
        ),
    )
    + tuple(
        Construct(
            f"autogen_agentchat.teams.{t}",
            kind="team",
            # the model's messages decide when a team stops (termination conditions)
            agentic=True,
            bounds=_TEAM_BOUNDS,
            default_bound_note="autogen teams: max_turns=None and no termination condition by default",
        )
        for t in ("RoundRobinGroupChat", "SelectorGroupChat", "Swarm", "GraphFlow")
    )
    + (
        Construct(
            "autogen_agentchat.teams.MagenticOneGroupChat",
            kind="team",
            agentic=True,
            bounds=(Bound("max_turns", 20, unit="turns"), Bound("max_stalls", 3, unit="stalls")),
            default_bound_note="MagenticOneGroupChat max_turns=20, max_stalls=3 "
            "(autogen-agentchat 0.7.5)",
        ),
        Construct(
            f"{_TEAM}.run",
            kind="run",
            default_bound_note="bounded only by the team's max_turns/termination",
        ),
        Construct(
            _CONV,
            kind="agent",
            agentic_params=("function_map", "llm_config"),
            bounds=(Bound("max_consecutive_auto_reply", 100, unit="replies"),),
            default_bound_note="ConversableAgent max_consecutive_auto_reply defaults to "
            "MAX_CONSECUTIVE_AUTO_REPLY=100 (autogen 0.2.40 conversable_agent.py)",
        ),
        Construct(
            f"{_CONV}.initiate_chat",
            kind="run",
            runs=("recipient", 0),
            bounds=(Bound("max_turns", None, where="run", unit="turns"),),
            default_bound_note="initiate_chat max_turns=None: bounded only by auto-reply limits",
        ),
        Construct(
            "autogen_agentchat.conditions.MaxMessageTermination",
            kind="termination",
            bounds=(Bound("max_messages", None, pos=0, unit="messages"),),
            default_bound_note="stops a team after max_messages messages",
        ),
        Construct(
            "autogen_agentchat.conditions.TimeoutTermination",
            kind="termination",
            bounds=(Bound("timeout_seconds", None, pos=0, unit="seconds"),),
            default_bound_note="stops a team after timeout_seconds",
        ),
        Construct(
            "autogen_agentchat.conditions.TokenUsageTermination",
            kind="termination",
            bounds=(Bound("max_total_token", None, unit="tokens"),),
            default_bound_note="stops a team past a token budget",
        ),
        # GroupChatManager(groupchat=gc, llm_config=...) runs gc: run_chat loops
        # `for i in range(groupchat.max_round)`, the manager's model picking each speaker
        # (autogen 0.2.40 groupchat.py)
        Construct("autogen.GroupChatManager", kind="team", delegates="groupchat"),
        Construct(
            "autogen.GroupChat",
            kind="team",
            agentic=True,
            bounds=(Bound("max_round", 10, unit="rounds"),),
            default_bound_note="GroupChat max_round defaults to 10 (autogen 0.2.40 groupchat.py)",
        ),
    ),
    notes=(
        "Source: autogen-agentchat 0.7.5, microsoft/autogen@027ecf0a (python/packages/autogen-agentchat); autogen 0.2.40 (branch 0.2) autogen/agentchat.",
    ),
)
