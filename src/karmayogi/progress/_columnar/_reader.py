"""The platform's enrolment export read into a polars frame: the same parsing, identity
rule and row accounting as :func:`karmayogi.read_consumption_report`.

The file is read once, as one lazy query that polars's streaming engine runs in bounded
chunks, and only the columns used. Cells in the forms the platform writes (its
``yyyy-MM-dd HH:mm:ss``, seconds or ``HH:MM:SS``, its words for a status and a yes or
no, looked up as written) are parsed by polars expressions, exactly as the reference
reader parses them; a row with a cell in any other form is read by the reference
reader's careful path, and so are the first wrong rows, so that a rejection says what
the reference reader says. Each line is also looked at whole: a row longer than the
header, a field that may be over the limit or a blank record sends the file to a reading
of every column. A file polars cannot split as that reader does (bytes that are not
UTF-8, lines ending in a bare carriage return, unbalanced quotes) is read by the
reference reader itself."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

import attrs
import polars as pl

from karmayogi._csv import Source, Table, opened, stream_records
from karmayogi._deprecation import deprecated
from karmayogi._durations import LONGEST_SECONDS
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
    unit_named,
)
from karmayogi.progress._readers import read_consumption_report
from karmayogi.progress._records import STATUS_WORDS, Ledger, Status

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


def read_consumption_frame(
    source: Source,
    *,
    person_key: str = "Email",
    catalogue: CourseNames | None = None,
    backend: Backend = "polars",
    limits: Limits = DEFAULT_LIMITS,
    joined: bool = False,
) -> FrameImport:
    """The platform's enrolment export, ``ConsumptionReport.csv``, read into frames of
    ``backend`` (polars, pandas or pyarrow): the records, for
    :func:`rollup_frame`, and each person's unit. It means what
    :func:`karmayogi.read_consumption_report` means, row for row: the same values, people
    known by the same key, each placed in the unit of their latest enrolment, and every
    row accounted for (used, merged as a duplicate, or rejected with its row and reasons).

    The file is read once, as one query that polars runs in bounded chunks (only the
    columns used are kept). With ``joined``, the records come joined as the ledger joins
    them, one row per person and course (in no particular order), so that what is kept
    is the size of the ledger, not of the file, as a national export needs.

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
    reader = ConsumptionRows(table, Import(file), key_column, catalogue)
    result = _Plan(table, reader, data, limits).read(joined=joined)
    if result is None:  # not split as the reference reader splits it: let that reader read it
        reference = read_consumption_report(
            source if path is not None else io.StringIO(text or ""),
            person_key=person_key,
            catalogue=catalogue,
            limits=limits,
        )
        return _from_reference(reference, backend)
    return _converted(result, backend)


def _header(handle: TextIO, file: str | None, limits: Limits) -> list[str] | None:
    first = next(stream_records(handle, file, limits), None)
    return first[1] if first else None


# --- The file's shape ------------------------------------------------------------------------


@attrs.frozen
class _Shape:
    """What a look at a file's bytes tells before polars reads it (a few finds a block)."""

    quotes: bool
    """A double quote somewhere: a quoted field may span lines."""
    returns: bool
    """A carriage return somewhere (a bare one ends a line for Python, not for polars)."""
    nul: bool
    """A NUL byte somewhere (lines are read whole split at NUL)."""
    ends_in_a_comma: bool
    """The last line, without a line end, ends in a comma: Python's csv reads one more
    (empty) cell there than polars does."""

    @classmethod
    def of(cls, data: str | bytes) -> _Shape:
        block = bytearray(1 << 22)
        quotes = returns = nul = False
        last = b""
        with _binary(data) as handle:
            while size := handle.readinto(block):  # type: ignore[attr-defined]
                quotes = quotes or block.find(b'"', 0, size) >= 0
                returns = returns or block.find(b"\r", 0, size) >= 0
                nul = nul or block.find(b"\0", 0, size) >= 0
                last = bytes(block[size - 1 : size])
        return cls(quotes, returns, nul, last == b",")

    def splits_alike(self, data: str | bytes, records: int) -> bool:
        """Whether :func:`stream_records` finds as many records as polars did: surely so
        with one record a line and no bare carriage return (polars keeps blank lines)."""
        if not self.quotes and not self.returns:
            return True
        return _splits_alike(data, records)


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


# --- One query ---------------------------------------------------------------------------------

_QUOTED_FIELD = r'"(?:[^"]|"")*"'
_WHOLE_LINE = r'^(?:"(?:[^"]|"")*"|[^",]*)(?:,(?:"(?:[^"]|"")*"|[^",]*))*$'
"""A line that is a whole record: fields unquoted (no quote, no comma) or quoted (a
quote in them doubled), as Python's csv and polars both read them alike."""

_UNITS = ("ministry", "department", "organisation", "mdo")
"""The columns that name a row's unit (:func:`unit_named`)."""


@attrs.frozen
class _Found:
    """What the query gathered: the counts, the first wrong rows with their cells, the
    records (or entries), and each person's latest enrolment in each spelling of a unit."""

    counts: dict[str, Any]
    wrong: pl.DataFrame
    """The first rows refused for sure, with their cells."""
    odd: pl.DataFrame
    """Every row with a cell in a form only the reference reader reads, with its cells."""
    records: pl.DataFrame
    latest: pl.DataFrame
    first_long: tuple[int, int] | None
    """The first row with a field over the limit, and its longest field's characters."""
    rows: pl.LazyFrame
    """The rows that are not blank, should the limit on rows be passed (read again)."""
    long_rows: dict[int, list[str]]
    """The cells of each row longer than the header."""


class _Plan:
    """One export read as one lazy polars query, run once by the streaming engine: the
    cells of the columns used, parsed (:class:`_Fields`), checked, and gathered; then the
    odd and the first wrong rows read by the reference reader's careful path."""

    def __init__(
        self, table: Table, reader: ConsumptionRows, data: str | bytes, limits: Limits
    ) -> None:
        self.table, self.reader, self.data, self.limits = table, reader, data, limits
        self.used = sorted({i for i, _title in table.columns.values()})
        self.fields = _Fields(table, reader)
        self.quoted = True  # until a look at the bytes finds no quote

    def read(self, *, joined: bool) -> FrameImport | None:
        """The import, or None where polars cannot read the file as the reference reader
        does (bytes that are not UTF-8, a bare carriage return, quotes amiss)."""
        shape = _Shape.of(self.data)
        if shape.ends_in_a_comma:
            return None
        self.quoted = shape.quotes
        # The columns used are read, and each line is looked at whole for what could make
        # its row other than it seems there (a quoted field over lines or quotes amiss,
        # more fields than the header, a long field, a blank record): if any could, every
        # column is, and the records are counted as Python's csv counts them.
        limit = self.limits.field_size
        try:
            lines = None if shape.nul else self._lines()
            whole = bool(lines and lines["whole"])  # each line a record, quoted as csv quotes
            every = (
                lines is None
                or not whole
                or (lines["widest"] or 0) > self.table.width
                or (limit is not None and (lines["longest"] or 0) > limit)
            )
            found = self._attempt(joined=joined, every=every)
            if found.counts["blank"] and not every:  # blank where read: blank in every column?
                found = self._attempt(joined=joined, every=True)
        except (pl.exceptions.PolarsError, ValidationError):
            return None  # bytes that are not UTF-8, quotes amiss: the reference reader says where
        if not (whole and not shape.returns) and not shape.splits_alike(
            self.data, found.counts["records"]
        ):
            return None
        self._hold_to(found)
        return self._imported(found, joined=joined)

    def _lines(self) -> dict[str, Any]:
        """Each line looked at whole, in a pass of its own (a second source in the
        query's graph can stall polars's streaming engine): the most fields of a line
        (``widest``), its bytes (``longest``), and (where there are quotes) whether each
        line is a record of its own (``whole``), so that its fields and bytes are the
        record's."""
        lines = pl.scan_csv(
            self.data if isinstance(self.data, str) else io.BytesIO(self.data),
            has_header=False,
            separator="\0",
            quote_char=None,
            schema={"line": pl.String},
            truncate_ragged_lines=True,
            encoding="utf8",
        )
        if self.quoted:
            # Each line a whole record of well-quoted fields, as Python's csv reads it;
            # its fields counted with the quoted ones' commas left out.
            line = pl.col("line").fill_null("")
            fields = line.str.replace_all(_QUOTED_FIELD, "")
            whole = line.str.contains(_WHOLE_LINE).all()
        else:
            fields, whole = pl.col("line"), pl.lit(value=True)
        lines = lines.select(
            (fields.str.count_matches(",", literal=True).max() + 1).alias("widest"),
            pl.col("line").str.len_bytes().max().alias("longest"),
            whole.alias("whole"),
        )
        return lines.collect(engine="streaming").row(0, named=True)

    def _attempt(self, *, joined: bool, every: bool) -> _Found:
        try:
            return self._run(joined=joined, every=every, long_rows=None)
        except pl.exceptions.ComputeError as error:
            if "more fields" not in str(error):
                raise
        # Rows longer than the header are rejected: their cells are found in Python.
        long_rows = {row: cells for row, cells in _records(self.data)
                     if len(cells) > self.table.width}  # fmt: skip
        return self._run(joined=joined, every=every, long_rows=long_rows)

    # -- the query

    def _run(self, *, joined: bool, every: bool, long_rows: dict[int, list[str]] | None) -> _Found:
        width, limits, used = self.table.width, self.limits, self.used
        scanned = pl.scan_csv(
            self.data if isinstance(self.data, str) else io.BytesIO(self.data),
            has_header=False,  # the header is a record too: it fixes the width
            schema={f"c{i}": pl.String for i in range(width)},
            infer_schema=False,
            truncate_ragged_lines=long_rows is not None,
            encoding="utf8",
        )
        watched = range(width) if every else used
        # Records are numbered as the reference reader numbers them: the header is 1, and
        # a blank record or one over several lines counts once.
        body = (
            scanned.with_row_index("row", offset=1)
            .select(
                pl.col("row").cast(pl.Int64),
                *(pl.col(f"c{i}").fill_null("") for i in used),
                pl.max_horizontal(pl.col(f"c{i}").str.len_chars() for i in watched)
                .fill_null(0)
                .alias("longest"),
                _blank(i for i in watched if i not in used).alias("others_blank"),
            )
            .filter(pl.col("row") > 1)
        )
        read = self.fields.read()
        checked = (
            body.with_columns(
                **{n: e for field in read.values() for n, e in field.parts.items()}
            ).with_columns(
                **{name: field.value for name, field in read.items()},
                exact=pl.all_horizontal(field.exact for field in read.values()),
                ok=pl.all_horizontal(field.ok for field in read.values()),
            )
        ).with_columns(
            # A blank progress is that of the status: 100 completed, else 0.
            pl.col("progress").fill_null(
                pl.when(pl.col("status") == Status.COMPLETED.value).then(100.0).otherwise(0.0)
            )
        )
        good = pl.col("exact") & pl.col("ok") & _consistent()
        if long_rows:
            good &= ~pl.col("row").is_in(list(long_rows))
        # One stream for every output below (polars would otherwise compute it for each).
        checked = checked.with_columns(good.fill_null(value=False).alias("good")).cache()
        # A good row has a person, so it is not blank: blank records are looked for among
        # the rest (a few), which polars reads as the reference reader would (exact) or not.
        is_blank = _blank(used) & pl.col("others_blank")
        rest = checked.filter(~pl.col("good")).with_columns(is_blank.alias("blank"))
        blank, exact = pl.col("blank"), pl.col("exact")
        over = pl.lit(value=False)
        if limits.field_size is not None:
            over = pl.col("longest") > limits.field_size
        counts = pl.concat(
            [
                checked.select((pl.len() + 1).alias("records"), pl.col("good").sum()),
                rest.select(blank.sum().alias("blank"), (exact & ~blank).sum().alias("wrong")),
            ],
            how="horizontal",
        )
        written = ["row", *(f"c{i}" for i in used)]
        kept = checked.filter("good")
        records = kept.select(*_RECORD_SCHEMA)
        if joined:
            records = _joined(records)
        latest = kept.group_by("person", *(self.fields.cell(c).alias(c) for c in _UNITS)).agg(
            pl.col("enrolled_at").max()
        )
        counted, wrong, odd, made, places, long = pl.collect_all(
            [
                counts,
                # Wrong rows are refused for sure: the reference reader gives the first
                # ones' reasons. Odd rows have a cell in a form only it reads: it reads all.
                rest.filter(exact & ~blank).select(written).bottom_k(REJECTIONS_KEPT, by="row"),
                rest.filter(~exact & ~blank).select(written),
                records,
                latest,
                checked.filter(over)
                .filter(~is_blank)
                .select("row", "longest")
                .bottom_k(1, by="row"),
            ],
            engine="streaming",
        )
        counts_made = counted.row(0, named=True)
        counts_made["rows"] = counts_made["records"] - 1 - counts_made["blank"]
        return _Found(
            counts=counts_made,
            wrong=wrong,
            odd=odd,
            records=made,
            latest=places,
            first_long=long.rows()[0] if long.height else None,
            rows=checked.filter(pl.col("good") | ~is_blank).select("row"),
            long_rows=long_rows or {},
        )

    # -- into the import

    def _hold_to(self, found: _Found) -> None:
        """Refuse the records as :func:`stream_records` would: at the first row with a
        field over the limit or past the limit on rows, whichever comes first."""
        limits, file = self.limits, self.table.file
        rows = None
        if limits.rows is not None and found.counts["rows"] > limits.rows:
            rows = found.rows.slice(limits.rows, 1).collect(engine="streaming").item()
        if limits.field_size is not None:
            longest = dict([found.first_long] if found.first_long else [])
            for row, cells in found.long_rows.items():  # cells past the header's: not read
                longest[row] = max(longest.get(row, 0), *map(len, cells))
            first = min((r for r, n in longest.items() if n > limits.field_size), default=None)
            if first is not None and (rows is None or first <= rows):
                where = Location(file=file, row=first)
                got = f"{longest[first]:,} characters"
                raise LimitExceeded("field_size", limits.field_size, where, got)
        if rows is not None and limits.rows is not None:
            raise LimitExceeded("rows", limits.rows, Location(file=file, row=rows), "more")

    def _imported(self, found: _Found, *, joined: bool) -> FrameImport:
        table, counts, reader = self.table, found.counts, self.reader
        self._diagnose(found)
        taken = reader.result  # the odd rows the reference reader took, and those it refused
        records = found.records
        if len(taken.ledger):
            records = pl.concat([records, _entries_frame(taken.ledger)])
            records = _joined(records) if joined else records
        result = FrameImport(
            table.file,
            records=records,
            places=None,
            tree=OrgTree([]),
            rows=counts["rows"],
            findings=list(table.findings),
            rejected=taken.rejected,
            # The wrong rows past those diagnosed are counted, not listed.
            rejected_rows=taken.rejected_rows + counts["wrong"] - found.wrong.height,
        )
        result.findings += reader.renormalised_finding()
        result.findings += implausible_finding(_implausible(records), table.file)
        result.used = records.height if joined else records.select("person", "course").n_unique()
        result.duplicates = counts["good"] + taken.used + taken.duplicates - result.used
        self._place(found.latest, result)
        return result

    def _diagnose(self, found: _Found) -> None:
        """The odd rows, and the first wrong ones, read by the reference reader's careful
        path in the order of the file: it takes a row, or refuses it with its own words."""
        taken, width = self.reader.result, self.table.width
        sure = set(found.wrong["row"].to_list())
        for values in pl.concat([found.wrong, found.odd]).sort("row").iter_rows(named=True):
            row, before = values["row"], taken.used + taken.duplicates
            # The columns not read are blank here: the careful path does not read them.
            written = [values.get(f"c{i}", "") for i in range(width)]
            self.reader.diagnose(row, found.long_rows.get(row) or written)
            if row in sure and taken.used + taken.duplicates > before:
                raise AssertionError(
                    f"the frame reader refused row {row}, which the reference reader takes"
                )

    def _place(self, latest: pl.DataFrame, result: FrameImport) -> None:
        """Each person in the unit of their latest enrolment (the greatest unit, if two are
        that late); a finding for each person in several units; the tree the names spell."""
        spellings = latest.select(*_UNITS).unique()
        named = [unit_named((m, d, o), mdo) for m, d, o, mdo in spellings.iter_rows()]
        units = spellings.with_columns(
            pl.Series("unit", [unit for unit, _names in named], dtype=pl.String)
        )
        placed = latest.join(units, on=list(_UNITS)).select("person", "unit", "enrolled_at")
        # The odd rows the reference reader took, placed by it: each person's latest unit
        # at its time, their other units before any.
        reader = self.reader
        odd = [(p.person, p.unit, _wall(p.at)) for p in reader.by_person.values() if p.unit]
        odd += [(p, unit, _FIRST) for p, units in reader.other_units.items()
                for unit in units]  # fmt: skip
        placed = (
            pl.concat([placed, pl.DataFrame(odd, schema=placed.schema, orient="row")])
            .filter(pl.col("unit").is_not_null())
            .group_by("person", "unit")
            .agg(pl.col("enrolled_at").max())
        )
        per_person = placed.group_by("person").agg(
            pl.col("unit").sort_by("enrolled_at", "unit").last(),
            pl.col("unit").alias("units"),
        )
        result.places = per_person.select("person", pl.col("unit").alias("place")).sort("person")
        several = per_person.filter(pl.col("units").list.len() > 1).sort("person")
        for person, unit, units_of in several.iter_rows():
            result.findings.append(
                Finding(
                    "person-in-several-units",
                    f"{person} appears in {len(units_of)} units "
                    f"({', '.join(sorted(units_of))}); "
                    f"placed in {unit}, the unit of their latest enrolment",
                    Location(file=self.table.file),
                )
            )
        paths = {names for unit, names in named if unit} | reader.paths
        result.tree = OrgTree.from_paths(sorted(paths))


_TIME = pl.Datetime("us")
_FIRST = dt.datetime(1, 1, 1)  # noqa: DTZ001 - before any wall-clock time of India
_FORM = "%Y-%m-%d %H:%M:%S"


def _blank(columns: Iterable[int]) -> pl.Expr:
    """Whether every cell is one that Python's ``str.strip`` empties."""
    cells = [pl.col(f"c{i}").str.strip_chars(_SPACE).str.len_bytes().fill_null(0) == 0
             for i in columns]  # fmt: skip
    return pl.all_horizontal(cells) if cells else pl.lit(value=True)


_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character Python's ``str.strip`` takes away (a test holds the two equal)."""
_NUMBER = r"^[0-9]+(\.[0-9]+)?$"
_SECONDS = r"^[0-9]{1,12}$"
_HMS = r"^[0-9]{2}:[0-5][0-9]:[0-5][0-9]$"


@functools.cache
def _spellings(words: tuple[str, ...], parse: Callable[[str], Any]) -> dict[str, Any]:
    """The ways files write a few words (as written, in capitals, title case, with
    spaces or hyphens), each with its value by the reference reader's ``parse``."""
    forms = set()
    for word in words:
        for spaced in (word, word.replace("-", " "), word.replace(" ", "-")):
            forms |= {spaced, spaced.upper(), spaced.title(), spaced.capitalize()}
    return {form: parse(form) for form in sorted(forms)}


@attrs.frozen
class _Read:
    """A field read by polars, in two steps so that no part is computed twice: its
    ``parts`` (columns made from the cells), then from them its ``value``, whether polars
    read the cell as the reference reader would (``exact``: right or wrong, in a form both
    know), and whether it is right (``ok``, where exact)."""

    parts: dict[str, pl.Expr]
    value: pl.Expr
    exact: pl.Expr
    ok: pl.Expr


_TRUE = pl.lit(value=True)


class _Fields:
    """The record fields as polars expressions over the cells: exact on the forms the
    platform writes, and marked inexact on any other, which the reference reader reads.
    Words (a status, a yes or no) are looked up as written, a hash a cell."""

    def __init__(self, table: Table, reader: ConsumptionRows) -> None:
        self.table, self.reader = table, reader

    def cell(self, column: str) -> pl.Expr:
        """A column's cells as written ("" where the header lacks it)."""
        if column not in self.table.columns:
            return pl.lit("", pl.String)
        return pl.col(f"c{self.table.columns[column][0]}")

    def text(self, column: str) -> pl.Expr:
        """A cell as Python's ``str.strip`` leaves it."""
        return self.cell(column).str.strip_chars(_SPACE)

    def read(self) -> dict[str, _Read]:
        return {
            "person": self.person(),
            "course": self.course(),
            "status": self.word("status", (*map(str, Status), *STATUS_WORDS), _status, pl.Int8),
            "progress": self.progress(),
            "enrolled_at": self.time("enrolled_at", "enrolled", required=True),
            "completed_at": self.time("completed_at", "completed", required=False),
            "certificate": self.word("certificate", tuple(CERTIFIED), _certified, pl.Boolean),
            "duration": self.duration(),
        }

    def person(self) -> _Read:
        # Printable ASCII without spaces is a key as written (an email in lower case).
        column = "email" if self.reader.email else "person"
        cell = self.cell(column)
        key = cell.str.to_lowercase() if self.reader.email else cell
        plain = pl.col("_person_plain")
        parts = {"_person_plain": cell.str.contains(r"^[!-~]+$"), "_person_key": key,
                 "_person_blank": self.text(column) == ""}  # fmt: skip
        return _Read(parts, pl.col("_person_key"), plain | pl.col("_person_blank"), plain)

    def course(self) -> _Read:
        """A course's id, or where it is blank its name; by the catalogue's names, when
        a catalogue is given and the export has no ids."""
        reader = self.reader
        exact = _TRUE
        values = []
        for column in ("course_id", "course"):
            text = self.text(column)
            value: pl.Expr = pl.when(text != "").then(text)
            if column == "course" and reader.by_name:
                courses = reader.courses
                exact = text.str.contains(r"^[ -~]*$")  # name keys of ASCII, in polars
                value = _name_key(text).replace_strict(
                    list(courses), list(courses.values()), default=value
                )
            values.append(value)
        parts = {
            "_course": pl.coalesce(*values),
            "_course_exact": exact | (self.text("course_id") != ""),
        }
        course = pl.col("_course")
        return _Read(parts, course, pl.col("_course_exact"), course.is_not_null())

    def word(
        self, column: str, words: tuple[str, ...], parse: Callable[[str], Any], dtype: Any
    ) -> _Read:
        """A word, looked up as written among its usual spellings."""
        spellings = _spellings(words, parse)
        value = self.cell(column).replace_strict(
            list(spellings), list(spellings.values()), default=None, return_dtype=dtype
        )
        name = f"_{column}"
        return _Read({name: value}, pl.col(name), pl.col(name).is_not_null(), _TRUE)

    def progress(self) -> _Read:
        text = self.text("progress")
        parts = {
            "_progress": pl.when(text != "").then(text.cast(pl.Float64, strict=False)),
            "_progress_exact": (text == "") | text.str.contains(_NUMBER),
        }
        return _Read(parts, pl.col("_progress"), pl.col("_progress_exact"), _TRUE)

    def duration(self) -> _Read:
        """Seconds, or the platform's ``HH:MM:SS``."""
        text = self.text("duration")
        seconds, hms = text.str.contains(_SECONDS), text.str.contains(_HMS)
        part = [text.str.slice(at, 2).cast(pl.Int64, strict=False) for at in (0, 3, 6)]
        value = (
            pl.when(seconds)
            .then(text.cast(pl.Int64, strict=False))
            .when(hms)
            .then(part[0] * 3600 + part[1] * 60 + part[2])
        )
        parts = {"_duration": value, "_duration_exact": (text == "") | seconds | hms}
        ok = (pl.col("_duration") <= LONGEST_SECONDS).fill_null(value=True)
        return _Read(parts, pl.col("_duration"), pl.col("_duration_exact"), ok)

    def time(self, name: str, column: str, *, required: bool) -> _Read:
        """India's wall clock, in the platform's own form."""
        cell = self.cell(column)
        parts = {
            f"_{name}": cell.str.strptime(_TIME, _FORM, strict=False),
            f"_{name}_form": cell.str.contains(_PLAIN_TIME),
            f"_{name}_blank": self.text(column) == "",
        }
        value, blank = pl.col(f"_{name}"), pl.col(f"_{name}_blank")
        plain = pl.col(f"_{name}_form") & value.is_not_null()
        return _Read(parts, pl.when(plain).then(value), plain | blank,
                     plain | (blank & (not required)))  # fmt: skip


def _name_key(text: pl.Expr) -> pl.Expr:
    """:func:`karmayogi._names.name_key` of ASCII text."""
    return (
        text.str.replace_all("&", " and ", literal=True)
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]", "")
    )


def _joined(records: pl.LazyFrame | pl.DataFrame) -> Any:
    """Records joined per person and course, as the ledger joins them
    (:meth:`karmayogi.Enrolment.join`)."""
    return records.group_by("person", "course").agg(
        pl.col("status").max(),
        pl.col("progress").max(),
        pl.col("enrolled_at").min(),
        pl.col("completed_at").min(),
        pl.col("certificate").any(),
        pl.col("duration").max(),
    )


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


def _status(text: str) -> int:
    return Status.parse(text.strip()).value


def _certified(text: str) -> bool:
    try:
        return CERTIFIED[text.strip().casefold()]
    except KeyError:
        raise ValueError(text) from None


# --- Into the user's library -------------------------------------------------------------------


def _from_reference(report: Import, backend: Backend) -> FrameImport:
    """The reference reader's import as frames (a joined entry for each person's records on
    a course)."""
    records = _entries_frame(report.ledger)
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


def _entries_frame(ledger: Ledger) -> pl.DataFrame:
    """A ledger's entries as records."""
    rows = [
        (e.person, e.course, e.status.value, e.progress, _wall(e.enrolled_at),
         _wall(e.completed_at), bool(e.certificates), e.duration)
        for e in ledger
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=_RECORD_SCHEMA, orient="row")


def _wall(when: dt.datetime | None) -> dt.datetime | None:
    return when.astimezone(IST).replace(tzinfo=None) if when is not None else None


def _converted(result: FrameImport, backend: Backend) -> FrameImport:
    if backend == "polars":
        return result
    import narwhals as nw  # only for another library than polars

    def into(frame: pl.DataFrame) -> Any:
        return nw.from_arrow(frame, backend=backend).to_native()

    return attrs.evolve(result, records=into(result.records), places=into(result.places))
