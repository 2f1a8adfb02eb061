"""An MDO's zip, as the platform sends it: every member recognised by its name, read by
its reader, and accounted for (read, or not read and why), as rows are."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO, Any, BinaryIO

import attrs

from karmayogi._joins import CourseNames
from karmayogi._names import name_key
from karmayogi.errors import LimitExceeded, Location, Problem, ValidationError
from karmayogi.exports._reports import (
    AssessmentRow,
    BlendedRow,
    ContentCompetency,
    ContentRow,
    SummaryRow,
    UserRow,
    read_assessment_report,
    read_blended_report,
    read_cbp_summary,
    read_competency_mapping,
    read_content_report,
    read_user_report,
)
from karmayogi.exports._table import ReportRows
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.progress import Import, read_cbp_report, read_consumption_report

__all__ = ["MEMBERS", "PASSWORD_VARIABLE", "MdoReports", "Member", "read_mdo_zip"]

PASSWORD_VARIABLE = "KARMAYOGI_ZIP_PASSWORD"
"""The environment variable that holds an MDO zip's password: the demo encrypts its zip
with it, and ``karmayogi report`` opens a zip with it (or asks), never from the command
line, where other users of the machine could read it."""


MEMBERS: dict[str, tuple[str, ...]] = {
    "ConsumptionReport": ("user-enrollment-report",),
    "CBPEnrollmentReport": ("cbp-report-mdo-enrolment",),
    "CBPUserSummaryReport": ("cbp-report-mdo-summary",),
    "UserReport": ("user-report",),
    "BlendedProgramReport": ("blended-program-report-mdo", "blended-program-report"),
    "ContentReport": ("course-report",),
    "UserAssessmentReport": ("cba-report",),
    "ContentCompetencyMapping": ("kcm-report",),
}
"""Each report karmayogi reads, by the platform's file name, and the other names its
member has had in the zip (the report job's directory: the newer jobs name each member
``<directory>.csv``; KB-iGOT/cb-core-data, ``jobs/stage-2/zipUpload.py``)."""

_BY_NAME = {name_key(n): report for report, names in MEMBERS.items() for n in (report, *names)}

MAX_MEMBERS = 100
"""More members than an MDO's zip has ever held: past it, the zip is refused unread."""

_ATTRIBUTE = {
    "ConsumptionReport": "consumption",
    "CBPEnrollmentReport": "cbp",
    "CBPUserSummaryReport": "summary",
    "UserReport": "users",
    "BlendedProgramReport": "blended",
    "ContentReport": "content",
    "UserAssessmentReport": "assessments",
    "ContentCompetencyMapping": "competencies",
}


@attrs.frozen
class Member:
    """A member of the zip, and what became of it."""

    name: str
    size: int
    """Its size unpacked, in bytes, as the zip declares it."""
    report: str | None
    """The report it was read as; None if it was not read."""
    note: str
    """``read``, or why it was not."""


@attrs.define
class MdoReports:
    """What :func:`read_mdo_zip` made of an MDO's zip: each report read (None where the zip
    holds none), and every member with what became of it."""

    file: str | None
    members: list[Member] = attrs.Factory(list)
    consumption: Import | None = None
    cbp: Import | None = None
    summary: ReportRows[SummaryRow] | None = None
    users: ReportRows[UserRow] | None = None
    blended: ReportRows[BlendedRow] | None = None
    content: ReportRows[ContentRow] | None = None
    assessments: ReportRows[AssessmentRow] | None = None
    competencies: ReportRows[ContentCompetency] | None = None

    def reports(self) -> Iterator[tuple[str, Any]]:
        """(the platform's report name, what it read) for each report read, in the
        zip's order."""
        for member in self.members:
            if member.report is not None:
                yield member.report, getattr(self, _ATTRIBUTE[member.report])

    @property
    def rejected_rows(self) -> int:
        return sum(read.rejected_rows for _name, read in self.reports())

    def summary_lines(self) -> list[str]:
        """A line for the zip, one per member read (its row account) and one per member
        not read, with why."""
        read = sum(m.report is not None for m in self.members)
        lines = [f"{self.file or 'the zip'}: {len(self.members)} members, {read} read"]
        for member in self.members:
            if member.report is None:
                lines.append(f"  {member.name}: not read: {member.note}")
            else:
                lines.append("  " + getattr(self, _ATTRIBUTE[member.report]).summary())
        return lines


def _readers(catalogue: CourseNames | None, limits: Limits) -> dict[str, Any]:
    return {
        "ConsumptionReport": lambda s: read_consumption_report(
            s, catalogue=catalogue, limits=limits
        ),
        "CBPEnrollmentReport": lambda s: read_cbp_report(s, catalogue=catalogue, limits=limits),
        "CBPUserSummaryReport": lambda s: read_cbp_summary(s, limits=limits),
        "UserReport": lambda s: read_user_report(s, limits=limits),
        "BlendedProgramReport": lambda s: read_blended_report(s, limits=limits),
        "ContentReport": lambda s: read_content_report(s, limits=limits),
        "UserAssessmentReport": lambda s: read_assessment_report(s, limits=limits),
        "ContentCompetencyMapping": lambda s: read_competency_mapping(s, limits=limits),
    }


def read_mdo_zip(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    password: str | bytes | None = None,
    catalogue: CourseNames | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> MdoReports:
    """Read an MDO's zip as the platform sends it (``zip -P``, one CSV per report): each
    member is recognised by its name (``UserReport.csv`` or the newer jobs'
    ``user-report.csv``; see :data:`MEMBERS`), read by its reader, held to ``limits``
    like a file, and accounted for; a member karmayogi does not read is listed with why.
    ``source`` is a path, the zip's bytes or a binary stream (an upload). The
    ``password`` opens encrypted members; give it from the environment or a prompt,
    never on a command line, where other users of the machine can read it.

    >>> import io, zipfile
    >>> packed = io.BytesIO()
    >>> with zipfile.ZipFile(packed, "w") as z:
    ...     z.writestr("user-report.csv", "Email,Ministry\\nravi@cg.gov.in,Revenue\\n")
    ...     z.writestr("notes.txt", "sent by the MDO")
    >>> reports = read_mdo_zip(packed.getvalue())
    >>> print("\\n".join(reports.summary_lines()))
    the zip: 2 members, 1 read
      user-report.csv: 1 rows read: 1 used, 0 merged as duplicates, 0 rejected
      notes.txt: not read: not a report karmayogi reads (ConsumptionReport, ...)
    """
    handle: IO[bytes] | str | os.PathLike[str]
    name: str | None
    if isinstance(source, bytes | bytearray | memoryview):
        handle, name = io.BytesIO(bytes(source)), None
    elif isinstance(source, str | os.PathLike):
        handle, name = source, os.fspath(source)
        _held(os.path.getsize(handle), limits, name)
    else:
        handle, name = source, getattr(source, "name", None)
    key = password.encode("utf-8") if isinstance(password, str) else password
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        where = Location(file=name)
        problem = Problem("is not a zip", where, expected="a zip", got=str(exc), code="malformed")
        raise ValidationError([problem]) from None
    result = MdoReports(name)
    readers = _readers(catalogue, limits)
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            where = Location(file=name)
            raise LimitExceeded("members", MAX_MEMBERS, where, f"{len(infos):,} members")
        _refuse_unopenable(archive, infos, key, name)
        for info in infos:
            report = _BY_NAME.get(name_key(PurePosixPath(info.filename).stem))
            note = "read"
            if report is None:
                note = f"not a report karmayogi reads ({', '.join(MEMBERS)})"
            elif getattr(result, _ATTRIBUTE[report]) is not None:
                note, report = f"a second {report}: the first is read", None
            if report is not None:
                _held(info.file_size, limits, f"{name or 'the zip'}:{info.filename}")
                with archive.open(info, pwd=key) as member:
                    # named by the member (ZipExtFile.name), for every message about it
                    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                    try:
                        setattr(result, _ATTRIBUTE[report], readers[report](text))
                    except zipfile.BadZipFile as exc:  # a CRC that fails: damaged, or a
                        # wrong password that passed the one-byte check (1 in 256)
                        raise _unopened(name, info, str(exc)) from None
            result.members.append(Member(info.filename, info.file_size, report, note))
    return result


_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
"""The ways of packing a member that :mod:`zipfile` reads (AES, method 99, is not one)."""


def _held(size: int, limits: Limits, file: str | None) -> None:
    if limits.file_size is not None and size > limits.file_size:
        raise LimitExceeded("file_size", limits.file_size, Location(file=file), f"{size:,} bytes")


def _unopened(file: str | None, info: zipfile.ZipInfo, got: str) -> ValidationError:
    where = Location(file=f"{file or 'the zip'}:{info.filename}")
    message = "does not open: a wrong password, or a damaged zip"
    return ValidationError([Problem(message, where, got=got, code="malformed")])


def _refuse_unopenable(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], key: bytes | None, file: str | None
) -> None:
    """Every member the password cannot open, said at once, before anything is read."""
    problems = []
    for info in infos:
        where = Location(file=f"{file or 'the zip'}:{info.filename}")
        if info.compress_type not in _READABLE:
            problems.append(
                Problem(
                    "is packed in a way Python's zipfile does not read (AES encryption?)",
                    where,
                    expected="a member zipped as the platform does (zip -P)",
                    got=f"compression method {info.compress_type}",
                    code="malformed",
                )
            )
        elif info.flag_bits & 0x1 and key is None:
            problems.append(
                Problem(
                    "is encrypted and no password was given",
                    where,
                    expected=f"the zip's password (karmayogi report reads it from "
                    f"{PASSWORD_VARIABLE}, or asks for it)",
                    code="password",
                )
            )
        elif info.flag_bits & 0x1:
            try:
                with archive.open(info, pwd=key):
                    pass
            except RuntimeError:  # the password's check byte does not match
                message = "does not open with the password given"
                problems.append(Problem(message, where, code="password"))
    if problems:
        raise ValidationError(problems)
