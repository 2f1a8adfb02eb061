"""Cost that grows with the input, never faster: the reference reader and roll-up timed
on exports that grow in one dimension at a time.

    python benchmarks/linear.py                 # 25,000 to 200,000 rows in each
    python benchmarks/linear.py --sizes 10000 20000 40000

Each dimension is an export of N rows, read by
:func:`karmayogi.progress.read_consumption_report` and rolled up by month:

- ``rows``: N distinct enrolments (N / 5 people, five courses each);
- ``repeats``: one enrolment given N times (as an LRS or a re-export repeats a row);
- ``rejections``: N rows that are each rejected (a status no one knows);
- ``periods``: N distinct enrolments, each in its own month from April 1901 (up to the
  13,176 months that dates read from files may span; then round again);
- ``xapi``: N ``progressed`` statements of one learner on one course, as JSON lines (an
  LRS sends one each time a learner moves on), read by :func:`karmayogi.progress.read_xapi`.

It prints, for each dimension and size, the median seconds of ``--repeat`` runs and the
seconds per thousand rows: linear cost keeps that last column flat as N doubles.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from karmayogi.limits import NO_LIMITS
from karmayogi.progress import Rollup, read_consumption_report, read_xapi

HEADER = (
    "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
    "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
)


def rows(n: int) -> str:
    return "".join(
        f"p{i // 5}@x.in,CG,Rev,Office {i % 7},Course {i % 5},01:00:00,"
        f"2025-{4 + i % 9:02d}-{1 + i % 28:02d} 10:00:00,in-progress,40,,No\n"
        for i in range(n)
    )


def repeats(n: int) -> str:
    return "a@x.in,CG,Rev,,RTI,01:00:00,2025-04-05 10:30:00,in-progress,40,,No\n" * n


def rejections(n: int) -> str:
    return "".join(
        f"p{i}@x.in,CG,Rev,,RTI,01:00:00,2025-04-05 10:30:00,finished,40,,No\n" for i in range(n)
    )


def periods(n: int) -> str:
    months = [(1901 + (3 + m) // 12, 1 + (3 + m) % 12) for m in range(MONTHS)]
    return "".join(
        f"p{i}@x.in,CG,Rev,,RTI,01:00:00,"
        f"{months[i % MONTHS][0]:04d}-{months[i % MONTHS][1]:02d}-01 10:00:00,in-progress,40,,No\n"
        for i in range(n)
    )


MONTHS = 12 * (2999 - 1901)
"""Every month that dates in a file may have (April 1901 to March 2999); past that many
rows, the months come round again."""


def xapi(n: int) -> str:
    return "".join(
        '{"actor": {"mbox": "mailto:a@x.in"}, "verb": {"id": '
        '"http://adlnet.gov/expapi/verbs/progressed"}, "object": {"id": "do_rti"}, '
        f'"timestamp": "2025-04-05T10:{i % 60:02d}:00+05:30"}}\n'
        for i in range(n)
    )


def read_and_roll_up(text: str) -> None:
    report = read_consumption_report(io.StringIO(text))
    tree = report.tree
    assert tree is not None
    # Past the default limit of periods on purpose: the periods' cost is what is measured.
    Rollup(tree, places=report.places, by="month", records=report.ledger, limits=NO_LIMITS).table()


def read_statements(text: str) -> None:
    statements = read_xapi(text.encode())
    assert statements.rows == text.count("\n")
    assert statements.rejected_rows == 0


DIMENSIONS: dict[str, tuple[Callable[[int], str], Callable[[str], None]]] = {
    "rows": (lambda n: HEADER + rows(n), read_and_roll_up),
    "repeats": (lambda n: HEADER + repeats(n), read_and_roll_up),
    "rejections": (lambda n: HEADER + rejections(n), read_and_roll_up),
    "periods": (lambda n: HEADER + periods(n), read_and_roll_up),
    "xapi": (xapi, read_statements),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'dimension':<11} {'rows':>9} {'median s':>9} {'s per 1k rows':>14}")
    for name, (make, run) in DIMENSIONS.items():
        for n in args.sizes:
            text = make(n)
            seconds = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                run(text)
                seconds.append(time.perf_counter() - start)
            median = statistics.median(seconds)
            print(f"{name:<11} {n:>9,} {median:>9.3f} {1000 * median / n:>14.4f}")


if __name__ == "__main__":
    main()
