"""AL202 missing-route-fallback."""

from __future__ import annotations

from analyzer import ir
from analyzer.lint.engine import Example, Rule, finding_at, terminates, unit_taint


class MissingRouteFallback(Rule):
    name = "missing-route-fallback"
    code = "AL202"
    severity = "warning"
    summary = "Routing on model output has no default branch"
    docs = """
## What it does
Finds `if`/`elif` chains and `match` statements that pick one of several handlers that
call models by comparing model output with fixed labels, and that have no `else`, no
`case _:`, and no code after the chain that every unmatched label reaches.

## Why it matters
A classifier model answers with labels you did not list: different casing, an explanation,
a new category. Without a fallback, such a request silently does nothing (the function
returns `None`), or crashes later on an unbound variable, and nobody is told which input
fell through.

## Example
```python
label = classify(question)
if label == "billing":
    return billing_agent(question)
elif label == "technical":
    return tech_agent(question)
```

## Use instead
End every route with a default: `else: return general_agent(question)` or
`case _: ...`, or raise an explicit error and log the unexpected label.

## References
- Routing: a model's answer selects one of several handlers written in the code.
- Anthropic, "Building effective agents" (the routing workflow)
"""

    VALID = (
        Example(
            """\
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def route(q):
    label = llm(f"Classify: {q}")
    if label == "billing":
        return llm("billing: " + q)
    elif label == "tech":
        return llm("tech: " + q)
    else:
        return llm("general: " + q)
"""
        ),
        Example(
            """\
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def route(q):
    match llm(f"Classify: {q}").strip():
        case "billing":
            return llm("billing: " + q)
        case "tech":
            return llm("tech: " + q)
        case _:
            return llm("general: " + q)
"""
        ),
        Example(
            """\
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def route(q):
    label = llm(f"Classify: {q}")
    if label == "billing":
        return llm("billing: " + q)
    if label == "tech":
        return llm("tech: " + q)
    return llm("general: " + q)
"""
        ),
    )
    INVALID = (
        Example(
            """\
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def route(q):
    label = llm(f"Classify: {q}")
    if label == "billing":  # expect: missing-route-fallback
        return llm("billing: " + q)
    elif label == "tech":
        return llm("tech: " + q)
"""
        ),
        Example(
            """\
import litellm


def llm(prompt):
    return litellm.completion(model="m", messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def route(q):
    match llm(f"Classify: {q}").strip():  # expect: missing-route-fallback
        case "billing":
            answer = llm("billing: " + q)
        case "tech":
            answer = llm("tech: " + q)
    return answer
"""
        ),
    )

    def check(self, ctx):
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None:
                continue
            taint = unit_taint(ctx, uf)

            def calls_model(body: tuple[ir.Stmt, ...], uf=uf) -> bool:
                for s in ir.walk_stmts(body):
                    for e in ir.stmt_exprs(s):
                        for x in ir.walk_expr(e):
                            if (
                                isinstance(x, ir.Call)
                                and ctx.classifier.site_of(uf.node, uf.facts, x) is not None
                            ):
                                return True
                return False

            for block in _blocks(uf.scope.body):
                for i, s in enumerate(block):
                    rest = block[i + 1 :]
                    if isinstance(s, ir.If) and not s.is_elif:
                        line = self._if_chain(s, rest, taint, calls_model)
                    elif isinstance(s, ir.Match):
                        line = self._match(s, taint, calls_model)
                    else:
                        line = None
                    if line is not None:
                        yield finding_at(
                            self,
                            ctx,
                            unit,
                            s.loc,
                            "routing on model output has no default branch: a label outside "
                            "the listed ones falls through; add an else / `case _:` fallback",
                        )

    def _if_chain(self, s: ir.If, rest, taint, calls_model) -> int | None:
        arms: list[tuple[ir.Expr, tuple[ir.Stmt, ...]]] = []
        cur: ir.If | None = s
        orelse: tuple[ir.Stmt, ...] = ()
        while cur is not None:
            arms.append((cur.test, cur.body))
            orelse = cur.orelse
            nxt = orelse[0] if len(orelse) == 1 and isinstance(orelse[0], ir.If) else None
            cur = nxt if nxt is not None and nxt.is_elif else None
        if orelse and not (len(orelse) == 1 and isinstance(orelse[0], ir.If)):
            return None
        if len(arms) < 2:
            return None
        if not all(_label_test(t) and taint.expr(t) for t, _ in arms):
            return None
        if sum(1 for _, b in arms if calls_model(b)) < 2:
            return None
        if rest and all(b and terminates(b[-1]) for _, b in arms):
            return None  # the code after the chain is the default
        return s.loc.line

    def _match(self, s: ir.Match, taint, calls_model) -> int | None:
        if not taint.expr(s.subject) or any(c.is_wildcard for c in s.cases):
            return None
        if any(c.captures and not c.values and c.guard is None for c in s.cases):
            return None  # `case other:` binds anything: a default
        if sum(1 for c in s.cases if calls_model(c.body)) < 2:
            return None
        return s.loc.line


def _blocks(body: tuple[ir.Stmt, ...]):
    yield body
    for s in ir.walk_stmts(body):
        yield from ir.child_blocks(s)


def _label_test(test: ir.Expr) -> bool:
    """The test compares with a literal label (`x == "a"`, `"a" in x`, `x.startswith("a")`)."""
    for x in ir.walk_expr(test):
        if isinstance(x, ir.Compare) and any(
            isinstance(c, ir.Const) and isinstance(c.value, str) for c in (x.left, *x.comparators)
        ):
            return True
        if isinstance(x, ir.Call) and isinstance(x.func, ir.Attr):
            if x.func.attr in ("startswith", "endswith", "__contains__") and x.args:
                return True
    return False
