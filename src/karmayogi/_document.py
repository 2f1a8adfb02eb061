"""The base of every document: a frozen pydantic model with one validation path.

Documents cross the boundary (portals send and store them as JSON), so they validate on
the way in and give JSON Schema for forms. Whichever way a document is made (its
constructor, ``from_dict``, ``from_json``, ``from_file``), bad input raises
:class:`karmayogi.errors.ValidationError` listing every problem with its dotted path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Self

import attrs
import pydantic
from pydantic import ConfigDict, StringConstraints

from karmayogi._json import json_object, load_json
from karmayogi.errors import Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = ["Document", "Identifier", "Name", "Text", "duplicates", "problems_from_pydantic"]

Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^\S+$")
]
"""A stable identifier: no spaces, 1 to 200 characters."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A human name: not blank; surrounding spaces are trimmed."""


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


Text = Annotated[str | None, pydantic.BeforeValidator(_blank_to_none)]
"""Optional free text (a description, a note): trimmed, and blank means none."""


class Document(pydantic.BaseModel):
    """A validated, immutable document that reads back equal from its JSON."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise ValidationError(problems_from_pydantic(exc)) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, file: str | None = None) -> Self:
        """Validate a mapping (such as parsed JSON) into this document."""
        try:
            return cls.model_validate(data)
        except pydantic.ValidationError as exc:
            raise ValidationError(problems_from_pydantic(exc, file=file)) from None

    @classmethod
    def from_json(
        cls, text: str | bytes, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> Self:
        """Parse and validate this document from JSON text: held to ``limits``, and a key
        given twice in one object is an error, not the last one silently kept."""
        if isinstance(text, str):
            text = text.encode()
        _file, data = json_object(load_json(text, limits, name=file))
        return cls.from_dict(data, file=file)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Self:
        """Read this document from a JSON file; problems name the file."""
        file, data = json_object(load_json(Path(path), limits))
        return cls.from_dict(data, file=file)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A new document with ``update`` applied. Unlike pydantic's own, the result is
        validated like any other document, so a copy can never hold what the
        constructor would refuse (nor indexes built for the original)."""
        del deep  # documents are immutable: a copy shares nothing that can change
        data = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**(data | dict(update or {})))

    def _repr_html_(self) -> str:
        """How a notebook shows the document: its fields, and its lists as tables."""
        from karmayogi._html import document

        return document(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """This document as JSON; fields left at their defaults are omitted."""
        return self.model_dump_json(indent=indent, exclude_defaults=True)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of this document, for a portal's forms and
        checks: titled, with descriptions in plain words (the docstrings' examples and
        markup left out)."""
        schema = _plain(cls.model_json_schema())
        top = schema.get("$ref", "").removeprefix("#/$defs/")
        if top:  # a document that holds itself (a framework's CASE source holds one)
            schema = {**schema["$defs"][top], "$defs": schema["$defs"]}
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _plain(node: Any) -> Any:
    """A schema with every description in plain words."""
    if isinstance(node, dict):
        return {
            key: plain_description(value)
            if key == "description" and isinstance(value, str)
            else _plain(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]+\.)?([\w]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def plain_description(text: str) -> str:
    """A docstring as a form shows it: the doctest sessions (a ``>>>`` line to the next
    blank line) left out, and reStructuredText's roles and literals as their words."""
    kept: list[str] = []
    in_session = False
    for line in text.splitlines():
        if line.lstrip().startswith(">>>"):
            in_session = True
        elif not line.strip():
            in_session = False
        if not in_session:
            kept.append(line)
    words = _LITERAL.sub(r"\1", _ROLE.sub(r"\1", "\n".join(kept)))
    return re.sub(r"\n{3,}", "\n\n", words).strip()


def duplicates(kind: str, keys: Sequence[str], field: str | None = None) -> list[Problem]:
    """A problem for each entry of the list ``kind`` whose key an earlier entry has, at
    ``kind[i].field`` (or ``kind[i]`` without a field)."""
    first: dict[str, int] = {}
    problems = []
    for i, key in enumerate(keys):
        if key in first:
            path = f"{kind}[{i}]" + (f".{field}" if field else "")
            problems.append(
                Problem(
                    f"repeats {kind}[{first[key]}]",
                    Location(path=path),
                    expected="each only once",
                    got=key,
                    code="repeated",
                )
            )
        else:
            first[key] = i
    return problems


def problems_from_pydantic(
    exc: pydantic.ValidationError, *, file: str | None = None
) -> list[Problem]:
    """Every error pydantic found, as problems with dotted paths."""
    return list(_problems(exc, file))


def _problems(exc: pydantic.ValidationError, file: str | None) -> Iterator[Problem]:
    for error in exc.errors(include_url=False):
        path = _dotted(error["loc"])
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, ValidationError):
            # A document's own rule checks raise our error; keep each of its problems.
            for problem in cause.problems:
                where = problem.where.within(path)
                if file is not None:
                    where = attrs.evolve(where, file=file)
                yield Problem(
                    problem.message,
                    where,
                    expected=problem.expected,
                    got=problem.got,
                    code=problem.code,
                )
            continue
        message = error["msg"].removeprefix("Value error, ")
        yield Problem(
            message, Location(file=file, path=path or None), got=_scalar(error), code=error["type"]
        )


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _scalar(error: Any) -> str | None:
    """The offending value, when it is a short scalar worth quoting."""
    if error["type"] == "missing":
        return None
    value = error.get("input")
    if isinstance(value, str | int | float | bool) or value is None:
        text = str(value)
        return text if len(text) <= 80 else text[:77] + "..."
    return None
