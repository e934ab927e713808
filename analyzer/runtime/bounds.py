"""Validation of bounds: every bound is finite, and `None` or infinity is an error.

Frameworks drift towards "unbounded by default"; rejecting such values at construction
time keeps every loop in the runtime provably finite.
"""

from __future__ import annotations

import math


def require_count(name: str, value: object, *, minimum: int = 1) -> int:
    """Return `value` if it is an int >= minimum, else raise a ValueError/TypeError that says why."""
    if value is None:
        raise ValueError(
            f"{name} must be a finite integer >= {minimum}, not None (no unbounded runs)"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be finite, not {value!r} (no unbounded runs)")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, not {value}")
    return value


def require_amount(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return `value` as a float if it is a finite positive number (or zero if allowed)."""
    if value is None:
        raise ValueError(f"{name} must be a finite number, not None (no unbounded runs)")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, not {value!r} (no unbounded runs)")
    if number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, not {value}")
    return number
