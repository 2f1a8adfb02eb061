"""Proficiency levels and competency areas parse the ways people write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.competency import CompetencyArea, ProficiencyLevel


@pytest.mark.parametrize(
    ("written", "level"),
    [
        (3, ProficiencyLevel.ADVANCED),
        ("3", ProficiencyLevel.ADVANCED),
        ("L3", ProficiencyLevel.ADVANCED),
        ("l 3", ProficiencyLevel.ADVANCED),
        ("Level 3", ProficiencyLevel.ADVANCED),
        ("level-3", ProficiencyLevel.ADVANCED),
        ("advanced", ProficiencyLevel.ADVANCED),
        (" ADVANCED ", ProficiencyLevel.ADVANCED),
        (3.0, ProficiencyLevel.ADVANCED),
        ("3.0", ProficiencyLevel.ADVANCED),
        (1, ProficiencyLevel.BASIC),
        ("Ustad", ProficiencyLevel.USTAD),
        ("Proficient", ProficiencyLevel.PROFICIENT),
        ("Expert", ProficiencyLevel.EXPERT),
    ],
)
def test_level_parses_common_spellings(written: int | float | str, level: ProficiencyLevel) -> None:
    assert ProficiencyLevel.parse(written) is level


@pytest.mark.parametrize("bad", [0, 6, -1, True, 3.5, "", "L0", "Level 6", "master", "33", "3 4"])
def test_level_rejects_with_expected_and_got(bad: object) -> None:
    with pytest.raises(ValueError, match=r"proficiency level must be 1-5.*got") as info:
        ProficiencyLevel.parse(bad)  # type: ignore[arg-type]
    assert repr(bad) in str(info.value)


@given(st.sampled_from(ProficiencyLevel))
def test_level_round_trips_through_each_spelling(level: ProficiencyLevel) -> None:
    for written in (
        int(level),
        str(int(level)),
        f"L{int(level)}",
        f"Level {int(level)}",
        level.label,
        level.label.upper(),
    ):
        assert ProficiencyLevel.parse(written) is level


def test_level_labels_follow_frac() -> None:
    assert [level.label for level in ProficiencyLevel] == [
        "Basic",
        "Proficient",
        "Advanced",
        "Expert",
        "Ustad",
    ]


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("Behavioural", CompetencyArea.BEHAVIOURAL),
        ("behavioral", CompetencyArea.BEHAVIOURAL),
        ("BEHAVIOURAL", CompetencyArea.BEHAVIOURAL),
        ("COMAREA-000001", CompetencyArea.BEHAVIOURAL),
        ("comarea-000002", CompetencyArea.DOMAIN),
        ("COMAREA-000003", CompetencyArea.FUNCTIONAL),
        (" functional ", CompetencyArea.FUNCTIONAL),
    ],
)
def test_area_parses_names_and_platform_ids(written: str, area: CompetencyArea) -> None:
    assert CompetencyArea.parse(written) is area


def test_area_platform_ids_are_the_platforms() -> None:
    assert {a.value: a.platform_id for a in CompetencyArea} == {
        "Behavioural": "COMAREA-000001",
        "Domain": "COMAREA-000002",
        "Functional": "COMAREA-000003",
    }


def test_unknown_area_lists_the_areas() -> None:
    with pytest.raises(ValueError, match="Behavioural, Functional, Domain; got 'Technical'"):
        CompetencyArea.parse("Technical")
