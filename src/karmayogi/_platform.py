"""The platform's report files as its report jobs write them: every column of each, in
order (DOMAIN.md). The readers read the columns they need by name; these lists are for
writing files as the platform does (the demo's export, tests, benchmarks)."""

from __future__ import annotations

__all__ = ["CBP_REPORT_HEADER", "CONSUMPTION_REPORT_HEADER"]

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
