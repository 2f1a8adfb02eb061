"""Enrolment records and the ledger that joins them.

The state of one person on one course is a join-semilattice: status only rises,
progress takes the maximum, the first enrolment and the first completion the minimum,
certificates and the rows that said so the union. So a record *is* a state, and the
ledger holds one joined record per (person, course): records may come in any order,
twice, or split across files and machines, and the ledger ends the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import gc
import threading
from collections.abc import Collection, Iterable, Iterator
from typing import Any, NamedTuple

import attrs

from karmayogi._html import Tabular
from karmayogi._names import name_key
from karmayogi.periods import IST

__all__ = [
    "STATUS_WORDS",
    "Enrolment",
    "Ledger",
    "Origin",
    "StatementLog",
    "Status",
    "bulk",
    "checked_record",
    "entries_by_person",
]


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Build millions of objects without the cycle collector: it would walk every one of
    them again and again as they pile up, yet records hold no cycles to collect.

    The collector is the whole process's, so it is paused only where no one else can
    notice: in the main thread of a process that runs no other thread (a notebook, the
    command line). In a portal's threads a bulk read leaves it alone, and is slower."""
    alone = threading.current_thread() is threading.main_thread()
    if not alone or threading.active_count() > 1 or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Status(enum.IntEnum):
    """Where a person is on a course; the order is the order it only moves in."""

    NOT_STARTED = 0
    IN_PROGRESS = 1
    COMPLETED = 2

    @classmethod
    def parse(cls, value: str | int) -> Status:
        """The platform's words (``not-started``, ``in-progress``, ``completed``), its older
        ones (``Not Started``, ``In Progress``, ``Completed``) or its numbers 0, 1, 2.

        >>> Status.parse("In Progress"), Status.parse("2")
        (<Status.IN_PROGRESS: 1>, <Status.COMPLETED: 2>)
        """
        if isinstance(value, int):
            return cls(value)
        status = STATUS_WORDS.get(name_key(value))
        if status is None:
            raise ValueError(
                f"a status is not-started, in-progress or completed (or 0, 1, 2), got {value!r}"
            )
        return status

    def __str__(self) -> str:
        return self.name.lower().replace("_", "-")


STATUS_WORDS = {
    **{name_key(str(s)): s for s in Status},
    **{str(s.value): s for s in Status},
    "notstarted": Status.NOT_STARTED,
    "inprogress": Status.IN_PROGRESS,
    "started": Status.IN_PROGRESS,
    "completed": Status.COMPLETED,
}
"""A status's words by :func:`name_key`, as :meth:`Status.parse` reads them."""


class Origin(NamedTuple):
    """Where a record came from: a file (None for records made in code) and a row, or the
    position of a statement or mapping in its list (1-based); and what the source says of
    it beyond its status, if anything (cmi5's ``waived`` or ``satisfied``)."""

    file: str | None
    row: int
    says: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.file else f"record {self.row}"
        return f"{where} ({self.says})" if self.says else where


def _in_india(value: dt.datetime | None) -> dt.datetime | None:
    """Times are kept in India's zone, so a record's date is India's date; a naive time is
    India's time."""
    if value is None or value.tzinfo is IST:
        return value
    if not isinstance(value, dt.datetime):
        raise TypeError(f"a time must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=IST)
    return value.astimezone(IST)


def _certificates(value: Iterable[str]) -> tuple[str, ...]:
    """Certificates as a sorted tuple of distinct ids: a set in meaning, a fifth of a
    frozenset's memory, which counts at millions of records."""
    if isinstance(value, tuple) and list(value) == sorted(set(value)):
        return value
    if isinstance(value, str):
        raise TypeError("certificates are a collection of ids, not one string")
    return tuple(sorted(set(value)))


def _one_or_many(value: Origin | Iterable[Origin]) -> Origin | tuple[Origin, ...]:
    """A lone origin bare, any other number in a tuple."""
    if isinstance(value, Origin):
        return value
    origins = tuple(value)
    return origins[0] if len(origins) == 1 else origins


@attrs.frozen(kw_only=True, weakref_slot=False)  # millions of them: no slot to spare
class Enrolment:
    """One person's enrolment in one course, as a record says it or as the ledger joined it.

    ``duration`` is the course's content duration in seconds, which learning hours add up.
    A certificate whose id the source does not give is recorded as ``""``. A record must be
    consistent: completed exactly when it has a completion time, with progress 100; not
    started with progress 0; certificates only when completed.

    >>> first = Enrolment(person="a@x.in", course="do_1", status=Status.IN_PROGRESS,
    ...                   progress=40, enrolled_at=dt.datetime(2025, 4, 5, 10, 0))
    >>> done = Enrolment(person="a@x.in", course="do_1", status=Status.COMPLETED,
    ...                  progress=100, enrolled_at=dt.datetime(2025, 4, 9, 9, 0),
    ...                  completed_at=dt.datetime(2025, 5, 1, 17, 30), certificates={"c-9"})
    >>> joined = first.join(done)
    >>> joined.status, joined.enrolled_at.date(), joined.certificates
    (<Status.COMPLETED: 2>, datetime.date(2025, 4, 5), ('c-9',))
    >>> joined == done.join(first) == joined.join(first)
    True
    """

    person: str
    course: str
    status: Status = Status.NOT_STARTED
    progress: float = 0.0
    enrolled_at: dt.datetime | None = attrs.field(default=None, converter=_in_india)
    completed_at: dt.datetime | None = attrs.field(default=None, converter=_in_india)
    certificates: tuple[str, ...] = attrs.field(default=(), converter=_certificates)
    duration: int | None = None
    _origins: Origin | tuple[Origin, ...] = attrs.field(
        default=(), converter=_one_or_many, repr=False, alias="origins"
    )
    """A lone origin is kept bare: a tuple of one would cost millions of records 64 bytes
    each."""

    @property
    def origins(self) -> tuple[Origin, ...]:
        """The rows (or records) that said so: of a joined record, the first
        :data:`ORIGINS_KEPT` in file and row order."""
        origins = self._origins
        return (origins,) if isinstance(origins, Origin) else origins

    def __attrs_post_init__(self) -> None:
        problem = self.inconsistency()
        if problem:
            raise ValueError(f"enrolment of {self.person!r} in {self.course!r}: {problem}")

    def inconsistency(self) -> str | None:
        """What makes this record contradict itself, or None."""
        if not self.person or not self.course:
            return "the person and the course must not be blank"
        if not 0 <= self.progress <= 100:
            return f"progress must be 0..100, got {self.progress}"
        if self.duration is not None and self.duration < 0:
            return f"a duration cannot be negative, got {self.duration}"
        done = self.status is Status.COMPLETED
        if done != (self.completed_at is not None):
            return "a completion time goes with the status completed, and only with it"
        if done and self.progress != 100:
            return f"a completed course has progress 100, got {self.progress}"
        if self.status is Status.NOT_STARTED and self.progress != 0:
            return f"a course not started has progress 0, got {self.progress}"
        if self.certificates and not done:
            return "a certificate goes with a completed course"
        return None

    @property
    def key(self) -> tuple[str, str]:
        return (self.person, self.course)

    def join(self, other: Enrolment) -> Enrolment:
        """The least state that both records imply: associative, commutative, idempotent."""
        if other.key != self.key:
            raise ValueError(f"cannot join the records of {self.key} and {other.key}")
        if other == self:
            return self
        # Fields already in their final form, and the join of two consistent records is
        # consistent: no conversion, no check (a ledger joins some 100,000 at a state's size).
        return _assembled(
            self.person,
            self.course,
            max(self.status, other.status),
            max(self.progress, other.progress),
            _earliest(self.enrolled_at, other.enrolled_at),
            _earliest(self.completed_at, other.completed_at),
            _union(self.certificates, other.certificates),
            _largest(self.duration, other.duration),
            _first_origins(self._origins, other._origins),
        )


_FIELD_NAMES = ("person", "course", "status", "progress", "enrolled_at", "completed_at",
                "certificates", "duration", "_origins")  # fmt: skip
(
    _set_person,
    _set_course,
    _set_status,
    _set_progress,
    _set_enrolled_at,
    _set_completed_at,
    _set_certificates,
    _set_duration,
    _set_origins,
) = (Enrolment.__dict__[name].__set__ for name in _FIELD_NAMES)
_NEW = object.__new__


def _assembled(  # noqa: PLR0917 - one argument per field, as fast as a call can be
    person: str,
    course: str,
    status: Status,
    progress: float,
    enrolled_at: dt.datetime | None,
    completed_at: dt.datetime | None,
    certificates: tuple[str, ...],
    duration: int | None,
    origins: Origin | tuple[Origin, ...],
) -> Enrolment:
    """A record of fields in their final form (times in IST, certificates sorted, a lone
    origin bare) without attrs' conversions and check, for callers that vouch for them or
    check after."""
    record = _NEW(Enrolment)
    _set_person(record, person)
    _set_course(record, course)
    _set_status(record, status)
    _set_progress(record, progress)
    _set_enrolled_at(record, enrolled_at)
    _set_completed_at(record, completed_at)
    _set_certificates(record, certificates)
    _set_duration(record, duration)
    _set_origins(record, origins)
    return record


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    if a == b or not b:
        return a
    return tuple(sorted(set(a) | set(b))) if a else b


def _origin_order(origin: Origin) -> tuple[str, bool, int, str, bool]:
    # A total order: two origins of one row that say different things (an empty word
    # and none at all too) have an order, or the first few kept would depend on the
    # order of the join.
    file, says = origin.file, origin.says
    return (file or "", file is not None, origin.row, says or "", says is not None)


ORIGINS_KEPT = 10
"""How many origins a joined record keeps: the first, in file and row order. A bound, so
that a row repeated a million times costs the same for each repeat; and the first few of
a union are the first few of the first few of each part, so joining stays associative,
commutative and idempotent."""


def _first_origins(
    a: Origin | tuple[Origin, ...], b: Origin | tuple[Origin, ...]
) -> Origin | tuple[Origin, ...]:
    if a == b:
        return a
    both = {*((a,) if isinstance(a, Origin) else a), *((b,) if isinstance(b, Origin) else b)}
    return _one_or_many(sorted(both, key=_origin_order)[:ORIGINS_KEPT])


def _earliest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _largest(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


class Ledger(Tabular):
    """One joined :class:`Enrolment` per (person, course). A notebook shows its entries,
    and ``to_pandas()`` or ``to_polars()`` makes them a dataframe, a row an entry.

    A ledger is for one writer at a time, and is not read while it is written; from
    several threads, use a :class:`~karmayogi.progress.Rollup`, which holds a lock.

    Entries are kept by person, then by course: a state's millions of entries then cost
    no key tuple each, and each person's entries sit together, which a roll-up reads
    person by person.

    >>> ledger = Ledger([Enrolment(person="a", course="do_1")])
    >>> ledger.add(Enrolment(person="a", course="do_1", status=Status.IN_PROGRESS, progress=10))
    False
    >>> ledger["a", "do_1"].status, len(ledger)
    (<Status.IN_PROGRESS: 1>, 1)
    """

    def __init__(self, records: Iterable[Enrolment] = ()) -> None:
        self._people: dict[str, dict[str, Enrolment]] = {}
        self.update(records)

    def _restore(self, before: Enrolment | None, after: Enrolment) -> None:
        """Undo a :meth:`put` that gave ``before`` and ``after`` (for a caller whose own
        update failed after it, so that the two stay in step)."""
        courses = self._people[after.person]
        if before is not None:
            courses[after.course] = before
            return
        del courses[after.course]
        if not courses:
            del self._people[after.person]

    def add(self, record: Enrolment) -> bool:
        """Join one record in; True if it is the first record of its (person, course)."""
        return self.put(record)[0] is None

    def put(self, record: Enrolment) -> tuple[Enrolment | None, Enrolment]:
        """Join one record in, and give the entry before (None if new) and after."""
        courses = self._people.setdefault(record.person, {})
        before = courses.get(record.course)
        after = record if before is None else before.join(record)
        courses[record.course] = after
        return before, after

    def update(self, records: Iterable[Enrolment]) -> None:
        """Join many records in."""
        if isinstance(records, Ledger) and not self._people:
            # Entries joined already, into an empty ledger: copied whole, person by person.
            self._people = {person: dict(courses) for person, courses in records._people.items()}
            return
        people = self._people
        with bulk():
            for record in records:
                person, course = record.person, record.course
                courses = people.get(person)
                if courses is None:
                    people[person] = {course: record}
                    continue
                before = courses.get(course)
                courses[course] = record if before is None else before.join(record)

    def merge(self, other: Ledger) -> None:
        """Join another ledger's entries in (as from another file, or another machine)."""
        self.update(other)

    def __or__(self, other: Ledger) -> Ledger:
        joined = Ledger(self)
        joined.merge(other)
        return joined

    def by_person(self) -> Iterator[tuple[str, Collection[Enrolment]]]:
        """Each person with their entries."""
        for person, courses in self._people.items():
            yield person, courses.values()

    def entries_of(self, person: str) -> Collection[Enrolment]:
        """The person's entries (none for a person not in the ledger)."""
        return self._people.get(person, {}).values()

    def __getitem__(self, key: tuple[str, str]) -> Enrolment:
        entry = self.get(*key)
        if entry is None:
            raise KeyError(key)
        return entry

    def get(self, person: str, course: str) -> Enrolment | None:
        return self._people.get(person, {}).get(course)

    def __contains__(self, key: object) -> bool:
        if not (isinstance(key, tuple) and len(key) == 2):
            return False
        person, course = key
        return course in self._people.get(person, {})

    def __iter__(self) -> Iterator[Enrolment]:
        """Entries person by person, in the order each person first came; a person's in
        the order their courses first came."""
        for courses in self._people.values():
            yield from courses.values()

    def __len__(self) -> int:
        return sum(map(len, self._people.values()))

    def pseudonymised(self, key: bytes | str) -> Ledger:
        """The same records with every person replaced by a keyed pseudonym (the key is
        not kept): for a ledger that leaves the office that may know who is who."""
        from karmayogi._publish import pseudonym

        return Ledger(attrs.evolve(r, person=pseudonym(r.person, key)) for r in self)

    def __bool__(self) -> bool:
        return bool(self._people)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledger) and self._people == other._people

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Ledger({len(self)} entries)"

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = ["person", "course", "status", "progress", "enrolled_at", "completed_at",
                  "certificates", "duration"]  # fmt: skip
        rows = [
            [
                e.person,
                e.course,
                str(e.status),
                e.progress,
                e.enrolled_at,
                e.completed_at,
                ", ".join(e.certificates),
                e.duration,
            ]
            for e in self
        ]
        return header, rows

    def _html_title(self) -> str:
        return "Ledger"


def entries_by_person(ledger: Ledger) -> dict[str, dict[str, Enrolment]]:
    """The ledger's own entries, person to course to entry, for a reader's fast path to
    join records into in place (a reader that does must join as :meth:`Ledger.add` does:
    a new entry as it is, a second by :meth:`Enrolment.join`)."""
    return ledger._people


# --- Making records fast ---------------------------------------------------------------------


def checked_record(  # noqa: PLR0917 - one argument per field, as fast as a call can be
    person: str,
    course: str,
    status: Status,
    progress: float,
    enrolled_at: dt.datetime | None,
    completed_at: dt.datetime | None,
    certificates: tuple[str, ...],
    duration: int | None,
    origin: Origin,
) -> Enrolment | str:
    """A record without the cost of attrs' checks and conversions, for readers that give
    every field in its final form (times in IST); then one consistency check. Gives the
    record, or what is inconsistent about it."""
    record = _assembled(person, course, status, progress, enrolled_at, completed_at,
                        certificates, duration, origin)  # fmt: skip
    # The common consistent cases pass here at once; anything else gets the full check.
    if status is COMPLETED:
        if progress == 100.0 and completed_at is not None:
            return record
    elif (
        completed_at is None
        and not certificates
        and 0.0 <= progress <= 100.0
        and (status is IN_PROGRESS or progress == 0.0)
    ):
        return record
    return record.inconsistency() or record


COMPLETED, IN_PROGRESS = Status.COMPLETED, Status.IN_PROGRESS


# --- xAPI's statements ----------------------------------------------------------------------


@attrs.define
class StatementLog:
    """What xAPI statements say, as two grow-only sets: each statement's record, by its
    id (an id-less statement by its content), and the ids voided. Each is a
    join-semilattice under union, so their product is one: merging logs in any order,
    any number of times, gives one log, and :meth:`ledger` derives the entries from the
    difference. A voiding statement removes its target whichever arrives first, in one
    read or across pulls.

    >>> from karmayogi.progress import read_xapi
    >>> first = read_xapi([{"id": "s-1", "actor": {"mbox": "mailto:a@x.in"},
    ...     "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    ...     "object": {"id": "do_1"}, "timestamp": "2025-06-01T10:00:00Z"}])
    >>> later = read_xapi([{"id": "s-2", "actor": {"mbox": "mailto:lrs@x.in"},
    ...     "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
    ...     "object": {"objectType": "StatementRef", "id": "s-1"},
    ...     "timestamp": "2025-06-02T10:00:00Z"}])
    >>> log = first.statements
    >>> len(log.ledger()), log.merge(later.statements), len(log.ledger())
    (1, None, 0)
    """

    records: dict[str, Enrolment] = attrs.Factory(dict)
    voided: set[str] = attrs.Factory(set)
    latest: dt.datetime | None = None
    """The latest time an LRS stored one of the statements: the next pull's ``since``."""

    def merge(self, other: StatementLog) -> None:
        """Take in another log (a later pull, another LRS): the union of both sets, and the
        later of the two latest times."""
        self.records.update(other.records)
        self.voided |= other.voided
        self._stored(other.latest)

    def _stored(self, when: dt.datetime | None) -> None:
        if when is not None and (self.latest is None or when > self.latest):
            self.latest = when

    def ledger(self) -> Ledger:
        """The entries the statements not voided make, each joined as the ledger joins."""
        return Ledger(r for key, r in self.records.items() if key not in self.voided)
