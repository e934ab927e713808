"""Run work over deeply nested code without overflowing a stack.

Real code nests deep: prompt concatenations of hundreds of `+` terms, long `elif` chains,
fluent call chains. The facts for them are deep trees, and walking, comparing or pickling
a deep tree recurses. `run_deep` runs such work in a thread with a large stack and a raised
recursion limit, so it either finishes or raises `RecursionError` (never a segfault), and
the result does not depend on which thread or process did the work (same at any `-j`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")

# Expression or statement nesting the front end lowers; deeper code is one diagnostic.
MAX_DEPTH = 5_000
RECURSION_LIMIT = 60_000
# Virtual size only: pages are committed as the stack grows.
STACK_BYTES = 512 * 1024 * 1024

_limit_lock = threading.Lock()
_limit_users = 0
_saved_limit = 0


@contextmanager
def deep_recursion(limit: int = RECURSION_LIMIT):
    """Raise the interpreter's recursion limit while any user needs it (nesting-safe)."""
    global _limit_users, _saved_limit
    with _limit_lock:
        if _limit_users == 0:
            _saved_limit = sys.getrecursionlimit()
            if _saved_limit < limit:
                sys.setrecursionlimit(limit)
        _limit_users += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_users -= 1
            if _limit_users == 0:
                sys.setrecursionlimit(_saved_limit)


def run_deep(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a thread with a large stack and a raised recursion limit;
    its result is returned and its exception re-raised here."""
    if getattr(_local, "inside", False):
        return fn(*args, **kwargs)
    box: dict[str, Any] = {}

    def target() -> None:
        _local.inside = True
        try:
            with deep_recursion():
                box["result"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the calling thread
            box["error"] = exc

    with _stack_lock:
        old = threading.stack_size()
        with suppress(ValueError, RuntimeError):  # platform refuses: run with what there is
            threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=target, name="archlint-deep", daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


_local = threading.local()
_stack_lock = threading.Lock()
