"""A pathway for one person: the courses, in order, that close their gaps at the least
hours, counting what they completed and what plans already allocate them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.cbp import Allocation, Catalogue, Course
from karmayogi.competency import CompetencyProfile, Holding, Requirement
from karmayogi.errors import NoMatchError
from karmayogi.pathways import pathway
from karmayogi.progress import Enrolment, Ledger, Status

ON = dt.date(2025, 6, 1)


def course(ident: str, minutes: int, *built: tuple[str, int], **extra: Any) -> Course:
    return Course(
        id=ident,
        name=f"Course {ident}",
        duration=minutes * 60,
        competencies=[{"competency": c, "level": level} for c, level in built],
        **extra,
    )


def need(competency: str, level: int, *, mandatory: bool = True) -> Requirement:
    importance = "mandatory" if mandatory else "desirable"
    return Requirement(competency=competency, level=level, importance=importance)


def done(person: str, course_name: str, on: dt.date) -> Enrolment:
    return Enrolment(
        person=person,
        course=course_name,
        status=Status.COMPLETED,
        progress=100,
        completed_at=dt.datetime.combine(on, dt.time(12), dt.UTC),
    )


ME = CompetencyProfile(person="u1")


def test_the_cheapest_course_that_reaches_the_level_and_why() -> None:
    catalogue = Catalogue(
        courses=[
            course("do_1", 45, ("X", 3)),
            course("do_2", 30, ("X", 2)),
            course("do_3", 90, ("X", 4)),
        ]
    )
    path = pathway(ME, [need("X", 3)], catalogue, on=ON)
    assert path.courses == ("do_1",)
    assert path.steps[0].reason == "closes X from none to Advanced; 45 min"
    assert path.open == ()
    assert path.hours == 0.75


def test_completions_in_the_ledger_are_holdings_and_not_offered_again() -> None:
    """A completed course builds what it builds, from the day it was done; the ledger
    names it by title, and the catalogue knows the title."""
    catalogue = Catalogue(
        courses=[course("do_1", 45, ("X", 2), ("Y", 1)), course("do_2", 60, ("Y", 3))]
    )
    ledger = Ledger([done("u1", "course DO_1", dt.date(2025, 5, 1))])
    path = pathway(ME, [need("X", 2), need("Y", 3)], catalogue, ledger=ledger, on=ON)
    assert path.completed == ("do_1",)
    assert path.courses == ("do_2",)
    assert [str(c) for c in path.steps[0].closes] == ["Y from Basic to Advanced"]
    assert str(path.matches[0]) == "u1's completions in the catalogue: 1 of 1 matched (100%)"
    # Before it was completed, it counted for nothing.
    before = pathway(
        ME, [need("X", 2), need("Y", 3)], catalogue, ledger=ledger, on=dt.date(2025, 4, 1)
    )
    assert before.completed == ()
    assert set(before.courses) == {"do_1", "do_2"}


def test_completions_the_catalogue_does_not_know_are_an_error_that_says_so() -> None:
    catalogue = Catalogue(courses=[course("do_1", 45, ("X", 2))])
    ledger = Ledger([done("u1", "Some other course", dt.date(2025, 5, 1))])
    with pytest.raises(NoMatchError, match="u1's completions in the catalogue: none of 1"):
        pathway(ME, [need("X", 2)], catalogue, ledger=ledger, on=ON)


def test_an_allocated_course_is_a_step_and_its_gaps_are_not_closed_twice() -> None:
    catalogue = Catalogue(
        courses=[
            course("do_1", 30, ("X", 2)),
            course("do_2", 120, ("X", 3), ("Y", 2)),
            course("do_3", 20, ("Y", 2)),
        ]
    )
    allocations = [
        Allocation("u1", "do_2", dt.date(2025, 9, 30), "plan-a", mandatory=True, apar=False),
        Allocation("u2", "do_1", dt.date(2025, 9, 30), "plan-a", mandatory=True, apar=False),
    ]
    path = pathway(ME, [need("X", 3), need("Y", 2)], catalogue, allocations=allocations, on=ON)
    assert path.courses == ("do_2",)
    step = path.steps[0]
    assert (step.allocated_by, step.due) == ("plan-a", dt.date(2025, 9, 30))
    assert step.reason == (
        "allocated by plan plan-a; closes X from none to Advanced, Y from none to Proficient; 2 h"
    )


def test_prerequisites_come_first_and_count_in_the_hours() -> None:
    catalogue = Catalogue(
        courses=[
            course("adv", 60, ("X", 4), prerequisites=["intro"]),
            course("intro", 30),
            course("long", 200, ("X", 4)),
        ]
    )
    path = pathway(ME, [need("X", 4)], catalogue, on=ON)
    assert path.courses == ("intro", "adv")  # 90 minutes with the prerequisite, not 200
    assert path.steps[0].reason == "needed before adv; 30 min"


def test_a_lower_level_comes_before_a_higher_one_and_mandatory_first() -> None:
    catalogue = Catalogue(
        courses=[
            course("z-basic", 30, ("X", 1), ("Y", 2)),
            course("a-advanced", 60, ("X", 3)),
            course("m-desirable", 10, ("Z", 2)),
        ]
    )
    needs = [need("X", 3), need("Y", 2), need("Z", 2, mandatory=False)]
    path = pathway(ME, needs, catalogue, on=ON)
    assert path.courses == ("z-basic", "a-advanced", "m-desirable")


def test_a_budget_leaves_gaps_open_and_says_why() -> None:
    catalogue = Catalogue(courses=[course("do_1", 60, ("X", 2)), course("do_2", 60, ("Y", 2))])
    path = pathway(
        ME, [need("X", 2), need("Y", 2, mandatory=False), need("W", 1)], catalogue, hours=1.5, on=ON
    )
    assert path.courses == ("do_1",)
    assert [str(gap) for gap in path.open] == [
        "W (none of Basic): no course in the catalogue builds it to level 1",
        "Y (none of Proficient): over the budget of 1.5 hours",
    ]


def test_a_due_date_is_shared_out_over_the_steps_by_hours() -> None:
    catalogue = Catalogue(courses=[course("a", 60, ("X", 2)), course("b", 180, ("Y", 2))])
    path = pathway(ME, [need("X", 2), need("Y", 2)], catalogue, due="2025-09-01", on=ON)
    # 92 days; a is a quarter of the hours, b the rest.
    assert [(s.course, s.due) for s in path.steps] == [
        ("a", dt.date(2025, 6, 24)),
        ("b", dt.date(2025, 9, 1)),
    ]


# --- Properties, on small cases --------------------------------------------------------

COMPETENCIES = ["A", "B", "C", "D"]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Catalogue, list[Requirement], CompetencyProfile, float | None]:
    courses = [
        course(
            f"c{n}",
            draw(st.integers(1, 12)) * 10,
            *draw(
                st.lists(
                    st.tuples(st.sampled_from(COMPETENCIES), st.integers(1, 5)),
                    max_size=3,
                    unique_by=lambda pair: pair[0],
                )
            ),
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    needs = [
        need(c, draw(st.integers(1, 5)), mandatory=draw(st.booleans()))
        for c in draw(st.lists(st.sampled_from(COMPETENCIES), unique=True, max_size=4))
    ]
    holdings = [
        Holding(
            competency=c,
            level=draw(st.integers(1, 5)),
            source="assessment",
            attained_on="2025-01-01",
        )
        for c in draw(st.lists(st.sampled_from(COMPETENCIES), unique=True, max_size=2))
    ]
    budget = draw(st.none() | st.integers(0, 4).map(lambda h: h * 0.5))
    return (
        Catalogue(courses=courses),
        needs,
        CompetencyProfile(person="u1", holdings=holdings),
        budget,
    )


@settings(max_examples=150)
@given(cases(), st.randoms(use_true_random=False))
def test_the_pathway_closes_what_it_claims_and_nothing_is_cheaper(
    case: tuple[Catalogue, list[Requirement], CompetencyProfile, float | None], rng: Any
) -> None:
    catalogue, needs, profile, budget = case
    path = pathway(profile, needs, catalogue, hours=budget, on=ON)
    held = {h.competency: int(h.level) for h in profile.holdings}
    gaps = {r.competency: r for r in needs if held.get(r.competency, 0) < int(r.level)}
    courses = {c.id: c for c in catalogue.courses}

    def closes(course_id: str, competency: str) -> bool:
        level = int(gaps[competency].level)
        return any(
            b.competency == competency and int(b.level) >= level
            for b in courses[course_id].competencies
        )

    # Every closing claimed is true, and what is open is what no step closes.
    claimed = {c.competency for step in path.steps for c in step.closes}
    for step in path.steps:
        for closing in step.closes:
            assert closes(step.course, closing.competency)
    assert claimed | {g.competency for g in path.open} == set(gaps)
    assert not claimed & {g.competency for g in path.open}

    # No set of courses does better: more mandatory gaps, more gaps, or fewer minutes.
    def score(chosen: tuple[str, ...]) -> tuple[int, int, int]:
        closed = {g for g in gaps if any(closes(c, g) for c in chosen)}
        minutes = sum(round(courses[c].duration.total_seconds()) for c in chosen)
        return (sum(gaps[g].mandatory for g in closed), len(closed), -minutes)

    within = [
        subset
        for size in range(len(courses) + 1)
        for subset in itertools.combinations(sorted(courses), size)
        if budget is None
        or sum(courses[c].duration.total_seconds() for c in subset) <= budget * 3600
    ]
    assert score(path.courses) == max(map(score, within))
    assert path.optimal

    # The order of the inputs does not matter.
    shuffled = list(catalogue.courses)
    rng.shuffle(shuffled)
    again = pathway(
        profile, list(reversed(needs)), Catalogue(courses=shuffled), hours=budget, on=ON
    )
    assert again == path


def test_a_completed_prerequisite_is_not_taken_again_though_it_builds_nothing() -> None:
    catalogue = Catalogue(
        courses=[course("adv", 60, ("X", 3), prerequisites=["intro"]), course("intro", 30)]
    )
    ledger = Ledger([done("u1", "intro", dt.date(2025, 5, 1))])
    path = pathway(ME, [need("X", 3)], catalogue, ledger=ledger, on=ON)
    assert path.courses == ("adv",)
    assert path.completed == ("intro",)
    assert path.steps[0].needed_before == ()
