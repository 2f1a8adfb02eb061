"""The columnar engine means what the reference engine means: the same table, number for
number, on every dataframe library it runs on."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.errors import ValidationError
from karmayogi.org import OrgTree, Unit
from karmayogi.progress import Enrolment, Rollup
from tests.test_progress import scenarios

nw = pytest.importorskip("narwhals", reason="the columnar extra is not installed")
columnar = pytest.importorskip("karmayogi.columnar")


def columns(records: list[Enrolment]) -> dict[str, list[Any]]:
    """Records as the columns of a records frame (times in UTC: any zone will do)."""

    def utc(when: dt.datetime | None) -> dt.datetime | None:
        return None if when is None else when.astimezone(dt.UTC)

    return {
        "person": [r.person for r in records],
        "course": [r.course for r in records],
        "status": [int(r.status) for r in records],
        "progress": [r.progress for r in records],
        "enrolled_at": [utc(r.enrolled_at) for r in records],
        "completed_at": [utc(r.completed_at) for r in records],
        "certificate": [bool(r.certificates) for r in records],
        "duration": [r.duration for r in records],
    }


SCHEMA = {
    "person": "String", "course": "String", "status": "Int64", "progress": "Float64",
    "enrolled_at": "Datetime", "completed_at": "Datetime", "certificate": "Boolean",
    "duration": "Int64",
}  # fmt: skip


def frame_of(backend: str) -> Callable[[dict[str, list[Any]]], Any]:
    """A native frame of the backend, from columns. ``pandas-numpy``: pandas' classic
    types, as ``read_csv`` gives them (a missing duration makes the column float, NaN)."""
    pytest.importorskip(backend.removesuffix("-numpy"))

    def make(data: dict[str, list[Any]]) -> Any:
        schema = {
            name: nw.Datetime("us", "UTC") if kind == "Datetime" else getattr(nw, kind)()
            for name, kind in SCHEMA.items()
        }
        table = nw.from_dict(data, schema, backend="pyarrow")
        if backend == "duckdb":
            return table.lazy("duckdb").to_native()
        if backend == "pandas":  # with Arrow's types, which hold nulls in any column
            import pandas as pd

            return table.to_native().to_pandas(types_mapper=pd.ArrowDtype)
        if backend == "pandas-numpy":
            return table.to_native().to_pandas()
        return nw.from_dict(data, schema, backend=backend).to_native()

    return make


BACKENDS = ["polars", "pandas", "pandas-numpy", "pyarrow", "duckdb"]


def rows_of(native: Any) -> list[dict[str, Any]]:
    """The rows, with each library's missing value (None, NaN, pandas' NA) as None."""
    frame = nw.from_native(native)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    return [
        {k: None if missing(v) else v for k, v in row.items()}
        for row in frame.iter_rows(named=True)
    ]


def missing(value: Any) -> bool:
    return (
        value is None
        or type(value).__name__ == "NAType"
        or (isinstance(value, float) and math.isnan(value))
    )


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=100)
@given(
    scenario=scenarios() | scenarios(crowded=True),
    view=st.sampled_from(["flow", "cumulative"]),
    by_places=st.booleans(),
)
def test_the_columnar_table_is_the_reference_table(
    backend: str,
    scenario: tuple,  # type: ignore[type-arg]
    view: str,
    by_places: bool,
) -> None:
    """Every unit, period and metric, placing people by a list of people or by a mapping
    of person to unit (as a report reader gives it)."""
    tree, people, records, by, policy = scenario
    placing: dict[str, Any] = {"people": people}
    if by_places:
        placing = {"places": {p.id: p.place for p in people if p.active}}
    reference = Rollup(tree, by=by, policy=policy, records=records, **placing).table(view)  # type: ignore[arg-type]
    native = columnar.rollup_frame(
        frame_of(backend)(columns(records)), tree, by=by, policy=policy, view=view, **placing
    )
    got = rows_of(native)
    expected = [
        {"unit": row.unit, "period": str(row.period), **{m: getattr(row, m) for m in METRICS}}
        for row in reference
    ]
    assert [(r["unit"], r["period"]) for r in got] == [(r["unit"], r["period"]) for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        for metric in METRICS:
            want = theirs[metric]
            # Counts are exact; a rate or hours equal to within float rounding.
            same = mine[metric] == (
                pytest.approx(want, rel=1e-9) if isinstance(want, float) else want
            )
            assert same, (backend, metric, mine, theirs)


def test_a_unit_not_in_the_tree_is_refused() -> None:
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    frame = frame_of("polars")(columns([]))
    with pytest.raises(ValidationError, match="not in the organisation tree"):
        columnar.rollup_frame(frame, tree, places={"asha": "nowhere"})


def test_every_missing_column_is_named_at_once() -> None:
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    data = columns([])
    del data["status"], data["duration"]
    frame = nw.from_dict(data, backend="polars").to_native()
    with pytest.raises(ValidationError) as raised:
        columnar.rollup_frame(frame, tree, places={})
    assert [p.where.path for p in raised.value.problems] == [
        "records['status']",
        "records['duration']",
    ]


METRICS = (
    "users", "enrolled_users", "started_users", "completed_users", "enrolments",
    "completions", "completion_rate", "certificates", "learning_hours", "enrolments_completed",
)  # fmt: skip
