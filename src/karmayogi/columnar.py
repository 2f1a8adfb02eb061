"""The roll-ups of :mod:`karmayogi.progress` as dataframe operations, on the user's own
dataframe library (polars, pandas, pyarrow, DuckDB, PySpark), written once against
narwhals.

It means exactly what the reference engine means (the tests hold the two equal); only
elementary operations are used (columns computed first, then min, max, sum and count per
group), so every backend runs them natively. Needs the ``columnar`` extra, narwhals and
polars (or, on Spark, the ``spark`` extra)::

    pip install '.[columnar]'       # in a clone of karmayogi; or: pip install narwhals polars

The records are a frame with these columns (one row per record; a person's records on
one course are joined as the ledger joins them; other columns are not read):

- ``person``, ``course``: strings;
- ``status``: 0 not started, 1 in progress, 2 completed;
- ``enrolled_at``, ``completed_at``: timestamps, null when unknown; a naive timestamp is
  India's time, one with a zone (an instant: Spark's ``timestamp``, DuckDB's
  ``TIMESTAMPTZ``) is converted to it, whatever the zone of the connection or session;
- ``certificate``: whether the record has a certificate;
- ``duration``: the content's duration in seconds, null when unknown.

>>> import datetime as dt, polars as pl
>>> from karmayogi.org import OrgTree, Unit
>>> tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state"),
...                 Unit(id="rev", name="Revenue", level="department", parent="cg")])
>>> records = pl.DataFrame({
...     "person": ["asha", "ravi", "ravi"], "course": ["RTI Act"] * 3,
...     "status": [2, 1, 2], "progress": [100.0, 40.0, 100.0],
...     "enrolled_at": [dt.datetime(2025, 4, 5, 10), dt.datetime(2025, 4, 2, 9),
...                     dt.datetime(2025, 4, 9, 9)],
...     "completed_at": [dt.datetime(2025, 5, 1, 17), None, dt.datetime(2025, 8, 1, 9)],
...     "certificate": [True, False, True], "duration": [5400, 5400, 5400]})
>>> table = rollup_frame(records, tree, places={"asha": "rev", "ravi": "rev"}, by="quarter")
>>> table.filter(pl.col("unit") == "rev").select("period", "enrolments", "completions",
...                                               "learning_hours").rows()
[('2025-26 Q1', 2, 1, 1.5), ('2025-26 Q2', 0, 1, 1.5)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from karmayogi._api import presented
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.progress._columnar._engine import (
    ALLOCATION_COLUMNS,
    PEOPLE_COLUMNS,
    PLACES_COLUMNS,
    RECORD_COLUMNS,
    UNIT_COLUMNS,
    compliance_frames,
    compliance_table,
    rollup_frame,
    rollup_table,
)
from karmayogi.progress._columnar._reader import FrameImport, read_consumption_frame

if TYPE_CHECKING:
    from karmayogi._joins import CourseNames

__all__ = [
    "ALLOCATION_COLUMNS",
    "PEOPLE_COLUMNS",
    "PLACES_COLUMNS",
    "RECORD_COLUMNS",
    "UNIT_COLUMNS",
    "FrameImport",
    "compliance_frames",
    "compliance_table",
    "read_consumption_frame",
    "read_consumption_spark",
    "rollup_frame",
    "rollup_table",
]


def read_consumption_spark(
    spark: Any,
    path: str,
    *,
    person_key: str = "Email",
    catalogue: CourseNames | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> FrameImport:
    """The platform's enrolment export, ``ConsumptionReport.csv`` at ``path`` (any path
    the ``spark`` session reads: a local file, HDFS, S3; or a directory of such files
    with one header, each file's rows numbered in it), read on Spark. It means what
    :func:`karmayogi.read_consumption_report` means, row for row: the same values, people
    known by the same key and placed in the unit of their latest enrolment, every row
    accounted for, the first rejected rows listed with the reference reader's reasons.

    The records come joined per person and course, and each person's unit, as Spark
    DataFrames for :func:`rollup_frame` (times are India's wall clock, ``TIMESTAMP_NTZ``,
    whatever the session's zone). They are lazy: each use reads the file again, so
    ``persist`` them for several. The plan is Spark's own functions, no Python; what
    reaches the driver is the counts, the first wrong rows, the rows with a cell in a
    form only the reference reader reads (the platform writes none), the units'
    spellings and the people in several units, as the findings name them.

    A record quoted over several lines is read (a file's lines joined in one task: such
    files are rare). Refused, with the file and row: a carriage return inside a line (a
    line end for Python's csv alone), a quote inside a field that is not quoted, quotes
    amiss, bytes that are not UTF-8, a file of a directory whose header is not the first
    file's. Needs the
    ``spark`` extra. On a cluster::

        export = read_consumption_spark(spark, "s3://state-lms/ConsumptionReport.csv")
        print(export.summary())
        table = rollup_frame(export.records, export.tree, places=export.places, by="fy")
    """
    from karmayogi.progress._columnar import _spark_reader  # needs PySpark: when asked

    return _spark_reader.read_consumption_spark(
        spark, path, person_key=person_key, catalogue=catalogue, limits=limits
    )


__dir__ = presented(__name__, globals(), __all__)
