"""The plan document: its own rules, its lifecycle and versions, checks against the
catalogue and the people, diffs, the fluent builder, and the platform's payload."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given

from karmayogi.cbp import (
    Assignment,
    Catalogue,
    Course,
    Lens,
    Plan,
    PlanBuilder,
    PlanHistory,
    PlanStatus,
    plans_from_platform,
    resolve,
)
from karmayogi.errors import ValidationError
from karmayogi.org import Person
from karmayogi.periods import IST

from .strategies import plans

WHEN = dt.datetime(2025, 4, 10, 9, 0, tzinfo=IST)
CATALOGUE = Catalogue(
    courses=[Course(id=f"do_{n}", name=f"Course {n}", duration=3600) for n in (1, 2, 3)]
)
PEOPLE = [
    Person(id="u1", organisation="rev", designation="Tehsildar"),
    Person(id="u2", organisation="rev", designation="Naib Tehsildar"),
    Person(id="u3", organisation="rev", designation="Patwari", active=False),
]


def plan(**changes: Any) -> Plan:
    fields: dict[str, Any] = {
        "id": "rev-2025-26",
        "organisation": "rev",
        "year": "2025-26",
        "name": "Land records",
        "items": [{"course": "do_1"}, {"course": "do_2", "mandatory": False}],
        "assignments": [{"type": "Designation", "names": ["Tehsildar"]}],
        "due": "2026-03-31",
    }
    return Plan(**(fields | changes))


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str | None]:
    return [p.where.path for p in exc.value.problems]


def test_a_plan_keeps_its_own_rules_all_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        plan(
            due="2026-04-01",
            items=[{"course": "do_1"}, {"course": "do_1"}],
            assignments=[{"type": "AllUser"}, {"type": "AllUser"}],
        )
    assert paths(caught) == ["due", "items[1].course", "assignments[1]"]
    assert caught.value.problems[0].expected == "2025-04-01 to 2026-03-31"


def test_a_plan_needs_a_course() -> None:
    with pytest.raises(ValidationError, match="at least one course"):
        plan(items=[])


def test_due_dates_read_as_files_write_them() -> None:
    assert plan(due="31/03/2026").due == dt.date(2026, 3, 31)
    with pytest.raises(ValidationError, match="outside the plan year"):
        plan(due="2026-03-31T20:00:00Z")  # 01:30 on 1 April in India


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ({"type": "AllUser", "names": ["x"]}, "names no one for AllUser"),
        ({"type": "Designation"}, "names designations"),
        ({"type": "CustomUser", "names": []}, "names people"),
        ({"type": "Designation", "names": ["SO", "s.o."]}, r"repeats names\[0\]"),
        ({"type": "Everyone"}, "AllUser"),
    ],
)
def test_assignments_name_who_their_type_says(assignment: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan(assignments=[assignment])


def test_words_as_the_platform_and_people_write_them() -> None:
    p = plan(status="DRAFT", lenses=["citizen centricity"], pillar="individual")
    assert p.lenses == (Lens.CITIZEN_CENTRICITY,)
    assert PlanStatus.parse("RETIRE") is PlanStatus.RETIRED
    with pytest.raises(ValueError, match="Draft, Live or Retired"):
        PlanStatus.parse("Archived")


# -- the lifecycle


def test_draft_live_retired() -> None:
    draft = plan()
    live = draft.publish(at=WHEN)
    assert (live.status, live.published_at, live.version) == (PlanStatus.LIVE, WHEN, 1)
    retired = live.retire()
    assert retired.status is PlanStatus.RETIRED
    for step in (
        draft.retire,
        lambda: live.publish(at=WHEN),
        lambda: retired.publish(at=WHEN),
        retired.retire,
        lambda: retired.revise(name="x"),
    ):
        with pytest.raises(ValidationError) as caught:
            step()
        assert caught.value.problems[0].where.path == "status"


def test_a_naive_publish_time_is_india_s() -> None:
    naive = dt.datetime(2025, 4, 10, 9, 0)  # noqa: DTZ001 - the point of the test
    assert plan().publish(at=naive).published_at == WHEN


def test_a_draft_changes_freely_and_keeps_its_version() -> None:
    changed = plan().revise(items=[{"course": "do_3"}], apar=True)
    assert (changed.courses, changed.apar, changed.version) == (("do_3",), True, 1)


def test_a_live_plan_changes_only_name_assignments_and_due_each_a_new_version() -> None:
    live = plan().publish(at=WHEN)
    v2 = live.revise(
        name="Land records (revised)", due="2026-02-28", assignments=[{"type": "AllUser"}]
    )
    assert (v2.version, v2.name, v2.due) == (2, "Land records (revised)", dt.date(2026, 2, 28))
    assert v2.status is PlanStatus.LIVE
    assert live.revise(name=live.name) is live  # no change, no new version
    with pytest.raises(ValidationError) as caught:
        live.revise(items=[{"course": "do_3"}], apar=True, name="ok")
    assert paths(caught) == ["apar", "items"]
    with pytest.raises(ValidationError, match="outside the plan year"):
        live.revise(due="2026-04-30")
    with pytest.raises(ValidationError, match="not a field"):
        live.revise(colour="red")


def test_history_keeps_every_version_and_refuses_illegal_steps() -> None:
    history = PlanHistory.start(plan()).revise(name="Draft 2").publish(at=WHEN)
    history = history.revise(due="2026-01-31").revise(name="Final").retire()
    assert [(p.status.value, p.version) for p in history.versions] == [
        ("Draft", 1),
        ("Draft", 1),
        ("Live", 1),
        ("Live", 2),
        ("Live", 3),
        ("Retired", 3),
    ]
    assert history.version(2).due == dt.date(2026, 1, 31)
    assert history.current.status is PlanStatus.RETIRED
    live = plan().publish(at=WHEN)
    illegal = {
        "changes apar": [live, live.model_copy(update={"apar": True, "version": 2})],
        "back into a Draft": [live, plan()],
        "Retired plan, which is final": [live.retire(), live.retire()],
        "not a version of": [live, live.model_copy(update={"id": "other"})],
        "is version 4": [live, live.model_copy(update={"name": "x", "version": 4})],
        "retires the plan and changes it": [live, live.retire().model_copy(update={"name": "y"})],
    }
    for message, versions in illegal.items():
        with pytest.raises(ValidationError, match=message) as caught:
            PlanHistory(versions=versions)
        assert paths(caught) == ["versions[1]"]


def test_a_readable_diff() -> None:
    old = plan(lenses=["National Priorities"])
    new = old.revise(
        items=[{"course": "do_1", "mandatory": False}, {"course": "do_3"}],
        assignments=[{"type": "Designation", "names": ["Tehsildar"]}, {"type": "AllUser"}],
        lenses=["Emerging Technology"],
        due="2026-02-28",
    )
    assert str(old.diff(new)).splitlines() == [
        "~ due: 2026-03-31 -> 2026-02-28",
        "~ items: do_1 (mandatory) -> do_1 (optional)",
        "+ items: do_3 (mandatory)",
        "- items: do_2 (optional)",
        "+ assignments: AllUser",
        "+ lenses: Emerging Technology",
        "- lenses: National Priorities",
    ]
    assert not old.diff(old)
    assert str(old.diff(old)) == "no changes"


@given(plans())
def test_a_plan_differs_from_itself_in_nothing(p: Plan) -> None:
    assert not p.diff(p)
    assert p.diff(p.model_copy(update={"name": p.name + "!"})).changes[0].field == "name"


# -- checks against the world


def test_check_reports_every_problem_the_world_shows() -> None:
    p = plan(
        items=[{"course": "do_1"}, {"course": "do_9"}],
        assignments=[
            {"type": "Designation", "names": ["Tehsildar", "Collector"]},
            {"type": "CustomUser", "names": ["u1", "u99"]},
        ],
    )
    with pytest.raises(ValidationError) as caught:
        p.check(catalogue=CATALOGUE, people=PEOPLE)
    assert [(pr.where.path, pr.got) for pr in caught.value.problems] == [
        ("items[1].course", "do_9"),
        ("assignments[0].names[1]", "Collector"),
        ("assignments[1].names[1]", "u99"),
    ]
    plan().check(catalogue=CATALOGUE, people=PEOPLE)  # passes


def test_a_plan_that_reaches_no_active_person() -> None:
    with pytest.raises(ValidationError, match="reach no active person"):
        plan(assignments=[{"type": "Designation", "names": ["Patwari"]}]).check(people=PEOPLE)
    with pytest.raises(ValidationError, match="assigned to no one"):
        plan(assignments=[]).check()


# -- building item by item


def test_the_fluent_builder() -> None:
    built = (
        PlanBuilder("rev", "2025-26", "Land records", id="rev-2025-26")
        .add("do_1")
        .add("do_2", mandatory=False)
        .assign_designations("Tehsildar")
        .due("31/03/2026")
        .build(catalogue=CATALOGUE, people=PEOPLE)
    )
    assert built == plan()


def test_the_builder_reports_every_problem_at_once() -> None:
    builder = (
        PlanBuilder("rev", "2025-27", "")
        .add("do_1")
        .add("do_1")
        .add("do_9")
        .add("")
        .assign_designations()
        .assign_designations("Collector")
        .lenses("Sustainability")
        .due("31/04/2026")
    )
    with pytest.raises(ValidationError) as caught:
        builder.build(catalogue=CATALOGUE, people=PEOPLE)
    assert paths(caught) == [
        "year",
        "name",
        "items[3].course",
        "assignments[0].names",
        "due",
        "lenses[0]",
        "items[1].course",
        "items[2].course",
        "assignments[1].names[0]",
        "assignments",
    ]


# -- the platform's payload


def test_platform_payload_round_trip() -> None:
    live = plan(apar=True).publish(at=WHEN)
    [payload] = live.to_platform()
    assert payload == {
        "id": live.id,
        "name": "Land records",
        "contentType": "Course",
        "contentList": [
            {"identifier": "do_1", "mandatory": True},
            {"identifier": "do_2", "mandatory": False},
        ],
        "assignmentType": "Designation",
        "assignmentTypeInfo": ["Tehsildar"],
        "endDate": "2026-03-31",
        "orgId": "rev",
        "planYear": "2025-26",
        "isApar": True,
        "status": "Live",
        "publishedAt": "2025-04-10T09:00:00+05:30",
    }
    assert Plan.from_platform(payload) == live


def test_a_plan_assigning_in_several_ways_round_trips_through_its_payloads() -> None:
    """One payload per assignment type, as the platform holds them, joined again on
    reading; and payloads of one id that differ in more than their assignment refused."""
    both = plan().revise(
        assignments=[
            {"type": "Designation", "names": ["Tehsildar"]},
            {"type": "CustomUser", "names": ["u9"]},
        ]
    )
    payloads = both.to_platform()
    assert [p["assignmentType"] for p in payloads] == ["Designation", "CustomUser"]
    assert {p["id"] for p in payloads} == {both.id}
    assert plans_from_platform(payloads) == (both,)
    live = both.publish(at=WHEN)  # read back, one plan: resolved, not refused as given twice
    assert resolve(plans_from_platform(live.to_platform()), PEOPLE) == resolve([live], PEOPLE)
    payloads[1]["endDate"] = "2026-01-31"
    with pytest.raises(ValidationError, match=r"payloads of one plan disagree.*due"):
        plans_from_platform(payloads)


def test_older_payloads_list_identifiers_and_have_no_plan_year() -> None:
    payload = {
        "name": "Induction",
        "orgId": "rev",
        "contentList": ["do_1", "do_2"],
        "assignmentType": "AllUser",
        "assignmentTypeInfo": [],
        "endDate": "2025-12-31",
        "status": "DRAFT",
    }
    read = Plan.from_platform(payload)
    assert (str(read.year), read.courses, read.assignments) == (
        "2025-26",
        ("do_1", "do_2"),
        (Assignment(type="AllUser"),),
    )
    assert read.to_platform(item_form=False)[0]["contentList"] == ["do_1", "do_2"]


def test_one_payload_per_assignment_type() -> None:
    p = plan(assignments=[{"type": "AllUser"}, {"type": "CustomUser", "names": ["u9"]}])
    assert [x["assignmentType"] for x in p.to_platform()] == ["AllUser", "CustomUser"]


def test_a_bad_payload_names_the_file() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan.from_platform(
            {
                "name": "x",
                "orgId": "rev",
                "contentList": ["do_1"],
                "assignmentType": "Everyone",
                "endDate": "soon",
            },
            file="plan.json",
        )
    assert {p.where.file for p in caught.value.problems} == {"plan.json"}
    assert {p.where.path for p in caught.value.problems} == {"assignments[0].type", "due", "year"}
    with pytest.raises(ValidationError) as caught:
        Plan.from_platform(
            {
                "name": "x",
                "orgId": "rev",
                "contentList": "do_1",
                "assignmentType": "AllUser",
                "endDate": "soon",
            }
        )
    assert [p.where.path for p in caught.value.problems] == ["contentList", "year", "due"]
