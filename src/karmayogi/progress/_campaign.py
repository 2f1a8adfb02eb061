"""Campaigns and Karma points: a learning week (a window, per-organisation overrides, a
threshold of hours) counted over the organisation tree, and the platform's Karma points
credited per person and rolled up, each credit explainable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs
import pydantic

from karmayogi._document import Document, Identifier, Name
from karmayogi._figures import hours_text, indian_number
from karmayogi._render import Rendered
from karmayogi.errors import Match
from karmayogi.periods import IST
from karmayogi.progress._records import Enrolment
from karmayogi.progress._rules import CountingPolicy

__all__ = [
    "Campaign",
    "CampaignRow",
    "CampaignTable",
    "KarmaCredit",
    "KarmaRules",
    "KarmaTable",
    "Window",
    "campaign_rows",
    "karma_credits",
]


class Window(Document):
    """The days of a campaign, both whole days in India."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, start: dt.date | str, end: dt.date | str) -> None: ...

    start: dt.date
    end: dt.date

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"a window ends on or after it starts: {self.start} to {self.end}")
        return self

    def holds(self, when: dt.datetime | None) -> bool:
        return when is not None and self.start <= when.astimezone(IST).date() <= self.end


class Campaign(Document):
    """A learning week (Karmayogi Saptah, a state's own): its days, the hours a person
    needs to count as a learner, and the organisations that run it on other days.

    >>> week = Campaign(name="Karmayogi Saptah", start="2024-10-19", end="2024-10-27",
    ...                 overrides={"CG/Revenue": {"start": "2024-10-21", "end": "2024-10-29"}})
    >>> week.window_of(("CG", "CG/Revenue", "CG/Revenue/Raipur")).start
    datetime.date(2024, 10, 21)
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            name: str,
            start: dt.date | str,
            end: dt.date | str,
            hours: float = ...,
            overrides: Mapping[str, Window | Mapping[str, Any]] = ...,
        ) -> None: ...

    name: Name
    start: dt.date
    end: dt.date
    hours: float = pydantic.Field(default=4.0, gt=0, le=1000)
    """The learning hours (from completions in the window, under the counting policy) that
    make a person one of the campaign's learners: the platform's "4+ hours"."""
    overrides: dict[Identifier, Window] = pydantic.Field(default_factory=dict)
    """Units (ids of the organisation tree) that run the campaign on other days; a unit's
    people follow the nearest unit above them that has one."""

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> Campaign:
        Window(start=self.start, end=self.end)  # the same rule, said the same way
        return self

    @property
    def window(self) -> Window:
        return Window(start=self.start, end=self.end)

    def window_of(self, path: Iterable[str]) -> Window:
        """The window of the unit at the end of ``path`` (the units from the root down)."""
        for unit in reversed(tuple(path)):
            if unit in self.overrides:
                return self.overrides[unit]
        return self.window


@attrs.frozen(kw_only=True)
class CampaignRow:
    """A unit (with its descendants) in a campaign: the people with at least the
    campaign's hours, and the enrolments, completions and learning hours in its window."""

    unit: str
    name: str
    learners: int
    enrolments: int
    completions: int
    learning_hours: float


@attrs.frozen(kw_only=True)
class CampaignTable(Rendered):
    """A campaign counted for every unit, with the policy that decided the hours."""

    campaign: Campaign
    policy: CountingPolicy
    rows: tuple[CampaignRow, ...]

    def row(self, unit: str) -> CampaignRow:
        return next(r for r in self.rows if r.unit == unit)

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = ["unit", "name", "learners", "enrolments", "completions", "learning_hours"]
        return header, [[getattr(r, c) for c in header] for r in self.rows]

    def _html_title(self) -> str:
        return f"{self.campaign.name}, {self.campaign.start} to {self.campaign.end}"

    def to_dict(self) -> dict[str, object]:
        return {
            "campaign": self.campaign.model_dump(mode="json"),
            "policy": self.policy.to_dict(),
            "rows": [attrs.asdict(r) for r in self.rows],
        }

    def __str__(self) -> str:
        week = self.campaign
        lines = [
            f"{week.name}: {week.start:%d/%m/%Y} to {week.end:%d/%m/%Y}"
            + (f", {_units(len(week.overrides))} on other days" if week.overrides else "")
            + f"; learners: people with {week.hours:g}+ learning hours in it ({self.policy.name})"
        ]
        for r in self.rows:
            n = indian_number
            lines.append(
                f"  {r.name}: {n(r.learners)} learners, {n(r.enrolments)} enrolments, "
                f"{n(r.completions)} completions, {hours_text(r.learning_hours)} hours"
            )
        return "\n".join(lines)


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def campaign_rows(
    campaign: Campaign,
    entries: Iterable[Enrolment],
    *,
    paths: Mapping[str, tuple[str, ...]],
    unit_on: Callable[[str, dt.date | None], str | None],
    names: Mapping[str, str],
    policy: CountingPolicy,
) -> tuple[CampaignRow, ...]:
    """Each unit's campaign numbers from the ledger's entries of placed people: each
    enrolment and completion in the window of the unit where it counts (``unit_on`` its
    day), and a unit's learners the people with the hours within it."""
    per_unit: dict[str, list[float]] = {unit: [0, 0, 0, 0.0] for unit in paths}
    seconds: dict[tuple[str, str], int] = {}
    for entry in entries:
        for when, slot, done in ((entry.enrolled_at, 1, False), (entry.completed_at, 2, True)):
            unit = None if when is None else unit_on(entry.person, when.date())
            if unit is None or not campaign.window_of(paths[unit]).holds(when):
                continue
            hours = done and policy.counts_hours(entry)
            for ancestor in paths[unit]:
                per_unit[ancestor][slot] += 1
                if hours:
                    per_unit[ancestor][3] += (entry.duration or 0) / 3600
                    key = (entry.person, ancestor)
                    seconds[key] = seconds.get(key, 0) + (entry.duration or 0)
    for (_person, unit), total in seconds.items():
        if total >= campaign.hours * 3600:
            per_unit[unit][0] += 1
    return tuple(
        CampaignRow(
            unit=unit,
            name=names[unit],
            learners=int(c[0]),
            enrolments=int(c[1]),
            completions=int(c[2]),
            learning_hours=round(c[3], 2),
        )
        for unit, c in per_unit.items()
    )


# --- Karma points -----------------------------------------------------------------------------

Operation = Literal["FIRST_LOGIN", "FIRST_ENROLMENT", "COURSE_COMPLETION", "ACBP_BONUS", "RATING"]


@attrs.frozen(kw_only=True)
class KarmaRules:
    """The platform's Karma points (DOMAIN.md; the monthly job KB-iGOT/cb-core-data
    ``jobs/stage-2/karmaPoints.py``): first login 5, first enrolment 5, a course completed
    5, or 10 where it has an assessment, credited for the first 4 completions of a month
    that are not plan courses (plan courses are not capped), a plan course's bonus 5, a
    rating 2."""

    first_login: int = 5
    first_enrolment: int = 5
    completion: int = 5
    completion_with_assessment: int = 10
    completions_a_month: int = 4
    plan_bonus: int = 5
    rating: int = 2

    PLATFORM: ClassVar[KarmaRules]


KarmaRules.PLATFORM = KarmaRules()


@attrs.frozen
class KarmaCredit:
    """One credit of Karma points: to whom, for what, when, and how many (0 for a
    completion past the month's cap, so that it is seen, not lost)."""

    person: str
    operation: Operation
    when: dt.datetime
    points: int
    course: str | None = None
    note: str = ""


@attrs.frozen(kw_only=True)
class KarmaTable:
    """Karma points per person and per unit (with its descendants), and every credit."""

    rules: KarmaRules
    people: Mapping[str, int]
    units: Mapping[str, int]
    credits: tuple[KarmaCredit, ...]
    not_counted: tuple[str, ...] = ()
    """What the inputs could not credit, said (no logins given, say)."""
    matched: tuple[Match, ...] = ()
    """How the plan courses and the assessed courses met the records' courses."""

    def explain(self, person: str) -> tuple[KarmaCredit, ...]:
        """The person's credits, in order."""
        return tuple(c for c in self.credits if c.person == person)


def karma_credits(
    entries: Iterable[Enrolment],
    *,
    rules: KarmaRules,
    plan_courses: set[tuple[str, str]],
    assessed: set[str],
    ratings: Iterable[tuple[str, str, dt.datetime]],
    logins: Mapping[str, dt.datetime] | None,
) -> list[KarmaCredit]:
    """Every credit the rules give, in order of person and time."""
    credits: list[KarmaCredit] = []
    by_person: dict[str, list[Enrolment]] = {}
    for entry in entries:
        by_person.setdefault(entry.person, []).append(entry)
    for person, own in sorted(by_person.items()):
        if logins and person in logins:
            credits.append(KarmaCredit(person, "FIRST_LOGIN", logins[person], rules.first_login))
        enrolled = [e.enrolled_at for e in own if e.enrolled_at is not None]
        if enrolled:
            credits.append(
                KarmaCredit(person, "FIRST_ENROLMENT", min(enrolled), rules.first_enrolment)
            )
        done = sorted((e.completed_at, e.course) for e in own if e.completed_at is not None)
        taken: dict[tuple[int, int], int] = {}
        for when, course in done:
            points = rules.completion_with_assessment if course in assessed else rules.completion
            if (person, course) in plan_courses:
                credits.append(KarmaCredit(person, "COURSE_COMPLETION", when, points, course))
                credits.append(KarmaCredit(person, "ACBP_BONUS", when, rules.plan_bonus, course))
                continue
            month = (when.astimezone(IST).year, when.astimezone(IST).month)
            taken[month] = taken.get(month, 0) + 1
            if taken[month] > rules.completions_a_month:
                note = f"past the {rules.completions_a_month} completions a month that earn points"
                credits.append(KarmaCredit(person, "COURSE_COMPLETION", when, 0, course, note))
            else:
                credits.append(KarmaCredit(person, "COURSE_COMPLETION", when, points, course))
    seen: set[tuple[str, str]] = set()
    for person, course, when in sorted(ratings):
        if person in by_person and (person, course) not in seen:
            seen.add((person, course))
            credits.append(KarmaCredit(person, "RATING", when, rules.rating, course))
    return sorted(credits, key=lambda c: (c.person, c.when, c.operation))
