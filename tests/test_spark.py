"""The columnar engine on Spark, in local mode: the same table as the reference engine,
from a plan of Spark's own operations only (no Python UDFs, no raw rows to the driver)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST
from karmayogi.progress import Enrolment, Rollup, Status
from tests.test_columnar import (
    ALLOCATION_TYPES,
    METRICS,
    PEOPLE_TYPES,
    SCHEMA,
    allocation_columns,
    columns,
    compliance_boundaries,
    frame_of,
    reference_units,
    rows_of,
    same_tables,
)
from tests.test_progress import scenarios
from tests.test_zones import DATA_ZONES, ZONES, in_zone, native

pytest.importorskip("narwhals", reason="the columnar extra is not installed")
pytest.importorskip("pyspark", reason="PySpark is not installed (the test extra installs it)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("PySpark needs Java 17, and there is none here", allow_module_level=True)

from karmayogi import columnar  # after the skips: it needs the extra

UTC_SESSION = "UTC"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local session for the module: Spark's start-up takes seconds."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("karmayogi-tests")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", UTC_SESSION)
        .getOrCreate()
    )
    yield session
    session.stop()


def spark_frame(spark: Any, data: dict[str, list[Any]], types: dict[str, str] | None = None) -> Any:
    """A Spark DataFrame of columns, through Arrow (as the tests' other backends)."""
    table = frame_of("pyarrow", *([types] if types else []))(data)
    return spark.createDataFrame(table)


@contextlib.contextmanager
def session_zone(spark: Any, zone: str) -> Iterator[None]:
    """The session in ``zone``, as on a cluster or a laptop set to it."""
    spark.conf.set("spark.sql.session.timeZone", zone)
    try:
        yield
    finally:
        spark.conf.set("spark.sql.session.timeZone", UTC_SESSION)


def zoned_frame(spark: Any, records: list[Enrolment], zone: str | None) -> Any:
    """Records with times in ``zone`` (Spark's ``timestamp``, an instant), or naive in
    India's time (``timestamp_ntz``, made from text: Spark would read a naive Arrow time
    in the session's zone, and refuse one in its summer-time gap)."""
    if zone is not None:
        return spark.createDataFrame(
            native("pyarrow", in_zone(columns(records), zone), SCHEMA, zone=zone)
        )
    times = ("enrolled_at", "completed_at")
    text = {
        k: [None if v is None else v.isoformat(" ") for v in vs] if k in times else vs
        for k, vs in in_zone(columns(records), None).items()
    }
    frame = spark.createDataFrame(
        native("pyarrow", text, {**SCHEMA, **dict.fromkeys(times, "String")}, zone=None)
    )
    return frame.selectExpr(
        *(f"to_timestamp_ntz({c}) AS {c}" if c in times else c for c in frame.columns)
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scenario=scenarios() | scenarios(crowded=True),
    view=st.sampled_from(["flow", "cumulative"]),
    zone=st.sampled_from(DATA_ZONES),
    session=st.sampled_from(ZONES),
)
def test_the_spark_table_is_the_reference_table(
    spark: Any,
    scenario: tuple,  # type: ignore[type-arg]
    view: str,
    zone: str | None,
    session: str,
) -> None:
    """A smaller generated set than on the other backends: each example is several Spark
    jobs. Times in any zone, or none, in a session in any zone."""
    tree, people, records, by, policy = scenario
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table(view)  # type: ignore[arg-type]
    with session_zone(spark, session):
        native_table = columnar.rollup_frame(
            zoned_frame(spark, records, zone),
            tree,
            people=spark_frame(spark, people_columns(people), PEOPLE_TYPES),
            by=by,
            policy=policy,
            view=view,
        )
        got = rows_of(native_table)
    same_tables(f"spark, data in {zone}, session in {session}", got, reference)


@pytest.mark.parametrize("session", ZONES)
@pytest.mark.parametrize("zone", DATA_ZONES)
def test_a_completion_late_on_30_june_in_india_is_in_the_first_quarter_on_spark(
    spark: Any, zone: str | None, session: str
) -> None:
    """21:30 in India on 30 June, and 00:30 on 1 July: counted by India's date whatever
    the session's zone (it once put the first in the second quarter)."""
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    records = [
        Enrolment(person=person, course="RTI", status=Status.COMPLETED, progress=100,
                  enrolled_at=dt.datetime(2025, 6, 1, 9, tzinfo=IST), completed_at=when,
                  certificates=["c"], duration=3600)
        for person, when in (
            ("asha", dt.datetime(2025, 6, 30, 21, 30, tzinfo=IST)),
            ("ravi", dt.datetime(2025, 7, 1, 0, 30, tzinfo=IST)),
        )
    ]  # fmt: skip
    with session_zone(spark, session):
        table = columnar.rollup_frame(
            zoned_frame(spark, records, zone), tree, places={"asha": "cg", "ravi": "cg"}
        )
        completions = {row["period"]: row["completions"] for row in rows_of(table)}
    assert completions == {"2025-26 Q1": 1, "2025-26 Q2": 1}


def people_columns(people: list[Any]) -> dict[str, list[Any]]:
    return {
        "person": [p.id for p in people],
        "unit": [p.place for p in people],
        "active": [p.active for p in people],
    }


def test_from_parquet_the_plan_is_sparks_own(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a job on a cluster would run it: records and people read from Parquet, and the
    plan of the result made of Spark's native operations, the Parquet scan included."""
    tree = OrgTree(
        [
            Unit(id="cg", name="Chhattisgarh", level="state"),
            Unit(id="rev", name="Revenue", level="department", parent="cg"),
        ]
    )
    records = [
        Enrolment(
            person="asha",
            course="RTI Act",
            status=Status.COMPLETED,
            progress=100,
            enrolled_at=dt.datetime(2025, 4, 5, 10, tzinfo=IST),
            completed_at=dt.datetime(2025, 5, 1, 17, tzinfo=IST),
            certificates=["c1"],
            duration=5400,
        )
    ]
    people = [Person(id="asha", organisation="rev")]
    spark_frame(spark, columns(records)).write.parquet(str(tmp_path / "records"))
    spark_frame(spark, people_columns(people), PEOPLE_TYPES).write.parquet(str(tmp_path / "people"))
    table = columnar.rollup_frame(
        spark.read.parquet(str(tmp_path / "records")),
        tree,
        people=spark.read.parquet(str(tmp_path / "people")),
        by="quarter",
    )
    capsys.readouterr()
    table.explain(mode="formatted")
    plan = capsys.readouterr().out
    assert "Scan parquet" in plan
    assert "HashAggregate" in plan
    for python in ("PythonUDF", "BatchEvalPython", "ArrowEvalPython", "MapInPandas", "Python"):
        assert python not in plan, python
    rows = rows_of(table)
    assert [(r["unit"], r["period"], r["completions"], r["learning_hours"]) for r in rows] == [
        ("cg", "2025-26 Q1", 1, 1.5),
        ("rev", "2025-26 Q1", 1, 1.5),
    ]
    assert list(rows[0]) == ["unit", "name", "period", *METRICS, "view", "policy"]
    assert (rows[0]["name"], rows[0]["view"], rows[0]["policy"]) == ("Chhattisgarh", "flow",
                                                                      "platform")  # fmt: skip


@pytest.mark.parametrize("session", ZONES)
def test_plan_compliance_on_spark_is_the_reference_compliance(spark: Any, session: str) -> None:
    """Each person's and each unit's plan compliance, at its boundaries, from Spark, in a
    session of each zone, with times written in another."""
    tree, people, records, allocations = compliance_boundaries()
    reference = Rollup(tree, people=people, by="fy", records=records).compliance(allocations)
    zone = {"UTC": "America/New_York", "Asia/Kolkata": None}.get(session, "Asia/Kolkata")
    with session_zone(spark, session):
        persons, units = columnar.compliance_frames(
            zoned_frame(spark, records, zone),
            spark_frame(spark, allocation_columns(allocations), ALLOCATION_TYPES),
            tree,
            people=people,
        )
        got_persons, got_units = rows_of(persons), rows_of(units)
    assert got_persons == [attrs.asdict(p) for p in reference.people]
    assert got_units == reference_units(reference)
