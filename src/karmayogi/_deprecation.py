"""Deprecation, as docs/compatibility.md promises it: a public name is not removed or
changed incompatibly until it has warned for at least one minor release."""

from __future__ import annotations

import warnings

__all__ = ["deprecated"]


def deprecated(what: str, *, since: str, removal: str, instead: str | None = None) -> None:
    """Warn that ``what`` is deprecated since version ``since`` and goes in ``removal``
    (at least one minor release later), pointing the caller's own line at ``instead``.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     deprecated("read_people(path)", since="0.2", removal="0.3", instead="read_people_csv")
    >>> print(caught[0].message)
    read_people(path) is deprecated since karmayogi 0.2 and goes in 0.3; use read_people_csv
    """
    if _minor(removal) <= _minor(since):
        raise ValueError(f"removal ({removal}) must come at least one minor release after {since}")
    message = f"{what} is deprecated since karmayogi {since} and goes in {removal}"
    if instead:
        message += f"; use {instead}"
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def _minor(version: str) -> tuple[int, int]:
    major, minor, *_rest = (int(part) for part in version.split("."))
    return major, minor
