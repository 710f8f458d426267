"""``RUNOFSHOW_TRACE=FILE``: one line per countdown repaint, for the repaint-latency benchmark.

Each line is ``<show clock monotonic>\\t<text shown>``: the clock is read at paint time, so the
benchmark can compare when a value appeared against when it became due.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO

TRACE_ENV = "RUNOFSHOW_TRACE"


class RepaintTrace:
    """Appends a line for each repaint; the file stays open and is flushed per line."""

    def __init__(self, path: str, clock: Callable[[], float]) -> None:
        self._file: TextIO = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        self.clock = clock

    def __call__(self, text: str) -> None:
        self._file.write(f"{self.clock():.6f}\t{text}\n")

    def close(self) -> None:
        self._file.close()


def trace_from_env(clock: Callable[[], float]) -> RepaintTrace | None:
    """The trace the environment asks for, if any."""
    path = os.environ.get(TRACE_ENV)
    return RepaintTrace(path, clock) if path else None
