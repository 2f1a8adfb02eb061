"""Small builders for test documents, so each test states only what it is about."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from karmayogi.competency import Position, Requirement, Role


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
