"""The public API is what ``__all__`` says: pinned here, so that a change to it is a
decision, recorded in the changelog, and never an accident."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import karmayogi

PUBLIC = {
    "karmayogi": {
        "AmbiguousNameError",
        "Catalogue",
        "Competency",
        "CompetencyArea",
        "CompetencyProfile",
        "CountingPolicy",
        "Course",
        "Enrolment",
        "FinancialYear",
        "Framework",
        "Holding",
        "KarmayogiError",
        "Ledger",
        "LimitExceeded",
        "Limits",
        "LookupFailed",
        "Month",
        "NoMatchError",
        "OrgTree",
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
        "Rollup",
        "Status",
        "SubTheme",
        "Theme",
        "Unit",
        "UnknownNameError",
        "ValidationError",
        "__version__",
        "build_plans",
        "default_framework",
        "find_gaps",
        "gap_table",
        "pathway",
        "read_consumption_report",
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
        "DesignationUse",
        "Reason",
        "Resolution",
        "Selection",
        "Unclosed",
        "build_plans",
        "plans_from_platform",
        "read_allocations_csv",
        "read_catalogue_csv",
        "resolve",
        "write_allocations_csv",
    },
    "karmayogi.columnar": {
        "ALLOCATION_COLUMNS",
        "PEOPLE_COLUMNS",
        "PLACES_COLUMNS",
        "RECORD_COLUMNS",
        "UNIT_COLUMNS",
        "FrameImport",
        "compliance_frames",
        "compliance_table",
        "read_consumption_frame",
        "read_consumption_spark",
        "rollup_frame",
        "rollup_table",
    },
    "karmayogi.demo": {"DEMO_MARK", "EXPORT_FILES", "Demo", "make_demo"},
    "karmayogi.audit": {"CODES", "Audit", "Issue", "audit"},
    "karmayogi.reconcile": {
        "CAUSES",
        "Counts",
        "Difference",
        "Reconciliation",
        "reconcile",
        "summary_rows",
    },
    "karmayogi.exports": {
        "MEMBERS",
        "PASSWORD_VARIABLE",
        "AssessmentRow",
        "BlendedRow",
        "ContentRow",
        "ContentCompetency",
        "MdoReports",
        "Member",
        "ReportRows",
        "SummaryRow",
        "UserRow",
        "offline_attendance",
        "read_assessment_report",
        "read_blended_report",
        "read_cbp_summary",
        "read_competency_mapping",
        "read_content_report",
        "read_mdo_zip",
        "read_user_report",
    },
    "karmayogi.report": {
        "Report",
        "charts_available",
        "choose_year",
        "indian_number",
        "make_report",
    },
    "karmayogi.org": {
        "OrgTree",
        "Person",
        "Unit",
        "UnitLevel",
        "read_people_csv",
        "read_units_csv",
    },
    "karmayogi.periods": {
        "IST",
        "PERIOD_KINDS",
        "FinancialYear",
        "Month",
        "Period",
        "PeriodKind",
        "Quarter",
        "deadline",
        "is_on_time",
        "parse_date",
        "parse_datetime",
        "period_at",
        "period_index",
        "today_in_india",
    },
    "karmayogi.progress": {
        "METRICS",
        "ComplianceTable",
        "CountingPolicy",
        "Enrolment",
        "Explanation",
        "LRS",
        "Learners",
        "Import",
        "Ledger",
        "Origin",
        "PersonCompliance",
        "ProgressRow",
        "ProgressTable",
        "Rejection",
        "Release",
        "RolledUpExport",
        "Rollup",
        "RowAccount",
        "Attendance",
        "OfflineRow",
        "OfflineTable",
        "Campaign",
        "CampaignRow",
        "CampaignTable",
        "KarmaCredit",
        "KarmaRules",
        "KarmaTable",
        "Window",
        "Membership",
        "Move",
        "UNIT_RULES",
        "UnitRule",
        "read_membership_csv",
        "StatementLog",
        "Status",
        "UnitCompliance",
        "View",
        "pseudonym",
        "read_cbp_report",
        "read_consumption_report",
        "read_enrolments",
        "read_xapi",
        "roll_up_export",
    },
    "karmayogi.competency": {
        "PLATFORM_MINIMUM",
        "Activity",
        "CaseSource",
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
        "read_labels_csv",
        "write_designation_csv",
    },
    "karmayogi.errors": {
        "AmbiguousNameError",
        "Finding",
        "KarmayogiError",
        "LimitExceeded",
        "Location",
        "LookupFailed",
        "Match",
        "NoMatchError",
        "Problem",
        "UnknownNameError",
        "ValidationError",
    },
    "karmayogi.limits": {"DEFAULT_LIMITS", "LimitExceeded", "Limits", "NO_LIMITS"},
    "karmayogi.designations": {
        "ABBREVIATIONS",
        "DesignationIndex",
        "DesignationMatch",
        "How",
        "read_aliases_csv",
    },
    "karmayogi.mapping": {
        "Coverage",
        "CourseMapper",
        "CourseMapping",
        "Decision",
        "Gap",
        "MappedRow",
        "Review",
        "Suggestion",
        "coverage",
        "read_review_csv",
        "write_review_csv",
    },
    "karmayogi.pathways": {
        "Closing",
        "OpenGap",
        "Pathway",
        "Step",
        "completed_holdings",
        "pathway",
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
    from karmayogi import cbp, competency, errors, limits, org, pathways, periods, progress

    modules = (competency, cbp, org, periods, progress, errors, limits, pathways)
    for name in PUBLIC["karmayogi"] - {"__version__"}:
        source = next(m for m in modules if name in m.__all__)
        assert getattr(karmayogi, name) is getattr(source, name)


def test_the_changelog_is_prepared_for_this_version() -> None:
    changelog = Path(__file__).resolve().parent.parent / "CHANGELOG.md"
    headings = [
        line
        for line in changelog.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert headings[0] == "## [Unreleased]"
    release = re.fullmatch(r"## \[(?P<version>[^\]]+)\] - \d{4}-\d{2}-\d{2}", headings[1])
    assert release is not None, headings[1]
    assert release["version"] == karmayogi.__version__.split(".dev")[0]


def test_a_deprecation_warns_the_caller_for_at_least_one_minor_release() -> None:
    from karmayogi._deprecation import deprecated

    def old_name() -> None:
        deprecated("old_name()", since="0.2", removal="0.3", instead="new_name()")

    with pytest.warns(DeprecationWarning, match=r"since karmayogi 0\.2 and goes in 0\.3") as caught:
        old_name()
    assert caught[0].filename == __file__  # the caller's line, not karmayogi's
    with pytest.raises(ValueError, match="at least one minor release"):
        deprecated("x", since="0.2", removal="0.2.5")
