"""The platform's enrolment export read on Spark: the parsing, identity rule and row
account of :func:`karmayogi.read_consumption_report`, in Spark's own functions.

The lines are read as text and numbered where they lie (each split of a file counted
first, so that a line's number is its split's offset in its file and its place in the
split); a record is split into cells as Python's csv splits it, and the cells of the
columns used are parsed by the same expressions as the frame reader's (:mod:`._reader`),
translated. The plan holds no Python function: what reaches the driver is the counts,
the first wrong rows (their reasons are the reference reader's words), the rows with a
cell in a form only the reference reader reads (the platform writes none), the
spellings of units and the people in several units, as the findings name them."""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlparse

import attrs
from pyspark import StorageLevel
from pyspark.sql import Window
from pyspark.sql import functions as F

from karmayogi._csv import Table, csv_error
from karmayogi._durations import LONGEST_SECONDS
from karmayogi._joins import CourseNames
from karmayogi.errors import Finding, LimitExceeded, Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree
from karmayogi.periods import plausible_dates
from karmayogi.progress._account import REJECTIONS_KEPT, Import
from karmayogi.progress._columnar._reader import (
    _FIRST,
    _HMS,
    _NUMBER,
    _PLAIN_TIME,
    _SECONDS,
    _SPACE,
    _UNITS,
    FrameImport,
    _certified,
    _spellings,
    _status,
    _wall,
)
from karmayogi.progress._consumption import (
    CERTIFIED,
    ConsumptionRows,
    consumption_table,
    implausible_finding,
    unit_named,
)
from karmayogi.progress._records import STATUS_WORDS, Status

__all__ = ["read_consumption_spark"]


def _java(pattern: str) -> str:
    """A pattern of the frame reader's for Java's regular expressions: its end anchored at
    the very end (Java's ``$`` also matches before a final line terminator)."""
    return pattern.removesuffix("$") + r"\z" if pattern.endswith("$") else pattern


_CELL = r'"(?:[^"]++|"")*+"|[^",\n]*+'
"""A field: quoted, with a quote in it doubled; or without quotes. (Python's csv reads a
quote inside a field not quoted as itself; such a file is refused here, for a record is
found by its quotes.) Possessive, so that Java's matcher does not recurse along a field."""
_FIELD = f",({_CELL})"
"""A field of a record with a comma put before it, the comma before it (so that no
match is empty: Java's matcher steps over the character after an empty match)."""
_WHOLE = f"^(?:{_CELL})(?:,(?:{_CELL}))*+\\z"
"""A record of such fields, as Python's strict csv reads it."""


def read_consumption_spark(
    spark: Any,
    path: str,
    *,
    person_key: str = "Email",
    catalogue: CourseNames | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> FrameImport:
    """:func:`karmayogi.columnar.read_consumption_spark`, which says what it gives."""
    lines = _Lines(spark, path, limits)
    header = lines.header()
    table, key_column = consumption_table(path, header, person_key, limits)
    reader = ConsumptionRows(table, Import(path), key_column, catalogue)
    cells = lines.cells(table.width, limits.field_size)
    checked = _Checked(cells, table, reader, limits)
    # Held while read (spilling to disk as it must), for the passes that follow the first;
    # the frames given are plans from the file, which hold nothing.
    checked.rows.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        return _read(spark, path, lines, table, reader, checked, limits)
    finally:
        checked.rows.unpersist()


def _read(  # noqa: PLR0917 - the reader's parts, passed on
    spark: Any,
    path: str,
    lines: _Lines,
    table: Table,
    reader: ConsumptionRows,
    checked: _Checked,
    limits: Limits,
) -> FrameImport:
    counts = checked.counts()
    if lines.records is not None and counts["records"] != lines.records:
        raise AssertionError(f"{lines.records} records in the file, {counts['records']} read")
    if counts["broken"]:
        raise lines.broken(*counts["broken"])
    _hold_to(checked, counts, limits, lines.names)
    wrong = checked.wrong().collect()
    odd = checked.odd().toLocalIterator() if counts["odd"] else iter(())
    _diagnose(reader, lines.names, wrong, odd)
    taken = reader.result
    records = checked.good_records()
    if len(taken.ledger):
        records = records.unionByName(_entries(spark, taken))
    joined = _joined(records)
    first, last = plausible_dates()
    outside = F.lit(False)
    for column in ("enrolled_at", "completed_at"):
        day = F.to_date(F.col(column))
        outside = outside | F.coalesce((day < F.lit(first)) | (day > F.lit(last)), F.lit(False))
    totals = joined.agg(F.count(F.lit(1)).alias("used"), F.sum(outside.cast("int"))).first()
    used, implausible = totals[0], totals[1] or 0
    result = FrameImport(
        path,
        records=joined,
        places=None,
        tree=OrgTree([]),
        rows=counts["rows"],
        used=used,
        duplicates=counts["good"] + taken.used + taken.duplicates - used,
        findings=[*table.findings, *reader.renormalised_finding()],
        rejected=taken.rejected,
        rejected_rows=taken.rejected_rows + counts["wrong"] - len(wrong),
    )
    result.findings += implausible_finding(implausible, path)
    _place(spark, checked, reader, result)
    return result


class _Lines:
    """An export's lines as Spark reads them, each numbered as the reference reader
    numbers its records (the header is 1)."""

    def __init__(self, spark: Any, path: str, limits: Limits) -> None:
        text = spark.read.option("lineSep", "\n").text(path)
        # A split's lines are together, in order: a line is numbered by its split's
        # offset in its file (its file's lines before it) and its place in the split.
        raw = text.select(
            F.col("_metadata.file_path").alias("file"),
            F.col("_metadata.file_block_start").alias("start"),
            F.col("_metadata.file_size").alias("size"),
            F.monotonically_increasing_id().alias("mid"),
            F.regexp_replace("value", "\r\\z", "").alias("line"),
        )
        quotes = _quotes(F.col("line"))
        splits = (
            raw.groupBy("file", "start")
            .agg(
                F.count(F.lit(1)).alias("lines"),
                F.min("mid").alias("first"),
                F.max("size").alias("size"),
                F.max(F.col("line").contains("\r").cast("int")).alias("returns"),
                F.max(F.col("line").contains("\ufffd").cast("int")).alias("replaced"),
                F.max((quotes % 2 == 1).cast("int")).alias("odd_quotes"),
            )
            .orderBy("file", "start")
            .collect()
        )
        files = sorted({split["file"] for split in splits})
        # Each file as the messages name it: the path given, or each of a directory's.
        self.names = {f: path if len(files) == 1 else _shown(f) for f in files}
        offsets, at, previous = [], 1, None
        for split in splits:
            if split["file"] != previous:
                at, previous = 1, split["file"]
                if limits.file_size is not None and split["size"] > limits.file_size:
                    where = Location(file=self.names[previous])
                    got = f"{split['size']:,} bytes"
                    raise LimitExceeded("file_size", limits.file_size, where, got)
            offsets.append((split["file"], split["start"], at - split["first"]))
            at += split["lines"]
        based = raw.join(
            F.broadcast(_local(spark, offsets, "file string, start bigint, base bigint")),
            on=["file", "start"],
        )
        numbered = based.select("file", (F.col("base") + F.col("mid")).alias("row"), "line")
        line = F.col("line")
        if any(split["replaced"] for split in splits):
            # Spark reads bytes that are not UTF-8 as U+FFFD, silently (and so a file that
            # holds U+FFFD itself is refused with them).
            self._refuse(
                numbered.filter(line.contains("\ufffd")),
                "is not UTF-8 text (or holds U+FFFD, which stands for bytes that are not)",
                "UTF-8 text", "U+FFFD", "encoding",
            )  # fmt: skip
        if any(split["returns"] for split in splits):
            self._refuse(
                numbered.filter(line.contains("\r")),
                "has a carriage return inside a line (a line end for Python's csv)",
                "lines ending in \\n or \\r\\n", "a carriage return alone", "malformed",
            )  # fmt: skip
        # A quoted field over several lines: its lines joined into a record, numbered as
        # Python's csv numbers records (a file's in one task: such files are rare).
        stitched = any(split["odd_quotes"] for split in splits)
        self.numbered = self._stitched(numbered) if stitched else numbered
        # What the records must come to, one a line after each file's header: a check
        # that the join with the splits' offsets lost no line.
        self.records = None if stitched else sum(s["lines"] for s in splits) - len(files)

    def _first(self, rows: Any) -> tuple[str, int]:
        """The file and row of the first of ``rows``."""
        first = rows.agg(F.min(F.struct("file", "row"))).first()[0]
        return self.names[first["file"]], first["row"]

    def _refuse(self, lines: Any, message: str, expected: str, got: str, code: str) -> None:
        """Refuse the export at the first of ``lines``, saying why."""
        file, row = self._first(lines)
        where = Location(file=file, row=row)
        raise ValidationError([Problem(message, where, expected=expected, got=got, code=code)])

    def _stitched(self, numbered: Any) -> Any:
        quotes = _quotes(F.col("line"))
        ordered = Window.partitionBy("file").orderBy("row")
        before = F.sum(quotes).over(ordered.rowsBetween(Window.unboundedPreceding, -1))
        opens = numbered.withColumn("inside", F.coalesce(before, F.lit(0)) % 2 == 1)
        start = F.last(F.when(~F.col("inside"), F.col("row")), ignorenulls=True).over(
            ordered.rowsBetween(Window.unboundedPreceding, 0)
        )
        records = (
            opens.withColumn("start", start)
            .groupBy("file", "start")
            .agg(F.sort_array(F.collect_list(F.struct("row", "line"))).alias("parts"))
            .select("file", "start", F.array_join(F.col("parts.line"), "\n").alias("line"))
        )
        record = F.row_number().over(Window.partitionBy("file").orderBy("start"))
        return records.select("file", record.cast("long").alias("row"), "line")

    def broken(self, file: str, row: int) -> ValidationError:
        """The error Python's csv gives for a record whose quotes are amiss; or, for one it
        reads (a quote inside a field not quoted), why it is not read here."""
        record = (
            self.numbered.filter((F.col("file") == file) & (F.col("row") == row))
            .select("line")
            .first()[0]
        )
        name = self.names[file]
        try:
            list(csv.reader(io.StringIO(record + "\n", newline=""), strict=True))
        except csv.Error as error:
            return csv_error(error, name, row)
        where = Location(file=name, row=row)
        return ValidationError(
            [
                Problem(
                    "has a quote inside a field that is not quoted, which the Spark reader "
                    "does not read (karmayogi.read_consumption_report does)",
                    where,
                    expected='a field with a quote in it quoted, the quote doubled ("")',
                    got=record[:80],
                    code="malformed",
                )
            ]
        )

    def header(self) -> list[str] | None:
        """The header the files share; every file whose header is another is refused."""
        firsts = self.numbered.filter(F.col("row") == 1).select("file", "line").collect()
        headers = {
            file: next(csv.reader([line.removeprefix("\ufeff")]), [])
            for file, line in sorted(firsts)
        }
        if not headers:
            return None
        first, *others = headers.items()
        problems = [
            Problem(
                "has another header than the directory's first file",
                Location(file=self.names[file], row=1),
                expected=",".join(first[1]),
                got=",".join(header),
                code="malformed",
            )
            for file, header in others
            if header != first[1]
        ]
        if problems:
            raise ValidationError(problems)
        return first[1]

    def cells(self, width: int, limit: int | None) -> Any:
        """The records after the header: the cells ``c0`` ... (blank where a row is
        short), how many cells (``n``) and all of them (``fields``), whether the line is a
        whole record, and its longest cell where it may be over ``limit``."""
        line = F.col("line")

        def unquoted(field: Any) -> Any:
            inner = F.replace(F.substring(field, 2, F.length(field) - 2), F.lit('""'), F.lit('"'))
            return F.when(field.startswith('"'), inner).otherwise(field)

        quoted = F.regexp_extract_all(F.concat(F.lit(","), line), F.lit(_FIELD), 1)
        fields = F.when(~line.contains('"'), F.split(line, ",", -1)).otherwise(
            F.transform(quoted, unquoted)
        )
        # Only a line with quotes may not be a record; only a line over the limit can have
        # a field over it (as the reference reader measures them).
        whole = F.when(line.contains('"'), line.rlike(_WHOLE)).otherwise(F.lit(True))
        longest = F.lit(0)
        if limit is not None:
            longest = F.when(F.length(line) > limit, F.array_max(F.transform(fields, F.length)))
        records = self.numbered.filter(F.col("row") > 1).select(
            "file", "row", whole.alias("whole"), fields.alias("fields"), longest.alias("longest")
        )
        return records.select(
            "file",
            "row",
            "whole",
            "fields",
            F.coalesce("longest", F.lit(0)).alias("longest"),
            *(
                F.coalesce(F.try_element_at("fields", F.lit(i + 1)), F.lit("")).alias(f"c{i}")
                for i in range(width)
            ),
            F.size("fields").alias("n"),
        )


def _shown(uri: str) -> str:
    """A file as Spark names it, as a person would: a local one by its path."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _quotes(line: Any) -> Any:
    """How many double quotes a line holds."""
    return F.length(line) - F.length(F.replace(line, F.lit('"'), F.lit("")))


def _strip(cell: Any) -> Any:
    """A cell as Python's ``str.strip`` leaves it."""
    return F.btrim(cell, F.lit(_SPACE))


class _Checked:
    """The records' fields parsed as the frame reader parses them (:class:`._reader._Fields`),
    and whether each row is good (taken here), wrong (refused for sure), odd (in a form
    only the reference reader reads) or blank."""

    def __init__(self, cells: Any, table: Table, reader: ConsumptionRows, limits: Limits) -> None:
        self.table, self.reader, self.limits = table, reader, limits
        self.used = sorted({i for i, _title in table.columns.values()})
        fields = _SparkFields(table, reader)
        values, exact, ok = {}, [], []
        for name, (value, is_exact, is_ok) in fields.read().items():
            values[name] = value
            exact.append(is_exact)
            ok.append(is_ok)
        parsed = cells.select(
            "*", *(v.alias(n) for n, v in values.items()), _all(exact).alias("exact"),
            _all(ok).alias("ok"),
        )  # fmt: skip
        status = F.col("status")
        parsed = parsed.withColumn(
            "progress",
            F.coalesce("progress", F.when(status == Status.COMPLETED.value, 100.0).otherwise(0.0)),
        )
        good = F.coalesce(
            F.col("exact") & F.col("ok") & _consistent() & (F.col("n") <= table.width),
            F.lit(False),
        )
        # A good row has a person: only the others are looked at for blank cells.
        blank = F.when(good, F.lit(False)).otherwise(
            F.forall("fields", lambda cell: _strip(cell) == "")
        )
        self.rows = parsed.select(
            "file", "row", "n", "whole", "longest", "exact", *(f"c{i}" for i in self.used),
            *values,
            good.alias("good"), blank.alias("blank"),
        )  # fmt: skip

    def counts(self) -> dict[str, Any]:
        good, blank, exact = F.col("good"), F.col("blank"), F.col("exact")
        rest = ~good & ~blank
        limit = self.limits.field_size
        over = F.col("longest") > limit if limit is not None else F.lit(False)
        totals = self.rows.agg(
            F.count(F.lit(1)).alias("records"),
            F.sum(good.cast("int")).alias("good"),
            F.sum((~good & blank).cast("int")).alias("blank"),
            F.sum((rest & exact).cast("int")).alias("wrong"),
            F.sum((rest & ~exact).cast("int")).alias("odd"),
            F.min(F.when(over & ~blank, F.struct("file", "row", "longest"))).alias("first_long"),
            F.min(F.when(~F.col("whole"), F.struct("file", "row"))).alias("broken"),
        ).first()
        counts = {k: v or 0 for k, v in totals.asDict().items()}
        counts["rows"] = counts["records"] - counts["blank"]
        counts["first_long"] = totals["first_long"]
        return counts

    def _written(self, rows: Any) -> Any:
        return rows.select("file", "row", "n", *(f"c{i}" for i in self.used))

    def wrong(self) -> Any:
        """The first rows refused for sure, with their cells."""
        wrong = ~F.col("good") & ~F.col("blank") & F.col("exact")
        return self._written(self.rows.filter(wrong)).orderBy(*_PLACE).limit(REJECTIONS_KEPT)

    def odd(self) -> Any:
        """Every row with a cell in a form only the reference reader reads, in order."""
        odd = ~F.col("good") & ~F.col("blank") & ~F.col("exact")
        return self._written(self.rows.filter(odd)).orderBy(*_PLACE)

    def good_records(self) -> Any:
        return self.rows.filter("good").select(
            "person", "course", F.col("status").cast("int"), "progress", "enrolled_at",
            "completed_at", "certificate", "duration",
        )  # fmt: skip

    def latest(self) -> Any:
        """Each person's latest enrolment in each spelling of a unit."""
        fields = _SparkFields(self.table, self.reader)
        return (
            self.rows.filter("good")
            .select("person", "enrolled_at", *(fields.cell(c).alias(c) for c in _UNITS))
            .groupBy("person", *_UNITS)
            .agg(F.max("enrolled_at").alias("enrolled_at"))
        )


def _all(conditions: list[Any]) -> Any:
    result = conditions[0]
    for condition in conditions[1:]:
        result = result & condition
    return result


class _SparkFields:
    """:class:`._reader._Fields` in Spark's functions: for each field, its value, whether
    Spark read the cell as the reference reader would (exact), and whether it is right."""

    def __init__(self, table: Table, reader: ConsumptionRows) -> None:
        self.table, self.reader = table, reader

    def cell(self, column: str) -> Any:
        if column not in self.table.columns:
            return F.lit("")
        return F.col(f"c{self.table.columns[column][0]}")

    def text(self, column: str) -> Any:
        return _strip(self.cell(column))

    def read(self) -> dict[str, tuple[Any, Any, Any]]:
        return {
            "person": self.person(),
            "course": self.course(),
            "status": self.word("status", (*map(str, Status), *STATUS_WORDS), _status, "tinyint"),
            "progress": self.progress(),
            "enrolled_at": self.time("enrolled", required=True),
            "completed_at": self.time("completed", required=False),
            "certificate": self.word("certificate", tuple(CERTIFIED), _certified, "boolean"),
            "duration": self.duration(),
        }

    def person(self) -> tuple[Any, Any, Any]:
        email = self.reader.email
        cell = self.cell("email" if email else "person")
        plain = cell.rlike(r"^[!-~]+\z")
        return F.lower(cell) if email else cell, plain | (_strip(cell) == ""), plain

    def course(self) -> tuple[Any, Any, Any]:
        reader, exact = self.reader, F.lit(True)
        values = []
        for column in ("course_id", "course"):
            text = self.text(column)
            value = F.when(text != "", text)
            if column == "course" and reader.by_name:
                exact = text.rlike(r"^[ -~]*\z")  # name keys of ASCII, here
                keys = _name_key(text)
                names = F.create_map(*(F.lit(x) for pair in reader.courses.items() for x in pair))
                value = F.coalesce(F.try_element_at(names, keys), value)
            values.append(value)
        course = F.coalesce(*values)
        return course, exact | (self.text("course_id") != ""), course.isNotNull()

    def word(self, column: str, words: tuple[str, ...], parse: Any, kind: str) -> Any:
        """A word, looked up as written among its usual spellings."""
        spellings = _spellings(words, parse)
        forms = F.create_map(*(F.lit(x) for pair in spellings.items() for x in pair))
        value = F.try_element_at(forms, self.cell(column)).cast(kind)
        return value, value.isNotNull(), F.lit(True)

    def progress(self) -> tuple[Any, Any, Any]:
        text = self.text("progress")
        number = text.rlike(_java(_NUMBER))
        return F.when(number, text.cast("double")), (text == "") | number, F.lit(True)

    def duration(self) -> tuple[Any, Any, Any]:
        """Seconds, or the platform's ``HH:MM:SS``."""
        text = self.text("duration")
        seconds, hms = text.rlike(_java(_SECONDS)), text.rlike(_java(_HMS))
        part = [F.substring(text, at + 1, 2).cast("bigint") for at in (0, 3, 6)]
        value = (
            F.when(seconds, text.cast("bigint"))
            .when(hms, part[0] * 3600 + part[1] * 60 + part[2])
        )  # fmt: skip
        ok = F.coalesce(value <= LONGEST_SECONDS, F.lit(True))
        return value, (text == "") | seconds | hms, ok

    def time(self, column: str, *, required: bool) -> tuple[Any, Any, Any]:
        """India's wall clock, in the platform's own form."""
        cell = self.cell(column)
        at = [F.substring(cell, start, size).cast("int")
              for start, size in ((1, 4), (6, 2), (9, 2), (12, 2), (15, 2), (18, 2))]  # fmt: skip
        form = cell.rlike(_java(_PLAIN_TIME))
        value = F.when(form, F.try_make_timestamp_ntz(*at))
        plain = form & value.isNotNull()
        blank = _strip(cell) == ""
        return F.when(plain, value), plain | blank, plain | (blank & F.lit(not required))


def _name_key(text: Any) -> Any:
    """:func:`karmayogi._names.name_key` of ASCII text."""
    return F.regexp_replace(F.lower(F.replace(text, F.lit("&"), F.lit(" and "))), "[^a-z0-9]", "")


def _consistent() -> Any:
    """:meth:`karmayogi.Enrolment.inconsistency` finds nothing (as in :mod:`._reader`)."""
    status, progress = F.col("status"), F.col("progress")
    done = status == Status.COMPLETED.value
    return (
        (progress >= 0)
        & (progress <= 100)
        & ~F.isnan(progress)
        & (F.col("duration").isNull() | (F.col("duration") >= 0))
        & (done == F.col("completed_at").isNotNull())
        & (~done | (progress == 100))
        & ((status != Status.NOT_STARTED.value) | (progress == 0))
        & (~F.col("certificate") | done)
    )


_PLACE = ("file", "row")
"""Where a row is: its file, and its row there."""


def _hold_to(
    checked: _Checked, counts: dict[str, Any], limits: Limits, names: dict[str, str]
) -> None:
    """Refuse the export as the reference reader would: at the first row with a field over
    the limit, or past the limit on rows, whichever comes first."""
    rows = None
    if limits.rows is not None and counts["rows"] > limits.rows:
        kept = checked.rows.filter(F.col("good") | ~F.col("blank")).select(*_PLACE)
        rows = tuple(kept.orderBy(*_PLACE).offset(limits.rows).first())
    first_long = counts["first_long"]
    if limits.field_size is not None and first_long is not None:
        file, row, longest = first_long
        if rows is None or (file, row) <= rows:
            where = Location(file=names[file], row=row)
            raise LimitExceeded("field_size", limits.field_size, where, f"{longest:,} characters")
    if rows is not None and limits.rows is not None:
        where = Location(file=names[rows[0]], row=rows[1])
        raise LimitExceeded("rows", limits.rows, where, "more")


def _diagnose(
    reader: ConsumptionRows, names: dict[str, str], wrong: list[Any], odd: Iterable[Any]
) -> None:
    """The first wrong rows and the odd ones, read by the reference reader's careful path
    in the order of the files (both come sorted: merged as they come), each said to be in
    its file."""
    taken, table = reader.result, reader.table

    def written(values: Any) -> list[str]:
        cells = {int(name[1:]): cell for name, cell in values.asDict().items()
                 if name.startswith("c")}  # fmt: skip
        # The columns not read are blank here: the careful path does not read them.
        return [cells.get(i, "") for i in range(max(table.width, values["n"]))]

    sure = {(values["file"], values["row"]) for values in wrong}
    try:
        for values in heapq.merge(wrong, odd, key=lambda values: tuple(values[:2])):
            file, row, before = values["file"], values["row"], taken.used + taken.duplicates
            reader.table = attrs.evolve(table, file=names[file])
            reader.diagnose(row, written(values))
            if (file, row) in sure and taken.used + taken.duplicates > before:
                raise AssertionError(
                    f"the Spark reader refused row {row}, which the reference reader takes"
                )
    finally:
        reader.table = table


def _entries(spark: Any, taken: Import) -> Any:
    """The records the careful path took, as a Spark DataFrame of records."""
    rows = [
        (e.person, e.course, e.status.value, e.progress, _wall(e.enrolled_at),
         _wall(e.completed_at), bool(e.certificates), e.duration)
        for e in taken.ledger
    ]  # fmt: skip
    return _local(spark, rows, _RECORDS)


_ARROW = {"string": "string", "int": "int32", "double": "float64", "boolean": "bool_",
          "bigint": "int64", "timestamp_ntz": "string"}  # fmt: skip


def _local(spark: Any, rows: list[tuple[Any, ...]], schema: str) -> Any:
    """Rows made on the driver as a Spark DataFrame: through Arrow, a local relation in the
    plan (no Python on the executors); times as text, made wall-clock times by Spark."""
    import pyarrow as pa  # in the spark extra

    fields = [field.split() for field in schema.split(", ")]
    arrays = {}
    for at, (name, kind) in enumerate(fields):
        values = [row[at] for row in rows]
        if kind == "timestamp_ntz":
            values = [None if v is None else v.isoformat(" ") for v in values]
        arrays[name] = pa.array(values, type=getattr(pa, _ARROW[kind])())
    frame = spark.createDataFrame(pa.table(arrays))
    return frame.select(
        *(F.to_timestamp_ntz(name).alias(name) if kind == "timestamp_ntz" else name
          for name, kind in fields)
    )  # fmt: skip


_RECORDS = (
    "person string, course string, status int, progress double, enrolled_at timestamp_ntz, "
    "completed_at timestamp_ntz, certificate boolean, duration bigint"
)


def _joined(records: Any) -> Any:
    """Records joined per person and course, as the ledger joins them."""
    return records.groupBy("person", "course").agg(
        F.max("status").alias("status"),
        F.max("progress").alias("progress"),
        F.min("enrolled_at").alias("enrolled_at"),
        F.min("completed_at").alias("completed_at"),
        F.bool_or("certificate").alias("certificate"),
        F.max("duration").alias("duration"),
    )


def _place(spark: Any, checked: _Checked, reader: ConsumptionRows, result: FrameImport) -> None:
    """Each person in the unit of their latest enrolment (the greatest unit, if two are
    that late); a finding for each person in several units; the tree the names spell."""
    latest = checked.latest()
    spellings = [tuple(r) for r in latest.select(*_UNITS).distinct().collect()]
    named = [unit_named((m, d, o), mdo) for m, d, o, mdo in spellings]
    units = _local(
        spark,
        [(*spelling, unit) for spelling, (unit, _names) in zip(spellings, named, strict=True)],
        ", ".join(f"{c} string" for c in (*_UNITS, "unit")),
    )
    placed = latest.join(F.broadcast(units), on=list(_UNITS)).select(
        "person", "unit", "enrolled_at"
    )
    # The odd rows the reference reader took, placed by it: each person's latest unit at
    # its time, their other units before any.
    odd = [(p.person, p.unit, _wall(p.at)) for p in reader.by_person.values() if p.unit]
    odd += [(p, unit, _FIRST) for p, units in reader.other_units.items() for unit in units]
    if odd:
        placed = placed.unionByName(
            _local(spark, odd, "person string, unit string, enrolled_at timestamp_ntz")
        )
    per_person = (
        placed.filter(F.col("unit").isNotNull())
        .groupBy("person")
        .agg(
            F.max(F.struct("enrolled_at", "unit")).getField("unit").alias("place"),
            F.array_sort(F.collect_set("unit")).alias("units"),
        )
    )
    result.places = per_person.select("person", "place")
    several = per_person.filter(F.size("units") > 1).orderBy("person").collect()
    for person, unit, units_of in several:
        result.findings.append(
            Finding(
                "person-in-several-units",
                f"{person} appears in {len(units_of)} units ({', '.join(units_of)}); "
                f"placed in {unit}, the unit of their latest enrolment",
                Location(file=result.file),
            )
        )
    paths = {names for unit, names in named if unit} | reader.paths
    result.tree = OrgTree.from_paths(sorted(paths))
