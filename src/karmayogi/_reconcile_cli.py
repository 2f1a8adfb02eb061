"""``karmayogi reconcile``: the platform's plan summary against the library's count, every
difference listed with its cause, from an MDO's zip or from the files."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from karmayogi._allocation import Allocation
from karmayogi._atomic import write_atomically
from karmayogi._csv import safe_writer
from karmayogi._files import read_catalogue, read_plans
from karmayogi._joins import CourseNames
from karmayogi._zip_cli import is_zip, open_zip
from karmayogi.cbp import Plan, read_allocations_csv, resolve
from karmayogi.competency import default_framework
from karmayogi.exports import MdoReports, read_cbp_summary
from karmayogi.org import Person, read_people_csv
from karmayogi.progress import Enrolment, Import, read_cbp_report, read_consumption_report
from karmayogi.reconcile import Reconciliation, reconcile

__all__ = ["add_parser", "for_report", "run"]

EXAMPLES = """\
examples:
  karmayogi reconcile reports.zip              the zip's summary against its CBP report
  karmayogi reconcile CBPUserSummaryReport.csv --cbp CBPEnrollmentReport.csv
  karmayogi reconcile CBPUserSummaryReport.csv --export ConsumptionReport.csv \\
      --plans plans/*.json --people people.csv --catalogue catalogue.json --out diff.csv

Each difference has a cause: duplicate-enrolment, due-date-time-zone, draft-plan,
designation-spelling, not-in-platform-summary, not-allocated-here, or unexplained.
The output names people (their emails): it is for the MDO, not for publication.
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "reconcile",
        help="compare the platform's CBP summary with karmayogi's count, person by person",
        description="Recompute the platform's CBPUserSummaryReport from the CBP enrolment "
        "report (or from plans or allocations and the enrolment export) and list every "
        "person whose counts differ, with the cause, and the totals each way.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "summary", metavar="SUMMARY", help="CBPUserSummaryReport.csv, or the MDO's zip"
    )
    parser.add_argument("--cbp", help="CBPEnrollmentReport.csv: the allocations and progress")
    parser.add_argument("--export", help="ConsumptionReport.csv: the records (with --plans)")
    parser.add_argument("--plans", nargs="+", metavar="PLAN", help="plan files (with --people)")
    parser.add_argument("--people", help="people CSV: whom the plans reach")
    parser.add_argument("--allocations", help="plan allocations CSV (instead of --plans)")
    parser.add_argument("--catalogue", help="catalogue CSV or JSON: course ids to titles")
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text")
    parser.add_argument("--out", help="write the differences here instead of standard output")


def run(args: argparse.Namespace, note: Callable[[str], None]) -> tuple[Reconciliation, int]:
    """The reconciliation the arguments ask for, and the rows rejected on the way."""
    catalogue = read_catalogue(args.catalogue, default_framework())[0] if args.catalogue else None
    if is_zip(args.summary):
        mdo = open_zip(args.summary, catalogue)
        if mdo.summary is None or (mdo.cbp is None and not args.export):
            raise ValueError(
                f"{args.summary} holds no CBPUserSummaryReport and CBPEnrollmentReport to "
                "compare: pass them as files"
            )
        summary, cbp, export = mdo.summary, mdo.cbp, mdo.consumption
        for line in mdo.summary_lines():
            note(line)
    else:
        summary = read_cbp_summary(args.summary)
        note(summary.summary())
        cbp = export = None
    if args.cbp:
        cbp = read_cbp_report(args.cbp, catalogue=catalogue)
        note(cbp.summary())
    if args.export:
        export = read_consumption_report(args.export, catalogue=catalogue)
        note(export.summary())
    rejected = summary.rejected_rows + sum(i.rejected_rows for i in (cbp, export) if i)
    plans: list[Plan] = []
    people: list[Person] = []
    if args.plans or args.allocations:
        if export is None:
            raise ValueError("--plans and --allocations need --export: the records to count")
        if args.plans:
            if not args.people:
                raise ValueError("--plans needs --people: whom the plans reach")
            plans = [plan for path in args.plans for plan in read_plans(path)[1]]
            people = list(read_people_csv(args.people))
            allocations = list(resolve(plans, people).allocations)
        else:
            allocations = list(read_allocations_csv(args.allocations))
        records: Import = export
        repeats: dict[tuple[str, str], int] = {}
    elif cbp is not None:
        allocations, records, repeats = cbp.allocations, cbp, cbp.repeats
    else:
        raise ValueError("give the allocations: --cbp, or --plans with --people, or --allocations")
    found = reconcile(
        summary, allocations, records.ledger, repeats=repeats, plans=plans, people=people,
        catalogue=catalogue,
    )  # fmt: skip
    for match in found.matched:
        note(str(match))
    return found, rejected


def render(found: Reconciliation, output_format: str) -> str:
    if output_format == "json":
        document = {
            "totals": {m: {"platform": t, "here": o} for m, (t, o) in found.totals.items()},
            "compared": found.compared,
            "causes": found.causes(),
            "differences": found.rows(),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        out = io.StringIO(newline="")
        rows = found.rows()
        writer = safe_writer(out)
        header = list(rows[0]) if rows else ["person", "cause"]
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in header])
        return out.getvalue()
    lines = [found.summary(), *(f"  {d}" for d in found.differences)]
    return "\n".join(lines) + "\n"


def write(found: Reconciliation, args: argparse.Namespace) -> None:
    text = render(found, args.format)
    if args.out:
        write_atomically(args.out, text)
    else:
        print(text, end="")


def for_report(  # noqa: PLR0917 - the report's inputs, passed on
    path: str | None,
    mdo: MdoReports | None,
    allocations: Iterable[Allocation] | None,
    records: Iterable[Enrolment],
    cbp: Import | None,
    catalogue: CourseNames | None,
    notes: list[str],
) -> Reconciliation | None:
    """The platform's summary (``--summary``, or the zip's) reconciled with the report's
    allocations and records, said in a note; None without a summary or allocations."""
    summary = mdo.summary if mdo is not None else None
    if path:
        summary = read_cbp_summary(path)
        notes.append(summary.summary())
    if summary is None or allocations is None:
        return None
    repeats = cbp.repeats if cbp is not None else {}
    found = reconcile(summary, allocations, records, repeats=repeats, catalogue=catalogue)
    causes = ", ".join(f"{cause}: {n:,}" for cause, n in found.causes().items())
    notes.append(
        f"the platform's summary, reconciled: {len(found.differences):,} of "
        f"{found.compared:,} people differ" + (f" ({causes})" if causes else "")
    )
    return found
