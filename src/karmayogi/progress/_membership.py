"""Membership over time: each person's units, with the day each began.

People move. A Tehsildar transferred from Revenue to Health in October took her April to
September learning to Health if the numbers place everyone where they sit today. A
:class:`Membership` keeps the dated facts (this person, this unit, from this day) that
successive UserReports or a state's HR file give, so that a roll-up can count each
record in the unit its person was in when it happened.

Like the ledger, a membership is a join-semilattice: a set of facts merged by union, so
facts may come in any order, twice, or from several files, and the membership ends the
same. One person in two units from the same day is a contradiction, refused with both.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

import attrs

from karmayogi._csv import Source, read_table
from karmayogi._joins import join_people
from karmayogi._names import identity
from karmayogi.errors import Location, Match, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree, not_in_tree
from karmayogi.periods import parse_date

__all__ = ["UNIT_RULES", "Membership", "Move", "UnitRule", "read_membership_csv"]

UnitRule = Literal["when-it-happened", "current"]
"""Where a record counts: in the unit its person was in when it happened (its enrolment
in the unit of the enrolment's day, its completion in the unit of the completion's day),
or every record in the person's current unit."""

UNIT_RULES: tuple[UnitRule, ...] = ("when-it-happened", "current")


def _stripped(text: str) -> str:
    return text.strip()


@attrs.frozen(kw_only=True)
class Move:
    """One fact of a membership: ``person`` is in ``unit`` from ``since`` (a day in India)
    until their next move. ``origin`` says where the fact was read, for errors.

    >>> Move(person="a", unit="health", since="2025-10-01").since
    datetime.date(2025, 10, 1)
    """

    person: str = attrs.field(converter=identity)
    unit: str = attrs.field(converter=_stripped)
    since: dt.date = attrs.field(converter=parse_date)
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.person or not self.unit:
            raise ValueError("a move's person and unit must not be blank")


class Membership:
    """Each person's units with the day each began: :meth:`unit_on` any day, their
    :meth:`current` unit, and the membership :meth:`as_of` a past day.

    Before a person's first known day, they are taken to have been in their first known
    unit: the first UserReport a state kept is seldom older than the records in it. A
    roll-up says how many records it placed so.

    >>> membership = Membership([
    ...     Move(person="a", unit="revenue", since="2025-04-01"),
    ...     Move(person="a", unit="health", since="2025-10-01"),
    ... ])
    >>> [membership.unit_on("a", dt.date(2025, d, 1)) for d in (3, 9, 10, 12)]
    ['revenue', 'revenue', 'health', 'health']
    >>> membership.current("a"), membership.as_of("2025-09-30").current("a")
    ('health', 'revenue')
    """

    def __init__(self, moves: Iterable[Move] = ()) -> None:
        self._days: dict[str, list[dt.date]] = {}
        self._units: dict[str, list[str]] = {}
        self._origins: dict[tuple[str, dt.date], Location | None] = {}
        self.update(moves)

    @classmethod
    def from_snapshots(
        cls, snapshots: Iterable[tuple[dt.date | dt.datetime | str, Mapping[str, str]]]
    ) -> Membership:
        """A membership from successive lists of who sits where (each UserReport's
        ``places``, dated by its ``generated``): each person is in a unit from the first
        list that shows them there. A transfer between two lists is dated by the later
        one, since nothing says more; a person missing from a later list stays where the
        last one had them.

        >>> membership = Membership.from_snapshots([
        ...     ("2025-04-01", {"a": "revenue", "b": "revenue"}),
        ...     ("2025-10-01", {"a": "health"}),
        ... ])
        >>> membership.unit_on("a", dt.date(2025, 9, 30)), membership.current("b")
        ('revenue', 'revenue')
        """
        moves = []
        for taken, places in snapshots:
            day = parse_date(taken)
            origin = Location(path=f"snapshot of {day.isoformat()}")
            for person, unit in places.items():
                moves.append(Move(person=person, unit=unit, since=day, origin=origin))
        return cls(moves)

    # --- adding facts ------------------------------------------------------------------

    def problems(self, moves: Iterable[Move]) -> list[Problem]:
        """What adding ``moves`` would contradict: a person in two units from one day."""
        problems = []
        staged: dict[tuple[str, dt.date], Move] = {}
        for move in moves:
            key = (move.person, move.since)
            known = self._unit_from(move.person, move.since)
            other = staged.setdefault(key, move)
            unit, origin = (known, self._origins[key]) if known else (other.unit, other.origin)
            if unit != move.unit:
                where = f" ({origin})" if origin else ""
                problems.append(
                    Problem(
                        f"places {move.person!r} in two units from {move.since.isoformat()}: "
                        f"also in {unit!r}{where}",
                        move.origin or Location(path=f"moves[{move.person!r}]"),
                        expected="one unit per person from any one day",
                        got=move.unit,
                        code="inconsistent",
                    )
                )
        return problems

    def update(self, moves: Iterable[Move]) -> bool:
        """Add ``moves``; whether anything was new. A contradiction adds nothing and
        raises :class:`~karmayogi.errors.ValidationError`, with every one at once."""
        moves = list(moves)
        problems = self.problems(moves)
        if problems:
            raise ValidationError(problems)
        changed = False
        for move in moves:
            days = self._days.setdefault(move.person, [])
            units = self._units.setdefault(move.person, [])
            at = bisect.bisect_left(days, move.since)
            if at < len(days) and days[at] == move.since:
                continue
            days.insert(at, move.since)
            units.insert(at, move.unit)
            self._origins[move.person, move.since] = move.origin
            changed = True
        return changed

    def add(self, move: Move) -> bool:
        """Add one move; whether it was new."""
        return self.update([move])

    def __or__(self, other: Membership) -> Membership:
        return Membership([*self, *other])

    # --- reading -----------------------------------------------------------------------

    def _unit_from(self, person: str, day: dt.date) -> str | None:
        """The unit of a move of ``person`` on exactly ``day``, if any."""
        days = self._days.get(person, [])
        at = bisect.bisect_left(days, day)
        return self._units[person][at] if at < len(days) and days[at] == day else None

    def unit_on(self, person: str, day: dt.date) -> str | None:
        """The unit ``person`` was in on ``day``: of their latest move by then, or before
        their first, their first unit; None for a person the membership does not know."""
        days = self._days.get(person)
        if days is None:
            return None
        return self._units[person][max(bisect.bisect_right(days, day) - 1, 0)]

    def only_unit(self, person: str) -> str | None:
        """The unit of every move of ``person``, if they name one unit; else None."""
        units = self._units.get(person)
        return units[0] if units and units.count(units[0]) == len(units) else None

    def known_from(self, person: str) -> dt.date | None:
        """The day of ``person``'s first move, or None."""
        days = self._days.get(person)
        return days[0] if days else None

    def current(self, person: str) -> str | None:
        """The unit of ``person``'s latest move, or None."""
        units = self._units.get(person)
        return units[-1] if units else None

    def meets(self, in_records: Iterable[str]) -> Match:
        """How many of the people the records name this membership places (said in
        numbers only: the people are personal data)."""
        return join_people(in_records, self._days, join="the records' people in the membership")

    def places(self) -> dict[str, str]:
        """Each person's current unit."""
        return {person: units[-1] for person, units in self._units.items()}

    def as_of(self, day: dt.date | dt.datetime | str) -> Membership:
        """The membership as the facts known on ``day`` made it: the moves up to then."""
        day = parse_date(day)
        return Membership(move for move in self if move.since <= day)

    def check(self, tree: OrgTree) -> None:
        """Every unit a move names is in ``tree``, or every one that is not is said."""
        problems = [
            not_in_tree(move.unit, f"membership[{move.person!r}] from {move.since.isoformat()}")
            for move in self
            if move.unit not in tree
        ]
        if problems:
            raise ValidationError(problems)

    def __iter__(self) -> Iterator[Move]:
        """The moves, by person and day."""
        for person in sorted(self._days):
            for day, unit in zip(self._days[person], self._units[person], strict=True):
                yield Move(person=person, unit=unit, since=day, origin=self._origins[person, day])

    def __len__(self) -> int:
        return len(self._origins)

    def __contains__(self, person: object) -> bool:
        return person in self._days

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Membership):
            return NotImplemented
        return self._days == other._days and self._units == other._units

    __hash__ = None  # type: ignore[assignment]  # a membership changes

    def __repr__(self) -> str:
        return f"<Membership of {len(self._days)} people, {len(self)} moves>"


MEMBERSHIP_COLUMNS = {
    "person": ("Person", "Id", "User Id", "userid", "Employee Id", "Employee_Id", "Email"),
    "unit": ("Unit", "Office", "Organisation", "Organization", "MDO", "mdoid"),
    "since": ("From", "Since", "Effective From", "Joined On", "Date"),
}


def read_membership_csv(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Membership:
    """A membership from a state's HR file, with the columns ``Person, Unit, From`` (also
    spelled ``Employee Id``, ``Office``, ``Since``, ``Effective From``...): a row per
    posting. Every bad row is reported at once, with its row and column; a person in two
    units from one day too.

    >>> import io
    >>> membership = read_membership_csv(io.StringIO(
    ...     "Person,Unit,From\\na,revenue,2025-04-01\\na,health,01/10/2025\\n"))
    >>> membership.unit_on("a", dt.date(2025, 10, 1))
    'health'
    """
    table = read_table(source, MEMBERSHIP_COLUMNS, ("person", "unit", "since"), limits)
    problems: list[Problem] = []
    moves: list[Move] = []
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        before = len(problems)
        for column, what in (("person", "a person's identifier"), ("unit", "a unit's id")):
            if not values[column].strip():
                problems.append(
                    Problem("is blank", table.where(row, column), expected=what, code="blank")
                )
        try:
            since = parse_date(values["since"])
        except ValueError:
            problems.append(
                Problem(
                    "is not a date",
                    table.where(row, "since"),
                    expected="the first day in the unit, like 2025-10-01 or 01/10/2025",
                    got=values["since"],
                    code="malformed",
                )
            )
        if len(problems) == before:
            where = table.where(row, "unit")
            move = Move(person=values["person"], unit=values["unit"], since=since, origin=where)
            moves.append(move)
    membership = Membership()
    problems.extend(membership.problems(moves))
    if problems:
        raise ValidationError(problems)
    membership.update(moves)
    return membership
