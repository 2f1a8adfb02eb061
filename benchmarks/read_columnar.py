"""The platform's export read by the reference reader and by the frame reader, side by side.

    python benchmarks/read_columnar.py            # 400,000 people, 5,000,000 rows
    python benchmarks/read_columnar.py --records 200000 --people 20000   # a quick run

It writes ``ConsumptionReport.csv`` as ``progress_reference.py`` does (the same seed, tree,
people and records, every column of the platform's export), then reads it, each reader in
a fresh process so that each reports its own peak memory: ``reference``
(:func:`karmayogi.progress.read_consumption_report`) and ``frame``
(:func:`karmayogi.columnar.read_consumption_frame`). Each runs ``--repeat`` times (3
unless told) and counts by its median run; every run's seconds are printed too. Before
any figure, the two are checked to agree: the same rows used, merged and rejected, the
same people in the same units, the same tree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from progress_reference import peak_mib, run_phase, timed, write_report

from karmayogi.columnar import read_consumption_frame
from karmayogi.progress import read_consumption_report

READERS = ("reference", "frame")


def phase(reader: str, path: Path, repeat: int) -> None:
    """One reader, in this process: its runs' seconds, its peak memory, what it read."""
    if reader == "reference":
        seconds, report = timed(lambda: read_consumption_report(path), repeat)
        places = sorted(report.places.items())  # type: ignore[attr-defined]
    else:
        seconds, report = timed(lambda: read_consumption_frame(path), repeat)
        places = sorted(report.places.rows())  # type: ignore[attr-defined]
    read = {
        "summary": report.summary(),  # type: ignore[attr-defined]
        "rejected": [str(r) for r in report.rejected],  # type: ignore[attr-defined]
        "places": places,
        "tree": [unit.id for unit in report.tree],  # type: ignore[attr-defined]
    }
    (path.parent / f"{reader}.json").write_text(json.dumps(read))
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each reader")
    parser.add_argument("--phase", choices=("data", *READERS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "data":
        write_report(Path(args.data), args.records, args.people)
        return
    if args.phase:
        phase(args.phase, Path(args.data), args.repeat)
        return
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "ConsumptionReport.csv"
        run_phase(__file__, "data", path, args)  # in its own process, as each reader
        print(
            f"ConsumptionReport.csv: {args.records:,} rows of {args.people:,} people, "
            f"{path.stat().st_size / 2**20:,.0f} MiB; Python {sys.version.split()[0]}; "
            f"median of {args.repeat} runs"
        )
        results: dict[str, dict[str, Any]] = {}
        for reader in READERS:
            results[reader] = json.loads(run_phase(__file__, reader, path, args))
            results[reader]["read"] = json.loads((path.parent / f"{reader}.json").read_text())
    if results["frame"]["read"] != results["reference"]["read"]:
        sys.exit("the readers disagree: " + json.dumps(
            {r: results[r]["read"]["summary"] for r in READERS}))  # fmt: skip
    print(f"the readers agree: {results['frame']['read']['summary']}")
    print(f"\n{'reader':10} {'median s':>9} {'rows/s':>10} {'peak MiB':>9}  runs (s)")
    for reader, result in results.items():
        median = statistics.median(result["seconds"])
        runs = ", ".join(f"{s:.2f}" for s in result["seconds"])
        rate = args.records / median
        print(f"{reader:10} {median:9.2f} {rate:10,.0f} {result['peak_mib']:9,.0f}  {runs}")
    ratio = statistics.median(results["reference"]["seconds"]) / statistics.median(
        results["frame"]["seconds"]
    )
    print(f"\nframe reader / reference reader, speed: {ratio:.2f}x")


if __name__ == "__main__":
    main()
