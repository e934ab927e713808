"""Adapters from SDK clients to the runtime's `Model` protocol.

Each adapter takes the user's own client, turns the SDK's retries off (the guard owns the
only retry loop, so attempts never multiply), and translates transient SDK errors into
`TransientModelError`. The SDKs are optional: nothing here imports them at module level.
"""

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Plus every status >= 500 (529 is Anthropic's "overloaded")."""


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or status >= 500
