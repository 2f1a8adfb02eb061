"""The ``karmayogi`` command."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import attrs

from karmayogi import (
    __version__,
    _audit_cli,
    _mapping_cli,
    _membership_cli,
    _pathway_cli,
    _reconcile_cli,
)
from karmayogi._atomic import write_atomically
from karmayogi._csv import safe_writer
from karmayogi._files import read_catalogue, read_plans, read_positions, read_profiles, said
from karmayogi._joins import join_places
from karmayogi._names import printable
from karmayogi._progress_bar import reading
from karmayogi._render import cell_text, text_table
from karmayogi._zip_cli import is_zip, open_zip, zip_date, zip_people
from karmayogi.cbp import (
    Allocation,
    Catalogue,
    Plan,
    PlanStatus,
    Resolution,
    build_plans,
    read_allocations_csv,
    resolve,
    write_allocations_csv,
)
from karmayogi.competency import (
    Competency,
    CompetencyArea,
    Framework,
    Position,
    default_framework,
    read_labels_csv,
)
from karmayogi.designations import DesignationIndex, read_aliases_csv
from karmayogi.errors import KarmayogiError, ValidationError
from karmayogi.exports import (
    PASSWORD_VARIABLE,
    MdoReports,
    offline_attendance,
    read_blended_report,
)
from karmayogi.limits import DEFAULT_LIMITS, NO_LIMITS
from karmayogi.org import OrgTree, Person, read_people_csv, read_units_csv
from karmayogi.periods import parse_date, parse_datetime
from karmayogi.progress import (
    Attendance,
    Campaign,
    ComplianceTable,
    CountingPolicy,
    Import,
    Membership,
    ProgressTable,
    Release,
    RolledUpExport,
    read_cbp_report,
    read_consumption_report,
    roll_up_export,
)

__all__ = ["main"]

EXAMPLES = """\
examples:
  karmayogi demo                          a fictional state end to end, and its HTML report
  karmayogi demo --export                 ... with its data written as the platform's files
  karmayogi report ConsumptionReport.csv --people people.csv --units units.csv \\
      --catalogue courses.json --plans plans/*.json --out report.html
  karmayogi report reports.zip            an MDO's zip as the platform sends it (password:
                                          KARMAYOGI_ZIP_PASSWORD, or asked for)
  karmayogi reconcile reports.zip         the platform's CBP summary against karmayogi's
  karmayogi taxonomy --area functional    the bundled competency taxonomy, one area
  karmayogi plan build --roles roles.csv --people people.csv --catalogue courses.csv \\
      --organisation dept-revenue --year 2025-26 --out plans/
  karmayogi plan check plans/dept-revenue-2025-26-tehsildar.json --catalogue courses.csv
  karmayogi plan publish plans/*.json
  karmayogi plan allocations plans/*.json --people people.csv --out allocations.csv
  karmayogi progress ConsumptionReport.csv --by quarter
  karmayogi validate ConsumptionReport.csv people.csv plans/*.json

Each command's --help has its own examples. --debug, before or after the command,
shows the traceback of an error instead of its one line.

exit codes (every command):
  0    done, and every input row was used
  1    bad input: a file missing, unreadable or malformed, or rows rejected (each
       listed on stderr with its row number and reason); the rest is still written
  2    bad usage: an unknown command or option, or a required one missing
  3    a fault in karmayogi itself: please report it (--debug shows where)
  130  interrupted (Ctrl-C)
  141  the output's reader closed it early (as `| head` does); nothing is said
"""

TAXONOMY_EXAMPLES = """\
examples:
  karmayogi taxonomy                      the bundled taxonomy as an indented tree
  karmayogi taxonomy --area functional    one area only
  karmayogi taxonomy --format csv > kcm.csv
  karmayogi taxonomy --format json        the framework document, as JSON
"""

PROGRESS_EXAMPLES = """\
examples:
  karmayogi progress ConsumptionReport.csv                 by quarter, as a table
  karmayogi progress ConsumptionReport.csv --by month --view cumulative --format csv
  karmayogi progress ConsumptionReport.csv --units units.csv --people people.csv \\
      --allocations allocations.csv --catalogue catalogue.json --out progress.json
  karmayogi progress ConsumptionReport.csv --suppress 5    counts 1-4 hidden, safely
  karmayogi progress ConsumptionReport.csv --engine reference   the pure-Python engine
  karmayogi progress ConsumptionReport.csv --units units.csv --membership postings.csv \
      --as-of 2025-12-31     each record in its unit of the day, as the data stood then

engines: with the columnar extra installed (narwhals and polars) the
report is read and rolled up by polars; otherwise by the reference engine. The numbers
are the same either way; stderr says which ran.

files:
  REPORT       the platform's enrolment export (ConsumptionReport.csv), or an MDO's zip
               of the platform's reports: its UserReport gives the people, its CBP
               enrolment report the allocations, unless the options below give them;
               the zip's password is read from KARMAYOGI_ZIP_PASSWORD, or asked for at a
               terminal, never taken as an option
  units        CSV: Unit, Name, Level, Parent (default: the tree the report's
               Ministry, Department and Organization columns spell)
  people       CSV: Person (their Email), Organisation, Designation, Unit, Active
  allocations  CSV as 'karmayogi plan allocations' writes it
  catalogue    CSV or JSON: the courses' ids and titles, where the allocations name
               courses by id (do_...) and the export by title

Every join (records to units or people, allocations to records and people) is said
on stderr with how well it matched; one where nothing matched is an error that says
what to pass.

exit codes: 0 every row used; 1 some rows rejected (listed on stderr) or bad input;
2 bad usage
"""

PLAN_EXAMPLES = """\
examples:
  karmayogi plan build --roles roles.csv --people people.csv --catalogue courses.csv \\
      --organisation dept-revenue --year 2025-26 --hours-cap 20 --out plans/
  karmayogi plan build ... --format platform     the payloads to push to the platform
  karmayogi plan check plan.json --catalogue courses.json --people people.csv
  karmayogi plan publish plans/*.json --at "2025-04-01 09:00"
  karmayogi plan allocations plans/*.json --people people.csv --out allocations.csv
  karmayogi plan allocations plans/*.json --people people.csv --format table

files:
  roles       the platform's designation-competency CSV, or positions as JSON
  people      CSV: Person, Organisation, Designation, Unit, Active
  catalogue   CSV (Course Id, Course Name, Duration, Competency, Level) or JSON
  plan        a plan as JSON (karmayogi's document or the platform's payload)
"""

DEMO_EXAMPLES = """\
examples:
  karmayogi demo                          the report into karmayogi-demo/report.html
  karmayogi demo --out /tmp/demo --export ... and the data as the platform's export files
  karmayogi demo --people 20000 --seed 7  a larger state, another draw

The state, Madhyanchal Pradesh, is fictional: made from the seed, the same every time.
With --export the data are written as the platform's exports and karmayogi's input
files, and the command that makes the same report from those files is printed.
"""

REPORT_EXAMPLES = """\
examples:
  karmayogi report ConsumptionReport.csv --out report.html
  karmayogi report reports.zip --out report.html    an MDO's zip, as the platform sends it
  karmayogi report ConsumptionReport.csv --units units.csv --people people.csv \\
      --catalogue courses.json --plans plans/*.json --out report.html
  karmayogi report ConsumptionReport.csv --people people.csv --units units.csv \\
      --cbp CBPEnrollmentReport.csv --roles roles.json --profiles profiles.json \\
      --framework framework.json --as-of 15/04/2026

files:
  REPORT       the platform's enrolment export (ConsumptionReport.csv), or an MDO's zip
               of the platform's reports: its UserReport gives the people, its CBP
               enrolment report the allocations, unless the options below give them;
               the zip's password is read from KARMAYOGI_ZIP_PASSWORD, or asked for at a
               terminal, never taken as an option
  units        CSV: Unit, Name, Level, Parent (default: the tree the report spells)
  people       CSV: Person (their Email), Organisation, Designation, Unit, Active
  catalogue    CSV or JSON: maps the report's course names to the plans' course ids
  plans        plan documents (JSON), resolved against --people: plan compliance
  allocations  CSV as 'karmayogi plan allocations' writes it (instead of --plans)
  cbp          the platform's CBP enrolment export: its allocations and progress
  roles        role profiles (JSON positions or the designation CSV): competency gaps
  profiles     JSON: the competencies each person holds
  framework    JSON: a framework with the organisations' Domain themes

The report is one HTML file that opens offline; its charts need the charts extra
(matplotlib), without which it holds the tables only.

exit codes: 0 every row used; 1 some rows rejected (listed on stderr) or bad input;
2 bad usage
"""

VALIDATE_EXAMPLES = """\
examples:
  karmayogi validate ConsumptionReport.csv people.csv units.csv
  karmayogi validate plans/*.json roles.json catalogue.json

exit codes: 0 every file recognised and without a problem; 1 a file not recognised,
unreadable, or with a problem (each listed under it); 2 bad usage
"""

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FAULT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_PIPE_CLOSED = 141  # as a Unix tool ended by SIGPIPE (128 + 13)

PSEUDONYM_KEY = "KARMAYOGI_PSEUDONYM_KEY"
"""Where --pseudonymise finds its key: an environment variable, since a command line is
seen by anyone who lists the machine's processes."""


def _pseudonym_key(args: argparse.Namespace) -> str | None:
    if not args.pseudonymise:
        return None
    key = os.environ.get(PSEUDONYM_KEY)
    if not key:
        raise ValueError(f"--pseudonymise needs a key of 16 bytes or more in {PSEUDONYM_KEY}")
    return key


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 bad input, 2 bad usage,
    3 a fault of karmayogi's own, 130 interrupted)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None or (args.command == "plan" and args.action is None):
        (parser if args.command is None else args.plan_parser).print_help()
        return EXIT_USAGE
    try:
        status = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        # The reader of our output has gone (as `| head` does): stop quietly, as Unix
        # tools do, and keep Python from failing again when it flushes at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except (KarmayogiError, ValueError, OSError) as exc:
        if args.debug:
            raise
        print(f"karmayogi: error: {printable(said(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("karmayogi: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a fault of ours: one line, and where to look
        if args.debug:
            raise
        print(
            f"karmayogi: internal error: {type(exc).__name__}: {exc} "
            "(run again with --debug to see where, and please report it)",
            file=sys.stderr,
        )
        return EXIT_FAULT


def _run(args: argparse.Namespace) -> int:
    _refuse_output_over_input(args)
    if args.command == "progress" or getattr(args, "action", None) == "allocations":
        args.format = _output_format(args)  # a mismatch refused before any work
    if args.command == "taxonomy":
        area = CompetencyArea.parse(args.area) if args.area else None
        framework = default_framework()
        if args.labels:
            framework = read_labels_csv(args.labels, framework)
        print_taxonomy(framework, area=area, output_format=args.format, language=args.language)
        return EXIT_OK
    if args.command == "progress":
        return _progress(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "report":
        return _report(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "pathway":
        return _pathway(args)
    if args.command == "audit":
        return _audit_cli.run(args, _note)
    if args.command == "campaign":
        return _campaign(args)
    if args.command == "reconcile":
        found, rejected = _reconcile_cli.run(args, _note)
        _reconcile_cli.write(found, args)
        return EXIT_ERROR if rejected else EXIT_OK
    if args.command == "map-courses":
        _mapping_cli.map_courses(args, _note)
        return EXIT_OK
    if args.command == "coverage":
        print(printable(_mapping_cli.coverage_command(args)))
        return EXIT_OK
    return _PLAN_ACTIONS[args.action](args)


CAMPAIGN_EXAMPLES = """\
examples:
  karmayogi campaign saptah.json ConsumptionReport.csv
  karmayogi campaign saptah.json reports.zip --format csv --out saptah.csv

The campaign file (JSON): {"name": "Karmayogi Saptah", "start": "2025-10-19",
"end": "2025-10-27", "hours": 4, "overrides": {"UNIT": {"start": ..., "end": ...}}};
a unit in overrides (an id of the tree, as the report's units spell it) runs the week
on its own days, and the units below it with it.
"""


def _campaign_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "campaign",
        help="a learning week's numbers for every unit: learners, enrolments, completions",
        description="Count a learning week over the organisation tree: the people with at "
        "least its hours from courses completed in it, and the enrolments and completions "
        "made in it, each unit in its own window where it has one.",
        epilog=CAMPAIGN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("campaign", metavar="CAMPAIGN", help="the learning week, JSON")
    parser.add_argument("report", metavar="REPORT", help="ConsumptionReport.csv, or an MDO's zip")
    parser.add_argument("--units", help="the organisation tree, as CSV")
    parser.add_argument("--people", help="people CSV (needs --units)")
    parser.add_argument(
        "--policy", choices=("platform", "all-completions"), default="platform",
        help="learning hours from certified completions (platform) or from all",
    )  # fmt: skip
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text")
    parser.add_argument("--out", help="write here instead of standard output")


def _campaign(args: argparse.Namespace) -> int:
    from karmayogi.progress import Rollup

    if args.people and not args.units:
        raise ValueError("--people needs --units: the tree the people's units belong to")
    week = Campaign.from_file(args.campaign)
    report, notes, mdo = _enrolments(args.report, None)
    tree = read_units_csv(args.units) if args.units else report.tree
    policy = (
        CountingPolicy.PLATFORM if args.policy == "platform" else CountingPolicy.ALL_COMPLETIONS
    )
    people = _read_people(args.people) if args.people else None
    if mdo is not None and mdo.users is not None and people is None and not args.units:
        people, tree = zip_people(mdo.users, report, notes)
    if people is not None:
        rollup = Rollup(tree, people=people, by="fy", policy=policy, records=report.ledger)
    else:
        places, placed = join_places(report.places, tree)
        placed.check()
        rollup = Rollup(tree, places=places, by="fy", policy=policy, records=report.ledger)
    table = rollup.campaign(week)
    text: str | None = str(table) + "\n"
    if args.format != "text":
        text = table.to_json() if args.format == "json" else table.to_csv()
    assert text is not None
    if args.out:
        write_atomically(args.out, text)
    else:
        print(printable(text), end="")
    for line in notes:
        _note(line)
    return EXIT_ERROR if report.rejected_rows else EXIT_OK


def _pathway(args: argparse.Namespace) -> int:
    path = _pathway_cli.run(args, _note)
    text = _pathway_cli.as_json(path) if args.format == "json" else str(path)
    print(printable(text))
    return EXIT_OK


_INPUTS = ("report", "summary", "units", "people", "allocations", "catalogue", "cbp", "export",
           "roles", "profiles", "framework", "labels", "campaign", "blended")  # fmt: skip
_POSITIONAL = {"report": "REPORT", "summary": "SUMMARY"}


def _refuse_output_over_input(args: argparse.Namespace) -> None:
    """An --out that names one of the command's own inputs is refused before any work:
    the output would replace what it was made from."""
    out = getattr(args, "out", None)
    if not out or args.command == "demo":
        return
    inputs = [(_POSITIONAL.get(n, f"--{n}"), getattr(args, n, None)) for n in _INPUTS]
    inputs += [("PLAN", path) for path in getattr(args, "plans", None) or ()]
    target = Path(out)
    for flag, given in inputs:
        if isinstance(given, str) and _same_file(target, Path(given)):
            raise ValueError(f"--out {out} is the input {flag}: write the output elsewhere")


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def _validate(args: argparse.Namespace) -> int:
    from karmayogi._validate import check_file

    checked = [check_file(path) for path in args.files]
    for result in checked:
        print(printable(str(result)))
    bad = sum(not c.ok for c in checked)
    _note(f"{len(checked) - bad} of {len(checked)} files ok")
    return EXIT_ERROR if bad else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="karmayogi",
        description="Mission Karmayogi in Python: the competency model, plans and progress.",
        epilog=EXAMPLES,
        formatter_class=raw,
    )
    parser.add_argument("--version", action="version", version=f"karmayogi {__version__}")
    parser.add_argument("--debug", action="store_true", help=_DEBUG)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    taxonomy = commands.add_parser(
        "taxonomy",
        help="print the bundled Karmayogi Competency Model",
        description="Print the bundled Karmayogi Competency Model: areas, themes, sub-themes.",
        epilog=TAXONOMY_EXAMPLES,
        formatter_class=raw,
    )
    taxonomy.add_argument("--area", help="only this area (Behavioural, Functional, Domain)")
    taxonomy.add_argument("--format", choices=("tree", "csv", "json"), default="tree")
    taxonomy.add_argument("--language", help="show names in this language where known, such as hi")
    taxonomy.add_argument(
        "--labels", help="a state's names in its languages, CSV: Competency, Language, Label"
    )

    plan = commands.add_parser(
        "plan",
        help="build, check and resolve capacity building plans",
        description="Build capacity building plans from files, check them, resolve them.",
        epilog=PLAN_EXAMPLES,
        formatter_class=raw,
    )
    plan.set_defaults(plan_parser=plan)
    actions = plan.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    build = actions.add_parser(
        "build",
        help="build one plan per designation from roles, people and a catalogue",
        epilog=PLAN_EXAMPLES,
        formatter_class=raw,
    )
    build.add_argument("--roles", required=True, help="designation-competency CSV or JSON")
    build.add_argument("--people", required=True, help="people CSV")
    build.add_argument("--catalogue", required=True, help="catalogue CSV or JSON")
    build.add_argument(
        "--organisation",
        help="build only this organisation's positions (default: each for its own)",
    )
    build.add_argument("--year", required=True, help="the plan year, such as 2025-26")
    build.add_argument("--due", help="the due date (default: 31 March of the plan year)")
    build.add_argument("--hours-cap", type=float, help="most hours per person per year")
    build.add_argument("--apar", action="store_true", help="the plans count for the APAR")
    build.add_argument(
        "--format",
        choices=("json", "platform"),
        default="json",
        help="karmayogi's plan documents, or the platform's payloads",
    )
    build.add_argument("--out", help="a directory to write one file per plan into")
    build.add_argument("--publish", action="store_true", help="build the plans Live")
    build.add_argument("--at", help="with --publish: when they went Live (default: now)")
    publish = actions.add_parser(
        "publish",
        help="make Draft plans Live, rewriting each file in its own form",
        epilog=PLAN_EXAMPLES,
        formatter_class=raw,
    )
    publish.add_argument("plans", nargs="+", metavar="PLAN")
    publish.add_argument("--at", help="when they went Live, in India (default: now)")
    check = actions.add_parser(
        "check",
        help="check plan files, reporting every problem",
        epilog=PLAN_EXAMPLES,
        formatter_class=raw,
    )
    check.add_argument("plans", nargs="+", metavar="PLAN")
    check.add_argument("--catalogue", help="catalogue CSV or JSON: are the courses in it?")
    check.add_argument("--people", help="people CSV: do the assignments reach anyone?")
    allocations = actions.add_parser(
        "allocations",
        help="who must do what by when, as CSV, JSON or a table",
        epilog=PLAN_EXAMPLES,
        formatter_class=raw,
    )
    allocations.add_argument("plans", nargs="+", metavar="PLAN")
    allocations.add_argument("--people", required=True, help="people CSV")
    allocations.add_argument(
        "--format",
        choices=_FORMATS["allocations"],
        help="default: as --out's extension says (.csv, .json, .txt), else csv",
    )
    allocations.add_argument("--pseudonymise", action="store_true", help=_PSEUDONYMISE)
    allocations.add_argument("--out", help="write here instead of standard output")
    allocations.add_argument(
        "--aliases", help="a state's designation aliases, CSV: Alias, Designation"
    )
    allocations.add_argument(
        "--fuzzy",
        type=float,
        metavar="SCORE",
        help="also take near spellings of designations scoring SCORE (0-100) or more; "
        "needs the match extra",
    )
    _progress_parser(commands)
    for command in (_pathway_cli, _reconcile_cli, _audit_cli):
        command.add_parser(commands)
    _campaign_parser(commands)
    _mapping_cli.add_parsers(commands)
    _demo_parser(commands)
    _report_parser(commands)
    validate = commands.add_parser(
        "validate",
        help="check input files, each recognised by what it holds, reporting every problem",
        description="Check each file karmayogi reads (framework, CASE, roles, profiles, "
        "catalogue, plans, people, units, allocations, the platform's exports, xAPI): "
        "recognised by its header or shape, read as its kind, every problem listed.",
        epilog=VALIDATE_EXAMPLES,
        formatter_class=raw,
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    return parser


_DEBUG = "on an error, show its traceback instead of one line"
_PSEUDONYMISE = f"people as keyed pseudonyms; the key is read from {PSEUDONYM_KEY}, never written"


class _Parser(argparse.ArgumentParser):
    """A subcommand's parser: it takes --debug too, after the command, and leaves it as
    the main parser set it when not given (argparse would reset it to its default)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG)


def _threshold(text: str) -> int:
    """--suppress N: a whole number of 2 or more (1 or 0 would hide nothing, silently)."""
    try:
        below = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"N is a whole number, got {text!r}") from None
    if below < 2:
        raise argparse.ArgumentTypeError(
            f"N is 2 or more: counts from 1 to N-1 are hidden, and {below} would hide none"
        )
    return below


def _demo_parser(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="run everything on a fictional state, and write its HTML report",
        description="Make a fictional state (people, plans, a year of records), run gaps, "
        "plans, allocations, roll-ups and plan compliance on it, print a summary and "
        "write the HTML report.",
        epilog=DEMO_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("--out", default="karmayogi-demo", help="the directory to write into")
    demo.add_argument(
        "--export", action="store_true", help="also write the data as the platform's files"
    )
    demo.add_argument("--people", type=int, default=3000, help="how many civil servants")
    demo.add_argument("--seed", type=int, default=2025, help="another seed, another state")
    demo.add_argument("--no-charts", action="store_true", help="tables only, no charts")
    demo.add_argument(
        "--language", help="name competencies in this language where known, such as hi"
    )
    demo.add_argument(
        "--format", choices=("text", "json"), default="text", help="the summary's format"
    )


def _report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="write the HTML report from the platform's exports and your files",
        description="The demo's report, from your own files: progress by department and "
        "quarter, plan compliance and APAR, competency gaps.",
        epilog=REPORT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("report", metavar="REPORT", help="ConsumptionReport.csv, or an MDO's zip")
    report.add_argument("--units", help="the organisation tree, as CSV")
    report.add_argument("--people", help="people CSV (needs --units): counts users")
    report.add_argument("--catalogue", help="catalogue CSV or JSON")
    report.add_argument("--plans", nargs="+", metavar="PLAN", help="plan files (needs --people)")
    report.add_argument("--allocations", help="plan allocations CSV")
    report.add_argument("--cbp", metavar="CBP_REPORT", help="CBPEnrollmentReport.csv")
    report.add_argument("--roles", help="role profiles, JSON or designation CSV")
    report.add_argument("--profiles", help="competency profiles, JSON")
    report.add_argument("--framework", help="competency framework, JSON (default: bundled)")
    report.add_argument(
        "--year", help="the plan year, such as 2025-26 (default: the year the data is about)"
    )
    report.add_argument("--as-of", help="the data's date (default: its latest record)")
    report.add_argument("--title", help="the report's title (default: the tree's top)")
    report.add_argument(
        "--policy",
        choices=("platform", "all-completions"),
        default="platform",
        help="learning hours from certified completions (platform) or from all",
    )
    report.add_argument(
        "--suppress", type=_threshold, metavar="N", help="hide counts from 1 to N-1, safely"
    )
    report.add_argument(
        "--language", help="name competencies in this language where known, such as hi"
    )
    report.add_argument(
        "--labels", help="a state's names in its languages, CSV: Competency, Language, Label"
    )
    report.add_argument("--campaign", help="a learning week, JSON: its numbers in the report")
    _membership_cli.add_arguments(report)
    report.add_argument(
        "--blended", help="BlendedProgramReport.csv: offline sessions' hours count too"
    )
    report.add_argument(
        "--summary", help="CBPUserSummaryReport.csv: the platform's own count, reconciled"
    )
    report.add_argument("--out", default="report.html", help="the HTML file to write")
    report.add_argument("--no-charts", action="store_true", help="tables only, no charts")
    report.add_argument(
        "--format", choices=("text", "json"), default="text", help="the summary's format"
    )


def _demo(args: argparse.Namespace) -> int:
    from karmayogi.demo import make_demo
    from karmayogi.report import indian_number

    state = make_demo(seed=args.seed, people=args.people)
    report = state.report(title=f"{state.name} (a fictional state)", language=args.language)
    out = Path(args.out)
    command = None
    if args.export:  # first: it refuses to write over files that are not the demo's
        state.write_exports(out)
        command = f"karmayogi report {_demo_command(out, state.year, state.as_of)}"
    path = report.write(out / "report.html", charts=_charts(args.no_charts))
    if args.format == "json":
        summary = report.to_dict() | {"report": str(path)}
        if command:
            summary |= {"exports": str(out.resolve()), "same_report_from_exports": command}
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(report.summary())
    n = indian_number
    print(
        f"  the state: {n(len(state.people))} people in {len(state.tree)} units, "
        f"{len(state.catalogue)} courses, {len(state.plans)} plans, "
        f"{n(len(state.records))} enrolments"
    )
    otherwise = state.allocations.designations_spelled_otherwise
    if otherwise:
        held = sum(u.people for u in otherwise)
        shown = ", ".join(f"{u.match.written!r}" for u in otherwise[:3])
        more = ", ..." if len(otherwise) > 3 else ""
        print(
            f"  designations written otherwise, reached by the plans: {len(otherwise)} "
            f"({shown}{more}), held by {n(held)} people"
        )
    print(f"report: {path}")
    if command:
        print(f"the platform's exports and the input files: {out.resolve()}")
        print("the same report from those files:")
        print(f"  {command}")
        locked = (
            f"encrypted with the password in {PASSWORD_VARIABLE}"
            if os.environ.get(PASSWORD_VARIABLE)
            else f"not encrypted: set {PASSWORD_VARIABLE} to encrypt it"
        )
        print(f"and from the MDO's zip ({locked}):")
        print(f"  karmayogi report {out / 'reports.zip'} --out {out / 'report-from-zip.html'}")
    return EXIT_OK


def _demo_command(out: Path, year: object, as_of: dt.date) -> str:
    files = [
        ("", "ConsumptionReport.csv"),
        ("--units", "units.csv"),
        ("--people", "people.csv"),
        ("--catalogue", "catalogue.json"),
        ("--plans", "plans/*.json"),
        ("--roles", "roles.json"),
        ("--profiles", "profiles.json"),
        ("--framework", "framework.json"),
        ("--campaign", "campaign.json"),
        ("--blended", "BlendedProgramReport.csv"),
    ]
    words = [f"{flag} {out / name}".strip() for flag, name in files]
    return " ".join(
        [
            *words,
            f"--year {year}",
            f"--as-of {as_of:%d/%m/%Y}",
            f"--out {out / 'report-from-files.html'}",
        ]
    )


def _charts(off: bool) -> bool:
    """Charts unless turned off; a note when the extra that draws them is missing."""
    from karmayogi.report import charts_available

    if off:
        return False
    if not charts_available():
        _note("no charts: they need the charts extra (matplotlib: pip install matplotlib)")
        return False
    return True


def _report(args: argparse.Namespace) -> int:
    from karmayogi.report import make_report

    if args.people and not args.units:
        raise ValueError("--people needs --units: the tree the people's units belong to")
    if args.plans and not args.people:
        raise ValueError("--plans needs --people: the people the plans are resolved against")
    if sum(map(bool, (args.plans, args.allocations, args.cbp))) > 1:
        # Two sources would count a course allocated in both twice.
        raise ValueError("give plan allocations one way: --plans, --allocations or --cbp")
    framework = Framework.from_file(args.framework) if args.framework else default_framework()
    if args.labels:
        framework = read_labels_csv(args.labels, framework)
    catalogue = _read_catalogue(args.catalogue, framework) if args.catalogue else None
    policy = (
        CountingPolicy.PLATFORM if args.policy == "platform" else CountingPolicy.ALL_COMPLETIONS
    )
    report, notes, mdo = _enrolments(args.report, catalogue)
    notes += [f.message for f in report.findings if f.code in _SAID_FINDINGS]
    records = report.ledger
    people, tree, membership = _placing(args, report, mdo, notes)
    allocations: list[Allocation] | None = None
    if args.plans:
        assert people is not None
        plans = [plan for path in args.plans for plan in read_plans(path)[1]]
        allocations = list(resolve(plans, people).allocations)
    elif args.allocations:
        allocations = _read_allocations(args.allocations)
    rejected = list(report.rejected)
    if mdo is not None:  # every report of the zip, each row with its member's name
        rejected = [r for _name, read in mdo.reports() for r in read.rejected]
    cbp = None
    if args.cbp:
        with reading(args.cbp) as source:
            cbp = read_cbp_report(source, catalogue=catalogue)
        notes.append(cbp.summary())
        rejected += cbp.rejected
    elif mdo is not None and not (args.plans or args.allocations):
        cbp = mdo.cbp
    if cbp is not None:
        records.update(cbp.ledger)
        allocations = cbp.allocations
    positions: list[Position] = []
    if args.roles:
        positions = _read_roles(args.roles, framework, None)
    profiles = read_profiles(args.profiles) if args.profiles else None
    places = None
    if people is None and membership is None:
        places, placed = join_places(report.places, tree)
        placed.check()
    made = make_report(
        tree,
        records,
        people=people,
        places=places,
        allocations=allocations,
        positions=positions,
        profiles=profiles,
        framework=framework,
        year=args.year,
        as_of=parse_date(args.as_of) if args.as_of else zip_date(mdo, notes),
        policy=policy,
        title=args.title,
        notes=notes,
        suppress=args.suppress,
        catalogue=catalogue,
        language=args.language,
        campaign=Campaign.from_file(args.campaign) if args.campaign else None,
        attendance=_attendance(args.blended, mdo, notes, rejected),
        reconciliation=_reconcile_cli.for_report(
            args.summary, mdo, allocations, records, cbp, catalogue, notes
        ),
        membership=membership,
        unit_rule=args.unit_rule,
    )
    return _report_done(args, made, notes, rejected)


def _placing(
    args: argparse.Namespace, report: Import, mdo: MdoReports | None, notes: list[str]
) -> tuple[list[Person] | None, OrgTree, Membership | None]:
    """The report's people, tree and membership over time: from --people, --units and
    --membership, else the zip's UserReport, else the export's own units."""
    tree = read_units_csv(args.units) if args.units else report.tree
    people = _read_people(args.people) if args.people else None
    if args.membership:
        if people is not None:
            raise ValueError("give --people or --membership (their units over time), not both")
        membership, lines = _membership_cli.read_membership(args.membership)
        notes += lines
        return None, tree, membership
    if mdo is not None and mdo.users is not None and people is None and not args.units:
        people, tree = zip_people(mdo.users, report, notes)
    return people, tree, None


def _attendance(
    path: str | None, mdo: MdoReports | None, notes: list[str], rejected: list[Any]
) -> list[Attendance]:
    """The offline sessions of blended programmes: from --blended, else from the zip."""
    blended = mdo.blended if mdo is not None else None
    if path:
        blended = read_blended_report(path)
        notes.append(blended.summary())
        rejected += blended.rejected
    return offline_attendance(blended.items) if blended is not None else []


def _enrolments(
    path: str, catalogue: Catalogue | None
) -> tuple[Import, list[str], MdoReports | None]:
    """The enrolment export, from its CSV or from an MDO's zip (with the zip's other
    reports), and the lines that say what was read."""
    if not is_zip(path):
        with reading(path) as source:
            report = read_consumption_report(source, catalogue=catalogue)
        return report, [report.summary()], None
    mdo = open_zip(path, catalogue)
    if mdo.consumption is None:
        raise ValueError(
            f"{path} holds no enrolment export (ConsumptionReport.csv or "
            "user-enrollment-report.csv): the report counts its enrolments"
        )
    return mdo.consumption, mdo.summary_lines(), mdo


def _report_done(args: argparse.Namespace, made: Any, notes: list[str], rejected: list[Any]) -> int:
    """Write the report, print its summary, and say on stderr what it chose and read."""
    path = made.write(args.out, charts=_charts(args.no_charts))
    if args.format == "json":
        print(json.dumps(made.to_dict() | {"report": str(path)}, indent=2, ensure_ascii=False))
    else:
        print(printable(made.summary()))
        print(f"report: {path}")
    for line in [*made.choices, *notes]:
        _note(line)
    if made.compliance is not None:
        for match in made.compliance.matched:
            _note(("warning: " if match.poor else "") + str(match))
    for rejection in rejected:
        _note(f"  rejected: {rejection}")
    return EXIT_ERROR if rejected else EXIT_OK


def _progress_parser(commands: Any) -> None:
    progress = commands.add_parser(
        "progress",
        help="roll up the platform's enrolment export over units and periods",
        description="Roll up an enrolment export: every unit (with the units below it) "
        "in every period, under a named counting policy.",
        epilog=PROGRESS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    progress.add_argument("report", metavar="REPORT", help="ConsumptionReport.csv")
    progress.add_argument("--by", choices=("fy", "quarter", "month"), default="quarter")
    progress.add_argument("--view", choices=("flow", "cumulative"), default="flow")
    progress.add_argument("--units", help="the organisation tree, as CSV")
    progress.add_argument("--people", help="people CSV (needs --units): counts users")
    progress.add_argument("--allocations", help="plan allocations CSV: plan compliance")
    progress.add_argument(
        "--catalogue", help="catalogue CSV or JSON: the course ids the allocations name"
    )
    progress.add_argument(
        "--policy",
        choices=("platform", "all-completions"),
        default="platform",
        help="learning hours from certified completions (platform) or from all",
    )
    progress.add_argument("--include-inactive", action="store_true", help="count inactive people")
    _membership_cli.add_arguments(progress)
    progress.add_argument(
        "--as-of", help="the numbers as the data stood at the end of this day, in India"
    )
    progress.add_argument(
        "--suppress", type=_threshold, metavar="N", help="hide counts from 1 to N-1"
    )
    progress.add_argument(
        "--format",
        choices=_FORMATS["progress"],
        help="default: as --out's extension says (.csv, .json, .txt), else table",
    )
    progress.add_argument("--pseudonymise", action="store_true", help=_PSEUDONYMISE)
    progress.add_argument("--out", help="write here instead of standard output")
    progress.add_argument(
        "--engine",
        choices=("auto", "columnar", "reference"),
        default="auto",
        help="columnar (needs the columnar extra) or reference; auto: columnar if installed",
    )
    progress.add_argument(
        "--no-limits",
        action="store_true",
        help="read a trusted export past the default limits (2 GiB, ten million rows)",
    )


def _progress(args: argparse.Namespace) -> int:
    if args.people and not args.units:
        raise ValueError("--people needs --units: the tree the people's units belong to")
    if args.people and args.membership:
        raise ValueError("give --people or --membership (their units over time), not both")
    membership = None
    if args.membership:
        membership, notes = _membership_cli.read_membership(args.membership)
        for line in notes:
            _note(line)
    policy = (
        CountingPolicy.PLATFORM if args.policy == "platform" else CountingPolicy.ALL_COMPLETIONS
    )
    if args.include_inactive:
        policy = attrs.evolve(policy, name=policy.name + "+inactive", include_inactive=True)
    catalogue = _read_catalogue(args.catalogue, default_framework()) if args.catalogue else None
    # The bar reads the file through a text handle, which the columnar engine would hold
    # whole in memory: only the reference engine, asked for by name, reads through it.
    bar = reading(args.report) if args.engine == "reference" else nullcontext(args.report)
    with bar as source:
        done = roll_up_export(
            source,
            by=args.by,
            view=args.view,
            tree=read_units_csv(args.units) if args.units else None,
            people=_read_people(args.people) if args.people else None,
            allocations=_read_allocations(args.allocations) if args.allocations else None,
            catalogue=catalogue,
            policy=policy,
            engine=args.engine,
            limits=NO_LIMITS if args.no_limits else DEFAULT_LIMITS,
            membership=membership,
            unit_rule=args.unit_rule,
            as_of=parse_date(args.as_of) if args.as_of else None,
        )
    return _progress_done(args, done)


def _progress_done(args: argparse.Namespace, done: RolledUpExport) -> int:
    """Write the progress command's output, then say on stderr how it was made."""
    table: ProgressTable[int | None] = done.table
    compliance: ComplianceTable[int | None] | None = done.compliance
    if args.suppress:  # one release: neither table may give the other's hidden counts away
        release = Release([table], compliance=compliance).suppressed(args.suppress)
        table, compliance = release.tables[0], release.compliance
    _write(_progress_output(table, compliance, args, args.format), args.out, args.format)
    _note(f"engine: {done.engine}")
    for match in done.matched:
        _note(("warning: " if match.poor else "") + str(match))
    return _accounted(done.report)


def _read_people(path: str) -> list[Person]:
    """People with each id as the readers key them (emails case-folded)."""
    return [attrs.evolve(p, id=p.id.casefold()) for p in read_people_csv(path)]


def _read_allocations(path: str) -> list[Allocation]:
    """Allocations with each person as the readers key them (emails case-folded)."""
    return [attrs.evolve(a, person=a.person.casefold()) for a in read_allocations_csv(path)]


_SAID_FINDINGS = ("implausible-date", "person-key-normalised")
"""The readers' findings the commands say on stderr: those that change what a number
means. The rest (columns not read, people in several units) are in the API's results."""


def _accounted(report: Any) -> int:
    """What became of the report's rows, on stderr; an error if any was rejected."""
    _note(report.summary())
    for finding in report.findings:
        if finding.code in _SAID_FINDINGS:
            _note(f"warning: {finding.message}")
    for rejection in report.rejected:
        _note(f"  rejected: {rejection}")
    return EXIT_ERROR if report.rejected else EXIT_OK


def _progress_output(
    table: Any, compliance: Any, args: argparse.Namespace, output_format: str
) -> str:
    key = _pseudonym_key(args)
    if key is not None and compliance is not None:
        compliance = compliance.pseudonymised(key)
    if output_format == "json":
        data: dict[str, object] = {"progress": table.to_dict()}
        if compliance is not None:
            data["compliance"] = compliance.to_dict()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        text = str(table.to_csv())
        return text if compliance is None else text + "\n" + str(compliance.to_csv())
    text = str(table) + "\n"
    return text if compliance is None else text + "\n" + str(compliance) + "\n"


def _write(text: str, out: str | None, output_format: str) -> None:
    """``text`` to standard output, or to ``out`` whole or not at all, saying so."""
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text)
        _note(f"wrote {out} ({output_format})")


_FORMAT_OF_EXTENSION = {".csv": "csv", ".json": "json", ".txt": "table"}


def _output_format(args: argparse.Namespace) -> str:
    """--format as given; else the one --out's extension names; else the first choice.
    A --format that contradicts --out's extension is refused."""
    choices = _FORMATS[args.command if args.command != "plan" else args.action]
    given: str | None = args.format
    named = _FORMAT_OF_EXTENSION.get(Path(args.out).suffix.lower()) if args.out else None
    if named is not None and named not in choices:
        named = None
    if given is not None and named is not None and given != named:
        raise ValueError(
            f"--out {args.out} names a {named} file but --format is {given}: "
            "give a matching extension, or leave out --format"
        )
    return given or named or choices[0]


_FORMATS = {"progress": ("table", "csv", "json"), "allocations": ("csv", "json", "table")}


def _build(args: argparse.Namespace) -> int:
    framework = default_framework()
    roles = _read_roles(args.roles, framework, args.organisation)
    people = read_people_csv(args.people, organisation=args.organisation)
    catalogue = _read_catalogue(args.catalogue, framework)
    result = build_plans(
        roles,
        people,
        catalogue,
        organisation=args.organisation,
        year=args.year,
        due=args.due,
        hours_cap=args.hours_cap,
        apar=args.apar,
    )
    plans = result.plans
    if args.publish:
        at = parse_datetime(args.at) if args.at else None
        plans = tuple(plan.publish(at=at) for plan in plans)
    documents = [(plan.id, _plan_document(plan, args.format)) for plan in plans]
    if args.out:
        out = Path(args.out)
        written: set[str] = set()
        for plan_id, document in documents:
            name = f"{plan_id}.json"
            if name in written:  # never one file over another of this run
                raise ValueError(f"two plans would be written to {out / name}")
            written.add(name)
            write_atomically(out / name, json.dumps(document, indent=2) + "\n")
    else:
        print(json.dumps([d for _id, d in documents], indent=2))
    for selection in result.selections:
        best = "" if selection.optimal else " (the best found within the search's limit)"
        _note(
            f"{selection.designation} ({selection.plan}): {len(selection.courses)} courses, "
            f"{selection.hours:g} hours, closing {len(selection.closes)} gaps{best}"
        )
    for gap in result.unclosed:
        _note(
            f"{gap.designation}: {gap.competency} (level {int(gap.required)}) stays open: "
            f"{gap.reason}"
        )
    for finding in result.findings:
        _note(finding.message)
    where = f" into {args.out}" if args.out else ""
    status = "Live" if args.publish else "Draft"
    _note(f"{len(plans)} plans ({status}) written{where}")
    if not args.publish and plans:
        _note(
            "only Live plans allocate courses: publish them (karmayogi plan publish, or "
            "plan build --publish) before karmayogi plan allocations"
        )
    return EXIT_OK


def _plan_document(plan: Plan, form: str) -> Any:
    if form == "platform":
        return plan.to_platform()
    return plan.model_dump(mode="json", exclude_defaults=True)


def _publish(args: argparse.Namespace) -> int:
    at = parse_datetime(args.at) if args.at else None
    read = [(path, *read_plans(path)) for path in args.plans]
    retired = [
        f"{path}: plan {p.id} is Retired; only a Draft plan can be published"
        for path, _form, plans in read
        for p in plans
        if p.status is PlanStatus.RETIRED
    ]
    if retired:  # refused before any file is rewritten
        raise ValueError("; ".join(retired))
    published = already = 0
    for path, form, plans in read:
        drafts = sum(p.status is PlanStatus.DRAFT for p in plans)
        published, already = published + drafts, already + len(plans) - drafts
        if not drafts:
            continue
        live = [p.publish(at=at) if p.status is PlanStatus.DRAFT else p for p in plans]
        documents = [_plan_document(p, form) for p in live]
        if form == "platform":
            document: Any = [payload for payloads in documents for payload in payloads]
        else:
            document = documents[0] if len(documents) == 1 else documents
        write_atomically(path, json.dumps(document, indent=2) + "\n")
    _note(f"{published} plans published (now Live), {already} already Live")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    catalogue = _read_catalogue(args.catalogue, default_framework()) if args.catalogue else None
    people = read_people_csv(args.people) if args.people else None
    failed = 0
    for path in args.plans:
        try:
            for plan in read_plans(path)[1]:
                plan.check(catalogue=catalogue, people=people)
        except ValidationError as exc:
            failed += 1
            print(f"{path}: {exc}", file=sys.stderr)
        else:
            print(f"{path}: ok")
    return EXIT_ERROR if failed else EXIT_OK


def _allocations(args: argparse.Namespace) -> int:
    output_format = args.format
    plans = [plan for path in args.plans for plan in read_plans(path)[1]]
    named = sorted(
        {n for p in plans for a in p.assignments if a.type.value == "Designation" for n in a.names}
    )
    aliases = read_aliases_csv(args.aliases, named) if args.aliases else None
    index = DesignationIndex(named, aliases=aliases, fuzzy=args.fuzzy)
    result = resolve(plans, read_people_csv(args.people), designations=index)
    live = sum(p.status is PlanStatus.LIVE for p in plans)
    if not live:
        kinds = ", ".join(f"{n} {what}" for what, n in result.left_out.items() if "plans" in what)
        raise ValueError(
            f"none of the {len(plans)} plans is Live ({kinds}): only Live plans allocate "
            "courses; publish them first (karmayogi plan publish PLAN...)"
        )
    reach = result.matched
    assert reach is not None
    reach.check()
    key = _pseudonym_key(args)
    if key is not None:
        result = result.pseudonymised(key)
    if output_format == "csv":
        if args.out:
            write_allocations_csv(result, args.out)
            _note(f"wrote {args.out} (csv)")
        else:
            write_allocations_csv(result, sys.stdout)
    else:
        header, rows = result._columns()
        if output_format == "json":
            text = json.dumps(
                [dict(zip(header, row, strict=True)) for row in rows], indent=2, default=str
            )
        else:
            text = text_table(
                header, [[cell_text(v) for v in row] for row in rows], [], left=len(header)
            )
        _write(text + "\n", args.out, output_format)
    people = len({a.person for a in result.allocations})
    _note(f"{len(result.allocations)} allocations for {people} people from {live} Live plans")
    _note(("warning: " if reach.poor else "") + str(reach))
    for what, n in result.left_out.items():
        _note(f"left out: {n} {what}")
    _designation_notes(result)
    return EXIT_OK


def _designation_notes(result: Resolution, shown: int = 5) -> None:
    """How the people's designations were read: those written otherwise, and those no
    plan names, a few of each, the most held first."""
    for title, uses in (
        ("designations written otherwise", result.designations_spelled_otherwise),
        ("designations no plan names", result.designations_unplanned),
    ):
        if not uses:
            continue
        people = sum(u.people for u in uses)
        _note(f"{title}: {len(uses)}, held by {people:,} {'person' if people == 1 else 'people'}")
        for use in sorted(uses, key=lambda u: (-u.people, u.match.written))[:shown]:
            _note(f"  {printable(str(use))}")


_PLAN_ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "publish": _publish,
    "check": _check,
    "allocations": _allocations,
}


def _note(message: str) -> None:
    print(printable(message), file=sys.stderr)


def _read_roles(path: str, framework: Framework, organisation: str | None) -> list[Position]:
    positions, findings = read_positions(path, framework, organisation)
    for finding in findings:
        _note(str(finding))
    return positions


def _read_catalogue(path: str, framework: Framework) -> Catalogue:
    catalogue, findings = read_catalogue(path, framework)
    for finding in findings:
        _note(str(finding))
    return catalogue


def print_taxonomy(
    framework: Framework,
    *,
    area: CompetencyArea | None,
    output_format: str,
    language: str | None = None,
) -> None:
    """Write the framework to standard output as a tree, CSV or JSON; with
    ``language``, each name in that language where the framework has one."""
    competencies = list(framework.competencies(area))
    if output_format == "json":
        print(framework.to_json())
    elif output_format == "csv":
        out = safe_writer(sys.stdout)
        header = ["Identifier", "Competency Area", "Competency Theme", "Competency SubTheme"]
        out.writerow(header + ([f"Label ({language})"] if language else []))
        for c in competencies:
            sub = c.sub_theme.name if c.sub_theme else ""
            label = [c.label(language) if c.label(language) != c.name else ""] if language else []
            out.writerow([c.id, c.area.value, c.theme.name, sub, *label])
    else:
        sys.stdout.write(_tree(framework, competencies, language))


def _tree(framework: Framework, competencies: list[Competency], language: str | None) -> str:
    themes = sum(1 for c in competencies if c.sub_theme is None)
    lines = [
        f"{framework.name} {framework.version} ({framework.id}): "
        f"{themes} themes, {len(competencies) - themes} sub-themes"
    ]
    area: CompetencyArea | None = None
    for c in competencies:
        if c.area is not area:
            area = c.area
            lines.append(f"{area.value}")
        indent = "  " if c.sub_theme is None else "    "
        label = c.label(language) if language else c.name
        name = f"{label} ({c.name})" if label != c.name else c.name
        lines.append(f"{indent}{c.id:<11} {printable(name)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
