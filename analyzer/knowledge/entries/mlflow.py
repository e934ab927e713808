"""MLflow tracing: mlflow.<flavor>.autolog, @mlflow.trace, mlflow.start_span."""

from analyzer.knowledge.spec import Entry, TracingSpec

ENTRY = Entry(
    key="mlflow",
    title="MLflow Tracing",
    roots=("mlflow",),
    packages=("mlflow",),
    tracing=(
        TracingSpec("mlflow.autolog", library="mlflow", kind="instrument", scope="global"),
        TracingSpec("mlflow.*.autolog", library="mlflow", kind="instrument", scope="global"),
        TracingSpec(
            "mlflow.trace", library="mlflow", kind="decorator", forms=("decorator", "call")
        ),
        TracingSpec("mlflow.start_span", library="mlflow", kind="span", forms=("context",)),
    ),
)
