"""The tables a roll-up gives (progress per unit and period, plan compliance per person
and unit, the records behind a number, learners over a threshold) and the release that
publishes them together. One renderer gives each table's three forms: text for a
terminal, CSV and JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from karmayogi._publish import pseudonym
from karmayogi._render import Rendered, cell_text, text_table
from karmayogi.errors import Match
from karmayogi.org import OrgTree
from karmayogi.periods import Period, PeriodKind
from karmayogi.progress._records import Enrolment
from karmayogi.progress._release import COMPLIANCE_COUNTS, suppress
from karmayogi.progress._rules import METRICS, CountingPolicy, View, parse_period

__all__ = [
    "ComplianceTable",
    "Count_co",
    "Explanation",
    "Learners",
    "PersonCompliance",
    "ProgressRow",
    "ProgressTable",
    "Release",
    "UnitCompliance",
]

if TYPE_CHECKING:
    from typing_extensions import TypeVar as _TypeVar

    Count_co = _TypeVar("Count_co", bound=int | None, covariant=True, default=int | None)
else:
    Count_co = TypeVar("Count_co", bound=int | None, covariant=True)
"""A row's count: ``int`` as a roll-up gives it, ``int | None`` where suppression may
have hidden it (``ProgressRow`` alone means the latter)."""


@attrs.frozen(kw_only=True)
class ProgressRow(Generic[Count_co]):
    """One unit (with its descendants) in one period.

    ``completion_rate`` is ``enrolments_completed / enrolments``: of the enrolments the row
    counts, the share completed by the period's end, so it never exceeds 1 and it is None
    when there are no enrolments. ``users`` is None when no people were given. A roll-up
    gives ``ProgressRow[int]``, whose counts are numbers to compute with; in a suppressed
    table (``ProgressRow[int | None]``) a hidden number is None.
    """

    unit: str
    name: str
    period: Period
    users: int | None
    enrolled_users: Count_co
    started_users: Count_co
    completed_users: Count_co
    enrolments: Count_co
    completions: Count_co
    completion_rate: float | None
    certificates: Count_co
    learning_hours: float | Count_co
    enrolments_completed: Count_co
    """The completion rate's numerator."""
    policy: CountingPolicy | None = attrs.field(default=None, kw_only=True)
    """The counting policy that made the numbers (None only for a row made by hand)."""

    def to_dict(self) -> dict[str, object]:
        values = attrs.asdict(self, recurse=False)
        values["period"] = str(self.period)
        values["policy"] = self.policy.name if self.policy is not None else None
        return values


_CSV_COLUMNS = ("unit", "name", "period", *METRICS, "enrolments_completed")


@attrs.frozen(kw_only=True)
class ProgressTable(Rendered, Generic[Count_co]):
    """A roll-up's rows (units parents first, then periods), with the rules that made them:
    the period kind, the view, the counting policy, what was left out and why, and the
    suppression threshold if any. Printing it prints all of that; a notebook shows it
    as a table with those notes, and ``to_pandas()`` or ``to_polars()`` makes it a
    dataframe with the columns of :meth:`to_csv`."""

    by: PeriodKind
    view: View
    policy: CountingPolicy
    rows: tuple[ProgressRow[Count_co], ...]
    excluded: Mapping[str, int] = attrs.field(factory=dict)
    """Ledger entries left out of every number, by reason."""
    undated: int = 0
    """Entries with no enrolment date: counted in completions, not in enrolments."""
    basis: tuple[str, ...] = ()
    """What the numbers rest on besides the records, where it is more than the usual:
    units over time (where records count, and what was assumed), or a past day."""
    suppressed_below: int | None = None
    hidden: frozenset[tuple[str, Period, str]] = frozenset()
    """The numbers suppression hid (None in the rows), as (unit, period, metric)."""
    _tree: OrgTree | None = attrs.field(default=None, eq=False, repr=False, alias="tree")

    def __iter__(self) -> Iterator[ProgressRow[Count_co]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, unit: str, period: Period | str) -> ProgressRow[Count_co]:
        wanted = parse_period(self.by, period)
        for row in self.rows:
            if row.unit == unit and row.period == wanted:
                return row
        raise KeyError(f"no row for unit {unit!r} in {wanted}")

    def notes(self) -> list[str]:
        """What a reader must know to read the numbers right."""
        lines = [f"counting policy {self.policy}", f"periods: {_KIND_WORDS[self.by]}, {self.view}"]
        for reason, count in sorted(self.excluded.items()):
            lines.append(f"left out: {count} enrolment(s) of {reason}")
        if self.undated:
            lines.append(
                f"{self.undated} enrolment(s) without an enrolment date: not in enrolments"
            )
        lines.extend(self.basis)
        if self.suppressed_below is not None:
            lines.append(_SUPPRESSED.format(self.suppressed_below - 1))
        return lines

    def suppressed(self, below: int) -> ProgressTable[int | None]:
        """This table published alone, with every count from 1 to ``below - 1`` hidden,
        and enough others that none can be worked out (:class:`Release`). To publish it
        with other tables, suppress them together as one release."""
        return Release([self]).suppressed(below).tables[0]

    def to_dict(self) -> dict[str, object]:
        return {
            "by": self.by,
            "view": self.view,
            "policy": self.policy.to_dict(),
            "excluded": dict(sorted(self.excluded.items())),
            "undated": self.undated,
            **({"basis": list(self.basis)} if self.basis else {}),
            "suppressed_below": self.suppressed_below,
            "hidden": sorted([u, str(p), m] for u, p, m in self.hidden),
            "rows": [row.to_dict() for row in self.rows],
        }

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        rows = []
        for row in self.rows:
            values = row.to_dict()
            rows.append([values[c] for c in _CSV_COLUMNS] + [self.view, self.policy.name])
        return [*_CSV_COLUMNS, "view", "policy"], rows

    def _mark(self, row: ProgressRow[Count_co], metric: str) -> str:
        return _mark((row.unit, row.period, metric), self.hidden)

    def _html_title(self) -> str:
        return f"Progress by {_KIND_WORDS[self.by]}"

    def _html_notes(self) -> list[str]:
        return self.notes()

    def __str__(self) -> str:
        header = ["unit", "period", *METRICS]
        depth = {u.id: len(self._tree.path(u.id)) - 1 for u in self._tree} if self._tree else {}
        body = [
            ["  " * depth.get(row.unit, 0) + row.name, str(row.period)]
            + [cell_text(getattr(row, m), self._mark(row, m)) for m in METRICS]
            for row in self.rows
        ]
        return text_table(header, body, self.notes(), left=2)


_KIND_WORDS = {"fy": "financial years", "quarter": "quarters", "month": "months"}


def _mark(cell: object, hidden: frozenset[Any]) -> str:
    """How a text table shows a missing number: * if suppression hid it, else blank (not
    counted: no people given, no enrolments to make a rate of)."""
    return "*" if cell in hidden else ""


@attrs.frozen(kw_only=True)
class Explanation:
    """The records that made one number: for counts of records, the records counted; for
    counts of people, the records that put each person in; for learning hours, the
    completions whose durations add up; for a completion rate, the enrolments of its
    denominator (those completed by the period's end are its numerator)."""

    unit: str
    period: Period
    metric: str
    view: View
    value: int | float | None
    records: tuple[Enrolment, ...]
    people: tuple[str, ...]
    policy: CountingPolicy
    """The counting policy that chose the records (which completions give hours, whether
    inactive people count)."""

    def pseudonymised(self, key: bytes | str) -> Explanation:
        """The same explanation with every person replaced by a keyed pseudonym."""
        return attrs.evolve(
            self,
            records=tuple(attrs.evolve(r, person=pseudonym(r.person, key)) for r in self.records),
            people=tuple(sorted(pseudonym(p, key) for p in self.people)),
        )

    def __str__(self) -> str:
        lines = [
            f"{self.metric} of {self.unit} in {self.period} ({self.view}) = {self.value}, "
            f"counting policy {self.policy.name}"
        ]
        for record in self.records:
            where = "; ".join(str(o) for o in record.origins) or "made in code"
            lines.append(f"  {record.person} / {record.course}: {record.status} ({where})")
        return "\n".join(lines)


class Learners(Mapping[str, int]):
    """Each unit's count of people with at least :attr:`hours` learning hours from
    completions dated :attr:`start` to :attr:`end`, read as a mapping of unit to count,
    with the counting policy that decided which completions give hours."""

    def __init__(
        self,
        counts: Mapping[str, int],
        *,
        hours: float,
        start: dt.date,
        end: dt.date,
        policy: CountingPolicy,
    ) -> None:
        self._counts = dict(counts)
        self.hours, self.start, self.end, self.policy = hours, start, end, policy

    def __getitem__(self, unit: str) -> int:
        return self._counts[unit]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def __repr__(self) -> str:
        return (
            f"Learners({self._counts!r}, hours={self.hours!r}, start={self.start.isoformat()}, "
            f"end={self.end.isoformat()}, policy={self.policy.name!r})"
        )


# --- Plan compliance -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PersonCompliance:
    """One person's capacity building plan courses: allocated, completed, completed by the
    due date (its whole day, in India), and the APAR rule: at least half of the allocated
    APAR courses completed by the end of their financial year (None without APAR courses)."""

    person: str
    unit: str
    cbp_allocated: int
    cbp_completed: int
    cbp_completed_on_time: int
    apar_allocated: int
    apar_completed: int
    apar_compliant: bool | None


@attrs.frozen(kw_only=True)
class UnitCompliance(Generic[Count_co]):
    """A unit (with its descendants): people with allocations, courses allocated,
    completed and completed on time, people with APAR courses and those who comply.
    ``UnitCompliance[int]`` as a roll-up gives it; in a suppressed table a hidden count
    is None."""

    unit: str
    name: str
    users: Count_co
    cbp_allocated: Count_co
    cbp_completed: Count_co
    cbp_completed_on_time: Count_co
    apar_users: Count_co
    apar_compliant_users: Count_co


@attrs.frozen(kw_only=True)
class ComplianceTable(Rendered, Generic[Count_co]):
    """Plan compliance per person and rolled up per unit, under a counting policy. In a
    notebook, and as a dataframe (``to_pandas()``, ``to_polars()``), its unit rows."""

    policy: CountingPolicy
    people: tuple[PersonCompliance, ...]
    units: tuple[UnitCompliance[Count_co], ...]
    excluded: Mapping[str, int] = attrs.field(factory=dict)
    """Allocations left out, by reason."""
    suppressed_below: int | None = None
    hidden: frozenset[tuple[str, str]] = frozenset()
    """The unit numbers suppression hid (None in the rows), as (unit, metric)."""
    matched: tuple[Match, ...] = ()
    """How well the allocations met the records (by course) and the people placed."""
    _tree: OrgTree | None = attrs.field(default=None, eq=False, repr=False, alias="tree")

    def unit(self, unit: str) -> UnitCompliance[Count_co]:
        for row in self.units:
            if row.unit == unit:
                return row
        raise KeyError(f"no unit {unit!r}")

    def person(self, person: str) -> PersonCompliance:
        for row in self.people:
            if row.person == person:
                return row
        raise KeyError(f"no person {person!r} has an allocation")

    def pseudonymised(self, key: bytes | str) -> ComplianceTable[Count_co]:
        """Every person replaced by a keyed pseudonym (the key is not kept)."""
        people = sorted(
            (attrs.evolve(p, person=pseudonym(p.person, key)) for p in self.people),
            key=lambda p: (p.unit, p.person),
        )
        return attrs.evolve(self, people=tuple(people))

    def suppressed(self, below: int) -> ComplianceTable[int | None]:
        """The unit rows published alone, small counts hidden as in :class:`Release`; the
        per-person rows are left out."""
        compliance = Release([], compliance=self).suppressed(below).compliance
        assert compliance is not None  # a release keeps the compliance it was given
        return compliance

    def notes(self) -> list[str]:
        lines = [
            f"counting policy {self.policy}",
            "on time: completed on or before the due date (its whole day, in India); "
            "APAR: at least half of the allocated APAR courses completed by the end of "
            "their financial year",
        ]
        lines += [str(m) for m in self.matched]
        lines += [
            f"left out: {n} allocation(s) of {why}" for why, n in sorted(self.excluded.items())
        ]
        if self.suppressed_below is not None:
            lines.append(_SUPPRESSED.format(self.suppressed_below - 1))
        return lines

    def to_dict(self) -> dict[str, object]:
        return {
            "policy": self.policy.to_dict(),
            "excluded": dict(sorted(self.excluded.items())),
            "matched": [attrs.asdict(m) for m in self.matched],
            "suppressed_below": self.suppressed_below,
            "hidden": sorted([u, m] for u, m in self.hidden),
            "units": [attrs.asdict(u) for u in self.units],
            "people": [attrs.asdict(p) for p in self.people],
        }

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        columns = [f.name for f in attrs.fields(UnitCompliance)]
        rows = [[*attrs.astuple(row), self.policy.name] for row in self.units]
        return [*columns, "policy"], rows

    def _html_title(self) -> str:
        return "Plan compliance by unit"

    def _html_notes(self) -> list[str]:
        return self.notes()

    def __str__(self) -> str:
        counts = COMPLIANCE_COUNTS
        header = ["unit", *counts]
        depth = {u.id: len(self._tree.path(u.id)) - 1 for u in self._tree} if self._tree else {}
        body = [
            ["  " * depth.get(row.unit, 0) + row.name]
            + [cell_text(getattr(row, m), _mark((row.unit, m), self.hidden)) for m in counts]
            for row in self.units
        ]
        return text_table(header, body, self.notes(), left=1)


_SUPPRESSED = (
    "counts from 1 to {} suppressed (shown as *), with enough others that none can be "
    "worked out from the numbers published with it: a parent and its other children, a "
    "period and the year, the flow and the cumulative, the counts that bound each "
    "other; not from a release made apart, at this threshold or another"
)


def _tables(tables: Iterable[ProgressTable[Any]]) -> tuple[ProgressTable[int | None], ...]:
    return tuple(tables)


@attrs.frozen
class Release:
    """What is published together: progress tables (of any periods and views) and plan
    compliance, from one roll-up, suppressed as a whole.

    A hidden count must not be worked out from any number published beside it: a parent
    less its other children, a year less its other quarters, a cumulative period less the
    one before, or one metric from another that bounds or determines it (completions,
    certificates, learning hours and the people completing hide together, as do enrolments
    and the people enrolling; so do allocated, completed and on time, and APAR officers and
    those who comply). :meth:`suppressed` decides over all of
    the release at once, never with a zero (often known from elsewhere) as the other
    hidden number, and protects the counts a reader derives (the late, the not
    completed). Tables suppressed one by one, or at two thresholds, would give each other
    away, so a release takes its tables unsuppressed.

    >>> import datetime as dt
    >>> from karmayogi.org import OrgTree, Person, Unit
    >>> tree = OrgTree([Unit(id="rev", name="Revenue", level="department"),
    ...                 Unit(id="a", name="A", level="district", parent="rev"),
    ...                 Unit(id="b", name="B", level="district", parent="rev")])
    >>> people = [Person(id=f"{u}{n}", organisation="rev", unit=u)
    ...           for u, many in (("a", 2), ("b", 9)) for n in range(many)]
    >>> from karmayogi.progress import Rollup
    >>> rollup = Rollup(tree, people=people, by="quarter")
    >>> for person in people:
    ...     rollup.add(Enrolment(person=person.id, course="do_1",
    ...                          enrolled_at=dt.datetime(2025, 4, 2, 10, 0)))
    >>> release = Release([rollup.table(), rollup.table("cumulative")]).suppressed(5)
    >>> [(row.unit, row.enrolments) for row in release.tables[0]]
    [('rev', 11), ('a', None), ('b', None)]
    """

    tables: tuple[ProgressTable[int | None], ...] = attrs.field(converter=_tables)
    compliance: ComplianceTable[int | None] | None = None

    def __attrs_post_init__(self) -> None:
        parts: list[ProgressTable | ComplianceTable] = [*self.tables]
        if self.compliance is not None:
            parts.append(self.compliance)
        thresholds = sorted({p.suppressed_below for p in parts if p.suppressed_below})
        if len(thresholds) > 1:
            raise ValueError(
                f"these tables were suppressed at different thresholds ({thresholds}): "
                "each gives the other's hidden counts away; publish one release, "
                "suppressed once"
            )
        if any(p.suppressed_below is None for p in parts) and thresholds:
            raise ValueError(
                "some of these tables are suppressed and some are not: a release takes "
                "its tables before suppression, and suppresses them together"
            )
        if any(p._tree != parts[0]._tree for p in parts):
            raise ValueError("the tables of one release come from one organisation tree")

    @property
    def suppressed_below(self) -> int | None:
        """The threshold the release was suppressed at, if it was."""
        first = self.tables[0] if self.tables else self.compliance
        return first.suppressed_below if first is not None else None

    def suppressed(self, below: int) -> Release:
        """Every table with each count from 1 to ``below - 1`` hidden (None), and enough
        others that none can be worked out from the release; the per-person compliance
        rows are left out."""
        if below < 2:
            raise ValueError(f"a suppression threshold is 2 or more, got {below}")
        if self.suppressed_below is not None:
            raise ValueError(
                f"this release is suppressed already (at {self.suppressed_below}); "
                "suppress the tables once"
            )
        parts: list[ProgressTable | ComplianceTable] = [*self.tables]
        if self.compliance is not None:
            parts.append(self.compliance)
        tree = next((p._tree for p in parts if p._tree is not None), None)
        if parts and tree is None:
            raise ValueError("these tables no longer know their tree")
        if tree is None:
            return self
        tables, compliance = suppress(self.tables, self.compliance, below, tree)
        return Release(tables, compliance=compliance)
