"""One way to read any report of the platform into typed rows: each column found by any
of its spellings, each cell parsed by its column, and each row used, merged into an
earlier row with the same key (a duplicate), or rejected with every reason, so that the
row account (:class:`~karmayogi.progress.Import`'s) adds up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from karmayogi._csv import Source, Table, header_table, opened, stream_records
from karmayogi._platform import parse_time, unit_named
from karmayogi.errors import Location, Problem
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree
from karmayogi.progress import RowAccount

__all__ = ["Column", "OutOfRange", "ReportRows", "read_report"]

T = TypeVar("T")


def _text(text: str) -> str:
    return text


class OutOfRange(ValueError):
    """A cell of the right form whose value is outside what the column may hold (a
    percentage over 100): said as ``out-of-range``, with the range."""


@attrs.frozen
class Column:
    """A column of a report: its spellings (the platform's first), how a cell is read (a
    function that raises ValueError), and what it holds, said when a cell is not that."""

    spellings: tuple[str, ...]
    parse: Callable[[str], Any] = _text
    expected: str = "text"
    required: bool = False
    """The header must hold it: the rows mean nothing without it."""
    filled: bool = False
    """A blank cell rejects its row."""


UNIT_COLUMNS: Mapping[str, Column] = {
    "ministry": Column(("Ministry",)),
    "department": Column(("Department",)),
    "organisation": Column(("Organization", "Organisation")),
    "mdo": Column(("MDO_Name", "MDO Name")),
    "generated": Column(("Report_Last_Generated_On",), parse_time, "a time (yyyy-MM-dd HH:mm:ss)"),
}
"""The columns most reports share: the person's unit, and when the report was made."""


@attrs.define
class ReportRows(RowAccount, Generic[T]):
    """What a reader made of one of the platform's reports: its rows, typed, and the row
    account of :class:`~karmayogi.progress.Import` (every row used, a duplicate, or
    rejected with its reasons; ``accounted`` holds)."""

    report: str = ""
    """Which report it is, by the platform's file name: ``UserReport``, ..."""
    items: list[T] = attrs.Factory(list)
    """The rows read, one per key (a later row with an earlier row's key is a duplicate)."""
    generated: dt.datetime | None = None
    """The latest ``Report_Last_Generated_On``: when the platform made the report."""
    tree: OrgTree = attrs.Factory(lambda: OrgTree([]))
    """The organisation tree the rows' Ministry / Department / Organization spell."""
    places: dict[str, str] = attrs.Factory(dict)
    """Each person's unit in :attr:`tree`, where the report names people."""

    def __len__(self) -> int:
        return len(self.items)


def read_report(
    source: Source,
    report: str,
    columns: Mapping[str, Column],
    make: Callable[[dict[str, Any]], T],
    *,
    key: Callable[[T], Hashable],
    person: Callable[[T], str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ReportRows[T]:
    """Read ``source`` as ``report``: each row's cells parsed by ``columns``, made into a
    row by ``make`` (a ValueError rejects the row), kept once per ``key``. Where rows name
    a ``person``, each is placed in the unit their row's Ministry / Department /
    Organization name (or else MDO_Name)."""
    columns = {**UNIT_COLUMNS, **columns}
    with opened(source, "r", limits) as (file, handle):
        records = stream_records(handle, file, limits)
        first = next(records, None)
        required = [name for name, column in columns.items() if column.required]
        spellings = {name: column.spellings for name, column in columns.items()}
        table = header_table(file, first[1] if first else None, spellings, required, limits)
        result: ReportRows[T] = ReportRows(file, report=report, findings=list(table.findings))
        seen: set[Hashable] = set()
        paths: set[tuple[str, ...]] = set()
        for row, cells in records:
            result.rows += 1
            values, problems = _parsed(table, columns, row, cells)
            item = None
            if not problems:
                try:
                    item = make(values)
                except ValueError as exc:
                    where = Location(file=file, row=row)
                    problems.append(Problem(str(exc), where, code="inconsistent"))
            if item is None:
                result._reject(row, problems)
                continue
            if values["generated"] is not None:
                result.generated = max(filter(None, (result.generated, values["generated"])))
            identity = key(item)
            if identity in seen:
                result.duplicates += 1
                continue
            seen.add(identity)
            result.used += 1
            result.items.append(item)
            if person is not None:
                written = [values[c] or "" for c in ("ministry", "department", "organisation")]
                unit, names = unit_named(written, values["mdo"] or "")
                if unit is not None:
                    paths.add(names)
                    result.places[person(item)] = unit
        result.tree = OrgTree.from_paths(sorted(paths))
    return result


def _parsed(
    table: Table, columns: Mapping[str, Column], row: int, cells: list[str]
) -> tuple[dict[str, Any], list[Problem]]:
    """A row's values by column (None where blank or absent), and every problem."""
    problems: list[Problem] = []
    values: dict[str, Any] = dict.fromkeys(columns)
    for name, text in table.values(row, cells, problems).items():
        column = columns[name]
        where = table.where(row, name)
        if not text:
            if column.filled:
                problems.append(Problem("is blank", where, expected=column.expected, code="blank"))
            continue
        try:
            values[name] = column.parse(text)
        except OutOfRange as exc:
            problems.append(Problem(str(exc), where, got=text, code="out-of-range"))
        except ValueError:
            message = f"is not {column.expected}"  # which says what was expected
            problems.append(Problem(message, where, got=text, code="malformed"))
    return values, problems
