"""The columnar engine means what the reference engine means: the same table, number for
number, on every dataframe library it runs on."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.cbp import Allocation
from karmayogi.errors import NoMatchError, ValidationError
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST
from karmayogi.progress import ComplianceTable, Enrolment, ProgressTable, Rollup, Status
from tests.strategies import COURSES, LEARNERS
from tests.test_progress import done, people_and_tree, scenarios

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


def frame_of(backend: str, types: dict[str, str] = SCHEMA) -> Callable[[dict[str, list[Any]]], Any]:
    """A native frame of the backend, from columns of the given types. ``pandas-numpy``:
    pandas' classic types, as ``read_csv`` gives them (a missing duration makes the column
    float, NaN)."""
    pytest.importorskip(backend.removesuffix("-numpy"))

    def make(data: dict[str, list[Any]]) -> Any:
        schema = {
            name: nw.Datetime("us", "UTC") if kind == "Datetime" else getattr(nw, kind)()
            for name, kind in types.items()
        }
        table = nw.from_dict(data, schema, backend="pyarrow")
        if backend == "duckdb":
            return table.lazy("duckdb").to_native()
        if backend == "pandas":  # with Arrow's types, which hold nulls in any column
            import pandas as pd

            return table.to_native().to_pandas(types_mapper=pd.ArrowDtype)
        if backend == "pandas-numpy":  # dates as datetime64, classic pandas having no dates
            return table.to_native().to_pandas(date_as_object=False)
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
    placing=st.sampled_from(["people", "places", "frames"]),
)
def test_the_columnar_table_is_the_reference_table(
    backend: str,
    scenario: tuple,  # type: ignore[type-arg]
    view: str,
    placing: str,
) -> None:
    """Every unit, period and metric, placing people by a list of people, by a mapping of
    person to unit (as a report reader gives it), or by frames of people and units."""
    tree, people, records, by, policy = scenario
    placed: dict[str, Any] = {"people": people}
    if placing == "places":
        placed = {"places": {p.id: p.place for p in people if p.active}}
    reference = Rollup(tree, by=by, policy=policy, records=records, **placed).table(view)  # type: ignore[arg-type]
    shape: Any = tree
    if placing == "frames":
        placed = {"people": people_frame(backend, people)}
        shape = frame_of(backend, UNIT_TYPES)(units_columns(tree))
    native = columnar.rollup_frame(
        frame_of(backend)(columns(records)), shape, by=by, policy=policy, view=view, **placed
    )
    same_tables(backend, rows_of(native), reference)


def same_tables(backend: str, got: list[dict[str, Any]], reference: ProgressTable) -> None:
    """The same units and periods in the same order, and the same numbers: counts exact,
    a rate or hours equal to within float rounding."""
    expected = [
        {"unit": row.unit, "period": str(row.period), **{m: getattr(row, m) for m in METRICS}}
        for row in reference
    ]
    assert [(r["unit"], r["period"]) for r in got] == [(r["unit"], r["period"]) for r in expected]
    # The reference table's frame's columns, in its order, with the rules that made them.
    header, rows = reference._columns()
    assert all(list(r) == header for r in got), (backend, header, got[:1])
    for mine, theirs in zip(got, rows, strict=True):
        for column in ("name", "view", "policy", "enrolments_completed"):
            assert mine[column] == theirs[header.index(column)], (backend, column)
    for mine, theirs in zip(got, expected, strict=True):
        for metric in METRICS:
            want = theirs[metric]
            same = mine[metric] == (
                pytest.approx(want, rel=1e-9) if isinstance(want, float) else want
            )
            assert same, (backend, metric, mine, theirs)


def reference_units(reference: ComplianceTable) -> list[dict[str, Any]]:
    """The reference compliance's frame, as rows: each unit, and the policy."""
    header, rows = reference._columns()
    return [dict(zip(header, row, strict=True)) for row in rows]


PEOPLE_TYPES = {"person": "String", "unit": "String", "active": "Boolean"}
UNIT_TYPES = {"id": "String", "name": "String", "level": "Int64", "parent": "String"}


def people_frame(backend: str, people: list[Person]) -> Any:
    return frame_of(backend, PEOPLE_TYPES)(
        {
            "person": [p.id for p in people],
            "unit": [p.place for p in people],
            "active": [p.active for p in people],
        }
    )


def units_columns(tree: OrgTree) -> dict[str, list[Any]]:
    return {
        "id": [u.id for u in tree],
        "name": [u.name for u in tree],
        "level": [int(u.level) for u in tree],
        "parent": [u.parent for u in tree],
    }


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


def test_a_people_frame_is_checked_whole() -> None:
    """Every person in an unknown unit and every person given twice over, at once; the
    same row given twice is one person."""
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    people = frame_of("polars", PEOPLE_TYPES)(
        {
            "person": ["asha", "ravi", "ravi", "meena", "meena", "kiran", "lata", "lata"],
            "unit": ["cg", "cg", "nowhere", "cg", "cg", "nowhere", "cg", "cg"],
            "active": [True, True, True, True, True, True, True, False],
        }
    )
    with pytest.raises(ValidationError) as raised:
        columnar.rollup_frame(frame_of("polars")(columns([])), tree, people=people)
    assert [(p.where.path, p.got) for p in raised.value.problems] == [
        ("people['kiran'].unit", "nowhere"),
        ("people['lata']", "active and inactive"),
        ("people['ravi']", "cg and nowhere"),
    ]


def test_a_people_frame_needs_its_columns_and_the_records_library() -> None:
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    records = frame_of("polars")(columns([]))
    with pytest.raises(ValidationError, match="people\\['unit'\\]"):
        columnar.rollup_frame(
            records, tree, people=nw.from_dict({"person": ["a"]}, backend="polars").to_native()
        )
    pandas_people = people_frame("pandas-numpy", [Person(id="a", organisation="cg")])
    with pytest.raises(TypeError, match="give both in one library"):
        columnar.rollup_frame(records, tree, people=pandas_people)


METRICS = (
    "users", "enrolled_users", "started_users", "completed_users", "enrolments",
    "completions", "completion_rate", "certificates", "learning_hours", "enrolments_completed",
)  # fmt: skip


def test_duckdb_relations_of_any_connection() -> None:
    """DuckDB joins only relations of one connection: the engine's own small frames are
    made in the records' connection, whichever it is."""
    duckdb = pytest.importorskip("duckdb")
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    record = Enrolment(
        person="asha",
        course="RTI Act",
        status=Status.COMPLETED,
        progress=100,
        completed_at=dt.datetime(2025, 5, 1, 17, tzinfo=IST),
    )
    con = duckdb.connect()
    records = con.from_arrow(frame_of("pyarrow")(columns([record])))
    people = con.from_arrow(people_frame("pyarrow", [Person(id="asha", organisation="cg")]))
    table = columnar.rollup_frame(records, tree, people=people, by="fy")
    assert nw.from_native(table).select("unit", "users", "completions").collect().rows() == [
        ("cg", 1, 1)
    ]


allocations_drawn = st.lists(
    st.builds(
        Allocation,
        person=st.sampled_from(LEARNERS),
        course=st.sampled_from(COURSES),
        due=st.dates(dt.date(2024, 3, 1), dt.date(2026, 4, 30)),
        plan=st.just("plan"),
        mandatory=st.just(True),
        apar=st.booleans(),
    ),
    max_size=12,
)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40)
@given(
    scenario=scenarios() | scenarios(crowded=True),
    allocations=allocations_drawn,
    placing=st.sampled_from(["people", "places", "frames"]),
)
def test_plan_compliance_as_frames_is_the_reference_compliance(
    backend: str,
    scenario: tuple,  # type: ignore[type-arg]
    allocations: list[Allocation],
    placing: str,
) -> None:
    """Each person's and each unit's plan compliance, and what was left out."""
    tree, people, records, by, policy = scenario
    placed: dict[str, Any] = {"people": people}
    if placing == "places":
        placed = {"places": {p.id: p.place for p in people if p.active}}
    rollup = Rollup(tree, by=by, policy=policy, records=records, **placed)
    if placing == "frames":
        placed = {"people": people_frame(backend, people)}
    given_allocations = frame_of(backend, ALLOCATION_TYPES)(allocation_columns(allocations))
    records_frame = frame_of(backend)(columns(records))
    refused: str | None = None
    try:
        reference = rollup.compliance(allocations)
    except NoMatchError as exc:
        refused = exc.match.join
    if refused is not None:
        # Allocations that meet the records nowhere are refused alike, for the same join.
        with pytest.raises(NoMatchError) as also:
            columnar.compliance_frames(
                records_frame, given_allocations, tree, policy=policy, **placed
            )
        assert also.value.match.join == refused
        return
    persons, units = columnar.compliance_frames(
        records_frame, given_allocations, tree, policy=policy, **placed
    )
    assert rows_of(persons) == [attrs.asdict(p) for p in reference.people]
    assert rows_of(units) == reference_units(reference)
    if backend == "polars":
        table = columnar.compliance_table(
            records_frame, given_allocations, tree, policy=policy, **placed
        )
        assert table == reference
        assert table.excluded == reference.excluded


ALLOCATION_TYPES = {"person": "String", "course": "String", "due": "Date", "apar": "Boolean"}


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=25)
@given(scenario=scenarios(), view=st.sampled_from(["flow", "cumulative"]))
def test_the_table_says_what_was_left_out_as_the_reference_does(
    backend: str,
    scenario: tuple,  # type: ignore[type-arg]
    view: str,
) -> None:
    tree, people, records, by, policy = scenario
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table(view)
    table = columnar.rollup_table(
        frame_of(backend)(columns(records)), tree, people=people, by=by, policy=policy, view=view
    )
    assert (table.excluded, table.undated) == (reference.excluded, reference.undated)
    header, rows = table._columns()
    same_tables(backend, [dict(zip(header, row, strict=True)) for row in rows], reference)


def compliance_boundaries() -> tuple[OrgTree, list[Person], list[Enrolment], list[Allocation]]:
    """The whole due day in India, half of the APAR courses, and the 31 March that ends a
    financial year, with records on each side of each."""
    tree, people = people_and_tree()

    def allocation(person: str, course: str, due: dt.date, *, apar: bool) -> Allocation:
        return Allocation(person=person, course=course, due=due, plan="p", mandatory=True,
                          apar=apar)  # fmt: skip

    allocations = [
        allocation("a", "do_1", dt.date(2025, 12, 31), apar=True),
        allocation("a", "do_2", dt.date(2025, 12, 31), apar=True),
        allocation("b", "do_1", dt.date(2025, 12, 31), apar=True),
        allocation("b", "do_2", dt.date(2025, 9, 30), apar=True),
        allocation("b", "do_3", dt.date(2025, 9, 30), apar=True),
        allocation("b", "do_4", dt.date(2025, 9, 30), apar=False),
        allocation("c", "do_1", dt.date(2025, 12, 31), apar=True),
    ]
    records = [
        done("a", "do_1", dt.datetime(2025, 12, 31, 23, 59, tzinfo=IST)),  # on time
        done("b", "do_1", dt.datetime(2025, 12, 31, 18, 31, tzinfo=dt.UTC)),  # 00:01 IST: late
        done("b", "do_2", dt.datetime(2026, 3, 31, 23, 0, tzinfo=IST)),  # within the year
        done("b", "do_3", dt.datetime(2026, 4, 1, 0, 30, tzinfo=IST)),  # after it
    ]
    return tree, people, records, allocations


def allocation_columns(allocations: list[Allocation]) -> dict[str, list[Any]]:
    return {
        "person": [a.person for a in allocations],
        "course": [a.course for a in allocations],
        "due": [a.due for a in allocations],
        "apar": [a.apar for a in allocations],
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_plan_compliance_at_its_boundaries_is_the_reference_compliance(backend: str) -> None:
    tree, people, records, allocations = compliance_boundaries()
    reference = Rollup(tree, people=people, by="fy", records=records).compliance(allocations)
    given = frame_of(backend, ALLOCATION_TYPES)(allocation_columns(allocations))
    persons, units = columnar.compliance_frames(
        frame_of(backend)(columns(records)), given, tree, people=people
    )
    assert rows_of(persons) == [attrs.asdict(p) for p in reference.people]
    assert rows_of(units) == reference_units(reference)
    assert [p.apar_compliant for p in reference.people] == [True, True]  # half, each
