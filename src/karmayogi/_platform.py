"""The platform's report files as its report jobs write them: every column of each, in
order (DOMAIN.md), and the cells every report writes alike (its times, its units). The
readers read the columns they need by name; the lists are for writing files as the
platform does (the demo's export, tests, benchmarks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from karmayogi.org import OrgTree
from karmayogi.periods import FIRST_YEAR, IST, LAST_YEAR, parse_datetime

__all__ = [
    "ASSESSMENT_REPORT_HEADER",
    "BLENDED_REPORT_HEADER",
    "CBP_REPORT_HEADER",
    "CBP_SUMMARY_HEADER",
    "COMPETENCY_MAPPING_HEADER",
    "CONSUMPTION_REPORT_HEADER",
    "CONTENT_REPORT_HEADER",
    "USER_REPORT_HEADER",
    "parse_time",
    "unit_named",
]

CONSUMPTION_REPORT_HEADER = (
    "Full_Name", "Designation", "Email", "Phone_Number", "MDO_Name", "Group", "Tag",
    "Ministry", "Department", "Organization", "Content_Provider", "Content_Name",
    "Content_Type", "Content_Duration", "Batch_Id", "Batch_Name", "Batch_Start_Date",
    "Batch_End_Date", "Enrolled_On", "Status", "Content_Progress_Percentage",
    "Last_Published_On", "Content_Retired_On", "Completed_On", "Certificate_Generated",
    "User_Rating", "Gender", "Category", "External_System", "External_System_Id", "mdoid",
    "Certificate_ID", "Report_Last_Generated_On", "Live_CBP_Plan_Mandate",
)  # fmt: skip
"""Every column of the platform's export, in its order (DOMAIN.md); for writing test and
benchmark files as the platform writes them."""

CBP_REPORT_HEADER = (
    "Name", "Email", "Phone", "MDO_Name", "Group", "Designation", "Ministry", "Department",
    "Organization", "Name of CBP Allocated Course", "isapar", "Allocated On",
    "Current Progress", "Due Date of Completion", "Actual Date of Completion", "mdoid",
    "Report_Last_Generated_On"
)  # fmt: skip
"""Every column of the platform's CBP enrolment report, ``CBPEnrollmentReport.csv``."""

# The other reports of an MDO's zip, each as its report job in KB-iGOT/cb-core-data writes
# it (jobs/stage-2/<job>.py, named beside each); the Reports page cites them too.

USER_REPORT_HEADER = (
    "Full_Name", "Designation", "Email", "Phone_Number", "MDO_Name", "Group", "Tag",
    "Ministry", "Department", "Organization", "User_Registration_Date", "Cadre",
    "Civil Service Type", "Civil Services", "Cadre Batch", "Is From Organised Service of Govt",
    "Roles", "Gender", "Category", "External_System", "External_System_Id", "Employee_Id",
    "MDO_Created_On", "Profile_Status", "weekly_claps_day_before_yesterday", "Karma_Points",
    "Event_Enrolments", "Event_Completions", "Event_Learning_Hours", "Course_Enrolments",
    "Course_Completions", "Course_Learning_Hours", "Total_Enrolments", "Total_Completions",
    "Total_Learning_Hours", "Report_Last_Generated_On", "mdoid",
)  # fmt: skip
"""``UserReport.csv`` (userReport.py): one row per active user of the MDO."""

CBP_SUMMARY_HEADER = (
    "Name", "Email", "Phone", "MDO_Name", "Group", "Designation", "Ministry", "Department",
    "Organization", "Number of CBP Courses Allocated", "Number of CBP Courses Completed",
    "Number of CBP Courses Completed within due date", "mdoid", "Report_Last_Generated_On",
)  # fmt: skip
"""``CBPUserSummaryReport.csv`` (acbpReport.py): one row per active user with a CBP."""

BLENDED_REPORT_HEADER = (
    "Name", "Email", "Phone_Number", "MDO_Name", "Designation", "Group", "Gender",
    "Category", "Tag", "Ministry", "Department", "Organization", "Provider_Name",
    "Program_Name", "Batch_Name", "Batch_Location", "Batch_Start_Date", "Batch_End_Date",
    "Enrolled_On", "Component_Name", "Component_Type", "Component_Mode", "Status",
    "Component_Duration", "Component_Progress_Percentage", "Component_Completed_On",
    "Last_Accessed_On", "Offline_Session_Date", "Offline_Session_Start_Time",
    "Offline_Session_End_Time", "Offline_Attendance_Status", "Instructor(s)_Name",
    "Program_Coordinator_Name", "Certificate_Generated", "mdoid", "Report_Last_Generated_On",
)  # fmt: skip
"""``BlendedProgramReport.csv`` (blendedReport.py): one row per person, blended programme
and component (an online course, or an offline session with its attendance)."""

CONTENT_REPORT_HEADER = (
    "Content_Status", "Content_Provider", "Content_Name", "Content_Type", "Batch_Id",
    "Batch_Name", "Batch_Start_Date", "Batch_End_Date", "Content_Duration", "Enrolled",
    "Not_Started", "In_Progress", "Completed", "Content_Rating", "Last_Published_On",
    "First_Completed_On", "Last_Completed_On", "Content_Retired_On",
    "Total_Certificates_Issued", "mdoid", "Report_Last_Generated_On",
)  # fmt: skip
"""``ContentReport.csv`` (courseReport.py): one row per course (and batch) the MDO
provides, with its enrolment counts."""

ASSESSMENT_REPORT_HEADER = (
    "User ID", "Full Name", "Designation", "E mail", "Phone Number", "MDO_Name", "Group",
    "Tags", "Ministry", "Department", "Organisation", "Assessment Name", "Assessment Type",
    "Assessment/Content Provider", "Assessment Publish Date", "Course Name", "Course ID",
    "Assessment Duration", "Last Attempted Date", "Latest Percentage Achieved",
    "Cut off Percentage", "Pass", "Total Questions", "No of Incorrect Responses",
    "Unattempted Questions", "No of Retakes", "mdoid", "Report_Last_Generated_On",
)  # fmt: skip
"""``UserAssessmentReport.csv`` (courseBasedAssessmentReport.py): one row per person and
assessment, their latest attempt."""

COMPETENCY_MAPPING_HEADER = (
    "content_id", "content_name", "competency_area", "competency_area_description",
    "competency_theme", "competency_theme_description", "competency_theme_type",
    "competency_sub_theme", "competency_sub_theme_description",
)  # fmt: skip
"""``ContentCompetencyMapping.csv`` (kcmReport.py): one row per course and the area, theme
and sub-theme it builds, the course's three arrays joined by position."""


# --- The cells every report writes alike ----------------------------------------------------


def parse_time(text: str) -> dt.datetime:
    """A timestamp in India's zone; the platform's ``yyyy-MM-dd HH:mm:ss`` (IST) quickly,
    anything else through :func:`parse_datetime` (ISO with zones, day-first dates)."""
    if len(text) == 19 and text[4] == "-" and _YEARS[0] <= text[:4] <= _YEARS[1]:
        try:
            # A shift from a naive epoch to IST's: several times faster than replace().
            return _IST_EPOCH + (_fromisoformat(text) - _NAIVE_EPOCH)
        except ValueError:
            pass
    return parse_datetime(text).astimezone(IST)


_YEARS = (str(FIRST_YEAR), str(LAST_YEAR))
_IST_EPOCH = dt.datetime(2000, 1, 1, tzinfo=IST)
_NAIVE_EPOCH = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - the naive twin of the line above
_fromisoformat = dt.datetime.fromisoformat


def unit_named(written: Sequence[str], mdo: str) -> tuple[str | None, tuple[str, ...]]:
    """The unit a row's Ministry / Department / Organization cells name, or else its
    MDO_Name (None if all are blank), and the names that spell it."""
    names = tuple(name.strip() for name in written)
    if not any(names):
        names = (mdo.strip(),)
    return OrgTree.path_id(names), names
