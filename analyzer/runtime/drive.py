"""One implementation of each pattern, two ways to run it.

Every pattern, the guarded model call and the tool call are written once, as a *flow*: a
generator that makes every decision, charges the budget and builds every trace event
itself, and `yield`s an effect whenever it needs the outside world (ask a model, call user
code, wait before a retry, run branches). A driver performs the effects: `run_flow` by
calling and blocking, `arun_flow` by awaiting, with a deadline and with cancellation
thrown back into the flow so its steps and run record why they stopped. So the sync and
async APIs cannot drift apart: they share every rule and differ only in how they wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Generator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .errors import DeadlineExceeded
from .models import AnyModel, Message, ModelResponse, Tool

if TYPE_CHECKING:
    from .scope import Run

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Complete:
    """Ask `model`; `seconds` is what the budget has left (async drivers enforce it)."""

    model: AnyModel
    messages: Sequence[Message]
    tools: Sequence[Tool] | None
    seconds: float


@dataclass(frozen=True)
class Invoke:
    """Call user code (a tool, a step function, a handler, a gate); await it if async."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    seconds: float | None = None


@dataclass(frozen=True)
class Sleep:
    """Wait before a retry with the policy's `sleep` (the async driver awaits)."""

    seconds: float
    sleep: Callable[[float], Any]


@dataclass(frozen=True)
class Branches:
    """Run `fn(view, *args)` for each args tuple concurrently, each a flow in its own view
    of `run`; the result is the list of their values (see executors.py)."""

    run: Run
    fn: Callable[..., Flow[Any]]
    args: Sequence[tuple[Any, ...]]
    executor: Executor | None = None
    max_concurrency: int = 8


Effect = Complete | Invoke | Sleep | Branches
Flow = Generator[Effect, Any, T]


# -- the blocking driver -------------------------------------------------------------------


def run_flow(flow: Flow[T]) -> T:
    """Drive `flow` to its end in this thread; errors of effects are thrown back into it."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value
        value, error = None, None
        try:
            value = _perform(effect)
        except BaseException as exc:  # thrown into the flow, which records and re-raises
            error = exc


def _perform(effect: Effect) -> Any:
    if isinstance(effect, Complete):
        complete = getattr(effect.model, "complete", None)
        if complete is None:
            raise TypeError(f"model {effect.model.name!r} is async only: use analyzer.runtime.aio")
        return complete(effect.messages, tools=effect.tools)
    if isinstance(effect, Invoke):
        value = effect.fn(*effect.args, **effect.kwargs)
        if inspect.isawaitable(value):
            _discard(value)
            raise TypeError(f"{_name(effect.fn)} is async: use analyzer.runtime.aio")
        return value
    if isinstance(effect, Sleep):
        effect.sleep(effect.seconds)
        return None
    from .executors import run_branches

    return run_branches(effect)


def blocking(flow: Callable[P, Flow[T]]) -> Callable[P, T]:
    """The sync API function for a flow: same name, signature and docs."""

    @functools.wraps(flow)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_flow(flow(*args, **kwargs))

    return _renamed(run, flow)


# -- the async driver ----------------------------------------------------------------------


async def arun_flow(flow: Flow[T]) -> T:
    """Drive `flow` by awaiting its effects. A cancellation is thrown into the flow (its
    open step and run record "cancelled") and then propagates."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value
        value, error = None, None
        try:
            value = await _aperform(effect)
        except BaseException as exc:
            error = exc


async def _aperform(effect: Effect) -> Any:
    if isinstance(effect, Complete):
        return await within(_acomplete(effect), effect.seconds)
    if isinstance(effect, Invoke):
        value = effect.fn(*effect.args, **effect.kwargs)
        if inspect.isawaitable(value):
            seconds = effect.seconds
            return await (value if seconds is None else within(value, seconds))
        return value
    if isinstance(effect, Sleep):
        if effect.sleep is time.sleep:
            await asyncio.sleep(effect.seconds)
        else:
            waited = effect.sleep(effect.seconds)  # a test's fake sleep, or a coroutine
            if inspect.isawaitable(waited):
                await waited
        return None
    from .executors import arun_branches

    return await arun_branches(effect)


def _acomplete(effect: Complete) -> Awaitable[ModelResponse]:
    acomplete = getattr(effect.model, "acomplete", None)
    if acomplete is not None:
        return acomplete(effect.messages, tools=effect.tools)
    # A sync model (e.g. an SDK adapter on a sync client) must not block the event loop.
    return asyncio.to_thread(effect.model.complete, effect.messages, tools=effect.tools)


async def within(awaitable: Awaitable[T], seconds: float) -> T:
    """Await `awaitable` for at most `seconds`; past that it is cancelled (and waited for,
    so its own cleanup runs) and `DeadlineExceeded` is raised. Distinguishable from a
    `TimeoutError` the call raises itself, which stays retryable."""
    task = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task}, timeout=max(seconds, 0.0))
    except BaseException:
        task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait({task})
        raise
    if not done:
        task.cancel()
        await asyncio.wait({task})
        raise DeadlineExceeded(seconds)
    return task.result()


def awaitable(flow: Callable[P, Flow[T]]) -> Callable[P, Awaitable[T]]:
    """The async API function for a flow: same name, signature and docs, awaited."""

    @functools.wraps(flow)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        return await arun_flow(flow(*args, **kwargs))

    return _renamed(run, flow)


def _renamed(api: Callable[..., Any], flow: Callable[..., Any]) -> Any:
    """`chain_flow` is exposed as `chain` returning `Result` (help() and tracebacks show
    the API, not the flow)."""
    api.__name__ = flow.__name__.removesuffix("_flow")
    api.__qualname__ = flow.__qualname__.removesuffix("_flow")
    signature = inspect.signature(flow)
    returns = signature.return_annotation
    if isinstance(returns, str) and returns.startswith("Flow[") and returns.endswith("]"):
        api.__signature__ = signature.replace(return_annotation=returns[len("Flow[") : -1])
    return api


def _discard(value: Any) -> None:
    close = getattr(value, "close", None)
    if close is not None:
        close()


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)
