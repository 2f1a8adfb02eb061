"""The enrolment export read on Spark, in local mode, means what the reference reader makes
of it: the same rows accounted for the same way, the same rejections in the same words,
the same people in the same units, the same tree, records that join into the same ledger
and roll up into the same table; from a plan of Spark's own operations only."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from karmayogi._platform import CONSUMPTION_REPORT_HEADER
from karmayogi.cbp import Catalogue, Course
from karmayogi.errors import LimitExceeded, ValidationError
from karmayogi.limits import Limits
from karmayogi.progress import Rollup, read_consumption_report
from tests.test_frame_reports import FORMS, GOOD_ROW, HAND_EDITS, exports, same_import
from tests.test_spark import session_zone, spark
from tests.test_zones import ZONES

pytest.importorskip("polars", reason="the columnar extra is not installed")

import polars as pl  # after the skips: the columnar extra

from karmayogi import columnar

__all__ = ["spark"]  # the session, a fixture of this module too

PYTHON_IN_A_PLAN = ("PythonUDF", "BatchEvalPython", "ArrowEvalPython", "MapInPandas", "Python")


class _Polars:
    """A Spark import seen as the frame reader's, for :func:`same_import`."""

    def __init__(self, framed: Any) -> None:
        self.framed = framed
        self.records = pl.from_arrow(framed.records.toArrow())
        self.places = pl.from_arrow(framed.places.toArrow()).sort("person")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.framed, name)


def same(spark: Any, path: Path, **options: Any) -> None:
    """The Spark reader's import of ``path`` is the reference reader's, or both refuse it
    alike, or (a quote inside a field not quoted, which it finds records by) it refuses
    it saying so."""
    refusal = spark_refusal = None
    try:
        reference = read_consumption_report(path, **options)
    except ValidationError as error:
        refusal = str(error)
    if refusal is not None:
        with pytest.raises(ValidationError) as framed:
            columnar.read_consumption_spark(spark, str(path), **options)
        assert str(framed.value) == refusal
        return
    try:
        read = columnar.read_consumption_spark(spark, str(path), **options)
    except ValidationError as error:
        spark_refusal = str(error)
    if spark_refusal is not None:
        assert "quote inside a field that is not quoted" in spark_refusal, spark_refusal
        return
    same_import(_Polars(read), reference)
    assert read.records.count() == len(reference.ledger)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(export=exports())
def test_the_spark_reader_means_what_the_reference_reader_means(
    spark: Any, tmp_path: Path, export: tuple[str, dict[str, Any]]
) -> None:
    text, options = export
    path = tmp_path / "ConsumptionReport.csv"
    path.write_bytes(text.encode())
    same(spark, path, **options)


@pytest.mark.parametrize("by_name", [False, True], ids=["ids", "names and a catalogue"])
def test_each_form_of_a_cell_means_what_the_reference_reader_means(
    spark: Any, tmp_path: Path, *, by_name: bool
) -> None:
    """Every form of every cell that the frame reader's test tries, a row each (each row
    its own person, unless the form is a person's), read in one file."""
    header = [c for c in GOOD_ROW if not (by_name and c == "Content_Id")]
    path = tmp_path / "forms.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerow(GOOD_ROW)
        for at, (column, cell) in enumerate(FORMS):
            writer.writerow({**GOOD_ROW, "Email": f"p{at}@cg.gov.in", column: cell})
    catalogue = Catalogue(
        courses=[Course(id="do_9", name="Ethics", provider="iGOT", duration="01:00:00")]
    )
    same(spark, path, **({"catalogue": catalogue} if by_name else {}))


@pytest.mark.parametrize(("edit", "change"), HAND_EDITS, ids=[e for e, _c in HAND_EDITS])
def test_a_hand_edited_export_is_read_as_the_reference_reads_it_or_refused_saying_why(
    spark: Any, tmp_path: Path, edit: str, change: Any
) -> None:
    rows = [list(CONSUMPTION_REPORT_HEADER)]
    for at, column in enumerate(("Email", "Content_Name", "Status", "Department")):
        row = _row(f"p{at}@cg.gov.in")
        row[rows[0].index(column)] = change(row[rows[0].index(column)])
        rows.append(row)
    path = tmp_path / "edited.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    same(spark, path)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'Email,Content_Name,Enrolled_On,Status\na@x.in,"C,2025-04-05,completed\n',
         "row 2: has a quoted field that never ends"),
        (b'Email,Content_Name,Enrolled_On,Status\na@x.in,"C"D,2025-04-05,completed\n',
         "row 2: has a quote inside a quoted field that is not doubled"),
        (b"Email,Content_Name,Enrolled_On,Status\ra@x.in,C,2025-04-05 10:00:00,completed\r",
         "row 1: has a carriage return inside a line"),
        (b"Email,Content_Name,Enrolled_On,Status\nr\xe9@x.in,C,2025-04-05,completed\n",
         "row 2: is not UTF-8"),
    ],
)  # fmt: skip
def test_a_file_refused_says_where_and_why(
    spark: Any, tmp_path: Path, data: bytes, error: str
) -> None:
    path = tmp_path / "refused.csv"
    path.write_bytes(data)
    with pytest.raises(ValidationError) as framed:
        columnar.read_consumption_spark(spark, str(path))
    assert error in str(framed.value)


def test_the_limits_hold_as_the_reference_holds_them(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "ConsumptionReport.csv"
    rows = [_row(f"p{i}@cg.gov.in") for i in range(5)]
    rows[3][CONSUMPTION_REPORT_HEADER.index("Designation")] = "x" * 50  # a column not read
    _write(path, rows)
    for limits in (Limits(rows=3), Limits(field_size=40), Limits(rows=2, field_size=40),
                   Limits(file_size=1_000)):  # fmt: skip
        with pytest.raises(LimitExceeded) as reference:
            read_consumption_report(path, limits=limits)
        with pytest.raises(LimitExceeded) as framed:
            columnar.read_consumption_spark(spark, str(path), limits=limits)
        assert str(framed.value) == str(reference.value)


def test_a_directory_of_exports_is_read_each_file_with_its_rows(spark: Any, tmp_path: Path) -> None:
    """A ministry's export in two files: each row rejected where it is, in its file; the
    rest as the reference reader reads the two files run together (a person's rows merged
    across files, placed by their latest enrolment in either)."""
    header = list(CONSUMPTION_REPORT_HEADER)
    first, second = _generated(300, seed=1), _generated(200, seed=2)
    moved = _row("p1@cg.gov.in")  # in a unit of its own, later than any other row
    moved[header.index("Department")] = "Tribal Welfare"
    moved[header.index("Enrolled_On")] = "2026-03-30 10:00:00"
    moved[header.index("Completed_On")] = "2026-03-31 10:00:00"
    second.append(moved)
    folder = tmp_path / "exports"
    folder.mkdir()
    _write(folder / "part-1.csv", first)
    _write(folder / "part-2.csv", second)
    _write(tmp_path / "together.csv", first + second)
    framed = columnar.read_consumption_spark(spark, str(folder))
    parts = [read_consumption_report(folder / name) for name in ("part-1.csv", "part-2.csv")]
    together = read_consumption_report(tmp_path / "together.csv")
    assert [str(r) for r in framed.rejected] == [str(r) for p in parts for r in p.rejected]
    assert str(framed.rejected[-1]).startswith(f"{folder / 'part-2.csv'}, row ")
    assert (framed.rows, framed.used, framed.duplicates, framed.rejected_rows) == (
        together.rows,
        together.used,
        together.duplicates,
        together.rejected_rows,
    )
    assert dict(_Polars(framed).places.rows()) == together.places
    assert together.places["p1@cg.gov.in"] == "Chhattisgarh/Tribal-Welfare"
    assert [(f.code, f.message) for f in framed.findings] == [
        (f.code, f.message) for f in together.findings
    ]
    assert framed.records.count() == len(together.ledger)


def test_a_directory_of_exports_with_other_headers_is_refused_saying_which(
    spark: Any, tmp_path: Path
) -> None:
    _write(tmp_path / "a.csv", [_row("ravi@cg.gov.in")])
    (tmp_path / "b.csv").write_text("Email,Content_Name,Enrolled_On,Status\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"b\.csv, row 1: has another header"):
        columnar.read_consumption_spark(spark, str(tmp_path))


@pytest.mark.parametrize("session", ZONES)
def test_an_export_rolls_up_on_spark_as_on_the_reference_from_a_plan_of_sparks_own(
    spark: Any, tmp_path: Path, session: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A generated export of a few thousand rows, bad ones among them, in a session of
    each zone: the table from the Spark reader and :func:`rollup_frame` is the
    reference's, counted here from the reference reader's ledger, and neither the
    records' plan nor the table's holds Python."""
    path = tmp_path / "ConsumptionReport.csv"
    _write(path, _generated(3_000, seed=7))
    reference = read_consumption_report(path)
    with session_zone(spark, session):
        framed = columnar.read_consumption_spark(spark, str(path))
        table = columnar.rollup_frame(framed.records, framed.tree, places=framed.places, by="fy")
        capsys.readouterr()
        framed.records.explain(mode="formatted")
        table.explain(mode="formatted")
        plan = capsys.readouterr().out
        rows = {(r["unit"], r["period"]): r for r in table.collect()}
    assert "Scan text" in plan
    for python in PYTHON_IN_A_PLAN:
        assert python not in plan, python
    assert framed.summary() == reference.summary()
    assert framed.rejected_rows > 0
    assert [str(r) for r in framed.rejected] == [str(r) for r in reference.rejected]
    # The state's completions per year, counted here from the reference reader's ledger.
    assert reference.tree is not None
    completions: dict[str, int] = {}
    for entry in reference.ledger:
        if entry.completed_at is not None and entry.person in reference.places:
            year = entry.completed_at.year - (entry.completed_at.month < 4)
            key = f"{year}-{(year + 1) % 100:02d}"
            completions[key] = completions.get(key, 0) + 1
    state = {p: r["completions"] for (u, p), r in rows.items() if u == "Chhattisgarh"}
    assert {p: n for p, n in state.items() if n} == completions
    expected = Rollup(reference.tree, places=reference.places, by="fy", records=reference.ledger)
    for (unit, period), row in rows.items():
        want = expected.row(unit, period)
        assert (row["enrolments"], row["completions"], row["enrolled_users"]) == (
            want.enrolments,
            want.completions,
            want.enrolled_users,
        ), (unit, period)


# --- Exports written here -------------------------------------------------------------


def _row(person: str) -> list[str]:
    values = {
        "Email": person,
        "Ministry": "Chhattisgarh",
        "Department": "Revenue",
        "Content_Name": "RTI Act",
        "Content_Duration": "01:30:00",
        "Enrolled_On": "2025-04-05 10:30:00",
        "Status": "completed",
        "Content_Progress_Percentage": "100",
        "Completed_On": "2025-05-01 17:30:00",
        "Certificate_Generated": "Yes",
    }
    return [values.get(column, "") for column in CONSUMPTION_REPORT_HEADER]


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([list(CONSUMPTION_REPORT_HEADER), *rows])


def _generated(count: int, *, seed: int) -> list[list[str]]:
    """Rows of a few hundred people in three departments over two years: some repeated,
    some in another department later, one in fifty wrong, one in a hundred in a form
    only the reference reader reads."""
    chance = random.Random(seed)
    header = list(CONSUMPTION_REPORT_HEADER)
    rows = []
    for _ in range(count):
        row = _row(f"p{chance.randrange(400)}@cg.gov.in")
        department = chance.choice(["Revenue", "Forest", "Health"])
        day = chance.randrange(1, 28)
        month = chance.randrange(1, 13)
        year = chance.choice([2024, 2025])
        done = chance.random() < 0.6
        values = {
            "Department": department,
            "Content_Name": chance.choice(["RTI Act", "Ethics", "Noting, drafting"]),
            "Enrolled_On": f"{year}-{month:02d}-{day:02d} 10:30:00",
            "Status": "completed" if done else "in-progress",
            "Content_Progress_Percentage": "100" if done else "40",
            "Completed_On": f"{year}-{month:02d}-{day:02d} 23:45:00" if done else "",
            "Certificate_Generated": "Yes" if done else "No",
        }
        luck = chance.random()
        if luck < 0.02:
            values["Status"] = "finished"  # wrong
        elif luck < 0.03:
            values["Enrolled_On"] = f"{day:02d}/{month:02d}/{year}"  # odd: a day-first date
        for column, value in values.items():
            row[header.index(column)] = value
        rows.append(row)
    return rows
