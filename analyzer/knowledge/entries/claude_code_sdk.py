"""claude-code-sdk / claude-agent-sdk: query() and ClaudeSDKClient (max_turns=None)."""

from analyzer.knowledge.spec import Bound, Construct, Entry, ModelCall, TypeDecl, model, on

_C = "claude_code_sdk"
_TURNS = Bound("max_turns", None, where="config", container="options", unit="turns")
_NOTE = "claude-code-sdk max_turns defaults to None (no limit)"

ENTRY = Entry(
    key="claude_code_sdk",
    title="Claude Code SDK / Claude Agent SDK",
    roots=("claude_code_sdk", "claude_agent_sdk"),
    packages=("claude-code-sdk", "claude-agent-sdk"),
    aliases=(
        ("claude_agent_sdk.ClaudeAgentOptions", f"{_C}.ClaudeCodeOptions"),
        ("claude_agent_sdk", _C),
    ),
    types=(TypeDecl(f"{_C}.ClaudeSDKClient", is_async=True),),
    model_calls=(
        ModelCall(
            f"{_C}.query",
            "claude_code_sdk.query",
            kind="framework_run",
            is_async=True,
            streaming=True,
            tools_bound=True,
        ),
    )
    + on(
        "claude_code_sdk",
        (),
        (f"{_C}.ClaudeSDKClient",),
        (model("query", kind="framework_run", tools_bound=True),),
        role="client",
    ),
    constructs=(
        Construct(
            f"{_C}.query", kind="runner", agentic=True, bounds=(_TURNS,), default_bound_note=_NOTE
        ),
        Construct(
            f"{_C}.ClaudeSDKClient",
            kind="agent",
            agentic=True,
            bounds=(_TURNS,),
            default_bound_note=_NOTE,
        ),
        Construct(
            f"{_C}.ClaudeCodeOptions",
            kind="options",
            bounds=(Bound("max_turns", None, unit="turns"),),
            default_bound_note=_NOTE,
        ),
    ),
)
