"""Test input for the review diagrams: one system whose paths need 15+ nodes to draw."""

import asyncio
import json
import logging

import anthropic

log = logging.getLogger("big_app")
client = anthropic.Anthropic()
aclient = anthropic.AsyncAnthropic()
MODEL = "claude-sonnet-4-5"
MAX_TURNS = 6
MAX_ROUNDS = 3
TOOLS = [{"name": "lookup", "description": "Look up an order.", "input_schema": {"type": "object"}}]


def lookup(order_id):
    return {"order_id": order_id, "status": "shipped"}


HANDLERS = {"lookup": lookup}


def ask(prompt):
    log.info("model call")
    reply = client.messages.create(
        model=MODEL, max_tokens=512, messages=[{"role": "user", "content": prompt}]
    )
    return reply.content[0].text


async def aask(prompt):
    reply = await aclient.messages.create(
        model=MODEL, max_tokens=512, messages=[{"role": "user", "content": prompt}]
    )
    return reply.content[0].text


def handle(ticket):
    label = ask(f"Label as refund, report, review or other: {ticket}")
    match label:
        case "refund":
            messages = [{"role": "user", "content": ticket}]
            for _turn in range(MAX_TURNS):
                response = client.messages.create(
                    model=MODEL, max_tokens=1024, tools=TOOLS, messages=messages
                )
                if response.stop_reason != "tool_use":
                    return response.content[0].text
                for block in response.content:
                    if block.type == "tool_use":
                        output = HANDLERS[block.name](**block.input)
                        messages.append({"role": "user", "content": json.dumps(output)})
            raise RuntimeError("no answer")
        case "report":
            outline = ask(f"Outline a report on: {ticket}")
            draft = ask(f"Write the report from this outline: {outline}")
            return ask(f"Shorten: {draft}")
        case "review":
            parts = ["tone", "facts", "policy"]

            async def run_all():
                return await asyncio.gather(*(aask(f"Check {p}: {ticket}") for p in parts))

            checks = asyncio.run(run_all())
            return ask(f"Combine these checks: {checks}")
        case _:
            answer = ask(f"Answer: {ticket}")
            for _round in range(MAX_ROUNDS):
                verdict = ask(f"Is this answer correct? Reply PASS or FAIL: {answer}")
                if "PASS" in verdict:
                    break
                answer = ask(f"Improve the answer: {answer}")
            return answer


if __name__ == "__main__":
    print(handle("Where is my order 42?"))
