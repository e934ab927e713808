"""AL204 model-output-to-exec."""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.taint import Taint
from analyzer.lint.engine import Example, Rule, callees, finding_at, guarded_statements

_EVAL = frozenset({"eval", "exec", "builtins.eval", "builtins.exec"})
_SHELL = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
    }
)
_SUBPROCESS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "asyncio.create_subprocess_shell",
        "asyncio.create_subprocess_exec",
    }
)
_SQL_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql"})
_GATE_WORDS = ("valid", "safe", "allow", "approv", "confirm", "sanitiz", "permit", "whitelist")
# Tool decorators whose functions receive model-chosen arguments (beside the knowledge
# base's tool constructs).
_TOOL_DECORATORS = frozenset(
    {
        "langchain_core.tools.tool",
        "langchain.tools.tool",
        "langchain.agents.tool",
        "langchain_core.tools.convert.tool",
    }
)


class ModelOutputToExec(Rule):
    name = "model-output-to-exec"
    code = "AL204"
    severity = "error"
    summary = "Model output reaches eval/exec, a shell, or a SQL query without a gate"
    docs = """
## What it does
Follows model output (a model call's result, or the arguments of a function registered as
a tool, which the model chooses) to code execution: `eval`/`exec`, `os.system`,
`subprocess` with `shell=True` or a model-chosen program, and SQL `execute(...)` with a
query built from it. A value that passes an allow-list test (`if cmd in ALLOWED`), a
validation or confirmation call (`if is_safe(cmd)`, `if confirm(cmd)`) or a human prompt
(`input(...)`) on the way is gated and not reported.

## Why it matters
Model output is attacker-controlled as soon as the model reads untrusted text (a web page,
an email, a document): prompt injection turns `eval(reply)` into remote code execution and
`cursor.execute(f"... {reply}")` into SQL injection. The OWASP Top 10 for LLM
applications lists it as insecure output handling.

## Example
```python
code = llm(f"Write Python that answers: {question}")
exec(code)
```

## Use instead
Parse instead of executing (`ast.literal_eval`, `json.loads` into a schema), pass
parameters to SQL (`cursor.execute("SELECT ... WHERE id = ?", (value,))`), run commands
from an allow-list without a shell, or run generated code in a sandbox behind an explicit
approval step.

## References
- OWASP Top 10 for LLM Applications: LLM05 Improper Output Handling
"""

    VALID = (
        Example(
            """\
import ast
import litellm


def compute(q):
    reply = litellm.completion(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content
    return ast.literal_eval(reply)
"""
        ),
        Example(
            """\
import subprocess
import litellm

ALLOWED = {"ls", "pwd"}


def run(q):
    cmd = litellm.completion(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content
    if cmd not in ALLOWED:
        raise ValueError(cmd)
    return subprocess.run(cmd, shell=True, capture_output=True)
"""
        ),
        Example(
            """\
import sqlite3
import litellm

db = sqlite3.connect("app.db")


def lookup(q):
    name = litellm.completion(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content
    return db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()
"""
        ),
    )
    INVALID = (
        Example(
            """\
import litellm


def compute(q):
    code = litellm.completion(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content
    exec(code)  # expect: model-output-to-exec
"""
        ),
        Example(
            """\
import os
import sqlite3
import litellm

db = sqlite3.connect("app.db")


def act(q):
    reply = litellm.completion(model="m", messages=[{"role": "user", "content": q}]).choices[0].message.content
    os.system(f"echo {reply}")  # expect: model-output-to-exec
    return db.execute(f"SELECT * FROM users WHERE name = '{reply}'").fetchall()  # expect: model-output-to-exec
"""
        ),
        Example(
            """\
import subprocess
from agents import Agent, Runner, function_tool


@function_tool
def shell(command: str) -> str:
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout  # expect: model-output-to-exec


agent = Agent(name="ops", instructions="help", tools=[shell])


def main():
    return Runner.run_sync(agent, "clean up the disk", max_turns=5)
"""
        ),
    )

    def check(self, ctx):
        done: set[str] = set()
        for unit in ctx.units:
            uf = ctx.unit_facts(unit)
            if uf is None:
                continue
            done.add(uf.node)
            taint = _taint(ctx, uf)
            for loc, what in _sinks(ctx, uf.facts, uf.scope, taint):
                yield finding_at(self, ctx, unit, loc, _message(what))
        for node, facts, scope in _tool_functions(ctx):
            if node in done:
                continue
            seeds = frozenset(p.name for p in scope.params if p.name not in ("self", "cls"))
            taint = _ValueTaint(scope, lambda c: False, seeds)
            ref = f"{facts.path}::{scope.qualname}"
            for loc, what in _sinks(ctx, facts, scope, taint):
                yield self._tool_finding(facts, scope, ref, loc.line, loc.col, what)

    def _tool_finding(self, facts, scope, ref, line, col, what):
        from analyzer.results import Finding

        return Finding(
            rule=self.name,
            code=self.code,
            severity=self.severity,
            path=facts.path,
            line=line,
            col=col,
            message=_message(what) + " (tool arguments are chosen by the model)",
            unit=ref,
            cell=scope.cell,
        )


class _ValueTaint(Taint):
    """The classifier's taint, except that a comprehension carries model output only when
    its elements do: `" OR ".join(["k LIKE ?" for _ in words])` builds placeholders, not
    model text (what reaches a sink is the value, not how many times it repeats)."""

    def expr(self, e):
        if isinstance(e, ir.Comp):
            bound = set()
            for g in e.generators:
                if super().expr(g.iter):
                    bound |= {n.id for n in ir.walk_expr(g.target) if isinstance(n, ir.Name)}
            parts = [e.elt] + ([e.key] if e.key is not None else [])
            for p in parts:
                for x in ir.walk_expr(p):
                    if isinstance(x, ir.Name) and x.id in bound:
                        return True
                if self._expr_no_comp_targets(p, e):
                    return True
            return False
        return super().expr(e)

    def _expr_no_comp_targets(self, p, comp) -> bool:
        """Is `p` model output when the comprehension's own targets count as clean?"""
        targets = {
            n.id for g in comp.generators for n in ir.walk_expr(g.target) if isinstance(n, ir.Name)
        }
        hidden = targets & self.names
        self.names -= hidden
        try:
            return self.expr(p)
        finally:
            self.names |= hidden


def _taint(ctx, uf) -> Taint:
    def is_source(call) -> bool:
        return ctx.classifier.site_of(uf.node, uf.facts, call) is not None

    return _ValueTaint(uf.scope, is_source)


def _message(what: str) -> str:
    return (
        f"model output reaches {what} without an allow-list, validation or approval; "
        "parse it, parameterise it, or gate it"
    )


def _tool_functions(ctx):
    """Functions decorated as tools: their parameters are chosen by the model."""
    kb = getattr(ctx.classifier, "kb", None)
    for node, facts, scope in ctx.classifier.idx.scope_nodes():
        if scope.kind != "function" or not scope.decorators:
            continue
        for d in scope.decorators:
            names: list[str] = []
            for x in ir.walk_expr(d):
                if isinstance(x, ir.Call):
                    names += callees(ctx, facts, x)
            names += _decorator_names(ctx, facts, d)
            if any(_is_tool_decorator(kb, n) for n in names):
                yield node, facts, scope
                break


def _decorator_names(ctx, facts, d: ir.Expr) -> list[str]:
    """A bare decorator (`@function_tool`) is not a call: resolve it through the imports."""
    dotted = ir.dotted(d.func if isinstance(d, ir.Call) else d) or ""
    head, _, rest = dotted.partition(".")
    out = []
    for imp in facts.imports:
        if imp.name == head and imp.target:
            out.append(imp.target + (f".{rest}" if rest else ""))
    return out


def _is_tool_decorator(kb, name: str) -> bool:
    if name in _TOOL_DECORATORS:
        return True
    if kb is None:
        return False
    spec = kb.construct(name)
    return spec is not None and spec.kind == "tool"


def _sinks(ctx, facts, scope, taint):
    for stmt, guards in guarded_statements(scope.body):
        gated = any(_is_gate(g, taint) for g in guards)
        for e in ir.stmt_exprs(stmt):
            for x in ir.walk_expr(e):
                if not isinstance(x, ir.Call):
                    continue
                what = _sink(ctx, facts, x, taint)
                if what and not gated:
                    yield x.loc, what


def _sink(ctx, facts, call: ir.Call, taint) -> str:
    names = set(callees(ctx, facts, call))
    func = ir.dotted(call.func) or ""
    first = call.arg(0)
    if names & _EVAL or (not names and func in ("eval", "exec")):
        return f"{func}()" if first is not None and taint.expr(first) else ""
    if names & _SHELL:
        return f"{func}()" if first is not None and taint.expr(first) else ""
    if names & _SUBPROCESS:
        cmd = call.arg(0, "args")
        if cmd is None:
            return ""
        shell = call.kwarg("shell")
        shell_on = isinstance(shell, ir.Const) and shell.value is True
        shell_on = shell_on or "create_subprocess_shell" in " ".join(names)
        if isinstance(cmd, ir.Seq):
            program = cmd.elts[0] if cmd.elts else None
            if (program is not None and taint.expr(program)) or (shell_on and taint.expr(cmd)):
                return f"{func}() running a model-chosen program"
            return ""
        return f"{func}(shell=True)" if taint.expr(cmd) else ""
    if isinstance(call.func, ir.Attr) and call.func.attr in _SQL_METHODS and first is not None:
        if taint.expr(first) and not isinstance(first, ir.Const):
            return f"a SQL query ({call.func.attr})"
    return ""


def _is_gate(test: ir.Expr, taint) -> bool:
    for x in ir.walk_expr(test):
        if isinstance(x, ir.Compare) and any(op in ("in", "not in", "==") for op in x.ops):
            if any(taint.expr(side) for side in (x.left, *x.comparators)):
                return True
        if isinstance(x, ir.Call):
            name = (ir.dotted(x.func) or "").lower()
            if name == "input":
                return True
            if any(w in name for w in _GATE_WORDS):
                return True
    return False
