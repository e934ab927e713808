"""AL201 unbounded-fan-out."""

from __future__ import annotations

from analyzer import ir
from analyzer.lint.engine import Example, Rule, finding_at, unit_taint

# Response fields an agent loop iterates to run tools: that is the agent's loop, bounded
# (or not) by missing-stop-condition, not a fan-out of workers.
_TOOL_FIELDS = frozenset({"tool_calls", "content", "function_call", "tool_use", "parts"})
_CAP_CALLS = frozenset({"islice", "take", "head", "min"})


class UnboundedFanOut(Rule):
    name = "unbounded-fan-out"
    code = "AL201"
    severity = "warning"
    summary = "Model calls fan out over a model-produced collection with no cap"
    default_options = {}
    docs = """
## What it does
Finds loops, comprehensions and concurrent fan-outs (`asyncio.gather`, executors) that run
a model call (or a function that makes one) for every item of a collection the model
produced, such as an orchestrator's `plan.subtasks`, when nothing caps the collection: no
slice (`plan.subtasks[:MAX_SUBTASKS]`), no `islice`, no length check, no counter that
breaks the loop.

## Why it matters
The number of model calls, and so the cost and latency of one request, is chosen by the
model. A planner that returns 200 subtasks launches 200 workers (and, concurrently, 200
simultaneous requests against your rate limit). Orchestrator-workers stays a workflow
only while the developer bounds what the model may ask for.

## Example
```python
plan = planner(task)
results = await asyncio.gather(*[worker(t) for t in plan.subtasks])
```

## Use instead
Cap the collection before fanning out (`for t in plan.subtasks[:MAX_SUBTASKS]`), reject
plans that are too long (`if len(plan.subtasks) > MAX_SUBTASKS: raise ...`), constrain the
schema (`Field(max_length=8)` and check it), or use `analyzer.runtime.orchestrate(...,
max_workers=...)`.

## References
- Orchestrator-workers: a model's output becomes the list of subtasks, and workers
  written in the code run once per item.
- Anthropic, "Building effective agents" (the orchestrator-workers workflow)
"""

    VALID = (
        Example(
            """\
import json
import litellm

MAX_SUBTASKS = 5


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def orchestrate(task):
    plan = json.loads(llm(f"Split into subtasks: {task}"))
    results = [llm(f"Do: {sub}") for sub in plan["subtasks"][:MAX_SUBTASKS]]
    return llm("Combine: " + "\\n".join(results))
"""
        ),
        Example(
            """\
import json
import litellm

MAX_SUBTASKS = 5


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def orchestrate(task):
    subtasks = json.loads(llm(f"Split into subtasks: {task}"))
    if len(subtasks) > MAX_SUBTASKS:
        raise ValueError("plan too long")
    results = []
    for sub in subtasks:
        results.append(llm(f"Do: {sub}"))
    return results
"""
        ),
        Example(
            """\
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def chain(text):
    for step in ["outline", "draft", "polish"]:
        text = llm(f"{step}: {text}")
    return text
"""
        ),
        Example(
            """\
import litellm

QUESTIONS = ["a?", "b?"]


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def evaluate():
    outputs = [llm(q) for q in QUESTIONS]
    return [llm(f"Grade: {o}") for o, q in zip(outputs, QUESTIONS)]
"""
        ),
    )
    VALID += (
        Example(
            """\
import json
import litellm

MAX_PARTS = 4


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def summarize(text):
    parts = json.loads(llm(f"Split into parts: {text}"))
    count = len(parts)
    if count > MAX_PARTS:
        raise ValueError("too many parts")
    return [llm(f"Summarize: {p}") for p in parts]
"""
        ),
    )
    INVALID = (
        Example(
            """\
import json
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def orchestrate(task):
    plan = json.loads(llm(f"Split into subtasks: {task}"))
    results = []
    for sub in plan["subtasks"]:  # expect: unbounded-fan-out
        results.append(llm(f"Do: {sub}"))
    return llm("Combine: " + "\\n".join(results))
"""
        ),
        Example(
            """\
import asyncio
import json
import openai

client = openai.AsyncOpenAI()


async def llm(prompt):
    r = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
    return r.choices[0].message.content


async def orchestrate(task):
    plan = json.loads(await llm(f"List the subtasks of: {task}"))
    return await asyncio.gather(*[llm(f"Do: {t}") for t in plan["subtasks"]])  # expect: unbounded-fan-out
"""
        ),
    )

    def check(self, ctx):
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None or uf.root is None:
                continue
            capped = _capped_names(uf.scope, unit_taint(ctx, uf))
            seen: set[int] = set()
            for node in _walk(uf.root):
                if node.kind not in ("loop", "fan") or not node.tainted_iter:
                    continue
                if node.kind == "loop" and node.loop_kind == "while":
                    continue
                it = node.iterable
                if it is None or not node.sites() or _is_capped(it, capped):
                    continue
                if _reads_tool_fields(it) or any(e.counter for e in node.exits):
                    continue
                line = node.loc.line
                if line in seen:
                    continue
                seen.add(line)
                yield finding_at(
                    self,
                    ctx,
                    unit,
                    node.loc,
                    f"model calls run once per item of `{_text(it)}`, a collection the model "
                    "produced, with no cap; slice it or check its length first",
                )


def _walk(root):
    stack = [root]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def _text(e: ir.Expr) -> str:
    d = ir.dotted(e)
    if d:
        return d
    if isinstance(e, ir.Subscript):
        base = _text(e.value)
        if isinstance(e.index, ir.Const):
            return f"{base}[{e.index.value!r}]"
        return f"{base}[...]"
    if isinstance(e, ir.Call):
        return f"{_text(e.func)}(...)"
    return "..."


def _base_names(e: ir.Expr) -> set[str]:
    out = set()
    for x in ir.walk_expr(e):
        if isinstance(x, (ir.Name, ir.Attr)):
            d = ir.dotted(x)
            if d:
                out.add(d)
    return out


def _capped_names(scope: ir.Scope, taint) -> set[str]:
    """Names whose length the scope compares (`len(x) > N`), re-binds to a slice
    (`x = x[:N]`), or builds with a comprehension over a collection the model did not
    produce (`outs = [llm(q) for q in questions]`: model text, developer count)."""
    out: set[str] = set()
    # `n = len(xs)`: a comparison of `n` checks the length of `xs`
    lengths = {
        s.targets[0].id: _base_names(s.value.args[0].value)
        for s in ir.walk_stmts(scope.body)
        if isinstance(s, ir.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ir.Name)
        and isinstance(s.value, ir.Call)
        and ir.dotted(s.value.func) == "len"
        and s.value.args
    }
    for s in ir.walk_stmts(scope.body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Compare):
                    for side in (x.left, *x.comparators):
                        if (
                            isinstance(side, ir.Call)
                            and ir.dotted(side.func) == "len"
                            and side.args
                        ):
                            out |= _base_names(side.args[0].value)
                        elif isinstance(side, ir.Name) and side.id in lengths:
                            out |= lengths[side.id]
        developer_count = (
            isinstance(s, ir.Assign)
            and isinstance(s.value, ir.Comp)
            and bool(s.value.generators)
            and not taint.expr(s.value.generators[0].iter)
        )
        if (
            isinstance(s, ir.Assign)
            and s.value is not None
            and (_is_slice(s.value) or developer_count)
        ):
            for t in s.targets:
                d = ir.dotted(t)
                if d:
                    out.add(d)
    return out


def _is_slice(e: ir.Expr) -> bool:
    return (
        isinstance(e, ir.Subscript)
        and isinstance(e.index, ir.Slice)
        and (e.index.upper is not None)
    )


def _is_capped(it: ir.Expr, capped: set[str]) -> bool:
    if isinstance(it, ir.Call) and ir.dotted(it.func) in ("zip", "enumerate") and it.args:
        # zip stops at its shortest argument; enumerate counts what it wraps
        args = [a.value for a in it.args if a.kw is None]
        if ir.dotted(it.func) == "enumerate":
            args = args[:1]
        return any(_is_capped(a, capped) or not _base_names(a) - capped for a in args) or any(
            _base_names(a) and _base_names(a) <= capped for a in args
        )
    for x in ir.walk_expr(it):
        if _is_slice(x):
            return True
        if isinstance(x, ir.Call):
            name = (ir.dotted(x.func) or "").rsplit(".", 1)[-1]
            if name in _CAP_CALLS:
                return True
    return bool(_base_names(it) & capped)


def _reads_tool_fields(it: ir.Expr) -> bool:
    return ir.reads_member(it, _TOOL_FIELDS)
