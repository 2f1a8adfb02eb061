"""A progress bar on standard error while the command line reads a large file, drawn
only where a person watches (a terminal), never into a log or a pipe."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

__all__ = ["LARGE", "reading"]

LARGE = 20 * 2**20
"""Files from this size on (bytes) get a bar: below it a read takes about a second."""


class _Counted(io.RawIOBase):
    """A binary file that draws how much of it has been read."""

    def __init__(self, path: Path, out: TextIO) -> None:
        self._file = path.open("rb", buffering=0)
        self._path = path
        self._size = max(1, path.stat().st_size)
        self._out = out
        self._done = 0
        self._drawn = 0.0

    @property
    def name(self) -> str:  # the readers name the file by it
        return str(self._path)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self._file.readinto(buffer) or 0
        self._done += count
        now = time.monotonic()
        if now - self._drawn >= 0.2 or count == 0:
            self._drawn = now
            self._draw()
        return count

    def _draw(self) -> None:
        share = min(1.0, self._done / self._size)
        filled = round(30 * share)
        self._out.write(
            f"\rreading {self._path.name} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
            f"of {self._size / 2**20:,.0f} MB"
        )
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            self._out.write("\r\033[K")  # the bar's line, cleared
            self._out.flush()
        super().close()


@contextlib.contextmanager
def reading(path: str, *, out: TextIO | None = None) -> Iterator[str | TextIO]:
    """``path`` itself, or, for a large file when ``out`` (standard error) is a
    terminal, a text handle of it that draws a bar there as it is read."""
    stream = out if out is not None else sys.stderr
    target = Path(path)
    if not (stream.isatty() and target.is_file() and os.path.getsize(target) >= LARGE):
        yield path
        return
    counted = _Counted(target, stream)
    with io.TextIOWrapper(io.BufferedReader(counted), encoding="utf-8-sig", newline="") as text:
        yield text
