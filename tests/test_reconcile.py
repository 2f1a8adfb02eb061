"""Reconciliation: a summary the library wrote itself reconciles with no difference, each
planted cause is found as that cause, and the command, on the demo's files with slips
planted in them, lists the differences a count made here by the platform's rules
predicts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi._allocation import Allocation
from karmayogi._cli import main
from karmayogi.cbp import Assignment, AssignmentType, Plan, PlanItem, PlanStatus
from karmayogi.demo import make_demo
from karmayogi.exports import SummaryRow
from karmayogi.org import Person
from karmayogi.periods import IST
from karmayogi.progress import Enrolment, Status
from karmayogi.reconcile import Counts, reconcile, summary_rows
from tests.builders import csv_rows, write_csv_rows
from tests.strategies import COURSES, LEARNERS, PLAN_YEAR

DUE = st.dates(min_value=PLAN_YEAR.start, max_value=PLAN_YEAR.end)

allocations = st.lists(
    st.builds(
        Allocation,
        person=st.sampled_from(LEARNERS),
        course=st.sampled_from(COURSES),
        due=DUE,
        plan=st.just("p1"),
        mandatory=st.just(True),
        apar=st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@st.composite
def records(draw: st.DrawFn, allocated: list[Allocation]) -> list[Enrolment]:
    """Records of some of the allocated courses, completed at noon (away from any
    midnight) or still in progress."""
    chosen = draw(st.sets(st.sampled_from([(a.person, a.course) for a in allocated])))
    out = []
    for person, course in sorted(chosen):
        day = draw(st.none() | DUE)
        when = dt.datetime.combine(day, dt.time(12), IST) if day else None
        status = Status.COMPLETED if when else Status.IN_PROGRESS
        out.append(
            Enrolment(
                person=person,
                course=course,
                status=status,
                progress=100 if when else 40,
                completed_at=when,
            )
        )
    return out


def as_platform(counts: dict[str, Counts]) -> list[SummaryRow]:
    return [SummaryRow(p, None, *(c.allocated, c.completed, c.completed_in_time))
            for p, c in counts.items()]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_summary_the_library_wrote_reconciles_with_no_difference(data: st.DataObject) -> None:
    allocated = data.draw(allocations)
    done = data.draw(records(allocated))
    found = reconcile(as_platform(summary_rows(allocated, done)), allocated, done)
    assert found.differences == ()
    assert all(theirs == ours for theirs, ours in found.totals.values())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_course_counted_twice_is_found_as_a_duplicate_enrolment(data: st.DataObject) -> None:
    allocated = data.draw(allocations)
    done = data.draw(records(allocated))
    twice = data.draw(st.sampled_from(allocated))
    repeats = {(twice.person, twice.course): data.draw(st.integers(1, 2))}
    platform = as_platform(summary_rows(allocated, done, repeats=repeats))
    found = reconcile(platform, allocated, done, repeats=repeats)
    assert [(d.person, d.cause) for d in found.differences] == [
        (twice.person, "duplicate-enrolment")
    ]
    assert found.totals["allocated"][0] == found.totals["allocated"][1] + sum(repeats.values())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_completion_before_dawn_after_the_due_day_is_found_as_the_time_zone(
    data: st.DataObject,
) -> None:
    allocated = data.draw(allocations)
    done = list(data.draw(records(allocated)))
    late = data.draw(st.sampled_from(allocated))
    due = max(a.due for a in allocated if (a.person, a.course) == (late.person, late.course))
    dawn = dt.datetime.combine(
        due + dt.timedelta(days=1), dt.time(data.draw(st.integers(0, 5))), IST
    )
    done = [r for r in done if (r.person, r.course) != (late.person, late.course)]
    done.append(
        Enrolment(person=late.person, course=late.course, status=Status.COMPLETED,
                  progress=100, completed_at=dawn)
    )  # fmt: skip
    platform = as_platform(summary_rows(allocated, done, day_ends="utc"))
    found = reconcile(platform, allocated, done)
    assert [(d.person, d.cause) for d in found.differences] == [(late.person, "due-date-time-zone")]


def _plan(plan_id: str, status: PlanStatus, assignment: Assignment, course: str) -> Plan:
    published = None if status is PlanStatus.DRAFT else "2025-06-01T10:00:00+05:30"
    return Plan(
        id=plan_id, organisation="rev", year=PLAN_YEAR, name=plan_id,
        items=[PlanItem(course=course)], assignments=[assignment], due=PLAN_YEAR.end,
        status=status, published_at=published,
    )  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(
    st.sets(st.sampled_from(LEARNERS), min_size=1),
    st.sampled_from([PlanStatus.DRAFT, PlanStatus.RETIRED]),
)
def test_a_course_only_a_draft_plan_allocates_is_found_as_the_draft(
    reached: set[str], status: PlanStatus
) -> None:
    people = [Person(id=p, organisation="rev", designation="Patwari") for p in LEARNERS]
    everyone = Assignment(type=AssignmentType.ALL_USERS)
    custom = Assignment(type=AssignmentType.CUSTOM_USERS, names=sorted(reached))
    plans = [
        _plan("live", PlanStatus.LIVE, everyone, "do_1"),
        _plan("draft", status, custom, "do_2"),
    ]
    live = [Allocation(p, "do_1", PLAN_YEAR.end, "live", True, False) for p in LEARNERS]
    platform_allocations = [
        *live,
        *(Allocation(p, "do_2", PLAN_YEAR.end, "draft", True, False) for p in reached),
    ]
    platform = as_platform(summary_rows(platform_allocations, []))
    found = reconcile(platform, live, [], plans=plans, people=people)
    assert {(d.person, d.cause) for d in found.differences} == {(p, "draft-plan") for p in reached}


def test_a_designation_written_another_way_is_found_as_its_spelling() -> None:
    people = [
        Person(id="a@x.in", organisation="rev", designation="Assistant Section Officer"),
        Person(id="b@x.in", organisation="rev", designation="Asst. Section Officer"),
    ]
    by_designation = Assignment(
        type=AssignmentType.DESIGNATION, names=["Assistant Section Officer"]
    )
    plans = [_plan("aso", PlanStatus.LIVE, by_designation, "do_1")]
    ours = [Allocation(p.id, "do_1", PLAN_YEAR.end, "aso", True, False) for p in people]
    platform = as_platform(summary_rows(ours[:1], []))  # the platform's exact match: a only
    found = reconcile(platform, ours, [], plans=plans, people=people)
    assert [(d.person, d.cause) for d in found.differences] == [("b@x.in", "designation-spelling")]


def test_two_slips_of_one_person_are_found_together() -> None:
    due = PLAN_YEAR.end
    ours = [Allocation("a@x.in", "do_1", due, "p", True, False)]
    dawn = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(1), IST)
    done = [Enrolment(person="a@x.in", course="do_1", status=Status.COMPLETED, progress=100,
                      completed_at=dawn)]  # fmt: skip
    repeats = {("a@x.in", "do_1"): 1}
    platform = as_platform(summary_rows(ours, done, repeats=repeats, day_ends="utc"))
    found = reconcile(platform, ours, done, repeats=repeats)
    assert [d.causes for d in found.differences] == [("duplicate-enrolment", "due-date-time-zone")]
    assert found.causes() == {"duplicate-enrolment": 1, "due-date-time-zone": 1}


def test_people_on_one_side_only_and_numbers_nothing_explains() -> None:
    due = PLAN_YEAR.end
    ours = [Allocation("a@x.in", "do_1", due, "p", True, False),
            Allocation("b@x.in", "do_1", due, "p", True, False)]  # fmt: skip
    platform = [SummaryRow("a@x.in", None, 3, 0, 0), SummaryRow("c@x.in", None, 1, 0, 0)]
    found = reconcile(platform, ours, [])
    assert [(d.person, d.cause) for d in found.differences] == [
        ("a@x.in", "unexplained"),
        ("b@x.in", "not-in-platform-summary"),
        ("c@x.in", "not-allocated-here"),
    ]


# --- the journey: the command on the demo's files, with slips planted -------------------------


def test_reconcile_lists_the_differences_the_platforms_rules_predict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_demo(people=300).write_exports(tmp_path)
    header, cbp = csv_rows(tmp_path / "CBPEnrollmentReport.csv")
    done = [r for r in cbp if r["Current Progress"] == "Completed"]
    # Plant: a row repeated (a second plan's allocation of the same course), and a
    # completion at 03:00 in India the morning after its due date.
    cbp.append(dict(cbp[0]))
    dawn = next(r for r in done if r["Email"] != cbp[0]["Email"])
    due = dt.date.fromisoformat(dawn["Due Date of Completion"])
    dawn["Actual Date of Completion"] = f"{due + dt.timedelta(days=1)} 03:00:00"
    write_csv_rows(tmp_path / "cbp.csv", header, cbp)
    # The platform's summary, by its rules, counted here: every row; completed; within
    # the due date when the completion is before midnight UTC after the due date.
    platform: dict[str, list[int]] = {}
    for row in cbp:
        count = platform.setdefault(row["Email"].casefold(), [0, 0, 0])
        count[0] += 1
        if row["Current Progress"] == "Completed":
            count[1] += 1
            completed = dt.datetime.fromisoformat(row["Actual Date of Completion"]).replace(
                tzinfo=IST
            )
            end = dt.datetime.combine(
                dt.date.fromisoformat(row["Due Date of Completion"]) + dt.timedelta(days=1),
                dt.time(),
                dt.UTC,
            )
            count[2] += completed < end
    summary_header = ["Email", "Number of CBP Courses Allocated", "Number of CBP Courses Completed",
                      "Number of CBP Courses Completed within due date"]  # fmt: skip
    write_csv_rows(
        tmp_path / "summary.csv",
        summary_header,
        [dict(zip(summary_header, [p, *map(str, c)], strict=True)) for p, c in platform.items()],
    )
    code = main(["reconcile", str(tmp_path / "summary.csv"), "--cbp", str(tmp_path / "cbp.csv"),
                 "--format", "json"])  # fmt: skip
    assert code == 0
    found = json.loads(capsys.readouterr().out)
    assert {(d["person"], d["cause"]) for d in found["differences"]} == {
        (cbp[0]["Email"].casefold(), "duplicate-enrolment"),
        (dawn["Email"].casefold(), "due-date-time-zone"),
    }
    assert found["totals"]["allocated"] == {"platform": len(cbp), "here": len(cbp) - 1}
    assert found["totals"]["completed_in_time"]["platform"] == sum(c[2] for c in platform.values())
