"""The framework: validation of every problem at once, look-up, extension and diff."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.competency import (
    CompetencyArea,
    Framework,
    SubTheme,
    Theme,
    default_framework,
)
from karmayogi.errors import AmbiguousNameError, KarmayogiError, UnknownNameError, ValidationError
from tests.builders import designation, needs
from tests.strategies import spelled_differently

KCM = default_framework()


def small() -> Framework:
    return Framework(
        id="demo",
        name="Demo",
        version="1",
        themes=[
            Theme(id="T1", area="Behavioural", name="Communication"),
            Theme(id="T2", area="Functional", name="Office Management"),
        ],
        sub_themes=[
            SubTheme(id="T1.1", theme="T1", name="Active Listening"),
            SubTheme(id="T2.1", theme="T2", name="E-Office"),
        ],
    )


def test_invalid_framework_reports_every_problem_with_its_path() -> None:
    data = {
        "id": "demo",
        "name": "Demo",
        "version": "1",
        "themes": [
            {"id": "T1", "area": "Behavioural", "name": "Communication"},
            {"id": "T1", "area": "Behavioural", "name": "communication!"},
            {"id": "T3", "area": "Wizardry", "name": ""},
        ],
        "sub_themes": [
            {"id": "S1", "theme": "T9", "name": "Orphan"},
        ],
    }
    # Field errors come first (the rule checks need valid fields to run) ...
    with pytest.raises(ValidationError) as info:
        Framework.from_dict(data)
    paths = [p.where.path for p in info.value.problems]
    assert paths == ["themes[2].area", "themes[2].name"]
    assert "Behavioural, Functional, Domain; got 'Wizardry'" in str(info.value)
    # ... and once they are right, every rule is checked and reported together.
    data["themes"][2] = {"id": "T3", "area": "Domain", "name": "Taxation"}  # type: ignore[index]
    with pytest.raises(ValidationError) as info:
        Framework.from_dict(data, file="demo.json")
    problems = info.value.problems
    assert [(p.where.file, p.where.path, p.got) for p in problems] == [
        ("demo.json", "themes[1].id", "T1"),
        ("demo.json", "themes[1].name", "communication!"),
        ("demo.json", "sub_themes[0].theme", "T9"),
    ]
    assert "identifier is already used by themes[0]" in problems[0].message
    assert problems[2].expected == "an identifier in the framework"  # T9 is near none
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, KarmayogiError)


def test_duplicate_sub_theme_names_only_clash_within_a_theme() -> None:
    fw = small().extend(sub_themes=[SubTheme(id="T2.2", theme="T2", name="Active listening")])
    assert fw.find("Office Management", "active listening").id == "T2.2"
    with pytest.raises(ValidationError, match=r"sub_themes\[2\].name"):
        small().extend(sub_themes=[SubTheme(id="T1.2", theme="T1", name="ACTIVE-listening")])


def test_constructor_raises_our_error_too() -> None:
    with pytest.raises(ValidationError) as info:
        Theme(id="has space", area="Behavioural", name="  ")
    assert [p.where.path for p in info.value.problems] == ["id", "name"]


def test_only_domain_themes_have_an_organisation() -> None:
    with pytest.raises(ValidationError, match="only Domain themes belong to an organisation"):
        Theme(id="X", area="Functional", name="Tax", organisation="mdo-tax")


def test_bundled_framework_matches_the_published_counts(kcm: Framework) -> None:
    by_area = {a: [t for t in kcm.themes if t.area is a] for a in CompetencyArea}
    assert len(by_area[CompetencyArea.BEHAVIOURAL]) == 13
    assert len(by_area[CompetencyArea.FUNCTIONAL]) == 22
    assert by_area[CompetencyArea.DOMAIN] == []
    subs = {a: sum(len(kcm.sub_themes_of(t)) for t in ts) for a, ts in by_area.items()}
    assert subs == {
        CompetencyArea.BEHAVIOURAL: 41,
        CompetencyArea.FUNCTIONAL: 71,
        CompetencyArea.DOMAIN: 0,
    }


@pytest.mark.parametrize(
    ("identifier", "path"),
    [
        ("KCM-B01", "Behavioural / Self-Awareness"),
        ("KCM-B01-01", "Behavioural / Self-Awareness / Self-Analysis"),
        ("KCM-B04-02", "Behavioural / Communication / Reading & Comprehension"),
        ("KCM-B13-02", "Behavioural / Decision Making / Sound Judgement"),
        ("KCM-F02-01", "Functional / Policy Architecture / Research & Need Analysis"),
        ("KCM-F04-01", "Functional / Government Program Formulation / Research & Need Analysis"),
        ("KCM-F13-01", "Functional / Office Management / E-Office"),
        ("KCM-F22-01", "Functional / Data Protection / Data Use and Governance"),
    ],
)
def test_bundled_identifiers_are_pinned(kcm: Framework, identifier: str, path: str) -> None:
    """Released identifiers never change: portals store them."""
    assert kcm.get(identifier).path == path


def test_bundled_names_are_the_published_names(kcm: Framework) -> None:
    from tests.conftest import reference_json

    published = reference_json("kcm_taxonomy.json")
    ours = [(t.area.value, t.name, [s.name for s in kcm.sub_themes_of(t)]) for t in kcm.themes]
    theirs = [
        (area["name"], theme["name"], theme["competency_sub_theme"])
        for area in published
        for theme in area["competency_theme"]
    ]
    assert ours == theirs


@given(st.data())
def test_lookup_ignores_case_spacing_punctuation_and_ampersands(data: st.DataObject) -> None:
    competency = data.draw(st.sampled_from([c for c in KCM.competencies() if c.sub_theme]))
    assert competency.sub_theme is not None
    theme = data.draw(spelled_differently(competency.theme.name))
    sub = data.draw(spelled_differently(competency.sub_theme.name))
    assert KCM.find(theme, sub).id == competency.id
    assert KCM.find(theme, area=competency.area).id == competency.theme.id


@pytest.mark.parametrize(
    ("theme", "sub_theme", "expected"),
    [
        ("Communication", "Reading and Comprehension", "KCM-B04-02"),
        ("communication", "reading & comprehension", "KCM-B04-02"),
        ("Office  Management", "e office", "KCM-F13-01"),
        ("Public Procurement GFR", "Procurement Mgmt through GeM", "KCM-F06-01"),
        (None, "Service Excellence wrt citizens", "KCM-B07-03"),
        ("Creativity and Innovation", None, "KCM-B09"),
    ],
)
def test_lookup_examples(
    kcm: Framework, theme: str | None, sub_theme: str | None, expected: str
) -> None:
    assert kcm.find(theme, sub_theme).id == expected


def test_unknown_name_suggests_close_matches(kcm: Framework) -> None:
    with pytest.raises(UnknownNameError) as info:
        kcm.find("Comunication")
    assert info.value.suggestions[0] == "Communication"
    assert "did you mean 'Communication'" in str(info.value)
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownNameError, match="no sub-theme of 'Communication' matches"):
        kcm.find("Communication", "Telepathy")


def test_unknown_identifier_suggests_close_identifiers(kcm: Framework) -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'KCM-B04'"):
        kcm.get("KCM-B4")


def test_ambiguous_sub_theme_lists_each_candidate(kcm: Framework) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        kcm.find(sub_theme="Research & Need Analysis")
    assert info.value.candidates == (
        "Functional / Policy Architecture / Research & Need Analysis",
        "Functional / Government Program Formulation / Research & Need Analysis",
    )


def test_area_narrows_the_search(kcm: Framework) -> None:
    with pytest.raises(UnknownNameError):
        kcm.find("Communication", area="Functional")


def test_find_needs_a_name(kcm: Framework) -> None:
    with pytest.raises(TypeError):
        kcm.find()


def test_domain_themes_belong_to_their_organisation(kcm: Framework) -> None:
    fw = kcm.with_domain("mdo-tax", {"Taxation": ["GST"]}).with_domain(
        "mdo-health", {"Taxation": ["Excise on tobacco"], "Public Health": []}
    )
    assert fw.themes[: len(kcm.themes)] == kcm.themes  # national ones untouched
    assert fw.find("Taxation", organisation="mdo-tax").id == "DOM-mdo-tax-01"
    assert fw.find("taxation", "gst", organisation="mdo-tax").id == "DOM-mdo-tax-01-01"
    assert fw.find("Public Health", organisation="mdo-health").id == "DOM-mdo-health-02"
    with pytest.raises(AmbiguousNameError, match=r"Taxation \(mdo-tax\)"):
        fw.find("Taxation")
    with pytest.raises(UnknownNameError):
        fw.find("Public Health", organisation="mdo-tax")
    # Adding more later continues the numbering, keeping earlier identifiers.
    more = fw.with_domain("mdo-tax", {"Customs": ["Valuation"]})
    assert more.find("Customs", organisation="mdo-tax").id == "DOM-mdo-tax-02"
    assert kcm.find("Communication", organisation="mdo-tax").id == "KCM-B04"


def test_domain_names_must_be_new_for_the_organisation(kcm: Framework) -> None:
    fw = kcm.with_domain("mdo-tax", {"Taxation": []})
    with pytest.raises(ValidationError, match="theme name is already used"):
        fw.with_domain("mdo-tax", {"TAXATION": []})


def test_extend_never_changes_what_is_there() -> None:
    fw = small()
    with pytest.raises(ValidationError) as info:
        fw.extend(
            themes=[Theme(id="T1", area="Behavioural", name="Renamed")],
            sub_themes=[SubTheme(id="T2.1", theme="T2", name="Changed")],
        )
    assert [p.where.path for p in info.value.problems] == ["themes[0].id", "sub_themes[0].id"]


def test_diff_reports_added_removed_renamed_moved_and_edited() -> None:
    old = small()
    new = Framework(
        id="demo",
        name="Demo",
        version="2",
        themes=[
            Theme(id="T1", area="Behavioural", name="Communication Skills", labels={"hi": "संचार"}),
            Theme(id="T3", area="Functional", name="Data Analytics"),
        ],
        sub_themes=[SubTheme(id="T1.1", theme="T3", name="Active Listening")],
    )
    diff = old.diff(new)
    assert [(c.kind, c.id) for c in diff.changes] == [
        ("renamed", "T1"),
        ("edited", "T1"),
        ("removed", "T2"),
        ("moved", "T1.1"),
        ("removed", "T2.1"),
        ("added", "T3"),
    ]
    assert [c.id for c in diff.renamed] == ["T1"]
    assert str(diff.renamed[0]) == (
        "renamed T1: Behavioural / Communication -> Behavioural / Communication Skills"
    )
    assert not old.diff(old)
    assert str(old.diff(old)) == "no changes"


def test_validate_position_names_unknown_competencies(kcm: Framework) -> None:
    position = designation("Section Officer", needs("KCM-B04", 2), needs("KCM-B4-01", 2))
    with pytest.raises(ValidationError) as info:
        kcm.validate_position(position)
    (problem,) = info.value.problems
    assert problem.where.path == "roles[0].requirements[1].competency"
    assert problem.got == "KCM-B4-01"
    assert problem.expected is not None
    assert "KCM-B04-01" in problem.expected


def test_competencies_hash_and_compare_by_value(kcm: Framework) -> None:
    assert len(set(kcm.competencies())) == 35 + 112
    assert kcm.get("KCM-B04") == kcm.find("communication")
    assert {kcm.get("KCM-B04"), kcm.find("Communication")} == {kcm.get("KCM-B04")}


def test_a_copy_is_validated_and_looks_up_its_own_content() -> None:
    fw = small()
    fw.get("T1")  # builds the look-up indexes of the original
    renamed = fw.model_copy(
        update={"themes": (fw.themes[0].model_copy(update={"name": "Speaking"}), fw.themes[1])}
    )
    assert renamed.get("T1").name == "Speaking"
    assert renamed.find("speaking").id == "T1"
    assert fw.get("T1").name == "Communication"
    with pytest.raises(ValidationError, match="not in the framework"):
        fw.model_copy(update={"themes": fw.themes[:1]})  # T2's sub-theme would be orphaned
