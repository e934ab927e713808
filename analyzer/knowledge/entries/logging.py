"""Structured and stdlib logging: logging, structlog, loguru."""

from analyzer.knowledge.spec import SELF, Entry, ResultRule, TracingSpec, TypeDecl

_LOGGER = "logging.Logger"
_STRUCT = "structlog.BoundLogger"
_LOGURU = "loguru.Logger"
_LEVELS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log")


def _logs(owner: str, library: str, levels: tuple[str, ...] = _LEVELS) -> tuple[TracingSpec, ...]:
    return tuple(TracingSpec(f"{owner}.{lv}", library=library, kind="log") for lv in levels)


ENTRY = Entry(
    key="logging",
    title="Logging (stdlib logging, structlog, loguru)",
    roots=("logging", "structlog", "loguru"),
    packages=("structlog", "loguru"),
    aliases=(
        ("structlog.stdlib.get_logger", "structlog.get_logger"),
        ("structlog.getLogger", "structlog.get_logger"),
    ),
    types=(
        TypeDecl(_LOGGER),
        TypeDecl("logging.LoggerAdapter", same_as=_LOGGER),
        TypeDecl(_STRUCT),
        TypeDecl(_LOGURU),
        TypeDecl("loguru.logger", same_as=_LOGURU),
    ),
    results=(
        ResultRule("logging.getLogger", _LOGGER),
        ResultRule("structlog.get_logger", _STRUCT),
        ResultRule(f"{_STRUCT}.bind", _STRUCT),
        ResultRule(f"{_STRUCT}.new", _STRUCT),
        ResultRule(f"{_LOGURU}.bind", SELF),
        ResultRule(f"{_LOGURU}.opt", SELF),
    ),
    tracing=_logs(_LOGGER, "logging")
    + _logs("logging", "logging")
    + (
        TracingSpec("logging.basicConfig", library="logging", kind="config", scope="global"),
        TracingSpec("logging.config.dictConfig", library="logging", kind="config", scope="global"),
        TracingSpec("logging.config.fileConfig", library="logging", kind="config", scope="global"),
        TracingSpec(f"{_LOGGER}.addHandler", library="logging", kind="config", scope="global"),
    )
    + _logs(_STRUCT, "structlog", (*_LEVELS, "msg", "ainfo", "aerror", "awarning", "adebug"))
    + (TracingSpec("structlog.configure", library="structlog", kind="config", scope="global"),)
    + _logs(_LOGURU, "loguru", (*_LEVELS, "trace", "success"))
    + (
        TracingSpec(f"{_LOGURU}.add", library="loguru", kind="config", scope="global"),
        TracingSpec(
            f"{_LOGURU}.catch", library="loguru", kind="log", forms=("decorator", "context")
        ),
        TracingSpec(f"{_LOGURU}.contextualize", library="loguru", kind="span", forms=("context",)),
    ),
    notes=("print() is not trace logging and is deliberately absent.",),
)
