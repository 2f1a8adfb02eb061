"""Capacity building plans: the course catalogue, the plan document and its lifecycle,
the builder that turns role requirements into plans, and who must do what by when.

An **annual capacity building plan** of an organisation (an MDO) lists courses, says
which people must complete them (everyone, some designations, or named people) and by
when, and whether they count for the appraisal (APAR). Plans follow the platform's
lifecycle: Draft, then Live, then Retired (final); once Live only the name, the
assignments and the due date may change, and each such change is a new version.

>>> import datetime as dt
>>> catalogue = Catalogue(courses=[
...     Course(id="do_101", name="Noting and Drafting", duration="02:30:00",
...            competencies=[{"competency": "KCM-F13-04", "level": 2}]),
... ])
>>> plan = (PlanBuilder("dept-revenue", "2025-26", "Drafting for all")
...         .add("do_101").assign_all().due("31/03/2026").build(catalogue=catalogue))
>>> plan.status, str(plan.year), plan.due
(<PlanStatus.DRAFT: 'Draft'>, '2025-26', datetime.date(2026, 3, 31))
>>> live = plan.publish(at=dt.datetime(2025, 4, 10, 9, 0))
>>> people = [Person(id="u1", organisation="dept-revenue", designation="Tehsildar")]
>>> [(a.person, a.course, a.due.isoformat()) for a in resolve([live], people).allocations]
[('u1', 'do_101', '2026-03-31')]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Self, TypeVar

import attrs
import pydantic

from karmayogi._allocation import Allocation
from karmayogi._api import presented
from karmayogi._catalogue import Catalogue, Course, CourseCompetency
from karmayogi._catalogue_csv import read_catalogue_csv
from karmayogi._cover import Option, choose
from karmayogi._csv import Source, opened, read_table, safe_writer
from karmayogi._document import Document, Identifier, Name, duplicates
from karmayogi._html import Tabular
from karmayogi._names import YES_NO, close_matches, identity, name_key, slug
from karmayogi.competency import (
    CompetencyProfile,
    Position,
    ProficiencyLevel,
    Requirement,
    find_gaps,
)
from karmayogi.designations import DesignationIndex, DesignationMatch
from karmayogi.errors import (
    Finding,
    Location,
    Match,
    Problem,
    UnknownNameError,
    ValidationError,
)
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import Person, check_unique
from karmayogi.periods import (
    IST,
    FinancialYear,
    IndiaDate,
    PlanYear,
    parse_date,
    parse_datetime,
)

__all__ = [
    "Allocation",
    "Assignment",
    "AssignmentType",
    "BuildResult",
    "Catalogue",
    "Course",
    "CourseCompetency",
    "DesignationUse",
    "Lens",
    "Pillar",
    "Plan",
    "PlanBuilder",
    "PlanChange",
    "PlanDiff",
    "PlanHistory",
    "PlanItem",
    "PlanStatus",
    "Reason",
    "Resolution",
    "Selection",
    "Unclosed",
    "build_plans",
    "plans_from_platform",
    "read_allocations_csv",
    "read_catalogue_csv",
    "resolve",
    "write_allocations_csv",
]


D = TypeVar("D", bound=Document)


# --- The plan document --------------------------------------------------------------------


class Lens(enum.StrEnum):
    """The lenses through which an annual plan's needs are found."""

    NATIONAL_PRIORITIES = "National Priorities"
    CITIZEN_CENTRICITY = "Citizen Centricity"
    EMERGING_TECHNOLOGY = "Emerging Technology"


class Pillar(enum.StrEnum):
    """The level at which a plan builds capacity."""

    INDIVIDUAL = "Individual"
    ORGANISATIONAL = "Organisational"
    INSTITUTIONAL = "Institutional"


class PlanStatus(enum.StrEnum):
    """Draft -> Live -> Retired; Retired is final. The platform writes ``DRAFT``,
    ``Live`` and ``RETIRE``; any of those spellings is read."""

    DRAFT = "Draft"
    LIVE = "Live"
    RETIRED = "Retired"

    @classmethod
    def parse(cls, value: str | PlanStatus) -> PlanStatus:
        if isinstance(value, PlanStatus):
            return value
        found = _STATUS_BY_KEY.get(name_key(value)) if isinstance(value, str) else None
        if found is None:
            raise ValueError(f"a plan status is Draft, Live or Retired; got {value!r}")
        return found


_STATUS_BY_KEY = {name_key(s.value): s for s in PlanStatus} | {
    name_key("retire"): PlanStatus.RETIRED
}


class AssignmentType(enum.StrEnum):
    """Who an assignment names, with the platform's words."""

    ALL_USERS = "AllUser"
    DESIGNATION = "Designation"
    CUSTOM_USERS = "CustomUser"


def _lens(value: Any) -> Any:
    if isinstance(value, str):
        return {name_key(lens.value): lens for lens in Lens}.get(name_key(value), value)
    return value


def _pillar(value: Any) -> Any:
    if isinstance(value, str):
        return {name_key(p.value): p for p in Pillar}.get(name_key(value), value)
    return value


def _status(value: Any) -> Any:
    return PlanStatus.parse(value) if isinstance(value, str) else value


class Assignment(Document):
    """Who a plan applies to: all users of its organisation, people of the named
    designations, or the named people.

    >>> Assignment(type="Designation", names=["Section Officer"]).describe()
    "Designation 'Section Officer'"
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, type: AssignmentType | str, names: Sequence[str] = ...) -> None: ...

    type: AssignmentType
    names: tuple[Name, ...] = ()
    """Designations (for ``Designation``) or person identifiers (for ``CustomUser``)."""

    @pydantic.model_validator(mode="after")
    def _names_fit_type(self) -> Assignment:
        if self.type is AssignmentType.ALL_USERS and self.names:
            raise ValidationError(
                [
                    Problem(
                        "names no one for AllUser",
                        Location(path="names"),
                        expected="[]",
                        got=", ".join(self.names),
                        code="not-allowed",
                    )
                ]
            )
        if self.type is not AssignmentType.ALL_USERS and not self.names:
            what = "designations" if self.type is AssignmentType.DESIGNATION else "people"
            raise ValidationError(
                [
                    Problem(
                        f"is empty; a {self.type.value} assignment names {what}",
                        Location(path="names"),
                        code="empty",
                    )
                ]
            )
        key = name_key if self.type is AssignmentType.DESIGNATION else str
        problems = duplicates("names", [key(n) for n in self.names])
        if problems:
            raise ValidationError(problems)
        return self

    def matches(
        self, person: Person, organisation: str, designations: DesignationIndex | None = None
    ) -> str | None:
        """How this assignment names ``person`` of a plan of ``organisation`` (for
        :class:`Reason`), or None when it does not. With ``designations``, a designation
        written another way is the same designation."""
        if self.type is AssignmentType.CUSTOM_USERS:
            return "CustomUser" if person.id in self.names else None
        if person.organisation != organisation:
            return None
        if self.type is AssignmentType.ALL_USERS:
            return "AllUser"
        index = designations or DesignationIndex(self.names)
        if person.designation is None:
            return None
        key = index.key(person.designation)
        held = next((n for n in self.names if index.key(n) == key), None)
        if held is None:
            return None
        if name_key(held) == name_key(person.designation):
            return f"Designation {held!r}"
        return f"Designation {held!r}, written {person.designation!r}"

    def describe(self) -> str:
        if self.type is AssignmentType.ALL_USERS:
            return "AllUser"
        return f"{self.type.value} " + ", ".join(repr(n) for n in self.names)


class PlanItem(Document):
    """A course of a plan, mandatory or not."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, course: str, mandatory: bool = ...) -> None: ...

    course: Identifier
    mandatory: bool = True


def _aware(value: Any) -> Any:
    return parse_datetime(value) if isinstance(value, str | dt.datetime) else value


AwareTime = Annotated[dt.datetime, pydantic.BeforeValidator(_aware)]
Status = Annotated[PlanStatus, pydantic.BeforeValidator(_status)]
LensField = Annotated[Lens, pydantic.BeforeValidator(_lens)]
PillarField = Annotated[Pillar, pydantic.BeforeValidator(_pillar)]
CHANGEABLE_WHEN_LIVE = frozenset({"name", "assignments", "due"})


class Plan(Document):
    """An annual capacity building plan of one organisation.

    The due date is a calendar date in Asia/Kolkata that includes its whole day, and
    lies within the plan year (a financial year, April to March). Whether the plan's
    courses exist and its assignments reach anyone depends on a catalogue and the
    people: :meth:`check` asks both.
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            organisation: str,
            year: FinancialYear | str,
            name: str,
            items: Sequence[PlanItem | Mapping[str, Any]],
            assignments: Sequence[Assignment | Mapping[str, Any]] = ...,
            due: dt.date | str,
            lenses: Sequence[Lens | str] = ...,
            pillar: Pillar | str | None = ...,
            apar: bool = ...,
            status: PlanStatus | str = ...,
            version: int = ...,
            published_at: dt.datetime | str | None = ...,
        ) -> None: ...

    id: Identifier
    organisation: Identifier
    year: PlanYear
    name: Name
    items: tuple[PlanItem, ...]
    assignments: tuple[Assignment, ...] = ()
    due: IndiaDate
    lenses: tuple[LensField, ...] = ()
    pillar: PillarField | None = None
    apar: bool = False
    """Whether the plan's courses count for the annual appraisal (APAR)."""
    status: Status = PlanStatus.DRAFT
    version: Annotated[int, pydantic.Field(ge=1)] = 1
    published_at: AwareTime | None = None
    """When the plan went Live; a time without a zone is India's."""

    @pydantic.model_validator(mode="after")
    def _rules(self) -> Plan:
        problems = _plan_rules(self.year, self.due, self.items, self.assignments)
        if problems:
            raise ValidationError(problems)
        return self

    @property
    def courses(self) -> tuple[str, ...]:
        return tuple(item.course for item in self.items)

    # -- the lifecycle

    def publish(self, *, at: dt.datetime | None = None) -> Plan:
        """This Draft plan made Live (a naive ``at`` is India's time; default now)."""
        if self.status is not PlanStatus.DRAFT:
            raise _lifecycle(f"only a Draft plan can be published; this one is {self.status}")
        when = parse_datetime(at) if at is not None else dt.datetime.now(IST)
        return self.model_copy(update={"status": PlanStatus.LIVE, "published_at": when})

    def retire(self) -> Plan:
        """This Live plan retired, for good."""
        if self.status is not PlanStatus.LIVE:
            raise _lifecycle(f"only a Live plan can be retired; this one is {self.status}")
        return self.model_copy(update={"status": PlanStatus.RETIRED})

    def revise(self, **changes: Any) -> Plan:
        """This plan with ``changes``. A Draft may change in anything; a Live plan only in
        its name, assignments and due date, and each change is a new version; a Retired
        plan does not change.

        >>> plan = Plan(id="p", organisation="o", year="2025-26", name="A",
        ...             items=[{"course": "do_1"}], assignments=[{"type": "AllUser"}],
        ...             due="2026-03-31")
        >>> live = plan.publish(at=dt.datetime(2025, 5, 1)).revise(due="2026-02-28")
        >>> live.version, live.due
        (2, datetime.date(2026, 2, 28))
        >>> live.revise(items=[])
        Traceback (most recent call last):
        ...
        karmayogi.errors.ValidationError: at 'items': cannot change once the plan is Live \
(expected one of assignments, due, name)
        """
        unknown = sorted(set(changes) - set(type(self).model_fields))
        if unknown:
            raise ValidationError(
                [
                    Problem("is not a field of a plan", Location(path=n), code="unknown")
                    for n in unknown
                ]
            )
        if self.status is PlanStatus.RETIRED:
            raise _lifecycle("a Retired plan is final; make a new plan instead")
        if self.status is PlanStatus.LIVE:
            frozen = sorted(set(changes) - CHANGEABLE_WHEN_LIVE)
            if frozen:
                allowed = ", ".join(sorted(CHANGEABLE_WHEN_LIVE))
                raise ValidationError(
                    [
                        Problem(
                            "cannot change once the plan is Live",
                            Location(path=name),
                            expected=f"one of {allowed}",
                            code="not-allowed",
                        )
                        for name in frozen
                    ]
                )
            revised = self.model_copy(update=changes)
            if revised == self:
                return self  # nothing changed, so no new version
            changes = {**changes, "version": self.version + 1}
        return self.model_copy(update=changes)

    # -- checks against the world

    def check(
        self, *, catalogue: Catalogue | None = None, people: Iterable[Person] | None = None
    ) -> None:
        """Raise :class:`ValidationError` with every problem that needs the world to see:
        courses not in ``catalogue``, assignments that reach no one or a designation no
        person holds (given ``people``), or no assignment at all."""
        problems = _context_problems(
            self.organisation, self.items, self.assignments, catalogue, people
        )
        if problems:
            raise ValidationError(problems)

    def diff(self, other: Plan) -> PlanDiff:
        """What changed from this plan to ``other``, readably."""
        return _diff(self, other)

    # -- the platform's payload

    def to_platform(self, *, item_form: bool = True) -> list[dict[str, Any]]:
        """The platform's plan payload (``name, contentType, contentList, assignmentType,
        assignmentTypeInfo, endDate``), ready to push.

        The platform holds one assignment type per plan, so a plan that assigns in two
        ways becomes two payloads, each with the plan's ``id``:
        :func:`plans_from_platform` joins them into the plan again. ``item_form`` writes
        each course as ``{"identifier": ..., "mandatory": ...}``; without it, a list of
        identifiers, as older plans had.
        """
        content: list[Any] = (
            [{"identifier": i.course, "mandatory": i.mandatory} for i in self.items]
            if item_form
            else list(self.courses)
        )
        payloads = []
        for assignment in self.assignments:
            payload: dict[str, Any] = {
                "id": self.id,
                "name": self.name,
                "contentType": "Course",
                "contentList": content,
                "assignmentType": assignment.type.value,
                "assignmentTypeInfo": list(assignment.names),
                "endDate": self.due.isoformat(),
                "orgId": self.organisation,
                "planYear": str(self.year),
                "isApar": self.apar,
                "status": _PLATFORM_STATUS[self.status],
            }
            if self.published_at is not None:
                payload["publishedAt"] = self.published_at.isoformat()
            payloads.append(payload)
        return payloads

    @classmethod
    def from_platform(
        cls, payload: Mapping[str, Any], *, id: str | None = None, file: str | None = None
    ) -> Plan:
        """A plan from the platform's payload (either form of ``contentList``); the plan
        year is ``planYear`` or else the financial year of ``endDate``."""
        data = dict(payload)
        problems = []
        content = data.get("contentList")
        items: list[Any] = []
        if not isinstance(content, list):
            problems.append(
                Problem(
                    "is missing or not a list",
                    Location(file=file, path="contentList"),
                    code="missing-column",
                )
            )
        else:
            for entry in content:
                if isinstance(entry, Mapping):
                    items.append(
                        {
                            "course": entry.get("identifier"),
                            "mandatory": entry.get("mandatory", True),
                        }
                    )
                else:
                    items.append({"course": entry})
        kind = data.get("assignmentType")
        names = data.get("assignmentTypeInfo") or []
        year = data.get("planYear")
        if year is None and isinstance(data.get("endDate"), str):
            try:
                year = str(FinancialYear.of(parse_date(data["endDate"])))
            except ValueError:
                year = None
        organisation = data.get("orgId")
        fields = {
            "id": id
            or data.get("id")
            or data.get("identifier")
            or _plan_id(organisation, year, data.get("name")),
            "organisation": organisation,
            "year": year,
            "name": data.get("name"),
            "items": items,
            "assignments": [{"type": kind, "names": names if isinstance(names, list) else [names]}],
            "due": data.get("endDate"),
            "apar": data.get("isApar", False),
            "status": data.get("status", "Draft"),
            "published_at": data.get("publishedAt"),
        }
        try:
            plan = cls.from_dict({k: v for k, v in fields.items() if v is not None}, file=file)
        except ValidationError as exc:
            raise ValidationError([*problems, *exc.problems]) from None
        if problems:
            raise ValidationError(problems)
        return plan


def plans_from_platform(
    payloads: Iterable[Mapping[str, Any]], *, file: str | None = None
) -> tuple[Plan, ...]:
    """Plans from the platform's payloads: those with one identifier (as
    :meth:`Plan.to_platform` writes a plan that assigns in several ways) joined into one
    plan with all their assignments; every problem of every payload at once.

    >>> plan = Plan(id="p", organisation="o", year="2025-26", name="A",
    ...             items=[{"course": "do_1"}], due="2026-03-31", assignments=[
    ...                 {"type": "Designation", "names": ["SO"]},
    ...                 {"type": "CustomUser", "names": ["u1"]}])
    >>> len(plan.to_platform()), plans_from_platform(plan.to_platform()) == (plan,)
    (2, True)
    """
    problems: list[Problem] = []
    groups: dict[str, list[Plan]] = {}
    for i, payload in enumerate(payloads):
        try:
            read = Plan.from_platform(payload, file=file)
        except ValidationError as exc:
            problems += [attrs.evolve(p, where=p.where.within(f"[{i}]")) for p in exc.problems]
        else:
            groups.setdefault(read.id, []).append(read)
    plans = []
    for plan_id, parts in groups.items():
        first = parts[0]
        rest = {"assignments", "lenses", "pillar"}
        differ = sorted(
            name
            for part in parts[1:]
            for name in type(first).model_fields
            if name not in rest and getattr(part, name) != getattr(first, name)
        )
        if differ:
            problems.append(
                Problem(
                    "payloads of one plan disagree",
                    Location(file=file, path=plan_id),
                    expected="the same plan in each but for its assignment",
                    got=", ".join(dict.fromkeys(differ)),
                    code="inconsistent",
                )
            )
            continue
        assignments = [a for part in parts for a in part.assignments]
        data = first.model_dump() | {"assignments": [a.model_dump() for a in assignments]}
        plans.append(Plan.from_dict(data, file=file))
    if problems:
        raise ValidationError(problems)
    return tuple(plans)


_PLATFORM_STATUS = {
    PlanStatus.DRAFT: "DRAFT",
    PlanStatus.LIVE: "Live",
    PlanStatus.RETIRED: "RETIRE",
}


def _plan_id(organisation: object, year: object, name: object) -> str:
    """An identifier made from what names a plan: ``dept-revenue-2025-26-tehsildar``."""
    return slug(f"{organisation}-{year}-{name}").lower()


def _lifecycle(message: str) -> ValidationError:
    return ValidationError([Problem(message, Location(path="status"), code="not-allowed")])


def _plan_rules(
    year: FinancialYear | None,
    due: dt.date | None,
    items: Sequence[PlanItem | None],
    assignments: Sequence[Assignment | None],
) -> list[Problem]:
    """The rules a plan keeps by itself, whatever the world holds (None stands for an
    entry already found invalid)."""
    problems = []
    if year is not None and due is not None and due not in year:
        problems.append(
            Problem(
                f"is outside the plan year {year}",
                Location(path="due"),
                expected=f"{year.start.isoformat()} to {year.end.isoformat()}",
                got=due.isoformat(),
                code="out-of-range",
            )
        )
    if not items:
        problems.append(
            Problem(
                "is empty; a plan needs at least one course", Location(path="items"), code="empty"
            )
        )
    # An invalid entry (None) gets a key of its own, so it repeats nothing.
    item_keys = [i.course if i else f"\0{n}" for n, i in enumerate(items)]
    problems += duplicates("items", item_keys, "course")
    assignment_keys = [
        f"{a.type.value}: {', '.join(sorted(a.names))}" if a else f"\0{n}"
        for n, a in enumerate(assignments)
    ]
    problems += duplicates("assignments", assignment_keys)
    return problems


def _context_problems(
    organisation: str,
    items: Sequence[PlanItem | None],
    assignments: Sequence[Assignment | None],
    catalogue: Catalogue | None,
    people: Iterable[Person] | None,
) -> list[Problem]:
    problems = []
    if catalogue is not None:
        for i, item in enumerate(items):
            if item is not None and item.course not in catalogue:
                hint = close_matches(item.course, (c.id for c in catalogue.courses))
                problems.append(
                    Problem(
                        "is not in the catalogue",
                        Location(path=f"items[{i}].course"),
                        expected=" or ".join(repr(h) for h in hint) or None,
                        got=item.course,
                        code="unknown",
                    )
                )
    if not assignments:
        problems.append(
            Problem(
                "is empty; the plan is assigned to no one",
                Location(path="assignments"),
                code="empty",
            )
        )
    if people is None:
        return problems
    people = list(people)
    index = DesignationIndex(_designations_named(a for a in assignments if a is not None))
    held = {
        index.key(p.designation)
        for p in people
        if p.organisation == organisation and p.designation is not None
    }
    reached = 0
    for i, assignment in enumerate(assignments):
        if assignment is None:
            continue
        if assignment.type is AssignmentType.DESIGNATION:
            for j, name in enumerate(assignment.names):
                if index.key(name) not in held:
                    problems.append(
                        Problem(
                            f"is a designation no person of {organisation!r} holds",
                            Location(path=f"assignments[{i}].names[{j}]"),
                            got=name,
                            code="unknown",
                        )
                    )
        elif assignment.type is AssignmentType.CUSTOM_USERS:
            known = {p.id for p in people}
            problems.extend(
                Problem(
                    "is not among the people given",
                    Location(path=f"assignments[{i}].names[{j}]"),
                    got=name,
                    code="unknown",
                )
                for j, name in enumerate(assignment.names)
                if name not in known
            )
        reached += sum(
            1 for p in people if p.active and assignment.matches(p, organisation, index) is not None
        )
    if assignments and reached == 0:
        problems.append(
            Problem("reach no active person", Location(path="assignments"), code="no-match")
        )
    return problems


# --- Changes: versions and diffs ----------------------------------------------------------


@attrs.frozen
class PlanChange:
    """One change between two versions of a plan."""

    field: str
    change: str
    """``added``, ``removed`` or ``changed``."""
    before: str | None
    after: str | None

    def __str__(self) -> str:
        if self.change == "added":
            return f"+ {self.field}: {self.after}"
        if self.change == "removed":
            return f"- {self.field}: {self.before}"
        return f"~ {self.field}: {self.before} -> {self.after}"


@attrs.frozen
class PlanDiff:
    """The changes from one version of a plan to another; empty when they are equal."""

    changes: tuple[PlanChange, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __str__(self) -> str:
        return "\n".join(str(c) for c in self.changes) or "no changes"


def _diff(old: Plan, new: Plan) -> PlanDiff:
    changes: list[PlanChange] = []
    for field in (
        "id",
        "organisation",
        "year",
        "name",
        "due",
        "pillar",
        "apar",
        "status",
        "version",
    ):
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            changes.append(PlanChange(field, "changed", _shown(before), _shown(after)))
    old_items = {i.course: i for i in old.items}
    new_items = {i.course: i for i in new.items}
    for course, item in new_items.items():
        if course not in old_items:
            changes.append(PlanChange("items", "added", None, _item(item)))
        elif old_items[course] != item:
            changes.append(PlanChange("items", "changed", _item(old_items[course]), _item(item)))
    changes += [
        PlanChange("items", "removed", _item(i), None)
        for c, i in old_items.items()
        if c not in new_items
    ]
    for field, before_set, after_set in (
        (
            "assignments",
            [a.describe() for a in old.assignments],
            [a.describe() for a in new.assignments],
        ),
        ("lenses", [str(x) for x in old.lenses], [str(x) for x in new.lenses]),
    ):
        changes += [PlanChange(field, "added", None, x) for x in after_set if x not in before_set]
        changes += [PlanChange(field, "removed", x, None) for x in before_set if x not in after_set]
    return PlanDiff(tuple(changes))


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _item(item: PlanItem) -> str:
    return f"{item.course} ({'mandatory' if item.mandatory else 'optional'})"


class PlanHistory(Document):
    """Every version of one plan, oldest first: what was Live, and when it changed.

    Each step is a legal move of the lifecycle: a Draft edited or published, a Live plan
    revised (a new version) or retired.

    >>> plan = Plan(id="p", organisation="o", year="2025-26", name="A",
    ...             items=[{"course": "do_1"}], assignments=[{"type": "AllUser"}],
    ...             due="2026-03-31")
    >>> history = PlanHistory.start(plan).publish(at=dt.datetime(2025, 5, 1))
    >>> history = history.revise(name="A (revised)")
    >>> print(history.diff())
    ~ name: A -> A (revised)
    ~ version: 1 -> 2
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, versions: Sequence[Plan | Mapping[str, Any]]) -> None: ...

    versions: Annotated[tuple[Plan, ...], pydantic.Field(min_length=1)]

    @pydantic.model_validator(mode="after")
    def _steps(self) -> PlanHistory:
        problems = []
        for i, (old, new) in enumerate(
            zip(self.versions, self.versions[1:], strict=False), start=1
        ):
            message = _step_problem(old, new)
            if message is not None:
                problems.append(
                    Problem(message, Location(path=f"versions[{i}]"), code="not-allowed")
                )
        if problems:
            raise ValidationError(problems)
        return self

    @classmethod
    def start(cls, plan: Plan) -> PlanHistory:
        return cls(versions=(plan,))

    @property
    def current(self) -> Plan:
        return self.versions[-1]

    def revise(self, **changes: Any) -> PlanHistory:
        return self._then(self.current.revise(**changes))

    def publish(self, *, at: dt.datetime | None = None) -> PlanHistory:
        return self._then(self.current.publish(at=at))

    def retire(self) -> PlanHistory:
        return self._then(self.current.retire())

    def version(self, number: int) -> Plan:
        """The last state of version ``number`` (a Draft's edits share its number)."""
        found = [p for p in self.versions if p.version == number]
        if not found:
            raise UnknownNameError("version", str(number), [str(p.version) for p in self.versions])
        return found[-1]

    def diff(self, old: int = -2, new: int = -1) -> PlanDiff:
        """The changes between two entries (by position; default the last two)."""
        return self.versions[old].diff(self.versions[new])

    def _then(self, plan: Plan) -> PlanHistory:
        return type(self)(versions=(*self.versions, plan))


def _step_problem(old: Plan, new: Plan) -> str | None:
    if new.id != old.id:
        return f"is plan {new.id!r}, not a version of {old.id!r}"
    if old.status is PlanStatus.RETIRED:
        return "follows a Retired plan, which is final"
    if old.status is PlanStatus.DRAFT:
        if new.version != old.version:
            return "changes the version of a Draft; versions count Live changes"
        return None
    if new.status is PlanStatus.DRAFT:
        return "turns a Live plan back into a Draft"
    if new.status is PlanStatus.RETIRED:
        same = new.model_copy(update={"status": PlanStatus.LIVE}) == old
        return None if same else "retires the plan and changes it at once"
    changed = {c.field for c in old.diff(new).changes} - {"version"}
    if changed - CHANGEABLE_WHEN_LIVE:
        fields = ", ".join(sorted(changed - CHANGEABLE_WHEN_LIVE))
        return f"changes {fields} of a Live plan; only name, assignments and due may change"
    if new.version != old.version + 1:
        return f"is version {new.version}; a change to Live version {old.version} is the next"
    return None


# --- Building a plan item by item ---------------------------------------------------------


@attrs.define(init=False)
class PlanBuilder:
    """Build a plan step by step; :meth:`build` reports every problem at once.

    >>> plan = (PlanBuilder("dept-revenue", "2025-26", "Land records")
    ...         .add("do_1").add("do_2", mandatory=False)
    ...         .assign_designations("Tehsildar", "Naib Tehsildar")
    ...         .lenses("Citizen Centricity").pillar("Individual").apar()
    ...         .due("2026-03-31").build())
    >>> [(i.course, i.mandatory) for i in plan.items]
    [('do_1', True), ('do_2', False)]
    >>> PlanBuilder("o", "2025-26", "x").add("do_1").add("do_1").due("2027-01-01").build()
    Traceback (most recent call last):
    ...
    karmayogi.errors.ValidationError: 3 problems:
      at 'due': is outside the plan year 2025-26 (expected 2025-04-01 to 2026-03-31, got '2027-01-01')
      at 'items[1].course': repeats items[0] (expected each only once, got 'do_1')
      at 'assignments': is empty; the plan is assigned to no one
    """  # noqa: E501

    _fields: dict[str, Any]
    _items: list[dict[str, Any]]
    _assignments: list[dict[str, Any]]

    def __init__(
        self, organisation: str, year: str | FinancialYear, name: str, *, id: str | None = None
    ) -> None:
        plan_id = id or _plan_id(organisation, year, name)
        self._fields = {"id": plan_id, "organisation": organisation, "year": year, "name": name}
        self._items = []
        self._assignments = []

    def add(self, course: str, *, mandatory: bool = True) -> Self:
        """Add a course (by identifier), mandatory unless said otherwise."""
        self._items.append({"course": course, "mandatory": mandatory})
        return self

    def assign_all(self) -> Self:
        """Assign the plan to every user of its organisation (``AllUser``)."""
        self._assignments.append({"type": AssignmentType.ALL_USERS})
        return self

    def assign_designations(self, *designations: str) -> Self:
        """Assign the plan to the holders of these designations (``Designation``)."""
        self._assignments.append({"type": AssignmentType.DESIGNATION, "names": designations})
        return self

    def assign_people(self, *people: str) -> Self:
        """Assign the plan to these people, by identifier (``CustomUser``)."""
        self._assignments.append({"type": AssignmentType.CUSTOM_USERS, "names": people})
        return self

    def due(self, when: str | dt.date) -> Self:
        """Set the due date: a date, ISO text or day-first text (``31/03/2026``)."""
        self._fields["due"] = when
        return self

    def lenses(self, *lenses: str | Lens) -> Self:
        """Set the lenses the plan answers to."""
        self._fields["lenses"] = lenses
        return self

    def pillar(self, pillar: str | Pillar) -> Self:
        """Set the pillar the plan builds."""
        self._fields["pillar"] = pillar
        return self

    def apar(self, counts: bool = True) -> Self:
        """Say whether the plan counts for the APAR (by default, that it does)."""
        self._fields["apar"] = counts
        return self

    def build(
        self, *, catalogue: Catalogue | None = None, people: Iterable[Person] | None = None
    ) -> Plan:
        """The Draft plan, or one :class:`ValidationError` with every problem: its own
        fields and rules, and (given them) the catalogue's and the people's."""
        data = {**self._fields, "items": self._items, "assignments": self._assignments}
        try:
            plan = Plan(**data)
        except ValidationError as exc:
            problems = list(exc.problems)
        else:
            plan.check(catalogue=catalogue, people=people)
            return plan
        # The plan is not whole, so check each part that is, and report it all.
        parts = _valid_parts(data)
        problems += [
            p
            for p in _plan_rules(
                parts.get("year"), parts.get("due"), parts["items"], parts["assignments"]
            )
            if p not in problems
        ]
        problems += _context_problems(
            str(data["organisation"]), parts["items"], parts["assignments"], catalogue, people
        )
        raise ValidationError(_unique_problems(problems))


def _valid_parts(data: Mapping[str, Any]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    with contextlib.suppress(ValueError, TypeError):
        parts["year"] = FinancialYear.parse(data["year"])
    with contextlib.suppress(KeyError, ValueError, TypeError):
        parts["due"] = parse_date(data["due"])
    parts["items"] = _each_valid(PlanItem, data["items"])
    parts["assignments"] = _each_valid(Assignment, data["assignments"])
    return parts


def _each_valid(kind: type[D], entries: Iterable[Mapping[str, Any]]) -> list[D | None]:
    """Each entry validated, or None in its place (so later paths keep their index)."""
    valid: list[D | None] = []
    for entry in entries:
        try:
            valid.append(kind(**entry))
        except ValidationError:
            valid.append(None)  # already reported by the plan's own validation
    return valid


def _unique_problems(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# --- Who must do what by when -------------------------------------------------------------


@attrs.frozen
class Reason:
    """Why a course of a plan applies to a person, or why it does not count."""

    plan: str
    course: str
    due: dt.date
    mandatory: bool
    matched_by: tuple[str, ...]
    """How the plan's assignments name the person: ``AllUser``, ``Designation '...'``,
    ``CustomUser``."""
    counts: bool
    note: str

    def __str__(self) -> str:
        mark = "counts" if self.counts else "does not count"
        return (
            f"{self.course} by {self.due.isoformat()} from plan {self.plan} "
            f"(matched by {', '.join(self.matched_by)}): {mark}; {self.note}"
        )


@attrs.frozen
class DesignationUse:
    """A designation as people write it, how many do, and what it was taken for."""

    match: DesignationMatch
    people: int

    def __str__(self) -> str:
        return f"{self.match} ({self.people:,} {'person' if self.people == 1 else 'people'})"


@attrs.frozen
class Resolution(Tabular):
    """Who must do what by when: one allocation per (person, course), sorted by both.
    A notebook shows the allocations; ``to_pandas()`` or ``to_polars()`` makes them a
    dataframe."""

    allocations: tuple[Allocation, ...]
    _plans: tuple[Plan, ...] = attrs.field(repr=False, eq=False)
    _people: Mapping[str, Person] = attrs.field(repr=False, eq=False)
    matched: Match | None = attrs.field(default=None, repr=False, eq=False)
    """How many of the Live plans reached someone: a plan whose assignments name no
    active person (a misspelt designation, another organisation) allocates nothing."""
    _inactive: int = attrs.field(default=0, repr=False, eq=False, alias="inactive")
    designations: tuple[DesignationUse, ...] = attrs.field(default=(), repr=False, eq=False)
    """Each designation the people write, how many write it, and what it was taken for."""
    _index: DesignationIndex | None = attrs.field(default=None, repr=False, eq=False, alias="index")

    @property
    def designations_spelled_otherwise(self) -> tuple[DesignationUse, ...]:
        """The designations people write that were taken for another way of writing
        one a plan names (abbreviated, reordered, an acronym, an alias)."""
        return tuple(
            u for u in self.designations if u.match.how not in ("exact", "none", "ambiguous")
        )

    @property
    def designations_unplanned(self) -> tuple[DesignationUse, ...]:
        """The designations people write that no plan names, or that fit more than one:
        their holders are reached only by plans for everyone or by name."""
        return tuple(u for u in self.designations if not u.match.matched)

    @property
    def left_out(self) -> dict[str, int]:
        """The plans that allocate nothing because of their status (Draft, Retired) and
        the inactive people the plans would name, by what they are."""
        counts = Counter(
            f"{p.status.value} plans" for p in self._plans if p.status is not PlanStatus.LIVE
        )
        if self._inactive:
            counts["inactive people"] = self._inactive
        return dict(sorted(counts.items()))

    def __len__(self) -> int:
        return len(self.allocations)

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = [f.name for f in attrs.fields(Allocation)]
        return header, [list(attrs.astuple(a)) for a in self.allocations]

    def _html_title(self) -> str:
        return "Allocations"

    def pseudonymised(self, key: bytes | str) -> Resolution:
        """The same allocations with every person replaced by a keyed pseudonym
        (:func:`karmayogi.progress.pseudonym`; the key is not kept), for exports that
        leave the office that may know who is who."""
        from karmayogi._publish import pseudonym

        allocations = sorted(
            (attrs.evolve(a, person=pseudonym(a.person, key)) for a in self.allocations),
            key=lambda a: (a.person, a.course),
        )
        people = {
            pseudonym(person, key): attrs.evolve(p, id=pseudonym(person, key))
            for person, p in self._people.items()
        }
        return Resolution(
            tuple(allocations),
            self._plans,
            people,
            self.matched,
            inactive=self._inactive,
            designations=self.designations,  # counts of people, no one named
            index=self._index,
        )

    def for_person(self, person: str) -> tuple[Allocation, ...]:
        """The allocations of one person."""
        return tuple(a for a in self.allocations if a.person == person)

    def why(self, person: str) -> tuple[Reason, ...]:
        """Every course of every plan that names ``person``, whether it counts, and why.

        >>> base = dict(organisation="o", year="2025-26", due="2026-03-31",
        ...             items=[{"course": "do_1"}], status="Live",
        ...             published_at="2025-04-01T09:00:00+05:30")
        >>> plans = [Plan(id="all", name="All", assignments=[{"type": "AllUser"}], **base),
        ...          Plan(id="so", name="SO", **base | {"due": "2025-12-31"},
        ...               assignments=[{"type": "Designation", "names": ["SO"]}])]
        >>> result = resolve(plans, [Person(id="u1", organisation="o", designation="SO")])
        >>> for reason in result.why("u1"):
        ...     print(reason)
        do_1 by 2026-03-31 from plan all (matched by AllUser): counts; the latest due date wins
        do_1 by 2025-12-31 from plan so (matched by Designation 'SO'): does not count; \
plan all asks for it by 2026-03-31, later
        """
        who = self._people.get(person)
        if who is None:
            raise UnknownNameError("person", person, close_matches(person, self._people))
        counted = {(a.course, a.plan) for a in self.for_person(person)}
        winner = {a.course: a for a in self.for_person(person)}
        named = [
            (plan, matched)
            for plan in self._plans
            if (
                matched := tuple(
                    how
                    for a in plan.assignments
                    if (how := a.matches(who, plan.organisation, self._index))
                )
            )
        ]
        rivals = Counter(
            i.course for plan, _ in named if plan.status is PlanStatus.LIVE for i in plan.items
        )
        reasons = []
        for plan, matched in named:
            for item in plan.items:
                counts = (item.course, plan.id) in counted
                if plan.status is not PlanStatus.LIVE:
                    note = f"the plan is {plan.status.value}; only Live plans count"
                elif not who.active:
                    note = "the person is inactive"
                elif counts and rivals[item.course] == 1:
                    note = "only this plan asks for it"
                elif counts:
                    note = "the latest due date wins"
                else:
                    won = winner[item.course]
                    note = f"plan {won.plan} asks for it by {won.due.isoformat()}, later"
                    if won.due == plan.due:
                        note = f"plan {won.plan} asks for it by the same date and wins the tie"
                    if plan.apar:
                        note += "; it still counts for the APAR"
                reasons.append(
                    Reason(plan.id, item.course, plan.due, item.mandatory, matched, counts, note)
                )
        return tuple(reasons)


def resolve(
    plans: Iterable[Plan],
    people: Iterable[Person],
    *,
    include_inactive: bool = False,
    designations: DesignationIndex | None = None,
) -> Resolution:
    """Who must do what by when, with the platform's rules made exact:

    - only Live plans count;
    - a plan names the holders of a designation however they write it: "Asst. Section
      Officer" holds "Assistant Section Officer" (a :class:`DesignationIndex` of the
      plans' designations, or ``designations``, with a state's aliases or near
      spellings); :attr:`Resolution.designations` says how each was taken;
    - a person named by several assignments of one plan counts once;
    - for the same person and course across plans, the latest due date wins (a tie goes
      to a mandatory item, then to an APAR plan, then to the smaller plan identifier),
      and the allocation is mandatory, and counts for the APAR, if any of those plans
      says so: a later plan never takes an obligation away;
    - inactive people are left out unless ``include_inactive``.

    The result does not depend on the order of ``plans`` or ``people``.
    """
    plans = tuple(sorted(plans, key=lambda p: p.id))
    people = list(people)
    problems = check_unique(people)
    problems += [
        Problem(
            "is given twice",
            Location(path="plans"),
            expected="one version of each plan",
            got=plan_id,
            code="repeated",
        )
        for plan_id, times in sorted(Counter(p.id for p in plans).items())
        if times > 1
    ]
    if problems:
        raise ValidationError(problems)
    everyone = {p.id: p for p in people}
    if designations is None:
        designations = DesignationIndex(
            _designations_named(a for p in plans for a in p.assignments)
        )
    index = _PeopleIndex.of(
        (p for p in everyone.values() if p.active or include_inactive), designations
    )
    best: dict[tuple[str, str], tuple[tuple[int, bool, bool, str], Allocation]] = {}
    flags: dict[tuple[str, str], tuple[bool, bool]] = {}
    reached, missed = 0, []
    for plan in plans:
        if plan.status is not PlanStatus.LIVE:
            continue
        inverse_id = _inverse(plan.id)
        named = index.named_by(plan)
        if named:
            reached += 1
        else:
            missed.append(plan.id)
        for person in named:  # a set: each person once per plan
            for item in plan.items:
                allocation = Allocation(
                    person, item.course, plan.due, plan.id, item.mandatory, plan.apar
                )
                # Larger wins: later due, mandatory, APAR, then the smaller plan id.
                rank = (plan.due.toordinal(), item.mandatory, plan.apar, inverse_id)
                key = (person, item.course)
                if key not in best or rank > best[key][0]:
                    best[key] = (rank, allocation)
                # An obligation is never lost to another plan: mandatory or APAR if any
                # plan that asks for the course says so.
                mandatory, apar = flags.get(key, (False, False))
                flags[key] = (mandatory or item.mandatory, apar or plan.apar)
    allocations = tuple(
        attrs.evolve(a, mandatory=flags[key][0], apar=flags[key][1])
        for key, (_rank, a) in sorted(best.items())
    )
    matched = Match(
        join="the Live plans' assignments among the active people",
        matched=reached,
        total=reached + len(missed),
        unmatched=tuple(missed[:3]),
        hint="do the designations, organisation and user ids name people as the people file does?",
    )
    idle = _PeopleIndex.of(
        (p for p in everyone.values() if not (p.active or include_inactive)), designations
    )
    live = [p for p in plans if p.status is PlanStatus.LIVE]
    inactive = set().union(*(idle.named_by(p) for p in live))
    written = Counter(
        p.designation
        for p in everyone.values()
        if p.designation is not None and (p.active or include_inactive)
    )
    uses = tuple(DesignationUse(designations.match(d), n) for d, n in sorted(written.items()))
    return Resolution(
        allocations,
        plans,
        everyone,
        matched,
        inactive=len(inactive),
        designations=uses,
        index=designations,
    )


def _designations_named(assignments: Iterable[Assignment]) -> Iterator[str]:
    for assignment in assignments:
        if assignment.type is AssignmentType.DESIGNATION:
            yield from assignment.names


def _inverse(text: str) -> str:
    """A key under which a smaller text ranks higher (for "smallest wins" in a max)."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text) + "\U0010ffff"


@attrs.frozen
class _PeopleIndex:
    """The people by organisation and by id, to find whom a plan names without asking
    every person: :meth:`Assignment.matches` (the one rule, which ``why()`` and the plan
    check use too) is asked only of the people of the plan's organisation and those it
    names by id."""

    by_org: Mapping[str, tuple[Person, ...]]
    by_id: Mapping[str, Person]
    designations: DesignationIndex

    @classmethod
    def of(cls, people: Iterable[Person], designations: DesignationIndex) -> _PeopleIndex:
        by_org: dict[str, list[Person]] = {}
        by_id: dict[str, Person] = {}
        for p in people:
            by_id[p.id] = p
            by_org.setdefault(p.organisation, []).append(p)
        return cls({k: tuple(v) for k, v in by_org.items()}, by_id, designations)

    def named_by(self, plan: Plan) -> set[str]:
        """The ids of the people the plan's assignments name."""
        named_by_id = [
            self.by_id[name]
            for a in plan.assignments
            if a.type is AssignmentType.CUSTOM_USERS
            for name in a.names
            if name in self.by_id
        ]
        candidates = (*self.by_org.get(plan.organisation, ()), *named_by_id)
        return {
            person.id
            for person in candidates
            if any(
                a.matches(person, plan.organisation, self.designations) is not None
                for a in plan.assignments
            )
        }


def write_allocations_csv(allocations: Iterable[Allocation] | Resolution, target: Source) -> None:
    """Write allocations as CSV: ``Person, Course, Due Date, Plan, Mandatory, APAR``."""
    rows = allocations.allocations if isinstance(allocations, Resolution) else allocations
    with opened(target, "w") as (_file, handle):
        out = safe_writer(handle)
        out.writerow(["Person", "Course", "Due Date", "Plan", "Mandatory", "APAR"])
        for a in rows:
            out.writerow(
                [
                    a.person,
                    a.course,
                    a.due.isoformat(),
                    a.plan,
                    "Yes" if a.mandatory else "No",
                    "Yes" if a.apar else "No",
                ]
            )


ALLOCATION_COLUMNS = {
    "person": ("Person",),
    "course": ("Course",),
    "due": ("Due Date",),
    "plan": ("Plan",),
    "mandatory": ("Mandatory",),
    "apar": ("APAR",),
}


def read_allocations_csv(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[Allocation, ...]:
    """Allocations as :func:`write_allocations_csv` writes them; every bad row at once.

    >>> import io
    >>> read_allocations_csv(io.StringIO(
    ...     "Person,Course,Due Date,Plan,Mandatory,APAR\\nu1,do_1,2026-03-31,p,Yes,No\\n"))
    (Allocation(person='u1', course='do_1', due=datetime.date(2026, 3, 31), plan='p', \
mandatory=True, apar=False),)
    """
    table = read_table(source, ALLOCATION_COLUMNS, ("person", "course", "due"), limits)
    problems: list[Problem] = []
    allocations = []
    flags = {**YES_NO, "": False}
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        values["person"] = identity(values["person"])
        before = len(problems)
        for column in ("person", "course"):
            if not values[column]:
                problems.append(Problem("is blank", table.where(row, column), code="blank"))
        due = None
        try:
            due = parse_date(values["due"])
        except ValueError as exc:
            problems.append(
                Problem(str(exc), table.where(row, "due"), got=values["due"], code="malformed")
            )
        for column in ("mandatory", "apar"):
            if values.get(column, "").casefold() not in flags:
                problems.append(
                    Problem(
                        "is not Yes or No",
                        table.where(row, column),
                        got=values[column],
                        code="malformed",
                    )
                )
        if len(problems) == before and due is not None:
            allocations.append(
                Allocation(
                    person=values["person"],
                    course=values["course"],
                    due=due,
                    plan=values.get("plan", ""),
                    mandatory=flags[values.get("mandatory", "yes").casefold() or "yes"],
                    apar=flags[values.get("apar", "").casefold()],
                )
            )
    if problems:
        raise ValidationError(problems)
    return tuple(allocations)


# --- Building plans from role requirements ------------------------------------------------


@attrs.frozen
class Selection:
    """The courses chosen for one designation, and which gaps each closes."""

    designation: str
    plan: str
    courses: tuple[str, ...]
    hours: float
    closes: Mapping[str, tuple[str, ...]]
    """Competency -> the chosen courses that close its gap."""
    optimal: bool
    """False only when the search hit its limit; the choice is then the best found."""


@attrs.frozen
class Unclosed:
    """A gap that the built plan does not close, and why."""

    designation: str
    competency: str
    required: ProficiencyLevel
    mandatory: bool
    reason: str


@attrs.frozen
class BuildResult:
    """Plans built from role requirements, with what they leave open."""

    plans: tuple[Plan, ...]
    selections: tuple[Selection, ...]
    unclosed: tuple[Unclosed, ...]
    findings: tuple[Finding, ...]


def build_plans(
    positions: Iterable[Position],
    people: Iterable[Person],
    catalogue: Catalogue,
    *,
    organisation: str | None = None,
    year: str | FinancialYear,
    due: str | dt.date | None = None,
    profiles: Mapping[str, CompetencyProfile] | None = None,
    hours_cap: float | None = None,
    on: dt.date | None = None,
    apar: bool = False,
    lenses: Sequence[str | Lens] = (),
    designations: DesignationIndex | None = None,
) -> BuildResult:
    """One Draft plan per position that someone of its organisation holds: the courses
    that close its competency gaps at the required level at the least total hours.

    With ``organisation``, only the positions of that organisation (and those that name
    none) are built; an organisation that no person or position belongs to is an
    :class:`~karmayogi.errors.UnknownNameError` with close matches. Without it, each
    position is built for its own organisation. Every plan gets its own identifier
    (organisation, year and position); two positions that would share one are refused.

    A designation's gaps are its requirements that some holder falls short of (given
    ``profiles``, by person id, on ``on``), or all its requirements. Mandatory gaps
    come first; under ``hours_cap`` (hours per person per year) the choice closes the
    most mandatory gaps, then the most gaps, then takes the least hours. Every gap left
    open is reported with the reason: no course builds it to the level, or the cap.
    A position's holders are the people whose designation is its name however written
    (a :class:`~karmayogi.designations.DesignationIndex` of the positions' names, or
    ``designations``). The result does not depend on the order of the inputs.
    """
    fy = FinancialYear.parse(year)
    due_date = parse_date(due) if due is not None else fy.end
    people = list(people)
    work = _positions_by_organisation(list(positions), people, organisation)
    if designations is None:
        designations = DesignationIndex(position.name for _org, position in work)
    holds = designations.key
    budget = round(hours_cap * 3600) if hours_cap is not None else None
    plans, selections, unclosed, findings = [], [], [], []
    for org, position in work:
        staff = [p for p in people if p.organisation == org and p.active]
        holders = [
            p for p in staff if p.designation and holds(p.designation) == holds(position.name)
        ]
        if not holders:
            findings.append(
                Finding(
                    "no-holders",
                    f"no active person of {org!r} holds {position.name!r}; no plan is built for it",
                    Location(path=f"position {position.id}"),
                )
            )
            continue
        needs = _needs(position, holders, profiles, on)
        options = [
            Option(
                c.id,
                round(c.duration.total_seconds()),
                frozenset(n for n, r in needs.items() if c.builds(n, r.level)),
            )
            for c in catalogue.courses
        ]
        cover = choose({n: r.mandatory for n, r in needs.items()}, options, budget=budget)
        plan_id = _plan_id(org, fy, position.id)
        chosen = [catalogue.get(c) for c in cover.chosen]
        closes = {
            n: tuple(c.id for c in chosen if c.builds(n, r.level))
            for n, r in sorted(needs.items())
            if n in cover.covered
        }
        selections.append(
            Selection(
                position.name, plan_id, cover.chosen, cover.cost / 3600, closes, cover.optimal
            )
        )
        for n, r in sorted(needs.items()):
            if n in cover.covered:
                continue
            reason = (
                f"over the cap of {hours_cap:g} hours per person"
                if catalogue.for_competency(n, r.level)
                else f"no course in the catalogue builds it to level {int(r.level)}"
            )
            unclosed.append(Unclosed(position.name, n, r.level, r.mandatory, reason))
        if not chosen:
            continue
        plans.append(
            Plan(
                id=plan_id,
                organisation=org,
                year=fy,
                name=f"Annual CBP {fy}: {position.name}",
                items=[
                    {
                        "course": c.id,
                        "mandatory": any(
                            needs[n].mandatory
                            for n in needs
                            if n in cover.covered and c.builds(n, needs[n].level)
                        ),
                    }
                    for c in chosen
                ],
                assignments=[{"type": AssignmentType.DESIGNATION, "names": [position.name]}],
                due=due_date,
                lenses=tuple(lenses),
                pillar=Pillar.INDIVIDUAL,
                apar=apar,
            )
        )
    covered = {(org, holds(position.name)) for org, position in work}
    built_for = {org for org, _position in work}
    without = sorted(
        {
            (p.organisation, p.designation or "(none)")
            for p in people
            if p.active
            and p.organisation in built_for
            and (p.designation is None or (p.organisation, holds(p.designation)) not in covered)
        }
    )
    findings += [
        Finding(
            "no-role-profile",
            f"people of {org!r} holding {d!r} have no role profile; no plan is built for them",
            Location(path="people"),
        )
        for org, d in without
    ]
    return BuildResult(tuple(plans), tuple(selections), tuple(unclosed), tuple(findings))


def _positions_by_organisation(
    positions: list[Position], people: list[Person], organisation: str | None
) -> list[tuple[str, Position]]:
    """Each position to build with the organisation it is built for, sorted; an unknown
    organisation, a position with none, or two positions making one plan id, refused."""
    if organisation is not None:
        known = {p.organisation for p in people} | {
            p.organisation for p in positions if p.organisation is not None
        }
        if organisation not in known:
            raise UnknownNameError(
                "organisation", organisation, close_matches(organisation, sorted(known))
            )
    work: list[tuple[str, Position]] = []
    problems = []
    for i, position in enumerate(positions):
        org = position.organisation or organisation
        if org is None:
            problems.append(
                Problem(
                    "names no organisation, and none was given to build for",
                    Location(path=f"positions[{i}].organisation"),
                    expected="the position's organisation, or organisation=",
                    code="blank",
                )
            )
        elif organisation is None or org == organisation:
            work.append((org, position))
    work.sort(key=lambda pair: (pair[0], name_key(pair[1].name), pair[1].id))
    ids = Counter(slug(f"{org}-{position.id}").lower() for org, position in work)
    problems += [
        Problem(
            "would be built twice: two positions share an organisation and an id",
            Location(path="positions"),
            expected="each position of an organisation once",
            got=key,
            code="repeated",
        )
        for key, times in sorted(ids.items())
        if times > 1
    ]
    if problems:
        raise ValidationError(problems)
    return work


def _needs(
    position: Position,
    holders: Sequence[Person],
    profiles: Mapping[str, CompetencyProfile] | None,
    on: dt.date | None,
) -> dict[str, Requirement]:
    requirements = {r.competency: r for r in position.requirements()}
    if profiles is None:
        return requirements
    short: set[str] = set()
    for person in holders:
        profile = profiles.get(person.id, CompetencyProfile(person=person.id))
        short |= {gap.competency for gap in find_gaps(profile, position, on=on)}
    return {c: r for c, r in requirements.items() if c in short}


__dir__ = presented(__name__, globals(), __all__)
