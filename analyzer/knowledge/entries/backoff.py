"""backoff: on_exception / on_predicate retry forever without max_tries or max_time."""

from analyzer.knowledge.spec import Entry, RetrySpec

ENTRY = Entry(
    key="backoff",
    title="backoff",
    roots=("backoff",),
    packages=("backoff",),
    aliases=(("backoff._decorator", "backoff"),),
    retries=tuple(
        RetrySpec(
            f"backoff.{name}",
            "backoff",
            kind="decorator",
            limit_params=("max_tries", "max_time"),
            unbounded_values=(None,),
            forms=("decorator",),
            note="neither max_tries nor max_time: retries forever",
        )
        for name in ("on_exception", "on_predicate")
    ),
)
