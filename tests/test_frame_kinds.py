"""Frames as the libraries make them: every kind of string (Arrow's large and view
strings and dictionaries, polars' categories and enums, pandas' objects, Arrow-backed
strings and categories), every width of integer and every unit of time give the
reference engine's table and compliance; and the library's own frames go back in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.cbp import Allocation
from karmayogi.errors import NoMatchError
from karmayogi.org import Person
from karmayogi.progress import Rollup
from tests.test_columnar import (
    allocation_columns,
    columns,
    reference_units,
    rows_of,
    same_tables,
)
from tests.test_progress import scenarios

pa = pytest.importorskip("pyarrow", reason="the frames are made through Arrow")
nw = pytest.importorskip("narwhals", reason="the columnar extra is not installed")
columnar = pytest.importorskip("karmayogi.columnar")

TEXT = {
    "pyarrow": ["string", "large_string", "string_view", "dictionary"],
    "polars": ["String", "Categorical", "Enum"],
    "pandas": ["object", "string[pyarrow]", "category", "arrow large_string"],
    "duckdb": ["string", "large_string", "dictionary"],
}
"""The kinds of string each library gives for a column of text."""

INTEGERS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
UNITS = ["s", "ms", "us", "ns"]


@attrs.frozen
class Kinds:
    text: str
    status: str
    duration: str
    unit: str


def kinds(backend: str) -> st.SearchStrategy[Kinds]:
    return st.builds(
        Kinds,
        text=st.sampled_from(TEXT[backend]),
        status=st.sampled_from(INTEGERS),
        duration=st.sampled_from([k for k in INTEGERS if k[-2:] in ("32", "64")]),
        unit=st.sampled_from(UNITS),
    )


def arrow_table(data: dict[str, list[Any]], kinds: Kinds, text: tuple[str, ...]) -> Any:
    """Columns as an Arrow table: ``text`` columns of the drawn string kind (Arrow's own
    or a plain string, for the other libraries to turn into theirs)."""
    arrays = {}
    for name, values in data.items():
        if name in text:
            array = pa.array(values, pa.string())
            if kinds.text in ("large_string", "string_view"):
                array = array.cast(getattr(pa, kinds.text)())
            elif kinds.text == "dictionary":
                array = array.dictionary_encode()
        elif name == "status":
            array = pa.array(values, getattr(pa, kinds.status)())
        elif name == "duration":
            array = pa.array(values, getattr(pa, kinds.duration)())
        elif name in ("enrolled_at", "completed_at"):
            array = pa.array(values, pa.timestamp(kinds.unit, "UTC"))
        elif name == "due":
            array = pa.array(values, pa.date32())
        else:
            array = pa.array(values, pa.float64() if name == "progress" else pa.bool_())
        arrays[name] = array
    return pa.table(arrays)


def native(
    backend: str, data: dict[str, list[Any]], kinds: Kinds, text: tuple[str, ...], con: Any
) -> Any:
    """A frame of ``backend``, its text columns of the drawn kind."""
    pytest.importorskip(backend)
    table = arrow_table(data, kinds, text)
    if backend == "pyarrow":
        return table
    if backend == "duckdb":
        return con.from_arrow(table)
    if backend == "polars":
        import polars as pl

        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        if kinds.text == "Categorical":
            return frame.with_columns(pl.col(*text).cast(pl.Categorical))
        if kinds.text == "Enum":
            return frame.with_columns(
                pl.col(c).cast(pl.Enum(sorted({v for v in data[c] if v is not None}))) for c in text
            )
        return frame
    import pandas as pd

    if kinds.text == "arrow large_string":
        wide = table.cast(
            pa.schema(
                [pa.field(f.name, pa.large_string()) if f.name in text else f for f in table.schema]
            )
        )
        return wide.to_pandas(types_mapper=pd.ArrowDtype)
    frame = table.to_pandas()  # pandas' own types: nulls make integers float
    if kinds.text != "object":
        frame = frame.astype(dict.fromkeys(text, kinds.text))
    return frame


BACKENDS = ["pyarrow", "polars", "pandas", "duckdb"]


@pytest.fixture(scope="module")
def con() -> Any:
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    yield connection
    connection.close()


def people_data(people: list[Person]) -> dict[str, list[Any]]:
    return {
        "person": [p.id for p in people],
        "unit": [p.place for p in people],
        "active": [p.active for p in people],
    }


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=25)
@given(scenario=scenarios() | scenarios(crowded=True), data=st.data())
def test_every_kind_of_column_gives_the_reference_table(
    backend: str,
    con: Any,
    scenario: tuple,  # type: ignore[type-arg]
    data: st.DataObject,
) -> None:
    tree, people, records, by, policy = scenario
    drawn = data.draw(kinds(backend), label="kinds")
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table()
    frame = native(backend, columns(records), drawn, ("person", "course"), con)
    people_frame = native(backend, people_data(people), drawn, ("person", "unit"), con)
    got = columnar.rollup_frame(frame, tree, people=people_frame, by=by, policy=policy)
    same_tables(f"{backend}, {drawn}", rows_of(got), reference)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=10)
@given(scenario=scenarios(), data=st.data())
def test_every_kind_of_column_gives_the_reference_compliance(
    backend: str,
    con: Any,
    scenario: tuple,  # type: ignore[type-arg]
    data: st.DataObject,
) -> None:
    tree, people, records, by, policy = scenario
    drawn = data.draw(kinds(backend), label="kinds")
    courses = sorted({r.course for r in records})
    allocations = [
        Allocation(person=p.id, course=c, due=dt.date(2025, 12, 31), plan="p", mandatory=True,
                   apar=n % 2 == 0)
        for n, (p, c) in enumerate((p, c) for p in people for c in courses[:2])
    ]  # fmt: skip
    rollup = Rollup(tree, people=people, by=by, policy=policy, records=records)
    frame = native(backend, columns(records), drawn, ("person", "course"), con)
    given_allocations = native(
        backend, allocation_columns(allocations), drawn, ("person", "course"), con
    )
    try:
        reference = rollup.compliance(allocations)
    except NoMatchError as refused:  # no allocation meets the people: refused alike
        message = str(refused)
    else:
        message = None
    if message is not None:
        with pytest.raises(NoMatchError) as also:
            columnar.compliance_frames(frame, given_allocations, tree, people=people, policy=policy)
        assert str(also.value) == message
        return
    persons, units = columnar.compliance_frames(
        frame, given_allocations, tree, people=people, policy=policy
    )
    assert rows_of(persons) == [attrs.asdict(p) for p in reference.people]
    assert rows_of(units) == reference_units(reference)


def test_the_frame_readers_output_goes_back_in() -> None:
    """What ``read_consumption_frame`` gives (Arrow's large strings, with
    ``backend="pyarrow"``) is what ``rollup_frame`` takes."""
    import io

    export = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
        "a@x.in,CG,Revenue,,RTI,01:00:00,2025-05-01 10:00:00,completed,100,"
        "2025-06-30 21:30:00,Yes\n"
        "b@x.in,CG,Revenue,,RTI,01:00:00,2025-05-01 10:00:00,in-progress,40,,No\n"
    )
    for backend in ("pyarrow", "polars"):
        read = columnar.read_consumption_frame(io.StringIO(export), backend=backend)
        table = columnar.rollup_frame(read.records, read.tree, places=read.places, by="quarter")
        rows = {r["unit"]: r for r in rows_of(table)}
        assert (rows["CG"]["enrolments"], rows["CG"]["completions"]) == (2, 1), backend


def test_a_frame_of_places_is_refused_as_people_and_the_old_name_warns() -> None:
    """The reader's places say where people are; as people they would make everyone
    enrolled a user. ``FrameImport.people`` still gives them, with a warning."""
    import io

    from karmayogi.errors import ValidationError

    export = (
        "Email,Ministry,Department,Content_Name,Enrolled_On,Status\n"
        "a@x.in,CG,Revenue,RTI,2025-05-01 10:00:00,in-progress\n"
    )
    read = columnar.read_consumption_frame(io.StringIO(export))
    with pytest.raises(ValidationError, match="is a frame of places") as refused:
        columnar.rollup_frame(read.records, read.tree, people=read.places)
    assert "pass it as places=" in str(refused.value)
    with pytest.warns(DeprecationWarning, match="FrameImport.people is deprecated"):
        assert read.people is read.places


def test_text_where_times_belong_is_an_error_that_says_to_parse_it() -> None:
    """As pandas' read_csv gives a column of times unless told: every such column named
    at once; an empty one (pandas calls a column of no rows text) is no error."""
    from karmayogi.errors import ValidationError
    from karmayogi.org import OrgTree, Unit

    pd = pytest.importorskip("pandas")
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    frame = pd.DataFrame(
        {
            "person": ["a"], "course": ["RTI"], "status": [2],
            "enrolled_at": ["2025-05-01 10:00:00"], "completed_at": ["2025-05-09 10:00:00"],
            "certificate": [True], "duration": [3600],
        }
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        columnar.rollup_frame(frame, tree, places={"a": "cg"})
    assert [p.where.path for p in raised.value.problems] == [
        "records['enrolled_at']",
        "records['completed_at']",
    ]
    assert "parse it first" in str(raised.value)
    empty = frame.head(0).astype({"enrolled_at": object, "completed_at": object})
    assert rows_of(columnar.rollup_frame(empty, tree, places={"a": "cg"})) == []


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York"])
def test_a_zoned_time_of_any_unit_in_duckdb_is_placed_on_indias_clock(
    con: Any, unit: str, zone: str
) -> None:
    """A completion at midnight on 1 March in India is 18:30 on 29 February in UTC: in
    March, whatever the unit (DuckDB 2 makes nanoseconds with a zone TIMESTAMPTZ_NS) and
    the connection's zone."""
    from karmayogi.org import OrgTree, Unit

    midnight = dt.datetime(2024, 2, 29, 18, 30, tzinfo=dt.UTC)
    records = pa.table(
        {
            "person": ["asha"],
            "course": ["RTI Act"],
            "status": pa.array([2], pa.int8()),
            "enrolled_at": pa.array([midnight], pa.timestamp(unit, "UTC")),
            "completed_at": pa.array([midnight], pa.timestamp(unit, "UTC")),
            "certificate": [True],
            "duration": pa.array([3600], pa.int64()),
        }
    )
    con.execute(f"SET TimeZone = '{zone}'")
    try:
        table = columnar.rollup_frame(
            con.from_arrow(records),
            OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")]),
            places={"asha": "cg"},
            by="month",
        )
        rows = [(r["period"], r["enrolments"], r["completions"]) for r in rows_of(table)]
    finally:
        con.execute("SET TimeZone = 'UTC'")
    assert rows == [("2024-03", 1, 1)]
