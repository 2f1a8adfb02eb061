"""karmayogi: Mission Karmayogi in Python.

India's national programme for civil services capacity building, as a typed library:
the Karmayogi Competency Model (:mod:`karmayogi.competency`), with errors that say what,
where, expected and got (:mod:`karmayogi.errors`).

>>> import karmayogi
>>> kcm = karmayogi.default_framework()
>>> [area.value for area in kcm.areas]
['Behavioural', 'Functional']
"""

from karmayogi.competency import (
    Competency,
    CompetencyArea,
    CompetencyProfile,
    Framework,
    Holding,
    Position,
    ProficiencyLevel,
    Requirement,
    Role,
    SubTheme,
    Theme,
    default_framework,
    find_gaps,
    gap_table,
)
from karmayogi.errors import (
    AmbiguousNameError,
    KarmayogiError,
    LookupFailed,
    UnknownNameError,
    ValidationError,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "AmbiguousNameError",
    "Competency",
    "CompetencyArea",
    "CompetencyProfile",
    "Framework",
    "Holding",
    "KarmayogiError",
    "LookupFailed",
    "Position",
    "ProficiencyLevel",
    "Requirement",
    "Role",
    "SubTheme",
    "Theme",
    "UnknownNameError",
    "ValidationError",
    "__version__",
    "default_framework",
    "find_gaps",
    "gap_table",
]
