"""The public API is what ``__all__`` says: pinned here, so that a change to it is a
decision, recorded in the changelog, and never an accident."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import karmayogi

PUBLIC = {
    "karmayogi": {
        "AmbiguousNameError",
        "Catalogue",
        "Competency",
        "CompetencyArea",
        "CompetencyProfile",
        "Course",
        "FinancialYear",
        "Framework",
        "Holding",
        "KarmayogiError",
        "LookupFailed",
        "Person",
        "Plan",
        "PlanBuilder",
        "PlanHistory",
        "PlanStatus",
        "Position",
        "ProficiencyLevel",
        "Quarter",
        "Requirement",
        "Role",
        "SubTheme",
        "Theme",
        "UnknownNameError",
        "ValidationError",
        "__version__",
        "build_plans",
        "default_framework",
        "find_gaps",
        "gap_table",
        "resolve",
    },
    "karmayogi.cbp": {
        "Allocation",
        "Assignment",
        "AssignmentType",
        "BuildResult",
        "Catalogue",
        "Course",
        "CourseCompetency",
        "Lens",
        "Pillar",
        "Plan",
        "PlanBuilder",
        "PlanChange",
        "PlanDiff",
        "PlanHistory",
        "PlanItem",
        "PlanStatus",
        "Reason",
        "Resolution",
        "Selection",
        "Unclosed",
        "build_plans",
        "read_catalogue_csv",
        "resolve",
        "write_allocations_csv",
    },
    "karmayogi.org": {"Person", "read_people_csv"},
    "karmayogi.periods": {
        "IST",
        "FinancialYear",
        "Quarter",
        "deadline",
        "is_on_time",
        "parse_date",
        "parse_datetime",
        "today_in_india",
    },
    "karmayogi.competency": {
        "PLATFORM_MINIMUM",
        "Activity",
        "Change",
        "Competency",
        "CompetencyArea",
        "CompetencyProfile",
        "EvidenceSource",
        "FracStatus",
        "Framework",
        "FrameworkDiff",
        "Gap",
        "GapCell",
        "GapTable",
        "Holding",
        "Importance",
        "Imported",
        "Position",
        "ProficiencyLevel",
        "Requirement",
        "Role",
        "SubTheme",
        "Theme",
        "check_rule_of_thumb",
        "default_framework",
        "find_gaps",
        "gap_table",
        "read_designation_csv",
        "write_designation_csv",
    },
    "karmayogi.errors": {
        "AmbiguousNameError",
        "Finding",
        "KarmayogiError",
        "Location",
        "LookupFailed",
        "Problem",
        "UnknownNameError",
        "ValidationError",
    },
}


def public_modules() -> list[str]:
    names = ["karmayogi"]
    for info in pkgutil.iter_modules(karmayogi.__path__, "karmayogi."):
        if not info.name.rsplit(".", 1)[1].startswith("_"):
            names.append(info.name)
    return names


def test_the_public_modules_are_the_pinned_ones() -> None:
    assert set(public_modules()) == set(PUBLIC)


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_all_is_pinned_and_every_name_exists(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == PUBLIC[module_name]
    assert len(module.__all__) == len(set(module.__all__))
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is in __all__ but missing"


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_every_public_name_is_documented(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert inspect.getdoc(module)
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{module_name}.{name} has no docstring"


def test_version_is_pep440() -> None:
    assert re.fullmatch(
        r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", karmayogi.__version__
    )


def test_top_level_names_are_the_modules_own() -> None:
    from karmayogi import cbp, competency, errors, org, periods

    for name in PUBLIC["karmayogi"] - {"__version__"}:
        source = next(m for m in (competency, cbp, org, periods, errors) if name in m.__all__)
        assert getattr(karmayogi, name) is getattr(source, name)
