"""The readers of the platform's reports beyond the enrolment exports: each its columns
as the platform's report job writes them (KB-iGOT/cb-core-data, ``jobs/stage-2``), its
rows typed, and the row account every reader keeps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from karmayogi._csv import Source
from karmayogi._durations import duration_seconds
from karmayogi._names import YES_NO, identity, name_key
from karmayogi.exports._table import Column, OutOfRange, ReportRows, read_report
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.periods import parse_date
from karmayogi.progress import Attendance

__all__ = [
    "AssessmentRow",
    "BlendedRow",
    "ContentCompetency",
    "ContentRow",
    "SummaryRow",
    "UserRow",
    "offline_attendance",
    "read_assessment_report",
    "read_blended_report",
    "read_cbp_summary",
    "read_competency_mapping",
    "read_content_report",
    "read_user_report",
]


# --- How cells are read -----------------------------------------------------------------------

_WHOLE = re.compile(r"\d+(?:\.0+)?")


def _count(text: str) -> int:
    """A count: a whole number, as Spark writes a long (``12``) or a double (``12.0``)."""
    if not _WHOLE.fullmatch(text):
        raise ValueError(text)
    return int(float(text))


def _amount(text: str) -> float:
    """A quantity of zero or more (hours, points), not NaN nor infinite."""
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise OutOfRange(f"is not 0 or more, got {text!r}")
    return value


def _percent(text: str) -> float:
    value = float(text.rstrip("%"))
    if not 0 <= value <= 100:
        raise OutOfRange(f"is not a percentage from 0 to 100, got {text!r}")
    return value


def _yes_no(text: str) -> bool:
    try:
        return YES_NO[text.casefold()]
    except KeyError:
        raise ValueError(text) from None


def _person(text: str) -> str:
    """A person's key: their email, compared case-insensitively, as every reader does."""
    return identity(text).casefold()


def _words(*pairs: tuple[str, bool]) -> Any:
    known = {name_key(word): value for word, value in pairs}

    def parse(text: str) -> bool:
        try:
            return known[name_key(text)]
        except KeyError:
            raise ValueError(text) from None

    return parse


_DATE = "a date (yyyy-MM-dd or dd/mm/yyyy)"
_TIME = "a time of day (HH:mm or HH:mm:ss)"
_COUNT = "a whole number"
_HOURS = "a number of hours"
_DURATION = "a duration (HH:MM:SS or seconds)"


def _clock(text: str) -> dt.time:
    return dt.time.fromisoformat(text.strip())


def _filled(spellings: tuple[str, ...], expected: str = "text") -> Column:
    return Column(spellings, expected=expected, required=True, filled=True)


_EMAIL = Column(("Email", "E mail", "E-mail"), _person, "the person's email", True, True)


# --- UserReport -------------------------------------------------------------------------------


@attrs.frozen
class UserRow:
    """A row of ``UserReport.csv``: a person of the MDO (the platform lists active users
    only), their profile and their totals as the platform counts them. Names, phones and
    emails beyond the key are personal data the library does not keep."""

    person: str
    designation: str | None = None
    group: str | None = None
    registered: dt.date | None = None
    employee_id: str | None = None
    profile_status: str | None = None
    karma_points: int = 0
    event_enrolments: int = 0
    event_completions: int = 0
    event_hours: float = 0.0
    course_enrolments: int = 0
    course_completions: int = 0
    course_hours: float = 0.0
    total_enrolments: int = 0
    total_completions: int = 0
    total_hours: float = 0.0


_USER_COLUMNS: Mapping[str, Column] = {
    "person": _EMAIL,
    "designation": Column(("Designation",)),
    "group": Column(("Group",)),
    "registered": Column(("User_Registration_Date",), parse_date, _DATE),
    "employee_id": Column(("Employee_Id",)),
    "profile_status": Column(("Profile_Status",)),
    "karma_points": Column(("Karma_Points",), _count, _COUNT),
    "event_enrolments": Column(("Event_Enrolments",), _count, _COUNT),
    "event_completions": Column(("Event_Completions",), _count, _COUNT),
    "event_hours": Column(("Event_Learning_Hours",), _amount, _HOURS),
    "course_enrolments": Column(("Course_Enrolments",), _count, _COUNT),
    "course_completions": Column(("Course_Completions",), _count, _COUNT),
    "course_hours": Column(("Course_Learning_Hours",), _amount, _HOURS),
    "total_enrolments": Column(("Total_Enrolments",), _count, _COUNT),
    "total_completions": Column(("Total_Completions",), _count, _COUNT),
    "total_hours": Column(("Total_Learning_Hours",), _amount, _HOURS),
}


def _made(kind: type[Any], columns: Mapping[str, Column]) -> Any:
    """A row of ``kind`` from a row's values: its fields by name, a blank number as 0."""
    defaults = {a.name: a.default for a in attrs.fields(kind) if a.default is not attrs.NOTHING}

    def make(values: dict[str, Any]) -> Any:
        given = {name: values[name] for name in columns}
        return kind(**{n: defaults.get(n) if v is None else v for n, v in given.items()})

    return make


def read_user_report(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> ReportRows[UserRow]:
    """The platform's ``UserReport.csv``: the MDO's people (active ones: the platform
    leaves the others out), each placed in the unit their Ministry / Department /
    Organization name, with their Karma points and the platform's own totals. A person is
    known by Email, compared case-insensitively; a second row for a person is a duplicate.

    >>> import io
    >>> users = read_user_report(io.StringIO(
    ...     "Email,Designation,Ministry,Department,Organization,Karma_Points,"
    ...     "Total_Learning_Hours\\n"
    ...     "Ravi@CG.gov.in,Tehsildar,Chhattisgarh,Revenue,,25,3.5\\n"
    ...     "asha@cg.gov.in,Patwari,Chhattisgarh,Revenue,,-4,1\\n"))
    >>> print(users.summary())
    the input: 2 rows read: 1 used, 0 merged as duplicates, 1 rejected
    >>> users.items[0].person, users.items[0].karma_points, users.places["ravi@cg.gov.in"]
    ('ravi@cg.gov.in', 25, 'Chhattisgarh/Revenue')
    >>> print(users.rejected[0])
    row 3, field 'Karma_Points': is not a whole number (got '-4')
    """
    return read_report(
        source, "UserReport", _USER_COLUMNS, _made(UserRow, _USER_COLUMNS),
        key=lambda row: row.person, person=lambda row: row.person, limits=limits,
    )  # fmt: skip


# --- CBPUserSummaryReport ---------------------------------------------------------------------


@attrs.frozen
class SummaryRow:
    """A row of ``CBPUserSummaryReport.csv``: one person's plan courses as the platform
    counts them (allocated, completed, completed by the due date's end)."""

    person: str
    designation: str | None
    allocated: int
    completed: int
    completed_in_time: int

    def __attrs_post_init__(self) -> None:
        if not self.completed_in_time <= self.completed <= self.allocated:
            raise ValueError(
                "counts disagree: completed within the due date <= completed <= allocated, "
                f"got {self.completed_in_time}, {self.completed}, {self.allocated}"
            )


_SUMMARY_COLUMNS: Mapping[str, Column] = {
    "person": _EMAIL,
    "designation": Column(("Designation",)),
    "allocated": Column(("Number of CBP Courses Allocated",), _count, _COUNT, True, True),
    "completed": Column(("Number of CBP Courses Completed",), _count, _COUNT, True, True),
    "completed_in_time": Column(
        ("Number of CBP Courses Completed within due date",), _count, _COUNT, True, True
    ),
}


def read_cbp_summary(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> ReportRows[SummaryRow]:
    """The platform's ``CBPUserSummaryReport.csv``: per person, the plan courses allocated,
    completed, and completed within the due date, as the platform counts them (the file
    ``karmayogi reconcile`` compares with what the library counts)."""
    return read_report(
        source, "CBPUserSummaryReport", _SUMMARY_COLUMNS, _made(SummaryRow, _SUMMARY_COLUMNS),
        key=lambda row: row.person, person=lambda row: row.person, limits=limits,
    )  # fmt: skip


# --- BlendedProgramReport ---------------------------------------------------------------------


@attrs.frozen
class BlendedRow:
    """A row of ``BlendedProgramReport.csv``: one person's part in one component of a
    blended programme, an online course or an offline session (``offline``), with its
    attendance where the session was offline."""

    person: str
    programme: str
    component: str
    batch: str | None = None
    component_type: str | None = None
    mode: str | None = None
    """As the platform writes it: ``Offline`` for a session in a room, else ``Online``."""
    completed: bool = False
    duration: int | None = None
    """In seconds."""
    progress: float | None = None
    completed_on: dt.date | None = None
    session_date: dt.date | None = None
    session_start: dt.time | None = None
    session_end: dt.time | None = None
    attended: bool | None = None
    """``Offline_Attendance_Status``: None where the component is online."""
    certificate: bool = False
    """Whether the programme's certificate was issued to the person."""
    enrolled_on: dt.date | None = None

    @property
    def offline(self) -> bool:
        return self.mode is not None and name_key(self.mode) == "offline"


_BLENDED_COLUMNS: Mapping[str, Column] = {
    "person": _EMAIL,
    "programme": _filled(("Program_Name",), "the programme's name"),
    "batch": Column(("Batch_Name",)),
    "enrolled_on": Column(("Enrolled_On",), parse_date, _DATE),
    "component": _filled(("Component_Name",), "the component's name"),
    "component_type": Column(("Component_Type",)),
    "mode": Column(("Component_Mode",)),
    "completed": Column(
        ("Status",),
        _words(("Completed", True), ("Not Completed", False)),
        "Completed or Not Completed",
        True,
        True,
    ),
    "duration": Column(("Component_Duration",), duration_seconds, _DURATION),
    "progress": Column(("Component_Progress_Percentage",), _percent, "a percentage"),
    "completed_on": Column(("Component_Completed_On",), parse_date, _DATE),
    "session_date": Column(("Offline_Session_Date",), parse_date, _DATE),
    "session_start": Column(("Offline_Session_Start_Time",), _clock, _TIME),
    "session_end": Column(("Offline_Session_End_Time",), _clock, _TIME),
    "attended": Column(
        ("Offline_Attendance_Status",),
        _words(("Attended", True), ("Not Attended", False)),
        "Attended or Not Attended",
    ),
    "certificate": Column(("Certificate_Generated",), _yes_no, "Yes or No"),
}


def read_blended_report(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> ReportRows[BlendedRow]:
    """The platform's ``BlendedProgramReport.csv``: each person's components of each
    blended programme, online courses and offline sessions with their attendance. A
    (person, programme, batch, component) given twice is a duplicate.

    >>> import io
    >>> blended = read_blended_report(io.StringIO(
    ...     "Email,Program_Name,Batch_Name,Component_Name,Component_Mode,Status,"
    ...     "Component_Duration,Offline_Session_Date,Offline_Attendance_Status,"
    ...     "Certificate_Generated\\n"
    ...     "ravi@cg.gov.in,Land Records,B1,Field visit,Offline,Completed,03:00:00,"
    ...     "2025-07-04,Attended,Yes\\n"
    ...     "ravi@cg.gov.in,Land Records,B1,Bhuiyan portal,Online,Completed,01:30:00,,,Yes\\n"))
    >>> [(row.component, row.offline, row.attended, row.duration) for row in blended.items]
    [('Field visit', True, True, 10800), ('Bhuiyan portal', False, None, 5400)]
    """
    return read_report(
        source, "BlendedProgramReport", _BLENDED_COLUMNS, _made(BlendedRow, _BLENDED_COLUMNS),
        key=lambda r: (r.person, r.programme, r.batch, r.component),
        person=lambda row: row.person, limits=limits,
    )  # fmt: skip


def offline_attendance(rows: Iterable[BlendedRow]) -> list[Attendance]:
    """The offline sessions of a ``BlendedProgramReport``'s rows, as the roll-up counts
    them (:meth:`karmayogi.progress.Rollup.offline`): each session's day (its date, or
    else the day it was marked completed), its length (the component's duration, or
    else its start to its end), whether the person attended, and whether the
    programme's certificate was issued to them.

    >>> import io
    >>> blended = read_blended_report(io.StringIO(
    ...     "Email,Program_Name,Component_Name,Component_Mode,Status,Component_Duration,"
    ...     "Offline_Session_Date,Offline_Session_Start_Time,Offline_Session_End_Time,"
    ...     "Offline_Attendance_Status,Certificate_Generated\\n"
    ...     "a@x.in,Land Records,Field visit,Offline,Completed,,2025-07-04,10:00,13:30,"
    ...     "Attended,Yes\\n"
    ...     "a@x.in,Land Records,Bhuiyan portal,Online,Completed,01:30:00,,,,,Yes\\n"))
    >>> [(a.session, a.day, a.seconds, a.attended) for a in offline_attendance(blended.items)]
    [('Field visit', datetime.date(2025, 7, 4), 12600, True)]
    """
    out = []
    for row in rows:
        if not row.offline:
            continue
        seconds = row.duration
        if seconds is None and row.session_start is not None and row.session_end is not None:
            start = dt.datetime.combine(dt.date.min, row.session_start)
            seconds = max(
                0, int((dt.datetime.combine(dt.date.min, row.session_end) - start).total_seconds())
            )
        out.append(
            Attendance(
                person=row.person,
                programme=row.programme,
                session=row.component,
                day=row.session_date or row.completed_on,
                seconds=seconds or 0,
                attended=bool(row.attended),
                certified=row.certificate,
            )
        )
    return out


# --- ContentReport ----------------------------------------------------------------------------


@attrs.frozen
class ContentRow:
    """A row of ``ContentReport.csv``: a course (in one batch, where it has batches) that
    the MDO provides, with its enrolments as the platform counts them."""

    name: str
    batch: str | None = None
    provider: str | None = None
    content_type: str | None = None
    status: str | None = None
    duration: int | None = None
    """In seconds."""
    enrolled: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    certificates: int = 0
    rating: float | None = None
    published: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        parts = self.not_started + self.in_progress + self.completed
        if parts > self.enrolled:
            raise ValueError(
                f"counts disagree: not started, in progress and completed add up to {parts}, "
                f"more than the {self.enrolled} enrolled"
            )


_CONTENT_COLUMNS: Mapping[str, Column] = {
    "name": _filled(("Content_Name",), "the course's name"),
    "batch": Column(("Batch_Id",)),
    "provider": Column(("Content_Provider",)),
    "content_type": Column(("Content_Type",)),
    "status": Column(("Content_Status",)),
    "duration": Column(("Content_Duration",), duration_seconds, _DURATION),
    "enrolled": Column(("Enrolled",), _count, _COUNT),
    "not_started": Column(("Not_Started",), _count, _COUNT),
    "in_progress": Column(("In_Progress",), _count, _COUNT),
    "completed": Column(("Completed",), _count, _COUNT),
    "certificates": Column(("Total_Certificates_Issued",), _count, _COUNT),
    "rating": Column(("Content_Rating",), lambda t: min(_amount(t), 5.0), "a rating"),
    "published": Column(("Last_Published_On",), parse_date, _DATE),
}


def read_content_report(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> ReportRows[ContentRow]:
    """The platform's ``ContentReport.csv``: the courses the MDO provides (one row per
    batch), each with its duration and enrolment counts. A (course, batch) given twice
    is a duplicate."""
    return read_report(
        source, "ContentReport", _CONTENT_COLUMNS, _made(ContentRow, _CONTENT_COLUMNS),
        key=lambda row: (name_key(row.name), row.batch), limits=limits,
    )  # fmt: skip


# --- UserAssessmentReport ---------------------------------------------------------------------


@attrs.frozen
class AssessmentRow:
    """A row of ``UserAssessmentReport.csv``: a person's latest attempt at an assessment
    of a course."""

    person: str
    assessment: str
    course: str | None = None
    course_id: str | None = None
    assessment_type: str | None = None
    attempted_on: dt.date | None = None
    score: float | None = None
    """The latest percentage achieved."""
    cut_off: float | None = None
    passed: bool = False
    questions: int | None = None
    incorrect: int | None = None
    unattempted: int | None = None
    retakes: int = 0


_ASSESSMENT_COLUMNS: Mapping[str, Column] = {
    "person": _EMAIL,
    "assessment": _filled(("Assessment Name",), "the assessment's name"),
    "course": Column(("Course Name",)),
    "course_id": Column(("Course ID",)),
    "assessment_type": Column(("Assessment Type",)),
    "attempted_on": Column(("Last Attempted Date",), parse_date, _DATE),
    "score": Column(("Latest Percentage Achieved",), _percent, "a percentage"),
    "cut_off": Column(("Cut off Percentage",), _percent, "a percentage"),
    "passed": Column(("Pass",), _yes_no, "Yes or No"),
    "questions": Column(("Total Questions",), _count, _COUNT),
    "incorrect": Column(("No of Incorrect Responses",), _count, _COUNT),
    "unattempted": Column(("Unattempted Questions",), _count, _COUNT),
    "retakes": Column(("No of Retakes",), _count, _COUNT),
}


def read_assessment_report(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> ReportRows[AssessmentRow]:
    """The platform's ``UserAssessmentReport.csv``: each person's latest attempt at each
    assessment, with its score, cut-off and whether it passed. People are known by
    ``E mail`` (the report's spelling); a (person, assessment, course) given twice is a
    duplicate."""
    return read_report(
        source, "UserAssessmentReport", _ASSESSMENT_COLUMNS,
        _made(AssessmentRow, _ASSESSMENT_COLUMNS),
        key=lambda r: (r.person, name_key(r.assessment), r.course_id or r.course),
        person=lambda row: row.person, limits=limits,
    )  # fmt: skip


# --- ContentCompetencyMapping -----------------------------------------------------------------


@attrs.frozen
class ContentCompetency:
    """A row of ``ContentCompetencyMapping.csv``: a course and one competency it builds,
    as area, theme and sub-theme (names, or the platform's ids where a file holds
    those). A course no competency is mapped to has one row with all three None."""

    course_id: str
    course: str | None = None
    area: str | None = None
    theme: str | None = None
    sub_theme: str | None = None

    def __attrs_post_init__(self) -> None:
        given = [self.area is not None, self.theme is not None, self.sub_theme is not None]
        if any(given) and not all(given):
            raise ValueError("names part of a competency: area, theme and sub-theme go together")


_ARRAY = re.compile(r"\[(.*)\]", re.DOTALL)


def _names(text: str) -> tuple[str, ...]:
    """A cell as a tuple of names: one name, or the array ``[a, b]`` the platform's
    content metadata writes (the competency arrays, before they are joined)."""
    match = _ARRAY.fullmatch(text.strip())
    if match is None:
        return (text,)
    return tuple(part.strip().strip("'\"") for part in match.group(1).split(",") if part.strip())


_MAPPING_COLUMNS: Mapping[str, Column] = {
    "course_id": _filled(("content_id", "course_id", "courseID"), "the course's id"),
    "course": Column(("content_name", "course_name", "courseName")),
    "area": Column(("competency_area", "competencyAreaRefId", "competency_area_id"), _names),
    "theme": Column(("competency_theme", "competencyThemeRefId", "competency_theme_id"), _names),
    "sub_theme": Column(
        ("competency_sub_theme", "competencySubThemeRefId", "competency_sub_theme_id"), _names
    ),
}


def _mappings(values: dict[str, Any]) -> tuple[ContentCompetency, ...]:
    """A row's competencies: its area, theme and sub-theme arrays joined by position, as
    the platform joins them; arrays of unequal length reject the row (the platform's join
    would drop what has no partner, unsaid)."""
    arrays = [values[name] or () for name in ("area", "theme", "sub_theme")]
    lengths = [len(array) for array in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(
            "the area, theme and sub-theme arrays are of unequal length "
            f"({', '.join(map(str, lengths))}): they are joined by position, so each "
            "competency needs all three"
        )
    if not lengths[0]:
        return (ContentCompetency(values["course_id"], values["course"]),)
    return tuple(
        ContentCompetency(values["course_id"], values["course"], area, theme, sub_theme)
        for area, theme, sub_theme in zip(*arrays, strict=True)
    )


def read_competency_mapping(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> ReportRows[ContentCompetency]:
    """The platform's ``ContentCompetencyMapping.csv``: the competencies each course
    builds, one row per course and (area, theme, sub-theme). A file that holds the
    content's arrays (``[a, b]``) has them joined by position, as the platform's job
    does; arrays of unequal length reject their row, saying so, where the platform
    drops the competencies without a partner. A (course, competency) given twice is a
    duplicate.

    >>> import io
    >>> mapping = read_competency_mapping(io.StringIO(
    ...     "courseID,competencyAreaRefId,competencyThemeRefId,competencySubThemeRefId\\n"
    ...     'do_1,"[Behavioural, Functional]","[Communication, Office Management]",'
    ...     '"[Active Listening, Office Procedures]"\\n'
    ...     'do_2,"[Behavioural, Functional]",[Communication],[Active Listening]\\n'))
    >>> [(m.course_id, m.area, m.sub_theme) for m in mapping.items]
    [('do_1', 'Behavioural', 'Active Listening'), ('do_1', 'Functional', 'Office Procedures')]
    >>> print(mapping.rejected[0])  # doctest: +ELLIPSIS
    row 3: the area, theme and sub-theme arrays are of unequal length (2, 1, 1): ...
    """
    result = read_report(
        source, "ContentCompetencyMapping", _MAPPING_COLUMNS, _mappings,
        key=lambda rows: rows, limits=limits,
    )  # fmt: skip
    flat: list[ContentCompetency] = []
    seen: set[tuple[str | None, ...]] = set()
    for rows in result.items:
        for row in rows:
            key = (
                row.course_id,
                *(name_key(n) if n else None for n in (row.area, row.theme, row.sub_theme)),
            )
            if key not in seen:
                seen.add(key)
                flat.append(row)
    return ReportRows(
        result.file, result.rows, result.used, result.duplicates, result.rejected,
        result.findings, result.rejected_rows, report=result.report, items=flat,
        generated=result.generated,
    )  # fmt: skip
