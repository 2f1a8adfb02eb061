"""Campaigns and Karma points: a learning week's numbers against a count made here from
the records, per-organisation windows, and Karma points by the platform's rules, order-free,
with the monthly cap, and each person's points explained by their credits."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi._allocation import Allocation
from karmayogi.errors import ValidationError
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST
from karmayogi.progress import Campaign, Enrolment, Rollup, Status

TREE = OrgTree(
    [
        Unit(id="cg", name="Chhattisgarh", level="state"),
        Unit(id="rev", name="Revenue", level="department", parent="cg"),
        Unit(id="health", name="Health", level="department", parent="cg"),
    ]
)
PEOPLE = [f"p{n}@x.in" for n in range(6)]
COURSES = ["RTI Act", "Ethics", "Noting", "Drafting", "Office", "Listening"]
START, END = dt.date(2025, 10, 19), dt.date(2025, 10, 27)


def _day(offset: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=offset), dt.time(hour), IST)


@st.composite
def ledgers(draw: st.DrawFn) -> list[Enrolment]:
    records = []
    keys = draw(st.sets(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(COURSES)), max_size=20))
    for person, course in sorted(keys):
        enrolled = _day(draw(st.integers(-20, 15)), draw(st.integers(0, 23)))
        done = draw(st.booleans())
        completed = enrolled + dt.timedelta(hours=draw(st.integers(1, 400))) if done else None
        records.append(
            Enrolment(
                person=person, course=course,
                status=Status.COMPLETED if done else Status.IN_PROGRESS,
                progress=100 if done else 30, enrolled_at=enrolled, completed_at=completed,
                certificates=("c",) if done and draw(st.booleans()) else (),
                duration=draw(st.sampled_from([None, 1800, 3600, 7200, 3 * 3600])),
            )
        )  # fmt: skip
    return records


def _people() -> list[Person]:
    return [Person(id=p, organisation="rev" if i % 2 else "health") for i, p in enumerate(PEOPLE)]


@settings(max_examples=80, deadline=None)
@given(ledgers(), st.sampled_from([1.0, 2.0, 4.0]), st.booleans())
def test_a_learning_weeks_numbers_are_the_records_in_its_window(
    records: list[Enrolment], hours: float, moved: bool
) -> None:
    overrides = {"rev": {"start": START + dt.timedelta(days=2), "end": END + dt.timedelta(days=2)}}
    week = Campaign(name="Saptah", start=START, end=END, hours=hours,
                    overrides=overrides if moved else {})  # fmt: skip
    table = Rollup(TREE, people=_people(), records=records).campaign(week)
    # Counted here: each person's window by their department, the platform's policy.
    unit_of = {p.id: p.organisation for p in _people()}
    windows = {"health": (START, END), "rev": (START, END)}
    if moved:
        windows["rev"] = (START + dt.timedelta(days=2), END + dt.timedelta(days=2))

    def inside(person: str, when: dt.datetime | None) -> bool:
        first, last = windows[unit_of[person]]
        return when is not None and first <= when.astimezone(IST).date() <= last

    for unit, members in (("cg", set(PEOPLE)), ("rev", {p for p in PEOPLE if unit_of[p] == "rev"})):
        mine = [r for r in records if r.person in members]
        seconds: dict[str, int] = {}
        for r in mine:
            if inside(r.person, r.completed_at) and r.certificates and r.duration:
                seconds[r.person] = seconds.get(r.person, 0) + r.duration
        row = table.row(unit)
        assert row.enrolments == sum(inside(r.person, r.enrolled_at) for r in mine)
        assert row.completions == sum(inside(r.person, r.completed_at) for r in mine)
        assert row.learners == sum(total >= hours * 3600 for total in seconds.values())
        assert row.learning_hours == pytest.approx(sum(seconds.values()) / 3600, abs=0.01)


def test_a_campaign_that_ends_before_it_starts_is_refused_saying_so() -> None:
    with pytest.raises(ValidationError, match="ends on or after it starts"):
        Campaign(name="x", start="2025-10-27", end="2025-10-19")
    with pytest.raises(ValidationError, match="hours"):
        Campaign(name="x", start="2025-10-19", end="2025-10-27", hours=0)


def test_a_campaign_reads_back_equal_from_its_json() -> None:
    week = Campaign(name="Saptah", start=START, end=END, hours=4,
                    overrides={"rev": {"start": START, "end": END}})  # fmt: skip
    assert Campaign.from_json(week.model_dump_json()) == week


# --- Karma points -----------------------------------------------------------------------------


def _completed(person: str, course: str, when: dt.datetime) -> Enrolment:
    return Enrolment(person=person, course=course, status=Status.COMPLETED, progress=100,
                     enrolled_at=when - dt.timedelta(days=1), completed_at=when)  # fmt: skip


def test_karma_points_by_the_platforms_rules_counted_by_hand() -> None:
    october = [_completed("a@x.in", c, _day(i)) for i, c in enumerate(COURSES)]  # 6 in a month
    records = [*october, _completed("a@x.in", "Ethics II", _day(20))]  # November: a new month
    plan = [Allocation("a@x.in", "Office", END, "p", True, False)]
    table = Rollup(TREE, places={"a@x.in": "rev"}, records=records).karma(
        allocations=plan, assessed={"RTI Act"}, ratings=[("a@x.in", "Ethics", _day(3))]
    )
    # By hand: first enrolment 5; October's non-plan completions RTI Act (assessed) 10,
    # Ethics 5, Noting 5, Drafting 5, then Listening past the four (0); Office is a plan
    # course: 5 and its bonus 5; November's one 5; a rating 2.
    assert table.people["a@x.in"] == 5 + 10 + 5 + 5 + 5 + 0 + 5 + 5 + 5 + 2
    assert table.units == {"cg": 47, "rev": 47, "health": 0}
    capped = [c for c in table.explain("a@x.in") if c.points == 0]
    assert [(c.course, c.operation) for c in capped] == [("Listening", "COURSE_COMPLETION")]
    assert table.not_counted == ("first logins: no login data was given",)


@settings(max_examples=60, deadline=None)
@given(ledgers(), st.randoms(use_true_random=False))
def test_karma_points_do_not_depend_on_the_order_of_the_records(
    records: list[Enrolment], shuffle: random.Random
) -> None:
    places = dict.fromkeys(PEOPLE, "rev")
    first = Rollup(TREE, places=places, records=records).karma()
    shuffled = list(records)
    shuffle.shuffle(shuffled)
    again = Rollup(TREE, places=places, records=shuffled + shuffled[:3]).karma()
    assert first.people == again.people
    assert first.units == again.units
    for person, points in first.people.items():
        assert points == sum(c.points for c in first.explain(person))
        per_month: dict[tuple[int, int], int] = {}
        for credit in first.explain(person):
            if credit.operation == "COURSE_COMPLETION" and credit.points:
                month = (credit.when.year, credit.when.month)
                per_month[month] = per_month.get(month, 0) + 1
        assert all(n <= 4 for n in per_month.values())


def test_an_override_for_a_unit_not_in_the_tree_is_refused() -> None:
    week = Campaign(name="Saptah", start=START, end=END,
                    overrides={"revenue": {"start": START, "end": END}})  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        Rollup(TREE, places={"a@x.in": "rev"}).campaign(week)
    (problem,) = raised.value.problems
    assert problem.code == "unknown"
    assert problem.got == "revenue"


def test_plan_courses_named_by_id_meet_records_named_by_title_through_the_catalogue() -> None:
    from karmayogi.cbp import Catalogue, Course
    from karmayogi.errors import NoMatchError

    records = [_completed("a@x.in", "RTI Act", _day(1))]
    plan = [Allocation("a@x.in", "do_rti", END, "p", True, False)]
    rollup = Rollup(TREE, places={"a@x.in": "rev"}, records=records)
    with pytest.raises(NoMatchError, match="catalogue"):
        rollup.karma(allocations=plan)  # no bonus, unsaid, would be a silent loss
    catalogue = Catalogue(courses=[Course(id="do_rti", name="RTI Act", duration=3600)])
    table = rollup.karma(allocations=plan, catalogue=catalogue)
    assert [c.operation for c in table.explain("a@x.in")] == [
        "FIRST_ENROLMENT", "ACBP_BONUS", "COURSE_COMPLETION",
    ]  # fmt: skip
    assert [str(m) for m in table.matched] == [
        "the allocations' courses in the records: 1 of 1 matched (100%)"
    ]
