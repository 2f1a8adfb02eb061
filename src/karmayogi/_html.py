"""How results and documents show themselves in a notebook, and turn into dataframes.

Jupyter shows an object by its ``_repr_html_``; :class:`Tabular` gives a result that is
a table of rows one, with ``to_pandas`` and ``to_polars`` beside it, from one method
that says its columns and rows. Documents (pydantic models) show their fields, and
their lists of sub-documents as tables, by :func:`document`.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pydantic

__all__ = ["Tabular", "block", "document", "escape", "plain", "table", "text"]

SHOWN = 50
"""A notebook shows at most this many rows of a table; the rest are counted."""


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def text(value: object) -> str:
    """A value as a person reads it: blank for None, floats to 4 significant places,
    enums by their value, durations as HH:MM:SS."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if isinstance(value, tuple):
        return ", ".join(text(v) for v in value)
    return str(value)


def plain(value: object) -> str:
    """A cell as a notebook shows it: :func:`text`, escaped."""
    return escape(text(value))


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    total: Sequence[Any] | None = None,
    cell: Callable[[Any], str] = plain,
    limit: int | None = None,
    labelled: bool = False,
) -> str:
    """An HTML table; past ``limit`` rows, a last row says how many more there are.
    ``labelled``: each cell carries its column's name (``data-label``), so that a narrow
    screen can show a row as a card of labelled values instead of a table wider than the
    screen (the report's style does)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    labels = [f' data-label="{escape(h)}"' if labelled else "" for h in header]

    def line(values: Sequence[Any]) -> str:
        return "".join(
            f"<td{labels[i] if i < len(labels) else ''}>{cell(v)}</td>"
            for i, v in enumerate(values)
        )

    lines = []
    more = 0
    for i, row in enumerate(rows):
        if limit is not None and i >= limit:
            more += 1
            continue
        lines.append(f"<tr>{line(row)}</tr>")
    if more:
        lines.append(f'<tr><td colspan="{len(header)}">… and {more} more rows</td></tr>')
    if total is not None:
        lines.append(f'<tr class="total">{line(total)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def block(title: str, body: str, notes: Iterable[str] = ()) -> str:
    """A titled table with its notes under it, as a notebook cell shows it."""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return (
        f"<div><strong>{escape(title)}</strong>{body}"
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )


class Tabular:
    """A result that is a table: shown as one in a notebook, and made a dataframe.

    Subclasses say their columns and rows in :meth:`_columns`; the title and notes of
    :meth:`_html_title` and :meth:`_html_notes` go around the table.
    """

    __slots__ = ()

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        raise NotImplementedError

    def _html_title(self) -> str:
        return type(self).__name__

    def _html_notes(self) -> list[str]:
        return []

    def _repr_html_(self) -> str:
        header, rows = self._columns()
        body = table(header, rows, limit=SHOWN)
        title = f"{self._html_title()}: {len(rows)} rows"
        return block(title, body, self._html_notes())

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (nullable columns: a hidden count stays
        missing, not 0); needs pandas."""
        try:
            # pandas ships no types of its own; as Any, mypy does not need its stubs.
            pd: Any = importlib.import_module("pandas")
        except ImportError:
            raise ImportError("to_pandas needs pandas: pip install pandas") from None
        header, rows = self._columns()
        return pd.DataFrame(rows, columns=header).convert_dtypes()

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame; needs polars (in the columnar extra)."""
        try:
            import polars as pl
        except ImportError:
            raise ImportError("to_polars needs polars: pip install polars") from None
        header, rows = self._columns()
        return pl.DataFrame(rows, schema=header, orient="row", infer_schema_length=None)


def document(model: pydantic.BaseModel) -> str:
    """A document's fields: plain ones in a two-column table, lists of documents as
    tables of their plain fields, and other nested documents by their fields in turn."""
    fields = type(model).model_fields
    plain_rows = []
    nested = []
    for name, field in fields.items():
        value = getattr(model, name)
        if field.repr is False and value is not None:  # too big to show: its summary
            plain_rows.append((name, str(value)))
        elif _is_document_list(value):
            nested.append((name, value))
        elif isinstance(value, pydantic.BaseModel):
            nested.append((name, (value,)))
        elif value is not None and value not in ("", (), {}):  # nothing to show
            plain_rows.append((name, value))
    parts = [table(["field", "value"], plain_rows)]
    for name, items in nested:
        columns = [
            n for n in type(items[0]).model_fields
            if not any(_is_document_list(getattr(i, n)) for i in items)
        ]  # fmt: skip
        rows = [[_short(getattr(i, c)) for c in columns] for i in items]
        parts.append(block(f"{name} ({len(items)})", table(columns, rows, limit=SHOWN)))
    return block(type(model).__name__, "".join(parts))


def _is_document_list(value: object) -> bool:
    return isinstance(value, tuple) and bool(value) and isinstance(value[0], pydantic.BaseModel)


def _short(value: object) -> object:
    """A nested value in a table cell: documents by their fields, compactly."""
    if isinstance(value, pydantic.BaseModel):
        return ", ".join(f"{k}={v}" for k, v in value.model_dump(exclude_defaults=True).items())
    if isinstance(value, tuple):
        return "; ".join(text(_short(v)) for v in value)
    return value
