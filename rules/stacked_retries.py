"""AL206 stacked-retries."""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.shape import is_attempt_loop
from analyzer.lint.engine import Example, Rule, callees, finding_at

# SDKs whose clients retry by themselves (max_retries=2 unless set): the api prefix of
# their model calls, and the library name of their client RetrySpec.
_RETRYING_SDKS = {"anthropic.": "anthropic", "openai.": "openai"}
_LEGACY = ("openai.ChatCompletion", "openai.Completion", "openai.Embedding")


class StackedRetries(Rule):
    name = "stacked-retries"
    code = "AL206"
    severity = "warning"
    summary = "A retry wraps an SDK call whose client already retries: attempts multiply"
    docs = """
## What it does
Finds a retry decorator (tenacity, backoff) or a hand-written retry loop around a call to
the anthropic or openai SDK when the project's client for that SDK keeps its own retries
on (`max_retries` left at its default of 2, or set above 0).

## Why it matters
Retries multiply: `@retry(stop=stop_after_attempt(5))` around a client that makes 3 HTTP
attempts per call sends up to 15 requests for one failure, with both layers sleeping.
During an outage that multiplies load on the provider and the time before a request
fails, and the bound a reviewer reads in the decorator is not the real one.

## Example
```python
client = anthropic.Anthropic()


@retry(stop=stop_after_attempt(5), wait=wait_exponential())
def ask(prompt):
    return client.messages.create(...)
```

## Use instead
Retry in one place: turn the SDK's retries off where you retry yourself
(`anthropic.Anthropic(max_retries=0)`), or drop your own retry and set the SDK's
`max_retries`. `analyzer.runtime`'s guarded path does the former.

## References
- Retry layers archlint counts: SDK clients (`max_retries`, on by default in the
  openai and anthropic clients), tenacity `@retry`, backoff decorators, framework
  retries, and hand-written `for attempt in range(n): try: ...` loops.
"""

    VALID = (
        Example(
            """\
import anthropic
from tenacity import retry, stop_after_attempt

client = anthropic.Anthropic(max_retries=0)


@retry(stop=stop_after_attempt(3))
def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""
        ),
        Example(
            """\
import openai

client = openai.OpenAI(max_retries=5)


def ask(prompt):
    return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
"""
        ),
    )
    INVALID = (
        Example(
            """\
import anthropic
from tenacity import retry, stop_after_attempt

client = anthropic.Anthropic()


@retry(stop=stop_after_attempt(5))  # expect: stacked-retries
def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""
        ),
        Example(
            """\
import time
import openai

client = openai.OpenAI(max_retries=3)


def ask(prompt):
    for attempt in range(4):  # expect: stacked-retries
        try:
            return client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
        except openai.APIError:
            time.sleep(2 ** attempt)
    raise RuntimeError("gave up")
"""
        ),
    )

    def check(self, ctx):
        retrying = _retrying_libraries(ctx)
        if not retrying:
            return
        kb = ctx.classifier.kb
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None:
                continue
            sdks = {lib for c in uf.llm_calls if (lib := _sdk_of(c.api))}
            sdks &= set(retrying)
            if not sdks:
                continue
            what = " and ".join(f"{lib} ({retrying[lib]})" for lib in sorted(sdks))
            for d in uf.scope.decorators:
                for x in ir.walk_expr(d):
                    if not isinstance(x, ir.Call):
                        continue
                    specs = [kb.retry(n) for n in callees(ctx, uf.facts, x)]
                    if any(s is not None and s.kind == "decorator" for s in specs):
                        yield finding_at(
                            self,
                            ctx,
                            unit,
                            x.loc,
                            f"this retry wraps model calls whose client retries too: {what}; "
                            "attempts multiply. Set max_retries=0 on the client or retry in "
                            "one place",
                        )
                        break
            for loop in uf.root.loops() if uf.root is not None else []:
                if not loop.retry_try or not is_attempt_loop(loop):
                    continue
                direct = {
                    lib
                    for s in loop.sites()
                    if s.kind == "model" and (lib := _sdk_of(s.api)) in retrying
                }
                if direct:
                    yield finding_at(
                        self,
                        ctx,
                        unit,
                        loop.loc,
                        f"this retry loop wraps model calls whose client retries too: {what}; "
                        "attempts multiply. Set max_retries=0 on the client or retry in one "
                        "place",
                    )


def _sdk_of(api: str) -> str | None:
    if api.startswith(_LEGACY):
        return None
    for prefix, lib in _RETRYING_SDKS.items():
        if api.startswith(prefix):
            return lib
    return None


def _retrying_libraries(ctx) -> dict[str, str]:
    """SDK library -> how its clients retry, when any client of it in the project keeps
    retries on (a client built with max_retries=0 everywhere does not count)."""
    kb = ctx.classifier.kb
    found: dict[str, str] = {}
    for _node, facts, scope in ctx.classifier.idx.scope_nodes():
        for call in ir.scope_calls(scope):
            for name in callees(ctx, facts, call):
                spec = kb.retry(name)
                if (
                    spec is None
                    or spec.kind != "client"
                    or spec.library not in ("anthropic", "openai")
                ):
                    continue
                value = call.kwarg("max_retries")
                if value is None:
                    found.setdefault(
                        spec.library, f"max_retries defaults to {spec.default_limit:g}"
                    )
                elif isinstance(value, ir.Const) and value.value == 0:
                    continue
                else:
                    v = value.value if isinstance(value, ir.Const) else "set"
                    found[spec.library] = f"max_retries={v} (line {call.loc.line})"
    return found
