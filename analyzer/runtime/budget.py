"""One budget for a whole run: steps, model calls, tool calls, tokens, wall time, cost.

Why one object: nested patterns must not escape the outer limit, so a budget created inside
a run is linked to the run's budget and every charge is checked at every level. Parallel
branches get detached *shares* (picklable, so they can cross a process boundary) and their
usage is merged back when they finish.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .bounds import require_amount, require_count
from .errors import BudgetExceeded

COUNTED = ("steps", "model_calls", "tool_calls")
"""Kinds charged before the thing happens: a call that would pass the limit is refused."""

METERED = ("tokens", "cost")
"""Kinds recorded after a model call: a call may overshoot; the *next* call is refused."""


class _Unmetered:
    """Marker for "cost is not tracked" (cost is the one optional bound)."""

    def __repr__(self) -> str:
        return "UNMETERED"

    def __reduce__(self) -> str:
        return "UNMETERED"


UNMETERED: Any = _Unmetered()


class Budget:
    """Limits plus usage. Thread-safe; linked budgets share their root's lock."""

    def __init__(
        self,
        *,
        max_steps: int = 50,
        max_model_calls: int = 50,
        max_tool_calls: int = 100,
        max_tokens: int = 200_000,
        max_seconds: float = 300.0,
        max_cost: float = UNMETERED,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits: dict[str, float] = {
            "steps": require_count("max_steps", max_steps, minimum=0),
            "model_calls": require_count("max_model_calls", max_model_calls, minimum=0),
            "tool_calls": require_count("max_tool_calls", max_tool_calls, minimum=0),
            "tokens": require_count("max_tokens", max_tokens, minimum=0),
            "seconds": require_amount("max_seconds", max_seconds),
        }
        if max_cost is not UNMETERED:
            self._limits["cost"] = require_amount("max_cost", max_cost, allow_zero=True)
        self._used: dict[str, float] = dict.fromkeys((*COUNTED, *METERED), 0)
        self._clock = clock
        self._started = clock()
        self._parent: Budget | None = None
        self._lock = threading.RLock()

    # -- reading ---------------------------------------------------------------------------

    @property
    def limits(self) -> dict[str, float]:
        return dict(self._limits)

    def usage(self) -> dict[str, float]:
        """A snapshot of what this budget has spent (its own and its branches' merged)."""
        with self._lock:
            used = dict(self._used)
        used["seconds"] = round(self._clock() - self._started, 6)
        return used

    def remaining_seconds(self) -> float:
        """Seconds left before this budget's (or any enclosing budget's) deadline."""
        own = self._limits["seconds"] - (self._clock() - self._started)
        if self._parent is not None:
            return min(own, self._parent.remaining_seconds())
        return own

    def deadline_error(self) -> BudgetExceeded:
        """The time-budget error for the tightest enclosing deadline (a call outlived it)."""
        tightest = min(self._chain(), key=lambda b: b._limits["seconds"] - b._elapsed())
        limit = tightest._limits["seconds"]
        return BudgetExceeded("seconds", limit, round(tightest._elapsed(), 3))

    def _elapsed(self) -> float:
        return self._clock() - self._started

    # -- spending --------------------------------------------------------------------------

    def charge(self, kind: str, amount: int = 1) -> None:
        """Take `amount` of a counted kind, or raise BudgetExceeded without taking anything."""
        if kind not in COUNTED:
            raise ValueError(f"cannot charge {kind!r}; counted kinds are {COUNTED}")
        with self._lock:
            chain = list(self._chain())
            for budget in chain:
                budget._check_room()
                used, limit = budget._used[kind], budget._limits[kind]
                if used + amount > limit:
                    raise BudgetExceeded(kind, limit, used)
            for budget in chain:
                budget._used[kind] += amount

    def ensure_room(self) -> None:
        """Raise BudgetExceeded if time, tokens or cost are already spent at any level."""
        with self._lock:
            for budget in self._chain():
                budget._check_room()

    def record(self, *, tokens: int = 0, cost: float = 0.0) -> None:
        """Add metered usage after a model call (never raises: the call already happened)."""
        with self._lock:
            for budget in self._chain():
                budget._used["tokens"] += tokens
                budget._used["cost"] += cost

    def _check_room(self) -> None:
        elapsed = self._clock() - self._started
        if elapsed >= self._limits["seconds"]:
            raise BudgetExceeded("seconds", self._limits["seconds"], round(elapsed, 3))
        for kind in METERED:
            limit = self._limits.get(kind)
            if limit is not None and self._used[kind] >= limit:
                raise BudgetExceeded(kind, limit, self._used[kind])

    def _chain(self) -> list[Budget]:
        chain: list[Budget] = []
        node: Budget | None = self
        while node is not None:
            chain.append(node)
            node = node._parent
        return chain

    # -- nesting, splitting, merging -----------------------------------------------------

    def within(self, outer: Budget) -> Budget:
        """Link this budget under `outer` so each charge also counts (and is checked) there.

        Used when a pattern is given its own budget inside another pattern's run: the inner
        limits apply, and the outer ones still do. Returns self.
        """
        if outer is self or outer in self._chain():
            return self
        if self._parent is not None:
            raise ValueError("budget is already nested inside another run")
        with outer._lock:
            self._parent = outer
            self._lock = outer._lock
        return self

    def split(self, n: int) -> list[Budget]:
        """Detached shares of what is left, one per parallel branch.

        Counts are divided (remainders go to the first branches); wall time is shared (the
        branches run at the same time) and capped by every enclosing deadline.
        """
        require_count("n", n)
        self.ensure_room()
        with self._lock:
            remaining = {k: self._remaining(k) for k in (*COUNTED, "tokens")}
            cost_left = self._remaining("cost") if "cost" in self._limits else None
        seconds = self.remaining_seconds()
        shares = []
        for i in range(n):
            share = {k: int(v // n + (1 if i < v % n else 0)) for k, v in remaining.items()}
            branch = Budget(
                max_steps=share["steps"],
                max_model_calls=share["model_calls"],
                max_tool_calls=share["tool_calls"],
                max_tokens=share["tokens"],
                max_seconds=max(seconds, 1e-9),
                max_cost=UNMETERED if cost_left is None else max(cost_left / n, 0.0),
                clock=self._clock,
            )
            shares.append(branch)
        return shares

    def _remaining(self, kind: str) -> float:
        return min(
            max(b._limits[kind] - b._used[kind], 0) for b in self._chain() if kind in b._limits
        )

    def merge(self, used: Mapping[str, float]) -> None:
        """Add a finished branch's usage (from `usage()`) to this budget and its parents."""
        with self._lock:
            for budget in self._chain():
                for kind in (*COUNTED, *METERED):
                    budget._used[kind] += used.get(kind, 0)

    # -- pickling (branch shares cross process boundaries) -------------------------------

    def __getstate__(self) -> dict[str, Any]:
        if self._parent is not None:
            raise TypeError("a linked budget cannot be pickled; pickle a split() share")
        state = self.__dict__.copy()
        del state["_lock"]
        state["_elapsed"] = self._clock() - state.pop("_started")
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        elapsed = state.pop("_elapsed")
        self.__dict__.update(state)
        self._lock = threading.RLock()
        self._started = self._clock() - elapsed

    def __repr__(self) -> str:
        return f"Budget(limits={self._limits}, used={self._used})"
