"""1EdTech CASE: exports validate against CASE 1.1; imports take 1.0 and bent 1.1
packages, reporting each bend as a finding."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.competency import CompetencyArea, Framework, SubTheme, Theme
from karmayogi.errors import ValidationError
from tests.conftest import reference_json
from tests.strategies import DeepPackage, case_packages, frameworks

DATA = Path(__file__).parent / "data"
WHEN = dt.datetime(2025, 4, 1, 9, 30, tzinfo=dt.UTC)


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = reference_json(name)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_case_1_1(package: dict[str, Any]) -> None:
    errors = sorted(validator("case-v1p1-cfpackage-schema.json").iter_errors(package), key=str)
    assert errors == [], errors[0].message if errors else ""


def test_bundled_framework_exports_valid_case_1_1(kcm: Framework) -> None:
    package = kcm.to_case(changed_at=WHEN)
    assert_valid_case_1_1(package)
    items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    assert items["KCM-B04-02"]["fullStatement"] == "Reading & Comprehension"
    assert items["COMAREA-000001"]["CFItemType"] == "Competency Area"
    assert package["CFDocument"]["title"] == "Karmayogi Competency Model"
    assert len(package["CFItems"]) == 2 + 35 + 112
    assert len(package["CFAssociations"]) == len(package["CFItems"])


def test_export_is_deterministic_and_takes_a_base_uri(kcm: Framework) -> None:
    assert kcm.to_case(changed_at=WHEN) == kcm.to_case(changed_at=WHEN)
    package = kcm.to_case(base_uri="https://portal.example.gov.in/case/", changed_at=WHEN)
    item = package["CFItems"][0]
    assert item["uri"] == f"https://portal.example.gov.in/case/CFItems/{item['identifier']}"
    assert kcm.to_case(changed_at=WHEN)["CFItems"][0]["uri"] == f"urn:uuid:{item['identifier']}"


def test_export_needs_an_aware_change_time(kcm: Framework) -> None:
    with pytest.raises(ValueError, match="time zone"):
        kcm.to_case(changed_at=dt.datetime(2025, 4, 1))  # noqa: DTZ001 - the point of the test


def grouped(framework: Framework) -> Framework:
    """The framework in the order a CASE tree holds it: themes by area, sub-themes by
    theme, each otherwise as given."""
    themes = sorted(framework.themes, key=lambda t: list(CompetencyArea).index(t.area))
    position = {t.id: i for i, t in enumerate(themes)}
    subs = sorted(framework.sub_themes, key=lambda s: position[s.theme])
    return framework.model_copy(update={"themes": tuple(themes), "sub_themes": tuple(subs)})


@settings(max_examples=40)
@given(frameworks())
def test_case_round_trip(framework: Framework) -> None:
    package = framework.to_case(changed_at=WHEN)
    assert_valid_case_1_1(package)
    imported = Framework.from_case(json.loads(json.dumps(package)))
    assert imported.findings == ()
    assert imported.value == grouped(framework)
    assert Framework.from_case(imported.value.to_case(changed_at=WHEN)).value == imported.value


def test_imports_a_case_1_0_package_and_says_so() -> None:
    package = json.loads((DATA / "case-1.0-package.json").read_text(encoding="utf-8"))
    errors = list(validator("case-v1p0-cfpackage-schema.json").iter_errors(package))
    assert errors == []  # the test package really is CASE 1.0
    imported = Framework.from_case(package, organisation="revenue-dept")
    fw = imported.value
    assert (fw.name, fw.version, fw.id) == (
        "State Revenue Department competencies",
        "2024.2",
        "State-Revenue-Department-competencies",
    )
    assert [(t.id, t.name, t.area, t.organisation) for t in fw.themes] == [
        ("REV-01", "Land Records", CompetencyArea.DOMAIN, "revenue-dept"),
        ("REV-02", "Revenue Courts", CompetencyArea.DOMAIN, "revenue-dept"),
    ]
    # sequenceNumber orders siblings, whatever the order in the file.
    assert [s.name for s in fw.sub_themes_of("REV-01")] == [
        "Mutation of land records",
        "Survey and settlement",
    ]
    assert fw.get("REV-01.1").sub_theme.description.startswith("Recording")  # type: ignore[union-attr]
    assert [f.code for f in imported.findings] == ["case-1.0"]
    assert "CFPackageURI" in imported.findings[0].message


def bent_package() -> dict[str, Any]:
    """A CASE 1.1 package bent the ways real ones are."""
    doc = "https://case.example.org/uri/doc"

    def item(ident: str, statement: str, **extra: Any) -> dict[str, Any]:
        return {
            "identifier": ident,
            "uri": f"https://case.example.org/uri/{ident}",
            "fullStatement": statement,
            "lastChangeDateTime": "2025-01-01T00:00:00Z",
            **extra,
        }

    def child(
        ident: str, origin: str, destination: str, seq: int | None = None, kind: str = "isChildOf"
    ) -> dict[str, Any]:
        assoc: dict[str, Any] = {
            "identifier": ident,
            "uri": f"https://case.example.org/uri/{ident}",
            "associationType": kind,
            "originNodeURI": {"title": origin, "identifier": origin, "uri": origin},
            "destinationNodeURI": {
                "title": destination,
                "identifier": destination,
                "uri": destination,
            },
            "lastChangeDateTime": "2025-01-01T00:00:00Z",
        }
        if seq is not None:
            assoc["sequenceNumber"] = seq
        return assoc

    return {
        "CFDocument": {
            "identifier": doc,
            "uri": doc,
            "creator": "A state ATI",
            "title": "ATI Framework",
            "lastChangeDateTime": "2025-01-01T00:00:00Z",
            "caseVersion": "1.1",
        },
        "CFItems": [
            item("b", "Behavioural"),
            item("b1", "Communication", humanCodingScheme="ATI B1"),
            item("b1a", "Drafting"),
            item("b1a-i", "Drafting of notes"),
            item("b1b", "drafting!"),
            item("f", "Functional"),
            item("f1", "Project Management"),
            item("loose", "Never placed"),
            item("c1", "Cycle one"),
            item("c2", "Cycle two"),
            {"fullStatement": "no identifier"},
        ],
        "CFAssociations": [
            child("x1", "b", doc, 1),
            child("x2", "b1", "b", 1),
            child("x3", "b1a", "b1", 1),
            child("x4", "b1a-i", "b1a", 1),
            child("x5", "b1b", "b1", 2),
            child("x6", "f", doc, 2),
            {**child("x7", "f1", "f"), "originNodeURI": "f1"},  # a bare URI, not a link
            child("x8", "f1", "b"),  # a second parent
            child("x9", "c1", "c2"),
            child("x10", "c2", "c1"),
            child("x11", "b1", "f1", kind="exactMatchOf"),
            child("x12", "ghost", "b"),
        ],
        "CFRubrics": [],
        "CFPackageURI": "https://case.example.org/uri/doc",
    }


def test_bent_package_imports_with_a_finding_per_bend() -> None:
    imported = Framework.from_case(bent_package())
    fw = imported.value
    assert [c.path for c in fw.competencies()] == [
        "Behavioural / Communication",
        "Behavioural / Communication / Drafting",
        "Functional / Project Management",
    ]
    assert fw.themes[0].id == "b1"  # "ATI B1" has a space, so the CASE identifier is kept
    codes = {f.code: f.message for f in imported.findings}
    assert set(codes) == {
        "unknown-field",
        "not-uuid",
        "unusable-item",
        "dangling-association",
        "several-parents",
        "not-in-tree",
        "too-deep",
        "duplicate-name",
        "no-version",
    }
    assert "'c1'" in codes["not-in-tree"]
    assert "'loose'" in codes["not-in-tree"]
    assert "Drafting of notes" in codes["too-deep"]
    assert "drafting!" in codes["duplicate-name"]
    assert codes["unusable-item"].startswith("items without an identifier were left out")
    # All else is kept, and written back as it came: only the item that nothing could
    # name is gone.
    package = bent_package()
    package["CFItems"] = [i for i in package["CFItems"] if "identifier" in i]
    assert fw.to_case() == package


def test_package_without_a_tree_makes_every_item_a_theme() -> None:
    package = bent_package()
    del package["CFAssociations"]
    imported = Framework.from_case(package, default_area="Functional")
    assert "no-tree" in {f.code for f in imported.findings}
    assert all(t.area is CompetencyArea.FUNCTIONAL for t in imported.value.themes)


@pytest.mark.parametrize("package", [{}, {"CFDocument": {}}, {"CFDocument": "x"}, []])
def test_package_without_a_document_is_an_error(package: Any) -> None:
    with pytest.raises(ValidationError, match="has no CFDocument with a title"):
        Framework.from_case(package)


def test_import_does_not_change_its_input_nor_share_it() -> None:
    package = bent_package()
    before = copy.deepcopy(package)
    fw = Framework.from_case(package).value
    assert package == before
    package["CFItems"][0]["fullStatement"] = "changed by the caller later"
    assert fw.to_case()["CFItems"][0]["fullStatement"] == "Behavioural"


def test_unusable_own_identifier_falls_back_to_the_title() -> None:
    package = bent_package()
    package["CFDocument"]["extensions"] = {"karmayogi": {"id": "has spaces in it"}}
    assert Framework.from_case(package).value.id == "ATI-Framework"


def test_items_under_a_left_out_item_are_said_one_by_one() -> None:
    """A repeated theme is not a competency, nor its sub-theme and the item under that;
    each is a finding, by name, and all three are kept and written back."""
    package = bent_package()
    items, links = package["CFItems"], package["CFAssociations"]
    twin = {**items[1], "identifier": "b1-twin", "uri": "u:b1-twin", "humanCodingScheme": None}
    below = {**items[2], "identifier": "twin-sub", "uri": "u:twin-sub", "fullStatement": "Tone"}
    deeper = {**items[2], "identifier": "twin-deep", "uri": "u:twin-deep",
              "fullStatement": "Tone in letters"}  # fmt: skip
    items += [twin, below, deeper]

    def link(ident: str, origin: str, destination: str) -> dict[str, Any]:
        return {**links[0], "identifier": ident, "sequenceNumber": 9,
                "originNodeURI": {"identifier": origin, "uri": origin, "title": origin},
                "destinationNodeURI": {"identifier": destination, "uri": destination,
                                       "title": destination}}  # fmt: skip

    links += [link("t1", "b1-twin", "b"), link("t2", "twin-sub", "b1-twin"),
              link("t3", "twin-deep", "twin-sub")]  # fmt: skip
    imported = Framework.from_case(package)
    findings = {f.code: f.message for f in imported.findings}
    assert "'Communication'" in findings["duplicate-name"]
    assert findings["left-with-parent"] == (
        "items under an item that is not a competency are not competencies; kept in "
        "framework.case and written back (2: 'Tone', 'Tone in letters')"
    )
    assert [i["identifier"] for i in imported.value.to_case()["CFItems"][-3:]] == [
        "b1-twin",
        "twin-sub",
        "twin-deep",
    ]


def test_a_sequence_number_written_as_text_orders_as_the_number() -> None:
    package = bent_package()
    for link, seq in zip(package["CFAssociations"][:2], ["2", " 1 "], strict=True):
        link["sequenceNumber"] = seq  # "b" second, under the document, as text says
    package["CFAssociations"][5]["sequenceNumber"] = "1.5"  # "f" between them
    themes = Framework.from_case(package).value.themes
    assert [t.name for t in themes][:2] == ["Project Management", "Communication"]


# --- Without loss: a package read is written back whole ---------------------------------


@settings(max_examples=60)
@given(case_packages())
def test_a_deep_package_round_trips_whole(deep: DeepPackage) -> None:
    """Every item, association, attribute and part comes back as it came, through the
    framework and through its JSON; the competencies are the package's areas, themes and
    sub-themes, and what is below a sub-theme is kept below it."""
    package = json.loads(json.dumps(deep.package))
    imported = Framework.from_case(package)
    fw = imported.value
    assert [c.path for c in fw.competencies()] == deep.paths
    assert fw.to_case(changed_at=WHEN) == deep.package
    assert Framework.from_json(fw.to_json()).to_case(changed_at=WHEN) == deep.package
    assert fw.case is not None
    for competency in fw.competencies():
        if competency.sub_theme is not None:
            below = [i["identifier"] for i in fw.case.below(competency.id)]
            assert below == deep.below[competency.path]
    deep_items = [i for found in deep.below.values() for i in found]
    too_deep = next((f for f in imported.findings if f.code == "too-deep"), None)
    assert (too_deep is not None) == bool(deep_items)
    assert {f.code for f in imported.findings} <= {"too-deep"}


@settings(max_examples=10)
@given(case_packages())
def test_generated_packages_are_case_1_1(deep: DeepPackage) -> None:
    """The packages the round trip is shown on are CASE 1.1, as 1EdTech's schema says."""
    assert_valid_case_1_1(deep.package)


URI = "https://case.example.org/uri"


def deep_package() -> dict[str, Any]:
    """Behavioural > Communication > {Drafting > {Notes on file > Uses the template},
    Listening}, and Functional > Budgeting; an exactMatchOf from Drafting elsewhere and a
    precedes from Listening to Drafting."""
    doc = "8f0b1c9e-0000-4000-8000-000000000000"

    def ident(n: int) -> str:
        return f"8f0b1c9e-0000-4000-8000-{n:012d}"

    def item(n: int, statement: str, **extra: Any) -> dict[str, Any]:
        return {
            "identifier": ident(n),
            "uri": f"{URI}/{ident(n)}",
            "fullStatement": statement,
            "lastChangeDateTime": "2025-01-01T00:00:00Z",
            "CFItemType": "Competency",
            **extra,
        }

    def link(n: int) -> dict[str, str]:
        if n == 0:  # the document
            return {"title": "KB", "identifier": doc, "uri": f"{URI}/{doc}"}
        return {"title": str(n), "identifier": ident(n), "uri": f"{URI}/{ident(n)}"}

    def assoc(n: int, origin: int, destination: int, kind: str = "isChildOf") -> dict[str, Any]:
        return {
            "identifier": ident(100 + n),
            "uri": f"{URI}/a{n}",
            "associationType": kind,
            "sequenceNumber": n,
            "originNodeURI": link(origin),
            "destinationNodeURI": link(destination),
            "lastChangeDateTime": "2025-01-01T00:00:00Z",
        }

    return {
        "CFDocument": {
            "identifier": doc,
            "uri": f"{URI}/{doc}",
            "creator": "A state ATI",
            "title": "KB",
            "version": "3",
            "lastChangeDateTime": "2025-01-01T00:00:00Z",
            "caseVersion": "1.1",
        },
        "CFItems": [
            item(1, "Behavioural"),
            item(2, "Communication", educationLevel=["PG"]),
            item(3, "Drafting", notes="Writing for the file"),
            item(4, "Notes on file"),
            item(5, "Uses the template", CFItemType="Indicator"),
            item(6, "Listening"),
            item(7, "Functional"),
            item(8, "Budgeting"),
        ],
        "CFAssociations": [
            assoc(1, 1, 0),
            assoc(2, 2, 1),
            assoc(3, 3, 2),
            assoc(4, 4, 3),
            assoc(5, 5, 4),
            assoc(6, 6, 2),
            assoc(7, 7, 0),
            assoc(8, 8, 7),
            assoc(9, 3, 99, "exactMatchOf"),
            assoc(10, 6, 3, "precedes"),
        ],
    }


def items_of(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["fullStatement"]: i for i in package["CFItems"]}


def test_a_change_is_written_into_the_package_it_came_from() -> None:
    """A renamed sub-theme changes its own item; the rest, and every identifier, stay."""
    source = deep_package()
    fw = Framework.from_case(source).value
    drafting = fw.find("communication", "drafting")
    renamed = fw.model_copy(
        update={
            "sub_themes": [
                s.model_copy(update={"name": "Drafting notes"}) if s.id == drafting.id else s
                for s in fw.sub_themes
            ]
        }
    )
    out = renamed.to_case(changed_at=WHEN)
    was, now = items_of(source), items_of(out)
    assert now["Drafting notes"] == {
        **was["Drafting"],
        "fullStatement": "Drafting notes",
        "lastChangeDateTime": WHEN.isoformat(),
    }
    assert {k: v for k, v in now.items() if k != "Drafting notes"} == {
        k: v for k, v in was.items() if k != "Drafting"
    }
    assert out["CFAssociations"] == source["CFAssociations"]
    assert out["CFDocument"] == {**source["CFDocument"], "lastChangeDateTime": WHEN.isoformat()}


def test_a_removed_theme_goes_with_all_below_it_and_its_associations() -> None:
    source = deep_package()
    fw = Framework.from_case(source).value
    communication = fw.find("communication")
    fewer = fw.model_copy(
        update={
            "themes": [t for t in fw.themes if t.id != communication.id],
            "sub_themes": [s for s in fw.sub_themes if s.theme != communication.id],
        }
    )
    out = fewer.to_case(changed_at=WHEN)
    assert list(items_of(out)) == ["Behavioural", "Functional", "Budgeting"]
    kept = {i["identifier"] for i in out["CFItems"]}
    # every association that touched a removed item is gone; the others stay as they were
    assert out["CFAssociations"] == [
        a for a in source["CFAssociations"] if a["originNodeURI"]["identifier"] in kept
    ]
    assert [a["identifier"][-3:] for a in out["CFAssociations"]] == ["101", "107", "108"]


def test_a_sub_theme_moved_out_of_a_removed_theme_stays() -> None:
    source = deep_package()
    fw = Framework.from_case(source).value
    communication, budgeting = fw.find("communication"), fw.find("budgeting")
    listening = fw.find("communication", "listening")
    out = fw.model_copy(
        update={
            "themes": [t for t in fw.themes if t.id != communication.id],
            "sub_themes": [listening.sub_theme.model_copy(update={"theme": budgeting.id})],  # type: ignore[union-attr]
        }
    ).to_case(changed_at=WHEN)
    assert list(items_of(out)) == ["Behavioural", "Listening", "Functional", "Budgeting"]
    assert [c.path for c in Framework.from_case(out).value.competencies()] == [
        "Functional / Budgeting",
        "Functional / Budgeting / Listening",
    ]


def test_added_and_moved_competencies_take_their_place_in_the_tree() -> None:
    """A new sub-theme gets a new item under its theme's own item, with the next
    sequence number; a sub-theme moved to another theme has its isChildOf re-pointed;
    the items below it move with it."""
    source = deep_package()
    fw = Framework.from_case(source).value
    budgeting, drafting = fw.find("budgeting"), fw.find("communication", "drafting")
    moved = fw.model_copy(
        update={
            "sub_themes": [
                s.model_copy(update={"theme": budgeting.id}) if s.id == drafting.id else s
                for s in fw.sub_themes
            ]
        }
    ).extend(sub_themes=[SubTheme(id="NEW-1", theme=budgeting.id, name="Outcome budgets")])
    out = moved.to_case(changed_at=WHEN)
    again = Framework.from_case(out).value
    assert [c.path for c in again.competencies()] == [
        "Behavioural / Communication",
        "Behavioural / Communication / Listening",
        "Functional / Budgeting",
        "Functional / Budgeting / Drafting",
        "Functional / Budgeting / Outcome budgets",
    ]
    assert again.case is not None
    assert [i["fullStatement"] for i in again.case.below(again.find(sub_theme="drafting").id)] == [
        "Notes on file",
        "Uses the template",
    ]
    new = items_of(out)["Outcome budgets"]
    assert new["identifier"] not in {i["identifier"] for i in source["CFItems"]}
    placed = next(
        a for a in out["CFAssociations"] if a["originNodeURI"]["identifier"] == new["identifier"]
    )
    assert placed["destinationNodeURI"]["identifier"] == items_of(source)["Budgeting"]["identifier"]
    assert placed["sequenceNumber"] == 2  # after Drafting, which moved there first
    drafting_link = next(a for a in out["CFAssociations"] if a["identifier"].endswith("103"))
    assert drafting_link["destinationNodeURI"]["identifier"].endswith("008")
    # identifiers of all that was there are the source's
    assert {i["identifier"] for i in source["CFItems"]} < {i["identifier"] for i in out["CFItems"]}
    assert out["CFDocument"]["identifier"] == source["CFDocument"]["identifier"]
    assert out["CFDocument"]["creator"] == "A state ATI"


def test_what_is_below_a_competency_and_its_own_attributes_can_be_read() -> None:
    fw = Framework.from_case(deep_package()).value
    assert fw.case is not None
    communication = fw.find("communication")
    assert fw.case.item(communication.id)["educationLevel"] == ["PG"]
    assert [i["fullStatement"] for i in fw.case.below(communication.id)] == [
        "Notes on file",
        "Uses the template",
    ]
    fw.case.below(communication.id)[0]["fullStatement"] = "changed by a caller"
    assert fw.case.below(communication.id)[0]["fullStatement"] == "Notes on file"


def test_a_case_1_0_package_goes_back_as_it_came() -> None:
    package = json.loads((DATA / "case-1.0-package.json").read_text(encoding="utf-8"))
    assert Framework.from_case(package).value.to_case() == package


def test_a_package_made_here_and_read_back_keeps_its_identifiers(kcm: Framework) -> None:
    package = kcm.to_case(changed_at=WHEN)
    assert Framework.from_case(package).value.to_case() == package


BENDS = ["bare-uri", "repeat-item", "no-identifier", "not-an-object", "text-seq", "cycle"]


def cycle() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two items, each the other's child: reachable from nothing."""
    items = [
        {"identifier": f"cyc-{n}", "uri": f"u:cyc-{n}", "fullStatement": f"cycle {n}"}
        for n in (1, 2)
    ]
    links = [
        {
            "identifier": f"cyc-link-{n}",
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": f"cyc-{n}"},
            "destinationNodeURI": {"identifier": f"cyc-{3 - n}"},
        }
        for n in (1, 2)
    ]
    return items, links


@settings(max_examples=40)
@given(case_packages(), st.sets(st.sampled_from(BENDS)), st.data())
def test_a_bent_package_keeps_all_that_can_be_named(
    deep: DeepPackage, bends: set[str], data: st.DataObject
) -> None:
    """Bent the ways real packages are, a package still comes back whole, but for what
    nothing can name (an item with no identifier, the second of two with one identifier,
    an association that is not an object); and reading it back gives the same framework."""
    package = copy.deepcopy(deep.package)
    items, links = package["CFItems"], package["CFAssociations"]
    kept_items, kept_links = list(items), list(links)  # what the export should give back

    def somewhere(into: list[Any], value: Any, after: int = 0) -> None:
        into.insert(data.draw(st.integers(after, len(into))), value)

    if "bare-uri" in bends and links:
        link = data.draw(st.sampled_from(links))
        link["originNodeURI"] = link["originNodeURI"]["uri"]
    if "text-seq" in bends and links:
        link = data.draw(st.sampled_from(links))
        link["sequenceNumber"] = f" {link.get('sequenceNumber', 1)} "
    if "cycle" in bends:
        more_items, more_links = cycle()
        items += more_items
        links += more_links
        kept_items += more_items
        kept_links += more_links
    if "repeat-item" in bends and items:
        first = data.draw(st.integers(0, len(items) - 1))
        somewhere(items, {**items[first], "fullStatement": "the same identifier"}, first + 1)
    if "no-identifier" in bends:
        somewhere(items, {"fullStatement": "no identifier", "uri": "u:nameless"})
    if "not-an-object" in bends:
        somewhere(links, 5)
    imported = Framework.from_case(json.loads(json.dumps(package)))
    written = imported.value.to_case(changed_at=WHEN)
    assert written == {**package, "CFItems": kept_items, "CFAssociations": kept_links}
    assert Framework.from_case(written).value == imported.value


def test_a_sub_theme_made_a_theme_moves_up_the_tree() -> None:
    source = deep_package()
    fw = Framework.from_case(source).value
    listening = fw.find("communication", "listening")
    promoted = Theme(id=listening.id, area="Behavioural", name="Listening")
    out = fw.model_copy(
        update={
            "themes": [*fw.themes, promoted],
            "sub_themes": [s for s in fw.sub_themes if s.id != listening.id],
        }
    ).to_case(changed_at=WHEN)
    assert [c.path for c in Framework.from_case(out).value.competencies()] == [
        "Behavioural / Communication",
        "Behavioural / Communication / Drafting",
        "Behavioural / Listening",
        "Functional / Budgeting",
    ]
    placed = next(a for a in out["CFAssociations"] if a["identifier"].endswith("106"))
    assert placed["destinationNodeURI"]["identifier"].endswith("001")  # the Behavioural item
    assert placed["sequenceNumber"] == 3  # after Communication, numbered 2


def test_new_items_are_numbered_after_their_siblings() -> None:
    """Siblings numbered 10 and 20 are followed by 21; a theme of an area the package
    has no item for gets one, as a fresh export would make it."""
    source = deep_package()
    for link in source["CFAssociations"]:
        if link["identifier"].endswith(("103", "106")):  # Drafting, Listening
            link["sequenceNumber"] *= 5
    fw = Framework.from_case(source).value
    communication = fw.find("communication")
    out = fw.extend(
        [Theme(id="D-1", area="Domain", name="Land records", organisation="revenue")],
        [SubTheme(id="N-1", theme=communication.id, name="Noting")],
    ).to_case(changed_at=WHEN)
    seq = {a["originNodeURI"]["title"]: a.get("sequenceNumber") for a in out["CFAssociations"]}
    assert (seq["Noting"], seq["Domain"], seq["Land records"]) == (31, 8, 1)
    assert [c.path for c in Framework.from_case(out).value.competencies()][-2:] == [
        "Functional / Budgeting",
        "Domain / Land records",
    ]
