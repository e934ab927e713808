"""Adapters from SDK clients to the runtime's `Model` protocol.

Each adapter takes the user's own client, turns the SDK's retries off (the guard owns the
only retry loop, so attempts never multiply), and translates transient SDK errors into
`TransientModelError`. The SDKs are optional: nothing here imports them at module level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..bounds import require_amount, require_count
from ..errors import TransientModelError
from ..models import TokenUsage

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Plus every status >= 500 (529 is Anthropic's "overloaded")."""


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or status >= 500


@contextmanager
def translated(transient: Callable[[Exception], TransientModelError | None]) -> Iterator[None]:
    """Re-raise an SDK's transient errors as `TransientModelError` (the guard retries those);
    wraps a blocking call or an await alike."""
    try:
        yield
    except Exception as error:
        converted = transient(error)
        if converted is None:
            raise
        raise converted from error


class SdkModel:
    """What every SDK adapter shares (sync or async client): the user's client copied with
    the SDK's own retries off and a finite timeout, a token limit per call, and optional
    pricing of usage."""

    provider = ""

    def __init__(
        self,
        client: Any,
        model: str,
        *,
        max_tokens: int = 1024,
        timeout: float = 60.0,
        price: Callable[[TokenUsage], float] | None = None,
    ) -> None:
        self.name = model
        self.max_tokens = require_count("max_tokens", max_tokens)
        self._client = client.with_options(
            max_retries=0, timeout=require_amount("timeout", timeout)
        )
        self._price = price

    def priced(self, usage: TokenUsage) -> TokenUsage:
        if self._price is None:
            return usage
        return TokenUsage(usage.input_tokens, usage.output_tokens, self._price(usage))
