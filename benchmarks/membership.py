"""Benchmark of the reference engine over a membership that changes with time, beside the
same records placed once.

    python benchmarks/membership.py                       # 80,000 people, 1,000,000 records
    python benchmarks/membership.py --records 200000 --people 20000   # a quick run

The state, its people and their records are those of ``progress_reference.py`` (the same
seed). The membership places every person in their office from 1 April 2025, and posts
one in ten to another department's office on a day of the year. It measures:

- bulk: the records rolled up by quarter into a cumulative table, placed once (``people``)
  and over the membership (records per second, the median of ``--repeat`` runs);
- update: one record added to the loaded roll-up over the membership (microseconds);
- move: one posting taken by it, its person's records counted again (microseconds);
- as of: the roll-up as its data stood on 30 September (seconds);
- the process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time

from progress_reference import SEED, parsed, peak_mib, people, rates, state_tree, timed

from karmayogi.progress import Enrolment, Membership, Move, ProgressTable, Rollup


def postings(people_count: int, rnd: random.Random) -> tuple[list[Move], list[Move]]:
    """Everyone in their office from 1 April; one in ten posted elsewhere later."""
    staff = people(people_count, random.Random(SEED))
    offices = sorted({p.place for p in staff})
    start = [Move(person=p.id, unit=p.place, since="2025-04-01") for p in staff]
    later = [
        Move(
            person=p.id,
            unit=rnd.choice([o for o in offices if o.split("/")[1] != p.place.split("/")[1]]),
            since=dt.date(2025, 4, 2) + dt.timedelta(days=rnd.randrange(360)),
        )
        for p in staff[::10]
    ]
    return start, later


def micro(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "median_us": statistics.median(ordered) * 1e6,
        "p99_us": ordered[int(len(ordered) * 0.99)] * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=80_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each bulk roll-up")
    args = parser.parse_args()
    tree, _paths = state_tree()
    staff = people(args.people, random.Random(SEED))
    batch = parsed(args.records, args.people)
    start, later = postings(args.people, random.Random(SEED + 1))
    membership = Membership(start + later)
    print(
        f"{args.records:,} records of {args.people:,} people, {len(later):,} posted once; "
        f"Python {sys.version.split()[0]}"
    )

    def placed() -> ProgressTable[int]:
        return Rollup(tree, people=staff, by="quarter", records=batch).table("cumulative")

    def dated() -> ProgressTable[int]:
        rollup = Rollup(tree, membership=membership, by="quarter", records=batch)
        return rollup.table("cumulative")

    for name, run in (("placed once", placed), ("over the membership", dated)):
        seconds, _table = timed(run, args.repeat)
        print("bulk", json.dumps({"placed": name, **rates(args.records, seconds)}))

    rollup = Rollup(tree, membership=Membership(start), by="quarter", records=batch)
    timings = []
    for record in parsed(10_000, args.people)[::-1]:
        late = Enrolment(
            person=record.person, course=record.course + " (new)", status=record.status,
            progress=record.progress, enrolled_at=record.enrolled_at,
            completed_at=record.completed_at, certificates=record.certificates,
            duration=record.duration,
        )  # fmt: skip
        started = time.perf_counter()
        rollup.add(late)
        timings.append(time.perf_counter() - started)
    print("update", json.dumps({"updates": len(timings), **micro(timings)}))
    timings = []
    for move in later:
        started = time.perf_counter()
        rollup.move([move])
        timings.append(time.perf_counter() - started)
    print("move", json.dumps({"moves": len(timings), **micro(timings)}))
    seconds, _then = timed(lambda: rollup.as_of("2025-09-30"), 1)
    print("as_of", json.dumps({"seconds": round(seconds[0], 2), "peak_mib": peak_mib()}))


if __name__ == "__main__":
    main()
