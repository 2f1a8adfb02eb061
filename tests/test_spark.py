"""The columnar engine on Spark, in local mode: the same table as the reference engine,
from a plan of Spark's own operations only (no Python UDFs, no raw rows to the driver)."""

from __future__ import annotations

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
    allocation_columns,
    columns,
    compliance_boundaries,
    frame_of,
    rows_of,
    same_tables,
)
from tests.test_progress import scenarios

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


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scenario=scenarios() | scenarios(crowded=True),
    view=st.sampled_from(["flow", "cumulative"]),
)
def test_the_spark_table_is_the_reference_table(spark: Any, scenario: tuple, view: str) -> None:  # type: ignore[type-arg]
    """A smaller generated set than on the other backends: each example is several Spark
    jobs."""
    tree, people, records, by, policy = scenario
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table(view)  # type: ignore[arg-type]
    native = columnar.rollup_frame(
        spark_frame(spark, columns(records)),
        tree,
        people=spark_frame(spark, people_columns(people), PEOPLE_TYPES),
        by=by,
        policy=policy,
        view=view,
    )
    same_tables("spark", rows_of(native), reference)


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
    assert set(rows[0]) == {"unit", "period", *METRICS}


def test_plan_compliance_on_spark_is_the_reference_compliance(spark: Any) -> None:
    """Each person's and each unit's plan compliance, at its boundaries, from Spark."""
    tree, people, records, allocations = compliance_boundaries()
    reference = Rollup(tree, people=people, by="fy", records=records).compliance(allocations)
    persons, units = columnar.compliance_frames(
        spark_frame(spark, columns(records)),
        spark_frame(spark, allocation_columns(allocations), ALLOCATION_TYPES),
        tree,
        people=people,
    )
    assert rows_of(persons) == [attrs.asdict(p) for p in reference.people]
    assert rows_of(units) == [attrs.asdict(u) for u in reference.units]
