"""Blended learning: offline sessions attended count into learning hours under the
counting policy, order-free, each number explained by its sessions; and the report from
a zip adds the hours a count made here from its BlendedProgramReport predicts."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import FinancialYear, Quarter
from karmayogi.progress import Attendance, CountingPolicy, Rollup

TREE = OrgTree(
    [
        Unit(id="rev", name="Revenue", level="department"),
        Unit(id="raipur", name="Raipur", level="district", parent="rev"),
        Unit(id="durg", name="Durg", level="district", parent="rev"),
    ]
)
PEOPLE = [
    Person(id="a", organisation="rev", unit="raipur"),
    Person(id="b", organisation="rev", unit="durg"),
    Person(id="c", organisation="rev", unit="durg", active=False),
]


def test_offline_hours_by_hand_under_each_policy() -> None:
    survey, hearings = dt.date(2025, 8, 22), dt.date(2025, 11, 14)
    rows = [
        Attendance("a", "Land Records", "Field survey", survey, 3 * 3600, True, True),
        Attendance("a", "Land Records", "Hearings", hearings, 9000, True, True),
        Attendance("b", "Land Records", "Field survey", survey, 3 * 3600, True, False),
        Attendance("b", "Land Records", "Hearings", hearings, 9000, False, False),
        Attendance("c", "Land Records", "Field survey", survey, 3 * 3600, True, True),
    ]  # fmt: skip
    fy = FinancialYear(2025)
    platform = Rollup(TREE, people=PEOPLE, by="fy").offline(rows, periods=fy)
    every = Rollup(TREE, people=PEOPLE, by="fy", policy=CountingPolicy.ALL_COMPLETIONS)
    # By hand: a attended both (3 h and 2.5 h) with the certificate: 5.5 h under either
    # policy; b attended one, without the certificate: 3 h only when every completion
    # counts; c is inactive: left out. Sessions attended: a 2, b 1.
    assert platform.row("rev", fy).offline_hours == 5.5
    assert every.offline(rows, periods=fy).row("rev", fy).offline_hours == 8.5
    assert (platform.row("rev", fy).sessions, platform.row("rev", fy).people) == (3, 2)
    assert platform.row("durg", fy).offline_hours == 0
    assert platform.excluded == {"inactive people": 1}
    assert [s.person for s in platform.explain("durg", fy)] == ["b"]


attendances = st.lists(
    st.builds(
        Attendance,
        person=st.sampled_from(["a", "b", "c", "x"]),
        programme=st.sampled_from(["P", "Q"]),
        session=st.sampled_from(["s1", "s2"]),
        day=st.none() | st.dates(dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        seconds=st.integers(0, 4 * 3600),
        attended=st.booleans(),
        certified=st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(attendances, st.randoms(use_true_random=False))
def test_offline_numbers_do_not_depend_on_order_or_repeats(
    rows: list[Attendance], shuffle: random.Random
) -> None:
    rollup = Rollup(TREE, people=PEOPLE, by="quarter")
    first = rollup.offline(rows)
    again = list(rows) + rows[: len(rows) // 2]
    shuffle.shuffle(again)
    second = rollup.offline(again)
    assert first.rows == second.rows
    assert first.excluded == second.excluded
    for row in first.rows:  # every number is its sessions'
        sessions = first.explain(row.unit, row.period)
        assert row.sessions == len(sessions)
        assert row.people == len({s.person for s in sessions})
        hours = sum(s.seconds for s in sessions if s.certified) / 3600
        assert abs(row.offline_hours - hours) < 0.01
        assert isinstance(row.period, Quarter)
