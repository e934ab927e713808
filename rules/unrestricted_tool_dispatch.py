"""AL205 unrestricted-tool-dispatch."""

from __future__ import annotations

from analyzer import ir
from analyzer.lint.engine import Example, Rule, finding_at, unit_taint

_NAMESPACES = frozenset({"globals", "locals", "vars"})


class UnrestrictedToolDispatch(Rule):
    name = "unrestricted-tool-dispatch"
    code = "AL205"
    severity = "error"
    summary = (
        "A tool is looked up by a model-given name through getattr/globals() with no allow-list"
    )
    docs = """
## What it does
Finds calls of a function found by a name the model chose, through `getattr(obj, name)`,
`globals()[name]`, `locals()[name]`, `vars(module)[name]` or `obj.__dict__[name]`, when
the name is not checked against an allow-list first (`if name in TOOLS`) and carries no
fixed prefix (`getattr(self, f"tool_{name}")`).

## Why it matters
The model can then call anything the namespace holds, not just the tools you offered:
`getattr(os, name)` is `os.remove`, `globals()[name]` is every import and helper of the
module, and `getattr(self, name)` reaches private methods and `__class__`. With prompt
injection, that is arbitrary code execution.

## Example
```python
for call in msg.tool_calls:
    result = globals()[call.function.name](**json.loads(call.function.arguments))
```

## Use instead
Keep an explicit registry (`TOOLS = {"search": search}`) and look tools up there
(`TOOLS[name]`, with a clear error for unknown names), or check the name before the lookup
(`if name not in ALLOWED_TOOLS: raise ...`).

## References
- OWASP Top 10 for LLM Applications: LLM06 Excessive Agency
"""

    VALID = (
        Example(
            """\
import json
import openai

client = openai.OpenAI()
TOOLS = {"add": lambda a, b: a + b}


def agent(messages):
    for _ in range(5):
        msg = client.chat.completions.create(model="m", messages=messages, tools=[]).choices[0].message
        if not msg.tool_calls:
            return msg.content
        for call in msg.tool_calls:
            messages.append(TOOLS[call.function.name](**json.loads(call.function.arguments)))
"""
        ),
        Example(
            """\
import json
import openai

client = openai.OpenAI()
ALLOWED = {"search", "add"}


class Bot:
    def run(self, messages):
        for _ in range(5):
            msg = client.chat.completions.create(model="m", messages=messages, tools=[]).choices[0].message
            if not msg.tool_calls:
                return msg.content
            for call in msg.tool_calls:
                name = call.function.name
                if name not in ALLOWED:
                    raise ValueError(name)
                messages.append(getattr(self, name)(**json.loads(call.function.arguments)))
"""
        ),
    )
    INVALID = (
        Example(
            """\
import json
import openai

client = openai.OpenAI()


def add(a, b):
    return a + b


def agent(messages):
    for _ in range(5):
        msg = client.chat.completions.create(model="m", messages=messages, tools=[]).choices[0].message
        if not msg.tool_calls:
            return msg.content
        for call in msg.tool_calls:
            fn = globals()[call.function.name]  # expect: unrestricted-tool-dispatch
            messages.append(fn(**json.loads(call.function.arguments)))
"""
        ),
        Example(
            """\
import anthropic

client = anthropic.Anthropic()


class Bot:
    def run(self, messages):
        for _ in range(5):
            r = client.messages.create(model="m", max_tokens=64, tools=[], messages=messages)
            if r.stop_reason != "tool_use":
                return r
            for block in r.content:
                if block.type == "tool_use":
                    messages.append(getattr(self, block.name)(**block.input))  # expect: unrestricted-tool-dispatch
"""
        ),
    )

    def check(self, ctx):
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None:
                continue
            taint = unit_taint(ctx, uf)
            checked = _membership_checked(uf.scope)
            bound: dict[str, ir.Expr] = {}  # fn = getattr(obj, name): the lookup, by name
            hits: dict[int, ir.Loc] = {}
            for s in ir.walk_stmts(uf.scope.body):
                if isinstance(s, ir.Assign) and s.value is not None:
                    key = _lookup_key(s.value)
                    if key is not None:
                        for t in s.targets:
                            if isinstance(t, ir.Name):
                                bound[t.id] = s.value
                for e in ir.stmt_exprs(s):
                    for x in ir.walk_expr(e):
                        if not isinstance(x, ir.Call):
                            continue
                        lookup = x.func
                        if isinstance(lookup, ir.Name) and lookup.id in bound:
                            lookup = bound[lookup.id]
                        key = _lookup_key(lookup)
                        if key is None or not taint.expr(key):
                            continue
                        if _prefixed(key) or _names(key) & checked:
                            continue
                        hits.setdefault(lookup.loc.line, lookup.loc)
            for _line, loc in sorted(hits.items()):
                yield finding_at(
                    self,
                    ctx,
                    unit,
                    loc,
                    "calls a function looked up by a model-given name with no allow-list; "
                    "dispatch through an explicit registry of tools",
                )


def _lookup_key(e: ir.Expr) -> ir.Expr | None:
    """The name expression of `getattr(o, k)`, `globals()[k]`, `vars(m)[k]`, `o.__dict__[k]`."""
    if isinstance(e, ir.Call) and ir.dotted(e.func) == "getattr" and len(e.args) >= 2:
        return e.args[1].value
    if isinstance(e, ir.Subscript):
        base = e.value
        if isinstance(base, ir.Call) and ir.dotted(base.func) in _NAMESPACES:
            return e.index
        if isinstance(base, ir.Attr) and base.attr == "__dict__":
            return e.index
    if isinstance(e, ir.Call) and isinstance(e.func, ir.Attr) and e.func.attr == "get":
        base = e.func.value
        if isinstance(base, ir.Call) and ir.dotted(base.func) in _NAMESPACES and e.args:
            return e.args[0].value
    return None


def _prefixed(key: ir.Expr) -> bool:
    """`f"tool_{name}"` or `"tool_" + name`: only names in that namespace can be reached."""
    if isinstance(key, ir.FString) and key.parts:
        first = key.parts[0]
        return isinstance(first, ir.Const) and isinstance(first.value, str) and bool(first.value)
    if isinstance(key, ir.BinOp) and key.op == "+":
        return isinstance(key.left, ir.Const) and isinstance(key.left.value, str)
    return False


def _names(e: ir.Expr) -> set[str]:
    return {d for x in ir.walk_expr(e) if (d := ir.dotted(x)) is not None}


def _membership_checked(scope: ir.Scope) -> set[str]:
    """Names (and dotted paths) tested with `in`/`not in` anywhere in the scope."""
    out: set[str] = set()
    for s in ir.walk_stmts(scope.body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Compare) and any(op in ("in", "not in") for op in x.ops):
                    out |= _names(x.left)
    return out
