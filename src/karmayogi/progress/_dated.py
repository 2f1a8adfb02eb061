"""The reference engine over a membership that changes with time.

Under a dated membership a person's records may count in several units: an enrolment in
Revenue in June, a completion in Health in November. A parent's count of people is then
no longer its children's without overlap (that person is one of Revenue's and one of
Health's, and one of the state's), so this engine counts each person's part directly at
every unit above each of their records: their entries, and once per period for each unit
they count in. A change (a record, or a move) takes back the person's part as it was and
adds it as it is now; a bulk load adds every person's part once. Both are the same sum of
the same parts, so they agree, whatever the order of records and moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

from karmayogi.periods import PeriodKind
from karmayogi.progress._engine import Engine, Slot, Unplaced
from karmayogi.progress._membership import Membership, Move, UnitRule
from karmayogi.progress._records import Enrolment, Ledger, Status, bulk
from karmayogi.progress._rules import CountingPolicy

__all__ = ["DatedEngine"]

_Cells = dict[tuple[str, int, int], int]
"""(unit, period, slot) -> count."""
_Part = tuple[_Cells, _Cells, int]
"""A person's part: cells that count at their unit and each ancestor, cells that count
only where they are, and their records dated before their first known unit."""

_PEOPLE_SLOTS = (
    (Slot.ENROLLED_USERS, Slot.FIRST_ENROLLED),
    (Slot.STARTED_USERS, Slot.FIRST_STARTED),
    (Slot.COMPLETED_USERS, Slot.FIRST_COMPLETED),
)


class DatedEngine(Engine):
    """Counters where each record counts in the unit its person was in when it happened
    (or in their current unit, by ``rule``)."""

    def __init__(
        self,
        paths: Mapping[str, tuple[str, ...]],
        membership: Membership,
        by: PeriodKind,
        policy: CountingPolicy,
        ledger: Ledger,
        *,
        rule: UnitRule,
    ) -> None:
        self.current: dict[str, str] = membership.places()
        """Each person's current unit, kept as moves come."""
        super().__init__(paths, self.current, by, policy, ledger)
        self.membership = membership
        self.rule: UnitRule = rule
        self.assumed = 0
        """Records dated before their person's first known unit, counted in that unit."""

    def unit_on(self, person: str, day: dt.date | None) -> str | None:
        if self.rule == "current" or day is None:
            return self.membership.current(person)
        return self.membership.unit_on(person, day)

    def _part(self, person: str, entries: Collection[Enrolment]) -> _Part:
        """What ``entries`` of ``person`` count, and how many of them are dated before
        the person's first known unit."""
        own: _Cells = {}
        first_known = self.membership.known_from(person)
        if first_known is None:
            return own, {}, 0
        assumed = _before(entries, first_known) if self.rule == "when-it-happened" else 0
        period, unit_at = self.period, self.unit_at
        seen: dict[str, tuple[set[int], set[int], set[int]]] = {}

        def count(unit: str, index: int, slot: int, value: int = 1) -> None:
            key = (unit, index, slot)
            own[key] = own.get(key, 0) + value

        def counted(unit: str, index: int, kinds: Sequence[int]) -> None:
            periods = seen.get(unit) or seen.setdefault(unit, (set(), set(), set()))
            for kind in kinds:
                periods[kind].add(index)

        for entry in entries:
            enrolled, completed = period(entry.enrolled_at), period(entry.completed_at)
            at_enrolment = unit_at(person, entry.enrolled_at)
            assert at_enrolment is not None
            if enrolled is not None:
                count(at_enrolment, enrolled, Slot.ENROLMENTS)
                started = entry.status is not Status.NOT_STARTED
                counted(at_enrolment, enrolled, (0, 1) if started else (0,))
            if completed is None:
                continue
            at_completion = unit_at(person, entry.completed_at)
            assert at_completion is not None
            count(at_completion, completed, Slot.COMPLETIONS)
            if entry.certificates:
                count(at_completion, completed, Slot.CERTIFICATES)
            if self.policy.counts_hours(entry):
                count(at_completion, completed, Slot.SECONDS, entry.duration or 0)
            counted(at_completion, completed, (2,))
            if enrolled is not None:  # a cohort is its enrolments': where they count
                if completed <= enrolled:
                    count(at_enrolment, enrolled, Slot.COHORT_FLOW)
                count(at_enrolment, max(enrolled, completed), Slot.COHORT_UP_TO)
        # The person once per period in each unit they count in, and above it: where
        # that is one unit, its ancestors' counts are its own; else, each ancestor's
        # periods are the union of those of the units below it.
        direct: _Cells = {}
        people, into = (own, seen) if len(seen) == 1 else (direct, self._above(seen))
        for unit, kinds in into.items():
            for periods, (in_period, first) in zip(kinds, _PEOPLE_SLOTS, strict=True):
                for index in periods:
                    key = (unit, index, in_period)
                    people[key] = people.get(key, 0) + 1
                if periods:
                    key = (unit, min(periods), first)
                    people[key] = people.get(key, 0) + 1
        return own, direct, assumed

    def _above(
        self, seen: Mapping[str, tuple[set[int], set[int], set[int]]]
    ) -> dict[str, tuple[set[int], set[int], set[int]]]:
        """Each unit's periods with those of every unit below it, for every ancestor."""
        above: dict[str, tuple[set[int], set[int], set[int]]] = {}
        for unit, kinds in seen.items():
            for ancestor in self.paths[unit]:
                periods = above.setdefault(ancestor, (set(), set(), set()))
                for mine, theirs in zip(periods, kinds, strict=True):
                    mine.update(theirs)
        return above

    def _apply(self, part: _Part, sign: int) -> None:
        """Add (or with ``sign`` -1, take back) a part: its own cells at each unit and
        every ancestor, its direct ones where they are."""
        own, direct, assumed = part
        self.assumed += sign * assumed
        expanded = [
            ((ancestor, index, slot), value)
            for (unit, index, slot), value in own.items()
            for ancestor in self.paths[unit]
        ]
        for (unit, index, slot), value in (*expanded, *direct.items()):
            if value:
                by_period = self.cells.get(unit) or self.cells.setdefault(unit, {})
                row = by_period.get(index)
                if row is None:
                    row = by_period[index] = [0] * Slot.COUNT
                row[slot] += sign * value

    def update(self, unit: str, before: Enrolment | None, after: Enrolment) -> None:
        """Count ``after`` instead of ``before``: the person's part as it was taken back,
        and as it is added (``unit`` is the person's current one: each record finds its
        own)."""
        person = after.person
        now = list(self.ledger.entries_of(person))
        then = [entry for entry in now if entry.course != after.course]
        if before is not None:
            then.append(before)
        old, new = self._part(person, then), self._part(person, now)  # both before a change
        self._apply(old, -1)
        self._apply(new, 1)

    def move(self, person: str, moves: Sequence[Move]) -> None:
        """Add ``moves`` (of ``person``, checked already) to the membership, and count the
        person's records where they now belong."""
        entries = list(self.ledger.entries_of(person))
        old = self._part(person, entries)
        self.membership.update(moves)
        new = self._part(person, entries)
        self._apply(old, -1)
        self._apply(new, 1)
        current = self.membership.current(person)
        assert current is not None
        self.current[person] = current

    def load(self) -> Unplaced:
        """Count the ledger's entries into an empty engine, person by person: those who
        were in one unit all along as the engine placed once counts them, the others by
        their parts."""
        unplaced: dict[str, int] = {}
        undated = assumed = 0
        own: _Cells = {}
        direct: _Cells = {}
        in_one_unit: list[tuple[str, Collection[Enrolment]]] = []
        membership, dated = self.membership, self.rule == "when-it-happened"
        with bulk():
            for person, entries in self.ledger.by_person():
                if person not in membership:
                    unplaced[person] = len(entries)
                    continue
                if membership.only_unit(person) is not None:
                    in_one_unit.append((person, entries))
                    if dated:
                        assumed += _before(entries, membership.known_from(person))
                    continue
                undated += sum(entry.enrolled_at is None for entry in entries)
                theirs, above, before_known = self._part(person, entries)
                assumed += before_known
                for into, cells in ((own, theirs), (direct, above)):
                    for key, value in cells.items():
                        into[key] = into.get(key, 0) + value
            undated += self._load(in_one_unit).undated
            self._apply((own, direct, assumed), 1)  # every unit's own cells, expanded once
        return Unplaced(unplaced, undated)


def _before(entries: Iterable[Enrolment], day: dt.date | None) -> int:
    """How many of ``entries`` are dated before ``day`` (none, without one)."""
    if day is None:
        return 0
    dates = ((e.enrolled_at, e.completed_at) for e in entries)
    return sum(any(w is not None and w.date() < day for w in pair) for pair in dates)
