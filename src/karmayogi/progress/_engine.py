"""The reference roll-up engine: counters per (unit, period), kept right one record at a
time.

Every unit's counters include its descendants'. A record changes one ledger entry; the
engine takes back what the entry counted before and adds what it counts now, at the
person's unit and each ancestor: the cost is the depth of the tree, not the size of the
data. A bulk load counts every entry at its own unit first and then adds each unit's
counters to its ancestors once. Both must give the same counters, and the tests demand it.

Distinct-person counts rest on each person's periods: how many of their entries fall in
each. A person counts in a period while that number is above zero; since a person sits
in one unit, a parent's count of people is its children's (and its own) without overlap.
A bulk load finds each person's periods while it counts their entries and keeps none of
them: a state's 400,000 people would hold hundreds of MiB of them. One record at a time, a
person's periods are counted from their ledger entries when the person first changes, and
kept from then on; the cost is their own entries, not the size of the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import NamedTuple

from karmayogi.periods import PeriodKind, period_index
from karmayogi.progress._records import Enrolment, Ledger, Status, bulk
from karmayogi.progress._rules import CountingPolicy

__all__ = ["Engine", "Slot", "Unplaced"]


class Slot:
    """Positions of the counters each (unit, period) keeps."""

    ENROLMENTS = 0
    COMPLETIONS = 1
    CERTIFICATES = 2
    SECONDS = 3
    COHORT_FLOW = 4
    """Enrolled in the period and completed by its end."""
    COHORT_UP_TO = 5
    """Counted at the later of the enrolment and completion periods: summed up to a
    period, the enrolments up to its end that were completed by its end."""
    ENROLLED_USERS = 6
    STARTED_USERS = 7
    COMPLETED_USERS = 8
    FIRST_ENROLLED = 9
    """A person's first enrolment period: summed up to a period, the people enrolled by
    its end."""
    FIRST_STARTED = 10
    FIRST_COMPLETED = 11
    COUNT = 12


_Deltas = dict[tuple[int, int], int]
_Periods = tuple[dict[int, int], dict[int, int], dict[int, int]]
"""A person's enrolled, started and completed periods: period -> number of their entries."""


class Unplaced(NamedTuple):
    """What a bulk load left out or could not date."""

    entries: dict[str, int]
    """Person -> their entries, for people not placed in any unit."""
    undated: int
    """Placed entries without an enrolment time."""


class Engine:
    """Counters for one division of time, over one tree, under one policy, of the entries
    of one ledger."""

    def __init__(
        self,
        paths: Mapping[str, tuple[str, ...]],
        places: Mapping[str, str],
        by: PeriodKind,
        policy: CountingPolicy,
        ledger: Ledger,
    ) -> None:
        self.paths = paths
        self.places = places
        self.by = by
        self.policy = policy
        self.ledger = ledger
        self.cells: dict[str, dict[int, list[int]]] = {}
        self.persons: dict[str, _Periods] = {}
        """The periods of each person changed one record at a time."""
        self._periods: dict[dt.date, int] = {}

    def unit_on(self, person: str, day: dt.date | None) -> str | None:
        """The unit where what ``person`` did on ``day`` (India's) counts: here, their
        one unit."""
        return self.places.get(person)

    def unit_at(self, person: str, when: dt.datetime | None) -> str | None:
        """The unit where a record of ``person`` dated ``when`` counts."""
        return self.unit_on(person, None if when is None else when.date())

    def period(self, when: dt.datetime | None) -> int | None:
        return None if when is None else self.period_of(when)

    def period_of(self, when: dt.datetime) -> int:
        day = when.date()  # records keep India's time, so this is India's date
        index = self._periods.get(day)
        if index is None:
            index = self._periods[day] = period_index(self.by, day)
        return index

    def _entry_deltas(self, entry: Enrolment, sign: int, deltas: _Deltas) -> None:
        enrolled = self.period(entry.enrolled_at)
        completed = self.period(entry.completed_at)
        if enrolled is not None:
            key = (enrolled, Slot.ENROLMENTS)
            deltas[key] = deltas.get(key, 0) + sign
        if completed is not None:
            for slot, counts in (
                (Slot.COMPLETIONS, True),
                (Slot.CERTIFICATES, bool(entry.certificates)),
            ):
                if counts:
                    key = (completed, slot)
                    deltas[key] = deltas.get(key, 0) + sign
            if self.policy.counts_hours(entry):
                key = (completed, Slot.SECONDS)
                deltas[key] = deltas.get(key, 0) + sign * (entry.duration or 0)
            if enrolled is not None:
                if completed <= enrolled:
                    key = (enrolled, Slot.COHORT_FLOW)
                    deltas[key] = deltas.get(key, 0) + sign
                key = (max(enrolled, completed), Slot.COHORT_UP_TO)
                deltas[key] = deltas.get(key, 0) + sign

    def _person_deltas(
        self, person: str, before: Enrolment | None, after: Enrolment, deltas: _Deltas
    ) -> None:
        counts = self.persons.get(person)
        if counts is None:
            counts = self.persons[person] = self._periods_before(person, before, after)
        for periods, old, new, (in_period, first) in zip(
            counts,
            self._periods_of(before),
            self._periods_of(after),
            (
                (Slot.ENROLLED_USERS, Slot.FIRST_ENROLLED),
                (Slot.STARTED_USERS, Slot.FIRST_STARTED),
                (Slot.COMPLETED_USERS, Slot.FIRST_COMPLETED),
            ),
            strict=True,
        ):
            if old == new:
                continue
            first_before = min(periods) if periods else None
            if old is not None:
                periods[old] -= 1
                if not periods[old]:
                    del periods[old]
                    deltas[(old, in_period)] = deltas.get((old, in_period), 0) - 1
            if new is not None:
                periods[new] = periods.get(new, 0) + 1
                if periods[new] == 1:
                    deltas[(new, in_period)] = deltas.get((new, in_period), 0) + 1
            first_after = min(periods) if periods else None
            if first_before != first_after:
                if first_before is not None:
                    key = (first_before, first)
                    deltas[key] = deltas.get(key, 0) - 1
                if first_after is not None:
                    key = (first_after, first)
                    deltas[key] = deltas.get(key, 0) + 1

    def _periods_before(self, person: str, before: Enrolment | None, after: Enrolment) -> _Periods:
        """The person's periods as they were before the ledger took ``after`` in place of
        ``before``: from their ledger entries, with ``before`` for ``after``."""
        # As _periods_of, inlined: a person's first update after a bulk load runs this.
        enrolled_in: dict[int, int] = {}
        started_in: dict[int, int] = {}
        completed_in: dict[int, int] = {}
        period, not_started = self.period, Status.NOT_STARTED
        for entry in self.ledger.entries_of(person):
            if entry.course == after.course:
                if before is None:
                    continue
                entry = before  # noqa: PLW2901 - the entry as it was
            index = period(entry.enrolled_at)
            if index is not None:
                enrolled_in[index] = enrolled_in.get(index, 0) + 1
                if entry.status is not not_started:
                    started_in[index] = started_in.get(index, 0) + 1
            index = period(entry.completed_at)
            if index is not None:
                completed_in[index] = completed_in.get(index, 0) + 1
        return enrolled_in, started_in, completed_in

    def _periods_of(self, entry: Enrolment | None) -> tuple[int | None, int | None, int | None]:
        """The periods an entry puts its person in as enrolled, started and completed."""
        if entry is None:
            return (None, None, None)
        enrolled = self.period(entry.enrolled_at)
        started = None if entry.status is Status.NOT_STARTED else enrolled
        return enrolled, started, self.period(entry.completed_at)

    def update(self, unit: str, before: Enrolment | None, after: Enrolment) -> None:
        """Count ``after`` instead of ``before`` (None: nothing yet) at ``unit`` and above;
        the ledger holds ``after`` already."""
        deltas: _Deltas = {}
        if before is not None:
            self._entry_deltas(before, -1, deltas)
        self._entry_deltas(after, 1, deltas)
        self._person_deltas(after.person, before, after, deltas)
        for ancestor in self.paths[unit]:
            cells = self.cells.setdefault(ancestor, {})
            for (period, slot), delta in deltas.items():
                if delta:
                    row = cells.get(period)
                    if row is None:
                        row = cells[period] = [0] * Slot.COUNT
                    row[slot] += delta

    def load(self) -> Unplaced:
        """Count the ledger's entries into an empty engine, each at its person's own unit,
        then add each unit's counters to its ancestors once. Gives what was left out: the
        entries of each person without a unit, and how many placed entries have no
        enrolment time."""
        with bulk():
            return self._load(self.ledger.by_person())

    def _load(self, people: Iterable[tuple[str, Collection[Enrolment]]]) -> Unplaced:  # noqa: PLR0915
        # Millions of entries pass here: everything in local names, slots as constants,
        # and a person's unit and counts found once for all their entries.
        own: dict[str, dict[int, list[int]]] = {}
        unplaced: dict[str, int] = {}
        undated = 0
        places, days, period = self.places, self._periods, self.period_of
        every_completion = self.policy.hours_from == "completed"
        not_started = Status.NOT_STARTED
        width = Slot.COUNT
        enrolments, completions, certificates, seconds, cohort_flow, cohort_up_to = (
            Slot.ENROLMENTS, Slot.COMPLETIONS, Slot.CERTIFICATES, Slot.SECONDS,
            Slot.COHORT_FLOW, Slot.COHORT_UP_TO,
        )  # fmt: skip
        enrolled_users, started_users, completed_users = (
            Slot.ENROLLED_USERS, Slot.STARTED_USERS, Slot.COMPLETED_USERS,
        )  # fmt: skip
        first_enrolled, first_started, first_completed = (
            Slot.FIRST_ENROLLED, Slot.FIRST_STARTED, Slot.FIRST_COMPLETED,
        )  # fmt: skip
        for person, entries in people:
            unit = places.get(person)
            if unit is None:
                unplaced[person] = len(entries)
                continue
            cells = own.get(unit)
            if cells is None:
                cells = own[unit] = {}
            enrolled_in: set[int] = set()
            started_in: set[int] = set()
            completed_in: set[int] = set()
            for entry in entries:
                when = entry.enrolled_at
                enrolled = None
                if when is None:
                    undated += 1
                else:
                    enrolled = days.get(when.date())
                    if enrolled is None:
                        enrolled = period(when)
                    # A row is never empty, so `or` makes one only when it is missing.
                    enrolled_row = cells.get(enrolled) or cells.setdefault(enrolled, [0] * width)
                    enrolled_row[enrolments] += 1
                    enrolled_in.add(enrolled)
                    if entry.status is not not_started:
                        started_in.add(enrolled)
                when = entry.completed_at
                if when is None:
                    continue
                completed = days.get(when.date())
                if completed is None:
                    completed = period(when)
                row = cells.get(completed) or cells.setdefault(completed, [0] * width)
                row[completions] += 1
                if entry.certificates:
                    row[certificates] += 1
                    if entry.duration:
                        row[seconds] += entry.duration
                elif every_completion and entry.duration:
                    row[seconds] += entry.duration
                completed_in.add(completed)
                if enrolled is not None:
                    if completed <= enrolled:
                        enrolled_row[cohort_flow] += 1
                        enrolled_row[cohort_up_to] += 1
                    else:
                        row[cohort_up_to] += 1
            # The person once in each period they have entries in (whose rows their entries
            # just made), while their counts are at hand.
            for periods, in_period, first in (
                (enrolled_in, enrolled_users, first_enrolled),
                (started_in, started_users, first_started),
                (completed_in, completed_users, first_completed),
            ):
                for index in periods:
                    cells[index][in_period] += 1
                if periods:
                    cells[min(periods)][first] += 1
        for unit, cells in own.items():
            for ancestor in self.paths[unit]:
                into = self.cells.setdefault(ancestor, {})
                for index, row in cells.items():
                    total = into.get(index)
                    if total is None:
                        into[index] = row.copy()
                    else:
                        for slot, value in enumerate(row):
                            total[slot] += value
        return Unplaced(unplaced, undated)

    def periods(self) -> tuple[int, ...]:
        """Every period with anything counted, in order: a table is as long as its data,
        not as the span between its earliest and latest date (one row in 1901 and one in
        2999 make two periods, not four thousand)."""
        # A period whose counters went back to zero (an enrolment found to be earlier) is
        # not "with anything counted", so one record at a time shows what bulk shows.
        seen = {index for cells in self.cells.values() for index, row in cells.items() if any(row)}
        return tuple(sorted(seen))

    def flow(self, unit: str, index: int) -> list[int]:
        return list(self.cells.get(unit, {}).get(index, [0] * Slot.COUNT))

    def running(self, unit: str, indexes: Iterable[int]) -> Iterator[tuple[int, list[int]]]:
        """Each period of ``indexes`` (ascending) with the sum of every counter up to it."""
        cells = self.cells.get(unit, {})
        ordered = sorted(cells)
        total = [0] * Slot.COUNT
        position = 0
        for index in indexes:
            while position < len(ordered) and ordered[position] <= index:
                for slot, value in enumerate(cells[ordered[position]]):
                    total[slot] += value
                position += 1
            yield index, total.copy()
