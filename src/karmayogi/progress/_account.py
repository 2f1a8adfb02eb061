"""The row account every reader keeps: what a reader made of its input, row by row.

Each reader (see :mod:`karmayogi.progress`) gives an :class:`Import`; the frame reader's
:class:`~karmayogi.columnar.FrameImport` keeps the same account with frames."""

from __future__ import annotations

import attrs

from karmayogi._allocation import Allocation
from karmayogi._html import SHOWN, block, table
from karmayogi.errors import Finding, Problem
from karmayogi.org import OrgTree
from karmayogi.progress._records import Enrolment, Ledger, StatementLog

__all__ = ["REJECTIONS_KEPT", "Import", "Rejection", "RowAccount", "summary_line"]


@attrs.frozen
class Rejection:
    """A row that was not used, and every reason why."""

    row: int
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


@attrs.define
class RowAccount:
    """The row account of the reader contract (:mod:`karmayogi.progress`): what became of
    every row read.

    ``rows`` counts the rows read (blank lines hold nothing and are not rows); each was
    ``used`` (it began an entry), merged into an entry an earlier row began
    (``duplicates``), ``voided`` (xAPI), or rejected (``rejected_rows``; the first
    :data:`REJECTIONS_KEPT` listed in ``rejected`` with their reasons).
    """

    file: str | None
    rows: int = 0
    used: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = attrs.Factory(list)
    """The first :data:`REJECTIONS_KEPT` rejected rows, each with its reasons."""
    findings: list[Finding] = attrs.Factory(list)
    rejected_rows: int = 0
    """Every rejected row, counted, however many :attr:`rejected` lists."""
    voided: int = 0
    """xAPI statements that void another, or that another voids."""

    @property
    def accounted(self) -> bool:
        """Whether every row read is used, a duplicate, voided or rejected (always, by
        design)."""
        return self.rows == self.used + self.duplicates + self.voided + self.rejected_rows

    def summary(self) -> str:
        """What became of the rows, in a line."""
        return summary_line(
            self.file, self.rows, self.used, self.duplicates, self.rejected_rows,
            len(self.rejected), voided=self.voided,
        )  # fmt: skip

    def _repr_html_(self) -> str:
        """In a notebook: the summary, every rejected row with its reasons, and the
        findings."""
        rejected = table(["row", "reasons"], ([r.row, str(r)] for r in self.rejected), limit=SHOWN)
        return block(
            self.summary(),
            rejected if self.rejected else "",
            [str(f) for f in self.findings],
        )

    def _reject(self, row: int, problems: list[Problem]) -> None:
        self.rejected_rows += 1
        if len(self.rejected) < REJECTIONS_KEPT:
            self.rejected.append(Rejection(row, tuple(problems)))


@attrs.define
class Import(RowAccount):
    """What a reader made of its input: the ledger it read, and the row account
    (:mod:`karmayogi.progress` states the contract every reader keeps)."""

    ledger: Ledger = attrs.Factory(Ledger)
    tree: OrgTree = attrs.Factory(lambda: OrgTree([]))
    """The organisation tree the rows' Ministry / Department / Organization columns spell
    (empty for an input that names no units: xAPI, records from code)."""
    places: dict[str, str] = attrs.Factory(dict)
    """Each person's unit in :attr:`tree`, where the rows say."""
    allocations: list[Allocation] = attrs.Factory(list)
    """Plan allocations, from a CBP enrolment report."""
    repeats: dict[tuple[str, str], int] = attrs.Factory(dict)
    """From a CBP enrolment report: each (person, course) given in more than one row, and
    how many rows past the first (the platform's summary counts each row)."""
    statements: StatementLog | None = attrs.field(default=None, repr=False)
    """From xAPI: the statements and the voided ids, to merge with later pulls."""

    def _take(self, record: Enrolment) -> None:
        """Join a valid record in and count its row."""
        if self.ledger.add(record):
            self.used += 1
        else:
            self.duplicates += 1


REJECTIONS_KEPT = 10_000
"""How many rejected rows a reader lists with their reasons; past them it counts. A file
of a million bad rows would otherwise hold gigabytes of reasons no one reads."""


def summary_line(  # noqa: PLR0917 - one argument per number said
    file: str | None,
    rows: int,
    used: int,
    duplicates: int,
    rejected: int,
    listed: int,
    *,
    voided: int = 0,
) -> str:
    """What became of a reader's rows, in a line."""
    text = (
        f"{file or 'the input'}: {rows} rows read: {used} used, {duplicates} merged as "
        f"duplicates, " + (f"{voided} voided, " if voided else "") + f"{rejected} rejected"
    )
    return text + (f" (the first {listed:,} listed)" if listed < rejected else "")


# --- Making records fast ---------------------------------------------------------------------

_origin = tuple.__new__
