"""OpenTelemetry spans and instrumentors (official, openllmetry, openinference), Traceloop, OpenLIT."""

from analyzer.knowledge.spec import Entry, Family, ResultRule, TracingSpec, TypeDecl

_TRACER = "opentelemetry.trace.Tracer"
_INSTR = "opentelemetry.instrumentation.instrumentor.BaseInstrumentor"

ENTRY = Entry(
    key="opentelemetry",
    title="OpenTelemetry (+ openinference, openllmetry/Traceloop, OpenLIT)",
    roots=("opentelemetry", "openinference", "traceloop", "openlit"),
    packages=("opentelemetry-api", "opentelemetry-sdk", "traceloop-sdk", "openlit"),
    aliases=(
        ("opentelemetry.sdk.trace.Tracer", _TRACER),
        ("opentelemetry.trace.ProxyTracer", _TRACER),
        ("traceloop.sdk.Traceloop", "traceloop.sdk.Traceloop"),
    ),
    types=(TypeDecl(_TRACER), TypeDecl(_INSTR), TypeDecl("traceloop.sdk.Traceloop")),
    families=(
        Family("opentelemetry.instrumentation.*.*Instrumentor", _INSTR),
        Family("openinference.instrumentation.*.*Instrumentor", _INSTR),
    ),
    results=(
        ResultRule("opentelemetry.trace.get_tracer", _TRACER),
        ResultRule("opentelemetry.sdk.trace.TracerProvider.get_tracer", _TRACER),
    ),
    tracing=(
        TracingSpec(
            "opentelemetry.trace.get_tracer",
            library="opentelemetry",
            kind="config",
            counts=False,
            note="a tracer alone records nothing until it starts spans",
        ),
        TracingSpec(
            f"{_TRACER}.start_as_current_span",
            library="opentelemetry",
            kind="span",
            forms=("call", "context", "decorator"),
        ),
        TracingSpec(
            f"{_TRACER}.start_span", library="opentelemetry", kind="span", forms=("call", "context")
        ),
        TracingSpec(
            "opentelemetry.trace.set_tracer_provider",
            library="opentelemetry",
            kind="config",
            scope="global",
        ),
        TracingSpec(
            "opentelemetry.sdk.trace.TracerProvider",
            library="opentelemetry",
            kind="config",
            scope="global",
        ),
        TracingSpec(
            f"{_INSTR}.instrument", library="opentelemetry", kind="instrument", scope="global"
        ),
        TracingSpec(
            "traceloop.sdk.Traceloop.init", library="traceloop", kind="instrument", scope="global"
        ),
        TracingSpec(
            "traceloop.sdk.decorators.*",
            library="traceloop",
            kind="decorator",
            forms=("decorator",),
        ),
        TracingSpec("openlit.init", library="openlit", kind="instrument", scope="global"),
    ),
)
