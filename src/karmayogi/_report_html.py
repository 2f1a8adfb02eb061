"""The report as one HTML page: inline styles, inline SVG charts, no script and no
network address, so that it opens the same offline, from a mail attachment or a
shared drive."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from karmayogi import __version__
from karmayogi._figures import GAP_ROWS, day, hours_text, indian_number
from karmayogi._html import escape as _e
from karmayogi._html import table as _table
from karmayogi.periods import FinancialYear, Period
from karmayogi.progress import ProgressRow

if TYPE_CHECKING:
    from karmayogi.report import Report

Cell = str | int | float | None

_STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 0;
       color: #1d2430; background: #f5f6f8; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
.meta { color: #4a5568; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.card { background: #fff; border-radius: 8px; padding: 12px 16px; min-width: 140px;
        box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card b { display: block; font-size: 22px; }
.card span { color: #4a5568; font-size: 13px; }
section { background: #fff; border-radius: 8px; padding: 16px 20px; margin: 20px 0;
          box-shadow: 0 1px 2px rgba(0,0,0,.08); }
section h2 { margin: 0 0 6px; font-size: 19px; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption, .lead { color: #4a5568; font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e2e8f0; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #edf2f7; }
tr.total td { font-weight: bold; }
.note { background: #fffbea; border-left: 4px solid #f1a340; padding: 8px 12px; }
footer { color: #4a5568; font-size: 13px; }
footer li { margin: 3px 0; }
details { border-top: 1px solid #e2e8f0; padding: 6px 0; }
summary { cursor: pointer; font-weight: bold; padding: 4px 0; }
td.depth1 { padding-left: 20px; } td.depth2 { padding-left: 36px; }
.narrow { display: none; }
/* A phone (390 px and the like): one column; each table row a card of labelled values;
   the charts drawn for the width, so that their text stays the size it was drawn at. */
@media (max-width: 640px) {
  main { padding: 12px 8px; }
  header h1 { font-size: 22px; }
  section { padding: 12px 10px; margin: 14px 0; }
  .cards { gap: 8px; }
  .card { min-width: 0; flex: 1 1 calc(50% - 8px); box-sizing: border-box; padding: 10px; }
  .wide { display: none; }
  .narrow { display: block; }
  table, thead, tbody, tr, th, td { display: block; width: 100%; box-sizing: border-box; }
  table { font-size: 14px; }
  thead { display: none; }
  tr { border: 1px solid #e2e8f0; border-radius: 6px; margin: 0 0 8px; padding: 4px 8px; }
  td { display: flex; justify-content: space-between; gap: 12px; border: 0;
       padding: 3px 0; text-align: right; overflow-wrap: anywhere; }
  td::before { content: attr(data-label); color: #4a5568; text-align: left; }
  td:first-child { font-weight: bold; }
  td:first-child::before { content: none; }
  td:empty { display: none; }
}
"""


def page(report: Report, *, charts: bool) -> str:
    """The whole page."""

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}: capacity building {report.year}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body><main>",
        "<header>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="meta">Capacity building in plan year {report.year} (1 April '
        f"{report.year.start.year} to 31 March {report.year.end.year}); data as of "
        f"<b>{day(report.as_of)}</b>.<br>Counting policy: <b>{_e(report.policy)}</b>.</p>",
        _cards(report),
        "</header>",
    ]
    if not charts:
        parts.append(
            '<p class="note">Charts need matplotlib (the charts extra): <code>pip install '
            "matplotlib</code>. The tables below hold every number.</p>"
        )
    parts += [
        _departments(report, charts),
        _drilldown(report),
        _quarters(report, charts),
        _compliance(report, charts),
        _reconciliation(report),
        _campaign(report),
        _karma(report),
        _gaps(report, charts),
        _footer(report),
        "</main></body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _cards(report: Report) -> str:
    n = indian_number

    row = report.headline
    cards: list[tuple[str | None, str]] = []
    if row.users is not None:
        cards.append((n(row.users), "people"))
    hidden = report.quarters.suppressed_below is not None

    def count(value: float | None) -> str:
        # A count left out by suppression is shown as hidden, never as a zero.
        return "*" if value is None and hidden else n(value or 0)

    cards += [
        (count(row.enrolled_users), "people enrolled"),
        (count(row.completions), "completions"),
        (_share(row.enrolments_completed, row.enrolments), "of enrolments completed"),
        (
            "*" if row.learning_hours is None and hidden else hours_text(report.all_hours(row)),
            "learning hours" + (", offline sessions included" if report.offline else ""),
        ),
    ]
    if report.offline is not None:
        cards.append((hours_text(report.offline_hours(row.unit)), "hours in offline sessions"))
    total = report._compliance_total()
    if total is not None:
        allocated, _completed, on_time, apar_users, apar_ok = total
        cards.append((_share(on_time, allocated), "plan courses done on time"))
        if apar_users != 0:
            cards.append((_share(apar_ok, apar_users), "officers APAR-compliant"))
    shown = [("*" if v is None else v or "none", k) for v, k in cards]  # None: hidden
    body = "".join(f'<div class="card"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for v, k in shown)
    return f'<div class="cards">{body}</div>'


def _departments(report: Report, charts: bool) -> str:
    rows = report.by_department
    names = [r.name for r in rows]
    chart = ""
    if charts:
        from karmayogi import _charts

        chart = _both(
            _charts.departments,
            names,
            [r.completion_rate for r in rows],
            [None if r.learning_hours is None else report.all_hours(r) for r in rows],
        )
    header = [
        "Department",
        "People",
        "Enrolled",
        "Completed a course",
        "Enrolments",
        "Completions",
        "Completion rate",
        "Certificates",
        "Learning hours",
    ]
    people = any(r.users is not None for r in report.quarters)
    body = [_progress_cells(r.name, r, people) for r in rows]
    total = _progress_cells("All", report.headline, people)
    offline = ""
    if report.offline is not None:
        header[-1] = "Learning hours: courses"
        header += ["Offline sessions attended", "Offline hours", "All learning hours"]
        for cells, row in [*zip(body, rows, strict=True), (total, report.headline)]:
            at = report.offline.total(row.unit)
            cells += [at.sessions if at else 0, _hours(report.offline_hours(row.unit)),
                      _hours(report.all_hours(row))]  # fmt: skip
        offline = (
            " Offline sessions of blended programmes count too: their hours where the "
            "person attended (and, as the platform counts, where the programme's "
            "certificate was issued)."
        )
    return _section(
        "departments",
        "Completion and learning hours by department",
        f"Each department with its offices, over plan year {report.year}. The completion "
        "rate is the share of enrolments completed; learning hours add up the durations "
        f"of the courses completed, as the counting policy says.{offline}",
        chart,
        table(header, body, total=total, cell=_cells(report)),
    )


def _drilldown(report: Report) -> str:
    """Each department's offices, one ``<details>`` each: opened by a tap, no script."""
    rows = {row.unit: row for row in report.by_unit}
    if not rows:
        return ""
    tree, people = report.tree, any(r.users is not None for r in report.quarters)
    compliance = report.compliance
    header = ["Office", "People", "Enrolled", "Completed a course", "Enrolments",
              "Completions", "Completion rate", "Certificates", "Learning hours"]  # fmt: skip
    if compliance is not None:
        header.append("Plan courses on time")
    parts = []
    for department in report.departments:
        below = [u.id for u in tree if department in tree.path(u.id) and u.id != department]
        if not below:
            continue
        body = []
        for unit in below:
            path = tree.path(unit)
            name = " / ".join(tree[u].name for u in path[path.index(department) + 1 :])
            cells = _progress_cells(name, rows[unit], people)
            if compliance is not None:
                c = compliance.unit(unit)
                cells.append(_share(c.cbp_completed_on_time, c.cbp_allocated))
            body.append(cells)
        title = f"{tree[department].name}: {len(below)} offices"
        parts.append(
            f"<details><summary>{_e(title)}</summary>"
            f"{table(header, body, cell=_cells(report))}</details>"
        )
    return _section(
        "offices",
        "Each department, office by office",
        "Open a department to see its offices over the plan year, counted as above.",
        "",
        "".join(parts),
    )


def _progress_cells(name: str, row: ProgressRow, people: bool) -> list[Cell]:
    return [
        name,
        row.users if people else "",  # no people given: not counted, rather than hidden
        row.enrolled_users,
        row.completed_users,
        row.enrolments,
        row.completions,
        _share(row.enrolments_completed, row.enrolments),
        row.certificates,
        _hours(row.learning_hours),
    ]


def _quarters(report: Report, charts: bool) -> str:
    tops = report.tree.roots
    periods: list[Period] = sorted({r.period for r in report.quarters if r.unit in tops})
    rows: list[tuple[str, float | None, float | None, float | None, float | None]] = []
    for period in periods:
        at = [report.quarters.row(t, period) for t in tops]
        label = str(period) + _outside(period, report.year)
        rows.append(
            (
                label,
                _total(r.enrolments for r in at),
                _total(r.completions for r in at),
                _total(r.completed_users for r in at),
                _hours(_total(r.learning_hours for r in at)),
            )
        )
    chart = ""
    if charts and rows:
        from karmayogi import _charts

        chart = _both(
            _charts.quarters,
            [str(r[0]).replace(_AFTER, "*").replace(_BEFORE, "*") for r in rows],
            [r[1] for r in rows],
            [r[2] for r in rows],
            [r[4] for r in rows],
        )
    header = ["Quarter", "Enrolments", "Completions", "People completing", "Learning hours"]
    return _section(
        "quarters",
        "Progress over the financial year",
        "Enrolments made, and courses completed, in each quarter (Q1 is April to June). "
        "A quarter before or after the plan year (marked *) is shown as the data holds "
        "it: enrolments begun before the year, or completions that came after it.",
        chart,
        table(header, rows, cell=_cells(report)),
    )


_BEFORE, _AFTER = " (before the year)", " (after the year)"


def _outside(period: Period, year: FinancialYear) -> str:
    """How a period's label says that it lies outside the plan year, if it does."""
    if period.start < year.start:
        return _BEFORE
    return _AFTER if period.start > year.end else ""


def _compliance(report: Report, charts: bool) -> str:
    compliance = report.compliance
    if compliance is None:
        return _section(
            "compliance",
            "Plan compliance and APAR status",
            "No plan allocations were given, so there is no plan compliance to show.",
        )
    rows = [compliance.unit(d) for d in report.departments]
    late = [_minus(r.cbp_completed, r.cbp_completed_on_time) for r in rows]
    open_ = [_minus(r.cbp_allocated, r.cbp_completed) for r in rows]
    chart = ""
    if charts and rows:
        from karmayogi import _charts

        chart = _both(
            _charts.compliance,
            [r.name for r in rows],
            on_time=[r.cbp_completed_on_time for r in rows],
            late=late,
            open_=open_,
            apar_compliant=[r.apar_compliant_users for r in rows],
            apar_users=[r.apar_users for r in rows],
        )
    header = [
        "Department",
        "People with plan courses",
        "Allocated",
        "Completed",
        "On time",
        "Late",
        "Not completed",
        "APAR officers",
        "APAR-compliant",
        "APAR %",
    ]
    body: list[list[Cell]] = [
        [
            r.name,
            r.users,
            r.cbp_allocated,
            r.cbp_completed,
            r.cbp_completed_on_time,
            lt,
            op,
            r.apar_users,
            r.apar_compliant_users,
            _share(r.apar_compliant_users, r.apar_users),
        ]
        for r, lt, op in zip(rows, late, open_, strict=True)
    ]
    return _section(
        "compliance",
        "Plan compliance and APAR status",
        "Courses of Live plans allocated to active people, each (person, course) once with "
        "its latest due date. On time: completed on or before the due date, its whole day "
        "in India. APAR: an officer complies who completed at least half of their APAR "
        "courses by 31 March of the plan year (DoPT, 4 July 2025).",
        chart,
        table(header, body, cell=_cells(report)),
    )


def _reconciliation(report: Report) -> str:
    found = report.reconciliation
    if found is None:
        return ""
    from karmayogi.reconcile import CAUSES

    names = {
        "allocated": "Plan courses allocated",
        "completed": "Completed",
        "completed_in_time": "Completed within the due date",
    }
    totals = [[names[m], theirs, ours, ours - theirs] for m, (theirs, ours) in found.totals.items()]
    causes = [[cause, n, CAUSES[cause]] for cause, n in found.causes().items()]
    differ = len(found.differences)
    lead = (
        f"The platform's own summary (CBPUserSummaryReport) recomputed here, person by "
        f"person: of {found.compared:,} people, {found.compared - differ:,} agree and "
        f"{differ:,} differ, each difference with its cause. The people are in "
        "`karmayogi reconcile`'s output, for the MDO; not on this page."
    )
    parts = table(["", "Platform", "Here", "Difference"], totals, cell=_cells(report))
    if causes:
        parts += table(["Cause", "People", "What it means"], causes, cell=_cells(report))
    return _section("reconciliation", "The platform's summary, reconciled", lead, "", parts)


def _campaign(report: Report) -> str:
    table_ = report.campaign
    if table_ is None:
        return ""
    week = table_.campaign
    rows = {row.unit: row for row in table_.rows}
    header = ["Department", f"People with {week.hours:g}+ hours", "Enrolments", "Completions",
              "Learning hours"]  # fmt: skip

    def cells(name: str, unit: str) -> list[Cell]:
        r = rows[unit]
        return [name, r.learners, r.enrolments, r.completions, _hours(r.learning_hours)]

    body = [cells(report.tree[d].name, d) for d in report.departments]
    tops = report.tree.roots
    total = cells("All", tops[0]) if len(tops) == 1 else None
    moved = "".join(
        f" {report.tree[unit].name if unit in report.tree else unit} ran it from "
        f"{day(window.start)} to {day(window.end)}."
        for unit, window in sorted(week.overrides.items())
    )
    return _section(
        "campaign",
        f"{week.name}, {day(week.start)} to {day(week.end)}",
        f"The learning week: people with at least {week.hours:g} learning hours from courses "
        "completed in it (as the counting policy counts hours), and the enrolments and "
        f"completions made in it.{moved}",
        "",
        table(header, body, total=total, cell=_cells(report)),
    )


def _karma(report: Report) -> str:
    karma = report.karma
    if karma is None:
        return ""
    rules = karma.rules
    header = ["Department", "Karma points"]
    body: list[list[Cell]] = [[report.tree[d].name, karma.units[d]] for d in report.departments]
    tops = report.tree.roots
    total: list[Cell] | None = ["All", karma.units[tops[0]]] if len(tops) == 1 else None
    unsaid = "; ".join(karma.not_counted)
    return _section(
        "karma",
        "Karma points",
        f"Credited by the platform's rules from these records: a first enrolment "
        f"{rules.first_enrolment}, a course completed {rules.completion} "
        f"({rules.completion_with_assessment} with an assessment; of courses outside the "
        f"plans, the first {rules.completions_a_month} of a month), a plan course's bonus "
        f"{rules.plan_bonus}, a rating {rules.rating}."
        + (f" Not counted, for want of what it needs ({unsaid})." if unsaid else ""),
        "",
        table(header, body, total=total, cell=_cells(report)),
    )


def _gaps(report: Report, charts: bool) -> str:

    gaps = report.gaps
    if gaps is None:
        return _section(
            "gaps",
            "Competency gaps",
            "No role profiles were given, so there are no competency gaps to show.",
        )
    groups = [report.tree[d].name for d in report.departments]
    top = [c.competency for c in gaps.totals if c.people_short != 0][:GAP_ROWS]
    cells = {(c.competency, c.group): c for c in gaps.cells}
    shares: list[list[float | None]] = []  # None: nobody needs it; NaN: hidden
    for competency in top:
        line: list[float | None] = []
        for group in groups:
            cell = cells.get((competency, group))
            if cell is None:
                line.append(None)
            elif cell.people_short is None or cell.people_required is None:
                line.append(math.nan)
            else:
                line.append(cell.people_short / cell.people_required)
        shares.append(line)
    label = report.competency_names.get
    chart = ""
    if charts and top:
        from karmayogi import _charts

        chart = _both(_charts.heatmap, [label(c, c) for c in top], groups, shares)
    totals = {c.competency: c for c in gaps.totals}
    header = ["Competency", "People who need it", "People short", "Mean levels short", *groups]
    body: list[list[Cell]] = [
        [
            label(c, c),
            totals[c].people_required,
            totals[c].people_short,
            None if (mean := totals[c].mean_deficit) is None else f"{mean:.1f}",
            *("" if s is None else None if math.isnan(s) else _percent(s) for s in line),
        ]
        for c, line in zip(top, shares, strict=True)
    ]
    return _section(
        "gaps",
        "Competency gaps",
        "Each active person against the role profile of their designation: the share of "
        "those who need a competency who hold it below the level asked (or not at all), "
        f"by department. The {len(top)} competencies with the most people short.",
        chart,
        table(header, body, cell=_cells(report)),
    )


def _footer(report: Report) -> str:
    notes = [*report.choices, *report.quarters.notes()]
    if report.compliance is not None:
        notes += report.compliance.notes()[1:]
    notes += report.notes
    # Each table of the release says how it was suppressed; the page says it once.
    items = "".join(f"<li>{_e(n)}</li>" for n in dict.fromkeys(notes))
    return (
        f"<footer><h2>Notes</h2><ul>{items}</ul>"
        f"<p>Made by karmayogi {_e(__version__)}.</p></footer>"
    )


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], **options: Any) -> str:
    """The report's tables: each cell labelled with its column, for a phone's cards."""
    return _table(header, rows, labelled=True, **options)


def _both(draw: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    """A chart drawn twice, for a wide screen and for a phone; the page shows the one
    that fits (its style's media query), so that a phone never shrinks a wide chart's
    text to a few pixels."""
    wide = draw(*args, **kwargs)
    narrow = draw(*args, **kwargs, narrow=True)
    return f'<div class="wide">{wide}</div><div class="narrow">{narrow}</div>'


def _section(anchor: str, title: str, lead: str, chart: str = "", table: str = "") -> str:
    figure = f"<figure>{chart}<figcaption>{_e(title)}</figcaption></figure>" if chart else ""
    return (
        f'<section id="{anchor}"><h2>{_e(title)}</h2><p class="lead">{_e(lead)}</p>'
        f"{figure}{table}</section>"
    )


_HIDDEN = '<span title="hidden: a small count, or one that would give one away">*</span>'


def _cells(report: Report) -> Callable[[Cell], str]:
    """How the report's tables write a cell: a number suppression hid is shown hidden,
    never as a blank or a zero."""
    if report.quarters.suppressed_below is None:
        return _cell
    return lambda value: _HIDDEN if value is None else _cell(value)


class Hours(float):
    """Learning hours in a table: written as every figure of hours is (one decimal)."""


def _hours(value: float | None) -> Hours | None:
    return None if value is None else Hours(value)


def _cell(value: Cell) -> str:

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Hours):
        return hours_text(value)
    if isinstance(value, int):
        return indian_number(value)
    if isinstance(value, float):
        return indian_number(value, 0 if value == int(value) else 1)
    return _e(value)


def _minus(a: int | None, b: int | None) -> int | None:
    """A count made from two others: unknown when either is (suppressed), never a guess."""
    return None if a is None or b is None else a - b


def _total(values: Iterable[float | None]) -> float | None:
    """A sum that is unknown when any part is (suppressed), rather than the rest's sum."""
    parts = list(values)
    return None if any(v is None for v in parts) else sum(v or 0 for v in parts)


def _share(part: int | None, whole: int | None) -> str | None:
    """A part's share of a whole: None (hidden) when either is hidden, blank when the
    whole is nothing."""
    if part is None or whole is None:
        return None
    return _percent(part / whole) if whole else ""


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{100 * value:.0f}%"
