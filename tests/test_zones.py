"""Times in any zone, on a connection in any zone: the same periods and compliance as
the reference engine. DuckDB reads a zoned timestamp's fields in the connection's zone,
which follows the machine's (India's, for most users): a completion at 21:30 in India on
30 June is in the first quarter wherever the machine is. Spark's session zones are tested
in ``test_spark.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.org import OrgTree, Unit
from karmayogi.periods import IST
from karmayogi.progress import Enrolment, Rollup, Status
from tests.test_columnar import (
    ALLOCATION_TYPES,
    SCHEMA,
    allocation_columns,
    columns,
    compliance_boundaries,
    reference_units,
    rows_of,
    same_tables,
)
from tests.test_progress import scenarios

nw = pytest.importorskip("narwhals", reason="the columnar extra is not installed")
columnar = pytest.importorskip("karmayogi.columnar")

ZONES = ["UTC", "Asia/Kolkata", "America/New_York"]
"""Zones of the machine, the connection or the data: India's, none at all, and one with
summer time, whose offset from India's changes within the year."""

DATA_ZONES = [*ZONES, None]
"""The zone the times are written in; None: naive, India's wall clock."""


def in_zone(data: dict[str, list[Any]], zone: str | None) -> dict[str, list[Any]]:
    """Columns of times (aware, in UTC) written in ``zone``, or naive in India's time."""

    def moved(when: dt.datetime | None) -> dt.datetime | None:
        if when is None:
            return None
        if zone is None:
            return when.astimezone(IST).replace(tzinfo=None)
        return when.astimezone(ZoneInfo(zone))

    times = ("enrolled_at", "completed_at")
    return {k: [moved(v) for v in vs] if k in times else vs for k, vs in data.items()}


@pytest.fixture(scope="module")
def connections() -> Iterator[dict[str, Any]]:
    """A DuckDB connection in each zone, as a machine set to it would open one."""
    duckdb = pytest.importorskip("duckdb")
    opened = {}
    for zone in ZONES:
        connection = duckdb.connect()
        connection.execute(f"SET TimeZone = '{zone}'")
        opened[zone] = connection
    yield opened
    for connection in opened.values():
        connection.close()


def native(
    backend: str,
    data: dict[str, list[Any]],
    types: dict[str, str],
    *,
    zone: str | None,
    connection: Any = None,
) -> Any:
    """A frame of the backend, its timestamps typed with ``zone``."""
    pytest.importorskip(backend)
    schema = {
        name: nw.Datetime("us", zone) if kind == "Datetime" else getattr(nw, kind)()
        for name, kind in types.items()
    }
    table = nw.from_dict(data, schema, backend="pyarrow").to_native()
    if backend == "duckdb":
        return connection.from_arrow(table)
    if backend == "pandas":  # pandas' own types: datetime64 with the zone, or none
        return table.to_pandas()
    return nw.from_dict(data, schema, backend=backend).to_native()


def records_in(connection: Any, records: list[Enrolment], zone: str | None) -> Any:
    """Records as a DuckDB relation of ``connection``, their times written in ``zone``."""
    return native(
        "duckdb", in_zone(columns(records), zone), SCHEMA, zone=zone, connection=connection
    )


BACKENDS = ["polars", "pandas", "pyarrow"]


@settings(max_examples=30)
@given(
    scenario=scenarios() | scenarios(crowded=True),
    view=st.sampled_from(["flow", "cumulative"]),
    zone=st.sampled_from(DATA_ZONES),
    connection_zone=st.sampled_from(ZONES),
)
def test_duckdb_in_any_zone_gives_the_reference_table(
    connections: dict[str, Any],
    scenario: tuple,  # type: ignore[type-arg]
    view: str,
    zone: str | None,
    connection_zone: str,
) -> None:
    tree, people, records, by, policy = scenario
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table(view)  # type: ignore[arg-type]
    frame = records_in(connections[connection_zone], records, zone)
    got = columnar.rollup_frame(frame, tree, people=people, by=by, policy=policy, view=view)
    same_tables(f"duckdb, data in {zone}, connection in {connection_zone}", rows_of(got), reference)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=20)
@given(
    scenario=scenarios() | scenarios(crowded=True),
    zone=st.sampled_from(DATA_ZONES),
)
def test_times_in_any_zone_give_the_reference_table(
    backend: str,
    scenario: tuple,  # type: ignore[type-arg]
    zone: str | None,
) -> None:
    tree, people, records, by, policy = scenario
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table()
    frame = native(backend, in_zone(columns(records), zone), SCHEMA, zone=zone)
    got = columnar.rollup_frame(frame, tree, people=people, by=by, policy=policy)
    same_tables(f"{backend}, data in {zone}", rows_of(got), reference)


@pytest.mark.parametrize("connection_zone", ZONES)
@pytest.mark.parametrize("zone", DATA_ZONES)
def test_a_completion_late_on_30_june_in_india_is_in_the_first_quarter(
    connections: dict[str, Any], zone: str | None, connection_zone: str
) -> None:
    """21:30 in India is 16:00 in UTC and 12:00 in New York, all on 30 June; 00:30 in
    India on 1 July is 30 June in both. Each is counted by India's date."""
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    late = dt.datetime(2025, 6, 30, 21, 30, tzinfo=IST)
    early = dt.datetime(2025, 7, 1, 0, 30, tzinfo=IST)
    records = [
        Enrolment(person=person, course="RTI", status=Status.COMPLETED, progress=100,
                  enrolled_at=dt.datetime(2025, 6, 1, 9, tzinfo=IST), completed_at=when,
                  certificates=["c"], duration=3600)
        for person, when in (("asha", late), ("ravi", early))
    ]  # fmt: skip
    frame = records_in(connections[connection_zone], records, zone)
    got = columnar.rollup_frame(frame, tree, places={"asha": "cg", "ravi": "cg"}, by="quarter")
    completions = {row["period"]: row["completions"] for row in rows_of(got)}
    assert completions == {"2025-26 Q1": 1, "2025-26 Q2": 1}


@pytest.mark.parametrize("connection_zone", ZONES)
@pytest.mark.parametrize("zone", DATA_ZONES)
def test_duckdb_compliance_in_any_zone_is_the_reference_compliance(
    connections: dict[str, Any], zone: str | None, connection_zone: str
) -> None:
    """The whole due day in India, and the 31 March that ends the APAR year, with
    completions on each side of each; due dates as dates and as zoned timestamps."""
    tree, people, records, allocations = compliance_boundaries()
    reference = Rollup(tree, people=people, by="fy", records=records).compliance(allocations)
    connection = connections[connection_zone]
    frame = records_in(connection, records, zone)
    dates = native(
        "duckdb", allocation_columns(allocations), ALLOCATION_TYPES, zone=None,
        connection=connection,
    )  # fmt: skip
    midnight = {  # each due date as the instant India's day begins, in the data's zone
        **allocation_columns(allocations),
        "due": [
            dt.datetime.combine(a.due, dt.time(), tzinfo=IST).astimezone(ZoneInfo(zone or "UTC"))
            for a in allocations
        ],
    }
    instants = native(
        "duckdb", midnight, {**ALLOCATION_TYPES, "due": "Datetime"}, zone=zone or "UTC",
        connection=connection,
    )  # fmt: skip
    for given_allocations in (dates, instants):
        persons, units = columnar.compliance_frames(frame, given_allocations, tree, people=people)
        assert rows_of(persons) == [attrs.asdict(p) for p in reference.people]
        assert rows_of(units) == reference_units(reference)


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "UTC"])
def test_a_pandas_frame_with_a_zone_narwhals_does_not_know_is_read_in_india(zone: str) -> None:
    """pandas 3's zones (other than UTC) are a type narwhals does not know: the engine
    converts them itself rather than read their wall clock as India's. 04:57 on 1 April
    in India is 31 March in New York: the new year either way, counted by India's date."""
    pd = pytest.importorskip("pandas")
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    when = dt.datetime(2024, 4, 1, 4, 57, tzinfo=IST)
    records = [Enrolment(person="asha", course="RTI", enrolled_at=when)]
    frame = pd.DataFrame(
        {
            "person": ["asha"],
            "course": ["RTI"],
            "status": [0],
            "progress": [0.0],
            "enrolled_at": pd.Series([when]).dt.tz_convert(zone),
            "completed_at": pd.Series([pd.NaT], dtype=f"datetime64[us, {zone}]"),
            "certificate": [False],
            "duration": [0],
        }
    )
    before = frame.copy()
    got = columnar.rollup_frame(frame, tree, places={"asha": "cg"}, by="fy")
    reference = Rollup(tree, places={"asha": "cg"}, by="fy", records=records).table()
    same_tables(f"pandas, data in {zone}", rows_of(got), reference)
    assert frame.equals(before)  # the caller's frame is left as it was
