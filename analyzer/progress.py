"""Progress on stderr for long runs, shown only when stderr is a terminal.

Piped or redirected output (CI logs, `2> file`) stays clean: nothing is written at all.
With `delay` (the file-parsing progress uses `LONG_RUN_DELAY`), short runs stay clean too:
nothing is shown until that many seconds have passed, and redraws are throttled.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

# Runs shorter than this show no per-file progress at all.
LONG_RUN_DELAY = 2.0
# Per-file progress is redrawn at most this often (files can finish by the thousand).
REDRAW_INTERVAL = 0.1


class Progress:
    """Writes one updating status line; a no-op unless the stream is a terminal."""

    def __init__(
        self,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        delay: float = 0.0,
        interval: float = 0.0,
        clock=time.monotonic,
    ) -> None:
        # sys.stderr is what click.get_text_stream("stderr") returned (deprecated in Click 8.2)
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            try:
                enabled = bool(isatty and isatty())
            except (ValueError, OSError):  # a closed or odd stream
                enabled = False
        self.enabled = enabled
        self.shown = False
        self.clock = clock
        self.start = clock()
        self.delay = delay
        self.interval = interval
        self._last = float("-inf")

    def step(self, message: str) -> None:
        """Replace the status line with `message` (once the run has lasted `delay`)."""
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.delay or now - self._last < self.interval:
            return
        self._last = now
        self.stream.write("\r\x1b[2Karchlint: " + message)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        """Clear the status line so the real output starts on a clean line."""
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()
