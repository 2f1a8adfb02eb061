"""A roll-up from several threads: the tables one thread would give, and a failed update
that leaves nothing changed."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import random
import sys
import threading
from collections.abc import Iterator

import pytest

from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST
from karmayogi.progress import Enrolment, Membership, Move, Rollup, Status

TREE = OrgTree([
    Unit(id="s", name="State", level="state"),
    Unit(id="a", name="A", level="department", parent="s"),
    Unit(id="b", name="B", level="department", parent="s"),
])  # fmt: skip
PEOPLE = [Person(id=f"p{n}", organisation="o", unit="ab"[n % 2]) for n in range(40)]


def records(seed: int, count: int) -> list[Enrolment]:
    """Records of the same few enrolments, in many states: repeats, joins, every order."""
    draw = random.Random(seed)
    made = []
    for _ in range(count):
        begun = dt.datetime(2025, 4, 1, tzinfo=IST) + dt.timedelta(days=draw.randrange(400))
        done = draw.random() < 0.5
        made.append(
            Enrolment(
                person=f"p{draw.randrange(40)}",
                course=f"c{draw.randrange(6)}",
                status=Status.COMPLETED if done else Status.IN_PROGRESS,
                progress=100 if done else draw.randrange(1, 100),
                enrolled_at=begun,
                completed_at=begun + dt.timedelta(days=draw.randrange(30)) if done else None,
                certificates={"x"} if done and draw.random() < 0.7 else (),
                duration=1800,
            )
        )
    return made


@pytest.fixture
def switching_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_together(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def assert_same_tables(shared: Rollup, alone: Rollup) -> None:
    assert shared.table() == alone.table()
    assert shared.table("cumulative") == alone.table("cumulative")


@pytest.mark.usefixtures("switching_often")
@pytest.mark.parametrize("seed", range(5))
def test_records_added_from_four_threads_give_the_tables_of_one(seed: int) -> None:
    given = records(seed, 2000)
    alone = Rollup(TREE, people=PEOPLE, by="quarter")
    for record in given:
        alone.add(record)
    shared = Rollup(TREE, people=PEOPLE, by="quarter")
    errors: list[BaseException] = []

    def work(part: list[Enrolment]) -> None:
        try:
            for record in part:
                shared.add(record)
                if record.course == "c0":
                    shared.table()  # reading while others write
        except BaseException as exc:  # pragma: no cover - the failure this test looks for
            errors.append(exc)

    run_together([threading.Thread(target=work, args=(given[i::4],)) for i in range(4)])
    assert errors == []
    assert_same_tables(shared, alone)
    assert shared.ledger == alone.ledger


DAYS = [dt.date(2025, 4, 2) + dt.timedelta(days=n) for n in range(400)]


@pytest.mark.usefixtures("switching_often")
@pytest.mark.parametrize("seed", range(3))
def test_records_and_moves_from_four_threads_give_the_tables_of_one(seed: int) -> None:
    """People posted back and forth between departments while records come in: the numbers
    of a roll-up that knew every posting and record from the start."""
    given = records(seed, 1000)
    start = [Move(person=p.id, unit=p.place, since="2025-04-01") for p in PEOPLE]
    draw = random.Random(seed)
    postings = [  # each person posted back and forth, on days of their own
        Move(person=p.id, unit="ab"[(n + "ab".index(p.place)) % 2], since=day)
        for p in PEOPLE
        for n, day in enumerate(sorted(draw.sample(DAYS, 6)), start=1)
    ]
    draw.shuffle(postings)
    alone = Rollup(TREE, membership=Membership(start + postings), by="quarter", records=given)
    shared = Rollup(TREE, membership=Membership(start), by="quarter")
    errors: list[BaseException] = []

    def work(part: list[Enrolment], moves: list[Move]) -> None:
        try:
            for record, move in itertools.zip_longest(part, moves):
                if record is not None:
                    shared.add(record)
                if move is not None:
                    shared.move([move])
        except BaseException as exc:  # pragma: no cover - the failure this test looks for
            errors.append(exc)

    run_together(
        [threading.Thread(target=work, args=(given[i::4], postings[i::4])) for i in range(4)]
    )
    assert errors == []
    assert_same_tables(shared, alone)


def test_a_failed_update_leaves_the_roll_up_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    rollup = Rollup(TREE, people=PEOPLE, by="quarter", records=records(7, 300))
    table, ledger_size = rollup.table(), len(rollup.ledger)
    entry = next(iter(rollup.ledger))

    def broken(*_args: object) -> None:
        raise RuntimeError("the engine failed halfway")

    monkeypatch.setattr(rollup._engine, "update", broken)
    newer = Enrolment(person=entry.person, course="a new course", status=Status.IN_PROGRESS,
                      progress=5, enrolled_at=dt.datetime(2025, 6, 1, tzinfo=IST))  # fmt: skip
    joined = Enrolment(person=entry.person, course=entry.course, status=Status.COMPLETED,
                       progress=100, enrolled_at=dt.datetime(2025, 4, 1, tzinfo=IST),
                       completed_at=dt.datetime(2025, 4, 2, tzinfo=IST))  # fmt: skip
    for record in (newer, joined):
        with pytest.raises(RuntimeError):
            rollup.add(record)
    assert rollup.table() == table
    assert len(rollup.ledger) == ledger_size
    assert rollup.ledger.get(entry.person, "a new course") is None
    assert rollup.ledger[entry.key] == entry


def test_a_bulk_read_pauses_the_collector_only_where_no_other_thread_runs() -> None:
    from karmayogi.progress._records import bulk

    assert gc.isenabled()
    if threading.active_count() == 1:  # as in a notebook, or the command line
        with bulk():
            assert not gc.isenabled()
        assert gc.isenabled()
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        with bulk():
            assert gc.isenabled()  # a portal's other threads keep their collector
    finally:
        waiting.set()
        other.join()
    assert gc.isenabled()
