"""A small progress bar on stderr for long work (reading, fitting, sampling).

It draws only when stderr is a terminal (or when forced), so logs and CI output stay clean.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Counts units of work and redraws one line on stderr at most every 0.2 s.

    Args:
        total: Units expected, or None when unknown (then only a count is shown).
        desc: Short label printed before the bar.
        enabled: None draws only on a terminal; True/False force it on or off.
        stream: Where to draw (stderr by default).
    """

    def __init__(
        self,
        total: int | None,
        desc: str,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        unit: str = "rows",
    ) -> None:
        self.total = total
        self.desc = desc
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self._start = time.monotonic()
        self._last = 0.0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and now - self._last >= 0.2:
            self._last = now
            self._draw(now)

    def _draw(self, now: float, final: bool = False) -> None:
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        if self.total:
            frac = min(self.done / self.total, 1.0)
            filled = int(frac * 30)
            bar = "#" * filled + "-" * (30 - filled)
            text = f"{self.desc} [{bar}] {frac:6.1%} {self.done:,}/{self.total:,} {self.unit}"
        else:
            text = f"{self.desc} {self.done:,} {self.unit}"
        text += f" {rate:,.0f} {self.unit}/s {elapsed:.1f}s"
        self.stream.write("\r" + text + ("\n" if final else ""))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic(), final=True)
            self.enabled = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
