"""A course catalogue as CSV: one row per course and competency it builds."""

from __future__ import annotations

import re
from typing import Any

import attrs

from karmayogi._catalogue import Catalogue, Course
from karmayogi._csv import Source, Table, read_table
from karmayogi.competency import (
    CompetencyArea,
    Framework,
    Imported,
    ProficiencyLevel,
)
from karmayogi.errors import Finding, Location, LookupFailed, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = ["level_in", "read_catalogue_csv"]

COLUMNS = {
    "id": ("Course Id", "Course ID", "Identifier", "do_id", "Content Id", "Course"),
    "name": ("Course Name", "Name", "Content_Name", "Content Name"),
    "provider": ("Provider", "Content_Provider", "Content Provider"),
    "duration": ("Duration", "Content_Duration", "Content Duration", "Duration (seconds)"),
    "content_type": ("Content Type", "Content_Type", "primaryCategory"),
    "languages": ("Languages", "Language"),
    "description": ("Description", "Course Description", "Content_Description", "Summary"),
    "prerequisites": ("Prerequisites", "Prerequisite", "Pre-requisites"),
    "competency": ("Competency", "Competency Id", "Competency ID"),
    "area": ("Competency Area", "Area"),
    "theme": ("Competency Theme", "Theme"),
    "sub_theme": ("Competency SubTheme", "Competency Sub-Theme", "SubTheme", "Sub-Theme"),
    "level": ("Level", "Proficiency Level", "Competency Level"),
}
DETAILS = (
    "name",
    "provider",
    "duration",
    "content_type",
    "languages",
    "description",
    "prerequisites",
)


@attrs.define
class _Course:
    row: int
    details: dict[str, str]
    competencies: dict[str, tuple[ProficiencyLevel, int]] = attrs.Factory(dict)


def read_catalogue_csv(
    source: Source,
    framework: Framework | None = None,
    *,
    default_level: ProficiencyLevel | int | str = ProficiencyLevel.BASIC,
    limits: Limits = DEFAULT_LIMITS,
) -> Imported[Catalogue]:
    """A catalogue from CSV, one row per course and competency it builds: ``Course Id,
    Course Name, Provider, Duration, Content Type, Languages, Competency, Level``.

    The competency is an identifier (``Competency``), or, given ``framework``, names in
    ``Competency Area, Competency Theme, Competency SubTheme`` as the platform writes
    them. The platform tags content without a level, so a blank ``Level`` is
    ``default_level``. A course's rows must agree on its details. Every bad row is
    reported at once; ignored columns are findings.
    """
    default_level = ProficiencyLevel.parse(default_level)
    table = read_table(source, COLUMNS, ("id", "name", "duration"), limits)
    problems: list[Problem] = []
    courses: dict[str, _Course] = {}
    for row, cells in table.rows:
        before = len(problems)
        values = table.values(row, cells, problems)
        if len(problems) > before:
            continue
        if not values["id"]:
            problems.append(
                Problem("is blank", table.where(row, "id"), expected="a course id", code="blank")
            )
            continue
        details = {c: values.get(c, "") for c in DETAILS}
        course = courses.setdefault(values["id"], _Course(row, details))
        if course.details != details:
            differing = [c for c in DETAILS if course.details[c] != details[c]]
            problems.append(
                Problem(
                    f"differs from row {course.row} on the same course",
                    table.where(row, differing[0]),
                    expected=course.details[differing[0]],
                    got=details[differing[0]],
                    code="inconsistent",
                )
            )
            continue
        built = _competency(table, row, values, framework, problems)
        if built is None:
            continue
        level = level_in(table, row, values["level"]) if values.get("level") else default_level
        if isinstance(level, Problem):
            problems.append(level)
            continue
        seen = course.competencies.get(built)
        if seen is not None:
            table.findings.append(
                Finding(
                    "duplicate-row",
                    f"names {built!r} again (row {seen[1]}); the higher level counts",
                    table.where(row),
                )
            )
            level = max(level, seen[0])
        course.competencies[built] = (level, seen[1] if seen else row)
    catalogue_courses = []
    for course_id, course in courses.items():
        try:
            catalogue_courses.append(Course(**_course_fields(course_id, course)))
        except ValidationError as exc:
            problems.extend(
                Problem(
                    p.message,
                    table.where(course.row, _column(p.where.path)),
                    expected=p.expected,
                    got=p.got,
                    code=p.code,
                )
                for p in exc.problems
            )
    if problems:
        raise ValidationError(problems)
    try:
        catalogue = Catalogue(courses=catalogue_courses)
    except ValidationError as exc:  # a prerequisite the file does not hold, or a circle
        rows = [course.row for course in courses.values()]

        def where(path: str | None) -> Location:
            found = re.match(r"courses\[(\d+)\]", path or "")
            row = rows[int(found[1])] if found else None
            return Location(file=table.file, row=row, field=table.where(0, "prerequisites").field)

        raise ValidationError(
            Problem(p.message, where(p.where.path), expected=p.expected, got=p.got, code=p.code)
            for p in exc.problems
        ) from None
    return Imported(catalogue, tuple(table.findings))


def level_in(table: Table, row: int, text: str) -> ProficiencyLevel | Problem:
    """The proficiency level a row's ``level`` cell says, or the problem with it."""
    try:
        return ProficiencyLevel.parse(text)
    except ValueError:
        return Problem(
            "is not a proficiency level",
            table.where(row, "level"),
            expected="1-5, L1-L5 or Basic..Ustad",
            got=text,
            code="malformed",
        )


def _competency(
    table: Table,
    row: int,
    values: dict[str, str],
    framework: Framework | None,
    problems: list[Problem],
) -> str | None:
    """The competency a row names ("" for a course row that names none), or None after
    reporting why it cannot be read."""
    if values.get("competency"):
        if framework is not None and values["competency"] not in framework:
            problems.append(
                Problem(
                    f"is not in framework {framework.id!r}",
                    table.where(row, "competency"),
                    got=values["competency"],
                    code="unknown",
                )
            )
            return None
        return values["competency"]
    if not values.get("theme"):
        return ""
    if framework is None:
        problems.append(
            Problem(
                "names a theme, but no framework was given to look it up",
                table.where(row, "theme"),
                expected="a Competency column of identifiers",
                got=values["theme"],
                code="not-allowed",
            )
        )
        return None
    try:
        area = CompetencyArea.parse(values["area"]) if values.get("area") else None
        if values.get("sub_theme"):
            return framework.find(values["theme"], values["sub_theme"], area=area).id
        return framework.find(values["theme"], area=area).id
    except (LookupFailed, ValueError) as exc:
        column = "sub_theme" if values.get("sub_theme") else "theme"
        problems.append(
            Problem(str(exc), table.where(row, column), got=values[column], code="unknown")
        )
        return None


def _course_fields(course_id: str, course: _Course) -> dict[str, Any]:
    details = course.details
    fields: dict[str, Any] = {
        "id": course_id,
        "name": details["name"],
        "provider": details["provider"] or None,
        "duration": details["duration"],
        "languages": _listed(details["languages"]),
        "description": details["description"] or None,
        "prerequisites": _listed(details["prerequisites"]),
        "competencies": [
            {"competency": c, "level": level}
            for c, (level, _row) in course.competencies.items()
            if c
        ],
    }
    if details["content_type"]:
        fields["content_type"] = details["content_type"]
    return fields


def _listed(cell: str) -> list[str]:
    """A cell listing several values, separated by commas or semicolons."""
    return [x.strip() for x in cell.replace(";", ",").split(",") if x.strip()]


def _column(path: str | None) -> str | None:
    """The CSV column behind a field of a course, for the message."""
    head = (path or "").split(".")[0].split("[")[0]
    return {"competencies": "competency"}.get(head, head if head in COLUMNS else None)
