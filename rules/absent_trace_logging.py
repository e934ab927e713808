"""AL103 absent-trace-logging."""

from __future__ import annotations

from analyzer.lint.engine import Example, Rule


class AbsentTraceLogging(Rule):
    name = "absent-trace-logging"
    code = "AL103"
    severity = "warning"
    summary = "A system's model calls and tool dispatches are not traced"
    docs = """
## What it does
Reports a system (an entry point that reaches model calls) when none of its model calls
and tool dispatches is covered by a trace: no logging around them or configured at the
entry point, no tracing span or decorator (OpenTelemetry, logfire, langsmith, langfuse,
weave, mlflow, …), no SDK instrumentation, and no framework tracing that is on by default.
`print` does not count.

## Why it matters
When the model chooses what happens next, the trace is the only record of why a system did
what it did. Without one, nobody can audit a decision, reproduce an incident, or measure
cost per request.

## Example
```python
def answer(question):
    reply = client.messages.create(...)
    print(reply)
    return reply
```

## Use instead
Log each model call and tool dispatch (`logger.info(...)` with the model, tool and
arguments), wrap the system in a span (`with tracer.start_as_current_span("answer")`),
instrument the SDK once at start-up (`OpenAIInstrumentor().instrument()`,
`logfire.instrument_anthropic()`), or run it with `analyzer.runtime`, which records every
step as a trace event and an OpenTelemetry span.

## References
- What counts as a trace: `logging`/structlog calls around the model call or tool
  dispatch, an OpenTelemetry, logfire, langsmith, langfuse, weave or mlflow span or
  decorator, SDK instrumentation (e.g. `logfire.instrument_openai()`), or a framework
  whose tracing is on by default (openai-agents). `print` is not a trace.
- OpenTelemetry semantic conventions for generative AI (`gen_ai.*` spans)
"""

    VALID = (
        Example(
            """\
import logging
import anthropic

log = logging.getLogger(__name__)
client = anthropic.Anthropic()


def answer(question):
    log.info("asking the model: %s", question)
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": question}])
"""
        ),
        Example(
            """\
import openai
from opentelemetry import trace

tracer = trace.get_tracer(__name__)
client = openai.OpenAI()


def answer(question):
    with tracer.start_as_current_span("answer"):
        return client.chat.completions.create(model="m", messages=[{"role": "user", "content": question}])
"""
        ),
        Example(
            """\
import openai
from langsmith import traceable

client = openai.OpenAI()


@traceable
def answer(question):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": question}])
"""
        ),
        Example(
            """\
import logging
import anthropic

client = anthropic.Anthropic()
log = logging.getLogger("app")


def ask(q):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": q}])


def main():
    log.info("start")
    ask("hello")
    log.info("done")
"""
        ),
    )
    INVALID = (
        Example(
            """\
import anthropic

client = anthropic.Anthropic()


def answer(question):  # expect: absent-trace-logging
    reply = client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": question}])
    print(reply)
    return reply
"""
        ),
        Example(
            """\
import openai

client = openai.OpenAI()


def summarize(text):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": text}])


def main():  # expect: absent-trace-logging
    print(summarize("a long text"))
"""
        ),
        Example(
            """\
import litellm


def classify(q):  # expect: absent-trace-logging
    label = litellm.completion(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content
    if label == "billing":
        return litellm.completion(model="m", messages=[{"role": "user", "content": "billing: " + q}])
    return litellm.completion(model="m", messages=[{"role": "user", "content": "other: " + q}])
"""
        ),
        Example(
            """\
import anthropic  # expect: absent-trace-logging

client = anthropic.Anthropic()
print(client.messages.create(model="m", max_tokens=64, messages=[]))
"""
        ),
    )

    def check(self, ctx):
        for unit in ctx.units:
            if unit.is_system and unit.trace_logging.status == "absent":
                line = unit.line if unit.qualname != "<module>" else 1
                yield self.finding(
                    unit,
                    line,
                    f"system {unit.qualname} makes model calls with no trace: log each call and "
                    "tool dispatch, open a span, instrument the SDK, or use analyzer.runtime",
                )
