"""Role profiles (FRAC) and the platform's rule of thumb."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.competency import (
    Activity,
    FracStatus,
    Framework,
    Importance,
    Position,
    ProficiencyLevel,
    Requirement,
    Role,
    check_rule_of_thumb,
    default_framework,
)
from karmayogi.errors import ValidationError
from tests.builders import designation, needs
from tests.strategies import positions

KCM_IDS = [c.id for c in default_framework().competencies()]


def test_role_rejects_the_same_competency_twice() -> None:
    with pytest.raises(ValidationError) as info:
        Role(
            id="r",
            name="Drafting",
            activities=[
                Activity(id="a1", description="Draft notes"),
                Activity(id="a1", description="Draft letters"),
            ],
            requirements=[
                Requirement(competency="KCM-B04", level=2),
                Requirement(competency="KCM-B04", level=3),
            ],
        )
    assert [(p.where.path, p.got) for p in info.value.problems] == [
        ("activities[1].id", "a1"),
        ("requirements[1].competency", "KCM-B04"),
    ]


def test_position_merges_requirements_across_roles() -> None:
    position = Position(
        id="us",
        name="Under Secretary",
        roles=[
            Role(
                id="r1",
                name="Policy",
                requirements=[
                    Requirement(competency="A", level=2, importance="desirable"),
                    Requirement(competency="B", level=4, importance="desirable"),
                ],
            ),
            Role(
                id="r2",
                name="Admin",
                requirements=[
                    Requirement(competency="A", level=3, importance="desirable"),
                    Requirement(competency="B", level=1, importance="mandatory"),
                    Requirement(competency="C", level=1),
                ],
            ),
        ],
    )
    merged = {r.competency: (int(r.level), r.importance) for r in position.requirements()}
    assert merged == {
        "A": (3, Importance.DESIRABLE),
        "B": (4, Importance.MANDATORY),
        "C": (1, Importance.MANDATORY),
    }


@given(st.data())
def test_merged_requirements_do_not_depend_on_role_order(data: st.DataObject) -> None:
    position = data.draw(positions(KCM_IDS))
    shuffled = position.model_copy(
        update={"roles": tuple(data.draw(st.permutations(position.roles)))}
    )
    assert sorted(position.requirements(), key=lambda r: r.competency) == sorted(
        shuffled.requirements(), key=lambda r: r.competency
    )
    for requirement in position.requirements():
        asked = [
            r
            for role in position.roles
            for r in role.requirements
            if r.competency == requirement.competency
        ]
        assert requirement.level == max(r.level for r in asked)
        assert requirement.mandatory == any(r.mandatory for r in asked)


def test_status_defaults_to_draft_and_takes_the_platforms_words() -> None:
    assert Role(id="r", name="r").status is FracStatus.DRAFT
    assert Role(id="r", name="r", status="VERIFIED").status is FracStatus.VERIFIED


def test_rule_of_thumb_passes_a_well_specified_designation(kcm: Framework) -> None:
    fw = kcm.with_domain("mdo-tax", {f"Tax topic {i}": [] for i in range(6)})
    wanted = (
        [c.id for c in fw.competencies("Behavioural") if c.sub_theme][:4]
        + [c.id for c in fw.competencies("Functional") if c.sub_theme][:4]
        + [t.id for t in fw.themes if t.organisation == "mdo-tax"]
    )
    position = designation("Tax Assistant", *(needs(c, ProficiencyLevel.BASIC) for c in wanted))
    assert check_rule_of_thumb(position, fw) == []


def test_rule_of_thumb_returns_findings_not_errors(kcm: Framework) -> None:
    position = designation(
        "Clerk", needs("KCM-B04-01", 1), needs("KCM-B04-02", 1), needs("NOPE", 1)
    )
    findings = check_rule_of_thumb(position, kcm)
    assert [f.code for f in findings] == [
        "unknown-competency",
        "too-few-competencies",
        "too-few-competencies",
        "too-few-competencies",
    ]
    assert findings[1].message == (
        "Clerk needs 2 Behavioural competencies; the rule of thumb is at least 4"
    )
    assert [f.code for f in check_rule_of_thumb(position, kcm, {"Behavioural": 2})] == [
        "unknown-competency"
    ]
    (short,) = check_rule_of_thumb(position, kcm, {"behavioral": 3, "Functional": 0})[1:]
    assert short.message == (
        "Clerk needs 2 Behavioural competencies; the rule of thumb is at least 3"
    )
