"""From the platform's export to the tables, on either engine: the one entry that the
command line's ``karmayogi progress`` calls, so that a notebook or a portal gets the same
numbers, the same joins reported and the same row account as the command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import attrs

from karmayogi._allocation import Allocation, Allocations, allocations_of
from karmayogi._csv import Source
from karmayogi._joins import CourseNames, join_people, join_places
from karmayogi.errors import Match
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree, Person
from karmayogi.periods import PeriodKind
from karmayogi.progress._account import Import
from karmayogi.progress._membership import Membership, UnitRule
from karmayogi.progress._readers import read_consumption_report
from karmayogi.progress._rollup import Rollup
from karmayogi.progress._rules import CountingPolicy, View
from karmayogi.progress._tables import ComplianceTable, ProgressTable

if TYPE_CHECKING:
    from karmayogi.progress._columnar._reader import FrameImport

__all__ = ["Engine", "RolledUpExport", "roll_up_export"]

Engine = Literal["auto", "reference", "columnar"]
"""The engine asked for: ``reference`` (pure Python, always there), ``columnar`` (polars,
the ``columnar`` extra), or ``auto``: the columnar one where it is installed."""

_NAMES = {"reference": "reference (pure Python)", "columnar": "columnar (polars)"}


@attrs.frozen(kw_only=True)
class RolledUpExport:
    """An export rolled up: the row account of its reading, the progress table, the plan
    compliance if allocations were given, how well each join matched, and the engine
    that counted."""

    report: Import | FrameImport
    """What the reader made of the export (:class:`Import`, or with the columnar engine
    :class:`~karmayogi.columnar.FrameImport`): the same row account either way."""
    table: ProgressTable[int]
    compliance: ComplianceTable[int] | None
    matched: tuple[Match, ...]
    """The records' people in the people given, or their units in the tree; then, with
    allocations, their courses in the records and their people among those placed."""
    engine: str
    """Which engine counted, in words (``reference (pure Python)``, ``columnar (polars)``)."""


def roll_up_export(
    source: Source,
    *,
    by: PeriodKind = "quarter",
    view: View = "flow",
    tree: OrgTree | None = None,
    people: Iterable[Person] | None = None,
    allocations: Allocations | Iterable[Allocation] | None = None,
    catalogue: CourseNames | None = None,
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    engine: Engine = "auto",
    limits: Limits = DEFAULT_LIMITS,
    membership: Membership | None = None,
    unit_rule: UnitRule = "when-it-happened",
    as_of: dt.date | str | None = None,
) -> RolledUpExport:
    """The platform's ``ConsumptionReport.csv`` read and rolled up over units and periods
    by ``by``, read as ``view``, on ``engine``; with ``allocations``, plan compliance too.
    The export is held to ``limits`` (:data:`~karmayogi.limits.NO_LIMITS` for a trusted
    national file past the defaults).

    Units are the ``tree`` given, or else the one the export's Ministry / Department /
    Organization columns spell. People are counted from ``people`` (each in their unit,
    which must be in ``tree``) or else placed where their records say. Each join says how
    well it matched (:attr:`RolledUpExport.matched`); one that meets nowhere raises
    :class:`~karmayogi.errors.NoMatchError` with what to pass, rather than give zeros.

    With ``membership`` (people's units over time), each record counts by ``unit_rule``;
    with ``as_of``, the numbers are those the data gave at the end of that day
    (:meth:`Rollup.as_of`). Both are counted by the reference engine, which ``auto``
    then chooses, and :attr:`RolledUpExport.engine` says why.

    >>> import io
    >>> export = io.StringIO(
    ...     "Email,Ministry,Department,Organization,Content_Name,Content_Duration,"
    ...     "Enrolled_On,Status,Content_Progress_Percentage,Completed_On,"
    ...     "Certificate_Generated\\n"
    ...     "ravi@cg.gov.in,CG,Revenue,,RTI Act,01:30:00,2025-04-05 10:30:00,"
    ...     "completed,100,2025-05-01 17:30:00,Yes\\n")
    >>> done = roll_up_export(export, by="fy", engine="reference")
    >>> row = done.table.row("CG", "2025-26")
    >>> row.completions, row.learning_hours, done.engine
    (1, 1.5, 'reference (pure Python)')
    >>> print(done.matched[0])
    the records' units in the organisation tree: 1 of 1 matched (100%)
    """
    if people is not None and tree is None:
        raise ValueError("people need a tree: the units their unit ids name")
    if people is not None and membership is not None:
        raise ValueError("give people or a membership (their units over time), not both")
    over_time = membership is not None or as_of is not None
    if over_time and engine == "columnar":
        raise ValueError(
            "membership over time and as-of days are counted by the reference engine: "
            "pass engine='reference' (or 'auto')"
        )
    chosen = "reference" if over_time else _engine(engine)
    if chosen == "columnar":
        return _columnar(source, by, view, tree, people, allocations, catalogue, policy, limits)
    report = read_consumption_report(source, limits=limits)
    tree = tree if tree is not None else report.tree
    matched: list[Match] = []
    if people is not None:
        people = list(people)
        in_records = [person for person, _entries in report.ledger.by_person()]
        matched.append(join_people(in_records, [p.id for p in people]).check())
        rollup = Rollup(tree, people=people, by=by, policy=policy, records=report.ledger,
                        limits=limits)  # fmt: skip
    elif membership is not None:
        in_records = [person for person, _entries in report.ledger.by_person()]
        matched.append(membership.meets(in_records).check())
        rollup = Rollup(tree, membership=membership, unit_rule=unit_rule, by=by, policy=policy,
                        records=report.ledger, limits=limits)  # fmt: skip
    else:
        places, placed = join_places(report.places, tree)
        matched.append(placed.check())
        rollup = Rollup(tree, places=places, by=by, policy=policy, records=report.ledger,
                        limits=limits)  # fmt: skip
    if as_of is not None:
        rollup = rollup.as_of(as_of)
    compliance = None
    if allocations is not None:
        compliance = rollup.compliance(allocations, catalogue=catalogue)
        matched += compliance.matched
    why = ""
    if over_time and engine == "auto":
        why = ": the columnar engine counts neither membership over time nor as-of days"
    return RolledUpExport(
        report=report,
        table=rollup.table(view),
        compliance=compliance,
        matched=tuple(matched),
        engine=_NAMES["reference"] + why,
    )


def _engine(engine: Engine) -> Literal["reference", "columnar"]:
    """The engine asked for, or (auto) the columnar one where its extra is installed."""
    if engine == "reference":
        return "reference"
    try:
        import narwhals  # noqa: F401 - only to see if the extra is there
        import polars  # noqa: F401
    except ImportError:
        if engine == "columnar":
            raise ValueError(
                "the columnar engine needs the columnar extra (pip install narwhals polars)"
            ) from None
        return "reference"
    return "columnar"


def _columnar(  # noqa: PLR0917 - roll_up_export's choices, passed on
    source: Source,
    by: PeriodKind,
    view: View,
    tree: OrgTree | None,
    people: Iterable[Person] | None,
    allocations: Allocations | Iterable[Allocation] | None,
    catalogue: CourseNames | None,
    policy: CountingPolicy,
    limits: Limits,
) -> RolledUpExport:
    """:func:`roll_up_export` on the columnar engine: the export read by polars as one
    streamed query, its records joined as the ledger joins them."""
    import polars as pl  # in the columnar extra

    from karmayogi.progress._columnar._engine import compliance_table, rollup_table
    from karmayogi.progress._columnar._reader import read_consumption_frame

    report = read_consumption_frame(source, joined=True, limits=limits)
    tree = tree if tree is not None else report.tree
    placed: dict[str, Any]
    matched: list[Match] = []
    if people is not None:
        people = list(people)
        in_records = report.records.get_column("person").unique().to_list()
        matched.append(join_people(in_records, [p.id for p in people]).check())
        placed = {"people": people}
    else:
        places = dict(report.places.select("person", "place").iter_rows())
        _kept, by_unit = join_places(places, tree)
        matched.append(by_unit.check())
        placed = {"places": report.places.filter(pl.col("place").is_in([u.id for u in tree]))}
    table = rollup_table(
        report.records, tree, by=by, policy=policy, view=view, limits=limits, **placed
    )
    compliance = None
    if allocations is not None:
        given = allocations_of(allocations)
        frame = pl.DataFrame(
            {
                "person": [a.person for a in given],
                "course": [a.course for a in given],
                "due": pl.Series([a.due for a in given], dtype=pl.Date),
                "apar": pl.Series([a.apar for a in given], dtype=pl.Boolean),
            }
        )
        compliance = compliance_table(
            report.records, frame, tree, policy=policy, catalogue=catalogue, **placed
        )
        matched += compliance.matched
    return RolledUpExport(
        report=report,
        table=table,
        compliance=compliance,
        matched=tuple(matched),
        engine=_NAMES["columnar"],
    )
