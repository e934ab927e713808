"""How an internal error (a bug in archlint, not a problem in the input) is reported.

One short line naming the exception, and a hint; the full traceback only when
`ARCHLINT_DEBUG` is set. The message is built without calling `str()` on arbitrary
objects an exception may hold: libcst once raised a `KeyError` holding a syntax node
whose text was 200 MB and whose repr overflowed the stack while being printed.
"""

from __future__ import annotations

import os
import sys
import traceback

DEBUG_ENV = "ARCHLINT_DEBUG"
MAX_MESSAGE = 300
_SIMPLE = (str, bytes, int, float, bool, type(None))


def debug_enabled() -> bool:
    """Whether the user asked for full tracebacks (`ARCHLINT_DEBUG=1`)."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def describe(exc: BaseException, limit: int = MAX_MESSAGE) -> str:
    """`Type: first line of the message`, at most `limit` characters, never raising.

    An exception whose arguments are plain values is shown as Python shows it; one that
    holds other objects names their types instead of rendering them.
    """
    name = type(exc).__name__
    try:
        if all(_plain(a) for a in exc.args):
            text = str(exc)
        else:
            text = ", ".join(
                _clip(a) if isinstance(a, str) else f"<{type(a).__name__}>" for a in exc.args
            )
    except Exception:  # a broken __str__ must not hide the error itself
        text = ""
    first = text.strip()[: limit * 4].split("\n", 1)[0].strip()
    out = f"{name}: {first}" if first else name
    return out if len(out) <= limit else out[: limit - 3] + "..."


def _plain(value: object, nested: bool = False) -> bool:
    """A value whose text is small and safe to render (SyntaxError holds a tuple)."""
    if isinstance(value, tuple):
        return not nested and len(value) <= 8 and all(_plain(v, True) for v in value)
    if isinstance(value, (str, bytes)):
        return len(value) <= 100 * MAX_MESSAGE  # a huge text is clipped, not copied
    return isinstance(value, _SIMPLE)


def _clip(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[:limit]


def report(exc: BaseException, file=None) -> None:
    """Print an internal error: the traceback in debug mode, else one line and a hint."""
    out = file if file is not None else sys.stderr
    if debug_enabled():
        try:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=out)
            return
        except Exception:
            pass  # fall back to the short form
    print(f"archlint: internal error: {describe(exc)}", file=out)
    print(
        f"archlint: this is a bug in archlint, not in your code; "
        f"set {DEBUG_ENV}=1 to see the traceback and please report it",
        file=out,
    )
