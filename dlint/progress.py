"""A one-line file counter on stderr while many files are processed, only when stderr is a terminal.

Piped or redirected output never gets it, so logs and CI output stay exactly the report.
"""
from __future__ import annotations

import os
import sys
import time

# Fewer files than this finish before a counter would be worth reading.
MIN_FILES = 50
REDRAW_SECONDS = 0.1


class Progress:
    def __init__(self, total: int, verb: str = "checked", stream=None):
        self.total = total
        self.verb = verb
        self.stream = stream if stream is not None else sys.stderr
        self.active = total >= MIN_FILES and _is_terminal(self.stream) and "DLINT_NO_PROGRESS" not in os.environ
        self.drawn = False
        self._last = 0.0

    def __call__(self, done: int) -> None:
        if not self.active:
            return
        now = time.monotonic()
        if done < self.total and self.drawn and now - self._last < REDRAW_SECONDS:
            return
        self._last = now
        self.drawn = True
        self.stream.write(f"\r{self.verb} {done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        """Erase the counter line so the report starts on a clean line."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
