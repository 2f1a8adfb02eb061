"""``karmayogi audit``: what is wrong with a state's files, counted, before anything is
computed; an MDO's zip is audited member by member."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from karmayogi._names import printable
from karmayogi._zip_cli import is_zip, zip_texts
from karmayogi.audit import audit

__all__ = ["add_parser", "run"]

EXAMPLES = """\
examples:
  karmayogi audit reports.zip                      every report in an MDO's zip
  karmayogi audit ConsumptionReport.csv UserReport.csv --format json

Each file is taken for the platform's report its name (UserReport.csv, user-report.csv)
or its header says. Issues are counted, with a few examples each: row numbers and the
values of columns that identify no one (designations, units, courses, competencies),
never a name, an email or a phone, so that the output can be shared.

exit codes: 0 nothing found; 1 issues found (or a file cannot be read)
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "audit",
        help="list what is wrong with a state's files before anything is computed",
        description="Audit the platform's reports: columns out of spec, spellings of one "
        "name, progress over 100, completions before enrolments, future dates, unequal "
        "competency arrays, people in several units; counts and examples, no personal data.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="the reports, or an MDO's zip")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace, note: Callable[[str], None]) -> int:
    """Audit the files the arguments name, print what was found; 1 if anything was."""
    sources: dict[str, Any] = {}
    for path in args.files:
        sources |= zip_texts(path) if is_zip(path) else {path: path}
    found = audit(sources)
    if args.format == "json":
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
    else:
        for file, kind in found.kinds.items():
            print(printable(f"{file}: audited as {kind}"))
        for issue in found.issues:
            print(printable(f"  {issue}"))
    note(f"{len(found.issues)} issue(s) in {len(found.kinds)} file(s)")
    return 1 if found else 0
