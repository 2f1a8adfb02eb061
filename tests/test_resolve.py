"""Who must do what by when: only Live plans count, a person counts once per plan, the
latest due date wins across plans, whatever the order; and the reverse look-up."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.cbp import Plan, PlanStatus, resolve, write_allocations_csv
from karmayogi.designations import DesignationIndex
from karmayogi.errors import UnknownNameError, ValidationError
from karmayogi.org import Person
from karmayogi.periods import IST

from .strategies import people, plans

WHEN = dt.datetime(2025, 4, 1, 9, 0, tzinfo=IST)
plan_lists = st.lists(plans(), max_size=5, unique_by=lambda p: p.id)


def live(plan_id: str, due: str, *assignments: dict[str, Any], **more: Any) -> Plan:
    return Plan(
        id=plan_id,
        organisation="rev",
        year="2025-26",
        name=plan_id,
        due=due,
        items=more.pop("items", [{"course": "do_1"}]),
        assignments=assignments,
        status="Live",
        published_at=WHEN,
        **more,
    )


ALL = {"type": "AllUser"}
TEHSILDAR = {"type": "Designation", "names": ["tehsildar"]}
STAFF = [
    Person(id="u1", organisation="rev", designation="Tehsildar"),
    Person(id="u2", organisation="rev", designation="Patwari"),
    Person(id="u3", organisation="rev", designation="Tehsildar", active=False),
    Person(id="u4", organisation="other", designation="Tehsildar"),
]


@given(plan_lists, people(), st.randoms(use_true_random=False))
def test_resolving_does_not_depend_on_order(
    plan_list: list[Plan], staff: list[Person], random: Any
) -> None:
    shuffled_plans, shuffled_people = list(plan_list), list(staff)
    random.shuffle(shuffled_plans)
    random.shuffle(shuffled_people)
    assert resolve(plan_list, staff) == resolve(shuffled_plans, shuffled_people)


@given(plan_lists, people(), st.booleans())
def test_one_allocation_per_person_and_course_due_at_the_latest(
    plan_list: list[Plan], staff: list[Person], include_inactive: bool
) -> None:
    result = resolve(plan_list, staff, include_inactive=include_inactive)
    pairs = [(a.person, a.course) for a in result.allocations]
    assert len(pairs) == len(set(pairs))
    # Brute force: every (person, course) a Live plan assigns, with its latest due date.
    expected: dict[tuple[str, str], dt.date] = {}
    for plan in plan_list:
        if plan.status is not PlanStatus.LIVE:
            continue
        for person in staff:
            if not (person.active or include_inactive):
                continue
            if any(a.matches(person, plan.organisation) for a in plan.assignments):
                for item in plan.items:
                    key = (person.id, item.course)
                    expected[key] = max(expected.get(key, plan.due), plan.due)
    assert {(a.person, a.course): a.due for a in result.allocations} == expected
    by_id = {p.id: p for p in plan_list}
    for a in result.allocations:
        assert by_id[a.plan].status is PlanStatus.LIVE
        assert by_id[a.plan].due == a.due


def test_a_person_named_twice_by_one_plan_counts_once() -> None:
    plan = live("p", "2026-03-31", ALL, TEHSILDAR, {"type": "CustomUser", "names": ["u1"]})
    result = resolve([plan], STAFF)
    assert [(a.person, a.course) for a in result.allocations] == [("u1", "do_1"), ("u2", "do_1")]
    [reason] = result.why("u1")
    assert reason.matched_by == ("AllUser", "Designation 'tehsildar'", "CustomUser")


def test_only_live_plans_and_active_people_count() -> None:
    draft = live("d", "2026-03-31", ALL).model_copy(update={"status": "Draft"})
    retired = live("r", "2026-03-31", ALL).retire()
    assert resolve([draft, retired], STAFF).allocations == ()
    assert {a.person for a in resolve([live("p", "2026-03-31", ALL)], STAFF).allocations} == {
        "u1",
        "u2",
    }
    everyone = resolve([live("p", "2026-03-31", ALL)], STAFF, include_inactive=True)
    assert {a.person for a in everyone.allocations} == {"u1", "u2", "u3"}


def test_the_latest_due_date_wins_and_why_says_so() -> None:
    early = live("early", "2025-12-31", TEHSILDAR, apar=True)
    late = live("late", "2026-03-31", ALL)
    draft = live("draft", "2026-03-31", ALL).model_copy(update={"status": "Draft"})
    result = resolve([early, late, draft], STAFF)
    [a] = result.for_person("u1")
    # The later plan's date, and the earlier plan's APAR obligation with it.
    assert (a.plan, a.due, a.apar) == ("late", dt.date(2026, 3, 31), True)
    assert [str(r) for r in result.why("u1")] == [
        "do_1 by 2026-03-31 from plan draft (matched by AllUser): does not count; "
        "the plan is Draft; only Live plans count",
        "do_1 by 2025-12-31 from plan early (matched by Designation 'tehsildar'): does not "
        "count; plan late asks for it by 2026-03-31, later; it still counts for the APAR",
        "do_1 by 2026-03-31 from plan late (matched by AllUser): counts; the latest due date wins",
    ]
    [_draft, only] = result.why("u2")
    assert only.note == "only this plan asks for it"
    assert "inactive" in result.why("u3")[-1].note
    with pytest.raises(UnknownNameError, match="did you mean 'u1'"):
        result.why("u11")


def test_a_tie_goes_to_mandatory_then_apar_then_the_smaller_plan_id() -> None:
    optional = live("a", "2026-03-31", ALL, items=[{"course": "do_1", "mandatory": False}])
    mandatory = live("b", "2026-03-31", ALL)
    apar = live("c", "2026-03-31", ALL, apar=True)
    assert resolve([optional, mandatory], STAFF).for_person("u1")[0].plan == "b"
    assert resolve([mandatory, apar], STAFF).for_person("u1")[0].plan == "c"
    twin = live("a", "2026-03-31", ALL)
    assert resolve([mandatory, twin], STAFF).for_person("u1")[0].plan == "a"
    assert "same date and wins the tie" in resolve([mandatory, twin], STAFF).why("u1")[1].note


def test_designations_and_all_users_stay_within_the_plan_s_organisation() -> None:
    result = resolve([live("p", "2026-03-31", TEHSILDAR)], STAFF)
    assert [a.person for a in result.allocations] == ["u1"]  # not u4 of "other"


def test_conflicting_inputs_are_errors() -> None:
    plan = live("p", "2026-03-31", ALL)
    with pytest.raises(ValidationError, match="given twice"):
        resolve([plan, plan], STAFF)
    moved = Person(id="u1", organisation="other")
    with pytest.raises(ValidationError, match=r"people\[4\]"):
        resolve([plan], [*STAFF, moved])
    assert resolve([plan], [*STAFF, STAFF[0]]) == resolve([plan], STAFF)  # an exact repeat


def test_allocations_as_csv() -> None:
    out = io.StringIO()
    write_allocations_csv(resolve([live("p", "2026-03-31", ALL, apar=True)], STAFF), out)
    assert out.getvalue().splitlines() == [
        "Person,Course,Due Date,Plan,Mandatory,APAR",
        "u1,do_1,2026-03-31,p,Yes,Yes",
        "u2,do_1,2026-03-31,p,Yes,Yes",
    ]


@given(plan_lists, people())
def test_each_allocation_is_the_latest_due_date_and_any_plans_obligations(
    plan_list: list[Plan], staff: list[Person]
) -> None:
    """The rule, as docs/plans.md states it: for each person and course that Live plans
    ask for, the latest due date of those plans, mandatory if any item is, APAR if any
    plan is. Computed here from the plans directly, not with the library's index."""

    def names(plan: Plan, person: Person) -> bool:
        for a in plan.assignments:
            if a.type.value == "AllUser" and person.organisation == plan.organisation:
                return True
            if a.type.value == "CustomUser" and person.id in a.names:
                return True
            if (
                a.type.value == "Designation"
                and person.organisation == plan.organisation
                and person.designation is not None
                and any(
                    "".join(ch for ch in n.casefold() if ch.isalnum())
                    == "".join(ch for ch in person.designation.casefold() if ch.isalnum())
                    for n in a.names
                )
            ):
                return True
        return False

    expected: dict[tuple[str, str], tuple[dt.date, bool, bool]] = {}
    for plan in plan_list:
        if plan.status is not PlanStatus.LIVE:
            continue
        for person in staff:
            if not person.active or not names(plan, person):
                continue
            for item in plan.items:
                due, mandatory, apar = expected.get(
                    (person.id, item.course), (dt.date.min, False, False)
                )
                expected[person.id, item.course] = (
                    max(due, plan.due),
                    mandatory or item.mandatory,
                    apar or plan.apar,
                )
    got = {
        (a.person, a.course): (a.due, a.mandatory, a.apar)
        for a in resolve(plan_list, staff).allocations
    }
    assert got == expected


def test_a_plan_reaches_a_designation_however_its_holders_write_it() -> None:
    """The HR export writes designations by hand: abbreviated, reordered, as an acronym.
    Each is reached, and the resolution says how each was taken, and who no plan names."""
    plan = live(
        "aso",
        "2025-12-31",
        {"type": "Designation", "names": ["Assistant Section Officer", "Lower Division Clerk"]},
    )
    written = {
        "u1": "Assistant Section Officer",
        "u2": "Asst. Section Officer",
        "u3": "Section Officer (Asst.)",
        "u4": "L.D.C.",
        "u5": "Asst. Section Officer",
        "u6": "Peon",
        "u7": "Section Officer",
    }
    people = [Person(id=p, organisation="rev", designation=d) for p, d in written.items()]
    result = resolve([plan], people)
    assert [a.person for a in result.allocations] == ["u1", "u2", "u3", "u4", "u5"]
    assert [str(u) for u in result.designations_spelled_otherwise] == [
        "'Asst. Section Officer' -> 'Assistant Section Officer' (words, 100) (2 people)",
        "'L.D.C.' -> 'Lower Division Clerk' (acronym, 100) (1 person)",
        "'Section Officer (Asst.)' -> 'Assistant Section Officer' (words, 100) (1 person)",
    ]
    assert [u.match.written for u in result.designations_unplanned] == ["Peon", "Section Officer"]
    assert [r.matched_by for r in result.why("u2")] == [
        ("Designation 'Assistant Section Officer', written 'Asst. Section Officer'",)
    ]
    plan.check(people=people)  # a designation someone holds, written otherwise
    hidden = result.pseudonymised(b"k" * 16)
    assert hidden.designations == result.designations  # counts, and no one's name
    assert len(hidden.why(next(a.person for a in hidden.allocations))) == 1


def test_a_states_alias_table_reaches_what_rules_cannot() -> None:
    plan = live("nt", "2025-12-31", {"type": "Designation", "names": ["Naib Tehsildar"]})
    people = [Person(id="u1", organisation="rev", designation="Dy. Tehsildar")]
    assert resolve([plan], people).allocations == ()
    index = DesignationIndex(["Naib Tehsildar"], aliases={"Deputy Tehsildar": "Naib Tehsildar"})
    result = resolve([plan], people, designations=index)
    assert [a.person for a in result.allocations] == ["u1"]
    assert [u.match.how for u in result.designations] == ["alias"]
