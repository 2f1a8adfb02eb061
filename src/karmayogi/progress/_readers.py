"""The readers of enrolment records: the platform's CSV exports and plain mappings (xAPI's
reader is in its own module). Each keeps the row account (:class:`Import`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from karmayogi._allocation import Allocation
from karmayogi._csv import Source, Table, header_table, opened, stream_records
from karmayogi._durations import duration_seconds, within_longest
from karmayogi._joins import CourseNames
from karmayogi._names import YES_NO, identity, name_key
from karmayogi.errors import Location, Problem
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.periods import IST, parse_date, parse_datetime
from karmayogi.progress._account import Import
from karmayogi.progress._consumption import (
    NEVER,
    NO_CERTIFICATES,
    ConsumptionRows,
    consumption_table,
    parse_time,
)
from karmayogi.progress._records import Enrolment, Origin, Status, bulk, checked_record

__all__ = ["read_cbp_report", "read_consumption_report", "read_enrolments"]


def read_consumption_report(
    source: Source,
    *,
    person_key: str = "Email",
    catalogue: CourseNames | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Import:
    """The platform's enrolment export, ``ConsumptionReport.csv``, read row by row.

    A person is known by ``Email``, compared case-insensitively, or by the column the
    caller names (``External_System_Id``, where a state's HR system fills it). Times are
    the platform's ``yyyy-MM-dd HH:mm:ss`` in IST, or as spreadsheets write them
    (day-first). A course is known by its ``Content_Name``, or by its id where a
    ``catalogue`` knows the name. The ``Ministry, Department, Organization`` columns
    give the organisation tree and each person's unit (the unit of their latest
    enrolment, if rows disagree, with a finding).

    >>> import io
    >>> report = read_consumption_report(io.StringIO(
    ...     "Email,Ministry,Department,Organization,Content_Name,Content_Duration,"
    ...     "Enrolled_On,Status,Content_Progress_Percentage,Completed_On,"
    ...     "Certificate_Generated\\n"
    ...     "Ravi@CG.gov.in,Chhattisgarh,Revenue,,RTI Act,01:30:00,2025-04-05 10:30:00,"
    ...     "completed,100,2025-05-01 17:30:00,Yes\\n"
    ...     "ravi@cg.gov.in,Chhattisgarh,Revenue,,RTI Act,01:30:00,2025-04-02 09:00:00,"
    ...     "in-progress,40,,No\\n"
    ...     "asha@cg.gov.in,Chhattisgarh,Revenue,,RTI Act,,2025-04-05,finished,,,No\\n"))
    >>> print(report.summary())
    the input: 3 rows read: 1 used, 1 merged as duplicates, 1 rejected
    >>> entry = report.ledger["ravi@cg.gov.in", "RTI Act"]
    >>> str(entry.status), str(entry.enrolled_at), report.places["ravi@cg.gov.in"]
    ('completed', '2025-04-02 09:00:00+05:30', 'Chhattisgarh/Revenue')
    >>> print(report.rejected[0])
    row 4, field 'Status': is not a status (expected not-started, in-progress or completed, got 'finished')
    """  # noqa: E501
    with opened(source, "r", limits) as (file, handle):
        records = stream_records(handle, file, limits)
        first = next(records, None)
        header = first[1] if first else None
        table, key_column = consumption_table(file, header, person_key, limits)
        result = Import(file, findings=list(table.findings))
        reader = ConsumptionRows(table, result, key_column, catalogue)
        with bulk():
            reader.read_all(records)
        reader.finish()
    return result


# --- The platform's CBP enrolment export (CBPEnrollmentReport.csv) ----------------------------

CBP_COLUMNS = {
    "email": ("Email",),
    "designation": ("Designation",),
    "ministry": ("Ministry",),
    "department": ("Department",),
    "organisation": ("Organization", "Organisation"),
    "mdo": ("MDO_Name",),
    "course": ("Name of CBP Allocated Course",),
    "apar": ("isapar", "Is APAR"),
    "allocated": ("Allocated On",),
    "progress": ("Current Progress",),
    "due": ("Due Date of Completion",),
    "completed": ("Actual Date of Completion",),
}

_NOT_ENROLLED = "notenrolled"


def read_cbp_report(
    source: Source,
    *,
    catalogue: CourseNames | None = None,
    plan: str = "CBPEnrollmentReport",
    limits: Limits = DEFAULT_LIMITS,
) -> Import:
    """The platform's CBP enrolment export, ``CBPEnrollmentReport.csv``: each row is an
    allocation (person, course, due date, APAR or not), and, unless its Current Progress is
    ``Not Enrolled``, an enrolment record too (a completion at its Actual Date of
    Completion; the report gives no enrolment time). People are known by Email, compared
    case-insensitively; courses by name, or by id where a ``catalogue`` knows the name. A
    (person, course) allocated twice keeps its latest due date.
    """
    with opened(source, "r", limits) as (file, handle):
        records = stream_records(handle, file, limits)
        first = next(records, None)
        required = ("email", "course", "progress", "due")
        table = header_table(file, first[1] if first else None, CBP_COLUMNS, required, limits)
        result = Import(file, findings=list(table.findings))
        courses = {name_key(c.name): c.id for c in catalogue.courses} if catalogue else {}
        allocations: dict[tuple[str, str], Allocation] = {}
        placer = ConsumptionRows(table, result, "email", None)
        for row, cells in records:
            result.rows += 1
            allocation, record, problems = _cbp_row(table, row, cells, plan, courses)
            if problems:
                result._reject(row, problems)
                continue
            assert allocation is not None
            key = (allocation.person, allocation.course)
            seen = allocations.get(key)
            if seen is None:
                result.used += 1
            else:
                result.duplicates += 1
                result.repeats[key] = result.repeats.get(key, 0) + 1
            if seen is None or allocation.due > seen.due:
                allocations[key] = allocation
            if record is not None:
                result.ledger.add(record)
            placer.place(allocation.person, cells, NEVER)
        placer.finish()
        result.allocations = sorted(allocations.values(), key=lambda a: (a.person, a.course))
    return result


def _cbp_row(
    table: Table, row: int, cells: list[str], plan: str, courses: Mapping[str, str]
) -> tuple[Allocation | None, Enrolment | None, list[Problem]]:
    problems: list[Problem] = []
    values = table.values(row, cells, problems)

    def bad(column: str, message: str, expected: str, code: str = "malformed") -> None:
        where, got = table.where(row, column), values[column]
        problems.append(Problem(message, where, expected=expected, got=got, code=code))

    person = identity(values["email"]).casefold()
    if not person:
        bad("email", "is blank", "the person's email", "blank")
    course = courses.get(name_key(values["course"]), values["course"])
    if not course:
        bad("course", "is blank", "the course's name", "blank")
    due = completed_at = None
    try:
        due = parse_date(values["due"])
    except ValueError:
        bad("due", "is not a date", "yyyy-MM-dd or dd/mm/yyyy")
    apar = {**YES_NO, "": False}.get(values.get("apar", "").casefold())
    if apar is None:
        bad("apar", "is not yes or no", "Yes/No or true/false")
    status: Status | None = None
    progress_key = name_key(values["progress"])
    if progress_key != _NOT_ENROLLED:
        try:
            status = Status.parse(values["progress"])
        except ValueError:
            bad(
                "progress", "is not a progress", "Completed, In Progress, Not Started, Not Enrolled"
            )
    if values.get("completed"):
        try:
            completed_at = parse_time(values["completed"])
        except ValueError:
            bad("completed", "is not a date", "yyyy-MM-dd or dd/mm/yyyy")
    if problems:
        return None, None, problems
    assert due is not None
    allocation = Allocation(
        person=person, course=course, due=due, plan=plan, mandatory=True, apar=bool(apar)
    )
    if status is None:
        return allocation, None, []
    record = checked_record(
        person,
        course,
        status,
        100.0 if status is Status.COMPLETED else 0.0,
        None,
        completed_at,
        NO_CERTIFICATES,
        None,
        Origin(table.file, row),
    )
    if isinstance(record, str):
        return (
            None,
            None,
            [Problem(record, Location(file=table.file, row=row), code="inconsistent")],
        )
    return allocation, record, []


# --- Plain mappings ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A person's or a course's name: text (a number, an id read from JSON, too), never
    None or True, which ``str`` would make the person "None" or "True"."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"a name is text, not {type(value).__name__}")
    return str(value).strip()


def _status_of(value: Any) -> Status:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("is not a status: not-started, in-progress or completed (0, 1, 2)")
    return Status.parse(value)


def _duration_of(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return duration_seconds(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a duration is seconds or HH:MM:SS, not {type(value).__name__}")
    if not within_longest(value):
        raise ValueError("a duration is 0 to 1000 hours, in seconds")
    return int(value)


_FIELDS: dict[str, Callable[[Any], Any]] = {
    "person": lambda v: identity(_text(v)),
    "course": _text,
    "status": _status_of,
    "progress": float,
    "enrolled_at": lambda v: None if v in (None, "") else parse_datetime(v).astimezone(IST),
    "completed_at": lambda v: None if v in (None, "") else parse_datetime(v).astimezone(IST),
    "certificates": lambda v: [v] if isinstance(v, str) else v,
    "duration": _duration_of,
}


def read_enrolments(rows: Iterable[Mapping[str, Any]], *, name: str = "records") -> Import:
    """Enrolment records from plain mappings with the keys of :class:`Enrolment`
    (``person``, ``course``, ``status``, ``progress``, ``enrolled_at``, ``completed_at``,
    ``certificates``, ``duration``); values typed or as text. Unknown keys are rejected,
    not ignored, since a misspelt key would otherwise lose its value.

    >>> result = read_enrolments([
    ...     {"person": "a", "course": "do_1", "status": "completed", "progress": 100,
    ...      "enrolled_at": "2025-04-01 10:00:00", "completed_at": "2025-04-03 10:00:00"},
    ...     {"person": "a", "course": "do_1", "status": "in-progress", "progress": "x"}])
    >>> print(result.summary()); print(result.rejected[0])
    records: 2 rows read: 1 used, 0 merged as duplicates, 1 rejected
    at 'records[1].progress': could not convert string to float: 'x'
    """
    result = Import(name)
    for index, row in enumerate(rows):
        result.rows += 1
        problems = []
        fields: dict[str, Any] = {}
        for key, value in row.items():
            where = Location(path=f"{name}[{index}].{key}")
            convert = _FIELDS.get(key)
            if convert is None:
                problems.append(
                    Problem(
                        "is not a field of an enrolment",
                        where,
                        expected=", ".join(_FIELDS),
                        got=str(key),
                        code="unknown",
                    )
                )
                continue
            try:
                fields[key] = convert(value)
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), where, got=str(value), code="malformed"))
        if not problems:
            try:
                record = Enrolment(**fields, origins=(Origin(None, index + 1),))
            except (ValueError, TypeError) as exc:
                problems.append(
                    Problem(str(exc), Location(path=f"{name}[{index}]"), code="inconsistent")
                )
            else:
                result._take(record)
                continue
        result._reject(index + 1, problems)
    return result
