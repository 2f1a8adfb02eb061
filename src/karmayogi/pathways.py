"""A learning pathway for one person: the courses, in order, that close the gaps
between what they hold and what their position requires, at the least hours.

The pathway counts what is already there: courses the person completed (in a
:class:`~karmayogi.progress.Ledger`) become ``course-completion`` holdings of what they
build, and courses a plan already allocated them are steps of the pathway, not repeated.
The rest of the gaps are closed by the fewest hours the catalogue allows, within an
optional budget, with each course's prerequisites first; each step says why it is
there, and each gap left open says why.

>>> import datetime as dt
>>> from karmayogi.cbp import Catalogue, Course
>>> from karmayogi.competency import CompetencyProfile, Requirement
>>> catalogue = Catalogue(courses=[
...     Course(id="do_1", name="Noting and drafting", duration="00:45:00",
...            competencies=[{"competency": "KCM-B04-01", "level": 3}]),
...     Course(id="do_2", name="Noting, a first course", duration="00:30:00",
...            competencies=[{"competency": "KCM-B04-01", "level": 1}]),
... ])
>>> me = CompetencyProfile(person="u1")
>>> path = pathway(me, [Requirement(competency="KCM-B04-01", level="Advanced")],
...                catalogue, on=dt.date(2025, 6, 1))
>>> for step in path.steps:
...     print(step)
do_1 Noting and drafting: closes KCM-B04-01 from none to Advanced; 45 min
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from karmayogi._api import presented
from karmayogi._cover import Option, choose
from karmayogi._html import Tabular
from karmayogi._joins import join_courses
from karmayogi.competency import (
    CompetencyProfile,
    EvidenceSource,
    Gap,
    Holding,
    Position,
    ProficiencyLevel,
    Requirement,
    Role,
    find_gaps,
)
from karmayogi.errors import Match
from karmayogi.periods import IST, parse_date, today_in_india
from karmayogi.progress import Status

if TYPE_CHECKING:
    from karmayogi.cbp import Allocation, Catalogue, Course
    from karmayogi.progress import Ledger

__all__ = ["Closing", "OpenGap", "Pathway", "Step", "completed_holdings", "pathway"]


@attrs.frozen
class Closing:
    """A gap a step closes: the competency, from the level held to the level
    required."""

    competency: str
    held: ProficiencyLevel | None
    required: ProficiencyLevel
    mandatory: bool

    def __str__(self) -> str:
        held = self.held.label if self.held is not None else "none"
        return f"{self.competency} from {held} to {self.required.label}"


@attrs.frozen
class Step:
    """One course of a pathway, and why it is there."""

    course: str
    name: str
    hours: float
    closes: tuple[Closing, ...]
    """The gaps this course closes (it builds each competency to the level required)."""
    needed_before: tuple[str, ...] = ()
    """The courses of the pathway this one is a prerequisite of."""
    allocated_by: str | None = None
    """The plan that already allocates this course to the person, if one does."""
    due: dt.date | None = None
    """When to have done it: the plan's due date for an allocated course; else the
    pathway's due date shared out over the steps by their hours."""

    @property
    def mandatory(self) -> bool:
        """Whether the step closes a mandatory gap."""
        return any(closing.mandatory for closing in self.closes)

    @property
    def reason(self) -> str:
        """Why the step is there, as a sentence: what it closes, what it comes before,
        which plan allocates it, and how long it takes."""
        parts = []
        if self.allocated_by is not None:
            parts.append(f"allocated by plan {self.allocated_by}")
        if self.closes:
            parts.append("closes " + ", ".join(map(str, self.closes)))
        if self.needed_before:
            parts.append("needed before " + ", ".join(self.needed_before))
        return "; ".join([*parts, _minutes(self.hours)])

    def __str__(self) -> str:
        return f"{self.course} {self.name}: {self.reason}"


@attrs.frozen
class OpenGap:
    """A gap the pathway leaves open, and why."""

    competency: str
    held: ProficiencyLevel | None
    required: ProficiencyLevel
    mandatory: bool
    reason: str

    def __str__(self) -> str:
        held = self.held.label if self.held is not None else "none"
        return f"{self.competency} ({held} of {self.required.label}): {self.reason}"


@attrs.frozen
class Pathway(Tabular):
    """The courses for one person, in the order to take them. A notebook shows the
    steps; ``to_pandas()`` or ``to_polars()`` makes them a dataframe."""

    person: str
    steps: tuple[Step, ...]
    open: tuple[OpenGap, ...]
    """The gaps no step closes, each with the reason."""
    completed: tuple[str, ...]
    """The courses of the catalogue the person completed, counted as holdings."""
    optimal: bool
    """False only when the search hit its limit; the choice is then the best found."""
    matches: tuple[Match, ...] = ()
    """How the person's completions and allocations met the catalogue."""

    @property
    def hours(self) -> float:
        """The hours of every step, allocated ones included."""
        return sum(step.hours for step in self.steps)

    @property
    def courses(self) -> tuple[str, ...]:
        return tuple(step.course for step in self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        courses = f"{len(self.steps)} course{'' if len(self.steps) == 1 else 's'}"
        lines = [f"Pathway for {self.person}: {courses}, {_minutes(self.hours)}"]
        lines += [f"{n}. {step}" for n, step in enumerate(self.steps, start=1)]
        lines += [f"open: {gap}" for gap in self.open]
        lines += [str(match) for match in self.matches if match.total]
        return "\n".join(lines)

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = ["step", "course", "name", "hours", "due", "mandatory", "allocated_by", "reason"]
        rows = [
            [n, s.course, s.name, s.hours, s.due, s.mandatory, s.allocated_by, s.reason]
            for n, s in enumerate(self.steps, start=1)
        ]
        return header, rows

    def _html_title(self) -> str:
        return f"Pathway for {self.person}"

    def _html_notes(self) -> list[str]:
        return [f"open: {gap}" for gap in self.open] + [
            str(match) for match in self.matches if match.total
        ]


def completed_holdings(
    ledger: Ledger, catalogue: Catalogue, person: str, *, on: dt.date | None = None
) -> tuple[tuple[Holding, ...], Match]:
    """The ``course-completion`` holdings that ``person``'s completions in ``ledger``
    give (on ``on``, default today in India): each competency a completed course of
    ``catalogue`` builds, at the level it builds it, from the day it was completed.
    The match says how many of the completions the catalogue knows (by id, or title)."""
    done, match = _completed(ledger, catalogue, person, on if on is not None else today_in_india())
    holdings = tuple(
        Holding(
            competency=built.competency,
            level=built.level,
            source=EvidenceSource.COURSE_COMPLETION,
            attained_on=when,
            evidence=course_id,
        )
        for course_id, when in sorted(done.items())
        for built in catalogue.get(course_id).competencies
    )
    return holdings, match


def _completed(
    ledger: Ledger, catalogue: Catalogue, person: str, day: dt.date
) -> tuple[dict[str, dt.date], Match]:
    """The catalogue's courses ``person`` completed by ``day``, each with the day it was
    first completed, and how the completions met the catalogue."""
    done: dict[str, dt.date] = {}
    for record in ledger.entries_of(person):
        if record.status is not Status.COMPLETED:
            continue
        # A completion without a time (some exports leave it blank) counts from ``day``.
        when = record.completed_at.astimezone(IST).date() if record.completed_at else day
        if when <= day:
            done[record.course] = min(when, done.get(record.course, when))
    found, match = join_courses(
        done,
        (c.id for c in catalogue.courses),
        catalogue=catalogue,
        join=f"{person}'s completions in the catalogue",
    )
    by_course: dict[str, dt.date] = {}
    for written, course_id in found.items():
        by_course[course_id] = min(done[written], by_course.get(course_id, done[written]))
    return by_course, match


def pathway(
    profile: CompetencyProfile,
    needs: Role | Position | Iterable[Requirement],
    catalogue: Catalogue,
    *,
    ledger: Ledger | None = None,
    allocations: Iterable[Allocation] = (),
    hours: float | None = None,
    due: dt.date | str | None = None,
    on: dt.date | None = None,
) -> Pathway:
    """The pathway that closes ``profile``'s gaps against ``needs`` from ``catalogue``.

    - Completions of the person in ``ledger`` count as holdings
      (:func:`completed_holdings`), and those courses are not offered again.
    - Courses the person's ``allocations`` already name are steps, and what they close
      is not closed twice.
    - The other gaps are closed at the least hours, mandatory gaps first: under
      ``hours`` (a budget for the whole pathway, allocated courses included) the choice
      closes the most mandatory gaps, then the most gaps, then takes the least hours.
      A course comes with its prerequisites not yet done, and its hours with theirs.
    - Steps are ordered so that prerequisites, and a course building a competency to a
      lower level, come first; then mandatory steps, then by due date and course.
      With ``due``, each new step is given a date, the time to ``due`` shared out by
      hours.

    Each join (completions and allocations with the catalogue) is in
    :attr:`Pathway.matches`; one where nothing met raises
    :class:`~karmayogi.errors.NoMatchError`. The result does not depend on the order of
    the inputs.
    """
    day = on if on is not None else today_in_india()
    person = profile.person
    matches: list[Match] = []
    completed: set[str] = set()
    if ledger is not None:
        earned, match = completed_holdings(ledger, catalogue, person, on=day)
        matches.append(match.check())
        completed = set(_completed(ledger, catalogue, person, day)[0])
        profile = profile.model_copy(update={"holdings": profile.holdings + earned})
    gaps = find_gaps(profile, needs, on=day)
    planned = _allocated(allocations, catalogue, person, completed, matches)

    def closes(course: Course) -> tuple[Closing, ...]:
        return tuple(
            Closing(g.competency, g.held, g.required, g.mandatory)
            for g in gaps
            if course.builds(g.competency, g.required)
        )

    closed_by_plan = {
        closing.competency for course_id in planned for closing in closes(catalogue.get(course_id))
    }
    remaining = [g for g in gaps if g.competency not in closed_by_plan]
    taken = completed | planned.keys()
    bundles = {
        course.id: (*(p for p in catalogue.before(course.id) if p not in taken), course.id)
        for course in catalogue.courses
        if course.id not in taken
    }

    def seconds(course_ids: Iterable[str]) -> int:
        return sum(round(catalogue.get(c).duration.total_seconds()) for c in course_ids)

    options = [
        Option(
            key,
            seconds(bundle),
            frozenset(
                g.competency
                for g in remaining
                if any(catalogue.get(c).builds(g.competency, g.required) for c in bundle)
            ),
        )
        for key, bundle in bundles.items()
    ]
    budget = None
    if hours is not None:
        budget = max(0, round(hours * 3600) - seconds(planned))
    cover = choose({g.competency: g.mandatory for g in remaining}, options, budget=budget)
    chosen = {course_id for key in cover.chosen for course_id in bundles[key]}
    steps = [
        Step(
            course.id,
            course.name,
            course.hours,
            closes(course),
            allocated_by=planned.get(course.id, (None, None))[0],
            due=planned.get(course.id, (None, None))[1],
        )
        for course in catalogue.courses
        if course.id in chosen or course.id in planned
    ]
    ordered = _in_order(steps, catalogue)
    if due is not None:
        ordered = _dated(ordered, day, parse_date(due))
    closed = {c.competency for step in ordered for c in step.closes}
    left = tuple(
        OpenGap(g.competency, g.held, g.required, g.mandatory, _why_open(g, catalogue, hours))
        for g in gaps
        if g.competency not in closed
    )
    return Pathway(
        person=person,
        steps=tuple(ordered),
        open=left,
        completed=tuple(sorted(completed)),
        optimal=cover.optimal,
        matches=tuple(matches),
    )


def _allocated(
    allocations: Iterable[Allocation],
    catalogue: Catalogue,
    person: str,
    completed: set[str],
    matches: list[Match],
) -> dict[str, tuple[str, dt.date]]:
    """The person's allocated courses not yet done, by catalogue id: the plan that
    allocates each, and when it is due (the earliest, if several plans do)."""
    mine = [a for a in allocations if a.person == person]
    found, match = join_courses(
        {a.course for a in mine},
        (c.id for c in catalogue.courses),
        catalogue=catalogue,
        join=f"{person}'s allocations in the catalogue",
    )
    matches.append(match.check())
    planned: dict[str, tuple[str, dt.date]] = {}
    for allocation in sorted(mine, key=lambda a: (a.due, a.plan, a.course)):
        course_id = found.get(allocation.course)
        if course_id is not None and course_id not in completed:
            planned.setdefault(course_id, (allocation.plan, allocation.due))
    return planned


def _in_order(steps: Sequence[Step], catalogue: Catalogue) -> list[Step]:
    """Prerequisites first, and for a competency the course building it to a lower level
    first (unless that would go round in a circle); otherwise mandatory steps (and what
    they need first) first, then by due date and course."""
    by_id = {step.course: step for step in steps}
    after = {
        s.course: {p for p in catalogue.get(s.course).prerequisites if p in by_id} for s in steps
    }
    built = sorted(
        (b.competency, b.level, step.course)
        for step in steps
        for b in catalogue.get(step.course).competencies
    )
    for competency, level, lower in built:
        for other_competency, other_level, higher in built:
            if (other_competency, lower) == (competency, higher) or other_competency != competency:
                continue
            if other_level > level and not _comes_after(after, lower, higher):
                after[higher].add(lower)
    needed_before = {
        step.course: tuple(c for c in sorted(by_id) if step.course in catalogue.before(c))
        for step in steps
    }

    def urgent(step: Step) -> bool:  # mandatory, or needed before a mandatory step
        return step.mandatory or any(by_id[c].mandatory for c in needed_before[step.course])

    order: list[Step] = []
    while after:
        ready = [by_id[c] for c, waits in after.items() if not waits]
        first = min(ready, key=lambda s: (not urgent(s), s.due or dt.date.max, s.course))
        order.append(attrs.evolve(first, needed_before=needed_before[first.course]))
        del after[first.course]
        for waits in after.values():
            waits.discard(first.course)
    return order


def _comes_after(after: dict[str, set[str]], course: str, other: str) -> bool:
    """Whether ``course`` already has to come after ``other``, at some remove."""
    seen, stack = set(), [course]
    while stack:
        current = stack.pop()
        if current == other:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(after[current])
    return False


def _dated(steps: list[Step], start: dt.date, due: dt.date) -> list[Step]:
    """Each step not allocated by a plan gets a date: the days from ``start`` to ``due``
    shared out over the steps in order, by their hours."""
    total = sum(step.hours for step in steps) or 1.0
    days = max((due - start).days, 0)
    dated, done = [], 0.0
    for step in steps:
        done += step.hours
        by = start + dt.timedelta(days=math.ceil(days * done / total))
        dated.append(step if step.allocated_by is not None else attrs.evolve(step, due=by))
    return dated


def _why_open(gap: Gap, catalogue: Catalogue, hours: float | None) -> str:
    if not catalogue.for_competency(gap.competency, gap.required):
        return f"no course in the catalogue builds it to level {int(gap.required)}"
    return f"over the budget of {hours:g} hours" if hours is not None else "not chosen"


def _minutes(hours: float) -> str:
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes % 60 else f"{minutes // 60} h"


__dir__ = presented(__name__, globals(), __all__)
