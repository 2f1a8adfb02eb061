"""karmayogi: Mission Karmayogi in Python.

India's national programme for civil services capacity building, as a typed library:
the Karmayogi Competency Model (:mod:`karmayogi.competency`), capacity building plans
(:mod:`karmayogi.cbp`) and each person's learning pathway (:mod:`karmayogi.pathways`)
for the people of an organisation (:mod:`karmayogi.org`) over financial years
(:mod:`karmayogi.periods`), progress rolled up over the organisation tree
(:mod:`karmayogi.progress`), with errors that say what, where, expected and got
(:mod:`karmayogi.errors`).

>>> import karmayogi
>>> kcm = karmayogi.default_framework()
>>> [area.value for area in kcm.areas]
['Behavioural', 'Functional']
"""

from karmayogi._api import presented
from karmayogi.cbp import (
    Catalogue,
    Course,
    Plan,
    PlanBuilder,
    PlanHistory,
    PlanStatus,
    build_plans,
    resolve,
)
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
    LimitExceeded,
    LookupFailed,
    NoMatchError,
    UnknownNameError,
    ValidationError,
)
from karmayogi.limits import Limits
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.pathways import pathway
from karmayogi.periods import FinancialYear, Month, Quarter
from karmayogi.progress import (
    CountingPolicy,
    Enrolment,
    Ledger,
    Rollup,
    Status,
    read_consumption_report,
)

__version__ = "0.1.0"

__all__ = [
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
]

__dir__ = presented(__name__, globals(), __all__)
