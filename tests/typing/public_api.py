"""Type checks of the public API as users see it: mypy runs over this file in CI
(`mypy src tests/typing`); nothing here runs under pytest."""

from __future__ import annotations

import datetime as dt
import io
from typing import assert_type

import karmayogi
from karmayogi.competency import (
    Competency,
    CompetencyProfile,
    Framework,
    FrameworkDiff,
    Gap,
    GapTable,
    Imported,
    Position,
    ProficiencyLevel,
    default_framework,
    find_gaps,
    gap_table,
    read_designation_csv,
)
from karmayogi.errors import Match, NoMatchError, Problem, ValidationError

kcm = default_framework()
assert_type(kcm, Framework)
assert_type(karmayogi.default_framework(), Framework)
assert_type(kcm.find("Communication", "Active Listening"), Competency)
assert_type(kcm.get("KCM-B04").id, str)
assert_type(ProficiencyLevel.parse("L3"), ProficiencyLevel)
assert_type(kcm.diff(kcm), FrameworkDiff)
assert_type(Framework.from_json(kcm.to_json()), Framework)
assert_type(Framework.from_case(kcm.to_case()), Imported[Framework])
assert_type(read_designation_csv(io.StringIO(""), kcm), Imported[tuple[Position, ...]])

profile = CompetencyProfile(person="u1")
assert_type(profile.level("KCM-B04", on=dt.date(2025, 4, 1)), ProficiencyLevel | None)
position = Position(id="p", name="Section Officer")
assert_type(find_gaps(profile, position), tuple[Gap, ...])
assert_type(gap_table([(profile, position)]), GapTable)

try:
    Framework.from_dict({})
except ValidationError as exc:
    assert_type(exc.problems, tuple[Problem, ...])

# Plans
from karmayogi.cbp import (  # noqa: E402 - grouped by concept, as users read it
    Allocation,
    BuildResult,
    Catalogue,
    Course,
    Plan,
    PlanBuilder,
    PlanDiff,
    PlanHistory,
    Reason,
    Resolution,
    build_plans,
    plans_from_platform,
    read_catalogue_csv,
    resolve,
)
from karmayogi.org import Person  # noqa: E402
from karmayogi.periods import FinancialYear, Quarter, is_on_time, parse_date  # noqa: E402

catalogue = Catalogue(courses=[Course(id="do_1", name="x", duration=60)])
assert_type(catalogue.get("do_1"), Course)
assert_type(catalogue.for_competency("KCM-B04", 2), tuple[Course, ...])
assert_type(read_catalogue_csv(io.StringIO(""), kcm), Imported[Catalogue])
plan = PlanBuilder("o", "2025-26", "p").add("do_1").assign_all().due("2026-03-31").build()
assert_type(plan, Plan)
assert_type(plan.publish(), Plan)
assert_type(plan.diff(plan), PlanDiff)
assert_type(PlanHistory.start(plan).current, Plan)
people = [Person(id="u1", organisation="o")]
result = resolve([plan], people)
assert_type(result, Resolution)
assert_type(result.allocations, tuple[Allocation, ...])
assert_type(result.why("u1"), tuple[Reason, ...])
assert_type(build_plans([], people, catalogue, organisation="o", year="2025-26"), BuildResult)
assert_type(FinancialYear.parse("2025-26").quarters(), tuple[Quarter, ...])
assert_type(parse_date("05/04/2025"), dt.date)
assert_type(is_on_time("2026-03-31 23:59:00", dt.date(2026, 3, 31)), bool)

# --- progress -----------------------------------------------------------------------------
from karmayogi.org import OrgTree, Unit  # noqa: E402
from karmayogi.progress import (  # noqa: E402
    ComplianceTable,
    Enrolment,
    Explanation,
    Import,
    Ledger,
    ProgressRow,
    ProgressTable,
    Rollup,
    Status,
    read_consumption_report,
    read_xapi,
)

tree = OrgTree([Unit(id="o", name="Org", level="organisation")])
record = Enrolment(person="u1", course="do_1", status=Status.IN_PROGRESS, progress=10)
assert_type(record.join(record), Enrolment)
assert_type(Ledger([record]).get("u1", "do_1"), Enrolment | None)
rollup = Rollup(tree, people=people, by="fy", records=[record])
assert_type(rollup.table("cumulative"), ProgressTable[int])
assert_type(rollup.row("o", "2025-26"), ProgressRow[int])
assert_type(rollup.row("o", "2025-26").completions, int)  # a roll-up's counts are numbers
assert_type(rollup.row("o", "2025-26").learning_hours, float | int)  # a number, never None
assert_type(rollup.row("o", "2025-26").completion_rate, float | None)
hidden = rollup.table().suppressed(5)  # suppression may hide any count
assert_type(hidden, ProgressTable[int | None])
assert_type(hidden.row("o", "2025-26").completions, int | None)
every: ProgressTable = rollup.table()  # bare: counts that may be hidden, as before
assert_type(every.rows[0].completions, int | None)
assert_type(read_consumption_report(b"").tree, OrgTree)  # an upload, and a tree always
assert_type(rollup.explain("o", "2025-26", "enrolments"), Explanation)
assert_type(rollup.compliance(result), ComplianceTable[int])
assert_type(rollup.compliance(result).units[0].cbp_allocated, int)
assert_type(rollup.compliance(result).suppressed(5).units[0].cbp_allocated, int | None)
assert_type(read_consumption_report(io.StringIO("")), Import)
assert_type(read_xapi([]), Import)

# Joins say how well they matched; defaults taken from the data say why.
from karmayogi.report import choose_year, make_report  # noqa: E402

table = rollup.compliance(result, catalogue=catalogue)
assert_type(table.matched, tuple[Match, ...])
assert_type(result.matched, Match | None)
assert_type(result.left_out, dict[str, int])
assert_type(plans_from_platform(plan.to_platform()), tuple[Plan, ...])
assert_type(choose_year([record]), tuple[FinancialYear, str])
assert_type(make_report(tree, [record], places={}).choices, tuple[str, ...])
try:
    Match(join="j", matched=0, total=1).check()
except NoMatchError as missed:
    assert_type(missed.match.hint, str | None)
