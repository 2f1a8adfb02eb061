"""``karmayogi pathway``: one person's learning pathway, from the state's files."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from karmayogi._files import read_catalogue, read_positions, read_profiles
from karmayogi._names import close_matches
from karmayogi.cbp import read_allocations_csv
from karmayogi.competency import CompetencyProfile, Position, default_framework
from karmayogi.designations import DesignationIndex, read_aliases_csv
from karmayogi.errors import UnknownNameError
from karmayogi.org import Person, read_people_csv
from karmayogi.pathways import Pathway, pathway
from karmayogi.periods import parse_date
from karmayogi.progress import read_consumption_report

__all__ = ["add_parser", "run"]

EXAMPLES = """\
examples:
  karmayogi pathway meera@gov.in --people people.csv --roles roles.csv \\
      --catalogue courses.csv --report ConsumptionReport.csv --allocations allocations.csv
  karmayogi pathway meera@gov.in ... --hours 20 --due 2026-03-31 --format json
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "pathway",
        help="one person's learning pathway: the courses that close their gaps, in order",
        description="The courses, in order, that close one person's competency gaps at "
        "the least hours, counting what they completed and what plans allocate them.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("person", metavar="PERSON", help="the person's id, as the people file")
    parser.add_argument("--people", required=True, help="people CSV: the person's designation")
    parser.add_argument("--roles", required=True, help="designation-competency CSV or JSON")
    parser.add_argument("--catalogue", required=True, help="catalogue CSV or JSON")
    parser.add_argument("--profiles", help="competency profiles, JSON: what the person holds")
    parser.add_argument("--report", help="ConsumptionReport.csv: the courses they completed")
    parser.add_argument("--allocations", help="plan allocations CSV: courses already theirs")
    parser.add_argument("--aliases", help="designation aliases, CSV: Alias, Designation")
    parser.add_argument("--hours", type=float, help="a budget of hours for the pathway")
    parser.add_argument("--due", help="the date to have it done by")
    parser.add_argument("--as-of", help="the day to plan from (default: today in India)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace, note: Callable[[str], None]) -> Pathway:
    """The person's pathway, from the files the arguments name."""
    framework = default_framework()
    people = {p.id: p for p in read_people_csv(args.people)}
    person = people.get(args.person)
    if person is None:
        raise UnknownNameError("person", args.person, close_matches(args.person, people))
    positions, _findings = read_positions(args.roles, framework, person.organisation)
    position = _position_of(person, positions, args.aliases)
    catalogue, _findings = read_catalogue(args.catalogue, framework)
    profiles = read_profiles(args.profiles) if args.profiles else {}
    profile = profiles.get(person.id.casefold(), CompetencyProfile(person=person.id))
    ledger = read_consumption_report(args.report).ledger if args.report else None
    if ledger is not None and ledger and not ledger.entries_of(person.id):
        # One person with no records may be new; said, so that a people file keyed
        # otherwise than the report (employee ids, emails) does not pass unseen.
        note(
            f"{person.id} has no records in {args.report}, which names {len(ledger):,} "
            "enrolments; does the people file name people as the report does (Email)?"
        )
    allocations = read_allocations_csv(args.allocations) if args.allocations else ()
    return pathway(
        profile,
        position,
        catalogue,
        ledger=ledger,
        allocations=allocations,
        hours=args.hours,
        due=args.due,
        on=parse_date(args.as_of) if args.as_of else None,
    )


def _position_of(person: Person, positions: list[Position], aliases: str | None) -> Position:
    """The role profile of the person's designation, however the people file writes it."""
    mine = [p for p in positions if p.organisation in (None, person.organisation)]
    names = [p.name for p in mine]
    index = DesignationIndex(names, aliases=read_aliases_csv(aliases, names) if aliases else None)
    if person.designation is not None:
        held = index.key(person.designation)
        for position in mine:
            if index.key(position.name) == held:
                return position
    raise ValueError(
        f"{person.id} holds {person.designation!r}, which has no role profile in --roles"
        + (f" ({index.match(person.designation)})" if person.designation else "")
        + "; give the designation a role profile, or an alias (--aliases)"
    )


def as_json(path: Pathway) -> str:
    return json.dumps(
        {
            "person": path.person,
            "hours": round(path.hours, 2),
            "steps": [
                {
                    "course": s.course,
                    "name": s.name,
                    "hours": round(s.hours, 2),
                    "due": s.due.isoformat() if s.due else None,
                    "mandatory": s.mandatory,
                    "allocated_by": s.allocated_by,
                    "reason": s.reason,
                }
                for s in path.steps
            ],
            "open": [
                {"competency": g.competency, "mandatory": g.mandatory, "reason": g.reason}
                for g in path.open
            ],
            "completed": list(path.completed),
            "matches": [str(m) for m in path.matches if m.total],
        },
        indent=2,
    )
