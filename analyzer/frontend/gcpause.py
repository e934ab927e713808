"""Keep the cyclic garbage collector off the project's objects while it is loaded and
analysed.

Loading and analysing build millions of small, long-lived objects (the facts, the call
graph's sets) and few reference cycles. CPython's collector rescans every live container
it tracks on each full collection, and collections fall due every few thousand
allocations: on langgraph (486 files) the collector took about a quarter of a cold run's
CPU (17 full passes over the heap) and freed almost nothing. So inside `paused_gc` the
collector is off, and on leaving it the objects still alive are frozen (`gc.freeze`: moved
where later collections do not look), so the output stage does not pay a pass over them
either. Reference counting frees everything as usual; only reference cycles created inside
stay until `release_frozen`, which a process analysing project after project (a
portfolio worker) calls between projects.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_users = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Collector off inside (nesting-safe, any thread); on leaving the outermost, what is
    alive is frozen and the collector restored as it was."""
    global _users, _was_enabled
    with _lock:
        if _users == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()


def release_frozen() -> None:
    """Hand what `paused_gc` froze back to the collector and collect it: the cycles of a
    project no longer in use are freed."""
    with _lock:
        if _users == 0:
            gc.unfreeze()
            gc.collect()
