"""``karmayogi validate``: each file recognised by what it holds (a CSV by its header, a
JSON file by its shape), read by the reader of its kind, and every problem in it said."""

from __future__ import annotations

import csv
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
from karmayogi.org import read_people_csv, read_units_csv
from karmayogi.progress import read_cbp_report, read_consumption_report, read_xapi

__all__ = ["Checked", "check_file"]


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


def _plans(path: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    form, plans = read_plans(path)
    states = ", ".join(f"{p.id} ({p.status.value})" for p in plans)
    return f"{len(plans)} plan(s) as {form}: {states}", (), ()


_KCM = default_framework
_READERS: dict[str, _Reader] = {
    "the enrolment export (ConsumptionReport.csv)": _import(read_consumption_report),
    "the CBP enrolment export (CBPEnrollmentReport.csv)": _import(read_cbp_report),
    "role profiles (designation CSV)": _with_findings(
        lambda p: read_positions(p, _KCM()), "positions"
    ),
    "a catalogue (CSV)": _with_findings(lambda p: read_catalogue(p, _KCM()), "courses"),
    "units (CSV)": _count(read_units_csv, "units"),
    "allocations (CSV)": _count(read_allocations_csv, "allocations"),
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
}
KINDS = tuple(_READERS)


def _csv_kind(header: list[str]) -> str | None:
    has = {name_key(cell) for cell in header}
    if {"contentname", "enrolledon"} <= has:
        return KINDS[0]
    if "nameofcbpallocatedcourse" in has:
        return KINDS[1]
    if {"designation", "competencyarea"} <= has and not has & {"courseid", "coursename"}:
        return KINDS[2]
    if has & {"courseid", "coursename", "doid", "contentid"}:
        return KINDS[3]
    if {"unit", "parent"} <= has or {"unit", "parentid"} <= has:
        return KINDS[4]
    if {"person", "course", "duedate"} <= has:
        return KINDS[5]
    if has & {"person", "userid", "employeeid", "email"}:
        return KINDS[6]
    return None


def _json_kind(data: Any) -> str | None:
    entries = data if isinstance(data, list) else [data]
    first = entries[0] if entries and isinstance(entries[0], dict) else {}
    if isinstance(data, dict) and "CFDocument" in data:
        return KINDS[8]
    if isinstance(data, dict) and {"themes", "name", "id"} <= set(data):
        return KINDS[7]
    if isinstance(data, dict) and "courses" in data:
        return KINDS[9]
    if "contentList" in first or {"items", "due"} <= set(first):
        return KINDS[10]
    if "roles" in first:
        return KINDS[11]
    if "holdings" in first:
        return KINDS[12]
    if (isinstance(data, dict) and "statements" in data) or {"actor", "verb"} <= set(first):
        return KINDS[13]
    return None


def _kind(path: str) -> str | None:
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
        kind = _kind(path)
    except (OSError, UnicodeDecodeError, ValueError, KarmayogiError):
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
