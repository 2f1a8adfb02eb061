"""Reconciliation: the platform's own plan summary (``CBPUserSummaryReport.csv``)
recomputed from the allocations and the records, and compared with the platform's file
person by person, every difference given its cause.

The platform counts, per active person, the plan courses allocated (per course, the
allocation with the latest due date), completed, and completed within the due date
(KB-iGOT/cb-core-data, ``jobs/stage-2/acbpReport.py``). The library counts by the same
rules made exact; where the platform's numbers differ, each of its known slips is tried
in turn, and the one that gives the platform's numbers is the cause:

- ``duplicate-enrolment``: a course allocated in two rows of the CBP enrolment report is
  counted twice;
- ``due-date-time-zone``: the due day ends at midnight UTC (05:30 the next morning in
  India), so a completion in those hours is within the due date for the platform;
- ``draft-plan``: a course only a Draft (or Retired) plan allocates is counted as a Live
  mandate;
- ``designation-spelling``: a plan reaches holders of a designation written exactly as
  the plan writes it, not "Asst. Section Officer" for "Assistant Section Officer";
- ``not-in-platform-summary`` and ``not-allocated-here``: a person one side counts and
  the other does not (the platform's summary lists active users only);
- ``unexplained``: none of these gives the platform's numbers.

>>> import datetime as dt
>>> from karmayogi._allocation import Allocation
>>> from karmayogi.progress import Enrolment, Status
>>> due = dt.date(2026, 3, 31)
>>> allocations = [Allocation("a@x.in", "RTI Act", due, "p1", True, True),
...                Allocation("b@x.in", "RTI Act", due, "p1", True, True)]
>>> late_night = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=5.5)))
>>> records = [Enrolment(person="b@x.in", course="RTI Act", status=Status.COMPLETED,
...                      progress=100, completed_at=late_night)]
>>> platform = [SummaryRow("a@x.in", None, 1, 0, 0), SummaryRow("b@x.in", None, 1, 1, 1)]
>>> found = reconcile(platform, allocations, records)
>>> print(found.summary())
2 people compared: 1 agree, 1 differ (due-date-time-zone: 1)
  allocated: platform 2, here 2
  completed: platform 1, here 1
  completed within the due date: platform 1, here 0
>>> print(found.differences[0])
b@x.in: platform 1/1/1, here 1/1/0: due-date-time-zone
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from karmayogi._allocation import Allocation, Allocations, allocations_of
from karmayogi._api import presented
from karmayogi._joins import CourseNames, join_courses
from karmayogi.cbp import Plan, PlanStatus, resolve
from karmayogi.errors import Match
from karmayogi.exports import ReportRows, SummaryRow
from karmayogi.org import Person
from karmayogi.periods import deadline
from karmayogi.progress import Enrolment, Status

__all__ = ["CAUSES", "Counts", "Difference", "Reconciliation", "reconcile", "summary_rows"]

CAUSES: dict[str, str] = {
    "duplicate-enrolment": "the platform counts a course allocated in two rows of its CBP "
    "enrolment report twice",
    "due-date-time-zone": "the platform ends the due day at midnight UTC, 05:30 the next "
    "morning in India: a completion in those hours is within the due date for it, late here",
    "draft-plan": "the platform counts a course that only a Draft or Retired plan allocates",
    "designation-spelling": "the platform reaches a designation's holders only where it is "
    "written exactly as the plan writes it; here, written another way, it reaches them too",
    "not-in-platform-summary": "counted here, and not in the platform's summary (which lists "
    "active users only)",
    "not-allocated-here": "in the platform's summary, and allocated nothing here",
    "unexplained": "none of the known causes gives the platform's numbers",
}
"""Each cause of a difference, by its code, and what it means."""


@attrs.frozen(order=True)
class Counts:
    """One person's plan courses: allocated, completed, completed within the due date."""

    allocated: int
    completed: int
    completed_in_time: int

    def __str__(self) -> str:
        return f"{self.allocated}/{self.completed}/{self.completed_in_time}"


_NONE = Counts(0, 0, 0)


@attrs.frozen
class Difference:
    """A person whose counts differ: the platform's, the library's (None where a side
    does not list the person), and why: one cause, or two that together give the
    platform's numbers."""

    person: str
    platform: Counts | None
    ours: Counts | None
    causes: tuple[str, ...]

    @property
    def cause(self) -> str:
        return " + ".join(self.causes)

    @property
    def explanation(self) -> str:
        return "; ".join(CAUSES[cause] for cause in self.causes)

    def __str__(self) -> str:
        theirs = str(self.platform) if self.platform else "absent"
        ours = str(self.ours) if self.ours else "absent"
        return f"{self.person}: platform {theirs}, here {ours}: {self.cause}"


_MEASURES = {
    "allocated": "allocated",
    "completed": "completed",
    "completed_in_time": "completed within the due date",
}


@attrs.frozen
class Reconciliation:
    """The platform's summary against the library's, person by person."""

    differences: tuple[Difference, ...]
    """Every person whose counts differ, sorted, each with its cause."""
    compared: int
    """People in either summary."""
    totals: Mapping[str, tuple[int, int]]
    """Each measure summed over everyone: (the platform's, the library's)."""
    matched: tuple[Match, ...] = ()
    """How the allocations' courses met the records'."""

    def causes(self) -> dict[str, int]:
        """How many differences each cause explains."""
        return dict(Counter(c for d in self.differences for c in d.causes).most_common())

    def summary(self) -> str:
        differ = len(self.differences)
        causes = ", ".join(f"{cause}: {n:,}" for cause, n in self.causes().items())
        lines = [
            f"{self.compared:,} people compared: {self.compared - differ:,} agree, "
            f"{differ:,} differ" + (f" ({causes})" if causes else "")
        ]
        for measure, (theirs, ours) in self.totals.items():
            lines.append(f"  {_MEASURES[measure]}: platform {theirs:,}, here {ours:,}")
        return "\n".join(lines)

    def rows(self) -> list[dict[str, Any]]:
        """One mapping per difference, for CSV or JSON."""
        rows = []
        for d in self.differences:
            row: dict[str, Any] = {"person": d.person}
            for side, counts in (("platform", d.platform), ("here", d.ours)):
                for measure in _MEASURES:
                    row[f"{side}_{measure}"] = getattr(counts, measure) if counts else None
            rows.append(row | {"cause": d.cause, "explanation": d.explanation})
        return rows


def summary_rows(
    allocations: Allocations | Iterable[Allocation],
    records: Iterable[Enrolment],
    *,
    day_ends: str = "india",
    repeats: Mapping[tuple[str, str], int] | None = None,
) -> dict[str, Counts]:
    """Each person's plan courses, counted as the platform's summary counts them: per
    (person, course) the allocation with the latest due date; completed; completed within
    the due date's whole day in India (``day_ends="utc"``: by midnight UTC, as the
    platform's job does). ``repeats`` counts a (person, course) that many times more,
    as a report that repeats its rows is counted."""
    latest: dict[tuple[str, str], Allocation] = {}
    for a in allocations_of(allocations):
        seen = latest.get((a.person, a.course))
        if seen is None or a.due > seen.due:
            latest[(a.person, a.course)] = a
    done = {
        (r.person, r.course): r.completed_at
        for r in records
        if r.status is Status.COMPLETED and r.completed_at is not None
    }
    counts: dict[str, list[int]] = {}
    for key, allocation in sorted(latest.items()):
        times = 1 + (repeats or {}).get(key, 0)
        completed_at = done.get(key)
        end = deadline(allocation.due)
        if day_ends == "utc":
            end = dt.datetime.combine(allocation.due + dt.timedelta(days=1), dt.time(), dt.UTC)
        count = counts.setdefault(allocation.person, [0, 0, 0])
        count[0] += times
        count[1] += times * (completed_at is not None)
        count[2] += times * (completed_at is not None and completed_at < end)
    return {person: Counts(*count) for person, count in counts.items()}


def reconcile(
    platform: ReportRows[SummaryRow] | Iterable[SummaryRow],
    allocations: Allocations | Iterable[Allocation],
    records: Iterable[Enrolment],
    *,
    repeats: Mapping[tuple[str, str], int] = {},
    plans: Iterable[Plan] = (),
    people: Iterable[Person] = (),
    catalogue: CourseNames | None = None,
) -> Reconciliation:
    """Compare the platform's summary with the one the library counts from
    ``allocations`` and ``records``, person by person, and give each difference its
    cause (:data:`CAUSES`). ``repeats`` are the (person, course) pairs a CBP enrolment
    report gives in more than one row (:attr:`karmayogi.progress.Import.repeats`);
    ``plans`` and ``people``, where the allocations were resolved from them, let a
    Draft plan or a designation written another way be found as a cause. Courses are
    joined as :meth:`~karmayogi.progress.Rollup.compliance` joins them (``catalogue``
    from ids to titles)."""
    theirs_rows = platform.items if isinstance(platform, ReportRows) else list(platform)
    theirs = {row.person: Counts(row.allocated, row.completed, row.completed_in_time)
              for row in theirs_rows}  # fmt: skip
    records = list(records)
    allocated = allocations_of(allocations)
    found, match = join_courses(
        (a.course for a in allocated), {r.course for r in records}, catalogue=catalogue
    )
    if records:
        match.check()
    allocated = tuple(attrs.evolve(a, course=found.get(a.course, a.course)) for a in allocated)
    ours = summary_rows(allocated, records)
    trials: dict[tuple[str, ...], Callable[[], dict[str, Counts]]] = {
        ("duplicate-enrolment",): lambda: summary_rows(allocated, records, repeats=repeats),
        ("due-date-time-zone",): lambda: summary_rows(allocated, records, day_ends="utc"),
    }
    plans, people = tuple(plans), tuple(people)
    if plans and people:
        trials[("draft-plan",)] = lambda: _with(_all_live(plans), people, found, records)
        trials[("designation-spelling",)] = lambda: _with(
            plans, _exact(plans, people), found, records
        )
    trials[("duplicate-enrolment", "due-date-time-zone")] = lambda: summary_rows(
        allocated, records, repeats=repeats, day_ends="utc"
    )
    tried: dict[tuple[str, ...], dict[str, Counts]] = {}
    differences = []
    for person in sorted(theirs.keys() | ours.keys()):
        platform_counts, our_counts = theirs.get(person), ours.get(person)
        if platform_counts == our_counts:
            continue
        causes = next(
            (c for c in trials if _trial(tried, trials, c).get(person) == platform_counts),
            ("not-in-platform-summary",) if platform_counts is None
            else ("not-allocated-here",) if our_counts is None
            else ("unexplained",),
        )  # fmt: skip
        differences.append(Difference(person, platform_counts, our_counts, causes))
    totals = {
        measure: (
            sum(getattr(c, measure) for c in theirs.values()),
            sum(getattr(c, measure) for c in ours.values()),
        )
        for measure in _MEASURES
    }
    return Reconciliation(
        tuple(differences), len(theirs.keys() | ours.keys()), totals, matched=(match,)
    )


def _trial(
    tried: dict[tuple[str, ...], dict[str, Counts]],
    trials: Mapping[tuple[str, ...], Callable[[], dict[str, Counts]]],
    cause: tuple[str, ...],
) -> dict[str, Counts]:
    """The counts the platform would give with these slips, computed once, when first
    asked for."""
    if cause not in tried:
        tried[cause] = trials[cause]()
    return tried[cause]


def _with(
    plans: Iterable[Plan],
    people: Iterable[Person],
    found: Mapping[str, str],
    records: list[Enrolment],
) -> dict[str, Counts]:
    allocations = [
        attrs.evolve(a, course=found.get(a.course, a.course))
        for a in resolve(plans, people).allocations
    ]
    return summary_rows(allocations, records)


def _all_live(plans: Iterable[Plan]) -> list[Plan]:
    """The plans as the platform would count them if it took every plan for Live."""
    return [plan.model_copy(update={"status": PlanStatus.LIVE}) for plan in plans]


def _exact(plans: Iterable[Plan], people: Iterable[Person]) -> list[Person]:
    """The people as an exact match of designations sees them: a designation written
    otherwise than every plan writes it reaches no plan."""
    written = {name for plan in plans for a in plan.assignments for name in a.names}
    return [p if p.designation in written else attrs.evolve(p, designation=None) for p in people]


__dir__ = presented(__name__, globals(), __all__)
