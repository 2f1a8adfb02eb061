"""The platform's designation-to-competency CSV:
``Designation, Competency Area, Competency Theme, Competency SubTheme``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Protocol, TextIO

import attrs

from karmayogi._csv import Source, Table, opened, read_table, safe_writer, unguarded
from karmayogi._names import name_key, slug
from karmayogi.competency._model import (
    Framework,
    Importance,
    Imported,
    Position,
    Requirement,
    Role,
)
from karmayogi.competency._taxonomy import Competency, CompetencyArea, ProficiencyLevel
from karmayogi.errors import Finding, Location, LookupFailed, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = ["read_designation_csv", "write_designation_csv"]

HEADER = ("Designation", "Competency Area", "Competency Theme", "Competency SubTheme")
EXTRA = ("Proficiency Level", "Importance")

# Canonical column -> the header spellings accepted (compared by name_key).
COLUMNS = {
    "designation": ("Designation",),
    "area": ("Competency Area", "Area"),
    "theme": ("Competency Theme", "Theme"),
    "sub_theme": ("Competency SubTheme", "Competency Sub-Theme", "SubTheme", "Sub-Theme"),
    "level": ("Proficiency Level", "Competency Level", "Level"),
    "importance": ("Importance",),
}
REQUIRED = ("designation", "area", "theme", "sub_theme")


@attrs.define
class _Designation:
    name: str
    requirements: dict[str, tuple[Requirement, int]] = attrs.Factory(dict)


def read_designation_csv(
    source: Source,
    framework: Framework,
    *,
    organisation: str | None = None,
    default_level: ProficiencyLevel | int | str = ProficiencyLevel.BASIC,
    limits: Limits = DEFAULT_LIMITS,
) -> Imported[tuple[Position, ...]]:
    """Positions from the platform's designation-to-competency CSV
    (``Designation, Competency Area, Competency Theme, Competency SubTheme``).

    Each designation becomes a position with one role. The platform's file has no
    level; an optional ``Proficiency Level`` column (or ``Level``) gives one, else
    ``default_level`` applies; an optional ``Importance`` column says mandatory or
    desirable. Every bad row is reported, with its row number, in one
    :class:`~karmayogi.errors.ValidationError`. Repeated rows and ignored columns are
    reported as findings. ``limits`` caps the file's size, rows, field size and columns
    (:mod:`karmayogi.limits`).
    """
    default_level = ProficiencyLevel.parse(default_level)
    table = read_table(source, COLUMNS, REQUIRED, limits)
    reader = _Reader(framework, organisation, default_level, table)
    designations: dict[str, _Designation] = {}
    for row, cells in table.rows:
        requirement = reader.requirement(row, cells)
        if requirement is not None:
            designation = unguarded(cells[table.columns["designation"][0]].strip())
            entry = designations.setdefault(name_key(designation), _Designation(designation))
            _add(entry, requirement, row, table.file, table.findings)
    if reader.problems:
        raise ValidationError(reader.problems)
    positions = _positions(designations.values(), organisation, table.file)
    return Imported(positions, tuple(table.findings))


@attrs.define
class _Reader:
    """Reads rows into requirements, collecting every problem on the way."""

    framework: Framework
    organisation: str | None
    default_level: ProficiencyLevel
    table: Table
    problems: list[Problem] = attrs.Factory(list)

    def requirement(self, row: int, cells: list[str]) -> Requirement | None:
        """The requirement a row states, or None after reporting its problems."""
        before = len(self.problems)
        values = self.table.values(row, cells, self.problems)
        if len(self.problems) > before:
            return None

        def problem(column: str, message: str, expected: str | None, code: str) -> None:
            where = self.table.where(row, column)
            got = values[column]
            self.problems.append(Problem(message, where, expected=expected, got=got, code=code))

        if not values["designation"]:
            problem("designation", "is blank", "a designation", "blank")
        level = self.default_level
        if values.get("level"):
            try:
                level = ProficiencyLevel.parse(values["level"])
            except ValueError:
                problem(
                    "level", "is not a proficiency level", "1-5, L1-L5 or Basic..Ustad", "malformed"
                )
        importance = Importance.MANDATORY
        if values.get("importance"):
            try:
                importance = Importance(values["importance"].casefold())
            except ValueError:
                problem("importance", "is not an importance", "mandatory or desirable", "malformed")
        try:
            area = CompetencyArea.parse(values["area"])
        except ValueError:
            problem(
                "area", "is not a competency area", "Behavioural, Functional or Domain", "malformed"
            )
            return None
        competency = self.competency(values, area, problem)
        if competency is None or len(self.problems) > before:
            return None
        return Requirement(competency=competency.id, level=level, importance=importance)

    def competency(
        self, values: dict[str, str], area: CompetencyArea, problem: _Report
    ) -> Competency | None:
        if not values["theme"]:
            problem("theme", "is blank", f"a {area.value} theme", "blank")
            return None
        try:
            theme = self.framework.find(values["theme"], area=area, organisation=self.organisation)
        except LookupFailed as exc:
            problem(
                "theme",
                f"is not a {area.value} theme of {self.framework.id!r}",
                _hint(exc),
                "unknown",
            )
            return None
        if not values["sub_theme"]:
            return theme
        try:
            return self.framework.find(
                values["theme"], values["sub_theme"], area=area, organisation=self.organisation
            )
        except LookupFailed as exc:
            problem("sub_theme", f"is not a sub-theme of {theme.name!r}", _hint(exc), "unknown")
            return None


class _Report(Protocol):
    """Reports a problem with one cell of the row being read."""

    def __call__(self, column: str, message: str, expected: str | None, code: str) -> None: ...


def _hint(exc: LookupFailed) -> str | None:
    names = getattr(exc, "suggestions", None) or getattr(exc, "candidates", ())
    return "one of " + ", ".join(repr(n) for n in names) if names else None


def _add(
    entry: _Designation,
    requirement: Requirement,
    row: int,
    file: str | None,
    findings: list[Finding],
) -> None:
    seen = entry.requirements.get(requirement.competency)
    where = Location(file=file, row=row)
    if seen is None:
        entry.requirements[requirement.competency] = (requirement, row)
    elif seen[0] == requirement:
        findings.append(Finding("duplicate-row", f"repeats row {seen[1]}; counted once", where))
    else:
        old = seen[0]
        merged = Requirement(
            competency=old.competency,
            level=max(old.level, requirement.level),
            importance=(
                Importance.MANDATORY if old.mandatory or requirement.mandatory else old.importance
            ),
        )
        entry.requirements[requirement.competency] = (merged, seen[1])
        findings.append(
            Finding(
                "conflicting-rows",
                f"names the same competency as row {seen[1]} with another level or importance;"
                " the higher level and mandatory win",
                where,
            )
        )


def _positions(
    designations: Iterable[_Designation], organisation: str | None, file: str | None
) -> tuple[Position, ...]:
    positions = []
    problems: list[Problem] = []
    used: set[str] = set()
    for entry in designations:
        base = slug(entry.name)[:_LONGEST_ID] or "position"
        position_id, n = base, 1
        while position_id in used:
            n += 1
            position_id = f"{base}-{n}"
        used.add(position_id)
        try:
            role = Role(
                id=f"{position_id}-role",
                name=entry.name,
                requirements=[requirement for requirement, _row in entry.requirements.values()],
            )
            position = Position(
                id=position_id, name=entry.name, organisation=organisation, roles=[role]
            )
        except ValidationError as exc:  # a name the documents refuse: said of its first row
            row = min(row for _requirement, row in entry.requirements.values())
            where = Location(file=file, row=row, field="Designation")
            problems.extend(attrs.evolve(p, where=where) for p in exc.problems)
            continue
        positions.append(position)
    if problems:
        raise ValidationError(problems)
    return tuple(positions)


_LONGEST_ID = 150
"""Room in an identifier's 200 characters for a ``-role`` or ``-2`` after the slug."""


def write_designation_csv(
    positions: Iterable[Position],
    framework: Framework,
    target: str | os.PathLike[str] | TextIO,
    *,
    with_level: bool = True,
) -> None:
    """Write positions in the platform's designation-to-competency CSV, one row per
    required competency; ``with_level`` adds the ``Proficiency Level`` and
    ``Importance`` columns, which the platform's own upload does not have."""
    positions = list(positions)
    problems: list[Problem] = []
    for i, position in enumerate(positions):
        try:
            framework.validate_position(position)
        except ValidationError as exc:
            problems.extend(
                attrs.evolve(p, where=p.where.within(f"positions[{i}]")) for p in exc.problems
            )
    if problems:
        raise ValidationError(problems)
    with opened(target, "w") as (_file, handle):
        out = safe_writer(handle, lineterminator="\r\n")
        out.writerow(HEADER + EXTRA if with_level else HEADER)
        for position in positions:
            for requirement in position.requirements():
                competency = framework.get(requirement.competency)
                sub = competency.sub_theme.name if competency.sub_theme is not None else ""
                cells = [position.name, competency.area.value, competency.theme.name, sub]
                if with_level:
                    cells += [str(int(requirement.level)), requirement.importance.value]
                out.writerow(cells)
