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
from karmayogi.errors import Problem, ValidationError

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
