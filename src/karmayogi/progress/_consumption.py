"""The one place that knows the platform's enrolment export, ``ConsumptionReport.csv``:
its header, the columns read, how each cell is parsed, and the per-row work with its fast
path and careful path. The reference reader (:func:`karmayogi.progress.read_consumption_report`)
and the frame reader (:func:`karmayogi.columnar.read_consumption_frame`) both read by it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from karmayogi._csv import Table, header_table
from karmayogi._durations import duration_seconds
from karmayogi._joins import CourseNames
from karmayogi._names import YES_NO, identity, name_key
from karmayogi._platform import parse_time, unit_named
from karmayogi.errors import Finding, Location, Problem, ValidationError
from karmayogi.limits import Limits
from karmayogi.org import OrgTree
from karmayogi.periods import IST, plausible_dates
from karmayogi.progress._account import Import
from karmayogi.progress._records import (
    COMPLETED,
    Origin,
    Status,
    checked_record,
    entries_by_person,
)

__all__ = [
    "CERTIFIED",
    "CONSUMPTION_COLUMNS",
    "NEVER",
    "NO_CERTIFICATES",
    "ConsumptionRows",
    "consumption_table",
    "implausible_finding",
    "parse_time",
    "unit_named",
]

_origin = tuple.__new__

NO_CERTIFICATES: tuple[str, ...] = ()
_UNKNOWN_CERTIFICATE = ("",)


CERTIFIED = {**YES_NO, "": False}
"""A Certificate_Generated cell's words (blank is no)."""


# --- The platform's enrolment export (ConsumptionReport.csv) ----------------------------------


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


def consumption_table(
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
                    code="missing-column",
                )
            ]
        )
    return table, key_column


_Bad = Callable[[str, str, str, str], None]
"""Reports a problem with a row's column: (column, message, expected, code)."""


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
        self.at = NEVER
        self.unit: str | None = None
        self.names: tuple[str, ...] = _NO_NAMES
        self.names_unit: str | None = None


_NO_NAMES = ("\0", "\0", "\0")  # names no row has
NEVER = dt.datetime.min.replace(tzinfo=IST)


class ConsumptionRows:
    """The per-row work of :func:`read_consumption_report`, with its caches."""

    def __init__(
        self, table: Table, result: Import, key_column: str, catalogue: CourseNames | None
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
        people = entries_by_person(self.result.ledger)
        time, make, origin = parse_time, checked_record, _origin
        used = duplicates = rows = 0
        for row, cells in records:
            rows += 1
            count = len(cells)
            if count != width:
                if count > width:
                    self.diagnose(row, cells)
                    continue
                cells.extend([""] * (width - count))
            cells.append("")  # where absent columns point
            learner = learners.get(cells[ip]) or self.learner_named(cells[ip])
            course = course_of.get(cells[ic]) or self.course_named(cells[ic])
            if learner is None or course is None:
                self.diagnose(row, cells[:width])
                continue
            person = learner.person
            try:
                status = statuses[cells[ist].strip()]
                enrolled_at = time(cells[ien].strip())
                text = cells[ico].strip()
                completed_at = time(text) if text else None
                text = cells[ipr].strip()
                progress = numbers[text] if text else (100.0 if status is COMPLETED else 0.0)
                certificates = NO_CERTIFICATES
                if CERTIFIED[cells[ice].strip().casefold()]:
                    text = cells[icid].strip()
                    certificates = (text,) if text else _UNKNOWN_CERTIFICATE
                text = cells[idu].strip()
                duration = durations[text] if text else None
            except (KeyError, ValueError):
                self.diagnose(row, cells[:width])
                continue
            record = make(person, course, status, progress, enrolled_at, completed_at,
                          certificates, duration, origin(Origin, (file, row, None)))  # fmt: skip
            if isinstance(record, str):
                self.result._reject(
                    row, [Problem(record, Location(file=file, row=row), code="inconsistent")]
                )
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

    def diagnose(self, row: int, cells: list[str]) -> None:
        """The careful path: every problem of the row, or the row taken after all (when the
        fast path only missed a cache, such as a status or duration not seen before)."""
        problems: list[Problem] = []
        table = self.table

        def bad(column: str, message: str, expected: str, code: str) -> None:
            where = table.where(row, column)
            got = self.cell(cells, column)
            problems.append(Problem(message, where, expected=expected, got=got, code=code))

        if len(cells) > table.width:
            where = Location(file=table.file, row=row)
            expected = f"at most {table.width} cells"
            message = "has more cells than the header has columns"
            problems.append(
                Problem(message, where, expected=expected, got=str(len(cells)), code="extra-cells")
            )
        person, course = self._who(cells, bad)
        status = self._status(cells, bad)
        enrolled_at, completed_at = self._times(cells, bad)
        progress, certified, duration = self._amounts(cells, status, bad)
        if problems:
            self.result._reject(row, problems)
            return
        assert status is not None
        assert enrolled_at is not None
        certificates = NO_CERTIFICATES
        if certified:
            certificate_id = self.cell(cells, "certificate_id")
            certificates = (certificate_id,) if certificate_id else _UNKNOWN_CERTIFICATE
        record = checked_record(
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
            self.result._reject(
                row, [Problem(record, Location(file=table.file, row=row), code="inconsistent")]
            )
            return
        self.result._take(record)
        self.place(person, cells, enrolled_at)

    def _who(self, cells: list[str], bad: _Bad) -> tuple[str, str]:
        person = self._key(cells[self.key_index]) if self.key_index < len(cells) else ""
        if not person:
            bad("email" if self.email else "person", "is blank", "the person's key", "blank")
        course = self.cell(cells, "course_id") or self.cell(cells, "course")
        if not course:
            bad("course", "is blank", "the course's name", "blank")
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
                bad(
                    "status",
                    "is not a status",
                    "not-started, in-progress or completed",
                    "malformed",
                )
        return status

    def _times(self, cells: list[str], bad: _Bad) -> tuple[dt.datetime | None, dt.datetime | None]:
        enrolled_at = completed_at = None
        enrolled_text = self.cell(cells, "enrolled")
        if not enrolled_text:
            bad("enrolled", "is blank", "the time of enrolment", "blank")
        else:
            try:
                enrolled_at = parse_time(enrolled_text)
            except ValueError:
                bad("enrolled", "is not a time", "yyyy-MM-dd HH:mm:ss", "malformed")
        completed_text = self.cell(cells, "completed")
        if completed_text:
            try:
                completed_at = parse_time(completed_text)
            except ValueError:
                bad("completed", "is not a time", "yyyy-MM-dd HH:mm:ss", "malformed")
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
                bad("progress", "is not a number", "0..100", "malformed")
        certified = CERTIFIED.get(self.cell(cells, "certificate").casefold())
        if certified is None:
            bad("certificate", "is not Yes or No", "Yes or No", "malformed")
        duration = None
        text = self.cell(cells, "duration")
        if text:
            duration = self.durations.get(text)
            if duration is None:
                try:
                    duration = self.durations[text] = duration_seconds(text)
                except ValueError:
                    bad(
                        "duration", "is not a duration", "HH:MM:SS, at most 1000 hours", "malformed"
                    )
        return progress, certified, duration

    def _key(self, text: str) -> str:
        """A person's key, as :func:`identity` compares it (emails without case); a key
        that invisible characters or another Unicode form changed is counted, for a
        finding."""
        person = identity(text)
        if not text.isascii() and person != text.strip():
            self.renormalised.add(person)
        return person.casefold() if self.email else person

    def learner_named(self, text: str) -> _Learner | None:
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

    def course_named(self, text: str) -> str | None:
        """The course a cell names (None if blank), known from now on by the cell."""
        course = text.strip()
        if not course:
            return None
        if self.by_name:
            course = self.courses.get(name_key(course), course)
        self.course_of[text] = course
        return course

    def place(self, person: str, cells: list[str], enrolled_at: dt.datetime) -> None:
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
        unit, names = unit_named(written, self.cell(cells, "mdo"))
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


def implausible_finding(count: int, file: str | None) -> list[Finding]:
    """The finding that ``count`` enrolments are dated outside
    :func:`karmayogi.periods.plausible_dates`."""
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
