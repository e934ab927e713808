"""tenacity: @retry / Retrying without stop= retries forever; stop objects bound it."""

from analyzer.knowledge.spec import Entry, RetrySpec

_L = "tenacity"

ENTRY = Entry(
    key="tenacity",
    title="tenacity",
    roots=("tenacity",),
    packages=("tenacity",),
    aliases=(
        ("tenacity.stop", "tenacity"),
        ("tenacity.asyncio.AsyncRetrying", "tenacity.AsyncRetrying"),
    ),
    retries=(
        RetrySpec(
            "tenacity.retry",
            _L,
            kind="decorator",
            stop_param="stop",
            forms=("decorator", "call"),
            note="without stop= tenacity retries forever (stop_never), with no wait",
        ),
        RetrySpec("tenacity.Retrying", _L, kind="loop", stop_param="stop", forms=("call", "loop")),
        RetrySpec(
            "tenacity.AsyncRetrying", _L, kind="loop", stop_param="stop", forms=("call", "loop")
        ),
        RetrySpec(
            "tenacity.stop_after_attempt",
            _L,
            kind="stop",
            limit_params=("max_attempt_number",),
            limit_pos=0,
        ),
        RetrySpec(
            "tenacity.stop_after_delay",
            _L,
            kind="stop",
            limit_params=("max_delay",),
            limit_pos=0,
            limit_unit="seconds",
        ),
        RetrySpec(
            "tenacity.stop_before_delay",
            _L,
            kind="stop",
            limit_params=("max_delay",),
            limit_pos=0,
            limit_unit="seconds",
        ),
        RetrySpec("tenacity.stop_never", _L, kind="stop", note="explicitly unbounded"),
        RetrySpec(
            "tenacity.stop_any",
            _L,
            kind="stop_any",
            note="bounded when any argument stop is bounded",
        ),
        RetrySpec(
            "tenacity.stop_all",
            _L,
            kind="stop_all",
            note="bounded only when every argument stop is",
        ),
    ),
    notes=("`stop_a | stop_b` is stop_any; `stop_a & stop_b` is stop_all.",),
)
