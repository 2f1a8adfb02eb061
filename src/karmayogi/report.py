"""One page on a state's (or a ministry's) capacity building: a self-contained HTML
report with charts and the tables under them.

:func:`make_report` runs the whole chain on what it is given: progress rolled up by
department and by quarter of the plan year, plan compliance and the APAR rule, and the
competency gaps of each department's people against their role profiles.
:meth:`Report.to_html` writes one HTML file that opens offline: no scripts, no fonts
or styles from the network, the charts drawn inline as SVG by matplotlib (the
``charts`` extra). Without matplotlib the report has the same tables and no charts.

>>> from karmayogi.demo import make_demo
>>> from karmayogi.report import make_report
>>> state = make_demo(people=300)
>>> report = make_report(state.tree, state.records, people=state.people,
...     allocations=state.allocations, positions=state.positions,
...     profiles=state.profiles, framework=state.framework, year=state.year,
...     as_of=state.as_of, title=state.name)
>>> print(report.summary())
Madhyanchal Pradesh: plan year 2025-26, data as of 15/04/2026
  people: 292 active, 261 enrolled (89%), 232 completed a course
  enrolments: 1,363, completions: 839 (62%), learning hours: 1,122.0
  plan courses: 1,637 allocated, 704 completed, 675 on time
  APAR: 133 of 292 officers comply (46%)
  widest gap: Stress Management, 181 of 228 people short
  counting policy: platform
>>> html = report.to_html(charts=False)
>>> html.startswith("<!DOCTYPE html>"), "http" in html.replace("http-equiv", "")
(True, False)
"""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from karmayogi._api import presented
from karmayogi._figures import GAP_ROWS, hours_text, indian_number
from karmayogi._figures import day as day_text
from karmayogi._joins import join_people
from karmayogi.cbp import Allocation, Catalogue, Resolution
from karmayogi.competency import (
    CompetencyProfile,
    Framework,
    GapTable,
    Position,
    gap_table,
)
from karmayogi.designations import DesignationIndex
from karmayogi.errors import Match
from karmayogi.org import OrgTree, Person
from karmayogi.periods import IST, FinancialYear, PeriodKind, plausible_dates, today_in_india
from karmayogi.progress import (
    Attendance,
    Campaign,
    CampaignTable,
    ComplianceTable,
    CountingPolicy,
    Enrolment,
    KarmaTable,
    Ledger,
    Membership,
    OfflineTable,
    ProgressRow,
    ProgressTable,
    Release,
    Rollup,
    UnitRule,
)
from karmayogi.reconcile import Reconciliation

__all__ = ["Report", "charts_available", "choose_year", "indian_number", "make_report"]

_COMPLIANCE_TOTALS = (
    "cbp_allocated",
    "cbp_completed",
    "cbp_completed_on_time",
    "apar_users",
    "apar_compliant_users",
)


def charts_available() -> bool:
    """Whether matplotlib (the ``charts`` extra) is installed, so reports draw charts."""
    try:
        import matplotlib  # noqa: F401 - only to see if it is there
    except ImportError:
        return False
    return True


@attrs.frozen(kw_only=True, eq=False)
class Report:
    """What the report shows; :meth:`to_html` draws it, :meth:`summary` says it in text."""

    title: str
    year: FinancialYear
    as_of: dt.date
    """The data's date."""
    tree: OrgTree
    departments: tuple[str, ...]
    """The units the report compares: the children of a single root, or the roots."""
    headline: ProgressRow
    """The whole tree, over the plan year."""
    by_department: tuple[ProgressRow, ...]
    """Each department over the plan year, in the order of :attr:`departments`."""
    by_unit: tuple[ProgressRow, ...] = ()
    """Every unit of the tree over the plan year, parents first: the page's drill-down."""
    quarters: ProgressTable
    """Every unit by quarter; the report draws the tree's top."""
    compliance: ComplianceTable | None = None
    gaps: GapTable | None = None
    campaign: CampaignTable | None = None
    """A learning week's numbers for every unit, where a campaign was given."""
    reconciliation: Reconciliation | None = None
    """The platform's own plan summary against this count, where it was given: the page
    shows the totals and the causes, never the people (a reconciliation names them)."""
    offline: OfflineTable | None = None
    """The offline sessions of blended programmes attended, for every unit over the plan
    year, where attendance was given: their hours count into the learning hours."""
    karma: KarmaTable | None = None
    """Karma points by the platform's rules, per person and unit (not when suppressed:
    points are per person)."""
    competency_names: Mapping[str, str] = attrs.field(factory=dict)
    notes: tuple[str, ...] = ()
    """What a reader must know: the inputs' row accounting, who was left out and why."""
    choices: tuple[str, ...] = ()
    """Each default taken from the data (the plan year, the data's date): what was
    chosen and why."""

    @property
    def policy(self) -> CountingPolicy:
        return self.quarters.policy

    def summary(self) -> str:
        """A few lines for a terminal: the headline numbers."""
        row = self.headline
        lines = [f"{self.title}: plan year {self.year}, data as of {day_text(self.as_of)}"]
        enrolled = row.enrolled_users
        if row.users is not None:
            share = f" ({enrolled / row.users:.0%})" if row.users and enrolled is not None else ""
            active = "" if self.policy.include_inactive else " active"
            lines.append(
                f"  people: {_shown(row.users)}{active}, {_shown(enrolled)} "
                f"enrolled{share}, {_shown(row.completed_users)} completed a course"
            )
        rate = f" ({row.completion_rate:.0%})" if row.completion_rate is not None else ""
        lines.append(
            f"  enrolments: {_shown(row.enrolments)}, completions: "
            f"{_shown(row.completions)}{rate}, learning hours: "
            f"{'*' if row.learning_hours is None else hours_text(self.all_hours(row))}"
            + self._offline_said(row)
        )
        total = self._compliance_total()
        if total is not None:
            allocated, completed, on_time, apar_users, apar_ok = total
            lines.append(
                f"  plan courses: {_shown(allocated)} allocated, "
                f"{_shown(completed)} completed, {_shown(on_time)} on time"
            )
            if apar_users != 0:
                share = ""
                if apar_ok is not None and apar_users:
                    share = f" ({apar_ok / apar_users:.0%})"
                lines.append(
                    f"  APAR: {_shown(apar_ok)} of {_shown(apar_users)} officers comply{share}"
                )
        if (below := self.quarters.suppressed_below) is not None:
            hidden = f"counts from 1 to {below - 1} hidden (*), and any that would tell"
            lines.append(f"  suppressed: {hidden}")
        if self.gaps is not None and self.gaps.totals:
            top = self.gaps.totals[0]
            name = self.competency_names.get(top.competency, top.competency)
            lines.append(
                f"  widest gap: {name}, {_shown(top.people_short)} of "
                f"{_shown(top.people_required)} people short"
            )
        if self.campaign is not None:
            week, whole = self.campaign.campaign, self.campaign.rows[0]
            lines.append(
                f"  {week.name} ({day_text(week.start)} to {day_text(week.end)}): "
                f"{_shown(whole.learners)} people with {week.hours:g}+ hours, "
                f"{_shown(whole.enrolments)} enrolments, {_shown(whole.completions)} completions"
            )
        lines.append(f"  counting policy: {self.policy.name}")
        return "\n".join(lines)

    def offline_hours(self, unit: str) -> float:
        """A unit's hours of offline sessions over the plan year (0 without any)."""
        total = self.offline.total(unit) if self.offline is not None else None
        return total.offline_hours if total is not None else 0.0

    def all_hours(self, row: ProgressRow) -> float:
        """A row's learning hours, its unit's offline hours added: what the page shows."""
        return (row.learning_hours or 0) + self.offline_hours(row.unit)

    def _offline_said(self, row: ProgressRow) -> str:
        if self.offline is None:
            return ""
        offline = self.offline_hours(row.unit)
        courses = hours_text(row.learning_hours or 0)
        return f" (courses {courses}, offline sessions {hours_text(offline)})"

    def to_dict(self) -> dict[str, object]:
        """The report's numbers as plain data, ready for JSON: the headline and each
        department over the plan year, the enrolments left out of them and why, plan
        compliance's totals and the widest gaps."""
        total = self._compliance_total()
        gaps = None
        if self.gaps is not None:
            gaps = [
                attrs.asdict(cell) | {"name": self.competency_names.get(cell.competency)}
                for cell in self.gaps.totals[:GAP_ROWS]
            ]
        return {
            "title": self.title,
            "year": str(self.year),
            "as_of": self.as_of.isoformat(),
            "policy": self.policy.to_dict(),
            "excluded": dict(sorted(self.quarters.excluded.items())),
            **({"basis": list(self.quarters.basis)} if self.quarters.basis else {}),
            "headline": self.headline.to_dict(),
            "departments": [row.to_dict() for row in self.by_department],
            "compliance": dict(zip(_COMPLIANCE_TOTALS, total, strict=True)) if total else None,
            "gaps": gaps,
            "campaign": self.campaign.to_dict() if self.campaign is not None else None,
            "karma": dict(self.karma.units) if self.karma is not None else None,
            "offline": self.offline.to_dict() if self.offline is not None else None,
            "reconciliation": _reconciled(self.reconciliation),
            "choices": list(self.choices),
            "notes": list(self.notes),
        }

    def _compliance_total(self) -> tuple[int | None, ...] | None:
        """Allocated, completed, on time, APAR officers and compliant ones over the tree;
        a total one of whose parts is hidden is hidden too, never the rest's sum."""
        if self.compliance is None:
            return None
        rows = [self.compliance.unit(u) for u in self.tree.roots]

        def total(metric: str) -> int | None:
            values = [getattr(r, metric) for r in rows]
            return None if None in values else sum(values)

        return tuple(total(m) for m in _COMPLIANCE_TOTALS)

    def to_html(self, *, charts: bool | None = None) -> str:
        """The report as one HTML page. ``charts`` defaults to whether matplotlib is
        installed; without it the page has the tables only, and says so."""
        from karmayogi import _report_html

        draw = charts_available() if charts is None else charts
        return _report_html.page(self, charts=draw)

    def write(self, path: str | Path, *, charts: bool | None = None) -> Path:
        """Write :meth:`to_html` to ``path``, whole or not at all (a failure leaves the
        file that was there); returns the path, resolved."""
        from karmayogi._atomic import write_atomically

        return write_atomically(path, self.to_html(charts=charts)).resolve()

    def _repr_html_(self) -> str:
        return self.to_html()


def make_report(
    tree: OrgTree,
    records: Ledger | Iterable[Enrolment],
    *,
    people: Iterable[Person] | None = None,
    places: Mapping[str, str] | None = None,
    allocations: Resolution | Iterable[Allocation] | None = None,
    positions: Iterable[Position] = (),
    profiles: Mapping[str, CompetencyProfile] | None = None,
    framework: Framework | None = None,
    year: str | FinancialYear | None = None,
    as_of: dt.date | None = None,
    policy: CountingPolicy = CountingPolicy.PLATFORM,
    title: str | None = None,
    notes: Sequence[str] = (),
    suppress: int | None = None,
    catalogue: Catalogue | None = None,
    language: str | None = None,
    campaign: Campaign | None = None,
    attendance: Iterable[Attendance] = (),
    reconciliation: Reconciliation | None = None,
    membership: Membership | None = None,
    unit_rule: UnitRule = "when-it-happened",
) -> Report:
    """The report's numbers from records over ``tree``, placed by ``people`` (then
    users are counted), by ``places``, or by their units over time (``membership``: each
    record counted by ``unit_rule``, as :class:`~karmayogi.progress.Rollup` counts).
    With ``allocations`` it shows plan compliance; with ``positions`` and ``people`` the
    competency gaps (against ``profiles``; a person without one holds nothing). ``year``
    defaults to the year the data is about (:func:`choose_year`); ``as_of`` (the data's
    date) to the latest enrolment or completion in the records; :attr:`Report.choices`
    says what each default chose, and why. Allocations meet the records by course as in
    :meth:`~karmayogi.progress.Rollup.compliance` (through ``catalogue`` where given).

    ``suppress`` hides counts from 1 to ``suppress - 1``, and enough others that none can
    be worked out from any number on the page (its tables are one :class:`Release`), and
    leaves the per-person compliance rows out, for a report that goes beyond those who may
    see them. With ``language`` (a code such as ``"hi"``), competencies are named in
    that language where ``framework`` has a label for them. With ``campaign``, the
    learning week's numbers for every unit. With ``attendance`` (the offline sessions of
    blended programmes), their hours, counted as the policy counts hours, are a metric
    of their own and part of the learning hours shown. A ``reconciliation``
    (:func:`karmayogi.reconcile.reconcile`) shows its totals each way and its causes.

    Karma points are credited by the platform's rules from the records and the plan
    allocations (:meth:`~karmayogi.progress.Rollup.karma`). A suppressed page leaves out
    both the campaign and Karma points, whose numbers are not part of its release.
    """
    people = tuple(people) if people is not None else None
    ledger = records if isinstance(records, Ledger) else Ledger(records)
    choices: list[str] = []
    if as_of is None:
        as_of = _data_date(ledger, choices)
    else:
        _later_than(ledger, as_of, choices)
    allocated = (
        (allocations.allocations if isinstance(allocations, Resolution) else tuple(allocations))
        if allocations is not None
        else None
    )
    if year is None:
        fy, why = choose_year(ledger, allocated or (), as_of)
        choices.append(f"plan year {fy}: {why}")
    else:
        fy = FinancialYear.parse(year)

    matches: list[Match] = []
    if people is not None and len(ledger):
        in_records = {person for person, _entries in ledger.by_person()}
        matches.append(join_people(in_records, [p.id for p in people]).check())
    if membership is not None and len(ledger):
        in_records = {person for person, _entries in ledger.by_person()}
        matches.append(membership.meets(in_records).check())

    if membership is not None and (people is not None or places is not None):
        raise ValueError("place people one way: people, places or a membership over time")

    def rollup(by: PeriodKind) -> Rollup:
        if people is not None:
            return Rollup(tree, people=people, by=by, policy=policy, records=ledger)
        if membership is not None:
            return Rollup(tree, membership=membership, unit_rule=unit_rule, by=by,
                          policy=policy, records=ledger)  # fmt: skip
        return Rollup(tree, places=places or {}, by=by, policy=policy, records=ledger)

    by_quarter, by_year = rollup("quarter"), rollup("fy")
    # Tables whose counts suppression may hide: the page reads them as such either way.
    quarters: ProgressTable[int | None] = by_quarter.table()
    years: ProgressTable[int | None] = by_year.table(periods=[fy])
    compliance: ComplianceTable[int | None] | None = (
        by_quarter.compliance(allocated, catalogue=catalogue) if allocated is not None else None
    )
    matches += compliance.matched if compliance is not None else ()
    if suppress is not None:  # the page is one release: its numbers suppressed together
        release = Release([quarters, years], compliance=compliance).suppressed(suppress)
        (quarters, years), compliance = release.tables, release.compliance
    tops = tree.roots
    departments = tree.children(tops[0]) if len(tops) == 1 else tops
    headline = (
        years.row(tops[0], fy)
        if len(tops) == 1
        else _sum_rows([years.row(t, fy) for t in tops], fy)
    )
    gaps, left_out = None, 0
    positions = tuple(positions)
    if positions and people is not None:
        gaps, left_out = _gaps(
            tree, departments, people, positions, profiles=profiles or {}, on=as_of
        )
        if suppress is not None:  # its own counts of people, suppressed the same way
            gaps = gaps.suppressed(suppress)
    names = _names(framework, gaps, language)
    extra = [str(m) for m in matches if m.poor]
    week, karma, offline = _beyond_the_release(
        by_year, fy, campaign, allocated, tuple(attendance), suppress, extra, reconciliation,
        catalogue,
    )  # fmt: skip
    if left_out:
        many = f"fewer than {suppress}" if suppress and left_out < suppress else left_out
        extra.append(f"{many} people hold a designation no role profile names: not in the gaps")
    return Report(
        title=title or (tree[tops[0]].name if len(tops) == 1 else "Capacity building"),
        year=fy,
        as_of=as_of,
        tree=tree,
        departments=departments,
        headline=headline,
        by_department=tuple(years.row(d, fy) for d in departments),
        by_unit=tuple(years.row(unit.id, fy) for unit in tree),
        quarters=quarters,
        compliance=compliance,
        gaps=gaps,
        campaign=week,
        karma=karma,
        offline=offline,
        reconciliation=reconciliation if suppress is None else None,
        competency_names=names,
        notes=(*notes, *extra),
        choices=tuple(choices),
    )


def choose_year(
    records: Ledger | Iterable[Enrolment],
    allocations: Iterable[Allocation] = (),
    as_of: dt.date | None = None,
) -> tuple[FinancialYear, str]:
    """The plan year that data is about, and why: the financial year most allocations
    fall due in; else the one with most enrolments (by the day each began, in India;
    a tie goes to the later year); else the year of ``as_of``. A year holding only the
    tail of the data (completions after 31 March, a few days of a new year) is not chosen
    over the year the data is about.

    >>> import datetime as dt
    >>> from karmayogi.progress import Enrolment
    >>> ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    >>> records = [Enrolment(person=f"u{n}", course="RTI", status="in-progress",
    ...                      progress=10, enrolled_at=dt.datetime(2025, 5, 1 + n, tzinfo=ist))
    ...            for n in range(3)]
    >>> records.append(Enrolment(person="u9", course="RTI", status="in-progress", progress=5,
    ...                          enrolled_at=dt.datetime(2026, 4, 14, tzinfo=ist)))
    >>> fy, why = choose_year(records)
    >>> print(fy, why, sep=": ")
    2025-26: the year with the most enrolments (3 of 4); 2026-27 has 1, from 14/04/2026
    """
    due = collections.Counter(FinancialYear.of(a.due) for a in allocations)
    if due:
        fy, n = max(due.items(), key=lambda pair: (pair[1], pair[0].start))
        return fy, f"the year most allocations fall due in ({n:,} of {due.total():,})"
    began: collections.Counter[FinancialYear] = collections.Counter()
    first: dict[FinancialYear, dt.date] = {}
    for entry in records:
        when = entry.enrolled_at or entry.completed_at
        if when is None:
            continue
        day = when.astimezone(IST).date()
        year = FinancialYear.of(day)
        began[year] += 1
        first[year] = min(first.get(year, day), day)
    if not began:
        year = FinancialYear.of(as_of or today_in_india())
        return (
            year,
            "the records hold no dated enrolment and there are no allocations: "
            "the year of the data's date",
        )
    first_plausible, last_plausible = plausible_dates()

    def weight(pair: tuple[FinancialYear, int]) -> tuple[bool, int, dt.date]:
        # A year of plausible dates over any typing slip (2205 for 2025), then the most.
        year, count = pair
        return (first_plausible <= year.start <= last_plausible, count, year.start)

    fy, n = max(began.items(), key=weight)
    why = f"the year with the most enrolments ({n:,} of {began.total():,})"
    others = [y for y in sorted(began, key=lambda y: y.start) if y != fy]
    if others and others[-1].start > fy.start:
        tail = others[-1]
        why += f"; {tail} has {began[tail]:,}, from {day_text(first[tail])}"
    elif as_of is not None and as_of > fy.end:
        later = FinancialYear.of(as_of)
        days = (as_of - later.start).days + 1
        why += f"; {later} has only {days} days of data, to {day_text(as_of)}, and no enrolment"
    return fy, why


def _reconciled(found: Reconciliation | None) -> dict[str, object] | None:
    """A reconciliation's totals and causes, without the people it names."""
    if found is None:
        return None
    return {
        "compared": found.compared,
        "differ": len(found.differences),
        "causes": found.causes(),
        "totals": {m: {"platform": t, "here": o} for m, (t, o) in found.totals.items()},
    }


def _beyond_the_release(  # noqa: PLR0917 - make_report's inputs, passed on
    rollup: Rollup,
    fy: FinancialYear,
    campaign: Campaign | None,
    allocated: Iterable[Allocation] | None,
    attendance: tuple[Attendance, ...],
    suppress: int | None,
    notes: list[str],
    reconciliation: Reconciliation | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[CampaignTable | None, KarmaTable | None, OfflineTable | None]:
    """The learning week, Karma points, offline sessions and a reconciliation: numbers
    outside the tables a suppressed page releases together, so such a page leaves them
    out, saying so."""
    if suppress is not None:
        left = [campaign.name] if campaign is not None else []
        left += ["offline sessions"] if attendance else []
        left += ["the reconciliation"] if reconciliation else []
        if left:
            notes.append(f"{' and '.join(left)} left out of a suppressed report")
        return None, None, None
    week = rollup.campaign(campaign) if campaign is not None else None
    karma = rollup.karma(allocations=allocated or (), catalogue=catalogue)
    offline = rollup.offline(attendance, periods=[fy]) if attendance else None
    return week, karma, offline


def _data_date(ledger: Ledger, choices: list[str]) -> dt.date:
    """The data's date by default, and a choice that says what it is and why."""
    latest, past = _latest(ledger)
    as_of = latest or today_in_india()
    why = (
        "the latest enrolment or completion in the records"
        if latest
        else "today, since the records hold no plausible dates"
    )
    if past:
        why += f" ({past} later date(s), past any plausible one, left out of it)"
    choices.append(f"data as of {day_text(as_of)}: {why}")
    return as_of


def _later_than(ledger: Ledger, as_of: dt.date, choices: list[str]) -> None:
    """Say so where the data's date given is before some of the records' own dates: the
    page counts them, under a date that says otherwise."""
    _first, last = plausible_dates()
    later = sum(
        1
        for entry in ledger
        for when in (entry.enrolled_at, entry.completed_at)
        if when is not None and as_of < when.date() <= last
    )
    if later:
        choices.append(
            f"data as of {day_text(as_of)}, as given; {later:,} enrolment or completion "
            "date(s) in the records are later, and counted (`karmayogi progress --as-of` "
            "gives the numbers as they stood on a day)"
        )


def _latest(ledger: Ledger) -> tuple[dt.date | None, int]:
    """The latest date in the records that is not past :func:`plausible_dates` (a typing
    slip must not make the data's date 2205), and how many dates were past it."""
    _first, last = plausible_dates()
    latest: dt.date | None = None
    past = 0
    for entry in ledger:
        for when in (entry.enrolled_at, entry.completed_at):
            if when is None:
                continue
            day = when.date()
            if day > last:
                past += 1
            elif latest is None or day > latest:
                latest = day
    return latest, past


def _shown(value: float | None) -> str:
    """A number, or * where suppression hid it: never a zero in its place."""
    return "*" if value is None else indian_number(value)


def _sum_rows(rows: Sequence[ProgressRow], fy: FinancialYear) -> ProgressRow:
    """Rows of disjoint subtrees added up (each person sits in one unit)."""

    def total(metric: str) -> Any:
        """The parts' sum; hidden (None) when a part is. No rows count no one."""
        values = [getattr(r, metric) for r in rows]
        return None if None in values or (metric == "users" and not values) else sum(values)

    enrolments, completed = total("enrolments"), total("enrolments_completed")
    return ProgressRow(
        unit="",
        name="all",
        period=fy,
        users=total("users"),
        enrolled_users=total("enrolled_users"),
        started_users=total("started_users"),
        completed_users=total("completed_users"),
        enrolments=enrolments,
        completions=total("completions"),
        completion_rate=completed / enrolments if enrolments and completed is not None else None,
        certificates=total("certificates"),
        learning_hours=total("learning_hours"),
        enrolments_completed=completed,
        policy=rows[0].policy if rows else None,
    )


def _gaps(
    tree: OrgTree,
    departments: Sequence[str],
    people: Sequence[Person],
    positions: Sequence[Position],
    *,
    profiles: Mapping[str, CompetencyProfile],
    on: dt.date,
) -> tuple[GapTable, int]:
    """Each active person against their designation's position, grouped by department."""
    index = DesignationIndex(named.name for named in positions)  # as people write them
    by_name: dict[tuple[str | None, str], Position] = {}
    for named in positions:
        by_name[(named.organisation, index.key(named.name))] = named
    department_of = {unit: tree[d].name for d in departments for unit in tree.descendants(d)}
    pairs: list[tuple[CompetencyProfile, Position, str]] = []
    left_out = 0
    for person in people:
        if not person.active or person.place not in department_of:
            continue
        key = index.key(person.designation or "")
        position = by_name.get((person.organisation, key)) or by_name.get((None, key))
        if position is None:
            left_out += 1
            continue
        profile = profiles.get(person.id) or CompetencyProfile(person=person.id)
        pairs.append((profile, position, department_of[person.place]))
    groups = {profile.person: group for profile, _position, group in pairs}
    table = gap_table(
        ((profile, position) for profile, position, _group in pairs),
        group=lambda profile, _needs: groups[profile.person],
        on=on,
    )
    return table, left_out


def _names(
    framework: Framework | None, gaps: GapTable | None, language: str | None
) -> dict[str, str]:
    if framework is None or gaps is None:
        return {}
    names = {}
    for competency in gaps.competencies:
        if competency in framework:
            found = framework.get(competency)
            names[competency] = found.label(language) if language else found.name
    return names


__dir__ = presented(__name__, globals(), __all__)
