"""The roll-ups of :mod:`karmayogi.progress` as dataframe operations, on the user's own
dataframe library (polars, pandas, pyarrow, DuckDB), written once against narwhals.

It means exactly what the reference engine means (the tests hold the two equal); only
elementary operations are used (columns computed first, then min, max, sum and count per
group), so every backend runs them natively. Needs the ``columnar`` extra::

    pip install 'karmayogi[columnar]'

The records are a frame with these columns (one row per record; a person's records on
one course are joined as the ledger joins them; other columns are not read):

- ``person``, ``course``: strings;
- ``status``: 0 not started, 1 in progress, 2 completed;
- ``enrolled_at``, ``completed_at``: timestamps, null when unknown; a naive timestamp is
  India's time, one with a zone is converted to it;
- ``certificate``: whether the record has a certificate;
- ``duration``: the content's duration in seconds, null when unknown.

>>> import datetime as dt, polars as pl
>>> from karmayogi.org import OrgTree, Unit
>>> tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state"),
...                 Unit(id="rev", name="Revenue", level="department", parent="cg")])
>>> records = pl.DataFrame({
...     "person": ["asha", "ravi", "ravi"], "course": ["RTI Act"] * 3,
...     "status": [2, 1, 2], "progress": [100.0, 40.0, 100.0],
...     "enrolled_at": [dt.datetime(2025, 4, 5, 10), dt.datetime(2025, 4, 2, 9),
...                     dt.datetime(2025, 4, 9, 9)],
...     "completed_at": [dt.datetime(2025, 5, 1, 17), None, dt.datetime(2025, 8, 1, 9)],
...     "certificate": [True, False, True], "duration": [5400, 5400, 5400]})
>>> table = rollup_frame(records, tree, places={"asha": "rev", "ravi": "rev"}, by="quarter")
>>> table.filter(pl.col("unit") == "rev").select("period", "enrolments", "completions",
...                                               "learning_hours").rows()
[('2025-26 Q1', 2, 1, 1.5), ('2025-26 Q2', 0, 1, 1.5)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

try:
    import narwhals as nw
except ImportError as exc:  # pragma: no cover - only without the extra
    raise ImportError(
        "karmayogi.columnar needs narwhals: pip install 'karmayogi[columnar]'"
    ) from exc

from narwhals.typing import IntoFrameT

from karmayogi._rollup import CountingPolicy
from karmayogi.errors import Location, Problem, ValidationError
from karmayogi.org import OrgTree, Person
from karmayogi.periods import PERIOD_KINDS, PeriodKind, period_at
from karmayogi.progress import View, _placement

__all__ = ["RECORD_COLUMNS", "rollup_frame"]

RECORD_COLUMNS = (
    "person", "course", "status", "enrolled_at", "completed_at", "certificate", "duration",
)  # fmt: skip
"""The columns a records frame must have."""

_SLOTS = (
    "enrolments", "completions", "certificates", "seconds", "cohort_flow", "cohort_up_to",
    "enrolled_users", "started_users", "completed_users", "first_enrolled", "first_started",
    "first_completed",
)  # fmt: skip
"""The counters of each (unit, period), as the reference engine's ``Slot``."""

_UTC = ("UTC", "Etc/UTC")
_INDIA_OFFSET = dt.timedelta(hours=5, minutes=30)


def rollup_frame(
    records: IntoFrameT,
    tree: OrgTree,
    *,
    people: Iterable[Person] | None = None,
    places: Mapping[str, str] | None = None,
    by: PeriodKind = "quarter",
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    view: View = "flow",
) -> IntoFrameT:
    """Every unit of ``tree`` (with its descendants) in every period from the first with
    anything counted to the last, as :meth:`karmayogi.progress.Rollup.table` gives them:
    one row per unit and period, parents first, with the columns ``unit``, ``period``
    and the metrics. Gives a frame of the records' own library (lazy if it was lazy)."""
    if by not in PERIOD_KINDS:
        raise ValueError(f"periods are by one of {', '.join(PERIOD_KINDS)}, got {by!r}")
    if view not in ("flow", "cumulative"):
        raise ValueError(f"a view is flow or cumulative, got {view!r}")
    if (people is None) == (places is None):
        raise TypeError("give either people or places, to place each person in a unit")
    # Any: narwhals' overloads take an eager or a lazy frame, not a variable that is either.
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any] = nw.from_native(cast("Any", records))
    eager = isinstance(frame, nw.DataFrame)
    lazy = frame.lazy()
    schema = lazy.collect_schema()  # resolved once: on DuckDB or Spark each asks the engine
    names = schema.names()
    missing = [c for c in RECORD_COLUMNS if c not in names]
    if missing:
        raise ValidationError(
            [
                Problem(
                    "is missing a column of a records frame",
                    Location(path=f"records[{column!r}]"),
                    expected=", ".join(RECORD_COLUMNS),
                    got=", ".join(names),
                )
                for column in missing
            ]
        )
    placed, users, _inactive = _placement(tree, people, places, policy)
    small = _SmallFrames(lazy)
    # People and units as numbers (a unit's is its place in the tree's order), so that the
    # grouping after the join with the people is by integers, not strings.
    order = {u.id: i for i, u in enumerate(tree)}
    people_frame = small.make(
        {
            "person": list(placed),
            "pid": list(range(len(placed))),
            "uid": [order[u] for u in placed.values()],
        }
    )
    entries = _entries(lazy.join(people_frame, on="person"), schema, by)
    if eager:
        # The records are in memory already: the entries, which every counter reads, are
        # made once rather than once per counter.
        entries = entries.collect().lazy()
    closure = small.make(
        {
            "uid": [order[u.id] for u in tree for _ in tree.path(u.id)],
            "ancestor": [order[a] for u in tree for a in tree.path(u.id)],
        }
    )
    # Each unit's own counters, then each unit's with its descendants': summed before the
    # join with the tree, so the join meets units and periods, not records.
    own = (
        nw.concat(_contributions(entries, policy, flow=view == "flow"), how="vertical")
        .group_by("uid", "period")
        .agg(*(nw.col(s).sum() for s in _SLOTS))
    )
    counted = (
        own.join(closure, on="uid")
        .group_by("ancestor", "period")
        .agg(*(nw.col(s).sum() for s in _SLOTS))
        .rename({"ancestor": "uid"})
        .collect()
    )
    # The counters are the size of the table (units by periods), not of the records: they
    # are computed once and brought back, rather than computed again for each use.
    periods = _periods(counted)
    totals = small.make(counted.to_dict(as_series=False))
    grid_columns: dict[str, list[Any]] = {
        "unit": [u for u in order for _ in periods],
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
    native = result.collect().to_native() if eager else result.to_native()
    return cast("IntoFrameT", native)


class _SmallFrames:
    """Frames made from Python data, in the records' backend, to join with them."""

    def __init__(self, like: nw.LazyFrame[Any]) -> None:
        self.implementation = like.implementation

    def make(self, data: Mapping[str, list[Any]]) -> nw.LazyFrame[Any]:
        """A frame of ``data``, its columns typed by name (so that an empty one joins)."""
        schema = {name: _TYPES[name] for name in data}
        if self.implementation.is_duckdb():
            return nw.from_dict(data, schema, backend="pyarrow").lazy("duckdb")
        return nw.from_dict(data, schema, backend=self.implementation).lazy()


_TYPES = {
    "person": nw.String(), "pid": nw.Int64(), "unit": nw.String(), "uid": nw.Int64(),
    "ancestor": nw.Int64(), "period": nw.Int64(), "upto": nw.Int64(), "label": nw.String(),
    "users": nw.Int64(),
    **{slot: nw.Int64() for slot in _SLOTS},
}  # fmt: skip


def _india(schema: nw.Schema, column: str) -> nw.Expr:
    """A timestamp column as India's wall-clock time."""
    dtype = schema[column]
    expr = nw.col(column)
    if isinstance(dtype, nw.Datetime) and dtype.time_zone is not None:
        # UTC's wall clock shifted by India's offset, which has been +05:30 all year since
        # 1945: DuckDB cannot convert to a named zone, and the shift is exact.
        if dtype.time_zone not in _UTC:
            expr = expr.dt.convert_time_zone("UTC")
        expr = expr.dt.replace_time_zone(None) + _INDIA_OFFSET
    return expr


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


def _entries(records: nw.LazyFrame[Any], schema: nw.Schema, by: PeriodKind) -> nw.LazyFrame[Any]:
    """One row per placed person (``pid``, in unit ``uid``) and course, joined as the
    ledger joins records, with the periods of its enrolment (``enrolled``) and completion
    (``completed``)."""
    # Columns first, then plain min and max per group: every backend runs those.
    prepared = records.select(
        "pid",
        "uid",
        "course",
        "status",
        _india(schema, "enrolled_at"),
        _india(schema, "completed_at"),
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


def _contributions(
    entries: nw.LazyFrame[Any], policy: CountingPolicy, *, flow: bool
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
    if flow:  # people with an entry in each period
        started = entries.filter(nw.col("status") > 0)
        return [
            *counted,
            _counted(
                entries.select("uid", "pid", "enrolled").unique(), enrolled, enrolled_users=_ONE
            ),
            _counted(
                started.select("uid", "pid", "enrolled").unique(), enrolled, started_users=_ONE
            ),
            _counted(
                entries.select("uid", "pid", "completed").unique(), completed, completed_users=_ONE
            ),
        ]
    # People by the period of their first entry, first started one and first completion.
    first = (
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


def _periods(counted: nw.DataFrame[Any]) -> list[int]:
    """Every period from the first with anything counted to the last."""
    nonzero = counted.filter(
        nw.any_horizontal(*(nw.col(s) != 0 for s in _SLOTS), ignore_nulls=True)
    )
    found = [int(p) for p in nonzero["period"].to_list()]
    return list(range(min(found), max(found) + 1)) if found else []


def _metrics(table: nw.LazyFrame[Any], *, flow: bool) -> nw.LazyFrame[Any]:
    done = nw.col("cohort_flow" if flow else "cohort_up_to")
    enrolments = nw.col("enrolments")
    return table.select(
        "uid",
        "unit",
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
