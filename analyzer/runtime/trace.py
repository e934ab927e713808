"""Trace events and spans.

Every step, model call and tool call becomes a `TraceEvent` written to the tracer's sinks
(in memory and/or JSONL). When `opentelemetry-api` is installed the same work also opens
spans with the GenAI semantic-convention names; without it spans are no-ops. The tracer
never holds process-wide state: sinks and the OTel tracer are passed in.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

EVENT_KINDS = ("run", "step", "model", "tool")


@dataclass(frozen=True)
class TraceEvent:
    """One thing that happened. `kind` is run (a pattern finished), step, model or tool."""

    kind: str
    pattern: str
    name: str
    run: str
    parent: str | None = None
    step: int | str | None = None
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    tool: str | None = None
    route: str | None = None
    verdict: str | None = None
    stop_reason: str | None = None
    error: str | None = None
    attempt: int | None = None
    duration_ms: float | None = None
    time: float = field(default_factory=time.time)
    detail: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The event without empty fields: compact JSONL lines."""
        return {k: v for k, v in asdict(self).items() if v is not None}


class Sink(Protocol):
    def write(self, event: TraceEvent) -> None: ...


class MemorySink:
    """Keeps events in a list (thread-safe append)."""

    def __init__(self) -> None:
        self.events: list[TraceEvent] = []
        self._lock = threading.Lock()

    def write(self, event: TraceEvent) -> None:
        with self._lock:
            self.events.append(event)

    def __getstate__(self) -> dict[str, Any]:
        return {"events": list(self.events)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.events = state["events"]
        self._lock = threading.Lock()


class JsonlSink:
    """Appends one JSON object per line and flushes, so a crash loses nothing written."""

    def __init__(self, target: str | Path | IO[str]) -> None:
        self._owned = not hasattr(target, "write")
        # An owned file stays open for the sink's life; close() closes it.
        self._file: IO[str] = (
            open(target, "a", encoding="utf-8")  # noqa: SIM115
            if self._owned
            else target  # type: ignore[assignment]
        )
        self._lock = threading.Lock()

    def write(self, event: TraceEvent) -> None:
        line = json.dumps(event.to_dict(), default=str, sort_keys=True)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._owned:
            self._file.close()


class SpanHandle:
    """A thin view of an OTel span (or nothing), so callers never import opentelemetry."""

    def __init__(self, span: Any = None) -> None:
        self._span = span

    def set(self, key: str, value: Any) -> None:
        if self._span is not None and value is not None:
            self._span.set_attribute(key, value)

    def set_many(self, attributes: Mapping[str, Any]) -> None:
        for key, value in attributes.items():
            self.set(key, value)

    def end(self) -> None:
        if self._span is not None:
            self._span.end()

    def fail(self, error: BaseException) -> None:
        if self._span is None:
            return
        from opentelemetry.trace import Status, StatusCode

        self._span.set_attribute("error.type", type(error).__qualname__)
        self._span.record_exception(error)
        self._span.set_status(Status(StatusCode.ERROR, str(error)))


_AUTO: Any = "auto"


class Tracer:
    """Writes events to sinks and opens OTel spans.

    `otel` is "auto" (use `opentelemetry.trace.get_tracer` if the API is installed), None
    (no spans), an OpenTelemetry tracer object (tests pass one from their own provider), or
    a zero-argument module-level function returning one: unlike a tracer object, that
    crosses a pickling executor, so spans on remote workers go to the provider it names.
    """

    def __init__(self, sinks: Sequence[Sink] | None = None, *, otel: Any = _AUTO) -> None:
        self.memory = MemorySink()
        self.sinks: list[Sink] = [self.memory, *(sinks or ())]
        self._otel_setting = otel
        self._otel = _resolve_otel(otel)

    @property
    def events(self) -> list[TraceEvent]:
        return self.memory.events

    def emit(self, event: TraceEvent) -> None:
        for sink in self.sinks:
            sink.write(event)

    @contextmanager
    def span(self, name: str, attributes: Mapping[str, Any] | None = None) -> Iterator[SpanHandle]:
        """A current span (propagates to nested spans); a no-op handle without OTel.

        Exceptions are recorded by the caller via `SpanHandle.fail`, so this does not set
        the status twice.
        """
        if self._otel is None:
            yield SpanHandle()
            return
        attrs = {k: v for k, v in (attributes or {}).items() if v is not None}
        with self._otel.start_as_current_span(
            name, attributes=attrs, record_exception=False, set_status_on_exception=False
        ) as span:
            yield SpanHandle(span)

    def start_span(self, name: str, attributes: Mapping[str, Any] | None = None) -> SpanHandle:
        """A span that is not made current, ended by `SpanHandle.end()`: for a stream, which
        the caller consumes in its own code between deltas."""
        if self._otel is None:
            return SpanHandle()
        attrs = {k: v for k, v in (attributes or {}).items() if v is not None}
        return SpanHandle(self._otel.start_span(name, attributes=attrs))

    def branch(self) -> Tracer:
        """A tracer for one parallel branch: buffers events, keeps the span tracer.

        The parent absorbs the buffered events when the branch ends, so branches work the
        same on threads and on executors that pickle their arguments.
        """
        branch = Tracer(otel=None)
        branch._otel_setting = self._otel_setting
        branch._otel = self._otel
        return branch

    def absorb(self, events: Sequence[TraceEvent]) -> None:
        for event in events:
            self.emit(event)

    def __getstate__(self) -> dict[str, Any]:
        # Sinks other than memory and OTel tracers do not pickle: a pickled tracer is a
        # buffering branch tracer; it re-resolves OTel on the other side from "auto" or
        # from a tracer factory (the span parent travels separately, as W3C headers).
        setting = self._otel_setting
        if not (isinstance(setting, str) or _is_factory(setting)):
            setting = _AUTO
        return {"memory": self.memory, "otel": setting if self._otel_setting else None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.memory = state["memory"]
        self.sinks = [self.memory]
        self._otel_setting = state["otel"]
        self._otel = _resolve_otel(state["otel"])


def _is_factory(setting: Any) -> bool:
    return callable(setting) and not hasattr(setting, "start_as_current_span")


def _resolve_otel(setting: Any) -> Any:
    if setting is None or setting is False:
        return None
    if _is_factory(setting):
        return setting()
    if setting != _AUTO:
        return setting
    try:
        from opentelemetry import trace
    except ImportError:
        return None
    return trace.get_tracer("archlint.runtime")


def capture_context() -> dict[str, str]:
    """The current span context as W3C headers: a picklable way to cross executors."""
    try:
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
    except ImportError:
        return {}
    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier


@contextmanager
def attached_context(carrier: Mapping[str, str]) -> Iterator[None]:
    """Make the span context in `carrier` current (the parent of spans opened inside)."""
    if not carrier:
        yield
        return
    from opentelemetry import context
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    token = context.attach(TraceContextTextMapPropagator().extract(carrier))
    try:
        yield
    finally:
        context.detach(token)


def format_events(events: Sequence[TraceEvent]) -> str:
    """Events as aligned, human-readable lines (used by the demo)."""
    lines = []
    for event in events:
        parts = [f"{event.kind:<5}", f"{event.pattern}:{event.name}"]
        if event.step is not None:
            parts.append(f"step={event.step}")
        for key in ("model", "tool", "route", "verdict", "stop_reason", "error", "attempt"):
            value = getattr(event, key)
            if value is not None:
                parts.append(f"{key}={value}")
        if event.input_tokens is not None or event.output_tokens is not None:
            parts.append(f"tokens={event.input_tokens or 0}+{event.output_tokens or 0}")
        lines.append("  ".join(parts))
    return "\n".join(lines)
