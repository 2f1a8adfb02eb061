"""The users' journeys, end to end: the demo's exported files in, the documented commands
(and the API beside them), numbers out, each checked against a count made here, from
the files themselves, with nothing of karmayogi's but the command under test.

The analyst: a report from the export alone, then with units, people, allocations and a
catalogue. The portal: roles, build, publish, allocations, progress and compliance. The
maintainer's journey (install, pin, upgrade) is tests/test_installed.py and the
changelog's test in tests/test_public_api.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from karmayogi._cli import main
from karmayogi.demo import make_demo
from karmayogi.report import make_report

# --- the files, and counts made from them by hand -------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo state's exports, as `karmayogi demo --export` writes them."""
    directory = tmp_path_factory.mktemp("journeys")
    make_demo(people=400).write_exports(directory)
    return directory


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def india_time(text: str) -> dt.datetime | None:
    """The export's own time form (IST wall clock), as the platform writes it."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S") if text else None  # noqa: DTZ007


def fy_of(day: dt.date) -> int:
    """The financial year, by the calendar year it starts in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def entries(files: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Each (person, course) of the export once: its first enrolment and first completion,
    and whether any row of it has a certificate. People by email, whatever its case."""
    joined: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows(files / "ConsumptionReport.csv"):
        key = (row["Email"].casefold(), row["Content_Name"].strip())
        enrolled, completed = india_time(row["Enrolled_On"]), india_time(row["Completed_On"])
        seen = joined.setdefault(key, {"enrolled": enrolled, "completed": completed})
        if enrolled and (seen["enrolled"] is None or enrolled < seen["enrolled"]):
            seen["enrolled"] = enrolled
        if completed and (seen["completed"] is None or completed < seen["completed"]):
            seen["completed"] = completed
    return joined


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- the analyst ----------------------------------------------------------------------------


def test_a_report_from_the_export_alone_is_about_the_year_of_its_enrolments(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    joined = entries(files)
    by_year = Counter(fy_of(e["enrolled"].date()) for e in joined.values())
    year, most = by_year.most_common(1)[0]
    completions = sum(
        1 for e in joined.values() if e["completed"] and fy_of(e["completed"].date()) == year
    )
    code, out, err = cli(
        capsys, "report", str(files / "ConsumptionReport.csv"),
        "--out", str(tmp_path / "report.html"), "--format", "json", "--no-charts",
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    assert made["year"] == f"{year}-{(year + 1) % 100:02d}"
    assert made["headline"]["enrolments"] == most == len(joined)  # the demo's year holds all
    assert made["headline"]["completions"] == completions > 0
    assert f"plan year {made['year']}: the year with the most enrolments" in err
    assert any(c.startswith("plan year") for c in made["choices"])
    # The same through the API: the report says what it chose, and why.
    state = make_demo(people=400)
    api = make_report(state.tree, state.records, places={p.id: p.place for p in state.people})
    assert str(api.year) == made["year"]
    assert api.choices[-1].startswith(f"plan year {made['year']}: the year with the most")


def compliance_by_hand(
    files: Path, allocations: list[dict[str, str]]
) -> tuple[int, int, int, int, int]:
    """Plan compliance of the active people in the people file, counted from the files:
    allocated, completed, completed on time (by the end of the due day), people with
    APAR courses, and of them those who completed at least half by the year's end."""
    people = rows(files / "people.csv")
    active = {p["Person"].casefold() for p in people if p["Active"] == "Yes"}
    catalogue = json.loads((files / "catalogue.json").read_text(encoding="utf-8"))
    title = {c["id"]: c["name"] for c in catalogue["courses"]}
    joined = entries(files)
    allocated = completed = on_time = 0
    apar: dict[str, list[bool]] = defaultdict(list)
    for a in allocations:
        person = a["Person"].casefold()
        if person not in active:
            continue
        name = title.get(a["Course"], a["Course"])
        # The catalogue's title, compared as a person reads it: case and spacing aside.
        done = next(
            (
                e["completed"]
                for (who, course), e in joined.items()
                if who == person
                and " ".join(course.split()).casefold() == " ".join(name.split()).casefold()
            ),
            None,
        )
        due = dt.date.fromisoformat(a["Due Date"])
        allocated += 1
        completed += done is not None
        on_time += done is not None and done.date() <= due
        if a["APAR"] == "Yes":
            year_end = dt.date(fy_of(due) + 1, 3, 31)
            apar[person].append(done is not None and done.date() <= year_end)
    compliant = sum(2 * sum(flags) >= len(flags) for flags in apar.values())
    return allocated, completed, on_time, len(apar), compliant


ROOT = "Madhyanchal-Pradesh"


def compliance_root(out: str) -> tuple[int, int, int, int, int]:
    units = {u["unit"]: u for u in json.loads(out)["compliance"]["units"]}
    root = units[ROOT]
    return (
        root["cbp_allocated"],
        root["cbp_completed"],
        root["cbp_completed_on_time"],
        root["apar_users"],
        root["apar_compliant_users"],
    )


@pytest.mark.parametrize("engine", ["reference", "columnar"])
def test_allocations_by_id_meet_an_export_by_title_through_the_catalogue(
    files: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    if engine == "columnar":
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    given = [
        "progress", str(files / "ConsumptionReport.csv"), "--units", str(files / "units.csv"),
        "--people", str(files / "people.csv"), "--allocations", str(files / "allocations.csv"),
        "--by", "fy", "--format", "json", "--engine", engine,
    ]  # fmt: skip
    # Without the catalogue the two files cannot meet: an error that says what to pass.
    code, out, err = cli(capsys, *given)
    assert (code, out) == (1, "")
    assert "the allocations name courses by id (do_...) and the records by title" in err
    assert "--catalogue" in err
    code, out, err = cli(capsys, *given, "--catalogue", str(files / "catalogue.json"))
    assert code == 0, err
    expected = compliance_by_hand(files, rows(files / "allocations.csv"))
    assert expected[1] > 0
    assert compliance_root(out) == expected
    courses = len({a["Course"] for a in rows(files / "allocations.csv")})
    assert f"the allocations' courses in the records: {courses} of {courses} matched" in err


def test_courses_named_by_title_in_another_hand_still_meet_the_records(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Allocations that name courses by title, in capitals and with doubled spaces, meet
    the export's titles by the library's tolerant name rule, with no catalogue."""
    catalogue = json.loads((files / "catalogue.json").read_text(encoding="utf-8"))
    title = {c["id"]: c["name"] for c in catalogue["courses"]}
    allocations = rows(files / "allocations.csv")
    for a in allocations:
        a["Course"] = "  ".join(title[a["Course"]].upper().split())
    retitled = tmp_path / "allocations-by-title.csv"
    with retitled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(allocations[0]))
        writer.writeheader()
        writer.writerows(allocations)
    code, out, err = cli(
        capsys, "progress", str(files / "ConsumptionReport.csv"),
        "--units", str(files / "units.csv"), "--people", str(files / "people.csv"),
        "--allocations", str(retitled), "--by", "fy", "--format", "json",
        "--engine", "reference",
    )  # fmt: skip
    assert code == 0, err
    assert compliance_root(out) == compliance_by_hand(files, allocations)


def test_the_report_with_every_file_counts_what_the_files_hold(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = cli(
        capsys, "report", str(files / "ConsumptionReport.csv"),
        "--units", str(files / "units.csv"), "--people", str(files / "people.csv"),
        "--allocations", str(files / "allocations.csv"),
        "--catalogue", str(files / "catalogue.json"),
        "--out", str(tmp_path / "report.html"), "--format", "json", "--no-charts",
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    allocated, completed, on_time, apar_users, compliant = compliance_by_hand(
        files, rows(files / "allocations.csv")
    )
    assert made["compliance"] == {
        "cbp_allocated": allocated,
        "cbp_completed": completed,
        "cbp_completed_on_time": on_time,
        "apar_users": apar_users,
        "apar_compliant_users": compliant,
    }
    active = sum(p["Active"] == "Yes" for p in rows(files / "people.csv"))
    assert made["headline"]["users"] == active
    assert "the year most allocations fall due in" in err


# --- the portal ----------------------------------------------------------------------------


# How the demo's HR file writes some designations, and what each stands for.
AS_WRITTEN = {
    "asst. grade-ii": "assistant grade-ii",
    "asst. teacher": "assistant teacher",
    "dsp": "deputy superintendent of police",
    "a.n.m.": "auxiliary nurse midwife",
    "b.d.o.": "block development officer",
    "sub inspector": "sub-inspector",
}


def positions_held(files: Path, organisation: str | None) -> dict[str, set[str]]:
    """Each plan the build must make, by the file name it gets: the positions of the
    organisation asked for that an active person of it holds (however the people file
    writes the designation), with those people."""
    roles = json.loads((files / "roles.json").read_text(encoding="utf-8"))
    people = [p for p in rows(files / "people.csv") if p["Active"] == "Yes"]
    plans: dict[str, set[str]] = {}
    for position in roles:
        org = position["organisation"]
        if organisation is not None and org != organisation:
            continue
        holders = {
            p["Person"].casefold()
            for p in people
            if p["Organisation"] == org
            and AS_WRITTEN.get(p["Designation"].casefold(), p["Designation"].casefold())
            == position["name"].casefold()
        }
        if holders:
            plans[f"{org}-2025-26-{position['id']}.json"] = holders
    return plans


def build(files: Path, out: Path, *more: str) -> list[str]:
    return [
        "plan", "build", "--roles", str(files / "roles.json"),
        "--people", str(files / "people.csv"), "--catalogue", str(files / "catalogue.json"),
        "--year", "2025-26", "--out", str(out), *more,
    ]  # fmt: skip


@pytest.mark.parametrize("form", ["json", "platform"])
def test_build_publish_allocations_and_compliance_for_one_organisation(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str
) -> None:
    plans = tmp_path / "plans"
    expected = positions_held(files, "mdo-revenue")
    code, _out, err = cli(
        capsys, *build(files, plans, "--organisation", "mdo-revenue", "--format", form)
    )
    assert code == 0, err
    assert sorted(p.name for p in plans.iterdir()) == sorted(expected)
    assert f"{len(expected)} plans (Draft) written" in err
    assert "mdo-finance" not in err  # no word about other organisations' positions
    paths = [str(p) for p in sorted(plans.iterdir())]
    code, _out, err = cli(capsys, "plan", "publish", *paths, "--at", "2025-04-01 09:00")
    assert code == 0, err
    out_csv = tmp_path / "allocations.csv"
    code, _out, err = cli(
        capsys, "plan", "allocations", *paths, "--people", str(files / "people.csv"),
        "--out", str(out_csv),
    )  # fmt: skip
    assert code == 0, err
    allocations = rows(out_csv)
    # Each holder of a position gets every course of its plan, by 31 March, once.
    items = {}
    for path in plans.iterdir():
        document = json.loads(path.read_text(encoding="utf-8"))
        if form == "platform":
            items[path.name] = {c["identifier"] for c in document[0]["contentList"]}
        else:
            items[path.name] = {i["course"] for i in document["items"]}
    wanted = {
        (person, course)
        for name, holders in expected.items()
        for person in holders
        for course in items[name]
    }
    assert {(a["Person"].casefold(), a["Course"]) for a in allocations} == wanted
    assert len(allocations) == len(wanted)
    assert {a["Due Date"] for a in allocations} == {"2026-03-31"}
    # Then compliance against the export, through the catalogue.
    code, out, err = cli(
        capsys, "progress", str(files / "ConsumptionReport.csv"),
        "--units", str(files / "units.csv"), "--people", str(files / "people.csv"),
        "--allocations", str(out_csv), "--catalogue", str(files / "catalogue.json"),
        "--by", "fy", "--format", "json", "--engine", "reference",
    )  # fmt: skip
    assert code == 0, err
    assert compliance_root(out) == compliance_by_hand(files, allocations)


def test_building_every_organisation_writes_one_file_per_plan(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    expected = positions_held(files, None)
    names = Counter(name.split("-2025-26-")[1] for name in expected)
    assert max(names.values()) > 1  # a designation held in several departments
    code, _out, err = cli(capsys, *build(files, tmp_path / "all", "--publish"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == sorted(expected)
    assert f"{len(expected)} plans (Live) written" in err


def test_an_unknown_organisation_is_refused_with_a_suggestion(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = cli(capsys, *build(files, tmp_path / "none", "--organisation", "mdo-revenu"))
    assert (code, out) == (1, "")
    assert err == (
        "karmayogi: error: no organisation matches 'mdo-revenu'; did you mean 'mdo-revenue'?\n"
    )
    assert not (tmp_path / "none").exists()


# --- output a user can rely on --------------------------------------------------------------


def test_out_takes_its_format_from_its_extension_and_refuses_a_mismatch(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = str(files / "ConsumptionReport.csv")
    target = tmp_path / "progress.csv"
    code, _out, err = cli(capsys, "progress", export, "--out", str(target))
    assert code == 0, err
    assert f"wrote {target} (csv)" in err
    assert rows(target)[0]["unit"] == ROOT
    target.write_text("kept\n", encoding="utf-8")
    code, _out, err = cli(capsys, "progress", export, "--out", str(target), "--format", "json")
    assert code == 1
    assert "names a csv file but --format is json" in err
    assert target.read_text(encoding="utf-8") == "kept\n"


def test_a_failure_leaves_the_file_that_was_there(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "progress.json"
    target.write_text("{}\n", encoding="utf-8")
    code, _out, err = cli(
        capsys, "progress", str(files / "ConsumptionReport.csv"), "--out", str(target),
        "--allocations", str(files / "allocations.csv"),  # by id: no catalogue, an error
    )  # fmt: skip
    assert code == 1
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert not [p for p in tmp_path.iterdir() if p.name != "progress.json"]  # no temp left
    assert "engine:" not in err  # nothing said before the error as if all went well


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    shell = f"{sys.executable} -m karmayogi taxonomy --format csv | head -1"
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {shell}"], capture_output=True, text=True, check=False
    )
    assert result.stdout == "Identifier,Competency Area,Competency Theme,Competency SubTheme\n"
    assert result.stderr == ""
    assert result.returncode in (0, 141)


def test_errors_read_as_sentences(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    code, _out, err = cli(capsys, "progress", str(missing))
    assert (code, err) == (1, f"karmayogi: error: {missing}: no such file or directory\n")
    wide = tmp_path / "ConsumptionReport.csv"
    wide.write_bytes("Email,Content_Name\na@x.in,RTI\n".encode("utf-16"))
    code, _out, err = cli(capsys, "progress", str(wide))
    assert code == 1
    assert "is UTF-16 text, not UTF-8" in err
    assert "Windows-1252" not in err


# --- validate ------------------------------------------------------------------------------


def test_validate_recognises_every_file_the_demo_exports(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = sorted(p for p in files.rglob("*") if p.suffix in (".csv", ".json"))
    code, out, err = cli(capsys, "validate", *map(str, paths))
    assert code == 0, out
    kinds = {
        line.split(": ")[0].rsplit("/", 1)[-1]: line.split(": ")[1]
        for line in out.splitlines()
        if not line.startswith("  ")
    }
    assert kinds["ConsumptionReport.csv"] == "the enrolment export (ConsumptionReport.csv)"
    assert kinds["CBPEnrollmentReport.csv"] == "the CBP enrolment export (CBPEnrollmentReport.csv)"
    assert kinds["people.csv"] == "people (CSV)"
    assert kinds["units.csv"] == "units (CSV)"
    assert kinds["allocations.csv"] == "allocations (CSV)"
    assert kinds["catalogue.json"] == "a catalogue (JSON)"
    assert kinds["framework.json"] == "a competency framework (JSON)"
    assert kinds["roles.json"] == "role profiles (JSON)"
    assert kinds["profiles.json"] == "competency profiles (JSON)"
    plans = [p for p in paths if p.parent.name == "plans"]
    assert sum(v == "plans (JSON)" for v in kinds.values()) == len(plans) > 0
    people = sum(1 for _ in rows(files / "people.csv"))
    assert f"people.csv: people (CSV): {people:,} people: ok" in out
    assert err == f"{len(paths)} of {len(paths)} files ok\n"


def test_validate_lists_every_problem_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "Person,Organisation,Designation,Active\nu1,rev,Patwari,maybe\nu2,,Patwari,yes\n",
        encoding="utf-8",
    )
    odd = tmp_path / "odd.json"
    odd.write_text('{"a": 1}', encoding="utf-8")
    huge = tmp_path / "catalogue.json"  # JSON that cannot be parsed says why, not "unknown"
    huge.write_text('{"courses": [], "n": ' + "9" * 5000 + "}", encoding="utf-8")
    code, out, err = cli(capsys, "validate", str(people), str(odd), str(huge))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{people}: people (CSV): 2 problems"
    assert lines[1].startswith(f"  {people}, row 2, field 'Active': is not a yes or no")
    assert lines[2].startswith(f"  {people}, row 3, field 'Organisation': is blank")
    assert lines[3] == f"{odd}: not recognised: none of the files karmayogi reads"
    assert lines[5] == f"{huge}: not recognised: cannot be read"
    assert lines[6].startswith(f"  {huge}: has a number longer than Python reads")
    assert err == "0 of 3 files ok\n"


def test_people_and_units_that_do_not_meet_the_export_are_an_error(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A people file keyed by employee number, and a units file of other ids, meet an
    export keyed by email and unit paths nowhere: each is an error that says so."""
    people = rows(files / "people.csv")
    by_number = tmp_path / "people.csv"
    with by_number.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(people[0]))
        writer.writeheader()
        writer.writerows({**p, "Person": f"EMP{i:05d}"} for i, p in enumerate(people))
    export, units = str(files / "ConsumptionReport.csv"), str(files / "units.csv")
    code, out, err = cli(capsys, "progress", export, "--units", units, "--people", str(by_number))
    assert (code, out) == (1, "")
    assert "the records' people in the people file: none of" in err
    assert "Email, compared case-insensitively" in err
    other = tmp_path / "units.csv"
    other.write_text("Unit,Name,Level,Parent\nMP,Madhyanchal Pradesh,state,\n", encoding="utf-8")
    for command in ("progress", "report"):
        code, out, err = cli(
            capsys,
            command,
            export,
            "--units",
            str(other),
            "--out",
            str(tmp_path / "x.json" if command == "progress" else tmp_path / "x.html"),
        )
        assert (code, out) == (1, ""), err
        assert "the records' units in the organisation tree: none of" in err
        assert "'Madhyanchal-Pradesh/" in err


# --- people who move ------------------------------------------------------------------------

MOVED_ON = dt.date(2025, 10, 1)


def fy_text(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def test_transfers_count_each_completion_in_the_department_of_its_day(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A postings file moves a few people to another department on 1 October 2025: each
    completion counts in the department its person was in on its day, and each person once
    in the state; as of 30 September, nobody has moved yet."""
    parents = {row["Unit"]: row["Parent"] for row in rows(files / "units.csv")}
    (root,) = [unit for unit, parent in parents.items() if not parent]
    departments = sorted(unit for unit, parent in parents.items() if parent == root)

    def department(unit: str) -> str:
        while parents[unit] != root:
            unit = parents[unit]
        return unit

    home = {row["Person"].casefold(): row["Unit"] for row in rows(files / "people.csv")}
    assert all(home.values())
    completions = {key: e["completed"] for key, e in entries(files).items() if e["completed"]}
    before = {p for (p, _c), when in completions.items() if when.date() < MOVED_ON}
    after = {p for (p, _c), when in completions.items() if when.date() >= MOVED_ON}
    movers = sorted(before & after)[:12]
    assert len(movers) == 12
    moved_to = {p: next(d for d in departments if d != department(home[p])) for p in movers}
    postings = tmp_path / "postings.csv"
    with postings.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Employee Id", "Office", "Effective From"])
        writer.writerows([p, unit, "01/04/2024"] for p, unit in home.items())
        writer.writerows([p, moved_to[p], f"{MOVED_ON:%d/%m/%Y}"] for p in movers)

    def by_hand(last_day: dt.date, *, moved: bool) -> dict[tuple[str, str], tuple[int, int]]:
        """(unit, year) -> (completions, people completing), for the state and each
        department, from the files and the postings written here."""
        counted: dict[tuple[str, str], list[str]] = defaultdict(list)
        for (person, _course), when in completions.items():
            day = when.date()
            if day > last_day:
                continue
            unit = (
                moved_to[person]
                if moved and person in moved_to and day >= MOVED_ON
                else home[person]
            )
            for where in (root, department(unit)):
                counted[where, fy_text(fy_of(day))].append(person)
        return {key: (len(people), len(set(people))) for key, people in counted.items()}

    export, units = str(files / "ConsumptionReport.csv"), str(files / "units.csv")
    for as_of, last_day, moved in (
        (None, dt.date.max, True),
        ("2025-09-30", dt.date(2025, 9, 30), False),
    ):
        more = ("--as-of", as_of) if as_of else ()
        code, out, err = cli(
            capsys, "progress", export, "--units", units, "--membership", str(postings),
            "--by", "fy", "--format", "json", *more,
        )  # fmt: skip
        assert code == 0, err
        assert f"membership: {postings}: {len(home) + len(movers)} postings" in err
        table = json.loads(out)["progress"]
        got = {
            (row["unit"], row["period"]): (row["completions"], row["completed_users"])
            for row in table["rows"]
            if row["unit"] in (root, *departments) and row["completions"]
        }
        assert got == by_hand(last_day, moved=moved)
        assert any(
            "in the unit its person was in when it happened" in line for line in table["basis"]
        )
    # The report too: each department's completions in the plan year, the movers' moved.
    code, out, err = cli(
        capsys, "report", export, "--units", units, "--membership", str(postings),
        "--format", "json", "--out", str(tmp_path / "report.html"),
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    in_year = by_hand(dt.date.max, moved=True)
    assert {row["unit"]: row["completions"] for row in made["departments"]} == {
        d: in_year.get((d, made["year"]), (0, 0))[0] for d in departments
    }
    assert "units over time: each record counts in the unit" in made["basis"][0]
    # Without the postings, the movers' later completions stay in their old departments.
    code, out, _err = cli(
        capsys, "progress", export, "--units", units, "--by", "fy", "--format", "json"
    )
    assert code == 0
    unmoved = {
        (row["unit"], row["period"]): (row["completions"], row["completed_users"])
        for row in json.loads(out)["progress"]["rows"]
        if row["unit"] in (root, *departments) and row["completions"]
    }
    assert unmoved == by_hand(dt.date.max, moved=False) != by_hand(dt.date.max, moved=True)


def test_two_user_reports_date_a_transfer_between_them(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The MDO's UserReport of 1 April and of 1 October, in which one person has moved to
    Finance: that person's completions from 1 October count in Finance, the earlier ones
    where they were; no other file is needed."""
    with zipfile.ZipFile(files / "reports.zip") as archive:
        text = archive.read("UserReport.csv").decode("utf-8-sig")
    users = list(csv.DictReader(io.StringIO(text)))
    export = rows(files / "ConsumptionReport.csv")
    department = {row["Email"].casefold(): row["Department"] for row in export}
    completions = {key: e["completed"] for key, e in entries(files).items() if e["completed"]}
    listed = {user["Email"].casefold() for user in users}  # the inactive are not
    days: dict[str, set[bool]] = defaultdict(set)  # whether each completion is after
    for (person, _course), when in completions.items():
        days[person].add(when.date() >= MOVED_ON)
    mover = min(  # someone with completions before the move and after it
        p
        for p, after in days.items()
        if after == {True, False} and department[p] != "Finance" and p in listed
    )
    reports = []
    for day, moved in (("2025-04-01", False), ("2025-10-01", True)):
        path = tmp_path / f"UserReport-{day}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(users[0]))
            writer.writeheader()
            for user in users:
                changed = {"Report_Last_Generated_On": f"{day} 06:00:00"}
                if moved and user["Email"].casefold() == mover:
                    changed |= {"Department": "Finance", "Organization": ""}
                writer.writerow({**user, **changed})
        reports.append(str(path))
    by_hand: Counter[tuple[str, str]] = Counter()
    for (person, _course), when in completions.items():
        if person not in listed:
            continue
        moved = person == mover and when.date() >= MOVED_ON
        by_hand["Finance" if moved else department[person], fy_text(fy_of(when.date()))] += 1
    code, out, err = cli(
        capsys, "progress", str(files / "ConsumptionReport.csv"), "--by", "fy",
        "--membership", *reports, "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert f"membership: {reports[1]}: {len(users)} people's units on 2025-10-01" in err
    in_export = {row["Email"].casefold() for row in export}
    matched = f"{len(in_export & listed)} of {len(in_export)} matched"
    assert f"the records' people in the membership: {matched}" in err
    got = Counter(
        {
            (row["name"], row["period"]): row["completions"]
            for row in json.loads(out)["progress"]["rows"]
            if row["unit"].count("/") == 1 and row["completions"]
        }
    )
    assert got == by_hand
    assert by_hand["Finance", "2025-26"] > sum(
        1
        for (p, _c), when in completions.items()
        if department[p] == "Finance" and fy_of(when.date()) == 2025
    )


# --- outputs never destroy inputs ------------------------------------------------------------


def test_an_out_that_is_an_input_is_refused_and_the_input_kept(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes((files / "people.csv").read_bytes())
    before = people.read_bytes()
    code, out, err = cli(
        capsys, "progress", str(files / "ConsumptionReport.csv"), "--units",
        str(files / "units.csv"), "--people", str(people), "--out", str(people),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert (
        err
        == f"karmayogi: error: --out {people} is the input --people: write the output elsewhere\n"
    )
    assert people.read_bytes() == before


def test_the_demo_never_writes_over_exports_it_did_not_write(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = tmp_path / "state"
    real.mkdir()
    (real / "ConsumptionReport.csv").write_text("the state's own export\n", encoding="utf-8")
    code, _out, err = cli(capsys, "demo", "--people", "60", "--export", "--out", str(real))
    assert code == 1
    assert "holds ConsumptionReport.csv, which karmayogi demo did not write" in err
    assert (real / "ConsumptionReport.csv").read_text(
        encoding="utf-8"
    ) == "the state's own export\n"
    assert sorted(p.name for p in real.iterdir()) == ["ConsumptionReport.csv"]
    # Its own exports, it may write again.
    again = tmp_path / "demo"
    for _ in range(2):
        code, _out, err = cli(capsys, "demo", "--people", "60", "--export", "--out", str(again))
        assert code == 0, err


def test_an_interrupted_large_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    from karmayogi._atomic import atomic_text

    target = tmp_path / "allocations.csv"
    target.write_text("the old file\n", encoding="utf-8")

    def write_then_interrupt() -> None:
        with atomic_text(target) as handle:
            for n in range(200_000):  # some megabytes, flushed to disk on the way
                handle.write(f"person{n}@x.in,do_{n},2026-03-31\n")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_then_interrupt()
    assert target.read_text(encoding="utf-8") == "the old file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["allocations.csv"]


def test_control_characters_in_a_file_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = tmp_path / "ConsumptionReport.csv"
    export.write_text(
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
        'a@x.in,CG,"Rev\x1b[2J\x1b[31m",,RTI,01:00:00,2025-05-15 10:00:00,in-progress,40,,No\n',
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "progress", str(export), "--engine", "reference")
    assert code == 0, err
    assert "Rev\\x1b[2J\\x1b[31m" in out
    assert "\x1b" not in out + err


def test_a_threshold_that_hides_nothing_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["progress", "ConsumptionReport.csv", "--suppress", "1"])
    assert usage.value.code == 2
    assert "N is 2 or more: counts from 1 to N-1 are hidden, and 1 would hide none" in (
        capsys.readouterr().err
    )


def test_validate_has_a_reader_for_every_kind_it_recognises() -> None:
    from karmayogi._validate import _CSV_RULES, _JSON_RULES, KINDS, ZIP_KIND

    recognised = [ZIP_KIND, *(kind for kind, _rule in (*_CSV_RULES, *_JSON_RULES))]
    assert sorted(recognised) == sorted(KINDS)
    assert len(set(recognised)) == len(recognised)


def test_a_report_in_hindi_from_the_states_files_and_its_labels(
    files: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A state's labels file names the report's competencies in Hindi where it gives a
    name; the numbers are the same as without it."""
    labels = tmp_path / "labels.csv"
    labels.write_text("Competency,Language,Label\nKCM-F13-01,hi,ई-ऑफिस\n", encoding="utf-8")
    inputs = [
        "report", str(files / "ConsumptionReport.csv"), "--units", str(files / "units.csv"),
        "--people", str(files / "people.csv"), "--roles", str(files / "roles.json"),
        "--profiles", str(files / "profiles.json"), "--no-charts", "--format", "json",
    ]  # fmt: skip
    code, plain, err = cli(capsys, *inputs, "--out", str(tmp_path / "en.html"))
    assert code == 0, err
    code, hindi, err = cli(
        capsys, *inputs, "--out", str(tmp_path / "hi.html"), "--labels", str(labels),
        "--language", "hi",
    )  # fmt: skip
    assert code == 0, err
    page = (tmp_path / "hi.html").read_text(encoding="utf-8")
    assert "ई-ऑफिस" in page
    assert "ई-ऑफिस" not in (tmp_path / "en.html").read_text(encoding="utf-8")
    assert json.loads(hindi)["headline"] == json.loads(plain)["headline"]
