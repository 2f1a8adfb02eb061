"""Reading JSON that people and systems wrote: held to the reader's limits, with every
way it can be wrong a ValidationError that says where, and keys given twice in one object
refused rather than the last one silently kept (as Python's and pydantic's parsers do)."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from karmayogi._csv import Source, opened
from karmayogi.errors import LimitExceeded, Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "JSONSource",
    "NotJSON",
    "array_items",
    "is_json_source",
    "json_object",
    "json_text",
    "load_json",
    "parse_json",
]

JSONSource = Source
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
        raise ValidationError(
            [Problem("is not a JSON object", where, got=type(data).__name__, code="malformed")]
        )
    return file, data


def _decoded(data: bytes, file: str | None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        where = Location(file=file, row=row)
        bad = data[exc.start : exc.start + 1]
        problem = Problem(
            "is not UTF-8 text", where, expected="UTF-8 JSON", got=f"byte {bad!r}", code="encoding"
        )
        raise ValidationError([problem]) from None


def parse_json(text: str, file: str | None) -> Any:
    """Parsed JSON, or a ValidationError: not JSON (at its line), nested too deeply for
    the parser, or a key repeated within an object (each key named)."""
    with _reading(file) as (decoder, repeated):
        data, end = decoder.raw_decode(text, _space(text, 0))
        if _space(text, end) != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
        _refuse_repeats(repeated, file)
    return data


def array_items(text: str, file: str | None) -> Iterator[Any]:
    """The items of a JSON array one at a time, each read as :func:`parse_json` reads,
    so that a caller holds one at a time and can stop (at a limit) as it goes."""
    with _reading(file) as (decoder, repeated):
        at = _space(text, 0)
        if not text.startswith("[", at):
            raise json.JSONDecodeError("Expecting '['", text, at)
        at = _space(text, at + 1)
        closed = text.startswith("]", at)
        while not closed:
            item, at = decoder.raw_decode(text, at)
            _refuse_repeats(repeated, file)
            yield item
            at = _space(text, at)
            if text.startswith(",", at):
                at = _space(text, at + 1)
            elif text.startswith("]", at):
                closed = True
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        if _space(text, at + 1) != len(text):
            raise json.JSONDecodeError("Extra data", text, at + 1)


_SPACE = re.compile(r"[ \t\n\r]*")


def _space(text: str, at: int) -> int:
    """Where the JSON whitespace from ``at`` ends."""
    match = _SPACE.match(text, at)
    return match.end() if match else at


@contextlib.contextmanager
def _reading(file: str | None) -> Iterator[tuple[json.JSONDecoder, list[str]]]:
    """A decoder that notes repeated keys, with its errors made ValidationErrors."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            counts = collections.Counter(key for key, _value in items)
            repeated.extend(key for key, count in counts.items() if count > 1)
        return result

    try:
        yield json.JSONDecoder(object_pairs_hook=pairs), repeated
    except json.JSONDecodeError as exc:
        where = Location(file=file, row=exc.lineno)
        raise NotJSON([Problem("is not JSON", where, got=exc.msg, code="malformed")]) from None
    except RecursionError:
        message = "is nested more deeply than JSON is read"
        raise ValidationError(
            [Problem(message, Location(file=file), code="out-of-range")]
        ) from None
    except ValueError as exc:  # Python's own bound: an integer of more than 4,300 digits
        message = "has a number longer than Python reads"
        raise ValidationError(
            [
                Problem(
                    message,
                    Location(file=file),
                    expected="at most 4,300 digits",
                    got=str(exc),
                    code="out-of-range",
                )
            ]
        ) from None


def _refuse_repeats(repeated: list[str], file: str | None) -> None:
    if repeated:
        raise ValidationError(
            [
                Problem(
                    "repeats a key within one object",
                    Location(file=file),
                    expected="each key once",
                    got=key,
                    code="repeated",
                )
                for key in dict.fromkeys(repeated)
            ]
        )


def is_json_source(value: object) -> bool:
    """Whether ``value`` is a JSON source rather than data already parsed."""
    return isinstance(value, bytes | bytearray | memoryview | str | os.PathLike) or hasattr(
        value, "read"
    )
