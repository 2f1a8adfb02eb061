"""``--membership``: people's units over time for the command line, from a state's
postings file (Person, Unit, From) or successive UserReports, each dated by the day the
platform generated it."""

from __future__ import annotations

from collections.abc import Sequence

from karmayogi._validate import USER_REPORT_KIND, kind_of
from karmayogi.exports import read_user_report
from karmayogi.progress import Membership, Move, read_membership_csv

__all__ = ["read_membership"]


def read_membership(paths: Sequence[str]) -> tuple[Membership, list[str]]:
    """The membership the files make together, and a line on what each gave. People are
    keyed as the readers key them (emails compared case-insensitively)."""
    snapshots = []
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
            snapshots.append((day, users.places))
            notes.append(f"membership: {path}: {len(users.places)} people's units on {day}")
            notes += [f"  rejected: {rejection}" for rejection in users.rejected]
        else:
            theirs = list(read_membership_csv(path))
            moves += [
                Move(person=m.person.casefold(), unit=m.unit, since=m.since, origin=m.origin)
                for m in theirs
            ]
            notes.append(f"membership: {path}: {len(theirs)} postings")
    membership = Membership.from_snapshots(snapshots)
    membership.update(moves)
    return membership, notes
