"""AL203 nominal-default-bound."""

from __future__ import annotations

from analyzer import ir
from analyzer.lint.engine import Example, Rule, callees, finding_at


class NominalDefaultBound(Rule):
    name = "nominal-default-bound"
    code = "AL203"
    severity = "warning"
    summary = "A model-owned loop is bounded only by a framework default too large to matter"
    default_options = {"threshold": 1000}
    docs = """
## What it does
Finds framework agent runs whose only limit is the framework's default, when that default
is `threshold` steps or more (option, default 1000): LangGraph's `recursion_limit`
(10000 from 1.0.6, 10007 from 1.1.4), LangChain 1.x `create_agent` (9999), browser-use
(500 is below the default threshold; lower it to catch that too).

## Why it matters
`missing-stop-condition` accepts a documented default as a bound, and on paper it is one.
But a run that may take ten thousand model-chosen steps before the framework stops it is
unbounded for every practical purpose: its cost and latency are whatever the model makes
them. Upgrading the framework can silently raise the default (LangGraph went from 25 to
10007).

## Example
```python
agent = create_react_agent(model, tools)
agent.invoke({"messages": [("user", question)]})
```

## Use instead
Pass the limit you mean: `agent.invoke(inputs, config={"recursion_limit": 20})`,
`Runner.run(agent, q, max_turns=8)`, `AgentExecutor(..., max_iterations=10)`.

## Options
`[tool.archlint.rules.nominal-default-bound] threshold = 1000`: defaults at or above this
many steps are reported.

## References
- `archlint analyze` names the default each framework applies in the unit's
  `stop_condition.evidence`; the threshold is set with
  `[tool.archlint.rules.nominal-default-bound] threshold = N`.
"""

    VALID = (
        Example(
            """\
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent


def search(q: str) -> str:
    return q


agent = create_react_agent(ChatOpenAI(model="m"), [search])


def ask(question):
    return agent.invoke({"messages": [("user", question)]}, config={"recursion_limit": 20})
"""
        ),
        Example(
            """\
from agents import Agent, Runner, function_tool


@function_tool
def search(q: str) -> str:
    return q


agent = Agent(name="a", instructions="help", tools=[search])


def ask(question):
    return Runner.run_sync(agent, question)
"""
        ),
    )
    INVALID = (
        Example(
            """\
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent


def search(q: str) -> str:
    return q


agent = create_react_agent(ChatOpenAI(model="m"), [search])


def ask(question):
    return agent.invoke({"messages": [("user", question)]})  # expect: nominal-default-bound
"""
        ),
        Example(
            """\
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent


def search(q: str) -> str:
    return q


def ask(question):
    agent = create_react_agent(ChatOpenAI(model="m"), [search])
    for chunk in agent.stream({"messages": [("user", question)]}):  # expect: nominal-default-bound
        print(chunk)
"""
        ),
    )

    def check(self, ctx):
        try:
            threshold = float(ctx.options.get("threshold", 1000))
        except (TypeError, ValueError):
            threshold = 1000.0
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None or uf.root is None:
                continue
            for site in uf.root.sites():
                if site.kind != "model":
                    continue
                verdict = ctx.classifier.framework_loop(site)
                if verdict is None:
                    continue
                status, evidence, n = verdict
                if status != "default" or n is None or n < threshold:
                    continue
                if site.api.startswith("langgraph") and not _langgraph_can_loop(ctx, uf.facts):
                    continue
                yield finding_at(
                    self,
                    ctx,
                    unit,
                    site.call.loc,
                    f"this agent run is bounded only by a framework default of {n} steps "
                    f"({evidence}); pass an explicit limit",
                )


# A LangGraph graph can only go round when something routes back: a prebuilt agent, a
# conditional edge, a ToolNode, or a node returning Command(goto=...). A graph of plain
# edges runs each node once, whatever the recursion limit.
_LOOPING = frozenset(
    {
        "create_react_agent",
        "create_agent",
        "create_supervisor",
        "create_swarm",
        "add_conditional_edges",
        "ToolNode",
        "tools_condition",
        "Command",
        "Send",
    }
)


def _langgraph_can_loop(ctx, facts) -> bool:
    for scope in facts.scopes:
        for call in ir.scope_calls(scope):
            names = callees(ctx, facts, call) + [ir.dotted(call.func) or ""]
            if any(n.rsplit(".", 1)[-1] in _LOOPING for n in names):
                return True
    return False
