"""Small builders for test documents, so each test states only what it is about."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from karmayogi.competency import Position, Requirement, Role
from karmayogi.periods import IST, PeriodKind, period_index
from karmayogi.progress import CountingPolicy, Enrolment, Status


def designation(name: str, *requirements: Requirement, organisation: str | None = None) -> Position:
    """A position with one role that needs ``requirements``."""
    return Position(
        id="-".join(name.lower().split()),
        name=name,
        organisation=organisation,
        roles=[Role(id="r", name=name, requirements=requirements)],
    )


def needs(competency: str, level: int | str, importance: str = "mandatory") -> Requirement:
    """A requirement, written briefly."""
    return Requirement(competency=competency, level=level, importance=importance)


def run_in_new_york(code: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` in a new process whose zone is New York's: some systems read the
    zone once per process, so setting it in this one would not be enough."""
    env = {**os.environ, "TZ": "America/New_York"}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV file's header and rows, read with the standard library alone."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Write rows as a CSV file, as a hand in a spreadsheet would leave them."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def metrics_by_definition(
    enrolled: list[Enrolment],
    completed: list[Enrolment],
    *,
    by: PeriodKind,
    index: int,
    policy: CountingPolicy,
) -> dict[str, object]:
    """Each metric of a row straight from its definition, given the entries whose
    enrolment and whose completion count in the row's unit and period (or up to it)."""

    def at(when: dt.datetime) -> int:
        return period_index(by, when.astimezone(IST).date())

    done = [e for e in enrolled if e.completed_at is not None and at(e.completed_at) <= index]
    hours = [
        e for e in completed if e.duration and (policy.hours_from == "completed" or e.certificates)
    ]
    return {
        "enrolled_users": len({e.person for e in enrolled}),
        "started_users": len({e.person for e in enrolled if e.status is not Status.NOT_STARTED}),
        "completed_users": len({e.person for e in completed}),
        "enrolments": len(enrolled),
        "completions": len(completed),
        "completion_rate": len(done) / len(enrolled) if enrolled else None,
        "certificates": sum(1 for e in completed if e.certificates),
        "learning_hours": sum(e.duration or 0 for e in hours) / 3600,
        "enrolments_completed": len(done),
    }
