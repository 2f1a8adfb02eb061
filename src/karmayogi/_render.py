"""One renderer for a table's forms: JSON from its ``to_dict()``, CSV from the columns a
notebook shows, and text for a terminal (cells as it shows them, the table with its
notes)."""

from __future__ import annotations

import io
import json

from karmayogi._csv import Source, opened, safe_writer
from karmayogi._html import Tabular
from karmayogi._names import printable

__all__ = ["Rendered", "cell_text", "deliver", "text_table"]


class Rendered(Tabular):
    """A table that writes itself as JSON and CSV from its own parts."""

    def to_dict(self) -> dict[str, object]:
        raise NotImplementedError

    def to_json(self) -> str:
        """The table, the rules that made it and what was left out, as JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_csv(self, target: Source | None = None) -> str | None:
        """The rows as CSV, the counting policy in a column of every row (so that it
        travels with any part of the file); written to ``target``, or returned as text."""
        buffer = io.StringIO()
        writer = safe_writer(buffer)
        header, rows = self._columns()
        writer.writerow(header)
        writer.writerows([cell_text(v) for v in row] for row in rows)
        return deliver(buffer.getvalue(), target)


def cell_text(value: object, missing: str = "") -> str:
    """A number or a word as a table shows it: a fraction to four places, no trailing
    zeros; ``missing`` for a number not there."""
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def text_table(header: list[str], body: list[list[str]], notes: list[str], left: int) -> str:
    """A text table: the first ``left`` columns read as words, the rest as numbers; no
    cell's control characters reach the terminal."""
    body = [[printable(cell) for cell in line] for line in body]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [header, *body]
    ]
    return "\n".join([*lines, "", *notes])


def deliver(text: str, target: Source | None) -> str | None:
    """``text`` written to ``target``; or, with none, returned."""
    if target is None:
        return text
    with opened(target, "w") as (_file, handle):
        handle.write(text)
    return None
