"""Predicates over IR that the shape builder asks: concurrency and fan-out calls, calls that
wait for a person, infinite iterators, callables chosen by model output, comparisons and size
caps, and exception handlers that go round again.
"""

from __future__ import annotations

from analyzer import ir
from analyzer.classify.nodes import STOP_FIELDS, Site
from analyzer.classify.taint import Taint

# External concurrency APIs (by last name, under these roots) that run their arguments
# concurrently.
_CONCURRENT_ROOTS = ("asyncio", "concurrent", "multiprocessing", "threading", "anyio", "trio")

_CONCURRENT_NAMES = frozenset(
    {
        "gather",
        "wait",
        "as_completed",
        "create_task",
        "ensure_future",
        "submit",
        "map",
        "imap",
        "imap_unordered",
        "starmap",
        "map_async",
        "apply_async",
        "run_in_executor",
        "to_thread",
        "Thread",
        "Process",
        "start_soon",
        "run_sync",
    }
)

_RUNS_COROUTINE = frozenset({"run", "run_until_complete", "run_coroutine_threadsafe"})

_USER_INPUT = frozenset({"input", "raw_input"})

# Library calls that wait for a person to type something (prompts of CLI and UI kits).
_ASKS = (
    "rich.prompt.",
    "click.prompt",
    "click.confirm",
    "typer.prompt",
    "typer.confirm",
    "getpass.getpass",
    "questionary.",
    "prompt_toolkit.prompt",
    "prompt_toolkit.shortcuts.prompt",
    "prompt_toolkit.PromptSession.prompt",
    "streamlit.chat_input",
    "gradio.",
)

_FANOUT_VIAS = frozenset({"executor", "task", "thread"})

_TIME_CALLS = frozenset({"time", "monotonic", "perf_counter", "now", "utcnow", "time_ns"})

_INFINITE_ITERS = frozenset({"count", "cycle", "repeat"})

_PICKS_ONE = frozenset({"max", "min", "Counter", "most_common", "mode", "multimode", "argmax"})


def _branches(ctor: ir.Call | None) -> ir.Expr | None:
    """The branches a parallel runnable was built with, as a list expression."""
    if ctor is None:
        return None
    values = [a.value for a in ctor.args if a.kw not in (None, "*", "**")]
    first = ctor.arg(0)
    if isinstance(first, ir.Dict):
        values += list(first.values)
    return ir.Seq("list", tuple(values), ctor.loc) if values else None


def _picks_one(c: ir.Call) -> bool:
    """`max(answers, key=score)`, `Counter(votes)`: one answer chosen among several."""
    name = (ir.dotted(c.func) or "").rsplit(".", 1)[-1]
    if isinstance(c.func, ir.Attr) and not name:
        name = c.func.attr
    if name in ("max", "min", "argmax"):
        return c.kwarg("key") is not None  # best by a score, not the largest of numbers
    return name in _PICKS_ONE


def _asks_a_person(name: str) -> bool:
    return name.startswith(_ASKS)


def asks_a_person(c: ir.Call, ext: list[str]) -> bool:
    """The call waits for a person to type: `input()`, a CLI/UI prompt, or either handed
    to a thread (`asyncio.to_thread(input, "> ")`, `loop.run_in_executor(None, input)`)."""
    if isinstance(c.func, ir.Name) and c.func.id in _USER_INPUT:
        return True
    if any(_asks_a_person(n) for n in ext):
        return True
    if any(n.rsplit(".", 1)[-1] in ("to_thread", "run_in_executor", "run_sync") for n in ext):
        return any(isinstance(a.value, ir.Name) and a.value.id in _USER_INPUT for a in c.args)
    return False


def _is_batch(site: Site) -> bool:
    """LangChain-style `.batch(inputs)`: one request per input, run concurrently."""
    return site.callee.rsplit(".", 1)[-1] in ("batch", "abatch", "batch_as_completed")


def _is_concurrent(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in _CONCURRENT_ROOTS and parts[-1] in _CONCURRENT_NAMES


def _is_map_call(c: ir.Call, ext: list[str]) -> bool:
    last = c.func.attr if isinstance(c.func, ir.Attr) else ""
    return last in ("map", "imap", "imap_unordered", "starmap", "map_async") or any(
        n.rsplit(".", 1)[-1] in ("map", "imap", "imap_unordered") for n in ext
    )


def _is_infinite_iter(e: ir.Expr) -> bool:
    if isinstance(e, ir.Call):
        name = ir.dotted(e.func) or ""
        return name.rsplit(".", 1)[-1] in _INFINITE_ITERS and name.split(".")[0] in (
            "itertools",
            "count",
            "cycle",
            "repeat",
        )
    return False


def _callable_from_model(func: ir.Expr, taint: Taint) -> bool:
    """`fn(...)` where `fn` was picked by model output, or `TOOLS[name](...)` with a
    model-given `name` (a method call on model output, `resp.json()`, is not dispatch)."""
    if isinstance(func, ir.Name):
        return func.id in taint
    if isinstance(func, ir.Subscript):
        return taint.expr(func.index)
    return False


def _getattr_call(func: ir.Expr) -> ir.Expr | None:
    if (
        isinstance(func, ir.Call)
        and isinstance(func.func, ir.Name)
        and func.func.id == "getattr"
        and len(func.args) >= 2
    ):
        return func.args[1].value
    return None


def _reads_stop_field(e: ir.Expr) -> bool:
    return ir.reads_member(e, STOP_FIELDS) or any(
        isinstance(x, ir.Const) and x.value in ("tool_use", "end_turn", "tool_calls", "stop")
        for x in ir.walk_expr(e)
    )


def _compares(e: ir.Expr) -> bool:
    """A returned ordering comparison (`return i >= n`), alone or in an and/or."""
    alternatives = e.values if isinstance(e, ir.BoolOp) else (e,)
    return any(
        isinstance(a, ir.Compare) and a.ops and a.ops[0] in (">=", ">", "<", "<=")
        for a in alternatives
    )


def _caps_size(e: ir.Expr) -> bool:
    """`len(xs) >= 3`, alone or as one alternative of an `or`: true once a size is hit."""
    alternatives = e.values if isinstance(e, ir.BoolOp) and e.op == "or" else (e,)
    for alt in alternatives:
        if isinstance(alt, ir.Compare) and alt.ops and alt.ops[0] in (">=", ">", "=="):
            left, right = alt.left, alt.comparators[0]
            if (
                isinstance(left, ir.Call)
                and ir.dotted(left.func) == "len"
                and isinstance(right, ir.Const)
                and isinstance(right.value, int)
            ):
                return True
    return False


def _always_leaves(body: tuple[ir.Stmt, ...]) -> bool:
    """The block ends in a return or raise on every path it takes to its end."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ir.Return, ir.Raise)):
        return True
    if isinstance(last, ir.If):
        return _always_leaves(last.body) and _always_leaves(last.orelse)
    return False


def _handler_goes_round(body: tuple[ir.Stmt, ...]) -> bool:
    """An except body that does not always leave the loop: on some path it tries again
    (`attempt += 1; if attempt >= N: raise` goes round until the counter says stop)."""
    for s in body:
        if isinstance(s, (ir.Raise, ir.Return)):
            return False
        if isinstance(s, ir.Jump) and s.kind == "break":
            return False
    return True


def _called_names(body: tuple[ir.Stmt, ...]) -> set[str]:
    out = set()
    for s in ir.walk_stmts(body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Call):
                    d = ir.dotted(x.func)
                    if d and not d.endswith(("append", "extend", "print", "get")):
                        out.add(d)
    return out
