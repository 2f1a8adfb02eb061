"""``--membership``: people's units over time for the command line, from a state's
postings file (Person, Unit, From) or successive UserReports, each dated by the day the
platform generated it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from karmayogi._validate import USER_REPORT_KIND, kind_of
from karmayogi.errors import Location
from karmayogi.exports import read_user_report
from karmayogi.progress import UNIT_RULES, Membership, Move, read_membership_csv

__all__ = ["add_arguments", "read_membership"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--membership`` and ``--unit-rule``, alike for every command that counts."""
    parser.add_argument(
        "--membership",
        nargs="+",
        metavar="FILE",
        help="people's units over time: a postings CSV (Person, Unit, From) or successive "
        "UserReport.csv files, each dated by its Report_Last_Generated_On",
    )
    parser.add_argument(
        "--unit-rule",
        choices=UNIT_RULES,
        default="when-it-happened",
        help="with --membership: each record in the unit of its day, or in the current one",
    )


def read_membership(paths: Sequence[str]) -> tuple[Membership, list[str]]:
    """The membership the files make together, and a line on what each gave. People are
    keyed as the readers key them (emails compared case-insensitively)."""
    moves: list[Move] = []
    notes = []
    for path in paths:
        if kind_of(path) == USER_REPORT_KIND:
            users = read_user_report(path)
            if users.generated is None:
                raise ValueError(
                    f"{path}: a UserReport dates its people's units by its "
                    "Report_Last_Generated_On column, which it lacks or leaves blank; "
                    "give a postings file (Person, Unit, From) instead"
                )
            day = users.generated.date()
            where = Location(file=path, field="Report_Last_Generated_On")
            moves += [
                Move(person=person, unit=unit, since=day, origin=where)
                for person, unit in users.places.items()
            ]
            notes.append(f"membership: {path}: {len(users.places)} people's units on {day}")
            notes += [f"  rejected: {rejection}" for rejection in users.rejected]
        else:
            theirs = list(read_membership_csv(path))
            moves += [
                Move(person=m.person.casefold(), unit=m.unit, since=m.since, origin=m.origin)
                for m in theirs
            ]
            notes.append(f"membership: {path}: {len(theirs)} postings")
    return Membership(moves), notes
