"""The columnar engine: the roll-ups of the reference engine as dataframe operations,
written once against narwhals (see :mod:`karmayogi.columnar`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

try:
    import narwhals as nw
except ImportError as exc:  # pragma: no cover - only without the extra
    raise ImportError(
        "karmayogi.columnar needs the columnar extra: pip install narwhals polars"
    ) from exc

from narwhals.typing import IntoFrameT

from karmayogi._allocation import APAR_YEAR_END
from karmayogi._joins import CourseNames, join_courses, people_placed
from karmayogi.errors import Location, Match, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree, Person, Unit, not_in_tree
from karmayogi.periods import PERIOD_KINDS, PeriodKind, period_at
from karmayogi.progress._release import COMPLIANCE_COUNTS
from karmayogi.progress._rules import (
    INACTIVE,
    NOT_PLACED,
    CountingPolicy,
    View,
    check_periods,
    parse_period,
    placement,
    with_descendants,
)
from karmayogi.progress._tables import (
    ComplianceTable,
    PersonCompliance,
    ProgressRow,
    ProgressTable,
    UnitCompliance,
)

__all__ = [
    "ALLOCATION_COLUMNS",
    "PEOPLE_COLUMNS",
    "PLACES_COLUMNS",
    "RECORD_COLUMNS",
    "UNIT_COLUMNS",
    "compliance_frames",
    "compliance_table",
    "rollup_frame",
    "rollup_table",
]

RECORD_COLUMNS = (
    "person", "course", "status", "enrolled_at", "completed_at", "certificate", "duration",
)  # fmt: skip
"""The columns a records frame must have."""

PEOPLE_COLUMNS = ("person", "unit")
"""The columns a people frame must have: a person and the unit they sit in (as
:attr:`karmayogi.org.Person.place`); an ``active`` column (booleans) is read if present,
and everyone is active without it."""

PLACES_COLUMNS = ("person", "place")
"""The columns of a frame of places (:attr:`FrameImport.places`): where each person's
records say they are. A frame of people (:data:`PEOPLE_COLUMNS`) serves as places too."""

UNIT_COLUMNS = ("id", "name", "level", "parent")
"""The columns a tree given as a frame must have, as :class:`karmayogi.org.Unit`'s fields;
``parent`` is null at a root."""

_SLOTS = (
    "enrolments", "completions", "certificates", "seconds", "cohort_flow", "cohort_up_to",
    "enrolled_users", "started_users", "completed_users", "first_enrolled", "first_started",
    "first_completed",
)  # fmt: skip
"""The counters of each (unit, period), as the reference engine's ``Slot``."""

_INDIA_OFFSET = dt.timedelta(hours=5, minutes=30)


def rollup_frame(
    records: IntoFrameT,
    tree: OrgTree | Any,
    *,
    people: Iterable[Person] | Any | None = None,
    places: Mapping[str, str] | Any | None = None,
    by: PeriodKind = "quarter",
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    view: View = "flow",
    limits: Limits = DEFAULT_LIMITS,
) -> IntoFrameT:
    """Every unit of ``tree`` (with its descendants) in every period with anything
    counted, as :meth:`karmayogi.progress.Rollup.table` gives them:
    one row per unit and period, parents first, with the columns of that table's frame
    (``unit``, ``name``, ``period``, the metrics, ``enrolments_completed``, and the
    ``view`` and counting ``policy`` that made them). Gives a frame of the records' own
    library (lazy if it was lazy).

    ``tree`` is an :class:`~karmayogi.org.OrgTree` or a frame of its units
    (:data:`UNIT_COLUMNS`). People are placed by ``people``, a list of
    :class:`~karmayogi.org.Person` or a frame (:data:`PEOPLE_COLUMNS`) of the records'
    library, which also counts each unit's users; or by ``places``, a mapping of person
    to unit. Inactive people and their records are left out unless the policy counts
    them; so are the records of people not placed."""
    placed = _Placed(records, tree, people=people, places=places, policy=policy)
    rolled = _Rolled(placed, by=by, view=view, limits=limits)
    # The rules that made the numbers travel with them, as in the reference table's frame.
    table = rolled.table.with_columns(
        nw.lit(view, nw.String()).alias("view"), nw.lit(policy.name, nw.String()).alias("policy")
    )
    native = table.collect().to_native() if rolled.eager else table.to_native()
    return cast("IntoFrameT", native)


def rollup_table(
    records: Any,
    tree: OrgTree | Any,
    *,
    people: Iterable[Person] | Any | None = None,
    places: Mapping[str, str] | Any | None = None,
    by: PeriodKind = "quarter",
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    view: View = "flow",
    limits: Limits = DEFAULT_LIMITS,
) -> ProgressTable[int]:
    """What :func:`rollup_frame` computes, as the reference engine's
    :class:`~karmayogi.progress.ProgressTable`: the table (units by periods, small) is
    brought into Python, with the ledger entries left out and why, and those without an
    enrolment date; so it prints, suppresses and exports as
    :meth:`karmayogi.progress.Rollup.table` does.

    >>> import datetime as dt, polars as pl
    >>> from karmayogi.org import OrgTree, Unit
    >>> tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    >>> records = pl.DataFrame({
    ...     "person": ["asha", "ravi"], "course": ["RTI Act"] * 2, "status": [2, 1],
    ...     "enrolled_at": [dt.datetime(2025, 4, 5, 10), dt.datetime(2025, 4, 2, 9)],
    ...     "completed_at": [dt.datetime(2025, 5, 1, 17), None],
    ...     "certificate": [True, False], "duration": [5400, 5400]})
    >>> table = rollup_table(records, tree, places={"asha": "cg"}, by="fy")
    >>> row = table.row("cg", "2025-26")
    >>> row.enrolments, row.completions, row.learning_hours, dict(table.excluded)
    (1, 1, 1.5, {'people not placed in the organisation tree': 1})
    """
    placed = _Placed(records, tree, people=people, places=places, policy=policy)
    rolled = _Rolled(placed, by=by, view=view, limits=limits)
    shown = rolled.table.collect()
    rows = tuple(
        ProgressRow(
            **{**_plain(values), "period": parse_period(by, values["period"])}, policy=policy
        )
        for values in shown.iter_rows(named=True)
    )
    return ProgressTable(
        by=by,
        view=view,
        policy=policy,
        rows=rows,
        excluded=rolled.excluded(),
        undated=rolled.undated(),
        tree=rolled.tree,
    )


class _Placed:
    """A records frame, with its people placed in the tree: the counted people as a frame
    of ``person``, a number ``pid`` and their unit's number ``uid``; the inactive people
    left out (``person``); and, when people are given, each unit's users with its
    descendants'."""

    def __init__(
        self,
        records: Any,
        tree: OrgTree | Any,
        *,
        people: Iterable[Person] | Any | None,
        places: Mapping[str, str] | Any | None,
        policy: CountingPolicy,
    ) -> None:
        if (people is None) == (places is None):
            raise TypeError("give either people or places, to place each person in a unit")
        self.policy = policy
        # Any: narwhals' overloads take an eager or a lazy frame, not a variable that is either.
        frame: nw.DataFrame[Any] | nw.LazyFrame[Any] = nw.from_native(cast("Any", records))
        self.eager = isinstance(frame, nw.DataFrame)
        lazy = frame.lazy()
        _check_columns("records", lazy.collect_schema().names(), RECORD_COLUMNS)
        # Only the columns read: others (of any type, or none) need not join.
        lazy = _as_text(lazy.select(*RECORD_COLUMNS), ("person", "course"))
        self.records = _in_india(lazy, ("enrolled_at", "completed_at"), "records")
        self.tree = tree if isinstance(tree, OrgTree) else _tree_of(tree)
        self.small = _SmallFrames(self.records)
        # People and units as numbers (a unit's is its place in the tree's order), so that
        # the grouping after the join with the people is by integers, not strings.
        self.order = order = {u.id: i for i, u in enumerate(self.tree)}
        self.once = once = _Once(eager=self.eager)
        self.users: dict[str, int] | None
        small = self.small
        if people is not None and _is_frame(people):
            self.people, self.users, self.inactive = _framed_people(
                people, self.tree, order, policy=policy, small=small, once=once
            )
        elif places is not None and _is_frame(places):
            self.people, _, self.inactive = _framed_people(
                places, self.tree, order, policy=policy, small=small, once=once, what="places"
            )
            self.users = None  # places say where people are, not how many there are
        else:
            self.people, self.users, self.inactive = _listed_people(
                people, places, order, tree=self.tree, policy=policy, small=small
            )

    def closure(self) -> nw.LazyFrame[Any]:
        """Each unit (``uid``) with each of its ``ancestor``'s, itself included."""
        tree, order = self.tree, self.order
        return self.small.make(
            {
                "uid": [order[u.id] for u in tree for _ in tree.path(u.id)],
                "ancestor": [order[a] for u in tree for a in tree.path(u.id)],
            }
        )

    def excluded(self, rows: nw.LazyFrame[Any], *, unique: bool = False) -> dict[str, int]:
        """Rows (each with a ``person``) of people not counted, by reason; with ``unique``,
        each row counted once (made unique after the people counted are taken out: few
        remain, where the records are millions)."""
        left_out = rows.join(self.people.select("person"), on="person", how="anti")
        left_out = self.once(left_out.unique() if unique else left_out)
        total = _count(left_out)
        inactive = _count(left_out.join(self.inactive, on="person", how="semi"))
        counts = {INACTIVE: inactive, NOT_PLACED: total - inactive}
        return {reason: n for reason, n in counts.items() if n}


class _Rolled:
    """The roll-up of a records frame, and what it left out."""

    def __init__(self, placed: _Placed, *, by: PeriodKind, view: View, limits: Limits) -> None:
        if by not in PERIOD_KINDS:
            raise ValueError(f"periods are by one of {', '.join(PERIOD_KINDS)}, got {by!r}")
        if view not in ("flow", "cumulative"):
            raise ValueError(f"a view is flow or cumulative, got {view!r}")
        # The placed records' parts, by the names the steps below use.
        policy = placed.policy
        lazy, tree, small, once = placed.records, placed.tree, placed.small, placed.once
        eager, order, users = placed.eager, placed.order, placed.users
        people_frame = placed.people
        entries = _entries(lazy.join(people_frame, on="person"), by)
        entries = once(entries)
        closure = placed.closure()
        # Each unit's own counters, then each unit's with its descendants': summed before the
        # join with the tree, so the join meets units and periods, not records.
        own = (
            nw.concat(
                _contributions(entries, policy, flow=view == "flow", once=once), how="vertical"
            )
            .group_by("uid", "period")
            .agg(*(nw.col(s).sum() for s in _SLOTS))
        )
        # The counters are the size of the table (units by periods), not of the records; they
        # are made once, since the periods are found in them before the table is made.
        totals = once(
            own.join(closure, on="uid")
            .group_by("ancestor", "period")
            .agg(*(nw.col(s).sum() for s in _SLOTS))
            .rename({"ancestor": "uid"}),
            small=True,
        )
        periods = _periods(totals)
        check_periods(len(periods), limits)
        grid_columns: dict[str, list[Any]] = {
            "unit": [u for u in order for _ in periods],
            "name": [tree[u].name for u in order for _ in periods],
            "period": [p for _ in order for p in periods],
            "label": [str(period_at(by, p)) for _ in order for p in periods],
            "uid": [order[u] for u in order for _ in periods],
        }
        if users is not None:  # without people, no one knows how many there are
            grid_columns["users"] = [users.get(u, 0) for u in order for _ in periods]
        grid = small.make(grid_columns)
        if view == "cumulative":
            shown = small.make({"upto": periods})
            totals = (
                totals.join(shown, how="cross")
                .filter(nw.col("period") <= nw.col("upto"))
                .group_by("uid", "upto")
                .agg(*(nw.col(s).sum() for s in _SLOTS))
                .rename({"upto": "period"})
            )
        table = grid.join(totals, on=["uid", "period"], how="left").with_columns(
            *(nw.col(s).fill_null(0) for s in _SLOTS)
        )
        if users is None:
            table = table.with_columns(nw.lit(None).alias("users"))
        result = _metrics(table, flow=view == "flow").sort("uid", "index")
        result = result.drop("uid", "index")
        self.table, self.tree, self.eager, self._placed = result, tree, eager, placed
        self._entries = entries

    def excluded(self) -> dict[str, int]:
        """Ledger entries (a person's records on a course) left out, by reason."""
        return self._placed.excluded(self._placed.records.select("person", "course"), unique=True)

    def undated(self) -> int:
        """Counted entries without an enrolment date: in completions, not enrolments."""
        return _count(self._entries.filter(nw.col("enrolled").is_null()))


def _count(frame: nw.LazyFrame[Any]) -> int:
    return int(frame.select(nw.len()).collect().item())


# --- Plan compliance ---------------------------------------------------------------------------


def compliance_frames(
    records: IntoFrameT,
    allocations: Any,
    tree: OrgTree | Any,
    *,
    people: Iterable[Person] | Any | None = None,
    places: Mapping[str, str] | Any | None = None,
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    catalogue: CourseNames | None = None,
) -> tuple[IntoFrameT, IntoFrameT]:
    """Plan compliance, as :meth:`karmayogi.progress.Rollup.compliance` counts it, as two
    frames of the records' library: one row per person with allocations (the fields of
    :class:`~karmayogi.progress.PersonCompliance`, by person) and one per unit of the tree
    with its descendants (:class:`~karmayogi.progress.UnitCompliance`'s, parents first,
    and the counting ``policy``, as the reference table's frame has them).

    ``allocations`` is a frame of the records' library with the columns
    :data:`ALLOCATION_COLUMNS`: ``person``, ``course``, ``due`` (a date: the whole day
    counts, in India) and ``apar`` (whether the course counts for the APAR rule: at least
    half of a person's APAR courses completed by the end of their financial year). The
    people are placed as :func:`rollup_frame` places them; allocations of people not
    counted are left out. Courses are found as the reference engine finds them (as
    written, by name tolerantly, or through ``catalogue``), and nothing found is a
    :class:`~karmayogi.errors.NoMatchError`."""
    placed = _Placed(records, tree, people=people, places=places, policy=policy)
    found = _Compliance(placed, allocations, catalogue)
    # The units with the policy that counted them, as the reference table's frame has it.
    units = found.units.with_columns(nw.lit(policy.name, nw.String()).alias("policy"))
    return cast("IntoFrameT", found.native(found.people)), cast("IntoFrameT", found.native(units))


def compliance_table(
    records: Any,
    allocations: Any,
    tree: OrgTree | Any,
    *,
    people: Iterable[Person] | Any | None = None,
    places: Mapping[str, str] | Any | None = None,
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    catalogue: CourseNames | None = None,
) -> ComplianceTable[int]:
    """What :func:`compliance_frames` computes, as the reference engine's
    :class:`~karmayogi.progress.ComplianceTable`, with the allocations left out and why.

    >>> import datetime as dt, polars as pl
    >>> from karmayogi.org import OrgTree, Unit
    >>> tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    >>> records = pl.DataFrame({
    ...     "person": ["asha"], "course": ["RTI Act"], "status": [2],
    ...     "enrolled_at": [dt.datetime(2025, 4, 5, 10)],
    ...     "completed_at": [dt.datetime(2025, 6, 30, 23, 59)],
    ...     "certificate": [True], "duration": [5400]})
    >>> allocations = pl.DataFrame({
    ...     "person": ["asha", "asha"], "course": ["RTI Act", "Ethics"],
    ...     "due": [dt.date(2025, 6, 30)] * 2, "apar": [True, True]})
    >>> table = compliance_table(records, allocations, tree, places={"asha": "cg"})
    >>> asha = table.person("asha")
    >>> asha.cbp_allocated, asha.cbp_completed_on_time, asha.apar_compliant
    (2, 1, True)
    """
    placed = _Placed(records, tree, people=people, places=places, policy=policy)
    found = _Compliance(placed, allocations, catalogue)
    people_rows = found.people.collect().iter_rows(named=True)
    unit_rows = found.units.collect().iter_rows(named=True)
    return ComplianceTable(
        policy=policy,
        people=tuple(PersonCompliance(**_plain(row)) for row in people_rows),
        units=tuple(UnitCompliance(**_plain(row)) for row in unit_rows),
        excluded=found.placed.excluded(found.allocations.select("person")),
        matched=found.matched(),
        tree=found.placed.tree,
    )


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's values as Python's: each library's missing value (NaN, pandas' NA) None,
    numpy's numbers Python's."""
    plain: dict[str, Any] = {}
    for name, value in row.items():
        if value is None or type(value).__name__ == "NAType" or value != value:  # noqa: PLR0124 - NaN
            plain[name] = None
        else:
            plain[name] = value.item() if hasattr(value, "item") else value
    return plain


ALLOCATION_COLUMNS = ("person", "course", "due", "apar")
"""The columns an allocations frame must have (as :class:`karmayogi.cbp.Allocation`'s)."""

_PERSON_COUNTS = (
    "cbp_allocated", "cbp_completed", "cbp_completed_on_time", "apar_allocated", "apar_completed",
)  # fmt: skip


class _Compliance:
    """Plan compliance per person and per unit, as lazy frames."""

    def __init__(self, placed: _Placed, allocations: Any, catalogue: CourseNames | None) -> None:
        self.placed = placed
        given = nw.from_native(allocations).lazy()
        if given.implementation != placed.small.implementation:
            raise TypeError(
                f"allocations is a frame of {given.implementation}, the records one of "
                f"{placed.small.implementation}: give both in one library"
            )
        _check_columns("allocations", given.collect_schema().names(), ALLOCATION_COLUMNS)
        given = _in_india(_as_text(given, ("person", "course")), ("due",), "allocations")
        given = given.select("person", "course", "due", nw.col("apar").cast(nw.Int64).alias("apar"))
        self.allocations = given = self._courses_found(given, catalogue)
        self.by_person = self._people_found()
        # Each entry's first completion, as the ledger joins records.
        done = (
            placed.records.select("person", "course", "completed_at")
            .group_by("person", "course")
            .agg(nw.col("completed_at").min())
        )
        # pandas makes the minimum of no rows a column of objects: a time, though empty.
        done = _in_india(done, ("completed_at",), "records")
        due, completed = nw.col("due"), nw.col("completed_at")
        # Dates as yyyymmdd numbers: completed on time is completed on or before the due
        # date (its whole day, in India); for APAR, by the 31 March ending its year.
        fy = due.dt.year().cast(nw.Int64) - (due.dt.month() < 4).cast(nw.Int64)
        year_end = (fy + 1) * 10000 + APAR_YEAR_END[0] * 100 + APAR_YEAR_END[1]
        finished = ~completed.is_null()
        flags = (
            self.allocations.join(placed.people.select("person", "uid"), on="person")
            .join(done, on=["person", "course"], how="left")
            .select(
                "person",
                "uid",
                _ONE.cast(nw.Int64).alias("cbp_allocated"),
                finished.cast(nw.Int64).alias("cbp_completed"),
                (_day(completed) <= _day(due))
                .fill_null(value=False)
                .cast(nw.Int64)
                .alias("cbp_completed_on_time"),
                nw.col("apar").alias("apar_allocated"),
                (
                    (_day(completed) <= year_end).fill_null(value=False).cast(nw.Int64)
                    * nw.col("apar")
                ).alias("apar_completed"),
            )
        )
        per_person = placed.once(
            flags.group_by("person", "uid")
            .agg(*(nw.col(c).sum() for c in _PERSON_COUNTS))
            .with_columns(
                nw.when(nw.col("apar_allocated") > 0)
                .then(2 * nw.col("apar_completed") >= nw.col("apar_allocated"))
                .alias("apar_compliant")
            )
        )
        units = placed.small.make(
            {"unit": list(placed.order), "uid": list(placed.order.values()),
             "name": [u.name for u in placed.tree]}
        )  # fmt: skip
        self.people = (
            per_person.join(units.select("uid", "unit"), on="uid")
            .select("person", "unit", *_PERSON_COUNTS, "apar_compliant")
            .sort("person")
        )
        own = per_person.select(
            "uid",
            _ONE.cast(nw.Int64).alias("users"),
            nw.col("cbp_allocated"),
            nw.col("cbp_completed"),
            nw.col("cbp_completed_on_time"),
            (nw.col("apar_allocated") > 0).cast(nw.Int64).alias("apar_users"),
            nw.col("apar_compliant").fill_null(value=False).cast(nw.Int64)
            .alias("apar_compliant_users"),
        )  # fmt: skip
        totals = (
            own.join(placed.closure(), on="uid")
            .group_by("ancestor")
            .agg(*(nw.col(c).sum() for c in COMPLIANCE_COUNTS))
            .rename({"ancestor": "uid"})
        )
        self.units = (
            units.join(totals, on="uid", how="left")
            .sort("uid")
            .select(
                "unit",
                "name",
                *(nw.col(c).fill_null(0).cast(nw.Int64) for c in COMPLIANCE_COUNTS),
            )
        )

    def native(self, frame: nw.LazyFrame[Any]) -> Any:
        return frame.collect().to_native() if self.placed.eager else frame.to_native()

    def _courses_found(
        self, given: nw.LazyFrame[Any], catalogue: CourseNames | None
    ) -> nw.LazyFrame[Any]:
        """The allocations with each course named as the records name it, found by the
        reference engine's rule on the distinct courses of each (a few hundred)."""

        def distinct(frame: nw.LazyFrame[Any]) -> list[str]:
            column = frame.select("course").unique().collect().get_column("course")
            return [c for c in column.to_list() if c is not None]

        present = distinct(self.placed.records)
        self.records_present = bool(present)
        found, self.by_course = join_courses(distinct(given), present, catalogue=catalogue)
        if present:
            self.by_course.check()
        renamed = {k: v for k, v in found.items() if k != v}
        if not renamed:
            return given
        pairs = self.placed.small.make({"course": list(renamed), "found": list(renamed.values())})
        return (
            given.join(pairs, on="course", how="left")
            .with_columns(nw.coalesce("found", "course").alias("course"))
            .select("person", "course", "due", "apar")
        )

    def _people_found(self) -> Match:
        placed = _count(self.allocations.join(self.placed.people.select("person"), on="person"))
        by_person = people_placed(placed, _count(self.allocations))
        if self.records_present:
            by_person.check()
        return by_person

    def matched(self) -> tuple[Match, ...]:
        """How well the allocations met the records by course, and the people placed."""
        return (self.by_course, self.by_person)


def _day(when: nw.Expr) -> nw.Expr:
    """A date (or a time's date) as the number yyyymmdd."""
    # As floats first (exact at this size): a backend's month may be 8 bits, which 7 * 100
    # overflows, and a missing date in pandas' classic types is NaN, which no integer holds.
    year, month, day = (part.cast(nw.Float64) for part in (when.dt.year(), when.dt.month(),
                                                            when.dt.day()))  # fmt: skip
    return year * 10000 + month * 100 + day


def _check_columns(what: str, names: list[str], required: tuple[str, ...]) -> None:
    """Every required column missing from a frame, at once."""
    missing = [c for c in required if c not in names]
    if missing:
        raise ValidationError(
            [
                Problem(
                    f"is missing a column of a {what} frame",
                    Location(path=f"{what}[{column!r}]"),
                    expected=", ".join(required),
                    got=", ".join(names),
                    code="missing-column",
                )
                for column in missing
            ]
        )


def _tree_of(units: Any) -> OrgTree:
    """The tree of a frame of units (a tree is small: its rows are brought into Python)."""
    frame = nw.from_native(units)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    _check_columns("units", frame.columns, UNIT_COLUMNS)
    # As text, a root's parent blank: each library has its own missing value (None, NaN,
    # NA), and a level may be a number or a word.
    rows = frame.select(
        *(nw.col(c).cast(nw.String()) for c in ("id", "name", "level")),
        nw.col("parent").cast(nw.String()).fill_null(""),
    ).iter_rows()
    return OrgTree(Unit(id=i, name=n, level=lv, parent=p) for i, n, lv, p in rows)


def _listed_people(
    people: Iterable[Person] | None,
    places: Mapping[str, str] | None,
    order: Mapping[str, int],
    *,
    tree: OrgTree,
    policy: CountingPolicy,
    small: _SmallFrames,
) -> tuple[nw.LazyFrame[Any], dict[str, int] | None, nw.LazyFrame[Any]]:
    """The counted people as a frame of ``person``, a number ``pid`` and their unit's
    number ``uid``; when people are given, each unit's count with its descendants'; and
    the inactive people left out, as a frame of ``person``."""
    placed, users, inactive = placement(tree, people, places, policy)
    made = small.make(
        {
            "person": list(placed),
            "pid": list(range(len(placed))),
            "uid": [order[u] for u in placed.values()],
        }
    )
    return made, users, small.make({"person": sorted(inactive)})


def _framed_people(
    people: Any,
    tree: OrgTree,
    order: Mapping[str, int],
    *,
    policy: CountingPolicy,
    small: _SmallFrames,
    once: _Once,
    what: str = "people",
) -> tuple[nw.LazyFrame[Any], dict[str, int], nw.LazyFrame[Any]]:
    """As :func:`_listed_people`, from a frame of people (or of places: ``what``), in the
    frame's library."""
    given = nw.from_native(people).lazy()
    if given.implementation != small.implementation:
        raise TypeError(
            f"{what} is a frame of {given.implementation}, the records one of "
            f"{small.implementation}: give both in one library"
        )
    names = given.collect_schema().names()
    if "place" in names and "unit" not in names:
        if what == "people":  # users would be everyone enrolled: a silent wrong number
            raise ValidationError(
                [
                    Problem(
                        "is a frame of places (where each person's records say they are, "
                        "as read_consumption_frame gives them), not of people: pass it as "
                        "places=, which counts no users, or give people with a unit column",
                        Location(path="people"),
                        expected=", ".join(PEOPLE_COLUMNS),
                        got=", ".join(names),
                        code="malformed",
                    )
                ]
            )
        given, names = given.rename({"place": "unit"}), [*names, "unit"]
    _check_columns(what, names, PEOPLE_COLUMNS)
    given = _as_text(given, ("person", "unit"))
    active = nw.col("active").cast(nw.Int64) if "active" in names else _ONE.cast(nw.Int64)
    # One row per person; a person given twice with other details has a least value
    # unlike the greatest.
    units = small.make({"unit": list(order), "uid": list(order.values())})
    placed = once(
        given.select("person", "unit", active.alias("active"))
        .group_by("person")
        .agg(
            nw.col("unit").min(),
            nw.col("unit").max().alias("other_unit"),
            nw.col("active").min(),
            nw.col("active").max().alias("other_active"),
        )
        .join(units, on="unit", how="left")
    )
    _check_people(placed, what)
    inactive = placed.filter(nw.col("active") == 0).select("person")
    if policy.include_inactive:
        inactive = inactive.head(0)
    else:
        placed = placed.filter(nw.col("active") == 1)
    per_unit = placed.group_by("uid").agg(nw.len().alias("users")).collect()
    ids = list(order)
    users = with_descendants(tree, {ids[uid]: count for uid, count in per_unit.iter_rows()})
    numbered = placed.select("person", "uid").with_row_index("pid", order_by="person")
    return numbered, users, inactive


def _is_frame(value: object) -> bool:
    return nw.from_native(value, pass_through=True) is not value


def _check_people(placed: nw.LazyFrame[Any], what: str) -> None:
    """Every person given twice with other details, and every person in a unit not in
    the tree, at once: only those rows are brought into Python."""
    unit, other_unit = nw.col("unit"), nw.col("other_unit")
    twice = (unit != other_unit) | (nw.col("active") != nw.col("other_active"))
    wrong = placed.filter(twice | nw.col("uid").is_null()).sort("person").collect()
    problems = []
    for row in wrong.iter_rows(named=True):
        person = row["person"]
        if row["unit"] != row["other_unit"] or row["active"] != row["other_active"]:
            units = sorted({row["unit"], row["other_unit"]})
            problems.append(
                Problem(
                    "is given again with other details",
                    Location(path=f"{what}[{person!r}]"),
                    expected="one unit and one active flag per person",
                    got=" and ".join(units) if len(units) > 1 else "active and inactive",
                    code="inconsistent",
                )
            )
        else:
            problems.append(not_in_tree(row["unit"], f"{what}[{person!r}].unit"))
    if problems:
        raise ValidationError(problems)


class _SmallFrames:
    """Frames made from Python data, in the records' backend, to join with them."""

    def __init__(self, like: nw.LazyFrame[Any]) -> None:
        self.implementation = like.implementation
        self._like = like.to_native()

    def make(self, data: Mapping[str, list[Any]]) -> nw.LazyFrame[Any]:
        """A frame of ``data``, its columns typed by name (so that an empty one joins)."""
        schema = {name: _TYPES[name] for name in data}
        if not (self.implementation.is_duckdb() or self.implementation.is_spark_like()):
            return nw.from_dict(data, schema, backend=self.implementation).lazy()
        # Lazy engines: through Arrow, into the records' own connection or session.
        table = nw.from_dict(data, schema, backend="pyarrow").to_native()
        if self.implementation.is_duckdb():
            native = _in_connection(self._like, table)
        else:
            native = self._like.sparkSession.createDataFrame(table)
        made: nw.LazyFrame[Any] = nw.from_native(native)
        return made


def _in_connection(relation: Any, karmayogi_table: Any) -> Any:
    """An Arrow table as a DuckDB relation of the same connection as ``relation``:
    DuckDB joins only relations of one connection, and a relation does not say which it
    belongs to. A query on it finds the table by its name here (a replacement scan)."""
    return relation.query("karmayogi_records", "select * from karmayogi_table")


_TYPES = {
    "person": nw.String(), "pid": nw.Int64(), "unit": nw.String(), "uid": nw.Int64(),
    "ancestor": nw.Int64(), "period": nw.Int64(), "upto": nw.Int64(), "label": nw.String(),
    "users": nw.Int64(), "name": nw.String(), "course": nw.String(), "found": nw.String(),
    **{slot: nw.Int64() for slot in _SLOTS},
}  # fmt: skip


def _in_india(frame: nw.LazyFrame[Any], columns: tuple[str, ...], what: str) -> nw.LazyFrame[Any]:
    """``frame`` with each of its ``columns`` that holds instants (a timestamp with a
    zone) as India's wall-clock time, without a zone; a naive timestamp or a date is
    India's already, and so are Python's dates and times in a column of objects.

    India's offset has been +05:30 all year since 1945, so the shift from UTC is exact.
    DuckDB and Spark read a zoned timestamp's fields in the connection's or the session's
    zone, which follows the machine's: there the wall clock is made from the instant's
    microseconds since the epoch, which no zone setting changes."""
    schema = frame.collect_schema()
    # Python's dates and times in a column of objects (pandas' own, from Arrow's dates);
    # with no rows, pandas calls such a column text.
    objects = [c for c in columns if isinstance(schema[c], nw.Object | nw.String)]
    text = [c for c in objects if isinstance(schema[c], nw.String) and not _empty(frame, c)]
    if text:
        raise ValidationError(
            [
                Problem(
                    "holds text, not times: parse it first, naive in India's time or with "
                    "its zone (polars: str.to_datetime; pandas: pd.to_datetime with a format)",
                    Location(path=f"{what}[{c!r}]"),
                    expected="timestamps or dates",
                    got=str(schema[c]),
                    code="malformed",
                )
                for c in text
            ]
        )
    if objects:
        frame = frame.with_columns(*(nw.col(c).cast(nw.Datetime("us")) for c in objects))
        schema = frame.collect_schema()
    unknown = [c for c in columns if isinstance(schema[c], nw.Unknown)]
    if unknown and frame.implementation.is_pandas_like():  # DuckDB's: by its types, below
        frame = _pandas_zoned(frame, unknown, what)
        schema = frame.collect_schema()
    zones = {c: _zone(schema[c]) for c in columns}
    implementation = frame.implementation
    if implementation.is_duckdb():  # its own types: narwhals knows no TIMESTAMPTZ_NS
        relation = frame.to_native()
        types = dict(zip(relation.columns, map(str, relation.types), strict=True))
        zones = {c: "zoned" if types[c].startswith(_DUCKDB_ZONED) else None for c in columns}
    zoned = [c for c, zone in zones.items() if zone is not None]
    if not zoned:
        return frame
    shift = _INDIA_OFFSET // dt.timedelta(microseconds=1)
    if implementation.is_duckdb():
        replaced = ", ".join(
            f'make_timestamp(epoch_us(CAST("{c}" AS TIMESTAMPTZ)) + {shift}) AS "{c}"'
            for c in zoned
        )
        relation = frame.to_native().project(f"* REPLACE ({replaced})")
        duckdb_frame: nw.LazyFrame[Any] = nw.from_native(relation)
        return duckdb_frame
    if implementation.is_spark_like():
        epoch = "TIMESTAMP_NTZ'1970-01-01 00:00:00'"
        native = frame.to_native()
        spark_frame: nw.LazyFrame[Any] = nw.from_native(
            native.selectExpr(
                *(
                    f"timestampadd(MICROSECOND, unix_micros(`{c}`) + {shift}, {epoch}) AS `{c}`"
                    if c in zoned
                    else f"`{c}`"
                    for c in native.columns
                )
            )
        )
        return spark_frame
    # The zone is in the data type (polars, pandas, pyarrow): converted as it says.
    in_utc = {
        c: nw.col(c) if zones[c] in ("UTC", "Etc/UTC") else nw.col(c).dt.convert_time_zone("UTC")
        for c in zoned
    }
    return frame.with_columns(
        *(when.dt.replace_time_zone(None) + _INDIA_OFFSET for when in in_utc.values())
    )


def _pandas_zoned(frame: nw.LazyFrame[Any], columns: list[str], what: str) -> nw.LazyFrame[Any]:
    """``frame`` with its pandas timestamps of a zone narwhals does not know (pandas 3's
    own zones, other than UTC, are such) as India's wall-clock time: converted by pandas
    itself, on a copy, rather than read as if they had no zone; a column of a type
    neither knows is refused, saying so."""
    native = frame.to_native()
    zoned = {c: native[c] for c in columns if getattr(native[c].dtype, "tz", None) is not None}
    unknown = [c for c in columns if c not in zoned]
    if unknown:
        raise ValidationError(
            [
                Problem(
                    "holds values of a type that is not a timestamp this engine knows",
                    Location(path=f"{what}[{c!r}]"),
                    expected="timestamps (naive in India's time, or with their zone) or dates",
                    got=str(native[c].dtype),
                    code="malformed",
                )
                for c in unknown
            ]
        )
    india = {
        c: series.dt.tz_convert("UTC").dt.tz_localize(None) + _INDIA_OFFSET
        for c, series in zoned.items()
    }
    converted: nw.LazyFrame[Any] = nw.from_native(native.assign(**india)).lazy()
    return converted


def _as_text(frame: nw.LazyFrame[Any], columns: tuple[str, ...]) -> nw.LazyFrame[Any]:
    """``frame`` with each of its ``columns`` of any kind of string (Arrow's large and
    view strings, categories and enums) as plain strings: joins need one kind on both
    sides, and the engine's own frames are plain."""
    schema = frame.collect_schema()
    # Arrow's string, large_string and string_view are all String to narwhals.
    arrow = frame.implementation.is_pyarrow()
    recast = [c for c in columns if arrow or not isinstance(schema[c], nw.String)]
    return frame.with_columns(*(nw.col(c).cast(nw.String()) for c in recast)) if recast else frame


def _empty(frame: nw.LazyFrame[Any], column: str) -> bool:
    """Whether ``column`` holds nothing but nulls (asked only of a column of text)."""
    return _count(frame.filter(~nw.col(column).is_null()).select(column).head(1)) == 0


_DUCKDB_ZONED = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
"""How DuckDB names its timestamps with a zone: DuckDB 2 reads Arrow's nanoseconds with a
zone as ``TIMESTAMPTZ_NS``, which narwhals calls Unknown (and a zoned time taken for a
naive one is read in the connection's zone: a day early or late in India)."""


def _zone(dtype: Any) -> str | None:
    """A timestamp type's zone; None for a naive one, or a column of any other type."""
    return dtype.time_zone if isinstance(dtype, nw.Datetime) else None


def _period(when: nw.Expr, by: PeriodKind) -> nw.Expr:
    """:func:`karmayogi.periods.period_index` of India's date, as an expression."""
    # Not cast to integers yet: a missing time is NaN in pandas' classic types, which no
    # integer holds. _counted casts the periods it keeps.
    year, month = when.dt.year(), when.dt.month()
    if by == "month":
        return year * 12 + month - 1
    fy = year - (month < 4).cast(nw.Int64)
    if by == "fy":
        return fy
    # The quarter of the financial year, without modulo or division, which not every
    # backend's integers have: April-June 0, July-September 1, October-December 2, else 3.
    quarter = (
        nw.when(month <= 3).then(3)
        .when(month <= 6).then(0)
        .when(month <= 9).then(1)
        .otherwise(2)
    )  # fmt: skip
    return fy * 4 + quarter


def _entries(records: nw.LazyFrame[Any], by: PeriodKind) -> nw.LazyFrame[Any]:
    """One row per placed person (``pid``, in unit ``uid``) and course, joined as the
    ledger joins records, with the periods of its enrolment (``enrolled``) and completion
    (``completed``)."""
    # Columns first, then plain min and max per group: every backend runs those.
    prepared = records.select(
        "pid",
        "uid",
        "course",
        "status",
        "enrolled_at",
        "completed_at",
        nw.col("certificate").cast(nw.Int64),
        "duration",
    )
    joined = prepared.group_by("pid", "uid", "course").agg(
        nw.col("status").max(),
        nw.col("enrolled_at").min(),
        nw.col("completed_at").min(),
        nw.col("certificate").max(),
        nw.col("duration").max(),
    )
    return joined.select(
        "pid",
        "uid",
        "status",
        "certificate",
        "duration",
        _period(nw.col("enrolled_at"), by).alias("enrolled"),
        _period(nw.col("completed_at"), by).alias("completed"),
    )


def _counted(frame: nw.LazyFrame[Any], period: nw.Expr, **slots: nw.Expr) -> nw.LazyFrame[Any]:
    """The given counters summed per (unit, period), and the other counters zero: summed
    here, so that what is put together afterwards is the size of the table."""
    summed = (
        frame.filter(~period.is_null())
        .select(
            nw.col("uid"),
            period.cast(nw.Int64).alias("period"),
            *(value.cast(nw.Int64).alias(slot) for slot, value in slots.items()),
        )
        .group_by("uid", "period")
        .agg(*(nw.col(slot).sum() for slot in slots))
    )
    # Cast again: a backend's sum may widen the type (DuckDB's to 128 bits).
    return summed.select(
        "uid",
        "period",
        *((nw.col(s) if s in slots else _ZERO).cast(nw.Int64).alias(s) for s in _SLOTS),
    )


_ZERO, _ONE = nw.lit(0), nw.lit(1)


class _Once:
    """A frame read more than once, made once: in memory when the records are in memory
    already, and on DuckDB, which would otherwise compute it again for each use. On
    Spark only a ``small`` one (the size of the table) is cached in the session; the
    records' are left to Spark to plan."""

    def __init__(self, *, eager: bool) -> None:
        self.eager = eager

    def __call__(self, frame: nw.LazyFrame[Any], *, small: bool = False) -> nw.LazyFrame[Any]:
        if self.eager:
            return frame.collect().lazy()
        native = frame.to_native()
        made: nw.LazyFrame[Any] = frame
        if frame.implementation.is_duckdb() and hasattr(native, "materialize"):
            made = nw.from_native(native.materialize())  # DuckDB 2.0 and later
        elif frame.implementation.is_spark_like() and small and hasattr(native, "cache"):
            made = nw.from_native(native.cache())
        return made


def _contributions(
    entries: nw.LazyFrame[Any], policy: CountingPolicy, *, flow: bool, once: _Once
) -> list[nw.LazyFrame[Any]]:
    """What each entry, and each person, adds to their unit's counters; of the counters
    of people, only those the view shows."""
    enrolled, completed = nw.col("enrolled"), nw.col("completed")
    hours = nw.col("certificate") == 1
    if policy.hours_from == "completed":
        hours = nw.lit(value=True)
    both = ~enrolled.is_null() & ~completed.is_null()
    counted = [
        _counted(
            entries,
            enrolled,
            enrolments=_ONE,
            cohort_flow=(both & (completed <= enrolled)),
        ),
        _counted(
            entries,
            completed,
            completions=_ONE,
            certificates=nw.col("certificate"),
            seconds=nw.when(hours).then(nw.col("duration").fill_null(0)).otherwise(_ZERO),
        ),
        _counted(entries.filter(both), nw.max_horizontal(enrolled, completed), cohort_up_to=_ONE),
    ]
    if flow:  # people with an entry in each period, and with a started one
        by_enrolment = entries.group_by("uid", "pid", "enrolled").agg(nw.col("status").max())
        by_completion = entries.select("uid", "pid", "completed").unique()
        return [
            *counted,
            _counted(
                by_enrolment, enrolled, enrolled_users=_ONE, started_users=nw.col("status") > 0
            ),
            _counted(by_completion, completed, completed_users=_ONE),
        ]
    # People by the period of their first entry, first started one and first completion.
    first = once(
        entries.with_columns(nw.when(nw.col("status") > 0).then(enrolled).alias("started"))
        .group_by("pid", "uid")
        .agg(enrolled.min(), completed.min(), nw.col("started").min())
    )
    return [
        *counted,
        _counted(first, enrolled, first_enrolled=_ONE),
        _counted(first, nw.col("started"), first_started=_ONE),
        _counted(first, completed, first_completed=_ONE),
    ]


def _periods(counted: nw.LazyFrame[Any]) -> list[int]:
    """Every period with anything counted, in order (as the reference engine's)."""
    nonzero = counted.filter(
        nw.any_horizontal(*(nw.col(s) != 0 for s in _SLOTS), ignore_nulls=True)
    )
    return sorted(int(p) for p in nonzero.select("period").unique().collect()["period"].to_list())


def _metrics(table: nw.LazyFrame[Any], *, flow: bool) -> nw.LazyFrame[Any]:
    done = nw.col("cohort_flow" if flow else "cohort_up_to")
    enrolments = nw.col("enrolments")
    return table.select(
        "uid",
        "unit",
        "name",
        nw.col("label").alias("period"),
        "users",
        nw.col("enrolled_users" if flow else "first_enrolled").alias("enrolled_users"),
        nw.col("started_users" if flow else "first_started").alias("started_users"),
        nw.col("completed_users" if flow else "first_completed").alias("completed_users"),
        enrolments,
        nw.col("completions"),
        nw.when(enrolments > 0).then(done / enrolments).alias("completion_rate"),
        nw.col("certificates"),
        (nw.col("seconds") / 3600).alias("learning_hours"),
        done.alias("enrolments_completed"),
        nw.col("period").alias("index"),
    )
