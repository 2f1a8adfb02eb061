"""What every CSV reader shares: opening a path or a stream, decoding, finding the
columns by any of their spellings, and keeping row numbers (the header is row 1) so
that every problem can say where it is."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

import attrs

from karmayogi._atomic import atomic_text
from karmayogi._names import name_key
from karmayogi.errors import Finding, LimitExceeded, Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "Source",
    "Table",
    "csv_error",
    "header_table",
    "not_utf8",
    "opened",
    "read_records",
    "read_table",
    "safe_cell",
    "safe_writer",
    "stream_records",
    "unguarded",
]

Source = str | os.PathLike[str] | bytes | TextIO | BinaryIO
"""A path; text, as a text stream (``io.StringIO(text)``); or bytes, as they are or as a
binary stream (an upload), decoded as a file is: UTF-8, a byte-order mark skipped. A
string is always a path: text is given as a stream."""


@contextlib.contextmanager
def opened(
    source: Source, mode: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[str | None, TextIO]]:
    """The file's name (for messages) and a text handle; paths are opened as UTF-8,
    with a byte-order mark skipped when reading (spreadsheets add one). A file read is
    held to ``limits.file_size``: a path by its size before it is opened, a stream by the
    characters taken from it. Bytes that are not UTF-8 are a ValidationError saying where."""
    reading = mode == "r"
    if reading and _is_bytes(source):
        data = _bytes_of(source, limits)
        name = getattr(source, "name", None)
        file = name if isinstance(name, str) else None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise not_utf8(file, exc, data) from None
        yield file, io.StringIO(text, newline="")
        return
    if isinstance(source, str | os.PathLike):
        path = _path(source)
        if reading and limits.file_size is not None:
            size = path.stat().st_size
            if size > limits.file_size:
                raise LimitExceeded(
                    "file_size", limits.file_size, Location(file=str(path)), f"{size:,} bytes"
                )
        if not reading:  # written whole or not at all
            with atomic_text(path) as handle:
                yield str(path), handle
            return
        with path.open(mode, encoding="utf-8-sig", newline="") as handle:
            try:
                yield str(path), cast(TextIO, handle)
            except UnicodeDecodeError as exc:
                raise not_utf8(str(path), exc) from None
    else:
        if not callable(getattr(source, "read" if reading else "write", None)):
            raise TypeError(
                f"a source is a path, bytes, or a text or binary stream, got "
                f"{type(source).__name__}" + ("" if reading else " (to write to)")
            )
        name = getattr(source, "name", None)
        file = name if isinstance(name, str) else None
        stream = cast(TextIO, source)
        if reading and limits.file_size is not None:
            stream = cast(TextIO, _Capped(stream, file, limits.file_size))
        try:
            yield file, stream
        except UnicodeDecodeError as exc:
            raise not_utf8(file, exc) from None


def _path(source: str | os.PathLike[str]) -> Path:
    """A path; a string with a line break is text given where a path belongs."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        raise TypeError(
            f"a string is a path, and this one holds line breaks ({len(source):,} characters "
            "of text?): to read text, pass io.StringIO(text), or its bytes"
        )
    return Path(source)


def _is_bytes(source: object) -> bool:
    """Bytes, or a binary stream (one whose reads give bytes: an upload, a file opened
    with "rb")."""
    if isinstance(source, bytes | bytearray | memoryview):
        return True
    if isinstance(source, io.TextIOBase | str | os.PathLike):
        return False
    read = getattr(source, "read", None)
    return callable(read) and isinstance(read(0), bytes)


def _bytes_of(source: Any, limits: Limits) -> bytes:
    """All the bytes of ``source``, held to ``limits.file_size`` (a stream is read up to
    one byte past it, no further)."""
    name = getattr(source, "name", None)
    where = Location(file=name if isinstance(name, str) else None)
    cap = limits.file_size
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if cap is not None and len(data) > cap:
            raise LimitExceeded("file_size", cap, where, f"{len(data):,} bytes")
        return data
    data = source.read() if cap is None else source.read(cap + 1)
    if cap is not None and len(data) > cap:
        raise LimitExceeded("file_size", cap, where, f"more than {cap:,} bytes")
    return bytes(data)


class _Capped:
    """A text stream that refuses to give more than ``cap`` characters: what a reader
    takes from a stream it cannot measure beforehand."""

    def __init__(self, stream: TextIO, file: str | None, cap: int) -> None:
        self.stream, self.name, self.cap, self.taken = stream, file, cap, 0

    def _took(self, text: str) -> str:
        self.taken += len(text)
        if self.taken > self.cap:
            where = Location(file=self.name)
            raise LimitExceeded("file_size", self.cap, where, f"more than {self.cap:,}")
        return text

    def read(self, size: int = -1) -> str:
        room = self.cap - self.taken + 1  # one more than allowed shows the excess
        return self._took(self.stream.read(room if size < 0 else min(size, room)))

    def readline(self, size: int = -1) -> str:
        return self._took(self.stream.readline(size))

    def __iter__(self) -> Iterator[str]:
        return (self._took(line) for line in self.stream)


def not_utf8(
    file: str | None, exc: UnicodeDecodeError, data: bytes | None = None
) -> ValidationError:
    """The error for bytes that are not UTF-8: in a file (or ``data``, the bytes given), at
    its line, and with a hint when the whole reads as Windows-1252 (a spreadsheet's "CSV"
    rather than "CSV UTF-8")."""
    bad = exc.object[exc.start : exc.start + 1]
    row, hint = None, ""
    if data is None and file is not None and Path(file).is_file():
        data = Path(file).read_bytes()
    if data is not None:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16's byte-order mark
            return ValidationError(
                [
                    Problem(
                        "is UTF-16 text, not UTF-8: save it as CSV UTF-8",
                        Location(file=file),
                        expected="UTF-8 text",
                        got="UTF-16",
                        code="encoding",
                    )
                ]
            )
        for number, line in enumerate(data.splitlines(keepends=True), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                row, bad = number, line[error.start : error.start + 1]
                break
        with contextlib.suppress(UnicodeDecodeError):
            data.decode("cp1252")
            hint = "; it reads as Windows-1252 (Latin-1): save it as UTF-8"
    return ValidationError(
        [
            Problem(
                "is not UTF-8 text" + hint,
                Location(file=file, row=row),
                expected="UTF-8 text",
                got=f"byte {bad!r}",
                code="encoding",
            )
        ]
    )


def read_records(
    source: Source, limits: Limits = DEFAULT_LIMITS
) -> tuple[str | None, list[tuple[int, list[str]]]]:
    """Every non-blank record of a CSV file with its number (the header is 1), held to
    ``limits``; or a ValidationError if it is not UTF-8 text."""
    with opened(source, "r", limits) as (file, handle):
        return file, list(stream_records(handle, file, limits))


_FORMULA = frozenset("=+-@\t\r")
"""What a spreadsheet runs a cell starting with (OWASP's list for CSV injection)."""
_GUARDED = _FORMULA | {"'"}


def safe_cell(value: object) -> object:
    """The cell as a spreadsheet shows it rather than runs it: text starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, unless it
    is a plain number (``-5``). So does text starting with an apostrophe before one of
    those, so that :func:`unguarded` gives back exactly what was written.

    >>> safe_cell("=1+1"), safe_cell("@SUM(A1)"), safe_cell("-5"), safe_cell("Tehsildar")
    ("'=1+1", "'@SUM(A1)", '-5', 'Tehsildar')
    """
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first in _FORMULA and not _is_number(value):
        return "'" + value
    if first == "'" and value[1:2] in _GUARDED:
        return "'" + value
    return value


def unguarded(text: str) -> str:
    """A cell as :func:`safe_cell` wrote it, given back: one guarding apostrophe off."""
    return text[1:] if text[:1] == "'" and text[1:2] in _GUARDED else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in {"inf", "nan", "infinity"}


class SafeWriter:
    """A csv writer whose every cell is :func:`safe_cell`: what karmayogi writes as CSV
    is opened in spreadsheets, and must never run there."""

    def __init__(self, handle: TextIO, *, lineterminator: str) -> None:
        self._writer = csv.writer(handle, lineterminator=lineterminator)
        # The csv module quotes a cell holding a line break only if the break is in its
        # line terminator: a lone carriage return would split the record for a reader.
        self._quoting = csv.writer(handle, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[object]) -> None:
        cells = [safe_cell(value) for value in row]
        breaks = any(isinstance(c, str) and ("\r" in c or "\n" in c) for c in cells)
        (self._quoting if breaks else self._writer).writerow(cells)

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(handle: TextIO, *, lineterminator: str = "\n") -> SafeWriter:
    """A :class:`SafeWriter` on ``handle``."""
    return SafeWriter(handle, lineterminator=lineterminator)


@attrs.define
class Table:
    """A CSV file's rows, with its columns found by name."""

    file: str | None
    columns: dict[str, tuple[int, str]]
    """Canonical column -> (position, the header as written)."""
    rows: list[tuple[int, list[str]]]
    """(row number, cells) of every row that is not blank."""
    width: int
    findings: list[Finding] = attrs.Factory(list)
    header: tuple[str, ...] = ()
    """The header's cells as compared (:func:`name_key`), to know it when it comes again."""

    def where(self, row: int, column: str | None = None) -> Location:
        field = self.columns[column][1] if column in self.columns else None
        return Location(file=self.file, row=row, field=field)

    def values(self, row: int, cells: list[str], problems: list[Problem]) -> dict[str, str]:
        """The row's trimmed cells by canonical column ("" where absent); a row longer
        than the header is a problem, since its cells cannot be placed."""
        if self.header and tuple(name_key(cell) for cell in cells) == self.header:
            problems.append(
                Problem(
                    "repeats the header: two files joined into one?",
                    Location(file=self.file, row=row),
                    expected="a row of values",
                    code="repeated",
                )
            )
        if len(cells) > self.width:
            problems.append(
                Problem(
                    "has more cells than the header has columns",
                    Location(file=self.file, row=row),
                    expected=f"at most {self.width} cells",
                    got=str(len(cells)),
                    code="extra-cells",
                )
            )
        return {
            column: unguarded(cells[index].strip()) if index < len(cells) else ""
            for column, (index, _title) in self.columns.items()
        }


def read_table(
    source: Source,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Read a CSV file whose columns may be spelled any of the ways ``columns`` lists
    (compared by :func:`karmayogi._names.name_key`). A column not listed is a finding;
    a missing required column or one given twice is an error, all reported at once."""
    file, records = read_records(source, limits)
    header = records[0][1] if records else None
    table = header_table(file, header, columns, required, limits)
    table.rows = records[1:]  # a blank line holds nothing to account for: not among them
    return table


def header_table(
    file: str | None,
    header: list[str] | None,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """A table with no rows yet: its columns found in ``header``, or every problem."""
    expected = ", ".join(columns[c][0] for c in required)
    if header is None:
        raise ValidationError(
            [
                Problem(
                    "is empty", Location(file=file), expected=f"a header: {expected}", code="empty"
                )
            ]
        )
    if limits.columns is not None and len(header) > limits.columns:
        where = Location(file=file, row=1)
        raise LimitExceeded("columns", limits.columns, where, f"{len(header):,} columns")
    by_key = {name_key(spelling): column for column, names in columns.items() for spelling in names}
    table = Table(file, {}, [], len(header), header=tuple(name_key(cell) for cell in header))
    problems = []
    for index, title in enumerate(header):
        column = by_key.get(name_key(title))
        where = Location(file=file, row=1, field=title)
        if column is None:
            table.findings.append(Finding("ignored-column", f"column {title!r} is not read", where))
        elif column in table.columns:
            seen = table.columns[column][1]
            problems.append(
                Problem(
                    f"repeats column {seen!r}",
                    where,
                    expected="each column once",
                    got=title,
                    code="repeated",
                )
            )
        else:
            table.columns[column] = (index, title)
    missing = [columns[c][0] for c in required if c not in table.columns]
    if missing:
        message = "is missing columns " + ", ".join(repr(m) for m in missing)
        if len(header) == 1:
            separator = next((s for s in ";\t|" if s in header[0]), None)
            if separator is not None:
                message += f"; its one column holds {separator!r}: is it separated by commas?"
        problems.append(
            Problem(
                message,
                Location(file=file, row=1),
                expected=expected,
                got=", ".join(header),
                code="missing-column",
            )
        )
    if problems:
        raise ValidationError(problems)
    return table


_BLANK = " \t\r\n,"
"""What a line holds when all of its cells are blank."""


def _has_value(rest: str) -> bool:
    """Whether an unquoted line, stripped of commas and ASCII blanks, holds a cell that is
    not white space: Unicode's too, as in a quoted line (a cell of ideographic spaces is
    blank either way). Most lines show it by their first character."""
    if not rest:
        return False
    return not rest[0].isspace() or bool(rest.replace(",", "").strip())


def stream_records(
    handle: TextIO, file: str | None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells) of each non-blank record, the header being record 1, read
    lazily so that a file of millions of rows is never held whole. A line without quotes is
    split directly (the common case, and several times faster); a line with quotes goes
    through the csv module, given the following lines while a quoted field spans them.
    Held to ``limits``: rows past ``limits.rows`` and a field over ``limits.field_size``
    (or the csv module's own limit) raise :class:`LimitExceeded`."""
    rows = limits.rows if limits.rows is not None else -1
    field = limits.field_size if limits.field_size is not None else sys.maxsize
    number = taken = 0
    lines = iter(handle)
    for line in lines:
        number += 1
        if '"' in line:
            try:
                # The csv module reads on only while a quoted field is open; strictly, so
                # that a quote left open does not swallow the rest of the file unsaid.
                cells = next(csv.reader(itertools.chain((line,), lines), strict=True), [])
            except csv.Error as exc:
                raise csv_error(exc, file, number) from None
            if number > 1 and not any(cell.strip() for cell in cells):
                continue
            longest = max(map(len, cells), default=0)
        elif number == 1 or _has_value(line.strip(_BLANK)):
            cells = line.rstrip("\r\n").split(",")
            # Only a line over the limit can have a cell over it: most are not measured.
            longest = max(map(len, cells)) if len(line) > field else 0
        else:
            continue
        if longest > field:
            where = Location(file=file, row=number)
            raise LimitExceeded("field_size", field, where, f"{longest:,} characters")
        if taken == rows:
            raise LimitExceeded("rows", rows, Location(file=file, row=number), "more")
        if number > 1:
            taken += 1
        yield number, cells


def csv_error(exc: csv.Error, file: str | None, row: int) -> ValidationError:
    """The csv module's error at a row, said as the reference reader says it."""
    where = Location(file=file, row=row)
    if "field limit" in str(exc):  # the csv module's own, which no caller's limit lifts
        return LimitExceeded("field_size", csv.field_size_limit(), where, "a longer field")
    message = "is not CSV"
    if str(exc) == "unexpected end of data":
        message = "has a quoted field that never ends"
    elif "expected after '\"'" in str(exc):
        message = "has a quote inside a quoted field that is not doubled"
    expected = 'CSV, with a quote in a quoted field doubled ("")'
    return ValidationError(
        [Problem(message, where, expected=expected, got=str(exc), code="malformed")]
    )
