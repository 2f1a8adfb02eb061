"""The ``karmayogi`` command, run as a user runs it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from karmayogi._cli import main
from karmayogi.cbp import Plan
from karmayogi.competency import Framework
from karmayogi.periods import IST


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "karmayogi", *args], capture_output=True, text=True, check=False
    )


def test_taxonomy_prints_the_bundled_tree() -> None:
    result = run("taxonomy")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Karmayogi Competency Model 2025.1 (kcm): 35 themes, 112 sub-themes"
    assert lines[1] == "Behavioural"
    assert lines[2].split(maxsplit=1) == ["KCM-B01", "Self-Awareness"]
    assert lines[3].split(maxsplit=1) == ["KCM-B01-01", "Self-Analysis"]
    assert "Functional" in lines
    assert len(lines) == 1 + 2 + 35 + 112


def test_taxonomy_as_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["taxonomy", "--area", "functional", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 22 + 71
    assert rows[1] == {
        "Identifier": "KCM-F01-01",
        "Competency Area": "Functional",
        "Competency Theme": "Citizen Centricity",
        "Competency SubTheme": "Design Thinking",
    }
    assert main(["taxonomy", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "kcm"


def test_bad_input_is_one_line_and_exit_1() -> None:
    result = run("taxonomy", "--area", "Wizardry")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "karmayogi: error: competency area must be one of Behavioural, Functional, Domain; "
        "got 'Wizardry'"
    )


def test_no_command_prints_help_and_exit_2() -> None:
    result = run()
    assert result.returncode == 2
    assert "taxonomy" in result.stdout
    assert "examples:" in result.stdout


def test_version() -> None:
    import karmayogi

    result = run("--version")
    assert result.stdout.strip() == f"karmayogi {karmayogi.__version__}"


ROLES = """\
Designation,Competency Area,Competency Theme,Competency SubTheme,Proficiency Level
Tehsildar,Behavioural,Communication,Reading & Comprehension,2
Tehsildar,Functional,Office Management,Noting & Drafting of official Communications,2
Patwari,Functional,Office Management,Noting & Drafting of official Communications,1
"""
PEOPLE = """\
Person,Organisation,Designation,Active
u1,rev,Tehsildar,yes
u2,rev,Patwari,yes
u3,rev,Patwari,no
"""


def catalogue_csv(kcm_ids: dict[str, str]) -> str:
    return (
        "Course Id,Course Name,Duration,Competency,Level\n"
        f"do_1,Reading files well,01:00:00,{kcm_ids['reading']},2\n"
        f"do_2,Drafting basics,00:30:00,{kcm_ids['drafting']},1\n"
        f"do_3,Drafting in depth,02:00:00,{kcm_ids['drafting']},3\n"
    )


@pytest.fixture
def files(tmp_path: Path, kcm: Framework) -> Path:
    ids = {
        "reading": kcm.find("Communication", "Reading & Comprehension").id,
        "drafting": kcm.find(
            "Office Management", "Noting and drafting of official communications"
        ).id,
    }
    (tmp_path / "roles.csv").write_text(ROLES, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "courses.csv").write_text(catalogue_csv(ids), encoding="utf-8")
    return tmp_path


def build_args(files: Path) -> list[str]:
    """``plan build`` over the fixture's files, for the revenue department's 2025-26."""
    return [
        "plan", "build", "--roles", str(files / "roles.csv"), "--people",
        str(files / "people.csv"), "--catalogue", str(files / "courses.csv"),
        "--organisation", "rev", "--year", "2025-26",
    ]  # fmt: skip


def test_plan_build_check_and_allocations(files: Path) -> None:
    build = run(*build_args(files), "--out", str(files / "plans"))
    assert build.returncode == 0, build.stderr
    assert "2 plans (Draft) written into" in build.stderr
    assert "Tehsildar (rev-2025-26-tehsildar): 2 courses, 3 hours, closing 2 gaps" in build.stderr
    written = sorted(p.name for p in (files / "plans").iterdir())
    assert written == ["rev-2025-26-patwari.json", "rev-2025-26-tehsildar.json"]
    tehsildar = Plan.from_file(files / "plans" / "rev-2025-26-tehsildar.json")
    assert tehsildar.courses == ("do_1", "do_3")
    check = run(
        "plan",
        "check",
        *map(str, sorted((files / "plans").iterdir())),
        "--catalogue",
        str(files / "courses.csv"),
        "--people",
        str(files / "people.csv"),
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.count(": ok") == 2
    # Draft plans allocate nothing, and the command says so; published, they resolve.
    plan_files = [str(p) for p in sorted((files / "plans").iterdir())]
    draft = run("plan", "allocations", *plan_files, "--people", str(files / "people.csv"))
    assert draft.returncode == 1
    assert "none of the 2 plans is Live (2 Draft plans)" in draft.stderr
    published = run("plan", "publish", *plan_files, "--at", "2025-04-01 00:00")
    assert published.returncode == 0, published.stderr
    assert "2 plans published (now Live), 0 already Live" in published.stderr
    live = Plan.from_file(files / "plans" / "rev-2025-26-tehsildar.json")
    assert (live.status.value, live.published_at) == (
        "Live",
        dt.datetime(2025, 4, 1, tzinfo=IST),
    )
    out = run(
        "plan",
        "allocations",
        *map(str, sorted((files / "plans").iterdir())),
        "--people",
        str(files / "people.csv"),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "Person,Course,Due Date,Plan,Mandatory,APAR",
        "u1,do_1,2026-03-31,rev-2025-26-tehsildar,Yes,No",
        "u1,do_3,2026-03-31,rev-2025-26-tehsildar,Yes,No",
        "u2,do_2,2026-03-31,rev-2025-26-patwari,Yes,No",
    ]
    plan_files = map(str, sorted((files / "plans").iterdir()))
    people = str(files / "people.csv")
    as_json = run("plan", "allocations", *plan_files, "--people", people, "--format", "json")
    assert json.loads(as_json.stdout)[2] == {
        "person": "u2", "course": "do_2", "due": "2026-03-31",
        "plan": "rev-2025-26-patwari", "mandatory": True, "apar": False,
    }  # fmt: skip
    plan_files = map(str, sorted((files / "plans").iterdir()))
    table = run("plan", "allocations", *plan_files, "--people", people, "--format", "table")
    assert table.stdout.splitlines()[0].split() == [
        "person", "course", "due", "plan", "mandatory", "apar"
    ]  # fmt: skip
    assert table.stdout.splitlines()[3].split() == [
        "u2", "do_2", "2026-03-31", "rev-2025-26-patwari", "True", "False"
    ]  # fmt: skip


def test_allocations_reach_designations_written_otherwise_and_say_so(files: Path) -> None:
    """The HR file writes "Tehsildar" as "Tahsildar" and an acronym; an alias table and
    near spellings reach them, and the command says how each was read."""
    built = run(*build_args(files), "--out", str(files / "plans"), "--publish")
    assert built.returncode == 0, built.stderr
    (files / "people.csv").write_text(
        "Person,Organisation,Designation,Active\n"
        "u1,rev,Tehsildar,yes\nu2,rev,Tahsildar,yes\nu3,rev,Revenue Patwari,yes\n"
        "u4,rev,Peon,yes\n",
        encoding="utf-8",
    )
    (files / "aliases.csv").write_text(
        "Alias,Designation\nRevenue Patwari,Patwari\n", encoding="utf-8"
    )
    plan_files = [str(p) for p in sorted((files / "plans").iterdir())]
    people = str(files / "people.csv")
    plain = run("plan", "allocations", *plan_files, "--people", people)
    assert plain.returncode == 0, plain.stderr
    assert sorted({line.split(",")[0] for line in plain.stdout.splitlines()[1:]}) == ["u1"]
    assert "designations no plan names: 3, held by 3 people" in plain.stderr
    assert "'Tahsildar' matches none; nearest: 'Tehsildar'" in plain.stderr
    read = run(
        "plan", "allocations", *plan_files, "--people", people,
        "--aliases", str(files / "aliases.csv"), "--fuzzy", "85",
    )  # fmt: skip
    assert read.returncode == 0, read.stderr
    assert sorted({line.split(",")[0] for line in read.stdout.splitlines()[1:]}) == [
        "u1",
        "u2",
        "u3",
    ]
    assert "designations written otherwise: 2, held by 2 people" in read.stderr
    assert "'Revenue Patwari' -> 'Patwari' (alias, 100) (1 person)" in read.stderr
    assert "'Tahsildar' -> 'Tehsildar' (fuzzy, 88.9) (1 person)" in read.stderr
    assert "designations no plan names: 1, held by 1 person" in read.stderr


def test_a_pathway_from_the_states_files(files: Path, kcm: Framework) -> None:
    """Ravi, a Tehsildar, completed the reading course (the export names it by title);
    drafting at level 2 is left, and only the in-depth course builds it that far."""
    from tests.test_reports import report, row

    (files / "people.csv").write_text(
        "Person,Organisation,Designation\nravi@cg.gov.in,rev,TEHSILDAR\n", encoding="utf-8"
    )
    done = row(Content_Name="Reading files well", Status="completed",
               Content_Progress_Percentage="100", Completed_On="2025-07-01 10:00:00",
               Certificate_Generated="Yes")  # fmt: skip
    (files / "ConsumptionReport.csv").write_text(report([done]).getvalue(), encoding="utf-8")
    args = [
        "pathway", "ravi@cg.gov.in", "--people", str(files / "people.csv"),
        "--roles", str(files / "roles.csv"), "--catalogue", str(files / "courses.csv"),
        "--report", str(files / "ConsumptionReport.csv"), "--as-of", "2025-08-01",
    ]  # fmt: skip
    out = run(*args)
    assert out.returncode == 0, out.stderr
    drafting = kcm.find("Office Management", "Noting and drafting of official communications")
    assert out.stdout.splitlines() == [
        "Pathway for ravi@cg.gov.in: 1 course, 2 h",
        f"1. do_3 Drafting in depth: closes {drafting.id} from none to Proficient; 2 h",
        "ravi@cg.gov.in's completions in the catalogue: 1 of 1 matched (100%)",
    ]
    as_json = json.loads(run(*args, "--format", "json").stdout)
    assert [s["course"] for s in as_json["steps"]] == ["do_3"]
    assert as_json["completed"] == ["do_1"]
    before = run(*args[:-1], "2025-06-01")  # before the completion: both gaps open
    assert before.stdout.splitlines()[0] == "Pathway for ravi@cg.gov.in: 2 courses, 3 h"
    assert "has no records" not in out.stderr
    (files / "people.csv").write_text(
        "Person,Organisation,Designation\nEMP-1,rev,Tehsildar\n", encoding="utf-8"
    )  # the same person, by employee id: the report names people by email
    by_id = run(*args[:1], "EMP-1", *args[2:])
    assert by_id.returncode == 0, by_id.stderr
    assert "EMP-1 has no records in" in by_id.stderr
    assert "does the people file name people as the report does (Email)?" in by_id.stderr
    (files / "people.csv").write_text(
        "Person,Organisation,Designation\nravi@cg.gov.in,rev,TEHSILDAR\n", encoding="utf-8"
    )
    nobody = run(*args[:1], "asha@cg.gov.in", *args[2:])
    assert nobody.returncode == 1
    assert "no person matches 'asha@cg.gov.in'" in nobody.stderr
    (files / "people.csv").write_text(
        "Person,Organisation,Designation\nravi@cg.gov.in,rev,Tahsildar\n", encoding="utf-8"
    )
    unprofiled = run(*args)
    assert unprofiled.returncode == 1
    assert (
        "ravi@cg.gov.in holds 'Tahsildar', which has no role profile in --roles "
        "('Tahsildar' matches none; nearest: 'Tehsildar'); give the designation a role "
        "profile, or an alias (--aliases)"
    ) in unprofiled.stderr


def test_map_courses_keeps_a_persons_decisions_and_coverage_says_what_is_missing(
    files: Path,
) -> None:
    pytest.importorskip("sklearn", reason="mapping courses is the mapping extra's")
    (files / "titles.csv").write_text(
        "Course Id,Course Name,Duration,Description\n"
        "do_7,Right to Information for PIOs,01:00:00,Replying to RTI applications in time\n"
        "do_8,Noting and Drafting,00:45:00,\n",
        encoding="utf-8",
    )
    review = files / "review.csv"
    first = run("map-courses", str(files / "titles.csv"), "--k", "2", "--out", str(review))
    assert first.returncode == 0, first.stderr
    assert "2 courses: 4 suggestions, 0 accepted and 0 rejected in the review" in first.stderr
    with review.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [(r[0], r[2][:7]) for r in rows[1:]][::2] == [("do_7", "KCM-F15"), ("do_8", "KCM-F13")]
    rows[1][6], rows[2][6] = "accepted", "rejected"  # do_7: the first right, the second not
    with review.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    second = run(
        "map-courses", str(files / "titles.csv"), "--k", "2", "--review", str(review),
        "--out", str(review),
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert "2 courses: 4 suggestions, 1 accepted and 1 rejected in the review" in second.stderr
    with review.open(encoding="utf-8", newline="") as handle:
        again = list(csv.reader(handle))
    do_7 = [r for r in again[1:] if r[0] == "do_7"]
    assert (do_7[0][2], do_7[0][6]) == (rows[1][2], "accepted")
    assert rows[2][2] not in {r[2] for r in do_7}
    cover = run("coverage", "--roles", str(files / "roles.csv"), "--catalogue",
                str(files / "titles.csv"), "--organisation", "rev")  # fmt: skip
    assert cover.returncode == 0, cover.stderr
    assert cover.stdout.splitlines()[0] == (
        "2 of 2 requirements no course builds to the level required (0% covered)"
    )


def test_plan_build_prints_platform_payloads(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*build_args(files), "--format", "platform", "--hours-cap", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    payloads = json.loads(captured.out)
    assert [p[0]["assignmentTypeInfo"] for p in payloads] == [["Patwari"], ["Tehsildar"]]
    assert payloads[1][0]["contentList"] == [{"identifier": "do_1", "mandatory": True}]
    assert "stays open: over the cap of 1 hours per person" in captured.err


def test_plan_check_reports_every_problem_with_the_file(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = files / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "id": "p",
                "organisation": "rev",
                "year": "2025-26",
                "name": "x",
                "due": "2026-05-01",
                "items": [{"course": "do_1"}, {"course": "do_1"}],
            }
        ),
        encoding="utf-8",
    )
    assert main(["plan", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: 2 problems:" in err
    assert "at 'due': is outside the plan year 2025-26" in err
    assert "at 'items[1].course': repeats items[0]" in err
    unknown = files / "unknown.json"
    unknown.write_text(
        json.dumps(
            {
                "id": "p",
                "organisation": "rev",
                "year": "2025-26",
                "name": "x",
                "due": "2026-03-01",
                "items": [{"course": "do_9"}],
                "assignments": [{"type": "Designation", "names": ["Collector"]}],
            }
        ),
        encoding="utf-8",
    )
    assert (
        main(
            [
                "plan",
                "check",
                str(unknown),
                "--catalogue",
                str(files / "courses.csv"),
                "--people",
                str(files / "people.csv"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "at 'items[0].course': is not in the catalogue" in err
    assert "at 'assignments[0].names[0]': is a designation no person of 'rev' holds" in err


def test_bad_files_are_one_line_errors(files: Path) -> None:
    broken = files / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = run("plan", "check", str(broken))
    assert result.returncode == 1
    assert "is not JSON" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("plan", "allocations", str(files / "nope.json"), "--people", "nope.csv")
    assert missing.returncode == 1
    assert missing.stderr.startswith("karmayogi: error:")


def test_plan_without_an_action_shows_its_help() -> None:
    result = run("plan")
    assert result.returncode == 2
    assert "build" in result.stdout
    assert "allocations" in result.stdout


@pytest.fixture
def export(tmp_path: Path) -> Path:
    from tests.test_reports import report, row

    rows = [
        row(),
        row(Email="ASHA@cg.gov.in", Organization="Tehsil Durg", Status="completed",
            Content_Progress_Percentage="100", Completed_On="2025-07-01 10:00:00",
            Certificate_Generated="Yes"),
        row(Status="bogus"),
    ]  # fmt: skip
    path = tmp_path / "ConsumptionReport.csv"
    path.write_text(report(rows).getvalue(), encoding="utf-8")
    return path


def test_progress_prints_the_roll_up_and_lists_rejected_rows(export: Path) -> None:
    result = run("progress", str(export), "--by", "fy")
    assert result.returncode == 1  # a row was rejected
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["unit", "period", "users"]
    assert lines[1].split() == [
        "Chhattisgarh",
        "2025-26",
        "2",
        "2",
        "1",
        "2",
        "1",
        "0.5",
        "1",
        "1.5",
    ]
    assert "counting policy platform" in result.stdout
    assert "3 rows read: 2 used, 0 merged as duplicates, 1 rejected" in result.stderr
    assert "row 4, field 'Status': is not a status" in result.stderr


def test_progress_reads_a_trusted_export_past_the_limits_when_told(export: Path) -> None:
    # Three rows are past no limit, so the option is checked to be taken and passed on;
    # the library's limits are tested in test_export.
    result = run("progress", str(export), "--by", "fy", "--no-limits")
    assert "3 rows read: 2 used, 0 merged as duplicates, 1 rejected" in result.stderr


def test_progress_with_units_people_and_allocations_as_json(export: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text("Unit,Name,Level,Parent\ncg,Chhattisgarh,state,\nrev,Revenue,department,cg\n")
    people = tmp_path / "people.csv"
    people.write_text("Email,Organisation,Active\nravi@cg.gov.in,rev,yes\nAsha@cg.gov.in,rev,yes\n"
                      "om@cg.gov.in,cg,no\n")  # fmt: skip
    allocations = tmp_path / "allocations.csv"
    allocations.write_text("Person,Course,Due Date,Plan,Mandatory,APAR\n"
                           "asha@cg.gov.in,\"RTI Act, 2005\",2025-07-01,p,Yes,Yes\n")  # fmt: skip
    out = tmp_path / "progress.json"
    result = run("progress", str(export), "--units", str(units), "--people", str(people),
                 "--allocations", str(allocations), "--by", "quarter", "--view", "cumulative",
                 "--format", "json", "--out", str(out))  # fmt: skip
    assert result.returncode == 1, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["unit"], r["period"]): r for r in data["progress"]["rows"]}
    assert rows["cg", "2025-26 Q2"]["users"] == 2
    assert rows["cg", "2025-26 Q2"]["completions"] == 1
    assert data["progress"]["view"] == "cumulative"
    compliance = {u["unit"]: u for u in data["compliance"]["units"]}
    assert compliance["rev"]["cbp_completed_on_time"] == 1
    assert compliance["rev"]["apar_compliant_users"] == 1


def test_progress_csv_suppressed(export: Path) -> None:
    result = run("progress", str(export), "--by", "fy", "--format", "csv", "--suppress", "5")
    header, first = result.stdout.splitlines()[:2]
    assert header.startswith("unit,name,period,users,enrolled_users")
    assert ",2025-26,," in first  # users unknown without people; the counts hidden
    assert first.endswith("flow,platform")


def test_progress_people_without_units_is_an_error(export: Path) -> None:
    result = run("progress", str(export), "--people", str(export))
    assert result.returncode == 1
    assert "--people needs --units" in result.stderr


@pytest.mark.parametrize(
    "options",
    [
        ["--by", "fy"],
        ["--by", "month", "--view", "cumulative", "--format", "csv"],
        ["--by", "quarter", "--format", "json", "--suppress", "3"],
        ["--units", "UNITS", "--people", "PEOPLE", "--view", "cumulative", "--format", "json"],
        ["--units", "UNITS", "--people", "PEOPLE", "--include-inactive", "--policy",
         "all-completions"],
        ["--allocations", "ALLOCATIONS", "--format", "json"],
        ["--units", "UNITS", "--people", "PEOPLE", "--allocations", "ALLOCATIONS"],
        ["--allocations", "ALLOCATIONS", "--format", "csv", "--suppress", "2"],
    ],
)  # fmt: skip
def test_progress_prints_the_same_on_either_engine(
    export: Path, tmp_path: Path, options: list[str]
) -> None:
    pytest.importorskip("karmayogi.columnar", reason="the columnar extra is not installed")
    units = tmp_path / "units.csv"
    units.write_text("Unit,Name,Level,Parent\ncg,Chhattisgarh,state,\nrev,Revenue,department,cg\n")
    people = tmp_path / "people.csv"
    people.write_text("Email,Organisation,Active\nravi@cg.gov.in,rev,yes\nAsha@cg.gov.in,cg,no\n")
    allocations = tmp_path / "allocations.csv"
    allocations.write_text("Person,Course,Due Date,Plan,Mandatory,APAR\n"
                           "asha@cg.gov.in,\"RTI Act, 2005\",2025-07-01,p,Yes,Yes\n"
                           "Ravi@cg.gov.in,\"RTI Act, 2005\",2025-07-01,p,Yes,No\n"
                           "om@cg.gov.in,Ethics,2025-07-01,p,Yes,Yes\n")  # fmt: skip
    files = {"UNITS": units, "PEOPLE": people, "ALLOCATIONS": allocations}
    given = [str(files[o]) if o in files else o for o in options]
    columnar = run("progress", str(export), *given, "--engine", "columnar")
    reference = run("progress", str(export), *given, "--engine", "reference")
    assert columnar.stdout == reference.stdout
    assert "engine: columnar (polars)" in columnar.stderr
    assert "engine: reference (pure Python)" in reference.stderr
    assert columnar.stderr.replace("columnar (polars)", "reference (pure Python)") == (
        reference.stderr
    )
    assert (columnar.returncode, reference.returncode) == (1, 1)
    auto = run("progress", str(export), *given)
    assert auto.stdout == columnar.stdout
    assert "engine: columnar" in auto.stderr


# --- demo and report ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_dir(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("demo")
    return out, run("demo", "--out", str(out), "--export", "--people", "600")


def test_demo_prints_a_summary_and_where_the_report_is(
    demo_dir: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, result = demo_dir
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Madhyanchal Pradesh (a fictional state): plan year 2025-26, data as of 15/04/2026"
    )
    assert any(line.startswith("  plan courses: ") for line in lines)
    assert f"report: {(out / 'report.html').resolve()}" in lines
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Madhyanchal Pradesh" in html


def test_the_report_from_the_demo_files_is_the_demo_report(
    demo_dir: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """The printed command, run on the exported files, gives the same numbers and page."""
    out, result = demo_dir
    commands = [line for line in result.stdout.splitlines()
                if line.startswith("  karmayogi report ")]  # fmt: skip
    (command,) = [c for c in commands if "ConsumptionReport.csv" in c]
    words = command.split()[1:]
    plans = words.index(str(out / "plans/*.json"))
    words[plans : plans + 1] = sorted(str(p) for p in (out / "plans").glob("*.json"))
    again = run(*words, "--title", "Madhyanchal Pradesh (a fictional state)")
    assert again.returncode == 0, again.stderr
    summary = again.stdout.splitlines()[:-1]  # all but the "report: PATH" line
    assert summary == result.stdout.splitlines()[: len(summary)]
    assert "rows read:" in again.stderr
    demo_page = (out / "report.html").read_text(encoding="utf-8")
    files_page = (out / "report-from-files.html").read_text(encoding="utf-8")
    # The same page, but that the one from files says what became of each file's rows.
    assert re.sub(r"<li>[^<]*rows read:[^<]*</li>", "", files_page) == demo_page


def test_the_report_from_the_demo_zip_has_the_demo_reports_numbers(
    demo_dir: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """The printed zip command gives the demo's numbers: its people from UserReport, its
    plans' allocations from the CBP report, its date from when the reports were made."""
    _out, result = demo_dir
    (command,) = [line for line in result.stdout.splitlines()
                  if line.startswith("  karmayogi report ") and "reports.zip" in line]  # fmt: skip
    again = run(*command.split()[1:], "--title", "Madhyanchal Pradesh (a fictional state)")
    assert again.returncode == 0, again.stderr
    # The title, people, enrolments, plan courses and APAR lines; the zip holds no role
    # profiles, so the demo's gap lines are not in its report.
    assert again.stdout.splitlines()[:5] == result.stdout.splitlines()[:5]
    assert "reports.zip: 7 members, 7 read" in again.stderr


def test_report_from_the_export_alone(export: Path, tmp_path: Path) -> None:
    result = run("report", str(export), "--out", str(tmp_path / "r.html"), "--no-charts")
    assert result.returncode == 1  # the export has a rejected row
    assert "row 4, field 'Status': is not a status" in result.stderr
    assert result.stdout.splitlines()[0].startswith("Chhattisgarh: plan year 2025-26")
    assert (tmp_path / "r.html").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "karmayogi: error: missing.csv: no such file or directory"),
        (["{export}", "--people", "p.csv"], "--people needs --units"),
        (["{export}", "--units", "{export}", "--plans", "x.json"], "--plans needs --people"),
        (["{export}", "--as-of", "31/02/2026"], "karmayogi: error: "),
        (["{export}", "--allocations", "a.csv", "--cbp", "c.csv"], "plan allocations one way"),
    ],
)
def test_report_bad_input_is_one_line_and_exit_1(
    export: Path, args: list[str], message: str
) -> None:
    result = run("report", *(a.format(export=export) for a in args))
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["demo", "--people", "many"], ["report"], ["demo", "--bogus"]])
def test_demo_and_report_bad_usage_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage: karmayogi" in result.stderr


def test_demo_with_too_few_people_is_an_error() -> None:
    result = run("demo", "--people", "3")
    assert result.returncode == 1
    assert result.stderr == "karmayogi: error: the demo state needs at least 50 people, got 3\n"


def test_demo_summary_as_json(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path), "--people", "300", "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["title"] == "Madhyanchal Pradesh (a fictional state)"
    assert summary["year"] == "2025-26"
    assert summary["as_of"] == "2026-04-15"
    assert summary["policy"]["name"] == "platform"
    headline, departments = summary["headline"], summary["departments"]
    assert len(departments) == 6
    assert sum(d["completions"] for d in departments) == headline["completions"]
    assert summary["compliance"]["cbp_allocated"] > summary["compliance"]["cbp_completed"]
    assert summary["gaps"][0]["people_short"] >= summary["gaps"][-1]["people_short"]
    assert Path(summary["report"]).is_file()


# --- the command line as a whole ------------------------------------------------------------

COMMANDS = [
    ["taxonomy"],
    ["plan"],
    ["plan", "build"],
    ["plan", "check"],
    ["plan", "publish"],
    ["plan", "allocations"],
    ["progress"],
    ["demo"],
    ["report"],
    ["validate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example_of_itself(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout
    example = "  karmayogi " + " ".join(command)
    assert any(line.startswith(example) for line in result.stdout.splitlines()), example
    assert "--debug" in result.stdout


def test_the_main_help_lists_every_command_and_the_exit_codes() -> None:
    result = run("--help")
    for command in ("taxonomy", "plan", "progress", "demo", "report", "validate"):
        assert f"  karmayogi {command}" in result.stdout
    codes = result.stdout.split("exit codes (every command):")[1].split()
    for code in ("0", "1", "2", "3", "130", "141"):
        assert code in codes


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback_the_one_line_error_hides(where: str) -> None:
    args = ["report", "missing.csv"]
    debug = ["--debug", *args] if where == "before" else [*args, "--debug"]
    plain, traced = run(*args), run(*debug)
    assert plain.stderr.startswith("karmayogi: error: ")
    assert "Traceback" not in plain.stderr
    assert "Traceback (most recent call last)" in traced.stderr
    assert "FileNotFoundError" in traced.stderr


def test_a_fault_of_ours_is_one_line_with_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import karmayogi._cli

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(karmayogi._cli, "print_taxonomy", broken)
    assert main(["taxonomy"]) == 3
    err = capsys.readouterr().err
    assert err == (
        "karmayogi: internal error: RuntimeError: boom "
        "(run again with --debug to see where, and please report it)\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        main(["taxonomy", "--debug"])


def test_an_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import karmayogi._cli

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(karmayogi._cli, "print_taxonomy", interrupted)
    assert main(["taxonomy"]) == 130
    assert capsys.readouterr().err == "karmayogi: interrupted\n"


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_large_read_draws_a_bar_on_a_terminal_and_reads_the_same(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from karmayogi import _progress_bar
    from karmayogi.progress import read_consumption_report

    monkeypatch.setattr(_progress_bar, "LARGE", 10)  # every file is large
    terminal = Terminal()
    with _progress_bar.reading(str(export), out=terminal) as source:
        assert not isinstance(source, str)
        through_bar = read_consumption_report(source)
    direct = read_consumption_report(export)
    assert through_bar.summary() == direct.summary()
    assert [str(r) for r in through_bar.rejected] == [str(r) for r in direct.rejected]
    drawn = terminal.getvalue()
    assert drawn.startswith("\rreading ConsumptionReport.csv [")
    assert "100% of 0 MB" in drawn
    assert drawn.endswith("\r\x1b[K")  # the bar's line cleared at the end


def test_no_bar_in_a_pipe_or_for_a_small_file(export: Path) -> None:
    from karmayogi import _progress_bar

    with _progress_bar.reading(str(export), out=io.StringIO()) as source:
        assert source == str(export)  # not a terminal
    with _progress_bar.reading(str(export), out=Terminal()) as source:
        assert source == str(export)  # a terminal, but a small file


def test_report_of_an_empty_export_says_so_and_counts_no_one(tmp_path: Path) -> None:
    empty = tmp_path / "ConsumptionReport.csv"
    empty.write_text(
        "Email,Ministry,Department,Content_Name,Enrolled_On,Status\n", encoding="utf-8"
    )
    result = run("report", str(empty), "--out", str(tmp_path / "r.html"), "--no-charts")
    assert result.returncode == 0, result.stderr
    assert "0 rows read: 0 used" in result.stderr
    assert "people:" not in result.stdout  # no people file: no one to count
    assert "  enrolments: 0, completions: 0, learning hours: 0" in result.stdout


def test_report_with_units_but_no_people_places_by_the_export(export: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(
        "Unit,Name,Level,Parent\nChhattisgarh,Chhattisgarh,state,\n"
        "Chhattisgarh/Revenue,Revenue,department,Chhattisgarh\n"
        "Chhattisgarh/Revenue/Collectorate-Raipur,Collectorate Raipur,office,"
        "Chhattisgarh/Revenue\n",
        encoding="utf-8",
    )
    result = run("report", str(export), "--units", str(units), "--format", "json",
                 "--out", str(tmp_path / "r.html"))  # fmt: skip
    summary = json.loads(result.stdout)
    assert summary["headline"]["users"] is None
    assert summary["headline"]["enrolled_users"] == 1  # Raipur's; Durg is not in the units
    assert summary["excluded"] == {"people not placed in the organisation tree": 1}
    assert [d["name"] for d in summary["departments"]] == ["Revenue"]


# Every command: its happy path, bad input and bad usage, with the exit code each gives.
# "{files}" and "{export}" are the fixtures' paths; "{plan}" a Live plan built from them.
BUILD = ["--people", "{files}/people.csv", "--catalogue", "{files}/courses.csv",
         "--organisation", "rev", "--year", "2025-26"]  # fmt: skip
EXIT_CODES = [
    (["taxonomy", "--format", "csv"], 0),
    (["taxonomy", "--area", "Wizardry"], 1),
    (["taxonomy", "--format", "xml"], 2),
    (["plan", "build", "--roles", "{files}/roles.csv", *BUILD], 0),
    (["plan", "build", "--roles", "{files}/missing.csv", *BUILD], 1),
    (["plan", "build", "--roles", "{files}/roles.csv"], 2),
    (["plan", "check", "{plan}"], 0),
    (["plan", "check", "{files}/people.csv"], 1),
    (["plan", "check"], 2),
    (["plan", "publish", "{plan}"], 0),  # already Live: said, nothing changed
    (["plan", "publish", "{files}/people.csv"], 1),
    (["plan", "publish"], 2),
    (["plan", "allocations", "{plan}", "--people", "{files}/people.csv"], 0),
    (["plan", "allocations", "{plan}", "--people", "{files}/missing.csv"], 1),
    (["plan", "allocations", "{plan}"], 2),
    (["progress", "{files}/clean.csv"], 0),
    (["progress", "{export}"], 1),  # a row rejected
    (["progress", "{export}", "--by", "week"], 2),
    (["demo", "--people", "60", "--out", "{files}/demo", "--no-charts"], 0),
    (["demo", "--people", "3", "--out", "{files}/demo"], 1),
    (["demo", "--people", "sixty"], 2),
    (["report", "{files}/clean.csv", "--out", "{files}/r.html", "--no-charts"], 0),
    (["report", "{export}", "--out", "{files}/r.html", "--no-charts"], 1),  # a row rejected
    (["report", "{files}/clean.csv", "--policy", "generous"], 2),
    (["validate", "{files}/people.csv", "{plan}"], 0),
    (["validate", "{export}"], 1),  # a row rejected
    (["validate"], 2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code"), EXIT_CODES, ids=lambda v: v if isinstance(v, int) else " ".join(v[:2])
)
def test_every_command_gives_its_documented_exit_code(
    args: list[str], code: int, files: Path, export: Path
) -> None:
    (files / "clean.csv").write_text(
        export.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", encoding="utf-8"
    )  # the export less its bad last row
    plan = files / "plan.json"
    built = run(*build_args(files), "--out", str(files / "plans"))
    assert built.returncode == 0, built.stderr
    live = Plan.from_file(files / "plans" / "rev-2025-26-tehsildar.json").publish(
        at=dt.datetime(2025, 4, 1, tzinfo=IST)
    )
    plan.write_text(live.to_json(), encoding="utf-8")
    filled = [a.format(files=files, export=export, plan=plan) for a in args]
    result = run(*filled)
    assert result.returncode == code, result.stderr
    if code == 1:  # what is wrong, said on stderr in lines of its own, never a traceback
        assert result.stderr.strip()
        assert "Traceback" not in result.stderr
    if code == 2:
        assert "usage: karmayogi" in result.stderr


def test_the_cbp_export_gives_the_plans_allocations(
    demo_dir: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """The demo's CBP export, in place of its plan files, gives the same plan compliance."""
    out, result = demo_dir
    files = ["--units", "units.csv", "--people", "people.csv", "--catalogue", "catalogue.json"]
    args = [str(out / a) if a.endswith((".csv", ".json")) else a for a in files]
    cbp = run("report", str(out / "ConsumptionReport.csv"), *args,
              "--cbp", str(out / "CBPEnrollmentReport.csv"), "--as-of", "15/04/2026",
              "--out", str(out / "from-cbp.html"), "--no-charts")  # fmt: skip
    assert cbp.returncode == 0, cbp.stderr
    wanted = [line for line in result.stdout.splitlines() if line.startswith(("  plan", "  APAR"))]
    got = [line for line in cbp.stdout.splitlines() if line.startswith(("  plan", "  APAR"))]
    assert got == wanted
    assert len(got) == 2
    assert "CBPEnrollmentReport.csv: " in cbp.stderr
