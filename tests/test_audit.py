"""The audit: on the demo's files with slips planted by hand, `karmayogi audit` counts each
slip as a count made here predicts, and its output holds no one's name, email or phone."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi._cli import main
from karmayogi.audit import audit
from karmayogi.demo import make_demo
from tests.builders import csv_rows, write_csv_rows


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("audit")
    make_demo(people=300).write_exports(directory)
    return directory


def test_the_audit_counts_each_slip_planted_in_the_export(
    files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = csv_rows(files / "ConsumptionReport.csv")
    made = dt.date.fromisoformat(rows[0]["Report_Last_Generated_On"][:10])
    rows[3]["Content_Progress_Percentage"] = "140"
    done = [r for r in rows if r["Completed_On"]]
    done[0]["Completed_On"] = "2020-01-01 10:00:00"  # before any enrolment of the demo
    rows[5]["Enrolled_On"] = f"{made + dt.timedelta(days=3)} 09:00:00"
    moved = rows[7]
    other = next(r for r in rows if r["Department"] != moved["Department"])
    rows.append(moved | {k: other[k] for k in ("Ministry", "Department", "Organization")})
    header.append("Remarks")
    write_csv_rows(tmp_path / "ConsumptionReport.csv", header, rows)
    # The same counts, made here from the rows as written.
    over = sum(float(r["Content_Progress_Percentage"] or 0) > 100 for r in rows)
    before = sum(
        bool(r["Completed_On"]) and r["Completed_On"][:10] < r["Enrolled_On"][:10] for r in rows
    )
    future = sum(r["Enrolled_On"][:10] > str(made) for r in rows)
    units: dict[str, set[tuple[str, ...]]] = {}
    for r in rows:
        units.setdefault(r["Email"].casefold(), set()).add(
            tuple(r[k] for k in ("Ministry", "Department", "Organization"))
        )
    several = sum(len(u) > 1 for u in units.values())
    assert main(["audit", str(tmp_path / "ConsumptionReport.csv"), "--format", "json"]) == 1
    found = {i["code"]: i for i in json.loads(capsys.readouterr().out)["issues"]}
    assert found["progress-over-100"]["count"] == over == 1
    assert found["completed-before-enrolled"]["count"] == before == 1
    assert found["future-date"]["count"] == future == 1
    assert found["person-in-several-units"]["count"] == several >= 1
    assert found["extra-columns"]["count"] == 1
    assert "Remarks" in found["extra-columns"]["examples"][0]
    assert "missing-columns" not in found


def test_unequal_competency_arrays_are_counted() -> None:
    found = audit(
        {
            "ContentCompetencyMapping.csv": io.StringIO(
                "courseID,competencyAreaRefId,competencyThemeRefId,competencySubThemeRefId\n"
                'do_1,"[a, b]","[t1, t2]","[s1, s2]"\n'
                'do_2,"[a, b]","[t1]","[s1]"\n'
            )
        }
    )
    unequal = [i for i in found.issues if i.code == "unequal-competency-arrays"]
    assert [(i.count, i.examples) for i in unequal] == [(1, ("row 3: lengths [2, 1, 1]",))]


def test_the_audit_never_shows_a_name_an_email_or_a_phone(
    files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in files.glob("*Report*.csv"):  # each with a person in two units
        header, rows = csv_rows(path)
        moved = rows[0]
        rows.append(moved | {"Department": moved["Department"] + " (deputed)"})
        write_csv_rows(tmp_path / path.name, header, rows)
    paths = sorted(tmp_path.glob("*.csv"))
    main(["audit", *map(str, paths)])
    main(["audit", *map(str, paths), "--format", "json"])
    out = capsys.readouterr().out.casefold()
    personal: set[str] = set()
    for path in paths:
        _header, rows = csv_rows(path)
        for row in rows:
            for column in ("Email", "Full_Name", "Name", "Phone_Number", "Phone"):
                if row.get(column):
                    personal.add(row[column].casefold())
    assert personal
    assert not [value for value in personal if value in out]


def test_a_file_that_is_no_report_is_said_so() -> None:
    found = audit({"notes.csv": io.StringIO("a,b\n1,2\n")})
    assert found.kinds == {"notes.csv": "unknown"}
    assert [i.code for i in found.issues] == ["unknown-file"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-5, 300), st.sampled_from(["", "x", "100", "99.5"])), max_size=15
    )
)
def test_progress_over_100_is_counted_exactly(cells: list[tuple[int, str]]) -> None:
    text = "Email,Content_Name,Content_Progress_Percentage\n" + "".join(
        f"p{i}@x.in,C,{extra or value}\n" for i, (value, extra) in enumerate(cells)
    )
    found = audit({"ConsumptionReport.csv": io.StringIO(text)})
    expected = sum((float(extra) if extra not in ("", "x") else value) > 100
                   for value, extra in cells if extra != "x")  # fmt: skip
    counted = sum(i.count for i in found.issues if i.code == "progress-over-100")
    assert counted == expected


def test_a_file_that_cannot_be_read_is_an_issue_and_the_others_are_audited() -> None:
    found = audit(
        {
            "UserReport.csv": io.BytesIO(b"Email,Designation\nr\xe9@x.in,Patwari\n"),
            "ConsumptionReport.csv": io.StringIO(
                "Email,Content_Name,Content_Progress_Percentage\na@x.in,C,140\n"
            ),
        }
    )
    codes = {(i.file, i.code) for i in found.issues}
    assert ("UserReport.csv", "unreadable") in codes
    assert ("ConsumptionReport.csv", "progress-over-100") in codes
    (unreadable,) = [i for i in found.issues if i.code == "unreadable"]
    assert "row 2" in unreadable.examples[0]
    assert "UTF-8" in unreadable.examples[0]
