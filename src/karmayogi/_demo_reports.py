"""The demo state's other reports, as the platform's report jobs write them into an MDO's
zip (the headers in :mod:`karmayogi._platform`): the users, the plan summary, the content
and the courses' competencies. Each is counted by the platform's own rules, cited where
they are applied, so that reading them back checks the readers against known numbers."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

import attrs

from karmayogi._csv import safe_writer
from karmayogi._demo_blended import write_blended_report
from karmayogi._platform import (
    CBP_SUMMARY_HEADER,
    COMPETENCY_MAPPING_HEADER,
    CONTENT_REPORT_HEADER,
    USER_REPORT_HEADER,
)
from karmayogi.progress import Rollup, Status
from karmayogi.reconcile import summary_rows

if TYPE_CHECKING:
    from karmayogi.demo import Demo

__all__ = ["REPORT_WRITERS"]


def _text(write: Callable[[Demo, TextIO], None]) -> Callable[[Demo], str]:
    def written(demo: Demo) -> str:
        out = io.StringIO(newline="")
        write(demo, out)
        return out.getvalue()

    return written


def _hours(seconds: float) -> str:
    """Hours as the platform writes them: rounded to two places (userDFUtil.py)."""
    return f"{round(seconds / 3600, 2):g}"


def _users(demo: Demo, handle: TextIO) -> None:
    """``UserReport.csv``: active users only; a course counts as completed, and its
    duration as learning hours, only when completed with a certificate (userDFUtil.py);
    Karma points by the platform's rules (karmaPoints.py), as the library credits them."""
    durations = {c.id: c.duration.total_seconds() for c in demo.catalogue.courses}
    karma = Rollup(demo.tree, people=demo.people, records=demo.records).karma(
        allocations=demo.allocations
    )
    enrolled: dict[str, set[str]] = defaultdict(set)
    certified: dict[str, set[str]] = defaultdict(set)
    for r in demo.records:
        enrolled[r.person].add(r.course)
        if r.status is Status.COMPLETED and r.certificates:
            certified[r.person].add(r.course)
    generated = f"{demo.as_of:%Y-%m-%d} 06:00:00"
    out = safe_writer(handle)
    out.writerow(USER_REPORT_HEADER)
    for person in demo.people:
        if not person.active:
            continue
        details, office = demo._details[person.id], demo._office(person)
        hours = _hours(sum(durations[c] for c in certified[person.id]))
        courses, done = len(enrolled[person.id]), len(certified[person.id])
        row = {
            "Full_Name": details.name, "Designation": person.designation or "",
            "Email": person.id, "Phone_Number": details.phone, "MDO_Name": office[1],
            "Group": details.group, "Ministry": office[0], "Department": office[1],
            "Organization": office[2] if len(office) > 2 else "",
            "Gender": details.gender, "Employee_Id": details.employee_id,
            "Profile_Status": "VERIFIED", "Karma_Points": str(karma.people.get(person.id, 0)),
            "Event_Enrolments": "0", "Event_Completions": "0",
            "Event_Learning_Hours": "0", "Course_Enrolments": str(courses),
            "Course_Completions": str(done), "Course_Learning_Hours": hours,
            "Total_Enrolments": str(courses), "Total_Completions": str(done),
            "Total_Learning_Hours": hours, "Report_Last_Generated_On": generated,
            "mdoid": person.organisation,
        }  # fmt: skip
        out.writerow([row.get(column, "") for column in USER_REPORT_HEADER])


def _summary(demo: Demo, handle: TextIO) -> None:
    """``CBPUserSummaryReport.csv``: per active person with a plan course, the courses
    allocated (the latest due date per course), completed, and completed by the end of
    the due date (acbpReport.py)."""
    counts = summary_rows(demo.allocations, demo.records)
    out = safe_writer(handle)
    out.writerow(CBP_SUMMARY_HEADER)
    generated = f"{demo.as_of:%Y-%m-%d} 06:00:00"
    for person in demo.people:
        if not person.active or person.id not in counts:
            continue
        details, office = demo._details[person.id], demo._office(person)
        out.writerow([
            details.name, person.id, details.phone, office[1], details.group,
            person.designation or "", office[0], office[1],
            office[2] if len(office) > 2 else "", *map(str, attrs.astuple(counts[person.id])),
            person.organisation, generated,
        ])  # fmt: skip


def _content(demo: Demo, handle: TextIO) -> None:
    """``ContentReport.csv``: each course with its enrolments by status and its
    certificates (courseReport.py); durations in seconds, as the job writes them."""
    by_course: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in demo.records:
        count = by_course[r.course]
        count[int(r.status)] += 1
        count[3] += bool(r.certificates)
    out = safe_writer(handle)
    out.writerow(CONTENT_REPORT_HEADER)
    generated = f"{demo.as_of:%Y-%m-%d} 06:00:00"
    for course in demo.catalogue.courses:
        not_started, in_progress, completed, certificates = by_course[course.id]
        row = {
            "Content_Status": "Live", "Content_Provider": course.provider or "",
            "Content_Name": course.name, "Content_Type": course.content_type,
            "Content_Duration": str(int(course.duration.total_seconds())),
            "Enrolled": str(not_started + in_progress + completed),
            "Not_Started": str(not_started), "In_Progress": str(in_progress),
            "Completed": str(completed), "Total_Certificates_Issued": str(certificates),
            "Last_Published_On": f"{demo.year.start - dt.timedelta(days=30):%Y-%m-%d}",
            "mdoid": "madhyanchal", "Report_Last_Generated_On": generated,
        }  # fmt: skip
        out.writerow([row.get(column, "") for column in CONTENT_REPORT_HEADER])


def _competencies(demo: Demo, handle: TextIO) -> None:
    """``ContentCompetencyMapping.csv``: one row per course and competency it builds, by
    name (kcmReport.py)."""
    out = safe_writer(handle)
    out.writerow(COMPETENCY_MAPPING_HEADER)
    for course in demo.catalogue.courses:
        for built in course.competencies:
            competency = demo.framework.get(built.competency)
            sub_theme = competency.sub_theme.name if competency.sub_theme else ""
            row = {
                "content_id": course.id, "content_name": course.name,
                "competency_area": competency.area.value,
                "competency_theme": competency.theme.name,
                "competency_sub_theme": sub_theme,
            }  # fmt: skip
            out.writerow([row.get(column, "") for column in COMPETENCY_MAPPING_HEADER])


REPORT_WRITERS: dict[str, Callable[[Demo], str]] = {
    "UserReport.csv": _text(_users),
    "BlendedProgramReport.csv": _text(write_blended_report),
    "CBPUserSummaryReport.csv": _text(_summary),
    "ContentReport.csv": _text(_content),
    "ContentCompetencyMapping.csv": _text(_competencies),
}
"""Each report of the zip beyond the enrolment exports, by its file name, and how the
demo writes it."""
