"""Every document reads back equal from its JSON, and its JSON fits its JSON Schema."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

from karmayogi._document import Document
from karmayogi.cbp import Catalogue, Plan, PlanHistory, PlanStatus
from karmayogi.competency import (
    CompetencyProfile,
    Framework,
    Position,
    default_framework,
)
from karmayogi.errors import ValidationError
from karmayogi.periods import IST
from tests.strategies import catalogues, frameworks, plans, positions, profiles

IDS = [c.id for c in default_framework().competencies()]


def assert_round_trip(document: Document) -> None:
    text = document.to_json()
    assert type(document).from_json(text) == document
    assert type(document).from_dict(json.loads(text)) == document
    jsonschema.validate(json.loads(text), type(document).json_schema())


@settings(max_examples=60)
@given(frameworks())
def test_framework_json_round_trip(framework: Framework) -> None:
    assert_round_trip(framework)


@given(positions(IDS))
def test_position_json_round_trip(position: Position) -> None:
    assert_round_trip(position)


@given(profiles(IDS))
def test_profile_json_round_trip(profile: CompetencyProfile) -> None:
    assert_round_trip(profile)


def test_bundled_framework_round_trips(kcm: Framework, tmp_path: Path) -> None:
    assert_round_trip(kcm)
    path = tmp_path / "kcm.json"
    path.write_text(kcm.to_json(), encoding="utf-8")
    assert Framework.from_file(path) == kcm


def test_schema_gives_forms_what_they_need() -> None:
    schema = Position.json_schema()
    level = schema["$defs"]["Requirement"]["properties"]["level"]
    assert schema["$defs"]["ProficiencyLevel"]["enum"] == [1, 2, 3, 4, 5]
    assert level == {"$ref": "#/$defs/ProficiencyLevel"}
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "name"}


def _documents() -> list[type[Any]]:
    import karmayogi

    found = {
        value
        for module in ("karmayogi", "karmayogi.competency", "karmayogi.cbp")
        for name in importlib.import_module(module).__all__
        if isinstance(value := getattr(importlib.import_module(module), name), type)
        and issubclass(value, Document)
    }
    assert karmayogi.Plan in found  # the search finds the documents portals are given
    return sorted(found, key=lambda d: d.__name__)


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.__name__)
def test_every_schema_is_a_valid_schema_in_plain_words(document: type[Any]) -> None:
    """What a portal is given: a draft 2020-12 schema that says so, titled, whose
    descriptions hold no doctest session and no reStructuredText markup."""
    schema = document.json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == document.__name__

    def descriptions(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    yield value
                else:
                    yield from descriptions(value)
        elif isinstance(node, list):
            for value in node:
                yield from descriptions(value)

    said = list(descriptions(schema))
    assert said  # documents describe themselves
    for text in said:
        assert ">>>" not in text, text
        assert not re.search(r":[a-z]+:`|``", text), text
        assert text == text.strip(), text


def test_bad_json_names_the_file_and_every_place(tmp_path: Path) -> None:
    path = tmp_path / "so.json"
    path.write_text(
        json.dumps(
            {
                "id": "so",
                "name": "Section Officer",
                "colour": "blue",
                "roles": [
                    {
                        "id": "r",
                        "name": "r",
                        "requirements": [
                            {"competency": "KCM-B04", "level": "L9"},
                            {"competency": "KCM-B05", "level": 2, "importance": "vital"},
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        Position.from_file(path)
    found = [(p.where.file, p.where.path, p.got) for p in info.value.problems]
    assert found == [
        (str(path), "roles[0].requirements[0].level", "L9"),
        (str(path), "roles[0].requirements[1].importance", "vital"),
        (str(path), "colour", "blue"),
    ]
    assert "proficiency level must be 1-5" in info.value.problems[0].message


def test_malformed_json_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="is not JSON"):
        Framework.from_json("{not json")


@given(catalogues())
def test_catalogue_json_round_trip(catalogue: Catalogue) -> None:
    assert_round_trip(catalogue)


@given(plans())
def test_plan_json_round_trip(plan: Plan) -> None:
    assert_round_trip(plan)


@given(plans())
def test_plan_history_json_round_trip(plan: Plan) -> None:
    draft = plan.model_copy(update={"status": PlanStatus.DRAFT, "published_at": None, "version": 1})
    history = PlanHistory.start(draft).publish(at=dt.datetime(2025, 4, 2, tzinfo=IST))
    history = history.revise(name="renamed").retire()
    assert_round_trip(history)


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.__name__)
def test_what_a_caller_may_pass_names_every_field(document: type[Any]) -> None:
    """Each document's typed constructor (for type checkers: lists, levels written as
    text, dates as text) takes exactly its fields, each optional where the field has a
    default: a field added without it would be refused by a user's type checker."""
    import ast
    import importlib
    import inspect

    from karmayogi._api import DEFINED_IN

    # The class reports its public module; its source is in the module that defines it.
    home = importlib.import_module(DEFINED_IN.get(document, document.__module__))
    definition = next(
        node
        for node in ast.walk(ast.parse(inspect.getsource(home)))
        if isinstance(node, ast.ClassDef) and node.name == document.__name__
    )
    init = next(
        node
        for node in ast.walk(definition)
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    )
    params = init.args.kwonlyargs
    optional = {p.arg for p, default in zip(params, init.args.kw_defaults, strict=True) if default}
    fields = document.model_fields
    assert [p.arg for p in params] == list(fields)
    assert optional == {name for name, field in fields.items() if not field.is_required()}
