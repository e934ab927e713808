"""AL101 missing-stop-condition."""

from __future__ import annotations

from analyzer.lint.engine import Example, Rule


class MissingStopCondition(Rule):
    name = "missing-stop-condition"
    code = "AL101"
    severity = "error"
    summary = "A loop whose continuation the model owns has no hard bound"
    docs = """
## What it does
Finds loops whose next round is decided by model output — an agent loop dispatching the
tools the model asks for, an evaluator loop waiting for a judge to pass, a `while True`
around model calls, a framework agent run with its turn limit switched off — that have no
iteration, turn, time or budget limit.

## Why it matters
Nothing in the code guarantees such a loop ends: a model that keeps asking for tools, or a
judge that never passes, spends tokens, money and wall time until something outside the
program stops it. The cost and latency of one run are unbounded, and a reviewer cannot say
what one request may cost.

## Example
```python
while True:
    response = client.messages.create(model=MODEL, max_tokens=1024, tools=TOOLS, messages=messages)
    if response.stop_reason != "tool_use":
        break
    messages += run_tools(response)
```

## Use instead
Bound the loop (`for turn in range(MAX_TURNS): ...` with a clear outcome when the limit is
hit), pass the framework's limit explicitly (`Runner.run(agent, q, max_turns=8)`), or use
`analyzer.runtime.agent_loop(..., max_steps=8)` / `evaluate_optimize(..., max_rounds=3)`,
whose bounds are finite by default and report the stop reason.

## References
- A framework's documented default limit (a default turn or step limit) counts as a
  bound: the unit then reports `stop_condition: default`, and `nominal-default-bound`
  (AL203) says when that default is too high to matter.
- Anthropic, "Building effective agents" (stopping conditions for agents)
"""

    VALID = (
        Example(
            """\
import anthropic

client = anthropic.Anthropic()
TOOLS = {"search": lambda q: q}


def run(messages):
    for _turn in range(8):
        response = client.messages.create(model="m", max_tokens=64, tools=[], messages=messages)
        if response.stop_reason != "tool_use":
            return response
        for block in response.content:
            if block.type == "tool_use":
                messages.append(TOOLS[block.name](**block.input))
    raise RuntimeError("no answer in 8 turns")
"""
        ),
        Example(
            """\
import anthropic

client = anthropic.Anthropic()


def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])


def chain(text):
    for step in ["outline", "draft", "polish"]:
        text = ask(f"{step}: {text}").content[0].text
    return text
"""
        ),
        Example(
            """\
import time
import openai

client = openai.OpenAI()


def loop(messages):
    started = time.monotonic()
    while time.monotonic() - started < 60:
        r = client.chat.completions.create(model="m", messages=messages, tools=[])
        if r.choices[0].finish_reason == "stop":
            return r
        messages.append(r.choices[0].message)
"""
        ),
        Example(
            """\
import openai

client = openai.OpenAI()


def chat():
    while True:
        question = input("> ")
        if not question:
            break
        print(client.chat.completions.create(model="m", messages=[{"role": "user", "content": question}]))
"""
        ),
    )
    INVALID = (
        Example(
            """\
import anthropic

client = anthropic.Anthropic()
TOOLS = {"search": lambda q: q}


def run(messages):
    while True:  # expect: missing-stop-condition
        response = client.messages.create(model="m", max_tokens=64, tools=[], messages=messages)
        if response.stop_reason != "tool_use":
            return response
        for block in response.content:
            if block.type == "tool_use":
                messages.append(TOOLS[block.name](**block.input))
"""
        ),
        Example(
            """\
import openai

client = openai.OpenAI()


def llm(prompt):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def refine(task):
    draft = llm(task)
    while True:  # expect: missing-stop-condition
        verdict = llm(f"Grade this, answer PASS or FAIL: {draft}")
        if "PASS" in verdict:
            return draft
        draft = llm(f"Improve: {draft}\\nFeedback: {verdict}")
"""
        ),
        Example(
            """\
import json
import openai

client = openai.OpenAI()
TOOLS = {"add": lambda a, b: a + b}


def agent(messages):
    steps = 0
    while True:  # expect: missing-stop-condition
        steps += 1
        r = client.chat.completions.create(model="m", messages=messages, tools=[])
        msg = r.choices[0].message
        if not msg.tool_calls:
            return msg.content
        for call in msg.tool_calls:
            messages.append(TOOLS[call.function.name](**json.loads(call.function.arguments)))
"""
        ),
        Example(
            """\
import litellm


def ask(messages):
    while True:  # expect: missing-stop-condition
        reply = litellm.completion(model="m", messages=messages).choices[0].message.content
        if "DONE" in reply:
            return reply
        messages.append({"role": "assistant", "content": reply})
"""
        ),
    )

    def check(self, ctx):
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None:
                continue
            for verdict in uf.model_loops:
                if verdict.status == "missing":
                    yield self.finding(
                        unit,
                        verdict.line,
                        f"loop continued by model output has no hard bound ({verdict.evidence}); "
                        "bound it with an iteration, turn, time or budget limit, e.g. "
                        "analyzer.runtime.agent_loop(max_steps=...)",
                    )
