"""Readers of enrolment records: the platform's exports, xAPI and mappings. Every row is
used, merged as a duplicate, or rejected with its row and reasons; the counts add up."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi._platform import CONSUMPTION_REPORT_HEADER
from karmayogi.cbp import Catalogue, Course
from karmayogi.errors import ValidationError
from karmayogi.progress import (
    Rollup,
    Status,
    read_cbp_report,
    read_consumption_report,
    read_enrolments,
    read_xapi,
)

HEADER = CONSUMPTION_REPORT_HEADER


def row(**values: str) -> dict[str, str]:
    base = {
        "Full_Name": "Ravi Kumar", "Designation": "Tehsildar", "Email": "ravi@cg.gov.in",
        "Phone_Number": "9876543210", "MDO_Name": "Revenue", "Ministry": "Chhattisgarh",
        "Department": "Revenue", "Organization": "Collectorate Raipur",
        "Content_Name": "RTI Act, 2005", "Content_Duration": "01:30:00", "Batch_Id": "b1",
        "Enrolled_On": "2025-04-05 10:30:00", "Status": "in-progress",
        "Content_Progress_Percentage": "40", "Certificate_Generated": "No",
        "External_System_Id": "EMP-1",
    }  # fmt: skip
    return base | values


def report(rows: list[dict[str, str]], bom: bool = False) -> io.StringIO:
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=HEADER, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return io.StringIO(buffer.getvalue())


def test_a_real_export_is_read_with_every_row_accounted_for(tmp_path: Path) -> None:
    path = tmp_path / "ConsumptionReport.csv"
    rows = [
        row(),
        row(Email="RAVI@cg.gov.in", Batch_Id="b2", Status="completed",
            Content_Progress_Percentage="100", Completed_On="01/05/2025 17:30",
            Certificate_Generated="Yes", Certificate_ID="cert-9"),  # day-first, by hand
        row(Email="asha@cg.gov.in", Department="Revenue", Organization="Tehsil Office\nDurg",
            Status="Not Started", Content_Progress_Percentage="0"),  # older words, a newline
        row(Email="", Status="finished", Enrolled_On="yesterday"),  # three problems
        row(Email="om@cg.gov.in", Status="completed", Content_Progress_Percentage="100"),
    ]  # fmt: skip
    path.write_text("\ufeff" + report(rows).getvalue() + "\r\n", encoding="utf-8")
    result = read_consumption_report(path)
    assert (result.rows, result.used, result.duplicates, len(result.rejected)) == (5, 2, 1, 2)
    assert result.accounted
    ravi = result.ledger["ravi@cg.gov.in", "RTI Act, 2005"]
    assert ravi.status is Status.COMPLETED
    assert str(ravi.completed_at) == "2025-05-01 17:30:00+05:30"
    assert ravi.certificates == ("cert-9",)
    assert ravi.duration == 5400
    assert [o.row for o in ravi.origins] == [2, 3]
    bad = result.rejected[0]
    assert bad.row == 5
    assert {(p.where.field, p.code) for p in bad.problems} == {
        ("Email", "blank"),
        ("Status", "malformed"),
        ("Enrolled_On", "malformed"),
    }
    assert "completion time goes with the status completed" in str(result.rejected[1])
    assert [p.code for p in result.rejected[1].problems] == ["inconsistent"]
    assert result.places == {
        "ravi@cg.gov.in": "Chhattisgarh/Revenue/Collectorate-Raipur",
        "asha@cg.gov.in": "Chhattisgarh/Revenue/Tehsil-Office-Durg",
    }
    assert result.tree is not None
    assert result.tree.path("Chhattisgarh/Revenue/Collectorate-Raipur")[0] == "Chhattisgarh"
    assert any(f.code == "ignored-column" and "Phone_Number" in f.message for f in result.findings)
    rollup = Rollup(result.tree, places=result.places, by="fy", records=result.ledger)
    assert rollup.row("Chhattisgarh", "2025-26").enrolled_users == 2


def test_a_person_may_be_known_by_another_column_and_courses_by_id() -> None:
    catalogue = Catalogue(courses=[Course(id="do_1", name="RTI Act 2005", provider="iGOT",
                                          duration="01:30:00")])  # fmt: skip
    result = read_consumption_report(
        report([row()]), person_key="External_System_Id", catalogue=catalogue
    )
    assert next(iter(result.ledger)).key == ("EMP-1", "do_1")


def test_a_person_in_two_units_is_placed_by_the_latest_enrolment() -> None:
    rows = [row(), row(Content_Name="Other", Organization="Tehsil Durg",
                       Enrolled_On="2025-06-01 10:00:00")]  # fmt: skip
    result = read_consumption_report(report(rows))
    assert result.places["ravi@cg.gov.in"].endswith("Tehsil-Durg")
    assert [f.code for f in result.findings if f.code == "person-in-several-units"]


# Where a row puts its person: (Ministry, Department, Organization, MDO_Name, the unit).
PLACES = [
    ("Chhattisgarh", "Revenue", "Collectorate Raipur", "Revenue",
     "Chhattisgarh/Revenue/Collectorate-Raipur"),
    ("Chhattisgarh", "Revenue", "Tehsil Durg", "Revenue", "Chhattisgarh/Revenue/Tehsil-Durg"),
    ("", "", "", "Forest", "Forest"),
    ("", "", "", "Health", "Health"),
]  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ravi@cg.gov.in", "RAVI@CG.gov.in", "asha@cg.gov.in"]),
            st.sampled_from(PLACES),
            st.integers(1, 20),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_person_is_placed_in_the_unit_of_their_latest_enrolment(
    rows: list[tuple[str, tuple[str, ...], int]],
) -> None:
    written = [
        row(Email=email, Ministry=ministry, Department=department, Organization=organisation,
            MDO_Name=mdo, Content_Name=f"Course {n}", Enrolled_On=f"2025-04-{day:02d} 10:00:00")
        for n, (email, (ministry, department, organisation, mdo, _unit), day) in enumerate(rows)
    ]  # fmt: skip
    result = read_consumption_report(report(written))
    seen: dict[str, list[tuple[int, str]]] = {}
    for email, place, day in rows:
        seen.setdefault(email.casefold(), []).append((day, place[-1]))
    assert result.places == {person: max(rows)[1] for person, rows in seen.items()}
    several = {p for p, rows in seen.items() if len({unit for _day, unit in rows}) > 1}
    assert {
        f.message.split()[0] for f in result.findings if f.code == "person-in-several-units"
    } == several


def test_missing_columns_are_an_error_naming_them() -> None:
    with pytest.raises(ValidationError, match="'Enrolled_On'") as caught:
        read_consumption_report(io.StringIO("Email,Status,Content_Name\na@x.in,completed,X\n"))
    assert caught.value.problems[0].where.row == 1
    assert caught.value.problems[0].code == "missing-column"


status_words = st.sampled_from(
    ["completed", "in-progress", "not-started", "Completed", "In Progress", "Done", ""]
)


@st.composite
def export_rows(draw: st.DrawFn) -> dict[str, str]:
    status = draw(status_words)
    done = status.lower() == "completed"
    return row(
        Email=draw(st.sampled_from(["a@x.in", "A@X.in", "b@x.in", ""])),
        Content_Name=draw(st.sampled_from(["C1", "C2"])),
        Status=status,
        Content_Progress_Percentage=draw(st.sampled_from(["100" if done else "0", "50", "x"])),
        Enrolled_On=draw(st.sampled_from(["2025-04-05 10:30:00", "06/04/2025", "nonsense"])),
        Completed_On="2025-05-01 10:00:00" if done and draw(st.booleans()) else "",
        Content_Duration=draw(st.sampled_from(["00:30:00", "", "-1"])),
    )


@given(st.lists(export_rows(), max_size=20), st.randoms(use_true_random=False))
def test_rows_always_add_up_and_order_does_not_change_the_ledger(rows: list, rnd: object) -> None:  # type: ignore[type-arg]
    first = read_consumption_report(report(rows))
    assert first.rows == len(rows)
    assert first.accounted
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    second = read_consumption_report(report(shuffled))
    assert (second.used, second.duplicates, len(second.rejected)) == (
        first.used, first.duplicates, len(first.rejected))  # fmt: skip

    def states(ledger: object) -> set[tuple[object, ...]]:
        return {(e.key, e.status, e.progress, e.enrolled_at, e.completed_at, e.duration)
                for e in ledger}  # type: ignore[attr-defined]  # fmt: skip

    assert states(first.ledger) == states(second.ledger)


CBP_HEADER = (
    "Name,Email,Phone,MDO_Name,Group,Designation,Ministry,Department,Organization,"
    "Name of CBP Allocated Course,isapar,Allocated On,Current Progress,"
    "Due Date of Completion,Actual Date of Completion,mdoid,Report_Last_Generated_On"
)


def test_the_cbp_export_gives_allocations_and_records() -> None:
    text = "\n".join([
        CBP_HEADER,
        "Ravi,Ravi@cg.gov.in,1,Rev,B,Tehsildar,CG,Revenue,,RTI Act,Yes,2025-04-01,Completed,2025-12-31,2025-12-31 23:59:00,m,x",  # noqa: E501
        "Ravi,ravi@cg.gov.in,1,Rev,B,Tehsildar,CG,Revenue,,RTI Act,Yes,2025-04-01,Completed,2026-01-31,2025-12-31 23:59:00,m,x",  # noqa: E501
        "Asha,asha@cg.gov.in,1,Rev,B,Patwari,CG,Revenue,,RTI Act,No,2025-04-01,Not Enrolled,31/12/2025,,m,x",  # noqa: E501
        "Om,om@cg.gov.in,1,Rev,B,Patwari,CG,Revenue,,RTI Act,maybe,2025-04-01,Stalled,someday,,m,x",
    ])  # fmt: skip
    result = read_cbp_report(io.StringIO(text + "\n"))
    assert (result.rows, result.used, result.duplicates, len(result.rejected)) == (4, 2, 1, 1)
    assert [p.code for p in result.rejected[0].problems] == ["malformed"] * 3
    assert [(a.person, str(a.due), a.apar) for a in result.allocations] == [
        ("asha@cg.gov.in", "2025-12-31", False),
        ("ravi@cg.gov.in", "2026-01-31", True),
    ]
    assert len(result.ledger) == 1
    assert result.places["asha@cg.gov.in"] == "CG/Revenue"


def statement(verb: str, when: str, **extra: object) -> dict[str, object]:
    return {
        "actor": {"mbox": "mailto:Ravi@CG.gov.in"},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": "https://igot.gov.in/do_1"},
        "timestamp": when,
    } | extra


def test_xapi_statements_rise_to_one_entry(tmp_path: Path) -> None:
    statements = [
        statement("registered", "2025-04-05T05:00:00Z", id="s1"),
        statement("progressed", "2025-04-06T05:00:00Z",
                  result={"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 60}}),  # noqa: E501
        statement("completed", "2025-04-07T05:00:00Z", result={"duration": "PT1H30M", "completion": True}),  # noqa: E501
        statement("registered", "2025-04-05T05:00:00Z", id="s1"),  # sent twice
        statement("voided", "2025-04-08T05:00:00Z"),
        {"actor": {"account": {"homePage": "https://igot", "name": "u-42"}},
         "verb": {"id": "http://example.com/verbs/liked"}, "object": {"id": "x"}},
        "not a statement",
    ]  # fmt: skip
    path = tmp_path / "statements.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in statements), encoding="utf-8")
    result = read_xapi(path)
    assert (result.rows, result.used, result.duplicates, len(result.rejected)) == (7, 1, 3, 3)
    entry = result.ledger["ravi@cg.gov.in", "https://igot.gov.in/do_1"]
    assert entry.status is Status.COMPLETED
    assert entry.duration == 5400
    assert str(entry.enrolled_at) == "2025-04-05 10:30:00+05:30"
    reasons = " ".join(str(r) for r in result.rejected)
    assert "voids only a statement" in reasons
    assert "is not a verb that is read" in reasons
    parsed = read_xapi(statements)  # the same statements, given already parsed
    assert [(e.key, e.status, e.enrolled_at) for e in parsed.ledger] == [
        (e.key, e.status, e.enrolled_at) for e in result.ledger]  # fmt: skip


def test_mappings_reject_unknown_keys_rather_than_lose_them() -> None:
    result = read_enrolments([{"person": "a", "course": "c", "stauts": "completed"}])
    assert result.rejected[0].problems[0].message == "is not a field of an enrolment"
    assert result.accounted


def test_a_record_says_where_it_came_from() -> None:
    """The fast path of the platform's own rows makes whole origins too."""
    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    plain = "a@x.in,CG,Revenue,,RTI,01:00:00,2025-04-05 10:30:00,in-progress,40,,No\n"
    later = plain.replace("2025-04-05", "2025-04-06")
    (entry,) = read_consumption_report(io.StringIO(header + plain + later)).ledger
    assert [(str(o), o.says) for o in entry.origins] == [("record 2", None), ("record 3", None)]
