"""Bounded retries with exponential backoff.

The guard owns the only retry loop; adapters switch their SDK's retries off so attempts do
not multiply (3 SDK attempts x 3 outer attempts = 9 calls). `sleep` is injectable so tests
never wait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .bounds import require_amount, require_count
from .errors import TransientModelError

RETRYABLE: tuple[type[BaseException], ...] = (TransientModelError, TimeoutError, ConnectionError)


def is_retryable(error: BaseException) -> bool:
    """Transient failures only: a bad request will fail the same way again."""
    return isinstance(error, RETRYABLE)


@dataclass(frozen=True)
class RetryPolicy:
    """At most `max_attempts` calls per model request, waiting between them."""

    max_attempts: int = 3
    initial_delay: float = 0.5
    multiplier: float = 2.0
    max_delay: float = 8.0
    jitter: float = 0.1
    retry_if: Callable[[BaseException], bool] = is_retryable
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def __post_init__(self) -> None:
        require_count("max_attempts", self.max_attempts)
        require_amount("initial_delay", self.initial_delay, allow_zero=True)
        require_amount("multiplier", self.multiplier)
        require_amount("max_delay", self.max_delay, allow_zero=True)
        require_amount("jitter", self.jitter, allow_zero=True)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** (attempt - 1))
        if self.jitter and base:
            base *= 1 + random.uniform(-self.jitter, self.jitter)
        return max(base, 0.0)


NO_WAIT = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)
"""Three attempts without sleeping: for tests and demos."""
