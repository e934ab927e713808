"""A generated project with hundreds of systems, to test how reports scale.

Each module holds four entry points of different shapes (an unbounded agent loop, a wide
router, a fan-out over model output, a short chain) with long names, so the report has
wide diagrams, long table-of-contents entries and findings of several rules.
"""

from __future__ import annotations

from pathlib import Path

HEADER = """\
import asyncio
import json

import anthropic

client = anthropic.Anthropic(max_retries=0)
TOOLS = {{"search": lambda q: q, "fetch": lambda u: u}}


def ask_{i}(prompt):
    reply = client.messages.create(model="m", max_tokens=64, messages=[{{"role": "user", "content": prompt}}])
    return reply.content[0].text
"""

AGENT = """

def run_customer_support_agent_with_a_rather_long_descriptive_name_{i}(messages):
    while True:
        response = client.messages.create(model="m", max_tokens=64, tools=[], messages=messages)
        if response.stop_reason != "tool_use":
            return response
        for block in response.content:
            if block.type == "tool_use":
                messages.append(TOOLS[block.name](**block.input))
"""

ROUTER = """

def route_incoming_ticket_to_the_right_department_{i}(ticket):
    label = ask_{i}("classify: " + ticket)
{arms}
"""

FAN = """

async def summarise_every_section_the_model_listed_{i}(doc):
    sections = json.loads(ask_{i}("list the sections of: " + doc))
    return await asyncio.gather(*[asyncio.to_thread(ask_{i}, s) for s in sections])
"""

CHAIN = """

def outline_then_draft_then_polish_{i}(topic):
    outline = ask_{i}("outline " + topic)
    draft = ask_{i}("draft from " + outline)
    return ask_{i}("polish " + draft)
"""


def _arms(i: int, n: int) -> str:
    lines = []
    for k in range(n):
        kw = "if" if k == 0 else "elif"
        lines.append(f'    {kw} label == "department_number_{k}":')
        lines.append(f'        return ask_{i}("handle for department {k}: " + ticket)')
    return "\n".join(lines)


def write_big_project(root: Path, systems: int = 400) -> Path:
    """`systems` entry points (a multiple of four) in `systems // 4` modules under root."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(systems // 4):
        arms = _arms(i, 14 if i % 5 == 0 else 4)
        code = (
            HEADER.format(i=i)
            + AGENT.format(i=i)
            + ROUTER.format(i=i, arms=arms)
            + FAN.format(i=i)
            + CHAIN.format(i=i)
        )
        pkg = root / f"service_area_{i // 10}"
        pkg.mkdir(exist_ok=True)
        (pkg / f"module_with_a_long_name_{i}.py").write_text(code, encoding="utf-8")
    return root
