"""Progress on stderr for long runs, shown only when stderr is a terminal.

Piped or redirected output (CI logs, `2> file`) stays clean: nothing is written at all.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Writes one updating status line; a no-op unless the stream is a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        # sys.stderr is what click.get_text_stream("stderr") returned (deprecated in Click 8.2)
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.shown = False

    def step(self, message: str) -> None:
        """Replace the status line with `message`."""
        if not self.enabled:
            return
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
