"""The rules of what counts: the counting policy, the metrics, where each person is
counted, and what is left out and why. Both engines, the reference one and the columnar
one, take these from here."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping
from typing import ClassVar, Literal

import attrs

from karmayogi.errors import LimitExceeded, Location, ValidationError
from karmayogi.limits import Limits
from karmayogi.org import OrgTree, Person, not_in_tree
from karmayogi.periods import FinancialYear, Month, Period, PeriodKind, Quarter
from karmayogi.progress._records import Enrolment

__all__ = [
    "INACTIVE",
    "METRICS",
    "NOT_PLACED",
    "CountingPolicy",
    "View",
    "check_periods",
    "parse_period",
    "placement",
    "with_descendants",
]

View = Literal["flow", "cumulative"]
"""A period read as what happened in it (flow) or everything up to its end (cumulative)."""

METRICS = (
    "users",
    "enrolled_users",
    "started_users",
    "completed_users",
    "enrolments",
    "completions",
    "completion_rate",
    "certificates",
    "learning_hours",
)
"""The roll-up's metrics, by the names dashboards and the platform use."""


@attrs.frozen(kw_only=True)
class CountingPolicy:
    """The rules of what counts, named so that every result can say which it used.

    >>> print(CountingPolicy.PLATFORM)
    platform: learning hours from completions with a certificate; inactive people left out
    """

    name: str
    hours_from: Literal["certified", "completed"] = "certified"
    """Learning hours from completions with a certificate (as the platform counts them) or
    from every completion."""
    include_inactive: bool = False
    """Whether people marked inactive, and their records, count."""

    PLATFORM: ClassVar[CountingPolicy]
    """As the platform counts: hours only from certified completions; inactive people out."""
    ALL_COMPLETIONS: ClassVar[CountingPolicy]
    """Hours from every completion; inactive people out."""

    def counts_hours(self, entry: Enrolment) -> bool:
        if entry.completed_at is None or not entry.duration:
            return False
        return self.hours_from == "completed" or bool(entry.certificates)

    def __str__(self) -> str:
        hours = {
            "certified": "learning hours from completions with a certificate",
            "completed": "learning hours from every completion",
        }[self.hours_from]
        people = "inactive people counted" if self.include_inactive else "inactive people left out"
        return f"{self.name}: {hours}; {people}"

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "hours_from": self.hours_from,
            "include_inactive": self.include_inactive,
        }


CountingPolicy.PLATFORM = CountingPolicy(name="platform")
CountingPolicy.ALL_COMPLETIONS = CountingPolicy(name="all-completions", hours_from="completed")


NOT_PLACED = "people not placed in the organisation tree"
INACTIVE = "inactive people"


def check_periods(count: int, limits: Limits) -> None:
    """Refuse a table of more periods than ``limits`` allows, saying how many it has."""
    if limits.periods is not None and count > limits.periods:
        where = Location(path="periods")
        raise LimitExceeded("periods", limits.periods, where, f"{count:,} periods with data")


def placement(
    tree: OrgTree,
    people: Iterable[Person] | None,
    places: Mapping[str, str] | None,
    policy: CountingPolicy,
) -> tuple[dict[str, str], dict[str, int] | None, set[str]]:
    """Each counted person's unit; when people are given, each unit's people with its
    descendants'; and the inactive people the policy leaves out. Every unknown unit is
    reported at once."""
    if people is None:
        assert places is not None
        problems = [
            not_in_tree(unit, f"places[{person!r}]")
            for person, unit in places.items()
            if unit not in tree
        ]
        if problems:
            raise ValidationError(problems)
        return dict(places), None, set()
    people = list(people)
    placed = tree.place(people)
    inactive = {p.id for p in people if not p.active and not policy.include_inactive}
    counted = {p: u for p, u in placed.items() if p not in inactive}
    return counted, with_descendants(tree, collections.Counter(counted.values())), inactive


def with_descendants(tree: OrgTree, people: Mapping[str, int]) -> dict[str, int]:
    """Each unit's people with its descendants', from the people sitting in each unit."""
    users: dict[str, int] = {}
    for unit, count in people.items():
        for ancestor in tree.path(unit):
            users[ancestor] = users.get(ancestor, 0) + count
    return users


def parse_period(kind: PeriodKind, period: Period | str) -> Period:
    if isinstance(period, str):
        if kind == "fy":
            return FinancialYear.parse(period)
        return Quarter.parse(period) if kind == "quarter" else Month.parse(period)
    expected = {"fy": FinancialYear, "quarter": Quarter, "month": Month}[kind]
    if not isinstance(period, expected):
        raise ValueError(f"this roll-up is by {kind}, so a period is a {expected.__name__}")
    return period
