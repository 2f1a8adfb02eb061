"""The whole path, from the platform's CSV export to the progress table, side by side.

    python benchmarks/whole_path.py                     # 400,000 people, 5,000,000 rows
    python benchmarks/whole_path.py --records 1000000 --people 80000
    python benchmarks/whole_path.py --records 50000000 --people 4000000 --repeat 1 \
        --ways cli floor --keep /some/disk     # the national run: 15 GiB of CSV

It writes ``ConsumptionReport.csv`` as ``progress_reference.py`` does (the same seed, tree,
people and records, all 34 columns), then goes from that file to the table of enrolments,
completions, certificates, learning hours and the people enrolling and completing, per
unit (with the units below it) and quarter, five ways (or seven), each in a fresh process so that
each reports its own peak memory:

- ``cli``: ``karmayogi progress ConsumptionReport.csv --by quarter --format csv
  --no-limits``, the command as a user runs it (its own process; its peak is the
  command's; the benchmark's files are trusted, and a national one is past the default
  limits);
- ``library``: :func:`karmayogi.progress.roll_up_export` and the table's CSV;
- ``duckdb``: one SQL query written by hand, as an analyst would: read the CSV, key
  people by e-mail, merge a person's rows on a course, place each person in the unit of
  their latest enrolment, count per unit and quarter;
- ``polars``: the same written by hand as one lazy polars query;
- ``floor``: polars reading and parsing the columns used (person, course, the three
  units, the duration, the two times, status, progress, certificate), nothing more.

Two more ways run when asked (``--ways library reference spark``):

- ``reference``: ``roll_up_export(engine="reference")``, the pure-Python reader and
  engine, the specification (its CSV must be the library's, byte for byte);
- ``spark``: :func:`karmayogi.columnar.read_consumption_spark` and ``rollup_frame`` in a
  local Spark session on every core, started before the runs are timed (its peak adds
  the JVM's to this process's).

Before any figure is printed, the command's CSV is checked to be the library's, and the
hand-written tables equal to the library's on every unit and quarter (counts exactly,
hours to 1e-9). Each way runs ``--repeat`` times (3 unless told) and counts by its median.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from progress_reference import peak_mib, run_phase, timed, write_report

WAYS = ("cli", "library", "duckdb", "polars", "floor", "reference", "spark")
DEFAULT_WAYS = WAYS[:5]
METRICS = (
    "enrolments",
    "completions",
    "certificates",
    "learning_hours",
    "enrolled_users",
    "completed_users",
)
STAMP = "%Y-%m-%d %H:%M:%S"

# One query, as an analyst writes it: every column text, parsed as needed.
DUCKDB_SQL = """
WITH rows AS (
    SELECT lower(trim(Email)) AS person,
           trim(Content_Name) AS course,
           trim(Ministry) AS m, trim(Department) AS d, trim(Organization) AS o,
           strptime(trim(Enrolled_On), '{stamp}') AS enrolled,
           strptime(nullif(trim(Completed_On), ''), '{stamp}') AS completed,
           lower(trim(Certificate_Generated)) IN ('yes', 'y', 'true', '1') AS certified,
           CAST(split_part(Content_Duration, ':', 1) AS BIGINT) * 3600
             + CAST(split_part(Content_Duration, ':', 2) AS BIGINT) * 60
             + CAST(split_part(Content_Duration, ':', 3) AS BIGINT) AS seconds
    FROM read_csv('{path}', header = true, all_varchar = true)
),
entries AS (
    SELECT person, course, min(enrolled) AS enrolled, min(completed) AS completed,
           bool_or(certified) AS certified, max(seconds) AS seconds
    FROM rows GROUP BY person, course
),
places AS (
    SELECT person, arg_max(m, enrolled) AS m, arg_max(d, enrolled) AS d,
           arg_max(o, enrolled) AS o
    FROM rows GROUP BY person
),
events AS (
    SELECT person, 'enrolled' AS what, enrolled AS happened, false AS certified, 0 AS seconds
    FROM entries
    UNION ALL
    SELECT person, 'completed', completed, certified, seconds
    FROM entries WHERE completed IS NOT NULL
),
-- Each person once per quarter (a person sits in one unit, so a unit's people are its
-- children's added up, as the library counts them).
per_person AS (
    SELECT person,
           year(happened) - CASE WHEN month(happened) < 4 THEN 1 ELSE 0 END AS fy,
           (month(happened) + 8) % 12 // 3 + 1 AS q,
           count(*) FILTER (WHERE what = 'enrolled') AS enrolments,
           count(*) FILTER (WHERE what = 'completed') AS completions,
           count(*) FILTER (WHERE what = 'completed' AND certified) AS certificates,
           coalesce(sum(seconds) FILTER (WHERE what = 'completed' AND certified), 0)
             AS seconds
    FROM events GROUP BY ALL
)
SELECT m, d, o, fy, q,
       sum(enrolments) AS enrolments,
       sum(completions) AS completions,
       sum(certificates) AS certificates,
       sum(seconds) / 3600.0 AS learning_hours,
       count(*) FILTER (WHERE enrolments > 0) AS enrolled_users,
       count(*) FILTER (WHERE completions > 0) AS completed_users
FROM per_person JOIN places USING (person)
GROUP BY GROUPING SETS ((m, fy, q), (m, d, fy, q), (m, d, o, fy, q))
"""


def way_cli(path: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "karmayogi", "progress", str(path), "--by", "quarter",
         "--format", "csv", "--no-limits"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout


def way_library(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    from karmayogi.limits import NO_LIMITS
    from karmayogi.progress import roll_up_export

    return _library_rows(roll_up_export(path, by="quarter", limits=NO_LIMITS))


def _library_rows(done: Any) -> tuple[str, list[tuple[Any, ...]]]:
    """The table's CSV, and its rows that count something by the units' names."""
    tree = done.report.tree
    rows = []
    for row in done.table:
        names = tuple(tree[unit].name for unit in tree.path(row.unit))
        values = [getattr(row, metric) for metric in METRICS]
        if any(values):
            rows.append((names, str(row.period), *values))
    return str(done.table.to_csv()), rows


def way_reference(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    from karmayogi.limits import NO_LIMITS
    from karmayogi.progress import roll_up_export

    return _library_rows(roll_up_export(path, by="quarter", limits=NO_LIMITS,
                                        engine="reference"))  # fmt: skip


def spark_session() -> Any:
    """A local session on every core, started once (before the runs are timed)."""
    from pyspark.sql import SparkSession

    cores = os.cpu_count() or 1
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("karmayogi-benchmark")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", str(4 * cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def way_spark(path: Path, spark: Any) -> list[tuple[Any, ...]]:
    """The export read on Spark by the library and rolled up there (local mode)."""
    from karmayogi.columnar import read_consumption_spark, rollup_frame
    from karmayogi.limits import NO_LIMITS

    export = read_consumption_spark(spark, str(path), limits=NO_LIMITS)
    records, places = export.records.persist(), export.places.persist()
    table = rollup_frame(records, export.tree, places=places, by="quarter")
    rows = []
    for row in table.collect():
        names = tuple(export.tree[unit].name for unit in export.tree.path(row["unit"]))
        values = [row[metric] for metric in METRICS]
        if any(values):
            rows.append((names, row["period"], *values))
    records.unpersist()
    places.unpersist()
    return rows


def jvm_peak_mib(spark: Any) -> float:
    """The Spark JVM's peak resident memory (Linux), which is not this process's."""
    pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def way_duckdb(path: Path) -> list[tuple[Any, ...]]:
    import duckdb

    query = DUCKDB_SQL.format(path=str(path).replace("'", "''"), stamp=STAMP)
    result = duckdb.connect().sql(query).fetchall()
    rows = []
    for m, d, o, fy, q, *values in result:
        names = tuple(n for n in (m, d, o) if n is not None)
        rows.append((names, f"{fy}-{str(fy + 1)[2:]} Q{q}", *values))
    return rows


def way_polars(path: Path) -> list[tuple[Any, ...]]:
    import polars as pl

    text = pl.col
    rows = pl.scan_csv(path, infer_schema=False).select(
        text("Email").str.strip_chars().str.to_lowercase().alias("person"),
        text("Content_Name").str.strip_chars().alias("course"),
        text("Ministry").str.strip_chars().alias("m"),
        text("Department").str.strip_chars().alias("d"),
        text("Organization").str.strip_chars().alias("o"),
        text("Enrolled_On").str.strip_chars().str.to_datetime(STAMP).alias("enrolled"),
        text("Completed_On").str.strip_chars().str.to_datetime(STAMP, strict=False)
        .alias("completed"),
        text("Certificate_Generated").str.strip_chars().str.to_lowercase()
        .is_in(["yes", "y", "true", "1"]).alias("certified"),
        text("Content_Duration").str.split(":").list.eval(pl.element().cast(pl.Int64))
        .list.eval(pl.element() * pl.Series([3600, 60, 1])).list.sum().alias("seconds"),
    )  # fmt: skip
    entries = rows.group_by("person", "course").agg(
        text("enrolled").min(),
        text("completed").min(),
        text("certified").any(),
        text("seconds").max(),
    )
    places = rows.group_by("person").agg(
        text(c).sort_by("enrolled").last() for c in ("m", "d", "o")
    )
    enrolled = entries.select(
        "person", text("enrolled").alias("at"), pl.lit(value=False).alias("done"),
        pl.lit(value=False).alias("certified"), pl.lit(0, pl.Int64).alias("seconds"),
    )  # fmt: skip
    completed = entries.filter(text("completed").is_not_null()).select(
        "person", text("completed").alias("at"), pl.lit(value=True).alias("done"),
        "certified", "seconds",
    )  # fmt: skip
    at, done, certified = text("at"), text("done"), text("certified")
    # Each person once per quarter (a person sits in one unit, so a unit's people are
    # its children's added up, as the library counts them).
    per_person = (
        pl.concat([enrolled, completed])
        .with_columns(
            fy=at.dt.year() - (at.dt.month() < 4).cast(pl.Int32),
            q=(at.dt.month().cast(pl.Int32) + 8) % 12 // 3 + 1,
        )
        .group_by("person", "fy", "q")
        .agg(
            (~done).sum().alias("enrolments"),
            done.sum().alias("completions"),
            (done & certified).sum().alias("certificates"),
            text("seconds").filter(done & certified).sum().alias("seconds"),
        )
        .join(places, on="person")
    )
    metrics = [
        text("enrolments").sum(),
        text("completions").sum(),
        text("certificates").sum(),
        (text("seconds").sum() / 3600.0).alias("learning_hours"),
        (text("enrolments") > 0).sum().alias("enrolled_users"),
        (text("completions") > 0).sum().alias("completed_users"),
    ]
    levels = [["m"], ["m", "d"], ["m", "d", "o"]]
    tables = [per_person.group_by(*level, "fy", "q").agg(metrics) for level in levels]
    found = pl.collect_all(tables)
    rows_out = []
    for level, frame in zip(levels, found, strict=True):
        for row in frame.iter_rows(named=True):
            names = tuple(row[c] for c in level)
            period = f"{row['fy']}-{str(row['fy'] + 1)[2:]} Q{row['q']}"
            rows_out.append((names, period, *(row[m] for m in METRICS)))
    return rows_out


def way_floor(path: Path) -> int:
    import polars as pl

    text = pl.col
    frame = (
        pl.scan_csv(path, infer_schema=False)
        .select(
            text("Email").str.strip_chars().str.to_lowercase(),
            text("Content_Name").str.strip_chars(),
            text("Ministry", "Department", "Organization").str.strip_chars(),
            text("Content_Duration").str.split(":"),
            text("Enrolled_On", "Completed_On")
            .str.strip_chars()
            .str.to_datetime(STAMP, strict=False),
            text("Status").str.strip_chars(),
            text("Content_Progress_Percentage").cast(pl.Float64, strict=False),
            text("Certificate_Generated").str.strip_chars(),
        )
        .collect()
    )
    return frame.height


def phase(way: str, path: Path, repeat: int) -> None:
    """One way, in this process: its runs' seconds, its peak memory, what it made."""
    made: dict[str, Any] = {}
    if way == "cli":
        seconds, text = timed(lambda: way_cli(path), repeat)
        made["csv"] = text
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    elif way == "spark":
        spark = spark_session()
        seconds, made["rows"] = timed(lambda: way_spark(path, spark), repeat)
        peak = peak_mib() + jvm_peak_mib(spark)
        spark.stop()
    else:
        run = {
            "library": way_library,
            "reference": way_reference,
            "duckdb": way_duckdb,
            "polars": way_polars,
            "floor": way_floor,
        }[way]
        seconds, result = timed(lambda: run(path), repeat)
        if way in {"library", "reference"}:
            assert isinstance(result, tuple)
            made["csv"], made["rows"] = result
        elif way != "floor":
            made["rows"] = result
        peak = peak_mib()
    (path.parent / f"{way}.json").write_text(json.dumps(made, default=str))
    print(json.dumps({"seconds": seconds, "peak_mib": peak}))


def _table(rows: list[list[Any]]) -> dict[tuple[str, ...], list[float]]:
    return {(*row[0], row[1]): [float(v) for v in row[2:]] for row in rows}


def agree(made: dict[str, dict[str, Any]]) -> str:
    """That the command's CSV is the library's and the hand-written tables its numbers;
    else exit saying where they differ."""
    if "cli" in made and made["cli"]["csv"] != made["library"]["csv"]:
        sys.exit("the command's CSV is not the library's")
    if "reference" in made and made["reference"]["csv"] != made["library"]["csv"]:
        sys.exit("the reference engine's CSV is not the columnar one's")
    reference = _table(made["library"]["rows"])
    for way in sorted(made.keys() & {"duckdb", "polars", "spark"}):
        table = _table(made[way]["rows"])
        if table.keys() != reference.keys():
            missing = sorted(reference.keys() - table.keys())[:3]
            extra = sorted(table.keys() - reference.keys())[:3]
            sys.exit(f"{way}: other rows (missing {missing}, extra {extra})")
        for key, values in reference.items():
            if any(abs(a - b) > 1e-9 for a, b in zip(values, table[key], strict=True)):
                sys.exit(f"{way} differs at {key}: {table[key]} against {values}")
    rows = sum(1 for _ in csv.reader(io.StringIO(made["library"]["csv"]))) - 1
    others = ", ".join(way for way in made if way not in {"library", "floor"})
    return f"the table agrees: the library's ({rows:,} rows) and {others}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way")
    parser.add_argument("--ways", nargs="+", choices=WAYS, default=list(DEFAULT_WAYS))
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="write the export in DIR and keep it there, or read the one a run with the "
        "same --records and --people kept (the national one takes a quarter of an hour)",
    )
    parser.add_argument("--phase", choices=("data", *WAYS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "data":
        write_report(Path(args.data), args.records, args.people)
        return
    if args.phase:
        phase(args.phase, Path(args.data), args.repeat)
        return
    kept = contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory()
    with kept as name:
        path = Path(name) / f"ConsumptionReport-{args.records}-{args.people}.csv"
        started = time.perf_counter()
        written = "kept from an earlier run"
        if not path.exists():
            run_phase(__file__, "data", path, args)
            written = f"written in {time.perf_counter() - started:,.0f} s"
        print(
            f"ConsumptionReport.csv: {args.records:,} rows of {args.people:,} people, "
            f"{path.stat().st_size / 2**20:,.0f} MiB ({written}); "
            f"Python {sys.version.split()[0]}; {os.cpu_count()} cores; "
            f"median of {args.repeat} runs"
        )
        results: dict[str, dict[str, Any]] = {}
        made: dict[str, dict[str, Any]] = {}
        for way in args.ways:
            results[way] = json.loads(run_phase(__file__, way, path, args))
            made[way] = json.loads((path.parent / f"{way}.json").read_text())
    if "library" in made and len(made.keys() - {"floor"}) > 1:
        print(agree(made))
    floor = statistics.median(results["floor"]["seconds"]) if "floor" in results else None
    duck = statistics.median(results["duckdb"]["seconds"]) if "duckdb" in results else None
    print(f"\n{'way':8} {'median s':>9} {'x duckdb':>9} {'x floor':>8} {'peak MiB':>9}  runs (s)")
    for way, result in results.items():
        median = statistics.median(result["seconds"])
        runs = ", ".join(f"{s:.2f}" for s in result["seconds"])
        by_duck = f"{median / duck:9.2f}" if duck else f"{'':9}"
        by_floor = f"{median / floor:8.2f}" if floor else f"{'':8}"
        print(f"{way:8} {median:9.2f} {by_duck} {by_floor} {result['peak_mib']:9,.0f}  {runs}")


if __name__ == "__main__":
    main()
