"""The builder: for each designation, the courses that close its gaps at the least total
hours (checked against brute force), what stays open and why, whatever the input order."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.cbp import BuildResult, Catalogue, Course, PlanStatus, build_plans, resolve
from karmayogi.competency import CompetencyProfile, Holding, Position, Requirement
from karmayogi.org import Person

from .builders import designation, needs
from .strategies import COMPETENCIES, catalogues, levels

ORG = "rev"
STAFF = [Person(id=f"u{n}", organisation=ORG, designation="Tehsildar") for n in range(3)]


def course(course_id: str, hours: float, *built: tuple[str, int]) -> Course:
    return Course(
        id=course_id,
        name=course_id,
        duration=round(hours * 3600),
        competencies=[{"competency": c, "level": lv} for c, lv in built],
    )


def build(positions: list[Position], catalogue: Catalogue, **options: object) -> BuildResult:
    return build_plans(positions, STAFF, catalogue, organisation=ORG, year="2025-26", **options)  # type: ignore[arg-type]


requirement_lists = st.lists(
    st.builds(
        Requirement,
        competency=st.sampled_from(COMPETENCIES),
        level=levels,
        importance=st.sampled_from(["mandatory", "desirable"]),
    ),
    unique_by=lambda r: r.competency,
    min_size=1,
    max_size=5,
)


def score(chosen: tuple[Course, ...], reqs: list[Requirement]) -> tuple[int, int, int]:
    """(mandatory gaps closed, gaps closed, -seconds): the order the builder optimises."""
    closed = [r for r in reqs if any(c.builds(r.competency, r.level) for c in chosen)]
    seconds = sum(round(c.duration.total_seconds()) for c in chosen)
    return (sum(r.mandatory for r in closed), len(closed), -seconds)


@settings(max_examples=150)
@given(requirement_lists, catalogues(max_size=7), st.none() | st.integers(0, 60))
def test_the_choice_is_optimal_by_brute_force(
    reqs: list[Requirement], catalogue: Catalogue, cap: int | None
) -> None:
    result = build([designation("Tehsildar", *reqs)], catalogue, hours_cap=cap)
    [selection] = result.selections
    chosen = tuple(catalogue.get(c) for c in selection.courses)
    assert selection.optimal
    # What it claims to close, it closes, at the required level.
    for competency, closers in selection.closes.items():
        level = next(r.level for r in reqs if r.competency == competency)
        assert closers
        assert all(catalogue.get(c).builds(competency, level) for c in closers)
    # Every gap is either closed or reported open, never both.
    opened = {u.competency for u in result.unclosed}
    assert opened.isdisjoint(selection.closes)
    assert opened | set(selection.closes) == {r.competency for r in reqs}
    # No selection within the cap does better.
    budget = None if cap is None else cap * 3600
    best = max(
        score(subset, reqs)
        for n in range(len(catalogue.courses) + 1)
        for subset in itertools.combinations(catalogue.courses, n)
        if budget is None or sum(round(c.duration.total_seconds()) for c in subset) <= budget
    )
    assert score(chosen, reqs) == best
    assert selection.hours == pytest.approx(-best[2] / 3600)


@given(requirement_lists, catalogues(max_size=6), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_input_order(
    reqs: list[Requirement], catalogue: Catalogue, random: object
) -> None:
    positions = [
        designation("Tehsildar", *reqs),
        Position(id="nt", name="Naib Tehsildar", roles=[]),
    ]
    shuffled_courses = list(catalogue.courses)
    random.shuffle(shuffled_courses)  # type: ignore[attr-defined]
    again = build(positions[::-1], Catalogue(courses=shuffled_courses))
    assert build(positions, catalogue) == again


def test_a_worked_choice() -> None:
    catalogue = Catalogue(
        courses=[
            course("do_big", 6, ("KCM-B01", 3), ("KCM-B02", 2), ("KCM-B03", 1)),
            course("do_b1", 2, ("KCM-B01", 3)),
            course("do_b2", 1, ("KCM-B02", 2)),
            course("do_b3", 1, ("KCM-B03", 2)),
            course("do_low", 0.5, ("KCM-B01", 2)),  # below the level asked
        ]
    )
    position = designation(
        "Tehsildar",
        needs("KCM-B01", 3),
        needs("KCM-B02", 2),
        needs("KCM-B03", 1),
        needs("KCM-B04", 1),
    )
    result = build([position], catalogue, due="2026-01-31", apar=True)
    [plan] = result.plans
    assert plan.courses == ("do_b1", "do_b2", "do_b3")  # 4 hours beat 6
    assert plan.due == dt.date(2026, 1, 31)
    assert plan.apar
    assert plan.status is PlanStatus.DRAFT
    assert [a.describe() for a in plan.assignments] == ["Designation 'Tehsildar'"]
    [open_gap] = result.unclosed
    assert (open_gap.competency, open_gap.reason) == (
        "KCM-B04",
        "no course in the catalogue builds it to level 1",
    )
    assert len(resolve([plan.publish(at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))], STAFF)) == 9


def test_a_cap_keeps_mandatory_gaps_first() -> None:
    catalogue = Catalogue(
        courses=[
            course("do_m", 3, ("KCM-B01", 1)),
            course("do_d1", 1, ("KCM-B02", 1)),
            course("do_d2", 1, ("KCM-B03", 1)),
        ]
    )
    position = designation(
        "Tehsildar",
        needs("KCM-B01", 1),
        needs("KCM-B02", 1, "desirable"),
        needs("KCM-B03", 1, "desirable"),
    )
    result = build([position], catalogue, hours_cap=4)
    assert result.plans[0].courses == ("do_d1", "do_m")
    assert [(i.course, i.mandatory) for i in result.plans[0].items] == [
        ("do_d1", False),
        ("do_m", True),
    ]
    [left] = result.unclosed
    assert (left.competency, left.reason) == ("KCM-B03", "over the cap of 4 hours per person")


def test_profiles_narrow_the_gaps_to_what_holders_lack() -> None:
    catalogue = Catalogue(
        courses=[course("do_1", 1, ("KCM-B01", 2)), course("do_2", 1, ("KCM-B02", 2))]
    )
    position = designation("Tehsildar", needs("KCM-B01", 2), needs("KCM-B02", 2))
    held = [Holding(competency="KCM-B01", level=3, source="assessment", attained_on="2025-01-01")]
    profiles = {p.id: CompetencyProfile(person=p.id, holdings=held) for p in STAFF}
    result = build([position], catalogue, profiles=profiles, on=dt.date(2025, 4, 1))
    assert result.plans[0].courses == ("do_2",)
    # One holder without a profile needs everything.
    del profiles["u2"]
    result = build([position], catalogue, profiles=profiles, on=dt.date(2025, 4, 1))
    assert result.plans[0].courses == ("do_1", "do_2")


def test_findings_for_designations_no_one_holds_and_people_without_a_profile() -> None:
    people = [
        *STAFF,
        Person(id="x", organisation=ORG, designation="Patwari"),
        Person(id="y", organisation="other", designation="Collector"),
    ]
    result = build_plans(
        [designation("Tehsildar", needs("KCM-B01", 1)), designation("Collector")],
        people,
        Catalogue(),
        organisation=ORG,
        year="2025-26",
    )
    assert [(f.code, f.message) for f in result.findings] == [
        ("no-holders", "no active person of 'rev' holds 'Collector'; no plan is built for it"),
        (
            "no-role-profile",
            "people of 'rev' holding 'Patwari' have no role profile; no plan is built for them",
        ),
    ]
    assert result.plans == ()  # nothing in the catalogue closes anything
    assert len(result.unclosed) == 1


def test_a_large_role_is_solved_exactly_and_quickly() -> None:
    """Twenty gaps, sixty overlapping courses: the search proves its optimum."""
    competencies = [f"KCM-F{n:02d}" for n in range(1, 21)]
    catalogue = Catalogue(
        courses=[
            course(
                f"do_{n}",
                1 + n % 7,
                *[(competencies[(3 * n + k) % 20], 1 + (n + k) % 3) for k in (0, 5, 11)],
            )
            for n in range(60)
        ]
    )
    position = designation("Tehsildar", *[needs(c, 1) for c in competencies])
    [selection] = build([position], catalogue).selections
    assert selection.optimal
    assert set(selection.closes) == set(competencies)


def test_holders_are_found_however_they_write_the_designation() -> None:
    people = [
        Person(id="u1", organisation=ORG, designation="Asst. Section Officer"),
        Person(id="u2", organisation=ORG, designation="Section Officer (Asst.)"),
        Person(id="u3", organisation=ORG, designation="Section Officer"),
    ]
    position = designation("Assistant Section Officer", needs("X", 2))
    catalogue = Catalogue(courses=[course("do_1", 1, ("X", 2))])
    result = build_plans([position], people, catalogue, organisation=ORG, year="2025-26")
    assert [p.courses for p in result.plans] == [("do_1",)]
    assert [f.message for f in result.findings] == [
        f"people of {ORG!r} holding 'Section Officer' have no role profile; no plan is built "
        "for them"
    ]
    live = result.plans[0].model_copy(
        update={"status": PlanStatus.LIVE, "published_at": dt.datetime(2025, 4, 1, tzinfo=dt.UTC)}
    )
    assert [a.person for a in resolve([live], people).allocations] == ["u1", "u2"]
