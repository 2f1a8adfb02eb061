"""Reading JSON that people and systems wrote: held to the reader's limits, with every
way it can be wrong a ValidationError that says where, and keys given twice in one object
refused rather than the last one silently kept (as Python's and pydantic's parsers do)."""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Mapping
from typing import Any

from karmayogi._csv import Source, opened
from karmayogi.errors import LimitExceeded, Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "JSONSource",
    "NotJSON",
    "is_json_source",
    "json_object",
    "json_text",
    "load_json",
    "parse_json",
]

JSONSource = Source | bytes
"""A path, a text stream, or the JSON itself as bytes."""


class NotJSON(ValidationError):
    """Text that does not parse as JSON at all (rather than JSON that breaks a rule)."""


def load_json(
    source: JSONSource, limits: Limits = DEFAULT_LIMITS, *, name: str | None = None
) -> tuple[str | None, Any]:
    """The file's name (``name`` for bytes, None for an unnamed stream) and its JSON."""
    file, text = json_text(source, limits, name=name)
    return file, parse_json(text, file)


def json_text(
    source: JSONSource, limits: Limits = DEFAULT_LIMITS, *, name: str | None = None
) -> tuple[str | None, str]:
    """The file's name and its text, held to ``limits`` and decoded as UTF-8."""
    if isinstance(source, bytes):
        if limits.file_size is not None and len(source) > limits.file_size:
            where = Location(file=name)
            raise LimitExceeded("file_size", limits.file_size, where, f"{len(source):,} bytes")
        return name, _decoded(source, name)
    with opened(source, "r", limits) as (file, handle):
        return file, handle.read()


def json_object(loaded: tuple[str | None, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """A loaded document that must be a JSON object, or the error saying it is not."""
    file, data = loaded
    if not isinstance(data, Mapping):
        where = Location(file=file)
        raise ValidationError([Problem("is not a JSON object", where, got=type(data).__name__)])
    return file, data


def _decoded(data: bytes, file: str | None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        where = Location(file=file, row=row)
        bad = data[exc.start : exc.start + 1]
        problem = Problem("is not UTF-8 text", where, expected="UTF-8 JSON", got=f"byte {bad!r}")
        raise ValidationError([problem]) from None


def parse_json(text: str, file: str | None) -> Any:
    """Parsed JSON, or a ValidationError: not JSON (at its line), nested too deeply for
    the parser, or a key repeated within an object (each key named)."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            counts = collections.Counter(key for key, _value in items)
            repeated.extend(key for key, count in counts.items() if count > 1)
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        where = Location(file=file, row=exc.lineno)
        raise NotJSON([Problem("is not JSON", where, got=exc.msg)]) from None
    except RecursionError:
        message = "is nested more deeply than JSON is read"
        raise ValidationError([Problem(message, Location(file=file))]) from None
    except ValueError as exc:  # Python's own bound: an integer of more than 4,300 digits
        message = "has a number longer than Python reads"
        raise ValidationError(
            [Problem(message, Location(file=file), expected="at most 4,300 digits", got=str(exc))]
        ) from None
    if repeated:
        raise ValidationError(
            [
                Problem(
                    "repeats a key within one object",
                    Location(file=file),
                    expected="each key once",
                    got=key,
                )
                for key in dict.fromkeys(repeated)
            ]
        )
    return data


def is_json_source(value: object) -> bool:
    """Whether ``value`` is a JSON source rather than data already parsed."""
    return isinstance(value, bytes | str | os.PathLike) or hasattr(value, "read")
