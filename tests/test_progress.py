"""The ledger and the roll-ups: every number against a brute-force count of its
definition, whatever the order, duplication or split of the records, one at a time or in
bulk."""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.cbp import Allocation
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST, PERIOD_KINDS, PeriodKind, period_index
from karmayogi.progress import (
    METRICS,
    CountingPolicy,
    Enrolment,
    Ledger,
    Origin,
    ProgressRow,
    Rollup,
    Status,
    View,
    pseudonym,
)
from tests.builders import metrics_by_definition, run_in_new_york
from tests.strategies import enrolments, org_trees, placed_people

POLICIES = [CountingPolicy.PLATFORM, CountingPolicy.ALL_COMPLETIONS,
            CountingPolicy(name="everyone", include_inactive=True)]  # fmt: skip


@st.composite
def scenarios(
    draw: st.DrawFn, *, crowded: bool = False
) -> tuple[OrgTree, list[Person], list[Enrolment], PeriodKind, CountingPolicy]:
    """A tree, people, records and a way of counting. ``crowded``: the records are of one
    or two of the people, several each."""
    tree = draw(org_trees())
    people = draw(placed_people(tree))
    if crowded:
        few = [p.id for p in people[:2]]
        records = draw(st.lists(enrolments(people=few), min_size=4, max_size=25))
    else:
        # Records of people who are not given are left out (and counted as such).
        records = draw(st.lists(enrolments(), max_size=25))
    return (
        tree,
        people,
        records,
        draw(st.sampled_from(PERIOD_KINDS)),
        draw(st.sampled_from(POLICIES)),
    )


def expected_row(
    rollup: Rollup, people: list[Person], unit: str, index: int, view: str
) -> dict[str, object]:
    """Each metric straight from its definition, over the ledger's entries."""
    policy = rollup.policy
    counted = {p.id: p for p in people if p.active or policy.include_inactive}
    inside = set(rollup.tree.descendants(unit))
    entries = [
        e for e in rollup.ledger if e.person in counted and counted[e.person].place in inside
    ]

    def at(when: dt.datetime | None) -> int | None:
        return None if when is None else period_index(rollup.by, when.astimezone(IST).date())

    def within(when: dt.datetime | None) -> bool:
        i = at(when)
        return i is not None and (i == index if view == "flow" else i <= index)

    enrolled = [e for e in entries if within(e.enrolled_at)]
    completed = [e for e in entries if within(e.completed_at)]
    return {
        "users": sum(1 for p in counted.values() if p.place in inside),
        **metrics_by_definition(enrolled, completed, by=rollup.by, index=index, policy=policy),
    }


def assert_matches_definitions(rollup: Rollup, people: list[Person]) -> None:
    for view in ("flow", "cumulative"):
        for row in rollup.table(view):  # type: ignore[arg-type]
            index = period_index(rollup.by, row.period.start)
            got = {m: getattr(row, m) for m in expected_row(rollup, people, row.unit, index, view)}
            assert got == pytest.approx(expected_row(rollup, people, row.unit, index, view)), (
                view,
                row,
            )


@given(scenarios())
def test_every_number_is_its_definition(scenario: tuple) -> None:  # type: ignore[type-arg]
    """Bulk roll-up = a brute-force count of each metric's definition, for every unit (with
    its descendants: a parent's people are the distinct union of its children's, never a
    sum of overlapping counts), period and view."""
    tree, people, records, by, policy = scenario
    rollup = Rollup(tree, people=people, by=by, policy=policy, records=records)
    assert_matches_definitions(rollup, people)


@given(scenarios() | scenarios(crowded=True), st.randoms(use_true_random=False), st.data())
def test_one_at_a_time_equals_bulk(
    scenario: tuple,  # type: ignore[type-arg]
    rnd: random.Random,
    data: st.DataObject,
) -> None:
    """Records added one by one, in any order, after some loaded in bulk (or none), give
    what a bulk load of them all gives."""
    tree, people, records, by, policy = scenario
    bulk = Rollup(tree, people=people, by=by, policy=policy, records=records)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    cut = data.draw(st.integers(0, len(shuffled)), label="loaded in bulk")
    live = Rollup(tree, people=people, by=by, policy=policy, records=shuffled[:cut])
    for record in shuffled[cut:]:
        live.add(record)
    for view in ("flow", "cumulative"):
        assert live.table(view) == bulk.table(view)  # type: ignore[arg-type]
    assert_matches_definitions(live, people)


@given(scenarios(), st.randoms(use_true_random=False), st.integers(0, 25))
def test_order_duplication_and_split_do_not_matter(
    scenario: tuple, rnd: random.Random, cut: int
) -> None:  # type: ignore[type-arg]
    """Shuffled, duplicated, or split into two ledgers merged later: the same numbers."""
    tree, people, records, by, policy = scenario
    reference = Rollup(tree, people=people, by=by, policy=policy, records=records).table(
        "cumulative"
    )
    doubled = records + rnd.sample(records, k=len(records) // 2)
    rnd.shuffle(doubled)
    first, second = Ledger(doubled[:cut]), Ledger(doubled[cut:])
    merged = first | second
    assert merged == Ledger(records)
    again = Rollup(tree, people=people, by=by, policy=policy, records=merged)
    assert again.table("cumulative") == reference


same_key = enrolments(people=["p@x.in"]).filter(lambda e: e.course == "do_1")


@given(same_key, same_key, same_key)
def test_join_is_a_semilattice(a: Enrolment, b: Enrolment, c: Enrolment) -> None:
    assert a.join(b) == b.join(a)
    assert a.join(b).join(c) == a.join(b.join(c))
    assert a.join(a) == a
    joined = a.join(b)
    assert joined.status == max(a.status, b.status)
    assert joined.progress == max(a.progress, b.progress)
    assert set(joined.certificates) == set(a.certificates) | set(b.certificates)
    assert set(joined.origins) == set(a.origins) | set(b.origins)


def test_a_lone_origin_makes_the_same_record_bare_or_in_a_tuple() -> None:
    origin = Origin("report.csv", 7)
    bare = Enrolment(person="a", course="b", origins=origin)
    assert bare == Enrolment(person="a", course="b", origins=(origin,))
    assert bare.origins == (origin,)
    assert attrs.evolve(bare, person="z").origins == (origin,)
    assert Enrolment(person="a", course="b").origins == ()


def test_the_ledger_keeps_each_persons_entries_together() -> None:
    pairs = [("a", "1"), ("b", "1"), ("a", "2"), ("b", "2"), ("a", "1")]
    ledger = Ledger(Enrolment(person=p, course=c) for p, c in pairs)
    assert [(e.person, e.course) for e in ledger] == [
        ("a", "1"),
        ("a", "2"),
        ("b", "1"),
        ("b", "2"),
    ]
    assert [(p, len(entries)) for p, entries in ledger.by_person()] == [("a", 2), ("b", 2)]
    assert ("a", "2") in ledger
    assert ("a", "3") not in ledger
    assert "a" not in ledger
    assert len(ledger) == 4
    assert ledger
    assert not Ledger()
    copy = Ledger(ledger)
    assert copy == ledger
    copy.add(Enrolment(person="a", course="3"))
    assert ("a", "3") not in ledger


def test_records_that_contradict_themselves_are_refused() -> None:
    when = dt.datetime(2025, 4, 1, 10, 0, tzinfo=IST)
    cases = {
        "completion time goes with the status completed": {
            "status": Status.IN_PROGRESS,
            "progress": 50,
            "completed_at": when,
        },
        "has progress 100": {"status": Status.COMPLETED, "progress": 90, "completed_at": when},
        "not started has progress 0": {"status": Status.NOT_STARTED, "progress": 10},
        "certificate goes with a completed": {
            "status": Status.IN_PROGRESS,
            "progress": 5,
            "certificates": {"c"},
        },
        "0..100": {"status": Status.IN_PROGRESS, "progress": 120},
    }
    for message, fields in cases.items():
        with pytest.raises(ValueError, match=message):
            Enrolment(person="a", course="b", **fields)  # type: ignore[arg-type]


@given(scenarios(), st.data())
def test_explanations_add_up_to_their_numbers(scenario: tuple, data: st.DataObject) -> None:  # type: ignore[type-arg]
    tree, people, records, by, policy = scenario
    rollup = Rollup(tree, people=people, by=by, policy=policy, records=records)
    table = rollup.table("flow")
    if not table.rows:
        return
    row = data.draw(st.sampled_from(table.rows))
    metric = data.draw(st.sampled_from(METRICS))
    view: View = data.draw(st.sampled_from(["flow", "cumulative"]))
    why = rollup.explain(row.unit, row.period, metric, view)
    value = getattr(rollup.row(row.unit, row.period, view), metric)
    assert why.value == value
    if metric in ("enrolments", "completions", "certificates"):
        assert len(why.records) == value
    elif metric == "users" or metric.endswith("_users"):
        assert len(why.people) == value
    elif metric == "learning_hours":
        assert sum(r.duration or 0 for r in why.records) / 3600 == pytest.approx(value)
    else:
        assert len(why.records) == rollup.row(row.unit, row.period, view).enrolments


def ist(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=IST)  # type: ignore[arg-type]


def people_and_tree() -> tuple[OrgTree, list[Person]]:
    tree = OrgTree([
        Unit(id="rev", name="Revenue", level="department"),
        Unit(id="raipur", name="Raipur", level="district", parent="rev"),
        Unit(id="durg", name="Durg", level="district", parent="rev"),
    ])  # fmt: skip
    people = [
        Person(id="a", organisation="rev", unit="raipur"),
        Person(id="b", organisation="rev", unit="durg"),
        Person(id="c", organisation="rev", unit="durg", active=False),
    ]
    return tree, people


def done(
    person: str, course: str, when: dt.datetime, *, certificate: bool = True, seconds: int = 3600
) -> Enrolment:
    return Enrolment(
        person=person, course=course, status=Status.COMPLETED, progress=100,
        enrolled_at=when - dt.timedelta(days=3), completed_at=when,
        certificates={"c"} if certificate else set(), duration=seconds,
    )  # fmt: skip


def test_the_policy_travels_with_the_table_and_decides_hours_and_inactive_people() -> None:
    tree, people = people_and_tree()
    records = [
        done("a", "do_1", ist(2025, 5, 1, 12, 0)),
        done("b", "do_1", ist(2025, 5, 2, 12, 0), certificate=False),
        done("c", "do_1", ist(2025, 5, 3, 12, 0)),
    ]
    platform = Rollup(tree, people=people, by="fy", records=records).table()
    every = Rollup(
        tree,
        people=people,
        by="fy",
        records=records,
        policy=CountingPolicy(name="all", hours_from="completed", include_inactive=True),
    ).table()
    assert platform.row("rev", "2025-26").learning_hours == 1.0
    assert platform.row("rev", "2025-26").users == 2
    assert platform.excluded == {"inactive people": 1}
    assert every.row("rev", "2025-26").learning_hours == 3.0
    assert every.row("rev", "2025-26").users == 3
    text = str(platform)
    assert "counting policy platform: learning hours from completions with a certificate" in text
    assert "left out: 1 enrolment(s) of inactive people" in text
    assert "policy" in platform.to_csv().splitlines()[0]  # type: ignore[union-attr]
    assert '"hours_from": "certified"' in platform.to_json()


def test_periods_count_by_the_date_in_india() -> None:
    """23:59 IST on 31 March is the old year; 18:31 UTC that day is 00:01 IST, the new."""
    tree, people = people_and_tree()
    late = dt.datetime(2026, 3, 31, 23, 59, tzinfo=IST)
    utc = dt.datetime(2026, 3, 31, 18, 31, tzinfo=dt.UTC)
    rollup = Rollup(tree, people=people, by="fy", records=[
        done("a", "do_1", late), done("b", "do_1", utc)])  # fmt: skip
    assert rollup.row("rev", "2025-26").completions == 1
    assert rollup.row("rev", "2026-27").completions == 1


def test_period_boundaries_hold_with_the_machine_in_another_zone() -> None:
    code = (
        "import datetime as dt, time; time.tzset();"
        "from tests.test_progress import test_periods_count_by_the_date_in_india as t, "
        "test_compliance_counts_the_whole_due_day_in_india as c; t(); c()"
    )
    result = run_in_new_york(code)
    assert result.returncode == 0, result.stderr


def test_compliance_counts_the_whole_due_day_in_india() -> None:
    tree, people = people_and_tree()
    due = dt.date(2025, 12, 31)
    allocations = [
        Allocation(person="a", course="do_1", due=due, plan="p", mandatory=True, apar=True),
        Allocation(person="a", course="do_2", due=due, plan="p", mandatory=True, apar=True),
        Allocation(person="b", course="do_1", due=due, plan="p", mandatory=True, apar=True),
        Allocation(person="b", course="do_2", due=due, plan="p", mandatory=True, apar=True),
        Allocation(person="b", course="do_3", due=due, plan="p", mandatory=True, apar=False),
        Allocation(person="c", course="do_1", due=due, plan="p", mandatory=True, apar=True),
    ]
    records = [
        done("a", "do_1", dt.datetime(2025, 12, 31, 23, 59, tzinfo=IST)),  # on time
        done("b", "do_1", dt.datetime(2025, 12, 31, 18, 31, tzinfo=dt.UTC)),  # 00:01 IST: late
        done("b", "do_3", ist(2026, 4, 1, 0, 30)),  # after the financial year
    ]
    table = Rollup(tree, people=people, by="fy", records=records).compliance(allocations)
    a, b = table.person("a"), table.person("b")
    assert (a.cbp_allocated, a.cbp_completed, a.cbp_completed_on_time) == (2, 1, 1)
    assert (b.cbp_allocated, b.cbp_completed, b.cbp_completed_on_time) == (3, 2, 0)
    assert a.apar_compliant is True  # 1 of 2 APAR courses: half
    assert b.apar_compliant is True  # late for the due date, but within the financial year
    rev = table.unit("rev")
    assert (rev.users, rev.cbp_allocated, rev.apar_users, rev.apar_compliant_users) == (2, 5, 2, 2)
    assert table.excluded == {"inactive people": 1}


def test_apar_needs_half_by_the_end_of_the_financial_year() -> None:
    tree, people = people_and_tree()
    due = dt.date(2025, 9, 30)
    allocations = [
        Allocation(person="a", course=f"do_{n}", due=due, plan="p", mandatory=True, apar=True)
        for n in (1, 2, 3)
    ]
    records = [done("a", "do_1", ist(2026, 3, 31, 23, 0)),
               done("a", "do_2", ist(2026, 4, 1, 9, 0))]  # fmt: skip
    row = Rollup(tree, people=people, by="fy", records=records).compliance(allocations).person("a")
    assert (row.apar_allocated, row.apar_completed, row.apar_compliant) == (3, 1, False)


def test_learners_with_hours_in_a_window() -> None:
    tree, people = people_and_tree()
    week = (dt.date(2024, 10, 19), dt.date(2024, 10, 25))
    records = [
        done("a", "do_1", ist(2024, 10, 19, 0, 5), seconds=3 * 3600),
        done("a", "do_2", ist(2024, 10, 25, 23, 55), seconds=3600),
        done("b", "do_1", ist(2024, 10, 26, 0, 5), seconds=5 * 3600),  # a day late
    ]
    counts = Rollup(tree, people=people, by="month", records=records).learners_with_hours(4, *week)
    assert counts == {"rev": 1, "raipur": 1, "durg": 0}


def test_every_number_carries_the_policy_that_made_it() -> None:
    """Under all completions, an uncertified completion gives hours: a row, an
    explanation, a table's rows and a count of learners each say which policy counted."""
    tree, people = people_and_tree()
    uncertified = attrs.evolve(done("a", "do_1", ist(2025, 5, 1, 12, 0), seconds=7200),
                               certificates=())  # fmt: skip
    for policy, hours in ((CountingPolicy.PLATFORM, 0.0), (CountingPolicy.ALL_COMPLETIONS, 2.0)):
        rollup = Rollup(tree, people=people, by="fy", policy=policy, records=[uncertified])
        row = rollup.row("rev", "2025-26")
        assert (row.learning_hours, row.policy) == (hours, policy)
        assert row.to_dict()["policy"] == policy.name
        assert {r.policy for r in rollup.table()} == {policy}
        explained = rollup.explain("rev", "2025-26", "learning_hours")
        assert explained.policy == policy
        assert f"counting policy {policy.name}" in str(explained)
        week = rollup.learners_with_hours(2, dt.date(2025, 5, 1), dt.date(2025, 5, 1))
        assert (week.policy, week["rev"], week.hours) == (policy, 1 if hours else 0, 2)


def test_suppressed_counts_cannot_be_worked_out_from_the_parent() -> None:
    tree, people = people_and_tree()
    people = people + [Person(id=f"x{n}", organisation="rev", unit="durg") for n in range(8)]
    records = [done("a", "do_1", ist(2025, 5, 1, 12, 0))] + [
        done(f"x{n}", "do_1", ist(2025, 5, 1, 12, 0)) for n in range(8)]  # fmt: skip
    table = Rollup(tree, people=people, by="fy", records=records).table().suppressed(below=5)
    raipur, durg, rev = (table.row(u, "2025-26") for u in ("raipur", "durg", "rev"))
    assert raipur.completions is None  # 1 is below 5
    assert durg.completions is None  # else rev - durg = raipur
    assert rev.completions == 9
    assert raipur.learning_hours is None
    assert raipur.completion_rate is None
    assert "suppressed" in str(table)
    assert "*" in str(table)


values_by_unit = st.dictionaries(st.sampled_from([f"u{n}" for n in range(7)]), st.integers(0, 12))


@given(org_trees(), st.data(), st.integers(2, 6))
def test_suppression_leaves_no_lone_unknown(tree: OrgTree, data: st.DataObject, below: int) -> None:
    """Every small count is hidden, and no published parent has exactly one unknown among its
    children and its own remainder (else that one is the parent minus the rest)."""
    from karmayogi._publish import hidden_units

    own = {u: data.draw(st.integers(0, 9)) for u in tree.units}
    totals = {u: sum(own[d] for d in tree.descendants(u)) for u in tree.units}
    hidden = hidden_units(totals, tree, below)
    assert {u for u, v in totals.items() if 0 < v < below} <= hidden
    for unit in tree.units:
        children = tree.children(unit)
        if not children:
            continue
        unknown_children = [c for c in children if c in hidden]
        remainder = own[unit]
        if unit not in hidden:
            assert len(unknown_children) != 1 or remainder > 0
            assert unknown_children or not 0 < remainder < below
        else:
            assert unknown_children or remainder > 0


def test_pseudonyms_are_stable_keyed_and_need_a_real_key() -> None:
    key = b"k" * 32
    assert pseudonym("a@x.in", key) == pseudonym("a@x.in", key)
    assert pseudonym("a@x.in", key) != pseudonym("a@x.in", b"j" * 32)
    assert pseudonym("a@x.in", key) != pseudonym("b@x.in", key)
    assert "a@x.in" not in pseudonym("a@x.in", key)
    with pytest.raises(ValueError, match="at least 16 bytes"):
        pseudonym("a@x.in", b"short")


def test_rows_are_records_of_every_metric() -> None:
    assert {f.name for f in ProgressRow.__attrs_attrs__} >= set(METRICS)
