"""Suppression decided over everything published together: each number of the release's
tables is a cell. What a reader knows of them are sums (a parent is its children and its
own people; the completed are the on-time and the late: :func:`~karmayogi._publish.
hidden_cells`) and chains over time (a year is its quarters, a cumulative period the one
before and the flows between: :func:`~karmayogi._publish.unchained`), and cells are
hidden until neither gives a small count away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from karmayogi._publish import Chain, Sum, hidden_cells, unchained
from karmayogi.progress._rules import METRICS

__all__ = ["COMPLIANCE_COUNTS", "suppress"]

if TYPE_CHECKING:
    from karmayogi.org import OrgTree
    from karmayogi.progress._tables import ComplianceTable, ProgressTable


class Cell(NamedTuple):
    """A number by what it counts: the metric, the unit, and the days it covers (a
    cumulative period from the beginning, so no start; the unit's people and the plan's,
    no days). Two tables that show the same number show the same cell."""

    metric: str
    unit: str
    start: dt.date | None
    end: dt.date | None

    def within(self, after: dt.date | None, end: dt.date | None) -> bool:
        """Whether this flow's days lie after the day ``after`` (if any), up to ``end``."""
        return (
            self.start is not None
            and self.end is not None
            and (after is None or after < self.start)
            and end is not None
            and self.end <= end
        )


_OVER_TIME = ("enrolments", "completions", "certificates", "learning_hours")
"""The metrics that add up over time: a year's are its quarters'."""

_PROGRESS = (*(m for m in METRICS if m != "completion_rate"), "enrolments_completed")
"""The counts of a progress table (a rate is not a count: it is hidden with its parts)."""
COMPLIANCE_COUNTS = (
    "users",
    "cbp_allocated",
    "cbp_completed",
    "cbp_completed_on_time",
    "apar_users",
    "apar_compliant_users",
)
"""Plan compliance's counts, one place for the table and its suppression."""

_TOGETHER = (
    # Hours are certified completions times durations, and nearly every completion is
    # certified: each of the three gives the others away. The people who enrolled (or
    # completed) bound the enrolments (completions) from below, and are none only when
    # they are none, so a count of people hides with its count of courses.
    ("completions", "certificates", "learning_hours", "completed_users"),
    ("enrolments", "enrolled_users"),
    ("cbp.cbp_allocated", "cbp.cbp_completed", "cbp.cbp_completed_on_time"),
    ("cbp.apar_users", "cbp.apar_compliant_users"),
)
_GROUP = {metric: group for group in _TOGETHER for metric in group}

_DERIVED = (
    # The report shows the late (completed less on time) and the not completed
    # (allocated less completed); the officers not APAR-compliant follow the same way.
    ("cbp.cbp_allocated", "cbp.cbp_completed"),
    ("cbp.cbp_completed", "cbp.cbp_completed_on_time"),
    ("cbp.apar_users", "cbp.apar_compliant_users"),
)


def suppress(
    tables: Sequence[ProgressTable[Any]],
    compliance: ComplianceTable[Any] | None,
    below: int,
    tree: OrgTree,
) -> tuple[list[ProgressTable[int | None]], ComplianceTable[int | None] | None]:
    """The tables with every cell the release must hide set to None."""
    values: dict[Cell, float] = {}
    for table in tables:
        for row in table.rows:
            for metric in _PROGRESS:
                value = getattr(row, metric)
                if value is not None:
                    values[_progress_cell(metric, row.unit, row.period, table.view)] = value
    for unit_row in compliance.units if compliance is not None else ():
        for metric in COMPLIANCE_COUNTS:
            value = getattr(unit_row, metric)
            if value is not None:
                values[Cell("cbp." + metric, unit_row.unit, None, None)] = value
    sums = [*_tree_sums(values, tree), *_derived_sums(values)]
    chains = _chains(values)

    def together(cell: Cell) -> Iterable[Cell]:
        return (cell._replace(metric=m) for m in _GROUP.get(cell.metric, ()))

    def small(cell: Cell) -> bool:
        return cell.metric != "learning_hours"

    def hide(cell: Cell) -> None:
        hidden.update(c for c in (cell, *together(cell)) if c in values)

    # The sums over the tree, then the chains over time, until neither hides more.
    hidden: set[Cell] = set()
    while True:
        hidden = hidden_cells(values, sums, below, small=small, together=together, hidden=hidden)
        if not unchained(values, chains, hidden, below, hide):
            break
    out = []
    for table in tables:
        rows, gone_cells = [], set()
        for row in table.rows:
            gone = {
                m
                for m in _PROGRESS
                if _progress_cell(m, row.unit, row.period, table.view) in hidden
            }
            if gone & {"enrolments", "enrolments_completed"}:
                gone.add("completion_rate")
            blank: dict[str, Any] = dict.fromkeys(gone)
            rows.append(attrs.evolve(row, **blank))
            gone_cells |= {(row.unit, row.period, m) for m in gone}
        out.append(
            attrs.evolve(
                table, rows=tuple(rows), suppressed_below=below, hidden=frozenset(gone_cells)
            )
        )
    if compliance is not None:
        units, gone_units = [], set()
        for unit_row in compliance.units:
            gone = {
                m
                for m in COMPLIANCE_COUNTS
                if Cell("cbp." + m, unit_row.unit, None, None) in hidden
            }
            blank = dict.fromkeys(gone)
            units.append(attrs.evolve(unit_row, **blank))
            gone_units |= {(unit_row.unit, m) for m in gone}
        compliance = attrs.evolve(
            compliance,
            units=tuple(units),
            people=(),
            suppressed_below=below,
            hidden=frozenset(gone_units),
        )
    return out, compliance


def _progress_cell(metric: str, unit: str, period: Any, view: str) -> Cell:
    if metric == "users":  # the unit's people, the same in every period
        return Cell(metric, unit, None, None)
    return Cell(metric, unit, period.start if view == "flow" else None, period.end)


def _tree_sums(values: dict[Cell, float], tree: OrgTree) -> list[Sum[Cell]]:
    """A unit's number is its children's plus its own people's."""
    slices = {cell._replace(unit="") for cell in values}
    sums = []
    for piece in sorted(slices, key=str):
        for unit in tree.units:
            children = tree.children(unit)
            total = piece._replace(unit=unit)
            if not children or total not in values:
                continue
            parts = tuple(piece._replace(unit=child) for child in children)
            rest = values[total] - sum(values.get(p, 0) for p in parts)
            sums.append(Sum(total, parts, rest, counts=piece.metric != "learning_hours"))
    return sums


def _chains(values: dict[Cell, float]) -> list[Chain[Cell]]:
    """Each metric's numbers over time for each unit: a flow runs from the day before it
    begins to its end, a cumulative period from the beginning to its end. Counts of
    people (and the completion rate's numerator) do not add up over time, so only their
    cumulative periods chain, and a first period whose flow equals its cumulative."""
    series: dict[tuple[str, str], list[Cell]] = {}
    for cell in values:
        if cell.end is not None:
            series.setdefault((cell.metric, cell.unit), []).append(cell)
    chains = []
    for (metric, _unit), cells in series.items():
        running = {c.end: c for c in cells if c.start is None}
        edges = []
        for cell in cells:
            if cell.start is None:
                edges.append((cell, _ORIGIN, cell.end))
            elif metric in _OVER_TIME:
                edges.append((cell, cell.start - dt.timedelta(days=1), cell.end))
            elif (same := running.get(cell.end)) is not None and values[same] == values[cell]:
                edges.append((cell, _ORIGIN, cell.end))  # nothing before it: as the total
        chains.append(Chain(tuple(edges), _ORIGIN, counts=metric != "learning_hours"))
    return chains


_ORIGIN = dt.date.min


def _derived_sums(values: dict[Cell, float]) -> list[Sum[Cell]]:
    """The counts the report derives: a whole less a part is a count too."""
    sums = []
    for whole, part in _DERIVED:
        for cell, value in values.items():
            other = cell._replace(metric=part)
            if cell.metric == whole and other in values:
                sums.append(Sum(cell, (other,), value - values[other]))
    return sums
