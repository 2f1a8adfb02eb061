"""Course durations as files write them, with the one rule every reader keeps: a course
lasts more than nothing and at most :data:`LONGEST_COURSE` (1000 hours). Plans and
progress both read durations, so the rule lives below both."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

import pydantic

__all__ = [
    "LONGEST_COURSE",
    "LONGEST_SECONDS",
    "Duration",
    "duration_seconds",
    "duration_text",
    "format_duration",
    "parse_duration",
    "within_longest",
]

_HMS = re.compile(r"(\d+):([0-5]?\d):([0-5]?\d)")
_ISO_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.IGNORECASE)
LONGEST_COURSE = dt.timedelta(hours=1000)


def parse_duration(value: Any) -> dt.timedelta:
    """A course's length as files write it: seconds (``5400``, as the platform stores
    it), ``HH:MM:SS`` (as its reports print it, hours may pass 24) or ISO 8601
    (``PT1H30M``). It must be more than zero and at most 1000 hours."""
    if isinstance(value, dt.timedelta):
        duration = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        duration = _bounded(lambda: dt.timedelta(seconds=value), value)
    elif isinstance(value, str):
        duration = duration_text(value.strip())
    else:
        raise ValueError(f"a duration must be seconds or HH:MM:SS, got {type(value).__name__}")
    if not dt.timedelta(0) < duration <= LONGEST_COURSE:
        raise ValueError(f"a duration must be more than 0 and at most 1000 hours, got {value!r}")
    return duration


def _bounded(make: Callable[[], dt.timedelta], written: object) -> dt.timedelta:
    """``make()``, or a ValueError for a length past what a timedelta holds (and no
    course lasts): an absurd duration is bad input, not a crash."""
    try:
        return make()
    except OverflowError:
        raise ValueError(f"a duration must be at most 1000 hours, got {written!r}") from None


def duration_text(text: str) -> dt.timedelta:
    if re.fullmatch(r"\d+(\.0+)?", text):
        return _bounded(lambda: dt.timedelta(seconds=float(text)), text)
    if re.fullmatch(r"\d*\.\d+", text):  # "1.5": hours typed by hand, most likely
        raise ValueError(f"a duration in seconds is whole; {text!r} is not (1.5 hours is 01:30:00)")
    if match := _HMS.fullmatch(text):
        hours, minutes, seconds = (int(part) for part in match.groups())
        return _bounded(lambda: dt.timedelta(hours=hours, minutes=minutes, seconds=seconds), text)
    if (match := _ISO_DURATION.fullmatch(text)) and any(match.groups()):
        days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return _bounded(
            lambda: dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds), text
        )
    raise ValueError(f"a duration is seconds, HH:MM:SS or PT1H30M; got {text!r}")


def format_duration(duration: dt.timedelta) -> str:
    """``HH:MM:SS``, as the platform's reports write a duration."""
    seconds = round(duration.total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


Duration = Annotated[
    dt.timedelta,
    pydantic.BeforeValidator(parse_duration),
    pydantic.PlainSerializer(format_duration, return_type=str),
    pydantic.WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "description": "seconds"},
                {"type": "string", "pattern": r"^\d+:[0-5]?\d:[0-5]?\d$"},
            ]
        }
    ),
]

LONGEST_SECONDS = int(LONGEST_COURSE.total_seconds())


def duration_seconds(text: str) -> int:
    """A duration cell of an export (seconds, ``HH:MM:SS`` or ISO 8601) in whole seconds,
    from 0 to :data:`LONGEST_COURSE`: a record may say it took nothing, a course may not."""
    seconds = int(duration_text(text).total_seconds())
    if seconds > LONGEST_SECONDS:
        raise ValueError(f"a duration is at most 1000 hours, got {text!r}")
    return seconds


def within_longest(seconds: float) -> bool:
    """Whether a number of seconds is a duration a record may have (0 to 1000 hours)."""
    return 0 <= seconds <= LONGEST_SECONDS
