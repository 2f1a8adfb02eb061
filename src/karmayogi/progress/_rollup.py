"""The roll-up: a ledger counted over the organisation tree and periods by the reference
engine, one record at a time or in bulk, with every number explainable."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Concatenate, ParamSpec, TypeVar

import attrs

from karmayogi._allocation import (
    Allocation,
    Allocations,
    allocations_of,
    apar_compliant,
    completed_for_apar,
    completed_on_time,
)
from karmayogi._figures import day as day_text
from karmayogi._joins import CourseNames, join_courses, people_placed
from karmayogi.errors import ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.org import OrgTree, Person, not_in_tree
from karmayogi.periods import (
    PERIOD_KINDS,
    FinancialYear,
    Period,
    PeriodKind,
    parse_date,
    period_at,
    period_index,
)
from karmayogi.progress._campaign import (
    Campaign,
    CampaignTable,
    KarmaRules,
    KarmaTable,
    campaign_rows,
    karma_credits,
)
from karmayogi.progress._dated import DatedEngine
from karmayogi.progress._engine import Engine, Slot
from karmayogi.progress._membership import UNIT_RULES, Membership, Move, UnitRule
from karmayogi.progress._offline import Attendance, OfflineTable, offline_rows
from karmayogi.progress._records import Enrolment, Ledger, Status
from karmayogi.progress._release import COMPLIANCE_COUNTS
from karmayogi.progress._rules import (
    INACTIVE,
    METRICS,
    NOT_PLACED,
    CountingPolicy,
    View,
    check_periods,
    parse_period,
    placement,
)
from karmayogi.progress._tables import (
    ComplianceTable,
    Explanation,
    Learners,
    PersonCompliance,
    ProgressRow,
    ProgressTable,
    UnitCompliance,
)

__all__ = ["Rollup"]

# --- The roll-up -------------------------------------------------------------------------------


_T = TypeVar("_T")
_P = ParamSpec("_P")


def _locked(method: Callable[Concatenate[Rollup, _P], _T]) -> Callable[Concatenate[Rollup, _P], _T]:
    """The method, run holding the roll-up's lock: one thread at a time adds or reads."""

    @functools.wraps(method)
    def locked(self: Rollup, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


class Rollup:
    """Progress counted for every unit of a tree (with its descendants) and every period.

    Place people by giving them (``people``: then ``users`` counts them, and inactive
    people are left out unless the policy counts them), by a mapping of person to unit
    (``places``, as a report reader derives it), or by their units over time
    (``membership``: then each record counts by ``unit_rule``, in the unit its person was
    in when it happened or in their current one, and :meth:`move` takes transfers as
    they come). Records of people who are not placed are left out, and the tables say
    how many. Learning weeks, Karma points and offline sessions count by the same rule;
    plan compliance, a person's, in their current unit.

    A roll-up is safe to use from several threads: each call holds its lock, so records
    added at once from a portal's request threads give the tables one thread would. Its
    :attr:`ledger` is its own: read it only while no other thread adds.
    """

    def __init__(
        self,
        tree: OrgTree,
        *,
        people: Iterable[Person] | None = None,
        places: Mapping[str, str] | None = None,
        by: PeriodKind = "quarter",
        policy: CountingPolicy = CountingPolicy.PLATFORM,
        records: Iterable[Enrolment] = (),
        limits: Limits = DEFAULT_LIMITS,
        membership: Membership | None = None,
        unit_rule: UnitRule = "when-it-happened",
    ) -> None:
        if by not in PERIOD_KINDS:
            raise ValueError(f"periods are by one of {', '.join(PERIOD_KINDS)}, got {by!r}")
        if sum(given is not None for given in (people, places, membership)) != 1:
            raise TypeError(
                "give one of people, places or membership, to place each person in a unit"
            )
        if unit_rule not in UNIT_RULES:
            raise ValueError(f"the unit rule is one of {', '.join(UNIT_RULES)}, got {unit_rule!r}")
        self.tree = tree
        self.by: PeriodKind = by
        self.policy = policy
        self.unit_rule: UnitRule = unit_rule
        """Under a membership, where each record counts."""
        self.stood_on: dt.date | None = None
        """For a roll-up made by :meth:`as_of`, the day its data stood as."""
        self._people = None if people is None else list(people)
        self._given_places = places
        self._membership = None
        if membership is None:
            self._places, self._users, self._inactive = placement(
                tree, self._people, places, policy
            )
        else:
            membership.check(tree)
            self._membership = Membership(membership)  # its own: moves change it
            self._users, self._inactive = None, set()
        self._paths = {unit.id: tree.path(unit.id) for unit in tree}
        self._ledger = Ledger()
        self._engine = self._new_engine()
        self._excluded: dict[str, int] = {}
        self._undated = 0
        self._lock = threading.RLock()
        self._limits = limits
        self.extend(records)

    @property
    def ledger(self) -> Ledger:
        """The joined records (every record given, placed or not)."""
        return self._ledger

    @_locked
    def add(self, record: Enrolment) -> None:
        """Count_co one record: only the counters of its person's unit and the unit's ancestors
        change, and they change to what a recount of everything would give. If counting
        it fails, nothing changed."""
        before, after = self._ledger.put(record)
        if after == before:
            return
        unit = self._places.get(after.person)
        if unit is not None:
            try:
                self._engine.update(unit, before, after)
            except BaseException:
                self._ledger._restore(before, after)
                raise
        # Only bookkeeping from here, which cannot fail.
        if unit is None:
            self._unit_of(after.person, new=before is None)
        elif before is None and after.enrolled_at is None:
            self._undated += 1
        elif before is not None and before.enrolled_at is None and after.enrolled_at:
            self._undated -= 1

    @_locked
    def extend(self, records: Iterable[Enrolment]) -> None:
        """Count_co many records: in bulk into an empty roll-up, else one at a time. If the
        bulk count fails, the roll-up is left empty, as it was."""
        if self._ledger:
            for record in records:
                self.add(record)
            return
        try:
            self._ledger.update(records)
            unplaced, self._undated = self._engine.load()
        except BaseException:
            self._ledger = Ledger()
            self._engine = self._new_engine()
            raise
        for person, entries in unplaced.items():
            reason = INACTIVE if person in self._inactive else NOT_PLACED
            self._excluded[reason] = self._excluded.get(reason, 0) + entries

    def _new_engine(self) -> Engine:
        if self._membership is None:
            return Engine(self._paths, self._places, self.by, self.policy, self._ledger)
        engine = DatedEngine(
            self._paths, self._membership, self.by, self.policy, self._ledger, rule=self.unit_rule
        )
        self._places = engine.current
        return engine

    @property
    @_locked
    def membership(self) -> Membership | None:
        """A copy of the people's units over time, with every move taken (a move goes
        through :meth:`move`, which counts it); None for a roll-up placed by ``people``
        or ``places``."""
        return None if self._membership is None else Membership(self._membership)

    @_locked
    def move(self, moves: Iterable[Move]) -> None:
        """Take people's new units (a later UserReport's, a posting from the HR file) into
        the membership, and count each one's records where they now belong: the cost is
        their own records. A move that contradicts another, or names a unit not in the
        tree, changes nothing and raises, with every problem at once."""
        engine = self._engine
        if not isinstance(engine, DatedEngine):
            raise TypeError("this roll-up places people once; give it a membership to move them")
        moves = list(moves)
        problems = [
            not_in_tree(move.unit, f"moves[{i}]")
            for i, move in enumerate(moves)
            if move.unit not in self.tree
        ]
        problems.extend(engine.membership.problems(moves))
        if problems:
            raise ValidationError(problems)
        by_person: dict[str, list[Move]] = {}
        for move in moves:
            by_person.setdefault(move.person, []).append(move)
        for person, theirs in by_person.items():
            placed = person in self._places
            engine.move(person, theirs)
            entries = self._ledger.entries_of(person)
            if not placed and entries:  # their records were left out until now
                left = self._excluded[NOT_PLACED] - len(entries)
                if left:
                    self._excluded[NOT_PLACED] = left
                else:
                    del self._excluded[NOT_PLACED]
                self._undated += sum(entry.enrolled_at is None for entry in entries)

    @_locked
    def as_of(self, day: dt.date | dt.datetime | str) -> Rollup:
        """This roll-up as its data stood at the end of ``day`` (in India): each record as
        it was then (one that began later is not there; one completed later was in
        progress, without its certificates) and, under a membership, the moves dated by
        then. Every number of the result is what the data said on that day; offline
        sessions, ratings and logins given to it later count only up to that day (a
        certificate as it is known now: attendance rows do not date it)."""
        day = parse_date(day)
        records = [r for r in map(functools.partial(_as_it_stood, day=day), self._ledger) if r]
        membership = None if self._membership is None else self._membership.as_of(day)
        then = Rollup(
            self.tree, people=self._people, places=self._given_places, membership=membership,
            unit_rule=self.unit_rule, by=self.by, policy=self.policy, records=records,
            limits=self._limits,
        )  # fmt: skip
        then.stood_on = day
        return then

    def _basis(self) -> tuple[str, ...]:
        """What a table says of the day its data stood as, and of where records count
        under a membership."""
        lines = []
        if self.stood_on is not None:
            lines.append(
                f"as of {day_text(self.stood_on)}: the records as they stood at the end of that day"
            )
        engine = self._engine
        if not isinstance(engine, DatedEngine):
            return tuple(lines)
        where = {
            "when-it-happened": "in the unit its person was in when it happened",
            "current": "in its person's current unit",
        }[self.unit_rule]
        moves = f"{len(engine.membership):,} dated units of {len(engine.current):,} people"
        lines.append(f"units over time: each record counts {where} ({moves})")
        if engine.assumed:
            lines.append(
                f"{engine.assumed} record(s) dated before their person's first known unit: "
                "counted in that unit"
            )
        return tuple(lines)

    def _unit_of(self, person: str, *, new: bool) -> str | None:
        unit = self._places.get(person)
        if unit is None and new:
            reason = INACTIVE if person in self._inactive else NOT_PLACED
            self._excluded[reason] = self._excluded.get(reason, 0) + 1
        return unit

    # --- reading the numbers ----------------------------------------------------------------

    @_locked
    def periods(self) -> tuple[Period, ...]:
        """Every period with anything counted, in order: as many as the data has, however
        far apart its dates."""
        return tuple(period_at(self.by, i) for i in self._engine.periods())

    @_locked
    def table(
        self,
        view: View = "flow",
        periods: Iterable[Period | str] | FinancialYear | None = None,
    ) -> ProgressTable[int]:
        """Every unit (parents first) in every period: by default each period with
        anything counted; or the periods given; or those of a financial year. A
        cumulative period counts everything up to its end, before the first shown period
        too."""
        indexes = self._indexes(periods)
        rows: list[ProgressRow[int]] = []
        for unit in self.tree:
            counters: Iterable[tuple[int, list[int]]]
            if view == "flow":
                counters = ((i, self._engine.flow(unit.id, i)) for i in indexes)
            else:
                counters = self._engine.running(unit.id, indexes)
            rows.extend(self._row(unit.id, i, c, view) for i, c in counters)
        return ProgressTable(
            by=self.by,
            view=view,
            policy=self.policy,
            rows=tuple(rows),
            excluded=dict(self._excluded),
            undated=self._undated,
            basis=self._basis(),
            tree=self.tree,
        )

    @_locked
    def row(self, unit: str, period: Period | str, view: View = "flow") -> ProgressRow[int]:
        """One unit (with its descendants) in one period."""
        index = period_index(self.by, parse_period(self.by, period).start)
        self.tree[unit]  # an unknown unit raises, with close matches
        if view == "flow":
            return self._row(unit, index, self._engine.flow(unit, index), view)
        ((_i, counters),) = self._engine.running(unit, [index])
        return self._row(unit, index, counters, view)

    def _row(self, unit: str, index: int, c: list[int], view: View) -> ProgressRow[int]:
        flow = view == "flow"
        enrolled = c[Slot.ENROLLED_USERS if flow else Slot.FIRST_ENROLLED]
        started = c[Slot.STARTED_USERS if flow else Slot.FIRST_STARTED]
        completed = c[Slot.COMPLETED_USERS if flow else Slot.FIRST_COMPLETED]
        done = c[Slot.COHORT_FLOW if flow else Slot.COHORT_UP_TO]
        enrolments = c[Slot.ENROLMENTS]
        return ProgressRow(
            unit=unit,
            name=self.tree[unit].name,
            period=period_at(self.by, index),
            users=None if self._users is None else self._users.get(unit, 0),
            enrolled_users=enrolled,
            started_users=started,
            completed_users=completed,
            enrolments=enrolments,
            completions=c[Slot.COMPLETIONS],
            completion_rate=done / enrolments if enrolments else None,
            certificates=c[Slot.CERTIFICATES],
            learning_hours=c[Slot.SECONDS] / 3600,
            enrolments_completed=done,
            policy=self.policy,
        )

    def _indexes(self, periods: Iterable[Period | str] | FinancialYear | None) -> list[int]:
        if periods is None:
            found = list(self._engine.periods())
            check_periods(len(found), self._limits)
            return found
        if isinstance(periods, FinancialYear):
            first = period_index(self.by, periods.start)
            return list(range(first, period_index(self.by, periods.end) + 1))
        return sorted({period_index(self.by, parse_period(self.by, p).start) for p in periods})

    @_locked
    def explain(
        self, unit: str, period: Period | str, metric: str, view: View = "flow"
    ) -> Explanation:
        """The records that made one number of :meth:`row`."""
        if metric not in METRICS:
            raise ValueError(f"no metric {metric!r}; the metrics are {', '.join(METRICS)}")
        wanted = parse_period(self.by, period)
        index = period_index(self.by, wanted.start)
        value = getattr(self.row(unit, wanted, view), metric)
        inside = set(self.tree.descendants(unit))
        if metric == "users":
            people = sorted(p for p, u in self._places.items() if u in inside)
            return Explanation(
                unit=unit, period=wanted, metric=metric, view=view, value=value, records=(),
                people=tuple(people), policy=self.policy,
            )  # fmt: skip

        unit_at = self._engine.unit_at

        def within(person: str, when: dt.datetime | None) -> bool:
            """Whether a record's event at ``when`` counts here: in this period (or up to
            it) and in a unit within this one (the person's unit then)."""
            if when is None or unit_at(person, when) not in inside:
                return False
            at = self._engine.period(when)
            assert at is not None
            return at == index if view == "flow" else at <= index

        records = []
        for entry in self._ledger:
            person = entry.person
            if metric in ("enrolments", "enrolled_users", "completion_rate"):
                counted = within(person, entry.enrolled_at)
            elif metric == "started_users":
                started = entry.status is not Status.NOT_STARTED
                counted = started and within(person, entry.enrolled_at)
            elif metric in ("completions", "completed_users"):
                counted = within(person, entry.completed_at)
            elif metric == "certificates":
                counted = bool(entry.certificates) and within(person, entry.completed_at)
            else:  # learning_hours
                counted = self.policy.counts_hours(entry) and within(person, entry.completed_at)
            if counted:
                records.append(entry)
        records.sort(key=lambda r: (r.person, r.course))
        return Explanation(
            unit=unit,
            period=wanted,
            metric=metric,
            view=view,
            value=value,
            records=tuple(records),
            people=tuple(sorted({r.person for r in records})),
            policy=self.policy,
        )

    @_locked
    def learners_with_hours(self, hours: float, start: dt.date, end: dt.date) -> Learners:
        """For every unit, the people with at least ``hours`` learning hours from
        completions dated ``start`` to ``end`` (both whole days, in India), as a learning
        week counts its "4+ hours" learners. Hours follow the counting policy, which the
        result carries with its threshold and dates. A completion counts in the unit where
        its day counts; a unit's learners have the hours within it."""
        seconds: dict[tuple[str, str], int] = {}
        for entry in self._ledger:
            if not self.policy.counts_hours(entry):
                continue
            assert entry.completed_at is not None
            day = entry.completed_at.date()
            unit = self._engine.unit_on(entry.person, day)
            if unit is None or not start <= day <= end:
                continue
            for ancestor in self._paths[unit]:
                key = (entry.person, ancestor)
                seconds[key] = seconds.get(key, 0) + (entry.duration or 0)
        counts = dict.fromkeys(self._paths, 0)
        for (_person, unit), total in seconds.items():
            if total >= hours * 3600:
                counts[unit] += 1
        return Learners(counts, hours=hours, start=start, end=end, policy=self.policy)

    @_locked
    def offline(
        self,
        attendance: Iterable[Attendance],
        periods: Iterable[Period | str] | FinancialYear | None = None,
    ) -> OfflineTable:
        """The offline sessions of blended programmes attended, for every unit and
        period (of the periods given, or each with a session): the sessions, the people
        who attended, and their hours under the counting policy (the platform's: only
        where the programme's certificate was issued), each row explainable by the
        sessions it counts. A session of a person not placed, or with no date, is left
        out, and the table says how many."""
        names = {unit.id: unit.name for unit in self.tree}
        wanted = None if periods is None else self._indexes(periods)
        if self.stood_on is not None:  # as of a past day: the sessions held by then
            day = self.stood_on
            attendance = [a for a in attendance if a.day is None or a.day <= day]
        return offline_rows(
            attendance, by=self.by, policy=self.policy, paths=self._paths,
            unit_on=self._engine.unit_on,
            names=names, inactive=self._inactive, periods=wanted,
        )  # fmt: skip

    @_locked
    def campaign(self, campaign: Campaign) -> CampaignTable:
        """A learning week counted for every unit: the people with at least the campaign's
        hours from completions in its window (under the counting policy), and the
        enrolments, completions and learning hours in it; a unit's people in the window
        of the nearest unit above them that runs the campaign on other days. An override
        that names no unit of the tree is refused, with the units it may have meant."""
        unknown = sorted(set(campaign.overrides) - set(self._paths))
        if unknown:  # an override no unit has would be days never kept, unsaid
            raise ValidationError([not_in_tree(u, f"overrides[{u!r}]") for u in unknown])
        names = {unit.id: unit.name for unit in self.tree}
        rows = campaign_rows(
            campaign, self._ledger, paths=self._paths, unit_on=self._engine.unit_on, names=names,
            policy=self.policy,
        )  # fmt: skip
        return CampaignTable(campaign=campaign, policy=self.policy, rows=rows)

    @_locked
    def karma(
        self,
        *,
        allocations: Allocations | Iterable[Allocation] = (),
        assessed: Iterable[str] = (),
        ratings: Iterable[tuple[str, str, dt.datetime]] = (),
        logins: Mapping[str, dt.datetime] | None = None,
        rules: KarmaRules = KarmaRules.PLATFORM,
        catalogue: CourseNames | None = None,
    ) -> KarmaTable:
        """Karma points by the platform's rules (:class:`KarmaRules`), for each placed
        person and each unit: from this roll-up's records (first enrolment, completions,
        the monthly cap of completions that are not plan courses), plan courses
        (``allocations``: their bonus), courses with an assessment (``assessed``),
        ``ratings`` (person, course, when) and first ``logins``. Each credit is kept, so
        that any person's points can be explained.

        The allocations' and the assessed courses meet the records' courses as
        :meth:`compliance` joins them (by name, tolerantly, or through ``catalogue``);
        :attr:`KarmaTable.matched` says how well, and where the records hold enrolments
        and none of the courses given is among them, :class:`~karmayogi.errors.NoMatchError`
        says why, rather than points without their bonuses."""
        placed = [entry for entry in self._ledger if entry.person in self._places]
        present = {entry.course for entry in self._ledger}
        given = allocations_of(allocations)
        plan_found, plan_match = join_courses(
            (a.course for a in given), present, catalogue=catalogue
        )
        assessed_found, assessed_match = join_courses(
            assessed, present, catalogue=catalogue, join="the assessed courses in the records"
        )
        if self._ledger:
            plan_match.check()
            assessed_match.check()
        plan = {(a.person, plan_found.get(a.course, a.course)) for a in given}
        if self.stood_on is not None:  # as of a past day: what had happened by then
            day = self.stood_on
            ratings = [r for r in ratings if parse_date(r[2]) <= day]
            if logins is not None:
                logins = {p: when for p, when in logins.items() if parse_date(when) <= day}
        credits = karma_credits(
            placed, rules=rules, plan_courses=plan, assessed=set(assessed_found.values()),
            ratings=ratings, logins=logins,
        )  # fmt: skip
        people: dict[str, int] = {}
        for credit in credits:
            people[credit.person] = people.get(credit.person, 0) + credit.points
        units = dict.fromkeys(self._paths, 0)
        for credit in credits:  # each in the unit where its day counts
            unit = self._engine.unit_on(credit.person, parse_date(credit.when))
            for ancestor in self._paths[unit] if unit is not None else ():
                units[ancestor] += credit.points
        unsaid = () if logins is not None else ("first logins: no login data was given",)
        matched = tuple(m for m in (plan_match, assessed_match) if m.total)
        return KarmaTable(
            rules=rules, people=people, units=units, credits=tuple(credits),
            not_counted=unsaid, matched=matched,
        )  # fmt: skip

    @_locked
    def compliance(
        self,
        allocations: Allocations | Iterable[Allocation],
        *,
        catalogue: CourseNames | None = None,
    ) -> ComplianceTable[int]:
        """Plan compliance of the allocations (as :func:`karmayogi.cbp.resolve` gives them)
        against this roll-up's records, per person and per unit.

        An allocation's course is found in the records as written, by its name compared
        tolerantly, or through ``catalogue`` (an id to its title, or back), and its
        person among the placed people. :attr:`ComplianceTable.matched` says how well
        both joins went; where the records hold enrolments and none of the allocations'
        courses (or people) is among them, :class:`~karmayogi.errors.NoMatchError` says
        why and what to pass, rather than a table of zeros.
        """
        allocations = allocations_of(allocations)
        courses, by_course = join_courses(
            (a.course for a in allocations),
            {entry.course for entry in self._ledger},
            catalogue=catalogue,
        )
        by_person = people_placed(
            sum(a.person in self._places for a in allocations), len(allocations)
        )
        if self._ledger:
            by_course.check()
            by_person.check()
        excluded: dict[str, int] = {}
        per_person: dict[str, list[Allocation]] = {}
        for allocation in allocations:
            if allocation.person not in self._places:
                reason = INACTIVE if allocation.person in self._inactive else NOT_PLACED
                excluded[reason] = excluded.get(reason, 0) + 1
                continue
            course = courses.get(allocation.course, allocation.course)
            per_person.setdefault(allocation.person, []).append(
                attrs.evolve(allocation, course=course)
            )
        people = [self._person_compliance(p, a) for p, a in sorted(per_person.items())]
        totals: dict[str, list[int]] = {unit: [0] * 6 for unit in self._paths}
        for row in people:
            adds = (
                1,
                row.cbp_allocated,
                row.cbp_completed,
                row.cbp_completed_on_time,
                int(row.apar_compliant is not None),
                int(bool(row.apar_compliant)),
            )
            for ancestor in self._paths[row.unit]:
                for i, value in enumerate(adds):
                    totals[ancestor][i] += value
        units = tuple(
            UnitCompliance(
                unit=u.id, name=u.name, **dict(zip(COMPLIANCE_COUNTS, totals[u.id], strict=True))
            )
            for u in self.tree
        )
        return ComplianceTable(
            policy=self.policy,
            people=tuple(people),
            units=units,
            excluded=excluded,
            matched=(by_course, by_person),
            tree=self.tree,
        )

    def _person_compliance(self, person: str, allocations: list[Allocation]) -> PersonCompliance:
        completed = on_time = apar = apar_done = 0
        for allocation in allocations:
            entry = self._ledger.get(person, allocation.course)
            done = entry.completed_at if entry is not None else None
            completed += done is not None
            on_time += completed_on_time(done, allocation.due)
            if allocation.apar:
                apar += 1
                apar_done += completed_for_apar(done, allocation.due)
        return PersonCompliance(
            person=person,
            unit=self._places[person],
            cbp_allocated=len(allocations),
            cbp_completed=completed,
            cbp_completed_on_time=on_time,
            apar_allocated=apar,
            apar_completed=apar_done,
            apar_compliant=apar_compliant(apar_done, apar),
        )


def _as_it_stood(entry: Enrolment, day: dt.date) -> Enrolment | None:
    """``entry`` as the data said at the end of ``day``: not there if it began later; in
    progress, without its certificates, if it was completed later. A completion by then
    keeps the whole entry (an enrolment dated after its completion is the audit's to
    find, not a reason to lose a completion)."""
    enrolled, completed = entry.enrolled_at, entry.completed_at
    if completed is not None and completed.date() <= day:
        return entry
    if enrolled is not None and enrolled.date() > day:
        return None
    if completed is None:
        return entry
    return attrs.evolve(entry, status=Status.IN_PROGRESS, completed_at=None, certificates=())
