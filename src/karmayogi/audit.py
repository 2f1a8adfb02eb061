"""An audit of a state's files before anyone computes: what is wrong with them, counted,
with examples that are never personal data.

Where a reader rejects a row and goes on, the audit looks at the files whole and says
what a reader cannot: columns out of the platform's spec, the same area or designation
spelled several ways, progress over 100, completions before enrolments, dates after the
report was made, competency arrays of unequal length, and people in several units. Each
:class:`Issue` has a stable code, a count, and a few examples: row numbers and the values
of columns that hold no one's identity (designations, units, courses, competencies),
never a name, an email or a phone.

>>> import io
>>> found = audit({"ConsumptionReport.csv": io.StringIO(
...     "Email,Designation,Ministry,Department,Content_Name,Status,"
...     "Content_Progress_Percentage,Enrolled_On,Completed_On,Report_Last_Generated_On\\n"
...     "a@x.in,Patwari,CG,Revenue,RTI Act,completed,100,2025-05-02,2025-05-01,2026-04-15\\n"
...     "b@x.in,patwari ,CG,Revenue,RTI Act,in-progress,140,2025-05-02,,2026-04-15\\n"
...     "a@x.in,Patwari,CG,Health,Ethics,in-progress,10,2027-01-01,,2026-04-15\\n")})
>>> for issue in found.issues:
...     print(issue)
ConsumptionReport.csv: completed-before-enrolled: 1 row (row 2: Completed_On 2025-05-01 before Enrolled_On 2025-05-02)
ConsumptionReport.csv: future-date: 1 row (row 4: Enrolled_On 2027-01-01 after the report was made, 2026-04-15)
ConsumptionReport.csv: missing-columns: 24 columns of the platform's report are not here (Full_Name, Phone_Number, MDO_Name, ...)
ConsumptionReport.csv: person-in-several-units: 1 person (units: CG/Health, CG/Revenue)
ConsumptionReport.csv: progress-over-100: 1 row (row 3: Content_Progress_Percentage 140)
ConsumptionReport.csv: spelling-variants: 1 value written 2 ways (Designation: 'Patwari', 'patwari ')
"""  # noqa: E501

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from karmayogi._api import presented
from karmayogi._csv import Source, csv_error, opened
from karmayogi._names import name_key
from karmayogi._platform import (
    ASSESSMENT_REPORT_HEADER,
    BLENDED_REPORT_HEADER,
    CBP_REPORT_HEADER,
    CBP_SUMMARY_HEADER,
    COMPETENCY_MAPPING_HEADER,
    CONSUMPTION_REPORT_HEADER,
    CONTENT_REPORT_HEADER,
    USER_REPORT_HEADER,
    unit_named,
)
from karmayogi.designations import words
from karmayogi.errors import ValidationError
from karmayogi.exports import MEMBERS
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.periods import parse_datetime, today_in_india

__all__ = ["CODES", "Audit", "Issue", "audit"]

CODES: dict[str, str] = {
    "unknown-file": "a file that is none of the platform's reports",
    "unreadable": "a file that cannot be read: not UTF-8, not CSV, or past the limits",
    "missing-columns": "columns of the platform's report that the file does not have",
    "extra-columns": "columns the platform's report does not have",
    "spelling-variants": "one designation, unit, course or competency written several ways",
    "progress-over-100": "a progress percentage over 100",
    "completed-before-enrolled": "a completion dated before its enrolment",
    "future-date": "a date after the report was made (or after today, in India)",
    "unequal-competency-arrays": "a course's area, theme and sub-theme arrays of unequal "
    "length, which the platform joins by position, dropping what has no partner",
    "person-in-several-units": "a person placed in more than one unit",
    "not-a-date": "a date column holding what is not a date",
}
"""Each kind of issue, by its stable code."""

EXAMPLES = 3
"""How many examples an issue keeps."""


@attrs.frozen
class Issue:
    """One kind of thing wrong in one file: how many, and a few examples."""

    file: str
    code: str
    count: int
    unit: str
    """What is counted: rows, values, people, columns."""
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        what = self.unit if self.count == 1 else _PLURAL.get(self.unit, self.unit + "s")
        shown = "; ".join(self.examples)
        if self.code in ("missing-columns", "extra-columns"):
            return f"{self.file}: {self.code}: {self.count} {what} {shown}"
        return f"{self.file}: {self.code}: {self.count:,} {what} ({shown})"


_PLURAL = {"person": "people", "value written 2 ways": "values written several ways"}
"""The plural of each unit an issue counts in."""


@attrs.frozen
class Audit:
    """Every issue in the files audited, sorted by file and code, and what each file was
    taken for."""

    issues: tuple[Issue, ...]
    kinds: Mapping[str, str]
    """Each file, and the report it was audited as ("unknown" if none)."""

    def __bool__(self) -> bool:
        return bool(self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": dict(self.kinds),
            "issues": [attrs.asdict(issue) for issue in self.issues],
        }


# Each report: its header, its date columns, the columns whose spellings are compared
# (none of them anyone's identity), its percentages, and (enrolled, completed) pairs.
_SPECS: dict[str, dict[str, Any]] = {
    "ConsumptionReport": {
        "header": CONSUMPTION_REPORT_HEADER,
        "dates": ("Enrolled_On", "Completed_On", "Batch_Start_Date", "Last_Published_On"),
        "names": ("Designation", "Ministry", "Department", "Organization", "Content_Name"),
        "percentages": ("Content_Progress_Percentage",),
        "order": ("Enrolled_On", "Completed_On"),
    },
    "CBPEnrollmentReport": {
        "header": CBP_REPORT_HEADER,
        "dates": ("Allocated On", "Actual Date of Completion"),
        "names": (
            "Designation",
            "Ministry",
            "Department",
            "Organization",
            "Name of CBP Allocated Course",
        ),
        "order": ("Allocated On", "Actual Date of Completion"),
    },
    "CBPUserSummaryReport": {
        "header": CBP_SUMMARY_HEADER,
        "names": ("Designation", "Ministry", "Department", "Organization"),
    },
    "UserReport": {
        "header": USER_REPORT_HEADER,
        "dates": ("User_Registration_Date",),
        "names": ("Designation", "Ministry", "Department", "Organization", "Group"),
    },
    "BlendedProgramReport": {
        "header": BLENDED_REPORT_HEADER,
        "dates": ("Enrolled_On", "Component_Completed_On", "Offline_Session_Date"),
        "names": ("Designation", "Ministry", "Department", "Organization", "Program_Name"),
        "percentages": ("Component_Progress_Percentage",),
        "order": ("Enrolled_On", "Component_Completed_On"),
    },
    "ContentReport": {
        "header": CONTENT_REPORT_HEADER,
        "dates": ("Last_Published_On", "First_Completed_On", "Last_Completed_On"),
        "names": ("Content_Name", "Content_Provider"),
    },
    "UserAssessmentReport": {
        "header": ASSESSMENT_REPORT_HEADER,
        "dates": ("Last Attempted Date",),
        "names": ("Designation", "Ministry", "Department", "Organisation", "Assessment Name"),
        "percentages": ("Latest Percentage Achieved", "Cut off Percentage"),
    },
    "ContentCompetencyMapping": {
        "header": COMPETENCY_MAPPING_HEADER,
        "names": ("competency_area", "competency_theme", "competency_sub_theme"),
        "arrays": ("competencyAreaRefId", "competencyThemeRefId", "competencySubThemeRefId"),
    },
}
_BY_HEADER = {
    report: {name_key(column) for column in spec["header"]} for report, spec in _SPECS.items()
}
_UNITS = ("Ministry", "Department", "Organization")
_ARRAY = re.compile(r"\[(.*)\]", re.DOTALL)


def audit(
    files: Mapping[str, Source] | Iterable[str | os.PathLike[str]],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Audit:
    """Audit each file (a path, or a name and a text stream or bytes): each is taken for
    the report its name or, failing that, its header says, and looked at whole, held to
    ``limits`` as a reader holds it."""
    named = files.items() if isinstance(files, Mapping) else ((os.fspath(f), f) for f in files)
    issues: list[Issue] = []
    kinds: dict[str, str] = {}
    for name, source in named:
        try:
            issues += _audited(name, source, limits, kinds)
        except ValidationError as exc:  # this file cannot be read: said, and on to the next
            kinds.setdefault(name, "unknown")
            said = tuple(str(problem) for problem in exc.problems[:EXAMPLES])
            issues.append(Issue(name, "unreadable", len(exc.problems), "problem", said))
    return Audit(tuple(sorted(issues, key=lambda i: (i.file, i.code))), kinds)


def _audited(name: str, source: Source, limits: Limits, kinds: dict[str, str]) -> list[Issue]:
    with _rows(source, limits) as rows:
        header = next(rows, None) or []
        report = _report_of(name, header)
        kinds[name] = report or "unknown"
        if report is None:
            known = ", ".join(_SPECS)
            return [Issue(name, "unknown-file", 1, "file", (f"none of: {known}",))]
        return _Checks(name, _SPECS[report], header).run(rows)


@contextlib.contextmanager
def _rows(source: Source, limits: Limits) -> Iterator[Iterator[list[str]]]:
    """A file's records, opened as every reader opens one (UTF-8, held to ``limits``): a
    file that is not UTF-8, or not CSV, is an error that says where, as a reader's is."""
    with opened(source, "r", limits) as (file, handle):
        reader = csv.reader(handle, strict=True)

        def records() -> Iterator[list[str]]:
            try:
                yield from reader
            except csv.Error as exc:
                raise csv_error(exc, file, reader.line_num) from None

        yield records()


def _report_of(name: str, header: list[str]) -> str | None:
    """The report a file is, by its name (either of the platform's namings), else by the
    report whose header it shares most of (at least half)."""
    stem = name_key(os.path.splitext(os.path.basename(name))[0])
    for report, names in MEMBERS.items():
        if stem in {name_key(n) for n in (report, *names)}:
            return report
    keys = {name_key(cell) for cell in header}
    best = max(_BY_HEADER, key=lambda r: len(keys & _BY_HEADER[r]))
    return best if len(keys & _BY_HEADER[best]) * 2 >= len(_BY_HEADER[best]) else None


class _Checks:
    """The checks of one file, made row by row in one pass."""

    def __init__(self, file: str, spec: Mapping[str, Any], header: list[str]) -> None:
        self.file, self.spec, self.header = file, spec, header
        self.at = {cell.strip(): i for i, cell in enumerate(header)}
        self.found: dict[str, list[str]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.spellings: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.units: dict[str, set[str]] = defaultdict(set)
        self.made: dt.date | None = None

    def cell(self, cells: list[str], column: str) -> str:
        index = self.at.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    def note(self, code: str, example: str) -> None:
        self.counts[code] += 1
        if len(self.found[code]) < EXAMPLES:
            self.found[code].append(example)

    def run(self, rows: Iterator[list[str]]) -> list[Issue]:
        buffered = list(rows) if "Report_Last_Generated_On" in self.at else None
        if buffered is not None:  # the report's own date bounds every other date in it
            made = {_date(self.cell(r, "Report_Last_Generated_On")[:10]) for r in buffered}
            self.made = max((day for day in made if day is not None), default=None)
        for number, cells in enumerate(buffered if buffered is not None else rows, start=2):
            if any(cell.strip() for cell in cells):
                self.row(number, cells)
        return self.issues()

    def row(self, number: int, cells: list[str]) -> None:
        spec = self.spec
        latest = self.made or today_in_india()
        dates: dict[str, dt.date | None] = {}
        for column in spec.get("dates", ()):
            text = self.cell(cells, column).strip()
            dates[column] = day = _date(text) if text else None
            if text and day is None:
                self.note("not-a-date", f"row {number}: {column} {text!r}")
            elif day is not None and day > latest:
                after = "the report was made" if self.made else "today"
                self.note("future-date", f"row {number}: {column} {text} after {after}, {latest}")
        first, then = spec.get("order", (None, None))
        begun, ended = dates.get(first or ""), dates.get(then or "")
        if begun is not None and ended is not None and ended < begun:
            self.note(
                "completed-before-enrolled",
                f"row {number}: {then} {self.cell(cells, then).strip()} before "
                f"{first} {self.cell(cells, first).strip()}",
            )
        for column in spec.get("percentages", ()):
            text = self.cell(cells, column).strip().rstrip("%")
            try:
                over = float(text) > 100
            except ValueError:
                over = False
            if over:
                self.note("progress-over-100", f"row {number}: {column} {text}")
        for column in spec.get("names", ()):
            text = self.cell(cells, column)
            if text.strip():
                self.spellings[(column, name_key(text))].add(text)
        arrays = [self.cell(cells, c) for c in spec.get("arrays", ()) if c in self.at]
        lengths = [len(_items(a)) for a in arrays]
        if len(set(lengths)) > 1:
            self.note("unequal-competency-arrays", f"row {number}: lengths {lengths}")
        person = (
            next((self.cell(cells, c) for c in ("Email", "E mail") if c in self.at), "")
            .strip()
            .casefold()
        )
        unit, _names = unit_named(
            [self.cell(cells, c) for c in _UNITS], self.cell(cells, "MDO_Name")
        )
        if person and unit:
            self.units[person].add(unit)

    def issues(self) -> list[Issue]:
        out = [
            Issue(self.file, code, self.counts[code], "row", tuple(examples))
            for code, examples in self.found.items()
        ]
        return out + self.columns() + self.variants() + self.several_units()

    def columns(self) -> list[Issue]:
        """The columns the platform's report has and the file does not, and back."""
        spec = {name_key(c) for c in self.spec["header"]}
        given = {name_key(c): c.strip() for c in self.header if c.strip()}
        missing = [c for c in self.spec["header"] if name_key(c) not in given]
        extra = [c for key, c in given.items() if key not in spec]
        out = []
        for code, columns, verb in (
            ("missing-columns", missing, "of the platform's report are not here"),
            ("extra-columns", extra, "are not in the platform's report"),
        ):
            if columns:
                shown = ", ".join(columns[:EXAMPLES]) + (", ..." if len(columns) > EXAMPLES else "")
                out.append(Issue(self.file, code, len(columns), "column", (f"{verb} ({shown})",)))
        return out

    def variants(self) -> list[Issue]:
        """Values of one column that are one name written several ways: alike but for
        case, spacing and punctuation, or, for designations, abbreviated ("Asst. Teacher")
        or as an acronym ("A.N.M.") as plans match them."""
        groups = {k: v for k, v in self.spellings.items() if k[0] != "Designation"}
        designations = [v for k, v in self.spellings.items() if k[0] == "Designation"]
        groups |= _designation_groups(designations)
        variants = [
            (column, sorted(spellings))
            for (column, _key), spellings in sorted(groups.items())
            if len(spellings) > 1
        ]
        if not variants:
            return []
        examples = tuple(
            f"{column}: " + ", ".join(repr(s) for s in spellings[:EXAMPLES])
            for column, spellings in variants[:EXAMPLES]
        )
        unit = "value written 2 ways"
        return [Issue(self.file, "spelling-variants", len(variants), unit, examples)]

    def several_units(self) -> list[Issue]:
        """People placed in several units: counted, with the units (never the people)."""
        several = [sorted(units) for units in self.units.values() if len(units) > 1]
        if not several:
            return []
        examples = tuple("units: " + ", ".join(units[:EXAMPLES]) for units in several[:EXAMPLES])
        return [Issue(self.file, "person-in-several-units", len(several), "person", examples)]


def _designation_groups(groups: Iterable[set[str]]) -> dict[tuple[str, str], set[str]]:
    """Designations grouped by the words they are made of, abbreviations read out, and an
    acronym with the one designation whose initials it is."""
    by_words: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for spellings in groups:
        for written in spellings:
            by_words[tuple(sorted(words(written)))].add(written)
    initials: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for spelled, spellings in by_words.items():
        if len(spelled) > 1 and not all(len(w) == 1 for w in spelled):
            first = words(next(iter(spellings)))  # initials in the written order
            initials["".join(w[0] for w in first)].append(spelled)
    for spelled in list(by_words):
        if len(spelled) > 1 and all(len(w) == 1 for w in spelled):
            acronym = "".join(words(next(iter(by_words[spelled]))))
            meant = initials.get(acronym, [])
            if len(meant) == 1:
                by_words[meant[0]] |= by_words.pop(spelled)
    return {("Designation", " ".join(k)): v for k, v in by_words.items()}


def _date(text: str) -> dt.date | None:
    try:
        return parse_datetime(text.strip()).date()
    except (ValueError, OverflowError):
        return None


def _items(cell: str) -> list[str]:
    match = _ARRAY.fullmatch(cell.strip())
    inner = match.group(1) if match else cell
    return [part for part in inner.split(",") if part.strip()]


__dir__ = presented(__name__, globals(), __all__)
