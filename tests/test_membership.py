"""Membership over time: every number against a brute-force count in which each record
counts in the unit its person was in when it happened (or in their current unit), one
record or move at a time in any order, in bulk, and "as of" any past day."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi._cli import main
from karmayogi.errors import NoMatchError, ValidationError
from karmayogi.org import OrgTree, Unit
from karmayogi.periods import IST, PERIOD_KINDS, PeriodKind, period_index
from karmayogi.progress import (
    UNIT_RULES,
    Attendance,
    Campaign,
    CountingPolicy,
    Enrolment,
    Membership,
    Move,
    Rollup,
    Status,
    UnitRule,
    read_membership_csv,
    roll_up_export,
)
from tests.builders import metrics_by_definition
from tests.strategies import LEARNERS, enrolments, org_trees

POLICIES = [CountingPolicy.PLATFORM, CountingPolicy.ALL_COMPLETIONS]
DAYS = st.dates(dt.date(2024, 3, 1), dt.date(2026, 4, 30))


@st.composite
def memberships(draw: st.DrawFn, tree: OrgTree) -> list[Move]:
    """Some of :data:`LEARNERS`, each with one to three units from distinct days."""
    units = sorted(tree.units)
    people = draw(st.lists(st.sampled_from(LEARNERS), min_size=1, max_size=8, unique=True))
    moves = []
    for person in people:
        days = draw(st.lists(DAYS, min_size=1, max_size=3, unique=True))
        moves += [Move(person=person, unit=draw(st.sampled_from(units)), since=d) for d in days]
    return moves


Scenario = tuple[OrgTree, list[Move], list[Enrolment], PeriodKind, CountingPolicy, UnitRule]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    tree = draw(org_trees())
    moves = draw(memberships(tree))
    # Records of the people who move, mostly, and of someone no move places.
    people = [*sorted({m.person for m in moves}), "nobody@x.in"]
    return (
        tree,
        moves,
        draw(st.lists(enrolments(people=people), max_size=25)),
        draw(st.sampled_from(PERIOD_KINDS)),
        draw(st.sampled_from(POLICIES)),
        draw(st.sampled_from(UNIT_RULES)),
    )


def unit_then(moves: list[Move], person: str, when: dt.datetime | None, rule: str) -> str | None:
    """The person's unit at ``when``, straight from the moves: the latest by that day,
    before the first the first, and under the rule "current" (or with no time) the last."""
    theirs = sorted((m.since, m.unit) for m in moves if m.person == person)
    if not theirs:
        return None
    if rule == "current" or when is None:
        return theirs[-1][1]
    day = when.astimezone(IST).date()
    by_then = [unit for since, unit in theirs if since <= day]
    return by_then[-1] if by_then else theirs[0][1]


def expected_row(
    rollup: Rollup, moves: list[Move], unit: str, index: int, view: str
) -> dict[str, object]:
    """Each metric from its definition: an event counts here when it is in the period
    (or up to it) and its person was then in a unit within this one."""
    inside = set(rollup.tree.descendants(unit))

    def at(when: dt.datetime | None) -> int | None:
        return None if when is None else period_index(rollup.by, when.astimezone(IST).date())

    def here(entry: Enrolment, when: dt.datetime | None) -> bool:
        i = at(when)
        if i is None or not (i == index if view == "flow" else i <= index):
            return False
        return unit_then(moves, entry.person, when, rollup.unit_rule) in inside

    entries = list(rollup.ledger)
    enrolled = [e for e in entries if here(e, e.enrolled_at)]
    completed = [e for e in entries if here(e, e.completed_at)]
    return {
        "users": None,
        **metrics_by_definition(
            enrolled, completed, by=rollup.by, index=index, policy=rollup.policy
        ),
    }


def assert_matches_definitions(rollup: Rollup, moves: list[Move]) -> None:
    for view in ("flow", "cumulative"):
        for row in rollup.table(view):
            index = period_index(rollup.by, row.period.start)
            want = expected_row(rollup, moves, row.unit, index, view)
            assert {m: getattr(row, m) for m in want} == pytest.approx(want), (view, row)


def left_out(records: list[Enrolment], moves: list[Move]) -> dict[str, int]:
    """The entries of people no move places, by the reason the tables give."""
    placed = {m.person for m in moves}
    entries = {(r.person, r.course) for r in records if r.person not in placed}
    return {"people not placed in the organisation tree": len(entries)} if entries else {}


@given(scenarios())
def test_every_number_is_its_definition(scenario: Scenario) -> None:
    """Each record counts in the unit its person was in when it happened (or their
    current one): a parent counts a person once however many of its units they passed
    through, and the table says what it left out."""
    tree, moves, records, by, policy, rule = scenario
    rollup = Rollup(
        tree, membership=Membership(moves), unit_rule=rule, by=by, policy=policy, records=records
    )
    assert_matches_definitions(rollup, moves)
    assert rollup.table().excluded == left_out(records, moves)


@given(scenarios(), st.randoms(use_true_random=False), st.data())
def test_records_and_moves_in_any_order_give_the_bulk_numbers(
    scenario: Scenario, rnd: random.Random, data: st.DataObject
) -> None:
    """Some records and moves at the start, then the rest, one by one, interleaved in any
    order: the numbers a bulk load of everything gives."""
    tree, moves, records, by, policy, rule = scenario
    bulk = Rollup(
        tree, membership=Membership(moves), unit_rule=rule, by=by, policy=policy, records=records
    )
    cut_records = data.draw(st.integers(0, len(records)), label="records at the start")
    cut_moves = data.draw(st.integers(0, len(moves)), label="moves at the start")
    shuffled_moves = rnd.sample(moves, len(moves))
    live = Rollup(
        tree, membership=Membership(shuffled_moves[:cut_moves]), unit_rule=rule, by=by,
        policy=policy, records=records[:cut_records],
    )  # fmt: skip
    later: list[Enrolment | Move] = [*records[cut_records:], *shuffled_moves[cut_moves:]]
    rnd.shuffle(later)
    for item in later:
        if isinstance(item, Move):
            live.move([item])
        else:
            live.add(item)
    assert live.membership == bulk.membership
    for view in ("flow", "cumulative"):
        assert live.table(view) == bulk.table(view)
    assert_matches_definitions(live, moves)


def as_it_stood(entry: Enrolment, day: dt.date) -> Enrolment | None:
    """The test's own reading of a record on a past day."""
    enrolled = entry.enrolled_at and entry.enrolled_at.astimezone(IST).date()
    completed = entry.completed_at and entry.completed_at.astimezone(IST).date()
    if completed is not None and completed <= day:
        return entry
    if enrolled is not None and enrolled > day:
        return None
    if completed is None:
        return entry
    return Enrolment(
        person=entry.person, course=entry.course, status=Status.IN_PROGRESS,
        progress=entry.progress, enrolled_at=entry.enrolled_at, duration=entry.duration,
    )  # fmt: skip


@given(scenarios(), DAYS)
def test_as_of_a_day_is_what_the_data_then_said(scenario: Scenario, day: dt.date) -> None:
    """Asked "as of" a past day, every number is the count of the records as they stood
    then, over the moves dated by then; and as of a day after everything, nothing
    changes."""
    tree, moves, records, by, policy, rule = scenario
    rollup = Rollup(
        tree, membership=Membership(moves), unit_rule=rule, by=by, policy=policy, records=records
    )
    then = rollup.as_of(day)
    moves_then = [m for m in moves if m.since <= day]
    records_then = [r for r in (as_it_stood(e, day) for e in rollup.ledger) if r]
    assert {(e.person, e.course, e.status) for e in then.ledger} == {
        (e.person, e.course, e.status) for e in records_then
    }
    assert_matches_definitions(then, moves_then)
    assert then.table().excluded == left_out(records_then, moves_then)
    assert then.table().basis[0].startswith(f"as of {day:%d/%m/%Y}: ")
    later = rollup.as_of(dt.date(2999, 1, 1))
    for view in ("flow", "cumulative"):
        now, after_all = rollup.table(view), later.table(view)
        assert (after_all.rows, after_all.excluded) == (now.rows, now.excluded)


@given(scenarios())
def test_one_unit_each_counts_as_places_do(scenario: Scenario) -> None:
    """A membership of one unit per person gives the numbers of a roll-up placed once:
    the dated engine and the reference engine agree where they overlap."""
    tree, moves, records, by, policy, rule = scenario
    first: dict[str, Move] = {}
    for move in moves:
        first.setdefault(move.person, move)
    membership = Membership(first.values())
    dated = Rollup(
        tree, membership=membership, unit_rule=rule, by=by, policy=policy, records=records
    )
    placed = Rollup(
        tree, places={p: m.unit for p, m in first.items()}, by=by, policy=policy, records=records
    )
    for view in ("flow", "cumulative"):
        assert dated.table(view).rows == placed.table(view).rows
        assert dated.table(view).excluded == placed.table(view).excluded


@given(memberships(OrgTree([Unit(id="a", name="A", level="state")])), st.randoms())
def test_a_membership_is_a_semilattice(moves: list[Move], rnd: random.Random) -> None:
    """Moves in any order, twice, or split and merged: the same membership."""
    whole = Membership(moves)
    doubled = moves + rnd.sample(moves, len(moves) // 2)
    rnd.shuffle(doubled)
    cut = rnd.randint(0, len(doubled))
    left, right = Membership(doubled[:cut]), Membership(doubled[cut:])
    assert left | right == right | left == whole
    assert whole | whole == whole
    assert list(Membership(reversed(list(whole)))) == list(whole)


# --- worked by hand --------------------------------------------------------------------

TREE = OrgTree(
    [
        Unit(id="cg", name="Chhattisgarh", level="state"),
        Unit(id="rev", name="Revenue", level="department", parent="cg"),
        Unit(id="health", name="Health", level="department", parent="cg"),
    ]
)


def done(person: str, course: str, enrolled: str, completed: str) -> Enrolment:
    return Enrolment(
        person=person, course=course, status=Status.COMPLETED, progress=100,
        enrolled_at=dt.datetime.fromisoformat(enrolled),
        completed_at=dt.datetime.fromisoformat(completed), certificates={"c"}, duration=3600,
    )  # fmt: skip


def test_a_transfer_mid_quarter_counts_the_person_once_above_both_units() -> None:
    """Asha enrols in Revenue on 5 October and completes in Health on 20 November, moved
    on 1 November: one enrolled person in Revenue, one completing in Health, and one of
    each (not two) in the state."""
    moves = [
        Move(person="asha", unit="rev", since="2025-04-01"),
        Move(person="asha", unit="health", since="2025-11-01"),
    ]
    records = [done("asha", "RTI", "2025-10-05 10:00", "2025-11-20 10:00")]
    rollup = Rollup(TREE, membership=Membership(moves), records=records)
    q3 = {row.unit: row for row in rollup.table() if str(row.period) == "2025-26 Q3"}
    counts = {
        u: (r.enrolled_users, r.completed_users, r.enrolments, r.completions) for u, r in q3.items()
    }
    assert counts == {"cg": (1, 1, 1, 1), "rev": (1, 0, 1, 0), "health": (0, 1, 0, 1)}
    assert [e.person for e in rollup.explain("health", "2025-26 Q3", "completions").records] == [
        "asha"
    ]
    assert rollup.explain("rev", "2025-26 Q3", "completions").records == ()
    current = Rollup(TREE, membership=Membership(moves), unit_rule="current", records=records)
    assert current.row("rev", "2025-26 Q3").enrolments == 0
    assert current.row("health", "2025-26 Q3").enrolments == 1


def test_records_before_anyone_knew_the_unit_are_counted_there_and_said() -> None:
    records = [done("asha", "RTI", "2025-05-05 10:00", "2025-05-20 10:00")]
    moves = [Move(person="asha", unit="rev", since="2025-10-01")]
    table = Rollup(TREE, membership=Membership(moves), records=records).table()
    assert table.row("rev", "2025-26 Q1").completions == 1
    assert "1 record(s) dated before their person's first known unit" in "\n".join(table.notes())
    assert table.to_dict()["basis"] == list(table.basis)


def test_a_move_that_contradicts_or_names_no_unit_changes_nothing() -> None:
    rollup = Rollup(TREE, membership=Membership([Move(person="a", unit="rev", since="2025-04-01")]))
    before = rollup.table()
    with pytest.raises(ValidationError) as raised:
        rollup.move(
            [
                Move(person="a", unit="health", since="2025-04-01"),
                Move(person="b", unit="finance", since="2025-04-01"),
                Move(person="c", unit="rev", since="2025-06-01"),
            ]
        )
    codes = sorted(p.code for p in raised.value.problems)
    assert codes == ["inconsistent", "unknown"]
    assert rollup.table() == before
    assert "c" not in rollup.membership  # type: ignore[operator]
    with pytest.raises(TypeError, match="membership"):
        Rollup(TREE, places={"a": "rev"}).move([])
    with pytest.raises(TypeError, match="one of people, places or membership"):
        Rollup(TREE, places={"a": "rev"}, membership=Membership())
    with pytest.raises(ValidationError, match="finance"):
        Rollup(TREE, membership=Membership([Move(person="b", unit="finance", since="2025-04-01")]))


def test_successive_user_reports_make_a_membership() -> None:
    membership = Membership.from_snapshots(
        [
            (dt.datetime(2025, 10, 1, 6, 0, tzinfo=IST), {"a": "health", "b": "rev"}),
            ("2025-04-01", {"a": "rev"}),
        ]
    )
    assert [(m.person, m.unit, str(m.since)) for m in membership] == [
        ("a", "rev", "2025-04-01"),
        ("a", "health", "2025-10-01"),
        ("b", "rev", "2025-10-01"),
    ]
    assert membership.unit_on("a", dt.date(2025, 9, 30)) == "rev"
    assert membership.unit_on("b", dt.date(2025, 5, 1)) == "rev"  # before b was first seen
    assert membership.as_of("2025-09-30").current("b") is None


def test_an_hr_file_reports_every_bad_row_at_once() -> None:
    text = (
        "Employee Id,Office,Effective From\n"
        "a,rev,2025-04-01\n"
        ",rev,2025-04-01\n"
        "b,,2025-13-01\n"
        "a,health,01/04/2025\n"
    )
    with pytest.raises(ValidationError) as raised:
        read_membership_csv(io.StringIO(text))
    found: list[tuple[Any, ...]] = [
        (p.where.row, p.where.field, p.code) for p in raised.value.problems
    ]
    assert found == [
        (3, "Employee Id", "blank"),
        (4, "Office", "blank"),
        (4, "Effective From", "malformed"),
        (5, "Office", "inconsistent"),
    ]
    assert "row 2" in str(raised.value.problems[-1])


def test_validate_knows_a_postings_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    postings = tmp_path / "postings.csv"
    postings.write_text(
        "Person,Unit,From\na,rev,2025-04-01\na,health,2025-10-01\n", encoding="utf-8"
    )
    assert main(["validate", str(postings)]) == 0
    assert capsys.readouterr().out == f"{postings}: postings (CSV): 2 postings: ok\n"


EXPORT = (
    "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
    "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    "asha@cg.in,CG,Revenue,,RTI,01:00:00,2025-10-05 10:00:00,completed,100,"
    "2025-11-20 10:00:00,Yes\n"
)


def test_the_export_rolled_up_over_time_says_which_engine_and_why() -> None:
    moves = [
        Move(person="asha@cg.in", unit="CG/Revenue", since="2025-04-01"),
        Move(person="asha@cg.in", unit="CG/Health", since="2025-11-01"),
    ]
    tree = OrgTree.from_paths([("CG", "Revenue"), ("CG", "Health")])
    done = roll_up_export(io.StringIO(EXPORT), tree=tree, membership=Membership(moves), by="fy")
    assert done.engine.startswith("reference (pure Python): the columnar engine counts neither")
    assert [str(m) for m in done.matched] == [
        "the records' people in the membership: 1 of 1 matched (100%)"
    ]
    assert done.table.row("CG/Health", "2025-26").completions == 1
    assert done.table.row("CG/Revenue", "2025-26").enrolments == 1
    earlier = roll_up_export(io.StringIO(EXPORT), by="fy", as_of="2025-10-31")
    assert earlier.table.row("CG", "2025-26").completions == 0
    for over_time in ({"membership": Membership(moves)}, {"as_of": "2025-10-31"}):
        with pytest.raises(ValueError, match="counted by the reference engine"):
            roll_up_export(io.StringIO(EXPORT), tree=tree, engine="columnar", **over_time)


def test_as_of_a_day_counts_sessions_ratings_and_logins_up_to_that_day() -> None:
    records = [done("asha", "RTI", "2025-10-05 10:00", "2025-11-20 10:00")]
    rollup = Rollup(TREE, places={"asha": "rev"}, by="fy", records=records)
    sessions = [
        Attendance("asha", "Land Records", "Survey", dt.date(2025, 10, 10), 3600, True, True),
        Attendance("asha", "Land Records", "Hearing", dt.date(2025, 12, 1), 5400, True, True),
    ]
    then = rollup.as_of("2025-11-30")
    hours = {
        name: table.total("rev").offline_hours  # type: ignore[union-attr]
        for name, table in (("now", rollup.offline(sessions)), ("then", then.offline(sessions)))
    }
    assert hours == {"now": 2.5, "then": 1.0}
    ratings = [("asha", "RTI", dt.datetime(2025, 12, 2, 10, 0, tzinfo=IST))]
    logins = {"asha": dt.datetime(2025, 12, 1, 9, 0, tzinfo=IST)}
    operations = {
        name: sorted(c.operation for c in table.karma(ratings=ratings, logins=logins).credits)
        for name, table in (("now", rollup), ("then", then))
    }
    assert operations == {
        "now": ["COURSE_COMPLETION", "FIRST_ENROLMENT", "FIRST_LOGIN", "RATING"],
        "then": ["COURSE_COMPLETION", "FIRST_ENROLMENT"],
    }


def test_a_user_report_and_a_postings_file_that_disagree_say_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, users, postings = (tmp_path / n for n in ("export.csv", "users.csv", "post.csv"))
    export.write_text(EXPORT, encoding="utf-8")
    users.write_text(
        "Email,Ministry,Department,Organization,User_Registration_Date,"
        "Report_Last_Generated_On\n"
        "Asha@CG.in,CG,Revenue,,2024-01-01 00:00:00,2025-10-01 06:00:00\n",
        encoding="utf-8",
    )
    postings.write_text("Person,Unit,From\nasha@cg.in,CG,2025-10-01\n", encoding="utf-8")
    assert main(["progress", str(export), "--membership", str(users), str(postings)]) == 1
    err = capsys.readouterr().err
    assert f"{postings}, row 2, field 'Unit': places 'asha@cg.in' in two units" in err
    assert f"also in 'CG/Revenue' ({users}, field 'Report_Last_Generated_On')" in err


def test_weeks_learners_sessions_and_karma_count_where_each_day_counts() -> None:
    """Asha, in Revenue until 31 October and in Health from 1 November: what she did in
    October is Revenue's, what she did in November Health's, and the state has her once,
    with all her hours."""
    moves = [
        Move(person="asha", unit="rev", since="2025-04-01"),
        Move(person="asha", unit="health", since="2025-11-01"),
    ]
    records = [
        done("asha", "RTI", "2025-10-05 10:00", "2025-11-20 10:00"),
        done("asha", "Ethics", "2025-10-10 10:00", "2025-10-20 10:00"),
    ]
    rollup = Rollup(TREE, membership=Membership(moves), records=records)
    week = Campaign(name="Saptah", start="2025-10-01", end="2025-11-30", hours=2)
    got = {
        row.unit: (row.learners, row.enrolments, row.completions, row.learning_hours)
        for row in rollup.campaign(week).rows
    }
    assert got == {"cg": (1, 2, 2, 2.0), "rev": (0, 2, 1, 1.0), "health": (0, 0, 1, 1.0)}
    one_hour = rollup.learners_with_hours(1, dt.date(2025, 10, 1), dt.date(2025, 11, 30))
    assert dict(one_hour) == {"cg": 1, "rev": 1, "health": 1}
    two_hours = rollup.learners_with_hours(2, dt.date(2025, 10, 1), dt.date(2025, 11, 30))
    assert dict(two_hours) == {"cg": 1, "rev": 0, "health": 0}
    sessions = [
        Attendance("asha", "Land Records", "Survey", dt.date(2025, 10, 15), 3600, True, True),
        Attendance("asha", "Land Records", "Hearing", dt.date(2025, 11, 15), 3600, True, True),
    ]
    offline = rollup.offline(sessions)
    assert {(r.unit, r.sessions, r.people) for r in offline.rows} == {
        ("cg", 2, 1),
        ("rev", 1, 1),
        ("health", 1, 1),
    }
    karma = rollup.karma()
    assert (karma.people, dict(karma.units)) == ({"asha": 15}, {"cg": 15, "rev": 10, "health": 5})
    current = Rollup(TREE, membership=Membership(moves), unit_rule="current", records=records)
    assert dict(current.karma().units) == {"cg": 15, "rev": 0, "health": 15}
    assert {r.unit: r.completions for r in current.campaign(week).rows} == {
        "cg": 2,
        "rev": 0,
        "health": 2,
    }


def test_a_membership_of_other_people_is_an_error_not_zeros() -> None:
    """Postings keyed by employee number meet an export keyed by email nowhere: an error
    that says so, rather than a table of people not placed."""
    tree = OrgTree.from_paths([("CG", "Revenue")])
    others = Membership([Move(person="EMP00001", unit="CG/Revenue", since="2025-04-01")])
    with pytest.raises(NoMatchError, match="the records' people in the membership: none of 1"):
        roll_up_export(io.StringIO(EXPORT), tree=tree, membership=others)
