"""AL102 unbounded-retry."""

from __future__ import annotations

from analyzer.lint.engine import Example, Rule


class UnboundedRetry(Rule):
    name = "unbounded-retry"
    code = "AL102"
    severity = "error"
    summary = "A retry with no attempt or time limit"
    docs = """
## What it does
Finds retries that never give up: tenacity's `@retry` without `stop=`, backoff's
`on_exception` without `max_tries` or `max_time`, a `while True` loop that catches the
failure of a model call and goes round again with no counter, or a client whose
`max_retries` is set to an unbounded value.

## Why it matters
When a provider is down or a request is malformed, an unbounded retry turns one failure
into an endless stream of paid requests and a request that never returns. tenacity and
backoff retry forever by default, so the decorator alone looks safe in review.

## Example
```python
@retry(wait=wait_exponential())
def ask(prompt):
    return client.messages.create(...)
```

## Use instead
Give every retry a limit (`@retry(stop=stop_after_attempt(3), wait=wait_exponential())`,
`@backoff.on_exception(backoff.expo, Exception, max_tries=5)`, `for attempt in range(3)`),
or call the model through `analyzer.runtime`, whose guarded path retries a bounded number
of times with backoff and turns the SDK's own retries off so attempts do not multiply.

## References
- tenacity: `stop=stop_after_attempt(n)` / `stop_after_delay(s)`; backoff: `max_tries`
  / `max_time`; SDK clients: a finite `max_retries`.
"""

    VALID = (
        Example(
            """\
import anthropic
from tenacity import retry, stop_after_attempt

client = anthropic.Anthropic()


@retry(stop=stop_after_attempt(3))
def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""
        ),
        Example(
            """\
import backoff
import openai

client = openai.OpenAI()


@backoff.on_exception(backoff.expo, openai.APIError, max_tries=5)
def ask(prompt):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
"""
        ),
        Example(
            """\
import time
import openai

client = openai.OpenAI()


def ask(prompt):
    for attempt in range(3):
        try:
            return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
        except openai.APIError:
            time.sleep(2 ** attempt)
    raise RuntimeError("gave up")
"""
        ),
        Example(
            """\
import anthropic

client = anthropic.Anthropic(max_retries=5)


def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""
        ),
    )
    INVALID = (
        Example(
            """\
import anthropic
from tenacity import retry, wait_exponential

client = anthropic.Anthropic()


@retry(wait=wait_exponential())  # expect: unbounded-retry
def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""
        ),
        Example(
            """\
import backoff
import openai

client = openai.OpenAI()


@backoff.on_exception(backoff.expo, openai.APIError)  # expect: unbounded-retry
def ask(prompt):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
"""
        ),
        Example(
            """\
import time
import openai

client = openai.OpenAI()


def ask(prompt):
    while True:  # expect: unbounded-retry
        try:
            return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
        except openai.APIError:
            time.sleep(1)
"""
        ),
        Example(
            """\
import litellm
from tenacity import retry, stop_never


@retry(stop=stop_never)  # expect: unbounded-retry
def ask(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}])
"""
        ),
    )

    def check(self, ctx):
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None:
                continue
            for fact in uf.retry_facts:
                if fact.status == "unbounded":
                    yield self.finding(
                        unit,
                        fact.line,
                        f"retry without an attempt or time limit: {fact.evidence}; "
                        "add stop=stop_after_attempt(n) / max_tries= or use the bounded "
                        "retries of analyzer.runtime",
                    )
