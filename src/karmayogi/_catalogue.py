"""The course catalogue: the courses a plan may use, each with its duration, the
competencies it builds and the courses to complete before it."""

from __future__ import annotations

import datetime as dt
import functools
import graphlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import pydantic

from karmayogi._document import Document, Identifier, Name, Text, duplicates
from karmayogi._durations import Duration
from karmayogi._names import close_matches
from karmayogi.competency import Framework, ProficiencyLevel
from karmayogi.errors import Location, Problem, UnknownNameError, ValidationError

__all__ = ["Catalogue", "Course", "CourseCompetency"]

Level = Annotated[ProficiencyLevel, pydantic.BeforeValidator(ProficiencyLevel.parse)]
"""A level as files write it (``3``, ``"L3"``, ``"Advanced"``), kept as the enum."""


class CourseCompetency(Document):
    """A course builds this competency up to this level."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, competency: str, level: ProficiencyLevel | int | str) -> None: ...

    competency: Identifier
    level: Level


class Course(Document):
    """A course (or any content) on the platform, and what it builds."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            name: str,
            provider: str | None = ...,
            duration: dt.timedelta | int | str,
            competencies: Sequence[CourseCompetency | Mapping[str, Any]] = ...,
            languages: Sequence[str] = ...,
            content_type: str = ...,
            description: str | None = ...,
            prerequisites: Sequence[str] = ...,
        ) -> None: ...

    id: Identifier
    """The platform's identifier, such as ``do_1137731307613716481136``."""
    name: Name
    provider: Text = None
    duration: Duration
    competencies: tuple[CourseCompetency, ...] = ()
    languages: tuple[Name, ...] = ()
    content_type: Name = "Course"
    description: Text = None
    """What the course teaches, in the provider's words."""
    prerequisites: tuple[Identifier, ...] = ()
    """Courses of the catalogue to complete before this one."""

    @pydantic.model_validator(mode="after")
    def _unique(self) -> Course:
        problems = duplicates(
            "competencies", [c.competency for c in self.competencies], "competency"
        )
        problems += duplicates("prerequisites", list(self.prerequisites))
        problems += [
            Problem(
                "is the course itself",
                Location(path=f"prerequisites[{i}]"),
                got=p,
                code="not-allowed",
            )
            for i, p in enumerate(self.prerequisites)
            if p == self.id
        ]
        if problems:
            raise ValidationError(problems)
        return self

    @property
    def hours(self) -> float:
        return self.duration.total_seconds() / 3600

    def builds(self, competency: str, level: ProficiencyLevel | int = 1) -> bool:
        """Whether this course builds ``competency`` to ``level`` or above."""
        return any(c.competency == competency and c.level >= level for c in self.competencies)


class Catalogue(Document):
    """The courses a plan may use.

    >>> catalogue = Catalogue(courses=[
    ...     Course(id="do_1", name="RTI basics", duration=3600,
    ...            competencies=[{"competency": "KCM-F05", "level": 1}]),
    ...     Course(id="do_2", name="RTI in depth", duration="04:00:00",
    ...            competencies=[{"competency": "KCM-F05", "level": 3}]),
    ... ])
    >>> [c.id for c in catalogue.for_competency("KCM-F05", level=2)]
    ['do_2']
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, courses: Sequence[Course | Mapping[str, Any]] = ...) -> None: ...

    courses: tuple[Course, ...] = ()

    @pydantic.model_validator(mode="after")
    def _unique(self) -> Catalogue:
        problems = duplicates("courses", [c.id for c in self.courses], "id")
        ids = {c.id for c in self.courses}
        problems += [
            Problem(
                "is not a course of the catalogue",
                Location(path=f"courses[{i}].prerequisites[{j}]"),
                expected=_course_expected(prerequisite, ids),
                got=prerequisite,
                code="unknown",
            )
            for i, course in enumerate(self.courses)
            for j, prerequisite in enumerate(course.prerequisites)
            if prerequisite not in ids
        ]
        problems += _prerequisite_cycles(self.courses)
        if problems:
            raise ValidationError(problems)
        return self

    def before(self, course: str) -> tuple[str, ...]:
        """Every course to complete before ``course``: its prerequisites, theirs, and
        so on, each before the courses that need it."""
        order: list[str] = []

        def visit(course_id: str) -> None:
            for prerequisite in self.get(course_id).prerequisites:
                if prerequisite not in order:
                    visit(prerequisite)
                    order.append(prerequisite)

        visit(course)
        return tuple(order)

    @functools.cached_property
    def _by_id(self) -> dict[str, Course]:
        return {course.id: course for course in self.courses}

    def __contains__(self, course: object) -> bool:
        return isinstance(course, str) and course in self._by_id

    def __len__(self) -> int:
        return len(self.courses)

    def get(self, course: str) -> Course:
        """The course with this identifier, or :class:`UnknownNameError`."""
        found = self._by_id.get(course)
        if found is None:
            raise UnknownNameError("course", course, close_matches(course, self._by_id))
        return found

    def for_competency(
        self, competency: str, level: ProficiencyLevel | int | str = 1
    ) -> tuple[Course, ...]:
        """Courses that build ``competency`` to ``level`` or above, shortest first."""
        needed = ProficiencyLevel.parse(level)
        found = [c for c in self.courses if c.builds(competency, needed)]
        return tuple(sorted(found, key=lambda c: (c.duration, c.id)))

    def check(self, framework: Framework) -> None:
        """Raise :class:`ValidationError` naming every competency that ``framework`` does
        not have."""
        problems = [
            Problem(
                f"is not in framework {framework.id!r}",
                Location(path=f"courses[{i}].competencies[{j}].competency"),
                got=built.competency,
                code="unknown",
            )
            for i, course in enumerate(self.courses)
            for j, built in enumerate(course.competencies)
            if built.competency not in framework
        ]
        if problems:
            raise ValidationError(problems)


def _course_expected(course: str, ids: Iterable[str]) -> str:
    near = close_matches(course, ids)
    return "one of " + ", ".join(map(repr, near)) if near else "a course id of the catalogue"


def _prerequisite_cycles(courses: Sequence[Course]) -> list[Problem]:
    """A problem for each circle of prerequisites (a course needed, at some remove,
    before itself)."""
    index = {course.id: i for i, course in enumerate(courses)}
    needs = {course.id: set(course.prerequisites) for course in courses}
    problems = []
    while True:
        try:
            graphlib.TopologicalSorter(needs).prepare()
        except graphlib.CycleError as exc:
            circle: list[str] = exc.args[1]
            first = min(circle, key=index.__getitem__)
            problems.append(
                Problem(
                    "is needed, at some remove, before itself (each course here needs the next)",
                    Location(path=f"courses[{index[first]}].prerequisites"),
                    expected="prerequisites that end",
                    got=" -> ".join(reversed(circle)),
                    code="not-allowed",
                )
            )
            for course in circle:  # look past this circle for another
                needs.pop(course, None)
            continue
        return problems
