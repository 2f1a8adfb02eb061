"""The platform's other reports and an MDO's zip: each reader on the one contract (every
row used, a duplicate, or rejected with its row, field and reason), the zip read as the
platform sends it (encrypted as ``zip -P`` encrypts), and the report made from the zip
alone, checked against counts made here from the zip's own CSV files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi._cli import main
from karmayogi._zipcrypto import write_encrypted_zip
from karmayogi.demo import make_demo
from karmayogi.errors import LimitExceeded, ValidationError
from karmayogi.exports import (
    MEMBERS,
    PASSWORD_VARIABLE,
    read_assessment_report,
    read_blended_report,
    read_cbp_summary,
    read_competency_mapping,
    read_content_report,
    read_mdo_zip,
    read_user_report,
)
from karmayogi.limits import Limits
from karmayogi.progress import Import, read_consumption_report

PASSWORD = "Madhyanchal@2026"


@pytest.fixture(scope="module")
def zipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo state's zip, encrypted as the platform encrypts it."""
    directory = tmp_path_factory.mktemp("zip")
    return make_demo(people=300).write_zip(directory / "reports.zip", PASSWORD)


def members(path: Path) -> dict[str, list[dict[str, str]]]:
    """The zip's CSV files as rows, read with the standard library alone."""
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename: list(
                csv.DictReader(io.StringIO(archive.read(info, pwd=PASSWORD.encode()).decode()))
            )
            for info in archive.infolist()
        }


# --- the zip --------------------------------------------------------------------------------


def test_the_demo_zip_holds_each_report_as_the_platform_names_it(zipped: Path) -> None:
    with zipfile.ZipFile(zipped) as archive:
        infos = archive.infolist()
    assert all(info.flag_bits & 0x1 for info in infos), "every member is encrypted"
    assert {Path(info.filename).stem for info in infos} <= set(MEMBERS)
    reports = read_mdo_zip(zipped, password=PASSWORD)
    assert [m.note for m in reports.members] == ["read"] * len(infos)
    for name, read in reports.reports():
        assert read.accounted, name
        assert read.rejected_rows == 0, name
        assert read.rows == len(members(zipped)[f"{name}.csv"])


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP's unzip is not installed")
def test_the_demo_zip_opens_with_info_zips_unzip_as_the_platforms_does(
    zipped: Path, tmp_path: Path
) -> None:
    subprocess.run(["unzip", "-q", "-P", PASSWORD, str(zipped), "-d", str(tmp_path)], check=True)
    users = (tmp_path / "UserReport.csv").read_text(encoding="utf-8")
    assert (
        users.splitlines()[1:]
        == [",".join(row.values()) for row in members(zipped)["UserReport.csv"]]
        or users.count("\n") == len(members(zipped)["UserReport.csv"]) + 1
    )


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.text("abcXYZ-_", min_size=1, max_size=8).map(lambda s: s + ".csv"),
        st.binary(max_size=2000),
        min_size=1,
        max_size=4,
    ),
    st.text(min_size=1, max_size=20),
)
def test_what_the_demo_encrypts_the_standard_library_decrypts(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes], password: str
) -> None:
    path = write_encrypted_zip(tmp_path_factory.mktemp("z") / "x.zip", files, password)
    with zipfile.ZipFile(path) as archive:
        assert {n: archive.read(n, pwd=password.encode()) for n in files} == files


def test_an_encrypted_zip_without_its_password_names_every_member(zipped: Path) -> None:
    with pytest.raises(ValidationError) as raised:
        read_mdo_zip(zipped)
    problems = raised.value.problems
    assert {(p.code, p.message) for p in problems} == {
        ("password", "is encrypted and no password was given")
    }
    assert len(problems) == len(members(zipped))
    assert "UserReport.csv" in str(raised.value)


def test_a_wrong_password_is_refused_before_anything_is_read(zipped: Path) -> None:
    with pytest.raises(ValidationError, match="does not open") as raised:
        read_mdo_zip(zipped, password="not it")
    assert {p.code for p in raised.value.problems} <= {"password", "malformed"}


def test_bytes_and_an_upload_read_as_the_path_does(zipped: Path) -> None:
    by_path = read_mdo_zip(zipped, password=PASSWORD)
    for source in (zipped.read_bytes(), io.BytesIO(zipped.read_bytes())):
        read = read_mdo_zip(source, password=PASSWORD)
        assert [m.report for m in read.members] == [m.report for m in by_path.members]
        assert read.users is not None
        assert by_path.users is not None
        assert read.users.items == by_path.users.items


def _zip(files: dict[str, str]) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return packed.getvalue()


def test_each_member_is_accounted_for_read_or_not_and_why() -> None:
    reports = read_mdo_zip(
        _zip(
            {
                "mdoid=01/user-report.csv": "Email,Ministry\na@x.in,CG\n",
                "UserReport.csv": "Email,Ministry\nb@x.in,CG\n",
                "readme.txt": "hello",
            }
        )
    )
    assert [(m.name, m.report) for m in reports.members] == [
        ("mdoid=01/user-report.csv", "UserReport"),
        ("UserReport.csv", None),
        ("readme.txt", None),
    ]
    assert reports.members[1].note == "a second UserReport: the first is read"
    assert reports.members[2].note.startswith("not a report karmayogi reads")
    assert reports.users is not None
    assert [u.person for u in reports.users.items] == ["a@x.in"]


def test_a_member_past_the_limits_is_refused_by_its_declared_size() -> None:
    data = _zip({"UserReport.csv": "Email\n" + "a@x.in\n" * 1000})
    with pytest.raises(LimitExceeded) as raised:
        read_mdo_zip(data, limits=Limits(file_size=100))
    assert "UserReport.csv" in str(raised.value)


def test_members_packed_any_way_zipfile_reads_are_read_and_aes_is_refused() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("UserReport.csv", "Email\na@x.in\n")
    reports = read_mdo_zip(packed.getvalue())
    assert reports.users is not None
    assert len(reports.users) == 1
    # The same zip with its member marked as WinZip's AES (method 99) in both headers.
    data = bytearray(packed.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 8 : local + 10] = data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    with pytest.raises(ValidationError, match="AES") as raised:
        read_mdo_zip(bytes(data))
    assert raised.value.problems[0].where.file == "the zip:UserReport.csv"


def test_a_file_that_is_not_a_zip_says_so() -> None:
    with pytest.raises(ValidationError, match="is not a zip"):
        read_mdo_zip(b"Email\na@x.in\n")


def test_a_member_that_is_not_utf8_names_the_member() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("UserReport.csv", b"Email,Ministry\n\xff@x.in,CG\n")
    with pytest.raises(ValidationError) as raised:
        read_mdo_zip(packed.getvalue())
    assert raised.value.problems[0].where.file == "UserReport.csv"


# --- the journey: a report from the zip alone -----------------------------------------------


def test_the_report_from_the_zip_alone_counts_what_its_files_hold(
    zipped: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = members(zipped)
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    out = tmp_path / "report.html"
    assert main(["report", str(zipped), "--out", str(out), "--no-charts", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    people = {row["Email"].casefold() for row in files["UserReport.csv"]}
    allocated = {
        (row["Email"].casefold(), row["Name of CBP Allocated Course"])
        for row in files["CBPEnrollmentReport.csv"]
    }
    made = files["UserReport.csv"][0]["Report_Last_Generated_On"][:10]
    assert summary["headline"]["users"] == len(people)
    assert summary["compliance"]["cbp_allocated"] == len(allocated)
    assert summary["as_of"] == made
    # The platform lists active users only: the others' enrolments are left out as theirs.
    unlisted = {
        (row["Email"].casefold(), row["Content_Name"])
        for row in files["ConsumptionReport.csv"]
        if row["Email"].casefold() not in people
    }
    assert summary["excluded"] == {"inactive people": len(unlisted)}
    # Offline sessions: attended, with the programme's certificate, as the platform counts.
    offline = (
        sum(
            _seconds(row["Component_Duration"])
            for row in files["BlendedProgramReport.csv"]
            if row["Offline_Attendance_Status"] == "Attended"
            and row["Certificate_Generated"] == "Yes"
            and row["Email"].casefold() in people
        )
        / 3600
    )
    assert offline > 0
    counted = summary["offline"]["rows"][0]
    assert counted["unit"] == summary["headline"]["unit"]
    assert counted["offline_hours"] == round(offline, 2)
    # The platform's own summary, in the zip, reconciled: its totals as its columns sum.
    column = "Number of CBP Courses Allocated"
    reconciled = summary["reconciliation"]
    assert reconciled["totals"]["allocated"]["platform"] == sum(
        int(row[column]) for row in files["CBPUserSummaryReport.csv"]
    )
    assert reconciled["differ"] == 0
    assert out.is_file()


def test_an_encrypted_zip_with_no_password_and_no_terminal_says_what_to_set(
    zipped: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["report", str(zipped), "--out", str(tmp_path / "r.html")]) == 1
    assert PASSWORD_VARIABLE in capsys.readouterr().err


def test_there_is_no_option_to_give_a_password_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for option in ("--password", "--pwd", "-P"):
        with pytest.raises(SystemExit):
            main(["report", "reports.zip", option, "secret"])
    capsys.readouterr()


def test_the_zips_enrolments_are_the_exports_enrolments(zipped: Path) -> None:
    reports = read_mdo_zip(zipped, password=PASSWORD)
    with zipfile.ZipFile(zipped) as archive:
        raw = archive.read("ConsumptionReport.csv", pwd=PASSWORD.encode())
    alone = read_consumption_report(raw)
    assert reports.consumption is not None

    def fields(read: Import) -> list[tuple[object, ...]]:
        return [(e.person, e.course, e.status, e.enrolled_at, e.completed_at) for e in read.ledger]

    assert fields(reports.consumption) == fields(alone)
    assert reports.consumption.summary().split(": ", 1)[1] == alone.summary().split(": ", 1)[1]


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return 3600 * hours + 60 * minutes + seconds


# --- each reader ----------------------------------------------------------------------------


def test_the_user_report_reads_the_platforms_columns_and_rejects_with_reasons() -> None:
    users = read_user_report(
        io.StringIO(
            "Full_Name,Email,Designation,Ministry,Department,Organization,Karma_Points,"
            "Course_Learning_Hours,Total_Learning_Hours,User_Registration_Date\n"
            "Ravi,Ravi@CG.in,Tehsildar,CG,Revenue,,25,1.5,2.5,2024-06-01\n"
            "Ravi,ravi@cg.in,Tehsildar,CG,Revenue,,25,1.5,2.5,2024-06-01\n"
            "Asha,asha@cg.in,Patwari,CG,Revenue,Raipur,x,-1,2,31/02/2024\n"
            "Anon,,Patwari,CG,Revenue,,1,1,1,\n"
        )
    )
    assert (users.rows, users.used, users.duplicates, users.rejected_rows) == (4, 1, 1, 2)
    assert users.accounted
    first = users.rejected[0]
    assert first.row == 4
    assert {(p.where.field, p.code) for p in first.problems} == {
        ("Karma_Points", "malformed"),
        ("Course_Learning_Hours", "out-of-range"),
        ("User_Registration_Date", "malformed"),
    }
    assert [(p.where.field, p.code) for p in users.rejected[1].problems] == [("Email", "blank")]
    assert users.items[0].total_hours == 2.5
    assert users.places["ravi@cg.in"] == "CG/Revenue"


def test_a_report_without_its_key_column_is_refused_whole() -> None:
    with pytest.raises(ValidationError, match="missing columns 'Email'"):
        read_user_report(io.StringIO("Name,Designation\nRavi,Tehsildar\n"))


def test_the_summary_report_refuses_counts_that_cannot_be() -> None:
    summary = read_cbp_summary(
        io.StringIO(
            "Email,Number of CBP Courses Allocated,Number of CBP Courses Completed,"
            "Number of CBP Courses Completed within due date\n"
            "a@x.in,3,2,2\nb@x.in,1,2,0\nc@x.in,2,1.0,0\n"
        )
    )
    assert [(r.person, r.completed) for r in summary.items] == [("a@x.in", 2), ("c@x.in", 1)]
    assert summary.rejected[0].problems[0].code == "inconsistent"


def test_the_blended_report_reads_offline_sessions_and_their_attendance() -> None:
    blended = read_blended_report(
        io.StringIO(
            "Email,Program_Name,Batch_Name,Component_Name,Component_Mode,Status,"
            "Component_Duration,Offline_Session_Date,Offline_Session_Start_Time,"
            "Offline_Session_End_Time,Offline_Attendance_Status,Certificate_Generated\n"
            "a@x.in,P,B,Visit,Offline,Completed,02:00:00,2025-07-04,10:00,12:00,Attended,Yes\n"
            "a@x.in,P,B,Talk,Offline,Not Completed,01:00:00,2025-07-05,10:00,11:00,"
            "Not Attended,Yes\n"
            "a@x.in,P,B,Quiz,Online,Finished,00:30:00,,,,,No\n"
        )
    )
    assert [(r.component, r.offline, r.attended, r.completed) for r in blended.items] == [
        ("Visit", True, True, True),
        ("Talk", True, False, False),
    ]
    assert blended.rejected[0].problems[0].where.field == "Status"


def test_the_content_report_checks_its_counts_add_up() -> None:
    content = read_content_report(
        io.StringIO(
            "Content_Name,Batch_Id,Content_Duration,Enrolled,Not_Started,In_Progress,Completed\n"
            "RTI Act,,5400,10,2,3,5\nRTI Act,,5400,10,2,3,5\nEthics,,1.5,3,1,1,1\n"
            "Noting,,3600,2,1,1,1\n"
        )
    )
    assert (content.used, content.duplicates, content.rejected_rows) == (1, 1, 2)
    assert content.items[0].duration == 5400
    assert content.rejected[1].problems[0].code == "inconsistent"


def test_the_assessment_report_knows_people_by_its_own_spelling_of_email() -> None:
    assessments = read_assessment_report(
        io.StringIO(
            "User ID,E mail,Assessment Name,Course ID,Latest Percentage Achieved,"
            "Cut off Percentage,Pass,No of Retakes\n"
            "u1,A@X.in,Final,do_1,72.5,60,Yes,1\nu2,b@x.in,Final,do_1,140,60,Yes,0\n"
        )
    )
    assert [(a.person, a.score, a.passed, a.retakes) for a in assessments.items] == [
        ("a@x.in", 72.5, True, 1)
    ]
    assert assessments.rejected[0].problems[0].code == "out-of-range"


def test_the_competency_mapping_joins_arrays_by_position_and_refuses_unequal_ones() -> None:
    mapping = read_competency_mapping(
        io.StringIO(
            "content_id,content_name,competency_area,competency_theme,competency_sub_theme\n"
            "do_1,RTI,Functional,Handling RTI Matters,RTI Records Management\n"
            "do_1,RTI,Functional,Handling RTI Matters,RTI Records Management\n"
            "do_2,Ethics,,,\n"
            "do_3,Noting,Functional,Office Management,\n"
        )
    )
    assert [(m.course_id, m.sub_theme) for m in mapping.items] == [
        ("do_1", "RTI Records Management"),
        ("do_2", None),
    ]
    assert mapping.duplicates == 1
    assert mapping.rejected[0].row == 5


def test_every_reader_keeps_its_account_on_any_rows() -> None:
    """Whatever the cells, every row read is used, a duplicate or rejected."""

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.lists(
                st.sampled_from(["", "1", "-1", "x", "a@x.in", "100", "2025-04-01"]),
                min_size=4,
                max_size=4,
            ),
            max_size=12,
        )
    )
    def check(cells: list[list[str]]) -> None:
        header = "Email,Karma_Points,Total_Learning_Hours,User_Registration_Date\n"
        text = header + "".join(",".join(row) + "\n" for row in cells)
        read = read_user_report(io.StringIO(text))
        assert read.accounted
        assert read.rows == sum(1 for row in cells if any(row))

    check()


def test_validate_recognises_the_zip_and_each_report_in_it(
    zipped: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(tmp_path, pwd=PASSWORD.encode())
    paths = sorted(str(p) for p in tmp_path.glob("*.csv"))
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    assert main(["validate", *paths, str(zipped)]) == 0
    out = capsys.readouterr().out
    kinds = {
        Path(line.split(": ")[0]).name: line.split(": ")[1]
        for line in out.splitlines()
        if not line.startswith("  ")
    }
    assert kinds == {
        "BlendedProgramReport.csv": "the blended programme report (BlendedProgramReport.csv)",
        "CBPEnrollmentReport.csv": "the CBP enrolment export (CBPEnrollmentReport.csv)",
        "CBPUserSummaryReport.csv": "the CBP summary report (CBPUserSummaryReport.csv)",
        "ConsumptionReport.csv": "the enrolment export (ConsumptionReport.csv)",
        "ContentCompetencyMapping.csv": "the competency mapping (ContentCompetencyMapping.csv)",
        "ContentReport.csv": "the content report (ContentReport.csv)",
        "UserReport.csv": "the users report (UserReport.csv)",
        "reports.zip": "an MDO's zip of the platform's reports",
    }
