"""Small builders for test documents, so each test states only what it is about."""

from __future__ import annotations

from karmayogi.competency import Position, Requirement, Role


def designation(name: str, *requirements: Requirement, organisation: str | None = None) -> Position:
    """A position with one role that needs ``requirements``."""
    return Position(
        id="p",
        name=name,
        organisation=organisation,
        roles=[Role(id="r", name=name, requirements=requirements)],
    )


def needs(competency: str, level: int | str, importance: str = "mandatory") -> Requirement:
    """A requirement, written briefly."""
    return Requirement(competency=competency, level=level, importance=importance)
