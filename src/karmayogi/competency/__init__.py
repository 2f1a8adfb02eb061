"""The Karmayogi Competency Model: areas, themes, sub-themes and proficiency levels; the
framework that holds them; role profiles (FRAC); a person's competency profile; and the
gap between what a role needs and what a person holds.

The model has three **areas** (Behavioural, Functional, Domain). Each area has
**themes**, each theme **sub-themes**; Domain themes belong to one organisation (MDO).
A **competency** is a theme or a sub-theme, named by a stable identifier. Levels run from
1 Basic to 5 Ustad.

>>> from karmayogi.competency import default_framework, ProficiencyLevel
>>> kcm = default_framework()
>>> kcm.find("communication", "reading and comprehension").path
'Behavioural / Communication / Reading & Comprehension'
>>> ProficiencyLevel.parse("L3")
<ProficiencyLevel.ADVANCED: 3>
"""

from __future__ import annotations

from karmayogi._api import presented
from karmayogi.competency._designation_csv import read_designation_csv, write_designation_csv
from karmayogi.competency._labels_csv import read_labels_csv
from karmayogi.competency._model import (
    PLATFORM_MINIMUM,
    Activity,
    CaseSource,
    Change,
    CompetencyProfile,
    EvidenceSource,
    FracStatus,
    Framework,
    FrameworkDiff,
    Gap,
    GapCell,
    GapTable,
    Holding,
    Importance,
    Imported,
    Position,
    Requirement,
    Role,
    check_rule_of_thumb,
    default_framework,
    find_gaps,
    gap_table,
)
from karmayogi.competency._taxonomy import (
    Competency,
    CompetencyArea,
    ProficiencyLevel,
    SubTheme,
    Theme,
)

__all__ = [
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
]

__dir__ = presented(__name__, globals(), __all__)
