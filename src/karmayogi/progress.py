"""Progress: enrolment records, the ledger that joins them, and roll-ups over the
organisation tree and financial-year periods.

The state of one person on one course is a join-semilattice (status only rises,
progress takes the maximum, the first enrolment and completion the minimum,
certificates the union), so records may come in any order, twice, or split, and the
numbers do not change. A :class:`Rollup` counts every unit (with its descendants) and
every period; it takes records one at a time, at the cost of the tree's depth, or in bulk.

>>> import datetime as dt
>>> from karmayogi.org import OrgTree, Person, Unit
>>> tree = OrgTree([Unit(id="rev", name="Revenue", level="department"),
...                 Unit(id="raipur", name="Raipur", level="district", parent="rev")])
>>> people = [Person(id="a", organisation="rev", unit="raipur"),
...           Person(id="b", organisation="rev")]
>>> rollup = Rollup(tree, people=people, by="fy")
>>> rollup.add(Enrolment(person="a", course="do_1", status=Status.COMPLETED, progress=100,
...                      enrolled_at=dt.datetime(2025, 4, 2, 10, 0),
...                      completed_at=dt.datetime(2025, 4, 9, 18, 0),
...                      certificates={"c-1"}, duration=5400))
>>> rollup.add(Enrolment(person="b", course="do_1", enrolled_at=dt.datetime(2025, 6, 1, 9, 0)))
>>> row = rollup.row("rev", "2025-26")
>>> row.users, row.enrolled_users, row.completions, row.completion_rate, row.learning_hours
(2, 2, 1, 0.5, 1.5)
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import io
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, Generic, Literal, ParamSpec, TypeVar

import attrs

from karmayogi._csv import Source, opened, safe_writer
from karmayogi._html import Tabular
from karmayogi._ledger import Enrolment, Ledger, Origin, Status
from karmayogi._lrs import LRS
from karmayogi._names import printable
from karmayogi._publish import pseudonym
from karmayogi._release import COMPLIANCE_COUNTS as _COMPLIANCE_COUNTS
from karmayogi._release import suppress
from karmayogi._reports import (
    Import,
    Rejection,
    read_cbp_report,
    read_consumption_report,
    read_enrolments,
)
from karmayogi._rollup import CountingPolicy, Engine, Slot
from karmayogi._xapi import StatementLog, read_xapi
from karmayogi.cbp import Allocation, Catalogue, Resolution
from karmayogi.errors import LimitExceeded, Location, Match, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree, Person
from karmayogi.periods import (
    PERIOD_KINDS,
    FinancialYear,
    Month,
    Period,
    PeriodKind,
    Quarter,
    deadline,
    period_at,
    period_index,
)

__all__ = [
    "LRS",
    "METRICS",
    "ComplianceTable",
    "CountingPolicy",
    "Enrolment",
    "Explanation",
    "Import",
    "Learners",
    "Ledger",
    "Origin",
    "PersonCompliance",
    "ProgressRow",
    "ProgressTable",
    "Rejection",
    "Release",
    "Rollup",
    "StatementLog",
    "Status",
    "UnitCompliance",
    "View",
    "pseudonym",
    "read_cbp_report",
    "read_consumption_report",
    "read_enrolments",
    "read_xapi",
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
class ProgressTable(Tabular, Generic[Count_co]):
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
    suppressed_below: int | None = None
    hidden: frozenset[tuple[str, Period, str]] = frozenset()
    """The numbers suppression hid (None in the rows), as (unit, period, metric)."""
    _tree: OrgTree | None = attrs.field(default=None, eq=False, repr=False, alias="tree")

    def __iter__(self) -> Iterator[ProgressRow[Count_co]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, unit: str, period: Period | str) -> ProgressRow[Count_co]:
        wanted = _parse_period(self.by, period)
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
            "suppressed_below": self.suppressed_below,
            "hidden": sorted([u, str(p), m] for u, p, m in self.hidden),
            "rows": [row.to_dict() for row in self.rows],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_csv(self, target: Source | None = None) -> str | None:
        """The rows as CSV, the counting policy in a column of every row (so that it
        travels with any part of the file); written to ``target``, or returned as text."""
        buffer = io.StringIO()
        writer = safe_writer(buffer)
        header, rows = self._columns()
        writer.writerow(header)
        writer.writerows([_cell(v) for v in row] for row in rows)
        return _deliver(buffer.getvalue(), target)

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
            + [_cell(getattr(row, m), self._mark(row, m)) for m in METRICS]
            for row in self.rows
        ]
        return _render(header, body, self.notes(), left=2)


_KIND_WORDS = {"fy": "financial years", "quarter": "quarters", "month": "months"}


def _mark(cell: object, hidden: frozenset[Any]) -> str:
    """How a text table shows a missing number: * if suppression hid it, else blank (not
    counted: no people given, no enrolments to make a rate of)."""
    return "*" if cell in hidden else ""


def _cell(value: object, missing: str = "") -> str:
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def _render(header: list[str], body: list[list[str]], notes: list[str], left: int) -> str:
    """A text table: the first ``left`` columns read as words, the rest as numbers; no
    cell's control characters reach the terminal."""
    body = [[printable(cell) for cell in line] for line in body]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [header, *body]
    ]
    return "\n".join([*lines, "", *notes])


def _deliver(text: str, target: Source | None) -> str | None:
    if target is None:
        return text
    with opened(target, "w") as (_file, handle):
        handle.write(text)
    return None


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
class ComplianceTable(Tabular, Generic[Count_co]):
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

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_csv(self, target: Source | None = None) -> str | None:
        """The unit rows as CSV, with the policy in every row."""
        buffer = io.StringIO()
        writer = safe_writer(buffer)
        header, rows = self._columns()
        writer.writerow(header)
        writer.writerows([_cell(v) for v in row] for row in rows)
        return _deliver(buffer.getvalue(), target)

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        columns = [f.name for f in attrs.fields(UnitCompliance)]
        rows = [[*attrs.astuple(row), self.policy.name] for row in self.units]
        return [*columns, "policy"], rows

    def _html_title(self) -> str:
        return "Plan compliance by unit"

    def _html_notes(self) -> list[str]:
        return self.notes()

    def __str__(self) -> str:
        counts = _COMPLIANCE_COUNTS
        header = ["unit", *counts]
        depth = {u.id: len(self._tree.path(u.id)) - 1 for u in self._tree} if self._tree else {}
        body = [
            ["  " * depth.get(row.unit, 0) + row.name]
            + [_cell(getattr(row, m), _mark((row.unit, m), self.hidden)) for m in counts]
            for row in self.units
        ]
        return _render(header, body, self.notes(), left=1)


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


# --- The roll-up -------------------------------------------------------------------------------

_NOT_PLACED = "people not placed in the organisation tree"
_INACTIVE = "inactive people"


_T = TypeVar("_T")
_P = ParamSpec("_P")


def _locked(method: Callable[Concatenate[Rollup, _P], _T]) -> Callable[Concatenate[Rollup, _P], _T]:
    """The method, run holding the roll-up's lock: one thread at a time adds or reads."""

    @functools.wraps(method)
    def locked(self: Rollup, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


class Rollup:
    """Progress counted for every unit of a tree (with its descendants) and every period.

    Place people by giving them (``people``: then ``users`` counts them, and inactive
    people are left out unless the policy counts them) or by a mapping of person to unit
    (``places``, as a report reader derives it). Records of people who are not placed
    are left out, and the tables say how many.

    A roll-up is safe to use from several threads: each call holds its lock, so records
    added at once from a portal's request threads give the tables one thread would. Its
    :attr:`ledger` is its own: read it only while no other thread adds.
    """

    def __init__(
        self,
        tree: OrgTree,
        *,
        people: Iterable[Person] | None = None,
        places: Mapping[str, str] | None = None,
        by: PeriodKind = "quarter",
        policy: CountingPolicy = CountingPolicy.PLATFORM,
        records: Iterable[Enrolment] = (),
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        if by not in PERIOD_KINDS:
            raise ValueError(f"periods are by one of {', '.join(PERIOD_KINDS)}, got {by!r}")
        if (people is None) == (places is None):
            raise TypeError("give either people or places, to place each person in a unit")
        self.tree = tree
        self.by: PeriodKind = by
        self.policy = policy
        self._places, self._users, self._inactive = _placement(tree, people, places, policy)
        self._paths = {unit.id: tree.path(unit.id) for unit in tree}
        self._ledger = Ledger()
        self._engine = Engine(self._paths, self._places, by, policy, self._ledger)
        self._excluded: dict[str, int] = {}
        self._undated = 0
        self._lock = threading.RLock()
        self._limits = limits
        self.extend(records)

    @property
    def ledger(self) -> Ledger:
        """The joined records (every record given, placed or not)."""
        return self._ledger

    @_locked
    def add(self, record: Enrolment) -> None:
        """Count_co one record: only the counters of its person's unit and the unit's ancestors
        change, and they change to what a recount of everything would give. If counting
        it fails, nothing changed."""
        before, after = self._ledger.put(record)
        if after == before:
            return
        unit = self._places.get(after.person)
        if unit is not None:
            try:
                self._engine.update(unit, before, after)
            except BaseException:
                self._ledger._restore(before, after)
                raise
        # Only bookkeeping from here, which cannot fail.
        if unit is None:
            self._unit_of(after.person, new=before is None)
        elif before is None and after.enrolled_at is None:
            self._undated += 1
        elif before is not None and before.enrolled_at is None and after.enrolled_at:
            self._undated -= 1

    @_locked
    def extend(self, records: Iterable[Enrolment]) -> None:
        """Count_co many records: in bulk into an empty roll-up, else one at a time. If the
        bulk count fails, the roll-up is left empty, as it was."""
        if self._ledger:
            for record in records:
                self.add(record)
            return
        try:
            self._ledger.update(records)
            unplaced, self._undated = self._engine.load()
        except BaseException:
            self._ledger = Ledger()
            self._engine = Engine(self._paths, self._places, self.by, self.policy, self._ledger)
            raise
        for person, entries in unplaced.items():
            reason = _INACTIVE if person in self._inactive else _NOT_PLACED
            self._excluded[reason] = self._excluded.get(reason, 0) + entries

    def _unit_of(self, person: str, *, new: bool) -> str | None:
        unit = self._places.get(person)
        if unit is None and new:
            reason = _INACTIVE if person in self._inactive else _NOT_PLACED
            self._excluded[reason] = self._excluded.get(reason, 0) + 1
        return unit

    # --- reading the numbers ----------------------------------------------------------------

    @_locked
    def periods(self) -> tuple[Period, ...]:
        """Every period with anything counted, in order: as many as the data has, however
        far apart its dates."""
        return tuple(period_at(self.by, i) for i in self._engine.periods())

    @_locked
    def table(
        self,
        view: View = "flow",
        periods: Iterable[Period | str] | FinancialYear | None = None,
    ) -> ProgressTable[int]:
        """Every unit (parents first) in every period: by default each period with
        anything counted; or the periods given; or those of a financial year. A
        cumulative period counts everything up to its end, before the first shown period
        too."""
        indexes = self._indexes(periods)
        rows: list[ProgressRow[int]] = []
        for unit in self.tree:
            counters: Iterable[tuple[int, list[int]]]
            if view == "flow":
                counters = ((i, self._engine.flow(unit.id, i)) for i in indexes)
            else:
                counters = self._engine.running(unit.id, indexes)
            rows.extend(self._row(unit.id, i, c, view) for i, c in counters)
        return ProgressTable(
            by=self.by,
            view=view,
            policy=self.policy,
            rows=tuple(rows),
            excluded=dict(self._excluded),
            undated=self._undated,
            tree=self.tree,
        )

    @_locked
    def row(self, unit: str, period: Period | str, view: View = "flow") -> ProgressRow[int]:
        """One unit (with its descendants) in one period."""
        index = period_index(self.by, _parse_period(self.by, period).start)
        self.tree[unit]  # an unknown unit raises, with close matches
        if view == "flow":
            return self._row(unit, index, self._engine.flow(unit, index), view)
        ((_i, counters),) = self._engine.running(unit, [index])
        return self._row(unit, index, counters, view)

    def _row(self, unit: str, index: int, c: list[int], view: View) -> ProgressRow[int]:
        flow = view == "flow"
        enrolled = c[Slot.ENROLLED_USERS if flow else Slot.FIRST_ENROLLED]
        started = c[Slot.STARTED_USERS if flow else Slot.FIRST_STARTED]
        completed = c[Slot.COMPLETED_USERS if flow else Slot.FIRST_COMPLETED]
        done = c[Slot.COHORT_FLOW if flow else Slot.COHORT_UP_TO]
        enrolments = c[Slot.ENROLMENTS]
        return ProgressRow(
            unit=unit,
            name=self.tree[unit].name,
            period=period_at(self.by, index),
            users=None if self._users is None else self._users.get(unit, 0),
            enrolled_users=enrolled,
            started_users=started,
            completed_users=completed,
            enrolments=enrolments,
            completions=c[Slot.COMPLETIONS],
            completion_rate=done / enrolments if enrolments else None,
            certificates=c[Slot.CERTIFICATES],
            learning_hours=c[Slot.SECONDS] / 3600,
            enrolments_completed=done,
            policy=self.policy,
        )

    def _indexes(self, periods: Iterable[Period | str] | FinancialYear | None) -> list[int]:
        if periods is None:
            found = list(self._engine.periods())
            _check_periods(len(found), self._limits)
            return found
        if isinstance(periods, FinancialYear):
            first = period_index(self.by, periods.start)
            return list(range(first, period_index(self.by, periods.end) + 1))
        return sorted({period_index(self.by, _parse_period(self.by, p).start) for p in periods})

    @_locked
    def explain(
        self, unit: str, period: Period | str, metric: str, view: View = "flow"
    ) -> Explanation:
        """The records that made one number of :meth:`row`."""
        if metric not in METRICS:
            raise ValueError(f"no metric {metric!r}; the metrics are {', '.join(METRICS)}")
        wanted = _parse_period(self.by, period)
        index = period_index(self.by, wanted.start)
        value = getattr(self.row(unit, wanted, view), metric)
        inside = set(self.tree.descendants(unit))
        if metric == "users":
            people = sorted(p for p, u in self._places.items() if u in inside)
            return Explanation(
                unit=unit, period=wanted, metric=metric, view=view, value=value, records=(),
                people=tuple(people), policy=self.policy,
            )  # fmt: skip

        def within(when: dt.datetime | None) -> bool:
            if when is None:
                return False
            at = self._engine.period(when)
            assert at is not None
            return at == index if view == "flow" else at <= index

        records = []
        for entry in self._ledger:
            if self._places.get(entry.person) not in inside:
                continue
            if metric in ("enrolments", "enrolled_users", "completion_rate"):
                counted = within(entry.enrolled_at)
            elif metric == "started_users":
                counted = within(entry.enrolled_at) and entry.status is not Status.NOT_STARTED
            elif metric in ("completions", "completed_users"):
                counted = within(entry.completed_at)
            elif metric == "certificates":
                counted = within(entry.completed_at) and bool(entry.certificates)
            else:  # learning_hours
                counted = within(entry.completed_at) and self.policy.counts_hours(entry)
            if counted:
                records.append(entry)
        records.sort(key=lambda r: (r.person, r.course))
        return Explanation(
            unit=unit,
            period=wanted,
            metric=metric,
            view=view,
            value=value,
            records=tuple(records),
            people=tuple(sorted({r.person for r in records})),
            policy=self.policy,
        )

    @_locked
    def learners_with_hours(self, hours: float, start: dt.date, end: dt.date) -> Learners:
        """For every unit, the people with at least ``hours`` learning hours from
        completions dated ``start`` to ``end`` (both whole days, in India), as a learning
        week counts its "4+ hours" learners. Hours follow the counting policy, which the
        result carries with its threshold and dates."""
        seconds: dict[str, int] = {}
        for entry in self._ledger:
            if entry.person not in self._places or not self.policy.counts_hours(entry):
                continue
            assert entry.completed_at is not None
            if start <= entry.completed_at.date() <= end:
                seconds[entry.person] = seconds.get(entry.person, 0) + (entry.duration or 0)
        counts = dict.fromkeys(self._paths, 0)
        for person, total in seconds.items():
            if total >= hours * 3600:
                for ancestor in self._paths[self._places[person]]:
                    counts[ancestor] += 1
        return Learners(counts, hours=hours, start=start, end=end, policy=self.policy)

    @_locked
    def compliance(
        self,
        allocations: Resolution | Iterable[Allocation],
        *,
        catalogue: Catalogue | None = None,
    ) -> ComplianceTable[int]:
        """Plan compliance of the allocations (as :func:`karmayogi.cbp.resolve` gives them)
        against this roll-up's records, per person and per unit.

        An allocation's course is found in the records as written, by its name compared
        tolerantly, or through ``catalogue`` (an id to its title, or back), and its
        person among the placed people. :attr:`ComplianceTable.matched` says how well
        both joins went; where the records hold enrolments and none of the allocations'
        courses (or people) is among them, :class:`~karmayogi.errors.NoMatchError` says
        why and what to pass, rather than a table of zeros.
        """
        from karmayogi._joins import join_courses, people_placed

        if isinstance(allocations, Resolution):
            allocations = allocations.allocations
        allocations = tuple(allocations)
        courses, by_course = join_courses(
            (a.course for a in allocations),
            {entry.course for entry in self._ledger},
            catalogue=catalogue,
        )
        by_person = people_placed(
            sum(a.person in self._places for a in allocations), len(allocations)
        )
        if self._ledger:
            by_course.check()
            by_person.check()
        excluded: dict[str, int] = {}
        per_person: dict[str, list[Allocation]] = {}
        for allocation in allocations:
            if allocation.person not in self._places:
                reason = _INACTIVE if allocation.person in self._inactive else _NOT_PLACED
                excluded[reason] = excluded.get(reason, 0) + 1
                continue
            course = courses.get(allocation.course, allocation.course)
            per_person.setdefault(allocation.person, []).append(
                attrs.evolve(allocation, course=course)
            )
        people = [self._person_compliance(p, a) for p, a in sorted(per_person.items())]
        totals: dict[str, list[int]] = {unit: [0] * 6 for unit in self._paths}
        for row in people:
            adds = (
                1,
                row.cbp_allocated,
                row.cbp_completed,
                row.cbp_completed_on_time,
                int(row.apar_compliant is not None),
                int(bool(row.apar_compliant)),
            )
            for ancestor in self._paths[row.unit]:
                for i, value in enumerate(adds):
                    totals[ancestor][i] += value
        units = tuple(
            UnitCompliance(
                unit=u.id, name=u.name, **dict(zip(_COMPLIANCE_COUNTS, totals[u.id], strict=True))
            )
            for u in self.tree
        )
        return ComplianceTable(
            policy=self.policy,
            people=tuple(people),
            units=units,
            excluded=excluded,
            matched=(by_course, by_person),
            tree=self.tree,
        )

    def _person_compliance(self, person: str, allocations: list[Allocation]) -> PersonCompliance:
        completed = on_time = apar = apar_done = 0
        for allocation in allocations:
            entry = self._ledger.get(person, allocation.course)
            done = entry.completed_at if entry is not None else None
            completed += done is not None
            on_time += done is not None and done < deadline(allocation.due)
            if allocation.apar:
                apar += 1
                year_end = FinancialYear.of(allocation.due).end
                apar_done += done is not None and done < deadline(year_end)
        return PersonCompliance(
            person=person,
            unit=self._places[person],
            cbp_allocated=len(allocations),
            cbp_completed=completed,
            cbp_completed_on_time=on_time,
            apar_allocated=apar,
            apar_completed=apar_done,
            apar_compliant=2 * apar_done >= apar if apar else None,
        )


def _check_periods(count: int, limits: Limits) -> None:
    """Refuse a table of more periods than ``limits`` allows, saying how many it has."""
    if limits.periods is not None and count > limits.periods:
        where = Location(path="periods")
        raise LimitExceeded("periods", limits.periods, where, f"{count:,} periods with data")


def _placement(
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
            Problem(
                "names a unit that is not in the organisation tree",
                Location(path=f"places[{person!r}]"),
                expected="the id of a unit",
                got=unit,
            )
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
    return counted, _with_descendants(tree, collections.Counter(counted.values())), inactive


def _with_descendants(tree: OrgTree, people: Mapping[str, int]) -> dict[str, int]:
    """Each unit's people with its descendants', from the people sitting in each unit."""
    users: dict[str, int] = {}
    for unit, count in people.items():
        for ancestor in tree.path(unit):
            users[ancestor] = users.get(ancestor, 0) + count
    return users


def _parse_period(kind: PeriodKind, period: Period | str) -> Period:
    if isinstance(period, str):
        if kind == "fy":
            return FinancialYear.parse(period)
        return Quarter.parse(period) if kind == "quarter" else Month.parse(period)
    expected = {"fy": FinancialYear, "quarter": Quarter, "month": Month}[kind]
    if not isinstance(period, expected):
        raise ValueError(f"this roll-up is by {kind}, so a period is a {expected.__name__}")
    return period
