"""The roll-up's engines side by side on a state-sized synthetic data set, in one run.

    python benchmarks/progress_columnar.py            # 400,000 people, 5,000,000 records
    python benchmarks/progress_columnar.py --records 200000 --people 20000   # a quick run

It generates, from the fixed seed of ``progress_reference.py`` (the same tree, people and
records), the enrolment records and the people as Parquet files, then times, each engine
in a fresh process so that each reports its own peak memory, the cumulative roll-up by
quarter under the platform's counting policy:

- ``reference``: :class:`karmayogi.progress.Rollup` on records already made in memory;
- ``columnar-polars`` and ``columnar-duckdb``: :func:`karmayogi.columnar.rollup_frame`
  on the records and people in memory, as a polars frame and as DuckDB tables;
- ``hand-polars`` and ``hand-pandas``: the same metrics written by hand as one would in a
  notebook, kept here.

Each engine runs ``--repeat`` times (3 unless told) and counts by its median run, since
the machine may be shared; every run's seconds are printed too. Every engine's table is
checked equal to the reference engine's (counts exactly, hours and rates to 1e-9) before
any figure is printed. At the end: ratios, and each target beside what was measured.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl
from progress_reference import SEED, parsed, peak_mib, people, records, run_phase, state_tree, timed

from karmayogi.columnar import rollup_frame
from karmayogi.org import OrgTree
from karmayogi.periods import period_at
from karmayogi.progress import Rollup

ENGINES = ("reference", "columnar-polars", "columnar-duckdb", "hand-polars", "hand-pandas")

METRICS = (
    "users", "enrolled_users", "started_users", "completed_users", "enrolments",
    "completions", "completion_rate", "certificates", "learning_hours", "enrolments_completed",
)  # fmt: skip
_COUNTS = ("enrolments", "completions", "certificates", "enrolments_completed")
_PEOPLE = ("enrolled_users", "started_users", "completed_users")


def write_data(folder: Path, count: int, people_count: int) -> None:
    """records.parquet and people.parquet, from the reference benchmark's generator."""
    columns: dict[str, list[Any]] = {
        "person": [], "course": [], "status": [], "progress": [], "enrolled_at": [],
        "completed_at": [], "certificate": [], "duration": [],
    }  # fmt: skip
    for p, c, status, progress, enrolled, completed, cert, seconds in records(
        count, people_count, random.Random(SEED)
    ):
        columns["person"].append(f"user{p}@state.gov.in")
        columns["course"].append(f"Course {c}")
        columns["status"].append(int(status))
        columns["progress"].append(float(progress))
        columns["enrolled_at"].append(enrolled)
        columns["completed_at"].append(completed)
        columns["certificate"].append(cert)
        columns["duration"].append(seconds)
    pl.DataFrame(columns).write_parquet(folder / "records.parquet")
    staff = people(people_count, random.Random(SEED))
    pl.DataFrame(
        {
            "person": [p.id for p in staff],
            "unit": [p.place for p in staff],
            "active": [p.active for p in staff],
        }
    ).write_parquet(folder / "people.parquet")


# --- Each engine: a function of the data folder that gives a runner and its table's rows


Rows = list[dict[str, Any]]


def run_reference(folder: Path, count: int, people_count: int) -> Callable[[], Rows]:
    del folder  # made in memory, as a reader makes them: the same records as the files
    tree, _paths = state_tree()
    staff = people(people_count, random.Random(SEED))
    batch = parsed(count, people_count)

    def run() -> Rows:
        table = Rollup(tree, people=staff, by="quarter", records=batch).table("cumulative")
        return [
            {"unit": r.unit, "period": str(r.period), **{m: getattr(r, m) for m in METRICS}}
            for r in table
        ]

    return run


def run_columnar_polars(folder: Path, count: int, people_count: int) -> Callable[[], Rows]:
    tree, _paths = state_tree()
    frame = pl.read_parquet(folder / "records.parquet")
    staff = pl.read_parquet(folder / "people.parquet")

    def run() -> Rows:
        table = rollup_frame(frame, tree, people=staff, by="quarter", view="cumulative")
        return table.rows(named=True)

    return run


def run_columnar_duckdb(folder: Path, count: int, people_count: int) -> Callable[[], Rows]:
    import duckdb

    tree, _paths = state_tree()
    con = duckdb.connect()
    for name in ("records", "people"):
        con.execute(f"create table {name} as select * from read_parquet('{folder / name}.parquet')")

    def run() -> Rows:
        table = rollup_frame(
            con.table("records"), tree, people=con.table("people"), by="quarter", view="cumulative"
        )
        return nw.from_native(table).collect("polars").rows(named=True)

    return run


def span(found: list[int]) -> dict[str, list[Any]]:
    """Every quarter from the first found to the last, with its label."""
    quarters = list(range(min(found), max(found) + 1))
    return {"p": quarters, "period": [str(period_at("quarter", q)) for q in quarters]}


def closure(tree: OrgTree) -> dict[str, list[str]]:
    """Each unit with each of its ancestors (itself included): how a hand-written query
    rolls units up to their parents."""
    return {
        "unit": [u.id for u in tree for _ in tree.path(u.id)],
        "ancestor": [a for u in tree for a in tree.path(u.id)],
    }


def run_hand_polars(folder: Path, count: int, people_count: int) -> Callable[[], Rows]:
    tree, _paths = state_tree()
    frame = pl.read_parquet(folder / "records.parquet")
    staff = pl.read_parquet(folder / "people.parquet")
    ancestors = pl.DataFrame(closure(tree))

    def quarter(column: str) -> pl.Expr:
        india = pl.col(column).dt.convert_time_zone("Asia/Kolkata")
        fy = india.dt.year() - (india.dt.month() < 4).cast(pl.Int32)
        return (fy * 4 + (india.dt.month() - 4) % 12 // 3).alias(column)

    def run() -> Rows:
        active = staff.lazy().filter("active").select("person", "unit")
        entries = (
            frame.lazy()
            .join(active, on="person")
            .group_by("person", "course")
            .agg(
                pl.col("unit").first(),
                pl.col("status").max(),
                pl.col("enrolled_at").min(),
                pl.col("completed_at").min(),
                pl.col("certificate").max(),
                pl.col("duration").max(),
            )
            .with_columns(quarter("enrolled_at"), quarter("completed_at"))
            .collect()
            .lazy()
        )
        enrolled, completed = pl.col("enrolled_at"), pl.col("completed_at")
        first = entries.group_by("person", "unit").agg(
            enrolled.min(),
            completed.min(),
            started=enrolled.filter(pl.col("status") > 0).min(),
        )
        own = pl.concat(
            [
                entries.group_by("unit", p=enrolled).agg(enrolments=pl.len()),
                entries.group_by("unit", p=completed).agg(
                    completions=pl.len(),
                    certificates=pl.col("certificate").sum(),
                    seconds=pl.col("duration").filter(pl.col("certificate")).sum(),
                ),
                entries.drop_nulls(["enrolled_at", "completed_at"])
                .group_by("unit", p=pl.max_horizontal(enrolled, completed))
                .agg(enrolments_completed=pl.len()),
                first.group_by("unit", p=enrolled).agg(enrolled_users=pl.len()),
                first.group_by("unit", p=pl.col("started")).agg(started_users=pl.len()),
                first.group_by("unit", p=completed).agg(completed_users=pl.len()),
            ],
            how="diagonal",
        ).drop_nulls("p")
        sums = [*_COUNTS, *_PEOPLE, "seconds"]
        rolled = (
            own.join(ancestors.lazy(), on="unit")
            .group_by("ancestor", "p")
            .agg(pl.col(sums).sum())
            .collect()
        )
        users = active.join(ancestors.lazy(), on="unit").group_by("ancestor").agg(users=pl.len())
        table = (
            pl.DataFrame({"ancestor": [u.id for u in tree]})
            .join(pl.DataFrame(span(rolled["p"].to_list())).cast({"p": pl.Int32}), how="cross")
            .join(rolled, on=["ancestor", "p"], how="left", maintain_order="left")
            .with_columns(pl.col(sums).fill_null(0).cum_sum().over("ancestor"))
            .join(users.collect(), on="ancestor", how="left", maintain_order="left")
            .select(
                unit="ancestor",
                period="period",
                users=pl.col("users").fill_null(0),
                **{c: pl.col(c) for c in _PEOPLE},
                **{c: pl.col(c) for c in ("enrolments", "completions")},
                completion_rate=pl.when(pl.col("enrolments") > 0).then(
                    pl.col("enrolments_completed") / pl.col("enrolments")
                ),
                certificates="certificates",
                learning_hours=pl.col("seconds") / 3600,
                enrolments_completed="enrolments_completed",
            )
        )
        return table.rows(named=True)

    return run


def run_hand_pandas(folder: Path, count: int, people_count: int) -> Callable[[], Rows]:
    import pandas as pd  # type: ignore[import-untyped]  # no stubs in the environment

    tree, _paths = state_tree()
    frame = pd.read_parquet(folder / "records.parquet")
    staff = pd.read_parquet(folder / "people.parquet")
    ancestors = pd.DataFrame(closure(tree))

    def quarter(times: Any) -> Any:
        india = times.dt.tz_convert("Asia/Kolkata")
        fy = india.dt.year - (india.dt.month < 4)
        return fy * 4 + (india.dt.month - 4) % 12 // 3

    def count_by(data: Any, period: Any, **sums: tuple[str, str]) -> Any:
        grouped = data.assign(p=period).dropna(subset=["p"]).groupby(["unit", "p"])
        return grouped.agg(**sums).reset_index() if sums else grouped.size().reset_index()

    def run() -> Rows:
        active = staff.loc[staff["active"], ["person", "unit"]]
        entries = (
            frame.merge(active, on="person")
            .groupby(["person", "course"], sort=False)
            .agg(
                unit=("unit", "first"),
                status=("status", "max"),
                enrolled=("enrolled_at", "min"),
                completed=("completed_at", "min"),
                certificate=("certificate", "max"),
                duration=("duration", "max"),
            )
            .reset_index()
        )
        entries["enrolled"] = quarter(entries["enrolled"])
        entries["completed"] = quarter(entries["completed"])
        entries["started"] = entries["enrolled"].where(entries["status"] > 0)
        entries["hours"] = entries["duration"].where(entries["certificate"], 0)
        first = entries.groupby(["person", "unit"], sort=False).agg(
            enrolled=("enrolled", "min"), completed=("completed", "min"), started=("started", "min")
        )
        first = first.reset_index()
        both = entries.dropna(subset=["enrolled", "completed"])
        parts = [
            count_by(entries, entries["enrolled"]).rename(columns={0: "enrolments"}),
            count_by(
                entries,
                entries["completed"],
                completions=("course", "size"),
                certificates=("certificate", "sum"),
                seconds=("hours", "sum"),
            ),
            count_by(both, both[["enrolled", "completed"]].max(axis=1)).rename(
                columns={0: "enrolments_completed"}
            ),
            count_by(first, first["enrolled"]).rename(columns={0: "enrolled_users"}),
            count_by(first, first["started"]).rename(columns={0: "started_users"}),
            count_by(first, first["completed"]).rename(columns={0: "completed_users"}),
        ]
        own = pd.concat(parts).fillna(0)
        sums = [*_COUNTS, *_PEOPLE, "seconds"]
        rolled = own.merge(ancestors, on="unit").groupby(["ancestor", "p"])[sums].sum()
        rolled = rolled.reset_index()
        users = active.merge(ancestors, on="unit").groupby("ancestor").size().rename("users")
        grid = pd.DataFrame({"ancestor": [u.id for u in tree]}).merge(
            pd.DataFrame(span([int(p) for p in rolled["p"]])), how="cross"
        )
        table = grid.merge(rolled, on=["ancestor", "p"], how="left").fillna(dict.fromkeys(sums, 0))
        table[sums] = table.groupby("ancestor", sort=False)[sums].cumsum()
        table = table.merge(users.reset_index(), on="ancestor", how="left")
        rate = table["enrolments_completed"] / table["enrolments"].where(table["enrolments"] > 0)
        result = pd.DataFrame(
            {
                "unit": table["ancestor"],
                "period": table["period"],
                "users": table["users"].fillna(0),
                **{c: table[c] for c in (*_PEOPLE, "enrolments", "completions")},
                "completion_rate": rate,
                "certificates": table["certificates"],
                "learning_hours": table["seconds"] / 3600,
                "enrolments_completed": table["enrolments_completed"],
            }
        )
        return result.to_dict("records")  # type: ignore[no-any-return]

    return run


RUNNERS = {
    "reference": run_reference,
    "columnar-polars": run_columnar_polars,
    "columnar-duckdb": run_columnar_duckdb,
    "hand-polars": run_hand_polars,
    "hand-pandas": run_hand_pandas,
}


def phase(engine: str, folder: Path, count: int, people_count: int, repeat: int) -> None:
    """One engine, in this process: its runs' seconds, its peak memory, and its table
    (written to a file beside the data, to be checked against the reference's)."""
    run = RUNNERS[engine](folder, count, people_count)
    seconds, rows = timed(run, repeat)
    assert isinstance(rows, list)
    (folder / f"{engine}.json").write_text(json.dumps(canonical(rows)))
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib()}))


def canonical(rows: Rows) -> Rows:
    """Sorted by unit and period; whole numbers as ints, a missing value as None (pandas
    gives floats and NaN)."""
    out = []
    for row in rows:
        values: dict[str, Any] = {"unit": row["unit"], "period": row["period"]}
        for metric in METRICS:
            value = row[metric]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                values[metric] = None
            elif metric in ("completion_rate", "learning_hours"):
                values[metric] = float(value)
            else:
                values[metric] = int(value)
        out.append(values)
    return sorted(out, key=lambda r: (r["unit"], r["period"]))


def differences(reference: Rows, other: Rows) -> list[str]:
    """Where another engine's table differs from the reference's (at most a few)."""
    if [(r["unit"], r["period"]) for r in reference] != [(r["unit"], r["period"]) for r in other]:
        return ["the units and periods differ"]
    found = []
    for mine, theirs in zip(reference, other, strict=True):
        for metric in METRICS:
            a, b = mine[metric], theirs[metric]
            same = a == b or (
                isinstance(a, float) and isinstance(b, float) and math.isclose(a, b, rel_tol=1e-9)
            )
            if not same:
                found.append(f"{mine['unit']} {mine['period']} {metric}: {a} against {b}")
    return found[:5]


TARGETS = (
    # (what, measured as, target, whether a larger value is better)
    ("columnar-polars / hand-polars, seconds", "polars_ratio", 1.25, False),
    ("hand-pandas / columnar-polars, seconds", "pandas_ratio", 3, True),
    ("reference / columnar-polars, seconds", "reference_ratio", 10, True),
    ("columnar-polars peak memory, MiB", "peak_mib", 2048, False),
)
"""The issue's targets for the columnar engine at 5 million records."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--phase", choices=("data", *ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "data":
        write_data(Path(args.data), args.records, args.people)
        return
    if args.phase:
        phase(args.phase, Path(args.data), args.records, args.people, args.repeat)
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        # Each step in its own process, this one included: a child starts with its
        # parent's peak memory as its own (Linux keeps it across fork and exec).
        run_phase(__file__, "data", folder, args)
        print(
            f"{args.records:,} records of {args.people:,} people, the cumulative roll-up by "
            f"quarter; Python {sys.version.split()[0]}, polars {pl.__version__}, "
            f"narwhals {nw.__version__}; median of {args.repeat} runs"
        )
        results = {}
        for engine in args.engines:
            results[engine] = json.loads(run_phase(__file__, engine, folder, args))
            results[engine]["rows"] = json.loads((folder / f"{engine}.json").read_text())
        report(results)


def report(results: dict[str, dict[str, Any]]) -> None:
    """Each engine's table checked against the reference's, then the figures."""
    reference = results.get("reference")
    for engine, result in results.items():
        if reference is not None and engine != "reference":
            found = differences(reference["rows"], result["rows"])
            if found:
                sys.exit(f"{engine} differs from the reference engine: " + "; ".join(found))
    if reference is not None:
        print(f"every table equal to the reference engine's ({len(reference['rows']):,} rows)")
    median = {e: statistics.median(r["seconds"]) for e, r in results.items()}
    base = median.get("columnar-polars")
    print(f"\n{'engine':17} {'median s':>9} {'x columnar-polars':>18} {'peak MiB':>9}  runs (s)")
    for engine, result in results.items():
        ratio = f"{median[engine] / base:18.2f}" if base else f"{'':18}"
        runs = ", ".join(f"{s:.2f}" for s in result["seconds"])
        print(f"{engine:17} {median[engine]:9.2f} {ratio} {result['peak_mib']:9,.0f}  {runs}")
    if len(median) < len(ENGINES):
        return
    measured = {
        "polars_ratio": median["columnar-polars"] / median["hand-polars"],
        "pandas_ratio": median["hand-pandas"] / median["columnar-polars"],
        "reference_ratio": median["reference"] / median["columnar-polars"],
        "peak_mib": results["columnar-polars"]["peak_mib"],
    }
    print(f"\n{'':40} {'measured':>9} {'target':>9}")
    for what, key, target, larger in TARGETS:
        value = measured[key]
        met = value >= target if larger else value < target
        sign = ">=" if larger else "<="
        print(f"{what:40} {value:9,.2f} {sign:>3} {target:5,}  {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
