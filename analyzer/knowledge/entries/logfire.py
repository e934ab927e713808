"""Pydantic Logfire: configure, instrument_* for SDKs, spans, @instrument, log calls."""

from analyzer.knowledge.spec import Entry, TracingSpec

ENTRY = Entry(
    key="logfire",
    title="Pydantic Logfire",
    roots=("logfire",),
    packages=("logfire",),
    tracing=(
        TracingSpec("logfire.configure", library="logfire", kind="config", scope="global"),
        TracingSpec("logfire.instrument_*", library="logfire", kind="instrument", scope="global"),
        TracingSpec("logfire.span", library="logfire", kind="span", forms=("context", "decorator")),
        TracingSpec(
            "logfire.instrument", library="logfire", kind="decorator", forms=("decorator",)
        ),
    )
    + tuple(
        TracingSpec(f"logfire.{lv}", library="logfire", kind="log")
        for lv in (
            "trace",
            "debug",
            "info",
            "notice",
            "warn",
            "warning",
            "error",
            "fatal",
            "exception",
            "log",
        )
    ),
)
