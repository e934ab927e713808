"""browser-use: Agent(task, llm).run(max_steps=500) and its own chat model wrappers.

Read in browser-use 0.13.8 (browser-use/browser-use @ 85ddbfed, browser_use/agent/service.py):
`async def run(self, max_steps: int = 500, ...)`, `def run_sync(self, max_steps: int = 500,
...)`; `Agent(..., max_failures: int = 5, max_actions_per_step: int = 5)`. Chat models
(`browser_use/__init__.py`): ChatOpenAI, ChatGoogle, ChatAnthropic, ChatAnthropicBedrock,
ChatAWSBedrock, ChatBrowserUse, ChatCerebras, ChatDeepSeek, ChatGroq, ChatLiteLLM,
ChatMistral, ChatAzureOpenAI, ChatOCIRaw, ChatOllama, ChatOpenRouter, ChatVercel.
"""

from analyzer.knowledge.spec import Bound, Construct, Entry, Family, TypeDecl, model, on

_AGENT = "browser_use.Agent"
_CHAT = "browser_use.llm.BaseChatModel"
_STEPS = Bound("max_steps", 500, where="run", unit="steps")

ENTRY = Entry(
    key="browser_use",
    title="browser-use",
    roots=("browser_use",),
    packages=("browser-use",),
    aliases=(("browser_use.agent.service.Agent", _AGENT),),
    types=(TypeDecl(_AGENT), TypeDecl(_CHAT)),
    families=(Family("browser_use.Chat*", _CHAT), Family("browser_use.llm.Chat*", _CHAT)),
    model_calls=on(
        "browser_use",
        (_AGENT,),
        (),
        (
            model("run", kind="framework_run", tools_bound=True, is_async=True),
            model("run_sync", kind="framework_run", tools_bound=True),
        ),
        role="agent",
    )
    + on("browser_use", (), (_CHAT,), (model("ainvoke"),), role="chat_model"),
    constructs=(
        Construct(
            _AGENT,
            kind="agent",
            agentic=True,
            agentic_params=("tools", "controller"),
            bounds=(_STEPS,),
            default_bound_note="browser-use Agent.run max_steps defaults to 500",
        ),
        Construct(
            f"{_AGENT}.run", kind="run", bounds=(_STEPS,), default_bound_note="max_steps=500"
        ),
        Construct(
            f"{_AGENT}.run_sync",
            kind="run",
            bounds=(_STEPS,),
            default_bound_note="max_steps=500",
        ),
    ),
    notes=(
        "Source: browser-use 0.13.8, browser-use/browser-use@85ddbfed, browser_use/agent/service.py.",
    ),
)
