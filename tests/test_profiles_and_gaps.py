"""A person's competencies, the rule for which holding counts, and gap analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.competency import (
    CompetencyProfile,
    EvidenceSource,
    Gap,
    Holding,
    ProficiencyLevel,
    Requirement,
    Role,
    default_framework,
    find_gaps,
    gap_table,
)
from karmayogi.errors import ValidationError
from tests.builders import designation, needs
from tests.strategies import profiles, requirements

COMPETENCIES = [c.id for c in default_framework().competencies()][:12]
DAY = dt.date(2025, 6, 1)


def held(
    competency: str,
    level: int,
    source: str = "assessment",
    on: str = "2025-01-01",
    until: str | None = None,
) -> Holding:
    return Holding(
        competency=competency, level=level, source=source, attained_on=on, expires_on=until
    )


def test_more_trusted_evidence_counts_even_when_lower() -> None:
    profile = CompetencyProfile(
        person="u1",
        holdings=[
            held("A", 5, "self-attested"),
            held("A", 2, "assessment"),
            held("A", 3, "course-completion"),
        ],
    )
    assert profile.level("A", on=DAY) is ProficiencyLevel.PROFICIENT


def test_a_later_basic_course_does_not_undo_an_advanced_one() -> None:
    profile = CompetencyProfile(
        person="u1",
        holdings=[
            held("A", 3, "course-completion", on="2024-01-01"),
            held("A", 1, "course-completion", on="2025-03-01"),
        ],
    )
    assert profile.level("A", on=DAY) is ProficiencyLevel.ADVANCED


def test_expired_and_future_holdings_do_not_count() -> None:
    profile = CompetencyProfile(
        person="u1",
        holdings=[
            held("A", 4, on="2024-01-01", until="2025-05-31"),
            held("A", 2, "self-attested", on="2024-01-01"),
            held("A", 5, on="2025-07-01"),
        ],
    )
    assert profile.level("A", on=dt.date(2025, 5, 31)) is ProficiencyLevel.EXPERT  # last day
    assert profile.level("A", on=DAY) is ProficiencyLevel.PROFICIENT
    assert profile.level("A", on=dt.date(2025, 7, 1)) is ProficiencyLevel.USTAD
    assert profile.level("B", on=DAY) is None


def test_expiry_before_attainment_is_a_problem() -> None:
    with pytest.raises(ValidationError, match="expires before it was attained"):
        held("A", 2, on="2025-02-01", until="2025-01-01")


def test_evidence_trust_order() -> None:
    assert sorted(EvidenceSource, key=lambda s: s.trust) == [
        EvidenceSource.SELF_ATTESTED,
        EvidenceSource.COURSE_COMPLETION,
        EvidenceSource.SUPERVISOR,
        EvidenceSource.ASSESSMENT,
    ]


@given(profiles(COMPETENCIES), st.dates(), st.data())
def test_the_holding_that_counts_does_not_depend_on_order(
    profile: CompetencyProfile, day: dt.date, data: st.DataObject
) -> None:
    holdings = data.draw(st.permutations(profile.holdings))
    shuffled = profile.model_copy(update={"holdings": tuple(holdings)})
    assert profile.current(on=day) == shuffled.current(on=day)
    for competency, holding in profile.current(on=day).items():
        assert profile.holding(competency, on=day) == holding


def test_gaps_put_mandatory_first_then_the_largest() -> None:
    role = Role(
        id="r",
        name="Analyst",
        requirements=[
            Requirement(competency="A", level=2, importance="desirable"),
            Requirement(competency="B", level=5, importance="desirable"),
            Requirement(competency="C", level=2),
            Requirement(competency="D", level=4),
            Requirement(competency="E", level=3),
        ],
    )
    profile = CompetencyProfile(person="u1", holdings=[held("D", 2), held("E", 3)])
    assert find_gaps(profile, role, on=DAY) == (
        Gap("C", ProficiencyLevel.PROFICIENT, None, mandatory=True),
        Gap("D", ProficiencyLevel.EXPERT, ProficiencyLevel.PROFICIENT, mandatory=True),
        Gap("B", ProficiencyLevel.USTAD, None, mandatory=False),
        Gap("A", ProficiencyLevel.PROFICIENT, None, mandatory=False),
    )
    assert [g.deficit for g in find_gaps(profile, role, on=DAY)] == [2, 2, 5, 2]


@given(st.data())
def test_holding_every_required_level_leaves_no_gap(data: st.DataObject) -> None:
    needs = data.draw(requirements(COMPETENCIES))
    holdings = [
        held(
            r.competency,
            data.draw(st.integers(int(r.level), 5)),
            data.draw(st.sampled_from(list(EvidenceSource))),
        )
        for r in needs
    ]
    profile = CompetencyProfile(person="u1", holdings=holdings)
    assert find_gaps(profile, needs, on=DAY) == ()


@given(st.data())
def test_raising_a_held_level_never_adds_a_gap(data: st.DataObject) -> None:
    needs = data.draw(requirements(COMPETENCIES))
    profile = data.draw(profiles(COMPETENCIES))
    day = data.draw(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2040, 1, 1)))
    if not profile.holdings:
        return
    i = data.draw(st.integers(0, len(profile.holdings) - 1))
    raised = list(profile.holdings)
    raised[i] = raised[i].model_copy(
        update={"level": ProficiencyLevel(data.draw(st.integers(int(raised[i].level), 5)))}
    )
    before = {g.competency: g.deficit for g in find_gaps(profile, needs, on=day)}
    after = {
        g.competency: g.deficit
        for g in find_gaps(profile.model_copy(update={"holdings": tuple(raised)}), needs, on=day)
    }
    assert after.keys() <= before.keys()
    assert all(after[c] <= before[c] for c in after)


def test_gap_table_counts_people_short_and_mean_deficit() -> None:
    analyst = Role(
        id="r1",
        name="Analyst",
        requirements=[Requirement(competency="A", level=3), Requirement(competency="B", level=2)],
    )
    clerk = designation("Clerk", needs("A", 4))
    u1 = CompetencyProfile(person="u1", holdings=[held("A", 1), held("B", 2)])
    u2 = CompetencyProfile(person="u2", holdings=[held("A", 3)])
    u3 = CompetencyProfile(person="u3")
    table = gap_table(
        [(u1, analyst), (u2, analyst), (u2, clerk), (u3, clerk), (u1, analyst)], on=DAY
    )
    cells = {
        (c.competency, c.group): (c.people_required, c.people_short, c.mean_deficit)
        for c in table.cells
    }
    assert cells == {
        ("A", "Analyst"): (2, 1, 2.0),  # u1 short by 2, u2 meets 3 (u1 given twice, once)
        ("B", "Analyst"): (2, 1, 2.0),  # u2 holds nothing of B
        ("A", "Clerk"): (2, 2, 2.5),  # u2 short by 1, u3 by 4
    }
    totals = {
        c.competency: (c.people_required, c.people_short, c.mean_deficit) for c in table.totals
    }
    # u2 is in both groups but counts once, against the higher level (4).
    assert totals == {"A": (3, 3, (2 + 1 + 4) / 3), "B": (2, 1, 2.0)}
    assert table.competencies == ("A", "B")
    assert table.groups == ("Analyst", "Clerk")
    assert table.matrix() == [[1.0, 2.0], [1.0, 0.0]]
    assert table.matrix("mean_deficit") == [[2.0, 2.5], [2.0, 0.0]]


@given(st.data())
def test_gap_table_ignores_order_and_repetition(data: st.DataObject) -> None:
    people = data.draw(st.lists(profiles(COMPETENCIES), unique_by=lambda p: p.person, max_size=5))
    role_list = [
        Role(id=f"r{i}", name=f"Role {i}", requirements=data.draw(requirements(COMPETENCIES)))
        for i in range(2)
    ]
    pairs = [(p, data.draw(st.sampled_from(role_list))) for p in people]
    shuffled = data.draw(
        st.permutations(
            pairs + data.draw(st.lists(st.sampled_from(pairs)) if pairs else st.just([]))
        )
    )
    first, second = gap_table(pairs, on=DAY), gap_table(shuffled, on=DAY)
    assert sorted(first.cells, key=repr) == sorted(second.cells, key=repr)
    assert sorted(first.totals, key=repr) == sorted(second.totals, key=repr)


def test_gap_table_refuses_one_person_with_two_profiles() -> None:
    role = Role(id="r", name="r", requirements=[Requirement(competency="A", level=1)])
    with pytest.raises(ValidationError, match=r"assignments\[1\].person.*different profile"):
        gap_table(
            [
                (CompetencyProfile(person="u1"), role),
                (CompetencyProfile(person="u1", holdings=[held("A", 1)]), role),
            ]
        )
