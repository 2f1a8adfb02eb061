"""Blended learning: the offline sessions of blended programmes (and events) a person
attended, counted into learning hours under the counting policy, over the organisation
tree and periods, each number explainable by the attendance that made it.

A person's attendance of one session is a join-semilattice, as an enrolment is: attended
and certified only become true, the hours take the maximum and the day the earliest, so
that rows may come in any order, twice, or split across reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from karmayogi._figures import hours_text, indian_number
from karmayogi._render import Rendered
from karmayogi.periods import Period, PeriodKind, period_at, period_index
from karmayogi.progress._rules import CountingPolicy

__all__ = ["Attendance", "OfflineRow", "OfflineTable", "offline_rows"]


@attrs.frozen
class Attendance:
    """A person's part in one offline session of a blended programme (or an event): the
    session's day and length, whether they attended, and whether the programme's
    certificate was issued to them (the platform counts the hours of certified learning
    only)."""

    person: str
    programme: str
    session: str
    day: dt.date | None = None
    seconds: int = 0
    attended: bool = False
    certified: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.person, self.programme, self.session)

    def merge(self, other: Attendance) -> Attendance:
        """The join of two rows of one session: order-free, and idempotent."""
        if other.key != self.key:
            raise ValueError(f"merge joins one session's rows, not {self.key} and {other.key}")
        days = [d for d in (self.day, other.day) if d is not None]
        return attrs.evolve(
            self,
            day=min(days) if days else None,
            seconds=max(self.seconds, other.seconds),
            attended=self.attended or other.attended,
            certified=self.certified or other.certified,
        )


def joined(rows: Iterable[Attendance]) -> dict[tuple[str, str, str], Attendance]:
    """Each session's rows joined into one."""
    log: dict[tuple[str, str, str], Attendance] = {}
    for row in rows:
        seen = log.get(row.key)
        log[row.key] = row if seen is None else seen.merge(row)
    return log


def counts_hours(policy: CountingPolicy, attendance: Attendance) -> bool:
    """Whether a session's hours count: attended, and, as the platform counts (the
    policy's certified hours), with the programme's certificate."""
    return attendance.attended and (policy.hours_from == "completed" or attendance.certified)


@attrs.frozen(kw_only=True)
class OfflineRow:
    """A unit (with its descendants) in a period: the offline sessions attended, the
    people who attended any, and the hours that count under the policy."""

    unit: str
    name: str
    period: Period
    sessions: int
    people: int
    offline_hours: float


@attrs.frozen(kw_only=True)
class OfflineTable(Rendered):
    """Offline sessions counted for every unit and period, with the policy, what was left
    out, and the attendance behind each number."""

    by: PeriodKind
    policy: CountingPolicy
    rows: tuple[OfflineRow, ...]
    excluded: Mapping[str, int] = attrs.field(factory=dict)
    _counted: Mapping[tuple[str, int], tuple[Attendance, ...]] = attrs.field(
        factory=dict, repr=False, alias="counted"
    )

    def row(self, unit: str, period: Period) -> OfflineRow:
        return next(r for r in self.rows if r.unit == unit and r.period == period)

    def explain(self, unit: str, period: Period) -> tuple[Attendance, ...]:
        """The sessions attended that one row counts, sorted."""
        return self._counted.get((unit, period_index(self.by, period.start)), ())

    def total(self, unit: str) -> OfflineRow | None:
        """A unit over every period of the table, or None without any."""
        rows = [r for r in self.rows if r.unit == unit]
        if not rows:
            return None
        people = {a.person for r in rows for a in self.explain(unit, r.period)}
        return attrs.evolve(
            rows[0],
            sessions=sum(r.sessions for r in rows),
            people=len(people),
            offline_hours=round(sum(r.offline_hours for r in rows), 2),
        )

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = ["unit", "name", "period", "sessions", "people", "offline_hours"]
        return header, [
            [r.unit, r.name, str(r.period), r.sessions, r.people, r.offline_hours]
            for r in self.rows
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "by": self.by,
            "policy": self.policy.to_dict(),
            "excluded": dict(self.excluded),
            "rows": [attrs.asdict(r) | {"period": str(r.period)} for r in self.rows],
        }

    def __str__(self) -> str:
        lines = [f"offline sessions attended, by {self.by} ({self.policy.name})"]
        for r in self.rows:
            lines.append(
                f"  {r.name} {r.period}: {indian_number(r.sessions)} sessions, "
                f"{indian_number(r.people)} people, {hours_text(r.offline_hours)} hours"
            )
        lines += [f"left out: {n} session(s) of {why}" for why, n in sorted(self.excluded.items())]
        return "\n".join(lines)


def offline_rows(
    attendance: Iterable[Attendance],
    *,
    by: PeriodKind,
    policy: CountingPolicy,
    paths: Mapping[str, tuple[str, ...]],
    unit_on: Callable[[str, dt.date | None], str | None],
    names: Mapping[str, str],
    inactive: set[str],
    periods: Iterable[int] | None = None,
) -> OfflineTable:
    """Every unit in every period with a session attended (or the ``periods`` given, by
    index): sessions, people and hours, each row's sessions kept to explain it. A session
    counts in the unit where its person's day counts (``unit_on``)."""
    counted: dict[tuple[str, int], list[Attendance]] = {}
    excluded: dict[str, int] = {}
    for session in sorted(joined(attendance).values(), key=lambda a: a.key):
        if not session.attended:
            continue
        unit = unit_on(session.person, session.day)
        if unit is None or session.day is None:
            why = "no date" if unit is not None else (
                "inactive people" if session.person in inactive else "people not placed"
            )  # fmt: skip
            excluded[why] = excluded.get(why, 0) + 1
            continue
        index = period_index(by, session.day)
        for ancestor in paths[unit]:
            counted.setdefault((ancestor, index), []).append(session)
    wanted = sorted({i for _u, i in counted}) if periods is None else list(periods)
    rows = []
    for unit in paths:
        for index in wanted:
            sessions = counted.get((unit, index), [])
            seconds = sum(s.seconds for s in sessions if counts_hours(policy, s))
            rows.append(
                OfflineRow(
                    unit=unit,
                    name=names[unit],
                    period=period_at(by, index),
                    sessions=len(sessions),
                    people=len({s.person for s in sessions}),
                    offline_hours=round(seconds / 3600, 2),
                )
            )
    return OfflineTable(
        by=by,
        policy=policy,
        rows=tuple(rows),
        excluded=excluded,
        counted={key: tuple(value) for key, value in counted.items()},
    )
