"""The platform's enrolment export read into a polars frame: the same parsing, identity
rule and row accounting as :func:`karmayogi.read_consumption_report`, column by column.

Each column is parsed as a whole where its form is plain (the platform's
``yyyy-MM-dd HH:mm:ss``), and otherwise each distinct cell once, by the reference reader's
own functions: a state's export has five million rows but a few hundred statuses,
durations and units and one email per person. A row found wrong is handed, cells and
all, to the reference reader's careful path, so that its rejection says exactly what the
reference reader says. A file polars cannot split as that reader does (bytes that are
not UTF-8, lines ending in a bare carriage return, unbalanced quotes) is read by the
reference reader itself."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

import attrs
import polars as pl

from karmayogi._csv import Source, Table, opened, stream_records
from karmayogi._deprecation import deprecated
from karmayogi._durations import duration_seconds
from karmayogi._joins import CourseNames
from karmayogi.errors import Finding, LimitExceeded, Location, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree
from karmayogi.periods import IST, plausible_dates
from karmayogi.progress._account import REJECTIONS_KEPT, Import, RowAccount
from karmayogi.progress._consumption import (
    CERTIFIED,
    ConsumptionRows,
    consumption_table,
    implausible_finding,
    parse_time,
    unit_named,
)
from karmayogi.progress._readers import read_consumption_report
from karmayogi.progress._records import Status

__all__ = ["FrameImport", "read_consumption_frame"]

Backend = Literal["polars", "pandas", "pyarrow"]


@attrs.define
class FrameImport(RowAccount):
    """What :func:`read_consumption_frame` made of an export: the records as a frame, each
    person's unit as a frame, the tree, and the row account the reference reader keeps
    (:mod:`karmayogi.progress` states the contract)."""

    records: Any = attrs.field(kw_only=True)
    """One row per record used or merged (:data:`RECORD_COLUMNS`, and ``progress``)."""
    places: Any = attrs.field(kw_only=True)
    """``person`` and ``place``: each placed person's unit, that of their latest enrolment,
    as :attr:`karmayogi.Import.places` gives it. Pass it to :func:`rollup_frame` as
    ``places=``: it says where people are, not how many there are (no users)."""
    tree: OrgTree = attrs.field(kw_only=True)
    """The organisation tree the rows' Ministry / Department / Organization columns spell."""

    @property
    def people(self) -> Any:
        """Deprecated: :attr:`places`, by the name the reference reader gives it."""
        deprecated("FrameImport.people", since="0.2", removal="0.3", instead="FrameImport.places")
        return self.places


_RECORD_SCHEMA = pl.Schema(
    [
        ("person", pl.String()),
        ("course", pl.String()),
        ("status", pl.Int8()),
        ("progress", pl.Float64()),
        ("enrolled_at", pl.Datetime("us")),
        ("completed_at", pl.Datetime("us")),
        ("certificate", pl.Boolean()),
        ("duration", pl.Int64()),
    ]
)
# The platform's own time form, with each field in its range: polars and Python then agree
# on every such text (other texts, and dates polars refuses, go to the reference's parser).
_PLAIN_TIME = r"^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
_BLANK_CELL = r"^[\s\x1c-\x1f]*$"
"""A cell that Python's ``str.strip`` empties: Unicode's white space (``\\s`` here, as in
Python) and the four separators Python counts as space too."""


def read_consumption_frame(
    source: Source,
    *,
    person_key: str = "Email",
    catalogue: CourseNames | None = None,
    backend: Backend = "polars",
    limits: Limits = DEFAULT_LIMITS,
) -> FrameImport:
    """The platform's enrolment export, ``ConsumptionReport.csv``, read into frames of
    ``backend`` (polars, pandas or pyarrow): the records, for
    :func:`rollup_frame`, and each person's unit. It means what
    :func:`karmayogi.read_consumption_report` means, row for row: the same values, people
    known by the same key, each placed in the unit of their latest enrolment, and every
    row accounted for (used, merged as a duplicate, or rejected with its row and reasons).

    >>> import io
    >>> report = read_consumption_frame(io.StringIO(
    ...     "Email,Ministry,Department,Content_Name,Enrolled_On,Status\\n"
    ...     "Ravi@CG.gov.in,Chhattisgarh,Revenue,RTI Act,2025-04-05 10:30:00,in-progress\\n"
    ...     "ravi@cg.gov.in,Chhattisgarh,Revenue,RTI Act,2025-04-02 09:00:00,not started\\n"
    ...     "asha@cg.gov.in,Chhattisgarh,Revenue,RTI Act,2025-04-05,finished\\n"))
    >>> print(report.summary())
    the input: 3 rows read: 1 used, 1 merged as duplicates, 1 rejected
    >>> report.places.rows()
    [('ravi@cg.gov.in', 'Chhattisgarh/Revenue')]
    >>> print(report.rejected[0])
    row 4, field 'Status': is not a status (expected not-started, in-progress or completed, got 'finished')
    """  # noqa: E501
    with opened(source, "r", limits) as (file, handle):
        path = str(source) if isinstance(source, str | os.PathLike) else None
        text = None if path is not None else handle.read()
        header = _header(io.StringIO(text) if text is not None else handle, file, limits)
    table, key_column = consumption_table(file, header, person_key, limits)
    data: str | bytes = path if path is not None else (text or "").encode()
    cells = _cells(data, table.width, sorted({i for i, _title in table.columns.values()}))
    if cells is None:  # not split as the reference reader splits it: let that reader read it
        reference = read_consumption_report(
            source if path is not None else io.StringIO(text or ""),
            person_key=person_key,
            catalogue=catalogue,
            limits=limits,
        )
        return _from_reference(reference, backend)
    frame, long_rows = cells
    _hold_to(limits, frame, long_rows, file)
    frame = frame.drop("longest")
    reader = ConsumptionRows(table, Import(file), key_column, catalogue)
    result = _Reading(table, reader, frame, long_rows).read()
    return _converted(result, backend)


def _hold_to(
    limits: Limits, frame: pl.DataFrame, long_rows: dict[int, list[str]], file: str | None
) -> None:
    """Refuse the records as :func:`stream_records` would: at the first row with a field
    over the limit or past the limit on rows, whichever comes first."""
    rows = None
    if limits.rows is not None and frame.height > limits.rows:
        rows = int(frame["row"][limits.rows])
    if limits.field_size is not None:
        over = frame.filter(pl.col("longest") > limits.field_size)
        longest = {int(r): int(n) for r, n in zip(over["row"], over["longest"], strict=True)}
        for row, cells in long_rows.items():
            longest[row] = max(longest.get(row, 0), *map(len, cells))
        first = min((r for r, n in longest.items() if n > limits.field_size), default=None)
        if first is not None and (rows is None or first <= rows):
            where = Location(file=file, row=first)
            got = f"{longest[first]:,} characters"
            raise LimitExceeded("field_size", limits.field_size, where, got)
    if rows is not None and limits.rows is not None:
        raise LimitExceeded("rows", limits.rows, Location(file=file, row=rows), "more")


def _header(handle: TextIO, file: str | None, limits: Limits) -> list[str] | None:
    first = next(stream_records(handle, file, limits), None)
    return first[1] if first else None


def _cells(
    data: str | bytes, width: int, used: list[int]
) -> tuple[pl.DataFrame, dict[int, list[str]]] | None:
    """The cells of the columns read (``c0``...), as text, of every record that is not
    blank, with its row number (``row``; the header is 1); and the cells of each row
    longer than the header. None when polars does not split the file as
    :func:`stream_records` does."""
    schema = {f"c{i}": pl.String for i in range(width)}

    def blank(columns: Iterable[int]) -> pl.Expr:
        cells = [pl.col(f"c{i}").is_null() | pl.col(f"c{i}").str.contains(_BLANK_CELL)
                 for i in columns]  # fmt: skip
        return pl.all_horizontal(cells) if cells else pl.lit(value=True)

    def read(*, truncate: bool) -> pl.DataFrame:
        # Streamed, every column looked at for blank records (and, by polars, for rows
        # longer than the header), only the columns read kept: a state's export has five
        # million rows of some thirty columns.
        scanned = pl.scan_csv(
            data if isinstance(data, str) else io.BytesIO(data),
            has_header=False,  # the header is a record too: it fixes the width
            schema=schema,
            infer_schema=False,
            truncate_ragged_lines=truncate,
            encoding="utf8",
        )
        # Records are numbered as the reference reader numbers them: the header is 1, and
        # a blank record or one over several lines counts once.
        return (
            scanned.with_row_index("row", offset=1)
            .select(
                pl.col("row").cast(pl.Int64),
                *(pl.col(f"c{i}").fill_null("") for i in used),
                blank(range(width)).alias("blank"),
                pl.max_horizontal(pl.col(f"c{i}").str.len_chars() for i in range(width))
                .fill_null(0)
                .alias("longest"),
            )
            .collect(engine="streaming")
        )

    long_rows: dict[int, list[str]] = {}
    try:
        try:
            frame = read(truncate=False)
        except pl.exceptions.ComputeError as error:
            if "more fields" not in str(error):
                raise
            # Rows longer than the header are rejected: their cells are found in Python.
            long_rows = {row: cells for row, cells in _records(data) if len(cells) > width}
            frame = read(truncate=True)
    except (pl.exceptions.PolarsError, ValidationError):
        return None  # bytes that are not UTF-8, quotes amiss: the reference reader says where
    if not _splits_alike(data, frame.height) or _ends_in_a_comma(data):
        return None
    return frame.slice(1).filter(~pl.col("blank")).drop("blank"), long_rows


def _ends_in_a_comma(data: str | bytes) -> bool:
    """Whether the last line, without a line end, ends in a comma: Python's csv reads one
    more (empty) cell there than polars does."""
    with _binary(data) as handle:
        handle.seek(0, io.SEEK_END)
        if handle.tell() == 0:
            return False
        handle.seek(-1, io.SEEK_END)
        return handle.read(1) == b","


def _records(data: str | bytes) -> Iterator[tuple[int, list[str]]]:
    with _text(data) as handle:
        yield from stream_records(handle, None)


def _text(data: str | bytes) -> TextIO:
    if isinstance(data, str):
        return Path(data).open(encoding="utf-8-sig", newline="")
    return io.StringIO(data.decode("utf-8-sig"), newline="")


def _splits_alike(data: str | bytes, records: int) -> bool:
    """Whether :func:`stream_records` finds as many records as polars did."""
    lines, quotes, bare_returns = _counts(data)
    if not bare_returns and not quotes:
        return lines == records  # one record a line: counted in C
    # Otherwise as the reference reader splits them: the csv module's records, in text
    # (where a bare carriage return ends a line, as it does for Python, not for polars).
    try:
        with _text(data) as handle:
            return sum(1 for _record in csv.reader(handle, strict=True)) == records
    except csv.Error:  # quotes amiss, or a field over its limit: the reference reader says so
        return False


def _binary(data: str | bytes) -> BinaryIO:
    return Path(data).open("rb") if isinstance(data, str) else io.BytesIO(data)


def _counts(data: str | bytes) -> tuple[int, int, int]:
    """A file's lines, double quotes, and carriage returns not followed by a line feed
    (which end lines for Python, not for polars), counted a block at a time."""
    lines = quotes = returns = pairs = 0
    last = b""
    with _binary(data) as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
            quotes += block.count(b'"')
            if b"\r" in block or last.endswith(b"\r"):  # rare: counted only then
                returns += block.count(b"\r")
                pairs += block.count(b"\r\n") + (last.endswith(b"\r") and block.startswith(b"\n"))
            last = block
    return lines + (last != b"" and not last.endswith(b"\n")), quotes, returns - pairs


# --- Reading the cells -----------------------------------------------------------------------


class _Reading:
    """One export's cells parsed, checked, accounted for and placed."""

    def __init__(
        self,
        table: Table,
        reader: ConsumptionRows,
        frame: pl.DataFrame,
        long_rows: dict[int, list[str]],
    ) -> None:
        self.table, self.reader, self.frame, self.long_rows = table, reader, frame, long_rows

    def cells(self, column: str) -> pl.Series:
        """A column's cells as written ("" where the header lacks it)."""
        if column not in self.table.columns:
            return pl.repeat("", self.frame.height, dtype=pl.String, eager=True)
        return self.frame[f"c{self.table.columns[column][0]}"]

    def read(self) -> FrameImport:
        reader, cells = self.reader, self.cells
        person, person_ok = _person(self.frame[f"c{reader.key_index}"], reader)
        if "course_id" in self.table.columns:  # an id, or where it is blank the name
            both = self.frame.select(cells("course_id").alias("id"), cells("course").alias("name"))
            course, course_ok = _each_row(
                both,
                lambda i, n: _known(reader.course_named(i) or reader.course_named(n)),
                pl.String,
            )
        else:
            course, course_ok = _each(cells("course"), lambda t: _known(reader.course_named(t)),
                                      pl.String)  # fmt: skip
        status, status_ok = _each(cells("status"), lambda t: Status.parse(t.strip()).value, pl.Int8)
        enrolled, enrolled_ok = _times(cells("enrolled"), required=True)
        completed, completed_ok = _times(cells("completed"), required=False)
        progress, progress_ok = _each(cells("progress"), _number, pl.Float64)
        certificate, certificate_ok = _each(cells("certificate"), _certified, pl.Boolean)
        duration, duration_ok = _each(cells("duration"), _duration, pl.Int64)
        unit, spelling, spellings = self._units()
        parsed = pl.DataFrame(
            {
                "row": self.frame["row"],
                "person": person,
                "course": course,
                "status": status,
                "progress": progress,
                "enrolled_at": enrolled,
                "completed_at": completed,
                "certificate": certificate,
                "duration": duration,
                "unit": unit,
                "spelling": spelling,
                "parsed": functools.reduce(
                    operator.and_,
                    (
                        person_ok,
                        course_ok,
                        status_ok,
                        enrolled_ok,
                        completed_ok,
                        progress_ok,
                        certificate_ok,
                        duration_ok,
                    ),
                ),
            }
        ).with_columns(
            # A blank progress is that of the status: 100 completed, else 0.
            pl.col("progress").fill_null(pl.when(pl.col("status") == 2).then(100.0).otherwise(0.0))
        )
        parsed = parsed.with_columns(
            good=(
                pl.col("parsed") & _consistent() & ~pl.col("row").is_in(list(self.long_rows))
            ).fill_null(value=False)
        )
        result = FrameImport(
            self.table.file,
            records=parsed.filter("good").select(*_RECORD_SCHEMA),
            places=None,
            tree=OrgTree([]),
            rows=self.frame.height,
            findings=list(self.table.findings),
        )
        result.findings += reader.renormalised_finding()
        result.findings += implausible_finding(_implausible(result.records), self.table.file)
        self._reject(parsed.filter(~pl.col("good"))["row"], result)
        result.used = result.records.select("person", "course").n_unique()
        result.duplicates = result.records.height - result.used
        self._place(parsed.filter("good"), spellings, result)
        return result

    def _units(self) -> tuple[pl.Series, pl.Series, list[tuple[str, ...]]]:
        """Each row's unit (null if it names none), and which of the distinct spellings of
        units (the names in Ministry, Department, Organization, else MDO_Name) it has:
        each spelling read once, its unit and names kept for the tree."""
        columns = ("ministry", "department", "organisation", "mdo")
        written = self.frame.select(*(self.cells(c).alias(c) for c in columns))
        distinct = written.unique().with_row_index("spelling")
        named = [unit_named((m, d, o), mdo) for _, m, d, o, mdo in distinct.iter_rows()]
        distinct = distinct.with_columns(
            pl.Series("unit", [unit for unit, _names in named], dtype=pl.String)
        )
        found = written.join(distinct, on=list(columns), how="left", maintain_order="left")
        return found["unit"], found["spelling"], [names for _unit, names in named]

    def _reject(self, rows: pl.Series, result: FrameImport) -> None:
        """Each wrong row's every problem, as the reference reader's careful path finds
        them: given the row's cells, that reader rejects it with its own words."""
        # Only the rows the reference reader would list are diagnosed; the rest are counted.
        wanted = self.frame.filter(pl.col("row").is_in(rows.implode())).head(REJECTIONS_KEPT)
        scratch = self.reader.result
        for values in wanted.iter_rows(named=True):
            row = values["row"]
            # The columns not read are blank here: the careful path does not read them.
            written = [values.get(f"c{i}", "") for i in range(self.table.width)]
            self.reader.diagnose(row, self.long_rows.get(row) or written)
        if scratch.used or scratch.duplicates:  # a row this reader refused, that one took
            raise AssertionError(
                f"the frame reader refused a row the reference reader takes: {scratch.ledger}"
            )
        result.rejected, result.rejected_rows = scratch.rejected, len(rows)

    def _place(
        self, good: pl.DataFrame, spellings: list[tuple[str, ...]], result: FrameImport
    ) -> None:
        """Each person in the unit of their latest enrolment (the greatest unit, if two are
        that late); a finding for each person in several units; the tree the names spell."""
        placed = good.filter(pl.col("unit").is_not_null())
        latest = pl.col("enrolled_at") == pl.col("enrolled_at").max()
        per_person = placed.group_by("person").agg(
            pl.col("unit").filter(latest).max(),
            pl.col("unit").unique().alias("units"),
        )
        result.places = per_person.select("person", pl.col("unit").alias("place")).sort("person")
        several = per_person.filter(pl.col("units").list.len() > 1).sort("person")
        for person, unit, units in several.iter_rows():
            result.findings.append(
                Finding(
                    "person-in-several-units",
                    f"{person} appears in {len(units)} units ({', '.join(sorted(units))}); "
                    f"placed in {unit}, the unit of their latest enrolment",
                    Location(file=self.table.file),
                )
            )
        paths = {spellings[i] for i in placed["spelling"].unique()}
        result.tree = OrgTree.from_paths(sorted(paths))


def _implausible(records: pl.DataFrame) -> int:
    """The enrolments whose joined dates (the first enrolment and completion) lie outside
    :func:`plausible_dates`, counted as the reference reader counts its ledger's. Only
    the enrolments with some row outside are joined: in a sound file, none."""
    first, last = plausible_dates()

    def outside() -> pl.Expr:
        expr = pl.lit(value=False)
        for column in ("enrolled_at", "completed_at"):
            day = pl.col(column).dt.date()
            expr = expr | (day < first).fill_null(value=False) | (day > last).fill_null(value=False)
        return expr

    suspects = records.filter(outside()).select("person", "course").unique()
    if suspects.is_empty():
        return 0
    joined = (
        records.join(suspects, on=["person", "course"], how="semi")
        .group_by("person", "course")
        .agg(pl.col("enrolled_at").min(), pl.col("completed_at").min())
    )
    return joined.filter(outside()).height


def _consistent() -> pl.Expr:
    """:meth:`karmayogi.Enrolment.inconsistency` finds nothing (people and courses are
    not blank by now)."""
    status, progress = pl.col("status"), pl.col("progress")
    done = status == Status.COMPLETED.value
    return (
        (progress >= 0)
        & (progress <= 100)
        & ~progress.is_nan()
        & (pl.col("duration").is_null() | (pl.col("duration") >= 0))
        & (done == pl.col("completed_at").is_not_null())
        & (~done | (progress == 100))
        & ((status != Status.NOT_STARTED.value) | (progress == 0))
        & (~pl.col("certificate") | done)
    )


# --- Each distinct cell once, by the reference reader's rules ---------------------------------


def _each(cells: pl.Series, parse: Callable[[str], Any], dtype: Any) -> tuple[pl.Series, pl.Series]:
    """Each distinct cell parsed once in Python: the values (null where the parse failed),
    and whether each cell parsed."""
    distinct = cells.unique()
    values, refused = _parsed(distinct.to_list(), parse)
    mapped = cells.replace_strict(distinct, pl.Series(values, dtype=dtype), return_dtype=dtype)
    return mapped.cast(dtype), ~cells.is_in(pl.Series(refused, dtype=pl.String).implode())


def _each_row(
    frame: pl.DataFrame, parse: Callable[..., Any], dtype: Any
) -> tuple[pl.Series, pl.Series]:
    """As :func:`_each`, for cells read together (a key of several columns)."""
    distinct = frame.unique()
    values, refused = _parsed(list(distinct.iter_rows()), lambda row: parse(*row))
    refusals = set(map(tuple, refused))
    table = distinct.with_columns(
        pl.Series("value", values, dtype=dtype),
        pl.Series("ok", [r not in refusals for r in distinct.iter_rows()], dtype=pl.Boolean),
    )
    joined = frame.join(table, on=frame.columns, how="left",
                        maintain_order="left")  # fmt: skip
    return joined["value"], joined["ok"]


def _parsed(values: Sequence[Any], parse: Callable[[Any], Any]) -> tuple[list[Any], list[Any]]:
    results, refused = [], []
    for value in values:
        try:
            results.append(parse(value))
        except ValueError:
            results.append(None)
            refused.append(value)
    return results, refused


def _times(cells: pl.Series, *, required: bool) -> tuple[pl.Series, pl.Series]:
    """A column of times as India's wall clock: the platform's form parsed by polars, any
    other text by the reference reader's parser."""
    times = cells.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    plain = cells.str.contains(_PLAIN_TIME) & times.is_not_null()
    return _or_each(cells, plain, times, lambda t: _india(t, required=required))


def _person(cells: pl.Series, reader: ConsumptionRows) -> tuple[pl.Series, pl.Series]:
    """People's keys: printable ASCII without spaces as written (emails in lower case),
    any other cell as the reference reader reads it."""
    plain = cells.str.contains(r"^[!-~]+$")
    keys = cells.str.to_lowercase() if reader.email else cells
    return _or_each(cells, plain, keys, lambda t: _known(reader.learner_named(t)))


def _or_each(
    cells: pl.Series, plain: pl.Series, values: pl.Series, parse: Callable[[str], Any]
) -> tuple[pl.Series, pl.Series]:
    """``values`` where a cell is ``plain``; elsewhere each distinct cell parsed once in
    Python. The values, and whether each cell parsed."""
    values = pl.select(pl.when(plain).then(values)).to_series()
    ok = pl.repeat(value=True, n=cells.len(), eager=True)
    if not plain.all():
        where = (~plain).arg_true()
        parsed, parsed_ok = _each(cells.gather(where), parse, values.dtype)
        values, ok = values.scatter(where, parsed), ok.scatter(where, parsed_ok)
    return values, ok


def _india(text: str, *, required: bool) -> dt.datetime | None:
    text = text.strip()
    if not text:
        if required:
            raise ValueError("a time is required")
        return None
    return parse_time(text).replace(tzinfo=None)


def _known(value: Any) -> Any:
    """A person or course the reference reader knows (it gives None for a blank one)."""
    if value is None:
        raise ValueError("blank")
    return value.person if hasattr(value, "person") else value


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _certified(text: str) -> bool:
    try:
        return CERTIFIED[text.strip().casefold()]
    except KeyError:
        raise ValueError(text) from None


def _duration(text: str) -> int | None:
    text = text.strip()
    return duration_seconds(text) if text else None


# --- Into the user's library -------------------------------------------------------------------


def _from_reference(report: Import, backend: Backend) -> FrameImport:
    """The reference reader's import as frames (a joined entry for each person's records on
    a course)."""
    rows = [
        (e.person, e.course, e.status.value, e.progress, _wall(e.enrolled_at),
         _wall(e.completed_at), bool(e.certificates), e.duration)
        for e in report.ledger
    ]  # fmt: skip
    records = pl.DataFrame(rows, schema=_RECORD_SCHEMA, orient="row")
    places = pl.DataFrame(
        sorted(report.places.items()), schema={"person": pl.String, "place": pl.String},
        orient="row",
    )  # fmt: skip
    result = FrameImport(
        report.file,
        records=records,
        places=places,
        tree=report.tree,
        rows=report.rows,
        used=report.used,
        duplicates=report.duplicates,
        rejected=report.rejected,
        findings=report.findings,
        rejected_rows=report.rejected_rows,
    )
    return _converted(result, backend)


def _wall(when: dt.datetime | None) -> dt.datetime | None:
    return when.astimezone(IST).replace(tzinfo=None) if when is not None else None


def _converted(result: FrameImport, backend: Backend) -> FrameImport:
    if backend == "polars":
        return result
    import narwhals as nw  # only for another library than polars

    def into(frame: pl.DataFrame) -> Any:
        return nw.from_arrow(frame, backend=backend).to_native()

    return attrs.evolve(result, records=into(result.records), places=into(result.places))
