"""The platform's reports: every file of an MDO's zip, read.

The platform sends each organisation its reports as one password-protected zip (its
report jobs, KB-iGOT/cb-core-data ``jobs/stage-2``, write one CSV per report and
``zip -P`` them). :func:`read_mdo_zip` reads the zip as it comes, and each reader here
reads one report, on the one reader contract of :mod:`karmayogi.progress`: typed rows,
every row used, merged as a duplicate, or rejected with its file, row, field and
reasons, and a summary line. The enrolment exports (``ConsumptionReport``,
``CBPEnrollmentReport``) keep their readers in :mod:`karmayogi.progress`; the zip
reads them with those.

>>> import io
>>> summary = read_cbp_summary(io.StringIO(
...     "Email,Designation,Ministry,Department,Number of CBP Courses Allocated,"
...     "Number of CBP Courses Completed,Number of CBP Courses Completed within due date\\n"
...     "ravi@cg.gov.in,Tehsildar,Chhattisgarh,Revenue,4,3,2\\n"
...     "asha@cg.gov.in,Patwari,Chhattisgarh,Revenue,2,3,1\\n"))
>>> [(row.person, row.allocated, row.completed, row.completed_in_time) for row in summary.items]
[('ravi@cg.gov.in', 4, 3, 2)]
>>> print(summary.rejected[0])  # doctest: +NORMALIZE_WHITESPACE
row 3: counts disagree: completed within the due date <= completed <= allocated,
got 1, 3, 2
"""

from __future__ import annotations

from karmayogi._api import presented
from karmayogi.exports._reports import (
    AssessmentRow,
    BlendedRow,
    ContentCompetency,
    ContentRow,
    SummaryRow,
    UserRow,
    offline_attendance,
    read_assessment_report,
    read_blended_report,
    read_cbp_summary,
    read_competency_mapping,
    read_content_report,
    read_user_report,
)
from karmayogi.exports._table import ReportRows
from karmayogi.exports._zip import MEMBERS, PASSWORD_VARIABLE, MdoReports, Member, read_mdo_zip

__all__ = [
    "MEMBERS",
    "PASSWORD_VARIABLE",
    "AssessmentRow",
    "BlendedRow",
    "ContentCompetency",
    "ContentRow",
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
]

__dir__ = presented(__name__, globals(), __all__)
