"""Readers of enrolment records: the platform's CSV exports, xAPI statements and plain
mappings. Each gives an :class:`Import`: the ledger the records joined into, and what became
of every row (used, merged as a duplicate, or rejected with its row and reasons), so that
the counts add up to the rows read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from karmayogi._csv import Source, Table, header_table, opened, stream_records
from karmayogi._html import SHOWN, block, table
from karmayogi._ledger import Enrolment, Ledger, Origin, Status, _assembled, bulk
from karmayogi._names import identity, name_key
from karmayogi.cbp import Allocation, Catalogue, _duration_text
from karmayogi.errors import Finding, Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree
from karmayogi.periods import FIRST_YEAR, IST, LAST_YEAR, parse_date, parse_datetime, today_in_india

if TYPE_CHECKING:
    from karmayogi._xapi import StatementLog

__all__ = [
    "Import",
    "Rejection",
    "read_cbp_report",
    "read_consumption_report",
    "read_enrolments",
]

_LONGEST = 1000 * 3600


@attrs.frozen
class Rejection:
    """A row that was not used, and every reason why."""

    row: int
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


@attrs.define
class Import:
    """What a reader made of its input: the ledger, and what became of every row.

    ``rows`` counts the rows read (blank lines hold nothing and are not rows); each was
    ``used`` (it began a ledger entry or an allocation), merged into an entry an earlier
    row began (``duplicates``), or ``rejected`` with its reasons.
    """

    file: str | None
    ledger: Ledger = attrs.Factory(Ledger)
    rows: int = 0
    used: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = attrs.Factory(list)
    """The first :data:`REJECTIONS_KEPT` rejected rows, each with its reasons."""
    findings: list[Finding] = attrs.Factory(list)
    tree: OrgTree = attrs.Factory(lambda: OrgTree([]))
    """The organisation tree the rows' Ministry / Department / Organization columns spell
    (empty for an input that names no units: xAPI, records from code)."""
    places: dict[str, str] = attrs.Factory(dict)
    """Each person's unit in :attr:`tree`, where the rows say."""
    allocations: list[Allocation] = attrs.Factory(list)
    """Plan allocations, from a CBP enrolment report."""
    rejected_rows: int = 0
    """Every rejected row, counted, however many :attr:`rejected` lists."""
    voided: int = 0
    """xAPI statements that void another, or that another voids."""
    statements: StatementLog | None = attrs.field(default=None, repr=False)
    """From xAPI: the statements and the voided ids, to merge with later pulls."""

    @property
    def accounted(self) -> bool:
        """Whether every row read is used, a duplicate, voided or rejected (always, by
        design)."""
        return self.rows == self.used + self.duplicates + self.voided + self.rejected_rows

    def summary(self) -> str:
        return _summary(
            self.file, self.rows, self.used, self.duplicates, self.rejected_rows,
            len(self.rejected), voided=self.voided,
        )  # fmt: skip

    def _repr_html_(self) -> str:
        """In a notebook: the summary, every rejected row with its reasons, and the
        findings (``ledger.to_pandas()`` gives the records)."""
        rejected = table(["row", "reasons"], ([r.row, str(r)] for r in self.rejected), limit=SHOWN)
        return block(
            self.summary(),
            rejected if self.rejected else "",
            [str(f) for f in self.findings],
        )

    def _take(self, record: Enrolment) -> None:
        """Join a valid record in and count its row."""
        if self.ledger.add(record):
            self.used += 1
        else:
            self.duplicates += 1

    def _reject(self, row: int, problems: list[Problem]) -> None:
        self.rejected_rows += 1
        if len(self.rejected) < REJECTIONS_KEPT:
            self.rejected.append(Rejection(row, tuple(problems)))


REJECTIONS_KEPT = 10_000
"""How many rejected rows a reader lists with their reasons; past them it counts. A file
of a million bad rows would otherwise hold gigabytes of reasons no one reads."""


def _summary(  # noqa: PLR0917 - one argument per number said
    file: str | None,
    rows: int,
    used: int,
    duplicates: int,
    rejected: int,
    listed: int,
    *,
    voided: int = 0,
) -> str:
    """What became of a reader's rows, in a line."""
    text = (
        f"{file or 'the input'}: {rows} rows read: {used} used, {duplicates} merged as "
        f"duplicates, " + (f"{voided} voided, " if voided else "") + f"{rejected} rejected"
    )
    return text + (f" (the first {listed:,} listed)" if listed < rejected else "")


# --- Making records fast ---------------------------------------------------------------------

_origin = tuple.__new__


def _record(  # noqa: PLR0917 - one argument per field, as fast as a call can be
    person: str,
    course: str,
    status: Status,
    progress: float,
    enrolled_at: dt.datetime | None,
    completed_at: dt.datetime | None,
    certificates: tuple[str, ...],
    duration: int | None,
    origin: Origin,
) -> Enrolment | str:
    """A record without the cost of attrs' checks and conversions, for readers that give
    every field in its final form (times in IST); then one consistency check. Gives the
    record, or what is inconsistent about it."""
    record = _assembled(person, course, status, progress, enrolled_at, completed_at,
                        certificates, duration, origin)  # fmt: skip
    # The common consistent cases pass here at once; anything else gets the full check.
    if status is COMPLETED:
        if progress == 100.0 and completed_at is not None:
            return record
    elif (
        completed_at is None
        and not certificates
        and 0.0 <= progress <= 100.0
        and (status is IN_PROGRESS or progress == 0.0)
    ):
        return record
    return record.inconsistency() or record


COMPLETED, IN_PROGRESS = Status.COMPLETED, Status.IN_PROGRESS


_NO_CERTIFICATES: tuple[str, ...] = ()
_UNKNOWN_CERTIFICATE = ("",)


def _time(text: str) -> dt.datetime:
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


_YES = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "": False,
}


def _seconds(text: str) -> int:
    seconds = int(_duration_text(text).total_seconds())
    if seconds > _LONGEST:
        raise ValueError(f"a duration is at most 1000 hours, got {text!r}")
    return seconds


# --- The platform's enrolment export (ConsumptionReport.csv) ----------------------------------

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

CONSUMPTION_COLUMNS = {
    "email": ("Email",),
    "external_id": ("External_System_Id",),
    "designation": ("Designation",),
    "ministry": ("Ministry",),
    "department": ("Department",),
    "organisation": ("Organization", "Organisation"),
    "mdo": ("MDO_Name",),
    "course": ("Content_Name",),
    "course_id": ("Content_Id", "Course_Id", "do_id"),
    "duration": ("Content_Duration",),
    "enrolled": ("Enrolled_On",),
    "status": ("Status",),
    "progress": ("Content_Progress_Percentage",),
    "completed": ("Completed_On",),
    "certificate": ("Certificate_Generated",),
    "certificate_id": ("Certificate_ID",),
}
"""The columns read, by the platform's names; the other columns (names, phones, ratings,
batches) are not read, and only listed as findings."""

_PERSON_KEYS = {"email": "email", "external_system_id": "external_id"}


def read_consumption_report(
    source: Source,
    *,
    person_key: str = "Email",
    catalogue: Catalogue | None = None,
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
        table, key_column = _consumption_table(file, header, person_key, limits)
        result = Import(file, findings=list(table.findings))
        reader = _ConsumptionRows(table, result, key_column, catalogue)
        with bulk():
            reader.read_all(records)
        reader.finish()
    return result


def _consumption_table(
    file: str | None, header: list[str] | None, person_key: str, limits: Limits
) -> tuple[Table, str]:
    """The export's columns found in its header, and the column that knows a person; or
    every problem with the header."""
    key_column = _PERSON_KEYS.get(name_key(person_key).replace(" ", ""), "person")
    columns = dict(CONSUMPTION_COLUMNS)
    if key_column == "person":
        columns["person"] = (person_key,)
    table = header_table(file, header, columns, (key_column, "enrolled", "status"), limits)
    if "course" not in table.columns and "course_id" not in table.columns:
        raise ValidationError(
            [
                Problem(
                    "is missing a course column",
                    Location(file=file, row=1),
                    expected="Content_Name (or Content_Id)",
                    got=", ".join(header or []),
                )
            ]
        )
    return table, key_column


_Bad = Callable[[str, str, str], None]
"""Reports a problem with a row's column: (column, message, expected)."""


_UNSEEN = "\0 a unit not seen yet"  # a look-up's default, told apart by identity
_UNIT_COLUMNS = ("ministry", "department", "organisation")


class _Learner:
    """What the reader keeps of one person: their key; the unit of their latest enrolment
    (which places them) and its time; and the names their last row gave with its unit,
    since most of a person's rows name the unit their last row did, which is cheaper to
    compare than to look up."""

    __slots__ = ("at", "names", "names_unit", "person", "unit")

    def __init__(self, person: str) -> None:
        self.person = person
        self.at = _NEVER
        self.unit: str | None = None
        self.names: tuple[str, ...] = _NO_NAMES
        self.names_unit: str | None = None


_NO_NAMES = ("\0", "\0", "\0")  # names no row has
_NEVER = dt.datetime.min.replace(tzinfo=IST)


class _ConsumptionRows:
    """The per-row work of :func:`read_consumption_report`, with its caches."""

    def __init__(
        self, table: Table, result: Import, key_column: str, catalogue: Catalogue | None
    ) -> None:
        self.table = table
        self.result = result
        self.email = key_column == "email"
        self.key_title = table.columns[key_column][1]
        self.renormalised: set[str] = set()
        self.at = {c: i for c, (i, _title) in table.columns.items()}
        self.key_index = self.at[key_column]
        # Every column the fast path reads, an absent one at the blank cell after the row.
        wanted = [*CONSUMPTION_COLUMNS, "person"]
        self.index = {c: self.at.get(c, table.width) for c in wanted}
        self.index["person"] = self.key_index
        self.index["course"] = self.at.get("course_id", self.at.get("course", table.width))
        self.courses = {name_key(c.name): c.id for c in catalogue.courses} if catalogue else {}
        self.by_name = bool(self.courses) and "course_id" not in self.at
        self.statuses: dict[str, Status] = {}
        # A person's cell as written, and their key, to what the reader keeps of them.
        self.learners: dict[str, _Learner] = {}
        self.by_person: dict[str, _Learner] = {}
        # A course's cell as written to the course: one string, shared by all its records.
        self.course_of: dict[str, str] = {}
        # A percentage read once, as one float object: millions of rows share a hundred.
        self.numbers = {str(n): float(n) for n in range(101)}
        self.durations: dict[str, int] = {}
        self.units: dict[tuple[str, ...], str | None] = {}
        self.paths: set[tuple[str, ...]] = set()
        self.other_units: dict[str, set[str]] = {}

    def cell(self, cells: list[str], column: str) -> str:
        index = self.at.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def read_all(self, records: Iterable[tuple[int, list[str]]]) -> None:  # noqa: PLR0915
        """The fast path, for rows that are right, with everything it touches in local
        names (this loop runs millions of times); anything amiss goes to the careful path,
        which finds every problem of the row."""
        width, file = self.table.width, self.table.file
        at = self.index
        ip, ic, ist, ien, ico = (
            at[c] for c in ("person", "course", "status", "enrolled", "completed")
        )
        ipr, ice, icid, idu = (
            at[c] for c in ("progress", "certificate", "certificate_id", "duration")
        )
        imi, ide, ior = (at[c] for c in ("ministry", "department", "organisation"))
        learners, course_of, units = self.learners, self.course_of, self.units
        statuses, numbers, durations = self.statuses, self.numbers, self.durations
        people = self.result.ledger._people
        time, make, origin = _time, _record, _origin
        used = duplicates = rows = 0
        for row, cells in records:
            rows += 1
            count = len(cells)
            if count != width:
                if count > width:
                    self._diagnose(row, cells)
                    continue
                cells.extend([""] * (width - count))
            cells.append("")  # where absent columns point
            learner = learners.get(cells[ip]) or self._learner(cells[ip])
            course = course_of.get(cells[ic]) or self._course(cells[ic])
            if learner is None or course is None:
                self._diagnose(row, cells[:width])
                continue
            person = learner.person
            try:
                status = statuses[cells[ist].strip()]
                enrolled_at = time(cells[ien].strip())
                text = cells[ico].strip()
                completed_at = time(text) if text else None
                text = cells[ipr].strip()
                progress = numbers[text] if text else (100.0 if status is COMPLETED else 0.0)
                certificates = _NO_CERTIFICATES
                if _YES[cells[ice].strip().casefold()]:
                    text = cells[icid].strip()
                    certificates = (text,) if text else _UNKNOWN_CERTIFICATE
                text = cells[idu].strip()
                duration = durations[text] if text else None
            except (KeyError, ValueError):
                self._diagnose(row, cells[:width])
                continue
            record = make(person, course, status, progress, enrolled_at, completed_at,
                          certificates, duration, origin(Origin, (file, row, None)))  # fmt: skip
            if isinstance(record, str):
                self.result._reject(row, [Problem(record, Location(file=file, row=row))])
                continue
            entries = people.get(person)
            if entries is None:
                people[person] = {course: record}
                used += 1
            else:
                before = entries.get(course)
                if before is None:
                    entries[course] = record
                    used += 1
                else:
                    entries[course] = before.join(record)
                    duplicates += 1
            names = learner.names
            if cells[imi] == names[0] and cells[ide] == names[1] and cells[ior] == names[2]:
                unit = learner.names_unit
            else:
                names = (cells[imi], cells[ide], cells[ior])
                unit = units.get(names, _UNSEEN)
                if unit is _UNSEEN:
                    unit = self._locate(cells)
                if names in units:  # not when the unit is the row's own MDO_Name
                    learner.names, learner.names_unit = names, unit
            if unit is None:
                continue
            if learner.unit is None:
                learner.at, learner.unit = enrolled_at, unit
            elif learner.unit != unit:
                self._settle(learner, unit, enrolled_at)
            elif enrolled_at > learner.at:
                learner.at = enrolled_at
        self.result.rows += rows
        self.result.used += used
        self.result.duplicates += duplicates

    def _diagnose(self, row: int, cells: list[str]) -> None:
        """The careful path: every problem of the row, or the row taken after all (when the
        fast path only missed a cache, such as a status or duration not seen before)."""
        problems: list[Problem] = []
        table = self.table

        def bad(column: str, message: str, expected: str | None = None) -> None:
            where = table.where(row, column)
            got = self.cell(cells, column)
            problems.append(Problem(message, where, expected=expected, got=got))

        if len(cells) > table.width:
            where = Location(file=table.file, row=row)
            expected = f"at most {table.width} cells"
            message = "has more cells than the header has columns"
            problems.append(Problem(message, where, expected=expected, got=str(len(cells))))
        person, course = self._who(cells, bad)
        status = self._status(cells, bad)
        enrolled_at, completed_at = self._times(cells, bad)
        progress, certified, duration = self._amounts(cells, status, bad)
        if problems:
            self.result._reject(row, problems)
            return
        assert status is not None
        assert enrolled_at is not None
        certificates = _NO_CERTIFICATES
        if certified:
            certificate_id = self.cell(cells, "certificate_id")
            certificates = (certificate_id,) if certificate_id else _UNKNOWN_CERTIFICATE
        record = _record(
            person,
            course,
            status,
            progress,
            enrolled_at,
            completed_at,
            certificates,
            duration,
            Origin(table.file, row),
        )
        if isinstance(record, str):
            self.result._reject(row, [Problem(record, Location(file=table.file, row=row))])
            return
        self.result._take(record)
        self._place(person, cells, enrolled_at)

    def _who(self, cells: list[str], bad: _Bad) -> tuple[str, str]:
        person = self._key(cells[self.key_index]) if self.key_index < len(cells) else ""
        if not person:
            bad("email" if self.email else "person", "is blank", "the person's key")
        course = self.cell(cells, "course_id") or self.cell(cells, "course")
        if not course:
            bad("course", "is blank", "the course's name")
        elif self.by_name:
            course = self.courses.get(name_key(course), course)
        return person, course

    def _status(self, cells: list[str], bad: _Bad) -> Status | None:
        text = self.cell(cells, "status")
        status = self.statuses.get(text)
        if status is None:
            try:
                status = self.statuses[text] = Status.parse(text)
            except ValueError:
                bad("status", "is not a status", "not-started, in-progress or completed")
        return status

    def _times(self, cells: list[str], bad: _Bad) -> tuple[dt.datetime | None, dt.datetime | None]:
        enrolled_at = completed_at = None
        enrolled_text = self.cell(cells, "enrolled")
        if not enrolled_text:
            bad("enrolled", "is blank", "the time of enrolment")
        else:
            try:
                enrolled_at = _time(enrolled_text)
            except ValueError:
                bad("enrolled", "is not a time", "yyyy-MM-dd HH:mm:ss")
        completed_text = self.cell(cells, "completed")
        if completed_text:
            try:
                completed_at = _time(completed_text)
            except ValueError:
                bad("completed", "is not a time", "yyyy-MM-dd HH:mm:ss")
        return enrolled_at, completed_at

    def _amounts(
        self, cells: list[str], status: Status | None, bad: _Bad
    ) -> tuple[float, bool | None, int | None]:
        text = self.cell(cells, "progress")
        progress = 100.0 if status is Status.COMPLETED else 0.0
        if text:
            try:
                progress = float(text)
            except ValueError:
                bad("progress", "is not a number", "0..100")
        certified = _YES.get(self.cell(cells, "certificate").casefold())
        if certified is None:
            bad("certificate", "is not Yes or No", "Yes or No")
        duration = None
        text = self.cell(cells, "duration")
        if text:
            duration = self.durations.get(text)
            if duration is None:
                try:
                    duration = self.durations[text] = _seconds(text)
                except ValueError:
                    bad("duration", "is not a duration", "HH:MM:SS, at most 1000 hours")
        return progress, certified, duration

    def _key(self, text: str) -> str:
        """A person's key, as :func:`identity` compares it (emails without case); a key
        that invisible characters or another Unicode form changed is counted, for a
        finding."""
        person = identity(text)
        if not text.isascii() and person != text.strip():
            self.renormalised.add(person)
        return person.casefold() if self.email else person

    def _learner(self, text: str) -> _Learner | None:
        """The person a cell names (None if blank), known from now on by the cell as
        written too."""
        person = self._key(text)
        if not person:
            return None
        learner = self.by_person.get(person)
        if learner is None:
            learner = self.by_person[person] = _Learner(person)
        self.learners[text] = learner
        return learner

    def _course(self, text: str) -> str | None:
        """The course a cell names (None if blank), known from now on by the cell."""
        course = text.strip()
        if not course:
            return None
        if self.by_name:
            course = self.courses.get(name_key(course), course)
        self.course_of[text] = course
        return course

    def _place(self, person: str, cells: list[str], enrolled_at: dt.datetime) -> None:
        """Place a person by a row's units."""
        unit = self._locate(cells)
        if unit is not None:
            learner = self.by_person.get(person)
            if learner is None:
                learner = self.by_person[person] = _Learner(person)
            self._settle(learner, unit, enrolled_at)

    def _locate(self, cells: list[str]) -> str | None:
        """The unit a row's Ministry / Department / Organization names (remembered, for
        the rows that follow, and for the tree), or else its MDO_Name."""
        at = self.index
        written = tuple(cells[at[c]] if at[c] < len(cells) else "" for c in _UNIT_COLUMNS)
        unit, names = _unit_named(written, self.cell(cells, "mdo"))
        if len(names) == len(written):  # not a row's own MDO_Name: remembered
            self.units[written] = unit
        if unit is not None:
            self.paths.add(names)
        return unit

    def _settle(self, learner: _Learner, unit: str, enrolled_at: dt.datetime) -> None:
        """Place a person in the unit of their latest enrolment."""
        if learner.unit is None:
            learner.at, learner.unit = enrolled_at, unit
        elif learner.unit != unit:
            self.other_units.setdefault(learner.person, {learner.unit}).add(unit)
            learner.at, learner.unit = max((learner.at, learner.unit), (enrolled_at, unit))
        elif enrolled_at > learner.at:
            learner.at = enrolled_at

    def renormalised_finding(self) -> list[Finding]:
        """The finding that some people's keys were written with invisible characters or
        in another Unicode form, if any were."""
        if not self.renormalised:
            return []
        return [
            Finding(
                "person-key-normalised",
                f"{len(self.renormalised)} people's {self.key_title} held invisible "
                "characters or another Unicode form; they are compared without them",
                Location(file=self.table.file, field=self.key_title),
            )
        ]

    def finish(self) -> None:
        self.result.findings += self.renormalised_finding()
        first, last = plausible_dates()
        outside = sum(
            1
            for entry in self.result.ledger
            if any(
                when is not None and not first <= when.date() <= last
                for when in (entry.enrolled_at, entry.completed_at)
            )
        )
        self.result.findings += implausible_finding(outside, self.table.file)
        self.result.tree = OrgTree.from_paths(sorted(self.paths))
        self.result.places = {
            learner.person: learner.unit
            for learner in self.by_person.values()
            if learner.unit is not None
        }
        for person, units in sorted(self.other_units.items()):
            self.result.findings.append(
                Finding(
                    "person-in-several-units",
                    f"{person} appears in {len(units)} units ({', '.join(sorted(units))}); "
                    f"placed in {self.result.places[person]}, the unit of their latest enrolment",
                    Location(file=self.table.file),
                )
            )


def plausible_dates() -> tuple[dt.date, dt.date]:
    """The dates a learning record may plausibly have: from 2015 (before iGOT Karmayogi,
    for records brought over from older systems) to a year from today, in India."""
    return _FIRST_PLAUSIBLE, today_in_india() + dt.timedelta(days=366)


_FIRST_PLAUSIBLE = dt.date(2015, 1, 1)


def implausible_finding(count: int, file: str | None) -> list[Finding]:
    """The finding that ``count`` enrolments are dated outside :func:`plausible_dates`."""
    if not count:
        return []
    first, last = plausible_dates()
    return [
        Finding(
            "implausible-date",
            f"{count} enrolment(s) are dated before {first:%d/%m/%Y} or after "
            f"{last:%d/%m/%Y}: a typing slip (2205 for 2025)? They are counted as dated",
            Location(file=file),
        )
    ]


def _unit_named(written: Sequence[str], mdo: str) -> tuple[str | None, tuple[str, ...]]:
    """The unit a row's Ministry / Department / Organization cells name, or else its
    MDO_Name (None if all are blank), and the names that spell it."""
    names = tuple(name.strip() for name in written)
    if not any(names):
        names = (mdo.strip(),)
    return OrgTree.path_id(names), names


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
    catalogue: Catalogue | None = None,
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
        placer = _ConsumptionRows(table, result, "email", None)
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
            if seen is None or allocation.due > seen.due:
                allocations[key] = allocation
            if record is not None:
                result.ledger.add(record)
            placer._place(allocation.person, cells, _NEVER)
        placer.finish()
        result.allocations = sorted(allocations.values(), key=lambda a: (a.person, a.course))
    return result


def _cbp_row(
    table: Table, row: int, cells: list[str], plan: str, courses: Mapping[str, str]
) -> tuple[Allocation | None, Enrolment | None, list[Problem]]:
    problems: list[Problem] = []
    values = table.values(row, cells, problems)

    def bad(column: str, message: str, expected: str) -> None:
        problems.append(
            Problem(message, table.where(row, column), expected=expected, got=values[column])
        )

    person = identity(values["email"]).casefold()
    if not person:
        bad("email", "is blank", "the person's email")
    course = courses.get(name_key(values["course"]), values["course"])
    if not course:
        bad("course", "is blank", "the course's name")
    due = completed_at = None
    try:
        due = parse_date(values["due"])
    except ValueError:
        bad("due", "is not a date", "yyyy-MM-dd or dd/mm/yyyy")
    apar = _YES.get(values.get("apar", "").casefold())
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
            completed_at = _time(values["completed"])
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
    record = _record(
        person,
        course,
        status,
        100.0 if status is Status.COMPLETED else 0.0,
        None,
        completed_at,
        _NO_CERTIFICATES,
        None,
        Origin(table.file, row),
    )
    if isinstance(record, str):
        return None, None, [Problem(record, Location(file=table.file, row=row))]
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
        return _seconds(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a duration is seconds or HH:MM:SS, not {type(value).__name__}")
    if not 0 <= value <= _LONGEST:
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
                    )
                )
                continue
            try:
                fields[key] = convert(value)
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), where, got=str(value)))
        if not problems:
            try:
                record = Enrolment(**fields, origins=(Origin(None, index + 1),))
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), Location(path=f"{name}[{index}]")))
            else:
                result._take(record)
                continue
        result._reject(index + 1, problems)
    return result
