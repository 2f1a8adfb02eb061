"""``karmayogi report mdo.zip``: an MDO's zip opened with its password (from the
environment, or asked for at a terminal; never from the command line, where other users
of the machine can read it), and its reports turned into the report's inputs."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import os
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from karmayogi._joins import CourseNames, join_people
from karmayogi.exports import PASSWORD_VARIABLE, MdoReports, ReportRows, UserRow, read_mdo_zip
from karmayogi.org import OrgTree, Person
from karmayogi.progress import Import

__all__ = [
    "is_zip",
    "merged_tree",
    "open_zip",
    "people_of",
    "zip_date",
    "zip_people",
    "zip_texts",
]


def is_zip(path: str) -> bool:
    """Whether ``path`` is a zip, by its bytes, whatever its name."""
    return Path(path).is_file() and zipfile.is_zipfile(path)


def _encrypted(path: str) -> bool:
    with zipfile.ZipFile(path) as archive:
        return any(info.flag_bits & 0x1 for info in archive.infolist())


def _password(path: str) -> str | None:
    """The zip's password from :data:`PASSWORD_VARIABLE`, or asked for where standard
    input is a terminal; an encrypted zip without either is refused with what to set."""
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None and _encrypted(path):
        if not sys.stdin.isatty():
            raise ValueError(
                f"{path} is encrypted: set {PASSWORD_VARIABLE} to its password (it is never "
                "taken on the command line, where other users of the machine can read it)"
            )
        password = getpass.getpass(f"the password of {Path(path).name}: ")
    return password


def open_zip(path: str, catalogue: CourseNames | None) -> MdoReports:
    """The zip's reports, opened with its password (:func:`_password`)."""
    return read_mdo_zip(path, password=_password(path), catalogue=catalogue)


def people_of(users: ReportRows[UserRow]) -> list[Person]:
    """The people a UserReport lists (all active: the platform lists no others), each in
    their unit."""
    return [
        Person(
            id=row.person,
            organisation=users.places.get(row.person, "unplaced"),
            designation=row.designation,
            unit=users.places.get(row.person),
        )
        for row in users.items
    ]


def merged_tree(trees: Iterable[OrgTree]) -> OrgTree:
    """One tree of every unit the trees hold (the reports of one zip spell the same
    units alike, so a unit in two is one)."""
    paths = set()
    for tree in trees:
        for unit in tree:
            paths.add(tuple(tree[part].name for part in tree.path(unit.id)))
    return OrgTree.from_paths(sorted(paths))


def zip_people(
    users: ReportRows[UserRow], enrolments: Import, notes: list[str]
) -> tuple[list[Person], OrgTree]:
    """The people of the zip's UserReport, and the tree of both reports. The platform lists
    active users only, so a person the enrolments name and the UserReport does not is
    taken as inactive (placed where their enrolments place them), as a note says, with
    how many of the enrolments' people the UserReport lists."""
    people = people_of(users)
    listed = {person.id for person in people}
    in_records = {entry.person for entry in enrolments.ledger}
    notes.append(str(join_people(in_records, listed, join=_JOIN).check()))
    unlisted = sorted(in_records - listed)
    if unlisted:
        notes.append(
            f"{len(unlisted):,} people of the enrolments are not in UserReport, which lists "
            "active users only: they are counted as inactive"
        )
    for person in unlisted:
        place = enrolments.places.get(person, "unplaced")
        people.append(Person(id=person, organisation=place, unit=place, active=False))
    return people, merged_tree([enrolments.tree, users.tree])


_JOIN = "the enrolments' people in UserReport"


def zip_date(mdo: MdoReports | None, notes: list[str]) -> dt.date | None:
    """The data's date of a zip: the day the platform made its UserReport (its
    Report_Last_Generated_On), said in a note; None without one."""
    made = mdo.users.generated if mdo is not None and mdo.users is not None else None
    if made is None:
        return None
    notes.append(
        f"data as of {made:%d/%m/%Y}: the day the platform made UserReport "
        "(Report_Last_Generated_On)"
    )
    return made.date()


def zip_texts(path: str) -> dict[str, io.StringIO]:
    """Each CSV member of an MDO's zip, as text named ``zip:member``, opened with the
    password as :func:`open_zip` takes it."""
    password = _password(path)
    key = password.encode("utf-8") if password is not None else None
    with zipfile.ZipFile(path) as archive:
        return {
            f"{path}:{info.filename}": io.StringIO(
                archive.read(info, pwd=key).decode("utf-8-sig"), newline=""
            )
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv")
        }
