"""The library's input files read by path, whatever their form: role profiles (the
designation CSV or positions as JSON), catalogues (CSV or JSON), plans (documents or the
platform's payloads) and competency profiles; each with every problem at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from karmayogi._document import Document
from karmayogi.cbp import Catalogue, Plan, plans_from_platform, read_catalogue_csv
from karmayogi.competency import CompetencyProfile, Framework, Position, read_designation_csv
from karmayogi.errors import Finding, Problem, ValidationError

__all__ = [
    "load_json",
    "read_catalogue",
    "read_plans",
    "read_positions",
    "read_profiles",
    "said",
]

D = TypeVar("D", bound=Document)


def load_json(path: str) -> Any:
    """A JSON file, held to the readers' limits (a key given twice is an error)."""
    from karmayogi._json import load_json as load

    return load(Path(path))[1]


def _each(kind: type[D], path: str) -> tuple[Any, list[D]]:
    """The file's JSON, and each of its documents (one, or a list of them) as ``kind``."""
    data = load_json(path)
    entries = data if isinstance(data, list) else [data]
    read, problems = _documents(entries, lambda entry: kind.from_dict(entry, file=path))
    if problems:
        raise ValidationError(problems)
    return data, read


def _documents(
    entries: Sequence[Any], make: Callable[[Any], D], *, listed: bool = True
) -> tuple[list[D], list[Problem]]:
    read: list[D] = []
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        try:
            read.append(make(entry))
        except ValidationError as exc:
            where = f"[{i}]" if listed else ""
            problems += [attrs.evolve(p, where=p.where.within(where)) for p in exc.problems]
    return read, problems


def read_positions(
    path: str, framework: Framework, organisation: str | None = None
) -> tuple[list[Position], tuple[Finding, ...]]:
    """Role profiles: the platform's designation-competency CSV (its findings with it),
    or positions as JSON, one or a list."""
    if path.lower().endswith(".csv"):
        imported = read_designation_csv(path, framework, organisation=organisation)
        return list(imported.value), tuple(imported.findings)
    return _each(Position, path)[1], ()


def read_catalogue(path: str, framework: Framework) -> tuple[Catalogue, tuple[Finding, ...]]:
    """A catalogue from CSV (with its findings) or JSON."""
    if path.lower().endswith(".csv"):
        imported = read_catalogue_csv(path, framework)
        return imported.value, tuple(imported.findings)
    return Catalogue.from_file(path), ()


def read_plans(path: str) -> tuple[str, tuple[Plan, ...]]:
    """The plans in a file, and its form: a plan document (``json``), a list of them, or
    the platform's payloads (``platform``), those of one plan joined again."""
    data = load_json(path)
    entries = data if isinstance(data, list) else [data]
    if entries and all(isinstance(e, dict) and "contentList" in e for e in entries):
        return "platform", plans_from_platform(entries, file=path)
    plans, problems = _documents(
        entries, lambda entry: Plan.from_dict(entry, file=path), listed=isinstance(data, list)
    )
    if problems:
        raise ValidationError(problems)
    return "json", tuple(plans)


def read_profiles(path: str) -> dict[str, CompetencyProfile]:
    """Competency profiles (one, or a list), by person, case-folded as emails are."""
    _data, profiles = _each(CompetencyProfile, path)
    return {profile.person.casefold(): profile for profile in profiles}


def said(exc: Exception) -> str:
    """An error as a sentence: an operating system's error as ``file: what happened``,
    without its ``[Errno N]``."""
    if isinstance(exc, OSError) and exc.strerror:
        what = exc.strerror[:1].lower() + exc.strerror[1:]
        return f"{exc.filename}: {what}" if exc.filename else what
    return str(exc)
