"""Benchmark of the reference progress engine on a state-sized synthetic data set.

    python benchmarks/progress_reference.py            # 400,000 people, 5,000,000 records
    python benchmarks/progress_reference.py --records 200000 --people 20000   # a quick run

It generates, from a fixed seed, a four-level tree (a state, its departments, their
organisations, their offices), people placed in it, and enrolment records over one
financial year; writes them as the platform's ConsumptionReport.csv; and measures, each
phase in a fresh process so that each reports its own peak memory:

- read: the export read into a ledger (rows per second);
- roll-up: already-parsed records merged into a ledger and rolled up by quarter
  (records per second);
- update: one record added to a loaded roll-up, roll-ups included (microseconds, the
  median of many);
- peak memory of each phase (the process's maximum resident set).

The read and the roll-up run ``--repeat`` times (3 unless told) and count by the median
run, as the machine may be shared; every run's seconds are printed too. At the end, each
figure is printed beside its target.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from karmayogi._platform import CONSUMPTION_REPORT_HEADER
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST
from karmayogi.progress import (
    Enrolment,
    Import,
    Origin,
    ProgressTable,
    Rollup,
    Status,
    read_consumption_report,
)

SEED = 20261122
HEADER = CONSUMPTION_REPORT_HEADER


def state_tree() -> tuple[OrgTree, list[tuple[str, str, str, str]]]:
    """A state, 30 departments, 10 organisations each, 5 offices each (1,831 units)."""
    units = [Unit(id="S", name="State", level="state")]
    paths = []
    for d in range(30):
        dept = f"S/D{d}"
        units.append(Unit(id=dept, name=f"Department {d}", level="department", parent="S"))
        for o in range(10):
            org = f"{dept}/O{o}"
            units.append(
                Unit(id=org, name=f"Organisation {d}.{o}", level="organisation", parent=dept)
            )
            for f in range(5):
                office = f"{org}/F{f}"
                units.append(
                    Unit(id=office, name=f"Office {d}.{o}.{f}", level="office", parent=org)
                )
                paths.append(("State", f"Department {d}", f"Organisation {d}.{o}", office))
    return OrgTree(units), paths


def people(count: int, rnd: random.Random) -> list[Person]:
    offices = [u.id for u in state_tree()[0] if u.level == 4]
    return [
        Person(
            id=f"user{n}@state.gov.in",
            organisation=offices[n % len(offices)].rsplit("/", 1)[0],
            unit=offices[n % len(offices)],
            active=rnd.random() > 0.02,
        )
        for n in range(count)
    ]


Row = tuple[int, int, Status, int, dt.datetime, dt.datetime | None, bool, int]


def records(count: int, people_count: int, rnd: random.Random) -> Iterator[Row]:
    """(person, course, status, progress, enrolled, completed, certificate, seconds)."""
    start = dt.datetime(2025, 4, 1, 9, 0, tzinfo=IST)
    durations = [rnd.choice((1800, 3600, 5400, 7200, 10800)) for _ in range(300)]
    for _n in range(count):
        person = rnd.randrange(people_count)
        course = rnd.randrange(300)
        enrolled = start + dt.timedelta(minutes=rnd.randrange(365 * 24 * 60))
        roll = rnd.random()
        if roll < 0.55:
            completed = enrolled + dt.timedelta(minutes=rnd.randrange(60, 60 * 24 * 40))
            yield (
                person,
                course,
                Status.COMPLETED,
                100,
                enrolled,
                completed,
                roll < 0.5,
                durations[course],
            )
        elif roll < 0.8:
            yield (
                person,
                course,
                Status.IN_PROGRESS,
                rnd.randrange(1, 100),
                enrolled,
                None,
                False,
                durations[course],
            )
        else:
            yield person, course, Status.NOT_STARTED, 0, enrolled, None, False, durations[course]


def write_report(path: Path, count: int, people_count: int) -> None:
    rnd = random.Random(SEED)
    _tree, paths = state_tree()
    stamp = "%Y-%m-%d %H:%M:%S"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(HEADER)
        for person, course, status, progress, enrolled, completed, cert, seconds in records(
            count, people_count, rnd
        ):
            state, dept, org, _office = paths[person % len(paths)]
            out.writerow(
                [
                    f"User {person}",
                    "Section Officer",
                    f"User{person}@State.gov.in",
                    "9999999999",
                    org,
                    "Group B",
                    "",
                    state,
                    dept,
                    org,
                    "iGOT",
                    f"Course {course}",
                    "Course",
                    f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:00",
                    f"b{course}",
                    "Batch",
                    "2025-04-01",
                    "2026-03-31",
                    enrolled.strftime(stamp),
                    str(status),
                    progress,
                    "2025-03-01 00:00:00",
                    "",
                    completed.strftime(stamp) if completed else "",
                    "Yes" if cert else "No",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "mdo",
                    f"c{person}-{course}" if cert else "",
                    "2026-04-01 00:00:00",
                    "No",
                ]
            )


def run_phase(script: str, name: str, data: Path, args: argparse.Namespace) -> str:
    """One step of a benchmark ``script`` in a fresh process (a child starts with its
    parent's peak memory as its own); what it printed."""
    out = subprocess.run(
        [sys.executable, script, "--phase", name, "--data", str(data),
         "--records", str(args.records), "--people", str(args.people),
         "--repeat", str(args.repeat)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        sys.exit(f"{name} failed:\n{out.stderr}")
    return out.stdout


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    """Seconds of each of ``repeat`` runs (the machine is shared: one run says little), and
    the last run's result."""
    seconds, result = [], None
    for _ in range(repeat):
        result = None  # the last run's result is freed before the next is made
        gc.collect()
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def rates(count: int, seconds: list[float]) -> dict[str, object]:
    """Per second, by the median run; every run's too."""
    return {
        "seconds": [round(s, 2) for s in seconds],
        "per_second": count / statistics.median(seconds),
    }


def phase_read(path: str, repeat: int) -> dict[str, object]:
    seconds, result = timed(lambda: read_consumption_report(path), repeat)
    assert isinstance(result, Import)
    assert result.accounted
    return {
        "rows": result.rows,
        "rejected": len(result.rejected),
        **rates(result.rows, seconds),
        "peak_mib": peak_mib(),
    }


def parsed(count: int, people_count: int) -> list[Enrolment]:
    """Records as a reader makes them: one string per person and per course, shared by all
    their records (as :func:`read_consumption_report` shares them)."""
    rnd = random.Random(SEED)
    persons = [f"user{p}@state.gov.in" for p in range(people_count)]
    courses = [f"Course {c}" for c in range(300)]
    return [
        Enrolment(
            person=persons[p],
            course=courses[c],
            status=s,
            progress=pr,
            enrolled_at=e,
            completed_at=d,
            certificates={f"c{p}-{c}"} if cert else (),
            duration=sec,
            origins=(Origin("bench", n),),
        )
        for n, (p, c, s, pr, e, d, cert, sec) in enumerate(records(count, people_count, rnd))
    ]


def phase_rollup(count: int, people_count: int, repeat: int) -> dict[str, object]:
    tree, _paths = state_tree()
    staff = people(people_count, random.Random(SEED))
    batch = parsed(count, people_count)

    def run() -> ProgressTable:
        rollup = Rollup(tree, people=staff, by="quarter", records=batch)
        return rollup.table("cumulative")

    seconds, table = timed(run, repeat)
    assert isinstance(table, ProgressTable)
    return {
        "records": count,
        "table_rows": len(table),
        **rates(count, seconds),
        "peak_mib": peak_mib(),
    }


def phase_update(count: int, people_count: int) -> dict[str, object]:
    tree, _paths = state_tree()
    staff = people(people_count, random.Random(SEED))
    batch = parsed(count, people_count)
    rollup = Rollup(tree, people=staff, by="quarter", records=batch)
    extra = parsed(20_000, people_count)[::-1]  # (person, course) pairs already in the ledger
    timings = []
    for record in extra:
        late = Enrolment(
            person=record.person,
            course=record.course + " (new)",
            status=record.status,
            progress=record.progress,
            enrolled_at=record.enrolled_at,
            completed_at=record.completed_at,
            certificates=record.certificates,
            duration=record.duration,
        )
        started = time.perf_counter()
        rollup.add(late)
        timings.append(time.perf_counter() - started)
    return {
        "updates": len(timings),
        "median_us": statistics.median(timings) * 1e6,
        "p99_us": sorted(timings)[int(len(timings) * 0.99)] * 1e6,
        "peak_mib": peak_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed phase")
    parser.add_argument("--phase", choices=["read", "rollup", "update"], help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = {
            "read": lambda: phase_read(args.report, args.repeat),
            "rollup": lambda: phase_rollup(args.records, args.people, args.repeat),
            "update": lambda: phase_update(args.records, args.people),
        }[args.phase]()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "ConsumptionReport.csv"
        write_report(report, args.records, args.people)
        print(
            f"{args.records:,} records of {args.people:,} people; "
            f"ConsumptionReport.csv {report.stat().st_size / 2**20:,.0f} MiB; "
            f"Python {sys.version.split()[0]}"
        )
        results = {}
        for phase in ("read", "rollup", "update"):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--phase",
                    phase,
                    "--report",
                    str(report),
                    "--records",
                    str(args.records),
                    "--people",
                    str(args.people),
                    "--repeat",
                    str(args.repeat),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            print(phase, out.stdout.strip())
            results[phase] = json.loads(out.stdout)
    print_against_targets(results)


TARGETS = (
    # (what, its value in the results, the target, whether a larger value is better)
    ("read: rows per second", ("read", "per_second"), 150_000, True),
    ("roll-up: records per second", ("rollup", "per_second"), 250_000, True),
    ("update: median microseconds", ("update", "median_us"), 50, False),
    ("peak memory: MiB, largest phase", ("peak", "peak_mib"), 3 * 1024, False),
)
"""The issue's targets for the pure-Python engine on a 2-core machine."""


def print_against_targets(results: dict[str, dict[str, float]]) -> None:
    """Each target, what was measured (the median run) and whether it was met."""
    results["peak"] = {"peak_mib": max(r["peak_mib"] for r in results.values())}
    print(f"\n{'':33} {'measured':>12} {'target':>12}")
    for what, (phase, key), target, larger in TARGETS:
        value = results[phase][key]
        met = value >= target if larger else value < target
        sign = ">=" if larger else "<"
        print(f"{what:33} {value:12,.1f} {sign:>3} {target:8,}  {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
