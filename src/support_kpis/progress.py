"""A progress line for long runs, printed at most once a second."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressPrinter:
    """Callable as progress(done, total); prints `label: done/total (pct)`."""

    def __init__(self, stream: TextIO, label: str, min_interval_seconds: float = 1.0) -> None:
        self._stream = stream
        self._label = label
        self._min_interval = min_interval_seconds
        self._started = time.monotonic()
        self._last_print = 0.0
        self._printed = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last_print < self._min_interval:
            return
        self._last_print = now
        percent = 100.0 * done / total if total else 100.0
        elapsed = now - self._started
        self._stream.write(f"\r{self._label}: {done:,}/{total:,} ({percent:5.1f}%) {elapsed:6.1f}s")
        self._stream.flush()
        self._printed = True

    def finish(self) -> None:
        if self._printed:
            self._stream.write("\n")
            self._stream.flush()
