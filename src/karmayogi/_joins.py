"""Where two inputs meet: each join finds what it can with the library's tolerant
rules, and says how well it matched (a :class:`~karmayogi.errors.Match`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from karmayogi._names import name_key
from karmayogi.errors import Match

if TYPE_CHECKING:
    from karmayogi.org import OrgTree

__all__ = ["CourseNames", "join_courses", "join_people", "join_places", "people_placed"]


class NamedCourse(Protocol):
    """A course as a join knows it: its id and its title."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


class CourseNames(Protocol):
    """What a join asks of a catalogue (a :class:`karmayogi.cbp.Catalogue`): each course's
    id and title, so that records naming courses one way meet allocations naming them
    the other."""

    @property
    def courses(self) -> Sequence[NamedCourse]: ...


_COURSE_JOIN = "the allocations' courses in the records"
_PLATFORM_ID = re.compile(r"do_\w+")
_EXAMPLES = 3


def join_courses(
    wanted: Iterable[str],
    present: Iterable[str],
    *,
    catalogue: CourseNames | None = None,
    join: str = _COURSE_JOIN,
) -> tuple[dict[str, str], Match]:
    """For each course that ``wanted`` names (by id or by title), the course the records
    (``present``) know it by, and how many were found.

    A course is found as written; else by its name compared as :func:`name_key` does
    (case, spacing, punctuation and ``&`` do not matter); else through ``catalogue``,
    from an id to its title or a title to its id.

    >>> found, match = join_courses(["do_1", "RTI  act"], ["RTI Act", "Listening"])
    >>> found
    {'RTI  act': 'RTI Act'}
    >>> print(match)
    the allocations' courses in the records: 1 of 2 matched (50%); unmatched: 'do_1'; \
the allocations name courses by id (do_...) and the records by title: pass a catalogue \
that holds both (--catalogue)
    """
    present = set(present)
    by_key: dict[str, str] = {}
    for course in sorted(present):
        by_key.setdefault(name_key(course), course)
    titles: dict[str, str] = {}
    ids: dict[str, str] = {}
    if catalogue is not None:
        for c in catalogue.courses:
            titles[c.id] = c.name
            ids.setdefault(name_key(c.name), c.id)

    def find(course: str) -> str | None:
        if course in present:
            return course
        key = name_key(course)
        if key in by_key:
            return by_key[key]
        if course in titles:  # an id the records know by its title
            return by_key.get(name_key(titles[course]))
        known = ids.get(key)  # a title the records know by its id
        return known if known in present else None

    found: dict[str, str] = {}
    missed: list[str] = []
    for course in sorted(set(wanted)):
        partner = find(course)
        if partner is None:
            missed.append(course)
        else:
            found[course] = partner
    total = len(found) + len(missed)
    return found, Match(
        join=join,
        matched=len(found),
        total=total,
        unmatched=tuple(missed[:_EXAMPLES]),
        hint=_course_hint(missed, present, catalogue),
    )


def _course_hint(missed: list[str], present: set[str], catalogue: CourseNames | None) -> str | None:
    if not missed:
        return None
    if not present:
        return "the records hold no enrolments"
    by_id = sum(bool(_PLATFORM_ID.fullmatch(c)) for c in missed) > len(missed) / 2
    records_by_id = sum(bool(_PLATFORM_ID.fullmatch(c)) for c in present) > len(present) / 2
    if catalogue is None and by_id != records_by_id:
        ways = ("by id (do_...)", "by title") if by_id else ("by title", "by id (do_...)")
        return (
            f"the allocations name courses {ways[0]} and the records {ways[1]}: "
            "pass a catalogue that holds both (--catalogue)"
        )
    if catalogue is not None:
        return "the catalogue does not hold these courses under the names the records use"
    return "no course of the allocations is named as in the records"


def join_people(
    in_records: Iterable[str],
    known: Iterable[str],
    *,
    join: str = "the records' people in the people file",
) -> Match:
    """How many of the people the records name are among the people given (no names
    in the result: they are personal data).

    >>> print(join_people(["a@x.in", "b@x.in"], ["a@x.in"]))
    the records' people in the people file: 1 of 2 matched (50%); the people file's \
Person column holds what the export knows people by (Email, compared case-insensitively)
    """
    wanted, given = set(in_records), set(known)
    return Match(
        join=join,
        matched=len(wanted & given),
        total=len(wanted),
        hint="the people file's Person column holds what the export knows people by "
        "(Email, compared case-insensitively)",
    )


def join_places(places: Mapping[str, str], tree: OrgTree) -> tuple[dict[str, str], Match]:
    """The people's places that are units of ``tree``, and how many were.

    >>> from karmayogi.org import OrgTree, Unit
    >>> tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    >>> kept, match = join_places({"a@x.in": "cg", "b@x.in": "CG/Revenue"}, tree)
    >>> kept, match.matched, match.unmatched
    ({'a@x.in': 'cg'}, 1, ('CG/Revenue',))
    """
    kept = {person: unit for person, unit in places.items() if unit in tree}
    missed = sorted({unit for unit in places.values() if unit not in tree})
    return kept, Match(
        join="the records' units in the organisation tree",
        matched=len(kept),
        total=len(places),
        unmatched=tuple(missed[:_EXAMPLES]),
        hint="the units file's Unit ids are the export's Ministry/Department/Organization "
        "path (such as 'Madhyanchal-Pradesh/Revenue'); leave out --units to use the "
        "tree the export spells",
    )


def people_placed(placed: int, allocations: int) -> Match:
    """How many of the allocations name a person the roll-up placed. No examples: they
    would be people's emails, in output that is published."""
    return Match(
        join="the allocations' people among the people placed",
        matched=placed,
        total=allocations,
        hint="are people named alike in both (Email, compared case-insensitively)?",
    )
