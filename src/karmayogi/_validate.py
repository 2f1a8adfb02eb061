"""``karmayogi validate``: each file recognised by what it holds (a CSV by its header, a
JSON file by its shape), read by the reader of its kind, and every problem in it said."""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from karmayogi._files import (
    load_json,
    read_catalogue,
    read_plans,
    read_positions,
    read_profiles,
    said,
)
from karmayogi._names import name_key
from karmayogi.cbp import read_allocations_csv
from karmayogi.competency import Framework, default_framework
from karmayogi.errors import KarmayogiError, ValidationError
from karmayogi.exports import (
    PASSWORD_VARIABLE,
    read_assessment_report,
    read_blended_report,
    read_cbp_summary,
    read_competency_mapping,
    read_content_report,
    read_mdo_zip,
    read_user_report,
)
from karmayogi.org import read_people_csv, read_units_csv
from karmayogi.progress import (
    Campaign,
    read_cbp_report,
    read_consumption_report,
    read_membership_csv,
    read_xapi,
)

__all__ = ["USER_REPORT_KIND", "ZIP_KIND", "Checked", "check_file", "kind_of"]


@attrs.frozen
class Checked:
    """What ``validate`` found in one file."""

    file: str
    kind: str | None
    """What the file was recognised as, or None when it is none of the library's files."""
    summary: str
    problems: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.kind is not None and not self.problems

    def __str__(self) -> str:
        lines = [f"{self.file}: {self.kind or 'not recognised'}: {self.summary}"]
        lines += [f"  {p}" for p in self.problems]
        lines += [f"  finding: {f}" for f in self.findings]
        return "\n".join(lines)


_Reader = Callable[[str], tuple[str, tuple[str, ...], tuple[str, ...]]]
"""A reader for one kind: (summary, problems, findings) of the file at a path."""


def _import(read: Callable[[str], Any]) -> _Reader:
    """A reader of rows that accounts for each (an export): its rejected rows are problems."""

    def check(path: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        result = read(path)
        rejected = tuple(f"rejected: {r}" for r in result.rejected)
        summary = result.summary().removeprefix(f"{path}: ")
        return summary, rejected, _findings(result.findings)

    return check


def _findings(findings: Iterable[Any]) -> tuple[str, ...]:
    """Findings as lines, the columns a reader does not use said in one."""
    unread = [f.where.field for f in findings if f.code == "ignored-column"]
    lines = [str(f) for f in findings if f.code != "ignored-column"]
    if unread:
        lines.append("columns not read: " + ", ".join(unread))
    return tuple(lines)


def _count(read: Callable[[str], Any], what: str) -> _Reader:
    def check(path: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        return f"{len(read(path)):,} {what}", (), ()

    return check


def _with_findings(read: Callable[[str], tuple[Any, Iterable[Any]]], what: str) -> _Reader:
    def check(path: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        value, findings = read(path)
        return f"{len(value):,} {what}", (), _findings(findings)

    return check


def _framework(path: str) -> Any:
    return Framework.from_file(path)


def _case(path: str) -> Any:
    return Framework.from_case(Path(path))


def _campaign(path: str) -> str:
    week = Campaign.from_file(path)
    return f"{week.name}, {week.start} to {week.end}, {len(week.overrides)} unit(s) on other days"


def _plans(path: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    form, plans = read_plans(path)
    states = ", ".join(f"{p.id} ({p.status.value})" for p in plans)
    return f"{len(plans)} plan(s) as {form}: {states}", (), ()


def _zip(path: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """An MDO's zip: each member read (the password from the environment, as the report
    takes it), its rejected rows its problems."""
    reports = read_mdo_zip(path, password=os.environ.get(PASSWORD_VARIABLE))
    lines = reports.summary_lines()
    rejected = tuple(
        f"rejected: {name}: {r}" for name, read in reports.reports() for r in read.rejected
    )
    return lines[0].removeprefix(f"{path}: "), rejected, tuple(line.strip() for line in lines[1:])


ZIP_KIND = "an MDO's zip of the platform's reports"
"""A zip is known by its bytes, not by a rule on a header or a shape."""
USER_REPORT_KIND = "the users report (UserReport.csv)"

_KCM = default_framework
_READERS: dict[str, _Reader] = {
    ZIP_KIND: _zip,
    "the enrolment export (ConsumptionReport.csv)": _import(read_consumption_report),
    "the CBP enrolment export (CBPEnrollmentReport.csv)": _import(read_cbp_report),
    USER_REPORT_KIND: _import(read_user_report),
    "the CBP summary report (CBPUserSummaryReport.csv)": _import(read_cbp_summary),
    "the blended programme report (BlendedProgramReport.csv)": _import(read_blended_report),
    "the content report (ContentReport.csv)": _import(read_content_report),
    "the assessment report (UserAssessmentReport.csv)": _import(read_assessment_report),
    "the competency mapping (ContentCompetencyMapping.csv)": _import(read_competency_mapping),
    "role profiles (designation CSV)": _with_findings(
        lambda p: read_positions(p, _KCM()), "positions"
    ),
    "a catalogue (CSV)": _with_findings(lambda p: read_catalogue(p, _KCM()), "courses"),
    "units (CSV)": _count(read_units_csv, "units"),
    "allocations (CSV)": _count(read_allocations_csv, "allocations"),
    "postings (CSV)": _count(read_membership_csv, "postings"),
    "people (CSV)": _count(read_people_csv, "people"),
    "a competency framework (JSON)": _count(
        lambda p: list(_framework(p).competencies()), "competencies"
    ),
    "a CASE package (JSON)": _count(lambda p: list(_case(p).competencies()), "competencies"),
    "a catalogue (JSON)": _with_findings(lambda p: read_catalogue(p, _KCM()), "courses"),
    "plans (JSON)": _plans,
    "role profiles (JSON)": _with_findings(lambda p: read_positions(p, _KCM()), "positions"),
    "competency profiles (JSON)": _count(read_profiles, "profiles"),
    "xAPI statements (JSON)": _import(read_xapi),
    "a learning week (JSON)": lambda path: (_campaign(path), (), ()),
}
KINDS = tuple(_READERS)


_CSV_RULES: list[tuple[str, Callable[[set[str]], bool]]] = [
    # A header's words (as name_key compares them) say its kind; the first rule met wins.
    ("the enrolment export (ConsumptionReport.csv)", lambda h: {"contentname", "enrolledon"} <= h),
    (
        "the CBP enrolment export (CBPEnrollmentReport.csv)",
        lambda h: "nameofcbpallocatedcourse" in h,
    ),
    (USER_REPORT_KIND, lambda h: {"email", "userregistrationdate"} <= h),
    (
        "the CBP summary report (CBPUserSummaryReport.csv)",
        lambda h: "numberofcbpcoursesallocated" in h,
    ),
    (
        "the blended programme report (BlendedProgramReport.csv)",
        lambda h: {"programname", "componentname"} <= h,
    ),
    ("the content report (ContentReport.csv)", lambda h: {"contentname", "notstarted"} <= h),
    (
        "the assessment report (UserAssessmentReport.csv)",
        lambda h: {"assessmentname", "email"} <= h,
    ),
    (
        "the competency mapping (ContentCompetencyMapping.csv)",
        lambda h: (
            bool(h & {"competencyarea", "competencyarearefid"})
            and bool(h & {"contentid", "courseid"})
        ),
    ),
    (
        "role profiles (designation CSV)",
        lambda h: {"designation", "competencyarea"} <= h and not h & {"courseid", "coursename"},
    ),
    ("a catalogue (CSV)", lambda h: bool(h & {"courseid", "coursename", "doid", "contentid"})),
    ("units (CSV)", lambda h: "unit" in h and bool(h & {"parent", "parentid"})),
    ("allocations (CSV)", lambda h: {"person", "course", "duedate"} <= h),
    (
        "postings (CSV)",
        lambda h: (
            bool(h & {"person", "userid", "employeeid", "email"})
            and bool(h & {"unit", "office"})
            and bool(h & {"from", "since", "effectivefrom", "joinedon"})
        ),
    ),
    ("people (CSV)", lambda h: bool(h & {"person", "userid", "employeeid", "email"})),
]


def _first_entry(data: Any) -> set[str]:
    """The keys of a document, or of the first of a list of them."""
    entries = data if isinstance(data, list) else [data]
    return set(entries[0]) if entries and isinstance(entries[0], dict) else set()


_JSON_RULES: list[tuple[str, Callable[[Any], bool]]] = [
    ("a CASE package (JSON)", lambda d: isinstance(d, dict) and "CFDocument" in d),
    (
        "a competency framework (JSON)",
        lambda d: isinstance(d, dict) and {"themes", "name", "id"} <= set(d),
    ),
    ("a catalogue (JSON)", lambda d: isinstance(d, dict) and "courses" in d),
    (
        "plans (JSON)",
        lambda d: "contentList" in _first_entry(d) or {"items", "due"} <= _first_entry(d),
    ),
    ("role profiles (JSON)", lambda d: "roles" in _first_entry(d)),
    ("competency profiles (JSON)", lambda d: "holdings" in _first_entry(d)),
    (
        "a learning week (JSON)",
        lambda d: isinstance(d, dict) and {"name", "start", "end"} <= set(d) and "items" not in d,
    ),
    (
        "xAPI statements (JSON)",
        lambda d: (
            (isinstance(d, dict) and "statements" in d) or {"actor", "verb"} <= _first_entry(d)
        ),
    ),
]


def _csv_kind(header: list[str]) -> str | None:
    words = {name_key(cell) for cell in header}
    return next((kind for kind, rule in _CSV_RULES if rule(words)), None)


def _json_kind(data: Any) -> str | None:
    return next((kind for kind, rule in _JSON_RULES if rule(data)), None)


def kind_of(path: str) -> str | None:
    """What a file holds, by its bytes (a zip), its header (CSV) or its shape (JSON)."""
    if zipfile.is_zipfile(path):
        return ZIP_KIND
    if path.lower().endswith(".json"):
        return _json_kind(load_json(path))
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader([handle.readline()]), [])
    return _csv_kind(header)


def check_file(path: str) -> Checked:
    """Recognise the file at ``path`` and read it as its kind: every problem in it.

    >>> import pathlib, tempfile
    >>> people = pathlib.Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = people.write_text("Person,Organisation,Designation,Active\\nu1,rev,Patwari,maybe\\n")
    >>> print(check_file(str(people)))  # doctest: +ELLIPSIS
    /.../people.csv: people (CSV): 1 problem
      /.../people.csv, row 2, field 'Active': is not a yes or no ...
    """
    try:
        kind = kind_of(path)
    except KarmayogiError as exc:
        if path.lower().endswith(".json"):  # JSON that cannot be parsed: the parser says why
            return Checked(path, None, "cannot be read", (said(exc),))
        kind = None
    except (OSError, UnicodeDecodeError, ValueError):
        kind = None
        try:  # the reader of records says best why the file cannot be read
            from karmayogi._csv import read_records

            read_records(path)
        except (OSError, KarmayogiError) as exc:
            return Checked(path, None, "cannot be read", (said(exc),))
    if kind is None:
        return Checked(
            path,
            None,
            "none of the files karmayogi reads",
            ("its header or shape is none of: " + "; ".join(KINDS),),
        )
    try:
        summary, problems, findings = _READERS[kind](path)
    except ValidationError as exc:
        n = len(exc.problems)
        return Checked(
            path, kind, f"{n} problem{'s' if n > 1 else ''}", tuple(map(str, exc.problems))
        )
    except (OSError, KarmayogiError) as exc:
        return Checked(path, kind, "cannot be read", (said(exc),))
    return Checked(path, kind, summary + ("" if problems else ": ok"), problems, findings)
