"""Files written whole or not at all: into a temporary file beside the target, renamed
over it once complete, so that a failure never leaves half a file or truncates the
file that was there."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO, cast

__all__ = ["atomic_text", "write_atomically", "write_bytes_atomically"]


@contextlib.contextmanager
def atomic_text(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text handle (UTF-8, newlines as written) whose content replaces ``path`` when
    the block ends without an error; on an error, ``path`` is as it was.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> with atomic_text(target) as out:
    ...     _ = out.write("a,b\\n")
    >>> target.read_text()
    'a,b\\n'
    """
    with _atomic(path, binary=False) as handle:
        yield cast(TextIO, handle)


@contextlib.contextmanager
def _atomic(path: str | os.PathLike[str], *, binary: bool) -> Iterator[IO[Any]]:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        opened = open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        with opened as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; give it the mode a new file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` whole or not at all; returns the path."""
    with atomic_text(path) as handle:
        handle.write(text)
    return Path(path)


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all; returns the path."""
    with _atomic(path, binary=True) as handle:
        handle.write(data)
    return Path(path)
