"""What every CSV reader shares: opening a path or a stream, decoding, finding the
columns by any of their spellings, and keeping row numbers (the header is row 1) so
that every problem can say where it is."""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO, cast

import attrs

from karmayogi._names import name_key
from karmayogi.errors import Finding, Location, Problem, ValidationError

__all__ = [
    "Source",
    "Table",
    "header_table",
    "opened",
    "read_records",
    "read_table",
    "stream_records",
]

Source = str | os.PathLike[str] | TextIO
"""A path, or a text stream already open."""


@contextlib.contextmanager
def opened(source: Source, mode: str) -> Iterator[tuple[str | None, TextIO]]:
    """The file's name (for messages) and a text handle; paths are opened as UTF-8,
    with a byte-order mark skipped when reading (spreadsheets add one)."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        encoding = "utf-8-sig" if mode == "r" else "utf-8"
        with path.open(mode, encoding=encoding, newline="") as handle:
            yield str(path), cast(TextIO, handle)
    else:
        name = getattr(source, "name", None)
        yield (name if isinstance(name, str) else None), source


def read_records(source: Source) -> tuple[str | None, list[list[str]]]:
    """Every record of a CSV file, or a ValidationError if it is not UTF-8 text."""
    with opened(source, "r") as (file, handle):
        try:
            return file, list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start : exc.start + 1]
            raise ValidationError(
                [
                    Problem(
                        "is not UTF-8 text",
                        Location(file=file),
                        expected="a UTF-8 CSV file",
                        got=f"byte {bad!r} at offset {exc.start}",
                    )
                ]
            ) from None


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

    def where(self, row: int, column: str | None = None) -> Location:
        field = self.columns[column][1] if column in self.columns else None
        return Location(file=self.file, row=row, field=field)

    def values(self, row: int, cells: list[str], problems: list[Problem]) -> dict[str, str]:
        """The row's trimmed cells by canonical column ("" where absent); a row longer
        than the header is a problem, since its cells cannot be placed."""
        if len(cells) > self.width:
            problems.append(
                Problem(
                    "has more cells than the header has columns",
                    Location(file=self.file, row=row),
                    expected=f"at most {self.width} cells",
                    got=str(len(cells)),
                )
            )
        return {
            column: cells[index].strip() if index < len(cells) else ""
            for column, (index, _title) in self.columns.items()
        }


def read_table(
    source: Source,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
) -> Table:
    """Read a CSV file whose columns may be spelled any of the ways ``columns`` lists
    (compared by :func:`karmayogi._names.name_key`). A column not listed is a finding;
    a missing required column or one given twice is an error, all reported at once."""
    file, records = read_records(source)
    table = header_table(file, records[0] if records else None, columns, required)
    table.rows = [
        (row, cells)
        for row, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)  # a blank line holds nothing to account for
    ]
    return table


def header_table(
    file: str | None,
    header: list[str] | None,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
) -> Table:
    """A table with no rows yet: its columns found in ``header``, or every problem."""
    expected = ", ".join(columns[c][0] for c in required)
    if header is None:
        raise ValidationError(
            [Problem("is empty", Location(file=file), expected=f"a header: {expected}")]
        )
    by_key = {name_key(spelling): column for column, names in columns.items() for spelling in names}
    table = Table(file, {}, [], len(header))
    problems = []
    for index, title in enumerate(header):
        column = by_key.get(name_key(title))
        where = Location(file=file, row=1, field=title)
        if column is None:
            table.findings.append(Finding("ignored-column", f"column {title!r} is not read", where))
        elif column in table.columns:
            seen = table.columns[column][1]
            problems.append(
                Problem(f"repeats column {seen!r}", where, expected="each column once", got=title)
            )
        else:
            table.columns[column] = (index, title)
    missing = [columns[c][0] for c in required if c not in table.columns]
    if missing:
        problems.append(
            Problem(
                "is missing columns " + ", ".join(repr(m) for m in missing),
                Location(file=file, row=1),
                expected=expected,
                got=", ".join(header),
            )
        )
    if problems:
        raise ValidationError(problems)
    return table


_BLANK = " \t\r\n,"
"""What a line holds when all of its cells are blank."""


def stream_records(handle: TextIO, file: str | None) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells) of each non-blank record, the header being record 1, read
    lazily so that a file of millions of rows is never held whole. A line without quotes is
    split directly (the common case, and several times faster); a line with quotes goes
    through the csv module, with the following lines while a quoted field spans them."""
    number = 0
    lines = iter(handle)
    try:
        for line in lines:
            number += 1
            if '"' in line:
                record = line
                while record.count('"') % 2:
                    following = next(lines, None)
                    if following is None:
                        break
                    record += following
                cells = next(csv.reader([record]), [])
                if number == 1 or any(cell.strip() for cell in cells):
                    yield number, cells
            elif number == 1 or line.strip(_BLANK):
                yield number, line.rstrip("\r\n").split(",")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [
                Problem(
                    "is not UTF-8 text",
                    Location(file=file, row=number + 1),
                    expected="a UTF-8 CSV file",
                    got=f"byte {exc.object[exc.start : exc.start + 1]!r}",
                )
            ]
        ) from None
