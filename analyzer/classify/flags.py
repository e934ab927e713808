"""Retry and tracing constructs of one scope, read through the knowledge base.

Retries: decorators and retry objects from the knowledge base (tenacity, backoff, SDK
`max_retries`, LangChain `.with_retry`), and hand-written loops that go round again when a
call fails. Tracing: log calls, spans, tracing decorators, instrumentors and frameworks
whose tracing is on by default; `print` never counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from analyzer import ir
from analyzer.classify.consts import expr_text

_UNBOUNDED_NAMES = frozenset({"inf", "maxsize", "stop_never"})


@dataclass(frozen=True)
class RetryFact:
    line: int
    status: str  # "bounded" | "unbounded"
    evidence: str
    attempts: int | None = None  # total attempts when known (multiplies the call bound)
    wraps_unit: bool = False  # a decorator on the unit itself: every call of it is retried


@dataclass(frozen=True)
class TraceFact:
    line: int
    scope: str  # "local" | "global"
    evidence: str
    disables: bool = False
    kind: str = ""  # the knowledge base's TracingSpec.kind ("log", "span", "config", ...)
    path: str = ""  # the file it is in (process-wide facts cover what that file runs)


def _literal(e: ir.Expr | None) -> object:
    if isinstance(e, ir.Const):
        return e.value
    if e is not None:
        d = ir.dotted(e) or ""
        if d.rsplit(".", 1)[-1] in _UNBOUNDED_NAMES:
            return math.inf
        if isinstance(e, ir.Call) and ir.dotted(e.func) == "float" and e.args:
            v = _literal(e.args[0].value)
            if isinstance(v, str) and v.strip().lower() in ("inf", "infinity"):
                return math.inf
    return None


def _is_unbounded_value(value: object, spec) -> bool:
    if value in getattr(spec, "unbounded_values", ()):
        return True
    return bool(isinstance(value, float) and math.isinf(value))


def retry_fact(
    call: ir.Call, spec, externals_of: Callable[[ir.Call], list[str]], kb
) -> RetryFact | None:
    """Judge one retry construct: bounded when a limit (or a bounded stop) is given."""
    line = call.loc.line
    name = spec.callee.rsplit(".", 1)[-1]
    given = [a for a in call.args if a.kw in spec.limit_params]
    if spec.limit_pos is not None:
        pos = call.arg(spec.limit_pos)
        if pos is not None and not any(a.kw for a in call.args if a.value is pos):
            given.append(ir.Arg(pos, "<positional>"))
    for a in given:
        value = _literal(a.value)
        if value is None and isinstance(a.value, ir.Const):
            continue  # an explicit None: no limit
        if _is_unbounded_value(value, spec):
            return RetryFact(
                line, "unbounded", f"{name}({a.kw}={expr_text(a.value)}) never stops (line {line})"
            )
        return RetryFact(
            line,
            "bounded",
            f"{name}({a.kw}={expr_text(a.value)}) (line {line})",
            attempts=_attempts(value, a.kw, spec),
        )
    if spec.stop_param:
        stop = call.kwarg(spec.stop_param)
        if stop is not None:
            return _judge_stop(stop, name, line, externals_of, kb)
    if spec.kind in ("client", "settings", "call"):
        return None  # nothing written: the SDK default applies, which is not the code's retry
    if spec.default_limit is not None:
        return RetryFact(
            line,
            "bounded",
            f"{name} stops after {spec.default_limit:g} {spec.limit_unit} by default (line {line})",
            attempts=_attempts(spec.default_limit, None, spec),
        )
    return RetryFact(line, "unbounded", f"{name} without a limit retries forever (line {line})")


def _attempts(value: object, kw: str | None, spec) -> int | None:
    """Total attempts a limit allows, when it counts attempts (not seconds)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isinf(value):
        return None
    if kw is not None and ("time" in kw or "delay" in kw or "timeout" in kw):
        return None
    if spec.limit_unit == "retries":
        return int(value) + 1
    if spec.limit_unit == "attempts":
        return int(value)
    return None


def _judge_stop(stop: ir.Expr, name: str, line: int, externals_of, kb) -> RetryFact:
    for x in ir.walk_expr(stop):
        if isinstance(x, ir.Call):
            for ext in externals_of(x):
                spec = kb.retry(ext)
                if spec is not None and spec.kind == "stop":
                    sub = x.arg(0)
                    if _is_unbounded_value(_literal(sub), spec):
                        continue
                    n = _literal(sub)
                    attempts = n if isinstance(n, int) and "attempt" in ext else None
                    return RetryFact(
                        line, "bounded", f"{name}(stop={expr_text(x)}) (line {line})", attempts
                    )
        if isinstance(x, (ir.Name, ir.Attr)) and (ir.dotted(x) or "").endswith("stop_never"):
            return RetryFact(line, "unbounded", f"{name}(stop=stop_never) (line {line})")
    return RetryFact(line, "bounded", f"{name}(stop={expr_text(stop)}) (line {line})")


def loop_retry_fact(loop, bounded: bool, evidence: str) -> RetryFact:
    line = loop.loc.line
    if bounded:
        return RetryFact(line, "bounded", f"retry loop with a limit: {evidence}")
    return RetryFact(
        line,
        "unbounded",
        f"loop retries a failing call with no attempt or time limit (line {line})",
    )


def worst_retry(facts: list[RetryFact]) -> RetryFact | None:
    if not facts:
        return None
    unbounded = [f for f in facts if f.status == "unbounded"]
    return (unbounded or facts)[0]
