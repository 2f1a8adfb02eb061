"""The demo state: made the same from the same seed, shaped like a real state's year, and
written as the platform's files that karmayogi's own readers read back unchanged."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.cbp import Catalogue, Plan, PlanStatus, read_allocations_csv
from karmayogi.competency import CompetencyProfile, Framework, Position
from karmayogi.demo import DEMO_MARK, EXPORT_FILES, Demo, make_demo
from karmayogi.org import read_people_csv, read_units_csv
from karmayogi.progress import Enrolment, Status, read_cbp_report, read_consumption_report


@pytest.fixture(scope="module")
def state() -> Demo:
    return make_demo()


@pytest.fixture(scope="module")
def exported(state: Demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    state.write_exports(out)
    return out


def facts(record: Enrolment) -> tuple[object, ...]:
    """What a record says, without where it came from."""
    return (
        record.person,
        record.course,
        record.status,
        record.progress,
        record.enrolled_at,
        record.completed_at,
        record.certificates,
        record.duration,
    )


@settings(max_examples=5)
@given(seed=st.integers(0, 10**6))
def test_the_same_seed_makes_the_same_state(seed: int) -> None:
    first, second = make_demo(seed=seed, people=60), make_demo(seed=seed, people=60)
    assert [facts(r) for r in first.records] == [facts(r) for r in second.records]
    assert first.people == second.people
    assert first.plans == second.plans
    assert first.catalogue == second.catalogue


def test_another_seed_makes_another_state() -> None:
    one, other = make_demo(seed=1, people=60), make_demo(seed=2, people=60)
    assert [facts(r) for r in one.records] != [facts(r) for r in other.records]


def test_too_few_people_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 50 people, got 10"):
        make_demo(people=10)


def test_the_state_is_a_state(state: Demo) -> None:
    (root,) = state.tree.roots
    departments = state.tree.children(root)
    assert state.tree[root].name == "Madhyanchal Pradesh"
    assert len(departments) == 6
    assert all(len(state.tree.children(d)) == 5 for d in departments)  # directorate, districts
    assert len(state.people) == 3000
    assert len({p.id for p in state.people}) == 3000
    assert all(p.unit in state.tree and p.designation for p in state.people)
    assert 0 < sum(not p.active for p in state.people) < 150
    # Every competency a course builds or a role needs is in the framework.
    state.catalogue.check(state.framework)
    for position in state.positions:
        assert all(r.competency in state.framework for r in position.requirements())
    assert any(c.competency.startswith("DOM-") for course in state.catalogue.courses
               for c in course.competencies)  # fmt: skip


def test_plans_are_live_apar_plans_for_the_year(state: Demo) -> None:
    assert state.plans
    assert {p.status for p in state.plans} == {PlanStatus.LIVE}
    assert {p.due for p in state.plans} == {dt.date(2026, 3, 31)}
    assert all(p.apar for p in state.plans)
    assert {p.organisation for p in state.plans} == set(state.organisations)
    allocated = {a.person for a in state.allocations.allocations}
    assert allocated <= {p.id for p in state.people if p.active}
    assert len(allocated) > 2500


def test_the_year_looks_like_a_real_year(state: Demo) -> None:
    """A learning-week spike, a deadline rush, late completions, people who never start
    and people who never come."""
    by_month = Counter(r.enrolled_at.strftime("%Y-%m") for r in state.records if r.enrolled_at)
    typical = sorted(by_month.values())[len(by_month) // 2]
    assert by_month["2025-10"] > 2 * typical  # the learning week
    october = [r.enrolled_at.date() for r in state.records if r.enrolled_at
               and r.enrolled_at.strftime("%Y-%m") == "2025-10"]  # fmt: skip
    assert Counter(d.day for d in october).most_common(1)[0][0] in range(19, 26)
    assert by_month["2026-03"] > typical  # the rush before the due date
    completed = [r for r in state.records if r.completed_at is not None]
    due = {(a.person, a.course): a.due for a in state.allocations.allocations}
    late = [r for r in completed if (r.person, r.course) in due
            and r.completed_at.date() > due[(r.person, r.course)]]  # fmt: skip
    assert 0 < len(late) < len(completed) / 10
    statuses = Counter(r.status for r in state.records)
    assert statuses[Status.NOT_STARTED] > 0
    assert statuses[Status.IN_PROGRESS] > 0
    assert statuses[Status.COMPLETED] > statuses[Status.IN_PROGRESS]
    with_records = {r.person for r in state.records}
    assert 0.05 < 1 - len(with_records) / len(state.people) < 0.2  # never come
    assert all(r.completed_at is None or r.completed_at.date() < state.as_of
               for r in state.records)  # fmt: skip
    # Departments differ: the report has something to compare.
    rates = {}
    for mdo in state.organisations:
        staff = {p.id for p in state.people if p.organisation == mdo}
        mine = [r for r in state.records if r.person in staff]
        rates[mdo] = sum(r.status is Status.COMPLETED for r in mine) / len(mine)
    assert max(rates.values()) - min(rates.values()) > 0.1


def test_the_files_it_writes(state: Demo, exported: Path) -> None:
    written = {p.name for p in exported.iterdir()}
    assert written == {*EXPORT_FILES, DEMO_MARK}
    assert {p.name for p in (exported / "plans").iterdir()} == {f"{p.id}.json" for p in state.plans}


def test_the_consumption_export_reads_back_as_the_records(state: Demo, exported: Path) -> None:
    report = read_consumption_report(exported / "ConsumptionReport.csv", catalogue=state.catalogue)
    assert report.rejected == []
    assert {f.code for f in report.findings} == {"ignored-column"}  # Full_Name and such
    assert report.used == len(state.records)
    assert report.duplicates > 0  # some enrolments exported twice, from two batches
    assert sorted(facts(e) for e in report.ledger) == sorted(facts(r) for r in state.records)
    assert report.tree is not None
    assert [u.id for u in report.tree] == [u.id for u in state.tree]
    places = {p.id: p.place for p in state.people}
    assert all(places[person] == unit for person, unit in report.places.items())


def test_the_cbp_export_reads_back_as_the_allocations(state: Demo, exported: Path) -> None:
    report = read_cbp_report(exported / "CBPEnrollmentReport.csv", catalogue=state.catalogue)
    assert report.rejected == []
    got = [(a.person, a.course, a.due, a.apar) for a in report.allocations]
    assert got == [(a.person, a.course, a.due, a.apar) for a in state.allocations.allocations]
    # Its records agree with the enrolment export on status and completion.
    records = {(r.person, r.course): r for r in state.records}
    for entry in report.ledger:
        record = records[(entry.person, entry.course)]
        assert entry.status is record.status
        assert entry.completed_at == record.completed_at


def test_the_input_files_read_back(state: Demo, exported: Path) -> None:
    assert read_people_csv(exported / "people.csv") == state.people
    assert list(read_units_csv(exported / "units.csv")) == list(state.tree)
    assert Catalogue.from_file(exported / "catalogue.json") == state.catalogue
    assert Framework.from_file(exported / "framework.json") == state.framework
    roles = json.loads((exported / "roles.json").read_text(encoding="utf-8"))
    assert tuple(Position.from_dict(r) for r in roles) == state.positions
    profiles = json.loads((exported / "profiles.json").read_text(encoding="utf-8"))
    assert {p["person"]: CompetencyProfile.from_dict(p) for p in profiles} == state.profiles
    plans = [Plan.from_file(exported / "plans" / f"{p.id}.json") for p in state.plans]
    assert tuple(plans) == state.plans
    assert read_allocations_csv(exported / "allocations.csv") == state.allocations.allocations


def test_the_state_writes_designations_as_people_do_and_reaches_them(state: Demo) -> None:
    """Every eighth holder of some designations writes it otherwise ("Asst. Grade-II",
    "DSP"); the plans reach them all the same, and the resolution says how each was
    read. Courses have descriptions, and some themes a Hindi name."""
    written = {u.match.written: u for u in state.allocations.designations_spelled_otherwise}
    # "Sub Inspector" is "Sub-Inspector" but for punctuation: the same, not otherwise.
    assert set(written) == {"Asst. Grade-II", "Asst. Teacher", "DSP", "A.N.M.", "B.D.O."}
    assert written["DSP"].match.designation == "Deputy Superintendent of Police"
    holders = {p.id for p in state.people if p.designation == "Asst. Grade-II" and p.active}
    allocated = {a.person for a in state.allocations.allocations}
    assert holders
    assert holders <= allocated
    assert all(c.description for c in state.catalogue.courses)
    assert state.framework.find("संचार").name == "Communication"


def test_the_report_names_competencies_in_hindi_when_asked(state: Demo) -> None:
    """The gaps table names each competency by its Hindi label where the state gave one,
    and in English otherwise; without a language, all in English."""
    hindi = state.report(language="hi").to_html(charts=False)
    english = state.report().to_html(charts=False)
    assert "सक्रिय श्रवण" in hindi
    assert "सक्रिय श्रवण" not in english
    assert "Active Listening" in english
    assert "Office Procedures" in hindi  # no Hindi name given: English
