"""The platform's designation-to-competency CSV:
``Designation, Competency Area, Competency Theme, Competency SubTheme``."""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, TextIO, cast

import attrs

from karmayogi._names import name_key, slug
from karmayogi.competency import (
    Competency,
    CompetencyArea,
    Framework,
    Importance,
    Imported,
    Position,
    ProficiencyLevel,
    Requirement,
    Role,
)
from karmayogi.errors import Finding, Location, LookupFailed, Problem, ValidationError

__all__ = ["read", "write"]

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
_BY_KEY = {name_key(spelling): column for column, names in COLUMNS.items() for spelling in names}


@attrs.define
class _Designation:
    name: str
    requirements: dict[str, tuple[Requirement, int]] = attrs.Factory(dict)


def read(
    source: str | os.PathLike[str] | TextIO,
    framework: Framework,
    *,
    organisation: str | None,
    default_level: ProficiencyLevel,
) -> Imported[tuple[Position, ...]]:
    with _opened(source, "r") as (file, handle):
        try:
            records = list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            raise ValidationError(
                [
                    Problem(
                        "is not UTF-8 text",
                        Location(file=file),
                        expected="a UTF-8 CSV file",
                        got=f"byte {exc.object[exc.start : exc.start + 1]!r} at offset {exc.start}",
                    )
                ]
            ) from None
    if not records:
        raise ValidationError(
            [Problem("is empty", Location(file=file), expected="a header: " + ", ".join(HEADER))]
        )
    reader = _Reader(framework, organisation, default_level, file)
    reader.read_header(records[0])
    if reader.problems:
        raise ValidationError(reader.problems)
    designations: dict[str, _Designation] = {}
    for row, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line holds nothing to account for
        requirement = reader.requirement(row, cells)
        if requirement is not None:
            designation = cells[reader.columns["designation"][0]].strip()
            entry = designations.setdefault(name_key(designation), _Designation(designation))
            _add(entry, requirement, row, file, reader.findings)
    if reader.problems:
        raise ValidationError(reader.problems)
    return Imported(_positions(designations.values(), organisation), tuple(reader.findings))


@attrs.define
class _Reader:
    """Reads rows into requirements, collecting every problem and finding on the way."""

    framework: Framework
    organisation: str | None
    default_level: ProficiencyLevel
    file: str | None
    columns: dict[str, tuple[int, str]] = attrs.Factory(dict)
    width: int = 0
    problems: list[Problem] = attrs.Factory(list)
    findings: list[Finding] = attrs.Factory(list)

    def read_header(self, header: list[str]) -> None:
        self.width = len(header)
        for index, title in enumerate(header):
            column = _BY_KEY.get(name_key(title))
            where = Location(file=self.file, row=1, field=title)
            if column is None:
                self.findings.append(
                    Finding("ignored-column", f"column {title!r} is not read", where)
                )
            elif column in self.columns:
                self.problems.append(
                    Problem(
                        f"repeats column {self.columns[column][1]!r}",
                        where,
                        expected="each column once",
                        got=title,
                    )
                )
            else:
                self.columns[column] = (index, title)
        missing = [COLUMNS[c][0] for c in REQUIRED if c not in self.columns]
        if missing:
            self.problems.append(
                Problem(
                    "is missing columns " + ", ".join(repr(m) for m in missing),
                    Location(file=self.file, row=1),
                    expected=", ".join(HEADER),
                    got=", ".join(header),
                )
            )

    def requirement(self, row: int, cells: list[str]) -> Requirement | None:
        """The requirement a row states, or None after reporting its problems."""
        if len(cells) > self.width:
            self.problems.append(
                Problem(
                    "has more cells than the header has columns",
                    Location(file=self.file, row=row),
                    expected=f"at most {self.width} cells",
                    got=str(len(cells)),
                )
            )
            return None
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for column, (index, _title) in self.columns.items()
        }
        before = len(self.problems)

        def problem(column: str, message: str, expected: str | None = None) -> None:
            where = Location(file=self.file, row=row, field=self.columns[column][1])
            self.problems.append(Problem(message, where, expected=expected, got=values[column]))

        if not values["designation"]:
            problem("designation", "is blank", "a designation")
        level = self.default_level
        if values.get("level"):
            try:
                level = ProficiencyLevel.parse(values["level"])
            except ValueError:
                problem("level", "is not a proficiency level", "1-5, L1-L5 or Basic..Ustad")
        importance = Importance.MANDATORY
        if values.get("importance"):
            try:
                importance = Importance(values["importance"].casefold())
            except ValueError:
                problem("importance", "is not an importance", "mandatory or desirable")
        try:
            area = CompetencyArea.parse(values["area"])
        except ValueError:
            problem("area", "is not a competency area", "Behavioural, Functional or Domain")
            return None
        competency = self.competency(values, area, problem)
        if competency is None or len(self.problems) > before:
            return None
        return Requirement(competency=competency.id, level=level, importance=importance)

    def competency(
        self, values: dict[str, str], area: CompetencyArea, problem: _Report
    ) -> Competency | None:
        if not values["theme"]:
            problem("theme", "is blank", f"a {area.value} theme")
            return None
        try:
            theme = self.framework.find(values["theme"], area=area, organisation=self.organisation)
        except LookupFailed as exc:
            problem("theme", f"is not a {area.value} theme of {self.framework.id!r}", _hint(exc))
            return None
        if not values["sub_theme"]:
            return theme
        try:
            return self.framework.find(
                values["theme"], values["sub_theme"], area=area, organisation=self.organisation
            )
        except LookupFailed as exc:
            problem("sub_theme", f"is not a sub-theme of {theme.name!r}", _hint(exc))
            return None


class _Report(Protocol):
    """Reports a problem with one cell of the row being read."""

    def __call__(self, column: str, message: str, expected: str | None = None) -> None: ...


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
    designations: Iterable[_Designation], organisation: str | None
) -> tuple[Position, ...]:
    positions = []
    used: set[str] = set()
    for entry in designations:
        base = slug(entry.name) or "position"
        position_id, n = base, 1
        while position_id in used:
            n += 1
            position_id = f"{base}-{n}"
        used.add(position_id)
        role = Role(
            id=f"{position_id}-role",
            name=entry.name,
            requirements=[requirement for requirement, _row in entry.requirements.values()],
        )
        positions.append(
            Position(id=position_id, name=entry.name, organisation=organisation, roles=[role])
        )
    return tuple(positions)


def write(
    positions: Iterable[Position],
    framework: Framework,
    target: str | os.PathLike[str] | TextIO,
    *,
    with_level: bool,
) -> None:
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
    with _opened(target, "w") as (_file, handle):
        out = csv.writer(handle)
        out.writerow(HEADER + EXTRA if with_level else HEADER)
        for position in positions:
            for requirement in position.requirements():
                competency = framework.get(requirement.competency)
                sub = competency.sub_theme.name if competency.sub_theme is not None else ""
                cells = [position.name, competency.area.value, competency.theme.name, sub]
                if with_level:
                    cells += [str(int(requirement.level)), requirement.importance.value]
                out.writerow(cells)


@contextlib.contextmanager
def _opened(
    source: str | os.PathLike[str] | TextIO, mode: str
) -> Iterator[tuple[str | None, TextIO]]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        encoding = "utf-8-sig" if mode == "r" else "utf-8"  # spreadsheets add a BOM
        with path.open(mode, encoding=encoding, newline="") as handle:
            yield str(path), cast(TextIO, handle)
    else:
        name = getattr(source, "name", None)
        yield (name if isinstance(name, str) else None), source
