"""Personal data in what karmayogi writes: person identifiers replaced by keyed pseudonyms
wherever an export carries them (the key is the caller's, never written); small counts
suppressed so that none can be worked out from its parent and siblings; and names,
emails and phones never in an aggregate output."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from karmayogi.cbp import resolve
from karmayogi.demo import Demo, make_demo
from karmayogi.progress import METRICS, Ledger, Rollup, pseudonym

KEY = "the state's own secret, 32 bytes"


@pytest.fixture(scope="module")
def demo() -> Demo:
    return make_demo(people=400)


@pytest.fixture(scope="module")
def exports(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("exports")
    demo.write_exports(directory)
    return directory


def _personal(exports: Path) -> set[str]:
    """Every name, email and phone the state's exports hold."""
    with (exports / "ConsumptionReport.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = set()
    for row in rows:
        found |= {row["Full_Name"], row["Email"], row["Email"].casefold(), row["Phone_Number"]}
    return {value for value in found if value}


def _cli(*args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KARMAYOGI_PSEUDONYM_KEY"}
    if key is not None:
        env["KARMAYOGI_PSEUDONYM_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "karmayogi", *args],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def test_allocations_export_carries_pseudonyms_not_people(exports: Path) -> None:
    plans = sorted(str(p) for p in (exports / "plans").glob("*.json"))
    given = ["plan", "allocations", *plans, "--people", str(exports / "people.csv")]
    plain = _cli(*given)
    hidden = _cli(*given, "--pseudonymise", key=KEY)
    assert plain.returncode == hidden.returncode == 0, hidden.stderr
    people = {row["Person"] for row in csv.DictReader(plain.stdout.splitlines())}
    shown = {row["Person"] for row in csv.DictReader(hidden.stdout.splitlines())}
    assert shown == {pseudonym(person, KEY) for person in people}
    assert not any(person in hidden.stdout for person in people)
    assert KEY not in hidden.stdout
    assert len(hidden.stdout.splitlines()) == len(plain.stdout.splitlines())


def test_pseudonymising_without_a_key_is_refused(exports: Path) -> None:
    plans = sorted(str(p) for p in (exports / "plans").glob("*.json"))
    result = _cli("plan", "allocations", *plans, "--people", str(exports / "people.csv"),
                  "--pseudonymise")  # fmt: skip
    assert result.returncode == 1
    assert "KARMAYOGI_PSEUDONYM_KEY" in result.stderr
    assert result.stdout == ""


def test_compliance_export_carries_pseudonyms_not_people(exports: Path) -> None:
    given = [
        "progress", str(exports / "ConsumptionReport.csv"), "--allocations",
        str(exports / "allocations.csv"), "--catalogue", str(exports / "catalogue.json"),
        "--format", "json", "--engine", "reference",
    ]  # fmt: skip
    plain = json.loads(_cli(*given).stdout)
    result = _cli(*given, "--pseudonymise", key=KEY)
    hidden = json.loads(result.stdout)
    people = [p["person"] for p in plain["compliance"]["people"]]
    assert people
    assert sorted(p["person"] for p in hidden["compliance"]["people"]) == sorted(
        pseudonym(p, KEY) for p in people
    )
    assert hidden["compliance"]["units"] == plain["compliance"]["units"]
    for value in _personal(exports):
        assert value not in result.stdout
    assert KEY not in result.stdout


def test_resolution_and_ledger_pseudonymised_keep_their_shape(demo: Demo) -> None:
    resolution = resolve(demo.plans, demo.people)
    hidden = resolution.pseudonymised(KEY)
    assert len(hidden) == len(resolution)
    assert {a.person for a in hidden.allocations} == {
        pseudonym(a.person, KEY) for a in resolution.allocations
    }
    records = Ledger(demo.records)
    ledger = records.pseudonymised(KEY)
    assert len(ledger) == len(records)
    assert {r.person for r in ledger} == {pseudonym(r.person, KEY) for r in records}
    assert records.pseudonymised(KEY) == ledger  # stable: the same key, the same names


def test_aggregate_outputs_hold_no_names_emails_or_phones(demo: Demo, exports: Path) -> None:
    personal = _personal(exports)
    assert len(personal) > 100  # the check below has something to find
    rollup = Rollup(demo.tree, people=demo.people, by="quarter", records=demo.records)
    table = rollup.table()
    compliance = rollup.compliance(demo.allocations.allocations).suppressed(5)
    report = demo.report(suppress=5)
    outputs = {
        "progress csv": str(table.to_csv()),
        "progress json": table.to_json(),
        "progress html": table._repr_html_(),
        "compliance csv": str(compliance.to_csv()),
        "compliance json": compliance.to_json(),
        "report html": report.to_html(charts=False),
        "report json": json.dumps(report.to_dict(), default=str),
        "report summary": report.summary(),
        "unsuppressed report html": demo.report().to_html(charts=False),
    }
    for name, text in outputs.items():
        leaked = sorted(value for value in personal if value in text)
        assert not leaked, f"{name} holds {leaked[:5]}"


def test_a_suppressed_report_shows_no_small_count_and_no_lone_hidden_one(demo: Demo) -> None:
    below = 10
    full, report = demo.report(), demo.report(suppress=below)
    assert report.compliance is not None
    assert full.compliance is not None
    # One release: what it shows is as it was, and what it hides it says it hides.
    for before, after in zip(full.quarters, report.quarters, strict=True):
        for metric in METRICS:
            shown = getattr(after, metric)
            assert shown is None or shown == getattr(before, metric)
            gone = (after.unit, after.period, metric) in report.quarters.hidden
            assert gone == (shown is None and getattr(before, metric) is not None)
    assert report.compliance.people == ()
    shown = [*report.quarters.rows, report.headline, *report.by_department]
    for row in shown:
        for metric in METRICS:
            value = getattr(row, metric)
            if isinstance(value, int):
                assert not 0 < value < below, (row.unit, metric, value)
    hidden = sum(getattr(r, m) is None for r in report.quarters.rows for m in METRICS)
    assert hidden > 0  # the demo has small units: the test meets suppression
    for unit in report.compliance.units:
        for value in attrs.astuple(unit)[2:]:
            assert value is None or not 0 < value < below
    # No department hides alone under a published state: it would be the state minus the rest.
    year_rows = {row.unit: row for row in [report.headline, *report.by_department]}
    for metric in ("enrolments", "completions", "enrolled_users"):
        lone = [d for d in report.departments if getattr(year_rows[d], metric) is None]
        if getattr(report.headline, metric) is not None:
            assert len(lone) != 1, (metric, lone)


def test_the_report_never_shows_a_hidden_count_as_zero_or_derives_one(demo: Demo) -> None:
    """Late is completed minus on time, Not completed is allocated minus completed, and APAR
    % is compliant over officers: where a part is hidden, so is the derived cell."""
    import re

    report = demo.report(suppress=200)
    assert report.compliance is not None
    html = report.to_html(charts=False)
    section = html[html.index('id="compliance"') : html.index('id="gaps"')]
    cells_of = {
        cells[0]: cells
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", section)
        )
        if cells
    }
    checked = 0
    for department in report.departments:
        unit = report.compliance.unit(department)
        late, open_, apar = cells_of[unit.name][5], cells_of[unit.name][6], cells_of[unit.name][9]
        hidden = re.sub(r"<[^>]+>", "", late) == "*"  # shown as hidden: never a number
        if unit.cbp_completed is None or unit.cbp_completed_on_time is None:
            assert hidden, late
            checked += 1
        if unit.cbp_allocated is None or unit.cbp_completed is None:
            assert re.sub(r"<[^>]+>", "", open_) == "*"
        if unit.apar_compliant_users is None or unit.apar_users is None:
            assert re.sub(r"<[^>]+>", "", apar) == "*"
    assert checked > 0  # the threshold meets some department


def test_the_report_s_competency_gaps_are_suppressed_with_it(demo: Demo) -> None:
    """The gap section counts people too: no count from 1 to N-1 in it, and a department
    whose counts are hidden shows a *, never a share made from them."""
    import html as markup
    import re

    below = 20
    full, report = demo.report(), demo.report(suppress=below)
    assert full.gaps is not None
    assert report.gaps is not None
    truth = {(c.competency, c.group): c for c in (*full.gaps.cells, *full.gaps.totals)}
    for cell in (*report.gaps.cells, *report.gaps.totals):
        true = truth[(cell.competency, cell.group)]
        for field in ("people_required", "people_short"):
            value = getattr(cell, field)
            assert value is None or not 0 < value < below, (cell, field)
            assert value in (None, getattr(true, field))
    assert report.gaps.hidden  # the threshold meets some department
    html = report.to_html(charts=False)
    section = html[html.index('id="gaps"') :]
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", section)
    ]
    names = {v: k for k, v in report.competency_names.items()}
    groups = [report.tree[d].name for d in report.departments]
    checked = 0
    for cells in (r for r in rows if r):
        competency = names[markup.unescape(cells[0])]
        for group, shown in zip(groups, cells[4:], strict=True):
            cell = next(
                (c for c in report.gaps.cells if (c.competency, c.group) == (competency, group)),
                None,
            )
            text = re.sub(r"<[^>]+>", "", shown)
            if cell is None:
                assert text == ""
            elif cell.people_short is None or cell.people_required is None:
                assert text == "*", (competency, group, shown)
                checked += 1
            else:
                assert text == f"{100 * cell.people_short / cell.people_required:.0f}%"
    assert checked > 0


def test_a_suppressed_report_says_how_once(demo: Demo) -> None:
    html = demo.report(suppress=10).to_html(charts=False)
    footer = html[html.index("<footer") :]
    assert footer.count("counts from 1 to 9 suppressed") == 1
