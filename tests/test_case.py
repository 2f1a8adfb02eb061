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

from karmayogi.competency import CompetencyArea, Framework
from karmayogi.errors import ValidationError
from tests.conftest import reference_json
from tests.strategies import frameworks

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
        "not-mapped",
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
    assert "exactMatchOf" in codes["not-mapped"]
    assert "drafting!" in codes["duplicate-name"]


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


def test_import_does_not_change_its_input() -> None:
    package = bent_package()
    before = copy.deepcopy(package)
    Framework.from_case(package)
    assert package == before


def test_unusable_own_identifier_falls_back_to_the_title() -> None:
    package = bent_package()
    package["CFDocument"]["extensions"] = {"karmayogi": {"id": "has spaces in it"}}
    assert Framework.from_case(package).value.id == "ATI-Framework"


def test_items_under_a_left_out_item_are_said_one_by_one() -> None:
    """A repeated theme is left out, and its sub-theme and the item under that go with it;
    each is a finding, by name, rather than gone without a word."""
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
    findings = {f.code: f.message for f in Framework.from_case(package).findings}
    assert "'Communication'" in findings["duplicate-name"]
    assert findings["left-with-parent"].startswith(
        "items under an item left out were left out with it (2: 'Tone', 'Tone in letters')"
    )


def test_a_sequence_number_written_as_text_orders_as_the_number() -> None:
    package = bent_package()
    for link, seq in zip(package["CFAssociations"][:2], ["2", " 1 "], strict=True):
        link["sequenceNumber"] = seq  # "b" second, under the document, as text says
    package["CFAssociations"][5]["sequenceNumber"] = "1.5"  # "f" between them
    themes = Framework.from_case(package).value.themes
    assert [t.name for t in themes][:2] == ["Project Management", "Communication"]
