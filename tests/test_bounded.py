"""Cost that grows with the input, never faster: a record repeated any number of times
keeps a bounded summary of where it came from, and joining stays a semilattice."""

from __future__ import annotations

import datetime as dt
import io
from functools import reduce
from random import Random

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from karmayogi._cover import Option, choose
from karmayogi.errors import LimitExceeded
from karmayogi.limits import Limits
from karmayogi.org import OrgTree, Unit
from karmayogi.periods import IST
from karmayogi.progress import (
    Enrolment,
    Origin,
    Rollup,
    Status,
    read_consumption_report,
    read_enrolments,
    read_xapi,
)
from karmayogi.progress._records import ORIGINS_KEPT

origins = st.builds(
    Origin,
    st.sampled_from([None, "a.csv", "b.csv"]),
    st.integers(1, 10**6),
    st.sampled_from([None, "", "waived", "satisfied"]),  # one row may say different things
)


def record(where: Origin) -> Enrolment:
    begun = dt.datetime(2025, 4, 5, 10, tzinfo=IST)
    return Enrolment(person="a@x.in", course="RTI", status=Status.IN_PROGRESS, progress=40,
                     enrolled_at=begun, origins=[where])  # fmt: skip


@given(st.lists(origins, min_size=2, max_size=40), st.randoms(use_true_random=False))
@example(  # one row that says nothing, and says "": found by a fresh machine's run
    said=[Origin("b.csv", 130, ""), Origin("b.csv", 130, None), Origin(None, 1, None)],
    random=Random(3),
)
def test_a_joined_record_keeps_the_first_origins_whatever_the_order(
    said: list[Origin], random: Random
) -> None:
    records = [record(o) for o in said]
    joined = reduce(Enrolment.join, records)
    shuffled = list(records)
    random.shuffle(shuffled)
    assert joined == reduce(Enrolment.join, shuffled)
    # File and row order; a file or a word given as "" comes after none given at all.
    first = sorted(
        set(said),
        key=lambda o: (o.file or "", o.file is not None, o.row, o.says or "", o.says is not None),
    )[:ORIGINS_KEPT]
    assert joined.origins == tuple(first)
    halves = reduce(Enrolment.join, records[::2]).join(reduce(Enrolment.join, records[1::2]))
    assert halves == joined


def test_a_row_repeated_many_times_is_read_with_a_bounded_record() -> None:
    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    row = "a@x.in,CG,Rev,,RTI,01:00:00,2025-04-05 10:30:00,in-progress,40,,No\n"
    report = read_consumption_report(io.StringIO(header + row * 20_000))
    assert (report.rows, report.used, report.duplicates) == (20_000, 1, 19_999)
    entry = report.ledger["a@x.in", "RTI"]
    assert [o.row for o in entry.origins] == list(range(2, 2 + ORIGINS_KEPT))


def test_a_table_has_the_periods_with_data_not_the_span_between_them() -> None:
    """One row in January 1900, one in December 2999: two months, on both engines, not
    thirteen thousand; and the earliest dates read fall in a year that can be counted."""
    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    rows = (
        "a@x.in,CG,Rev,,RTI,01:00:00,1900-01-15 10:00:00,in-progress,40,,No\n"
        "b@x.in,CG,Rev,,RTI,01:00:00,2999-12-01 10:00:00,in-progress,40,,No\n"
    )
    report = read_consumption_report(io.StringIO(header + rows))
    tree = report.tree
    assert tree is not None
    months = Rollup(tree, places=report.places, by="month", records=report.ledger).table()
    assert sorted({str(r.period) for r in months}) == ["1900-01", "2999-12"]
    assert len(months) == len(tree) * 2
    quarters = Rollup(tree, places=report.places, by="quarter", records=report.ledger).table()
    assert sorted({str(r.period) for r in quarters}) == ["1899-00 Q4", "2999-00 Q3"]
    pytest.importorskip("polars", reason="the columnar extra is not installed")
    from karmayogi.columnar import read_consumption_frame, rollup_table

    frames = read_consumption_frame(io.StringIO(header + rows))
    framed = rollup_table(frames.records, frames.tree, places=frames.places, by="month")
    assert sorted({str(r.period) for r in framed}) == ["1900-01", "2999-12"]


def test_an_invisible_character_in_an_email_does_not_make_a_second_person() -> None:
    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    rows = (
        "asha@cg.gov.in,CG,Rev,,RTI,01:00:00,2025-05-01 10:00:00,in-progress,40,,No\n"
        "asha@cg.gov.in\u200b,CG,Rev,,Ethics,01:00:00,2025-05-02 10:00:00,in-progress,40,,No\n"
        "A\u0301sha@cg.gov.in,CG,Rev,,RTI,01:00:00,2025-05-03 10:00:00,in-progress,40,,No\n"
        "\u00c1sha@cg.gov.in,CG,Rev,,RTI,01:00:00,2025-05-03 10:00:00,in-progress,40,,No\n"
    )
    report = read_consumption_report(io.StringIO(header + rows))
    assert sorted(report.places) == ["asha@cg.gov.in", "\u00e1sha@cg.gov.in"]
    assert (report.used, report.duplicates) == (3, 1)
    [finding] = [f for f in report.findings if f.code == "person-key-normalised"]
    assert finding.message.startswith("2 people's Email held invisible characters")
    pytest.importorskip("polars", reason="the columnar extra is not installed")
    from karmayogi.columnar import read_consumption_frame

    frames = read_consumption_frame(io.StringIO(header + rows))
    assert sorted(frames.records["person"].unique().to_list()) == sorted(report.places)
    assert [f.message for f in frames.findings if f.code == "person-key-normalised"] == [
        finding.message
    ]


def test_records_from_code_refuse_none_true_and_durations_past_any_course() -> None:
    result = read_enrolments(
        [
            {"person": None, "course": "RTI"},
            {"person": "a", "course": "RTI", "status": True},
            {"person": "a", "course": "RTI", "duration": 10**20},
            {"person": "a", "course": "RTI", "duration": float("nan")},
            {"person": "b\u200b", "course": "RTI", "duration": 3600},
        ]
    )
    assert (result.used, len(result.rejected)) == (1, 4)
    assert [str(r) for r in result.rejected] == [
        "at 'records[0].person': a name is text, not NoneType (got 'None')",
        "at 'records[1].status': is not a status: not-started, in-progress or completed "
        "(0, 1, 2) (got 'True')",
        "at 'records[2].duration': a duration is 0 to 1000 hours, in seconds "
        "(got '100000000000000000000')",
        "at 'records[3].duration': a duration is 0 to 1000 hours, in seconds (got 'nan')",
    ]
    assert [e.person for e in result.ledger] == ["b"]


def test_the_builders_search_on_a_large_catalogue_stops_at_its_limit_the_same_way() -> None:
    """Three thousand courses for 24 gaps: the search stops at its node limit, says the
    choice is the best found rather than proven, and gives the same choice whatever the
    catalogue's order (its work per step is in gaps, not courses: no clock decides)."""
    draw = Random(1)
    needs = {f"n{i}": draw.random() < 0.6 for i in range(24)}
    options = [
        Option(f"c{i}", draw.randrange(600, 20_000), frozenset(draw.sample(sorted(needs), 3)))
        for i in range(3000)
    ]
    found = choose(needs, options)
    assert not found.optimal
    assert found.covered == frozenset(needs)
    shuffled = list(options)
    draw.shuffle(shuffled)
    assert choose(needs, shuffled) == found


def test_a_zero_is_never_the_complement_that_hides_a_small_count() -> None:
    """A unit with 0 is often known to be 0 (no one there has an allocation): hiding it
    beside a hidden 2 would leave the 2 to be worked out from the parent."""
    from karmayogi._publish import hidden_units
    from karmayogi.org import OrgTree, Unit

    tree = OrgTree([
        Unit(id="s", name="State", level="state"),
        *(Unit(id=u, name=u, level="department", parent="s") for u in ("a", "b", "c")),
    ])  # fmt: skip
    assert hidden_units({"s": 12, "a": 2, "b": 0, "c": 10}, tree, 5) == {"a", "c"}
    # With no other child to hide but zeros, the parent goes with it.
    assert hidden_units({"s": 2, "a": 2, "b": 0, "c": 0}, tree, 5) >= {"a", "s"}


def test_learning_hours_and_completions_hide_with_certificates() -> None:
    """Under the platform's policy hours come from certified completions: published hours
    over a course's duration would give a hidden count of certificates back, and nearly
    every completion is certified, so completions go too."""
    tree = OrgTree([
        Unit(id="s", name="State", level="state"),
        Unit(id="a", name="A", level="department", parent="s"),
        Unit(id="b", name="B", level="department", parent="s"),
    ])  # fmt: skip
    begun, ended = dt.datetime(2025, 5, 1, tzinfo=IST), dt.datetime(2025, 5, 9, tzinfo=IST)
    records = [
        Enrolment(person=f"{unit}{n}", course="RTI", status=Status.COMPLETED, progress=100,
                  enrolled_at=begun, completed_at=ended, duration=3600,
                  certificates={"x"} if n < certified else ())
        for unit, certified in (("a", 1), ("b", 9)) for n in range(9)
    ]  # fmt: skip
    places = {r.person: r.person[0] for r in records}
    table = Rollup(tree, places=places, by="fy", records=records).table().suppressed(5)
    a = table.row("a", "2025-26")
    assert (a.completions, a.certificates, a.learning_hours) == (None, None, None)
    assert (a.enrolments, table.row("b", "2025-26").certificates) == (9, None)


def test_a_table_of_more_periods_than_the_limit_is_refused_on_both_engines() -> None:
    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    rows = "".join(
        f"p{i}@x.in,CG,Rev,,RTI,01:00:00,{1901 + i // 12}-{1 + i % 12:02d}-01 10:00:00,"
        "in-progress,40,,No\n"
        for i in range(1300)
    )
    report = read_consumption_report(io.StringIO(header + rows))
    assert report.tree is not None
    with pytest.raises(LimitExceeded) as refused:
        Rollup(report.tree, places=report.places, by="month", records=report.ledger).table()
    assert (refused.value.limit, refused.value.allowed) == ("periods", 1200)
    assert "1,300 periods with data" in str(refused.value)
    wide = Rollup(report.tree, places=report.places, by="month", records=report.ledger,
                  limits=Limits(periods=2000))  # fmt: skip
    assert len(wide.table()) == 1300 * len(report.tree)
    pytest.importorskip("polars", reason="the columnar extra is not installed")
    from karmayogi.columnar import read_consumption_frame, rollup_table

    frames = read_consumption_frame(io.StringIO(header + rows))
    with pytest.raises(LimitExceeded) as also:
        rollup_table(frames.records, frames.tree, places=frames.places, by="month")
    assert str(also.value) == str(refused.value)


def test_dates_outside_a_plausible_window_are_a_finding_on_both_engines() -> None:
    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    rows = (
        "a@x.in,CG,Rev,,RTI,01:00:00,2025-05-01 10:00:00,in-progress,40,,No\n"
        "b@x.in,CG,Rev,,RTI,01:00:00,2205-05-01 10:00:00,in-progress,40,,No\n"  # 2205: 2025
        "c@x.in,CG,Rev,,RTI,01:00:00,1999-05-01 10:00:00,completed,100,"
        "2025-05-01 10:00:00,Yes\n"
        "a@x.in,CG,Rev,,RTI,01:00:00,2099-05-01 10:00:00,in-progress,40,,No\n"  # not first
    )
    report = read_consumption_report(io.StringIO(header + rows))
    [finding] = [f for f in report.findings if f.code == "implausible-date"]
    assert finding.message.startswith("2 enrolment(s) are dated before 01/01/2015 or after ")
    pytest.importorskip("polars", reason="the columnar extra is not installed")
    from karmayogi.columnar import read_consumption_frame

    frames = read_consumption_frame(io.StringIO(header + rows))
    assert [f.message for f in frames.findings if f.code == "implausible-date"] == [finding.message]


def test_a_file_of_bad_rows_lists_the_first_and_counts_them_all() -> None:
    from karmayogi.progress._account import REJECTIONS_KEPT

    header = (
        "Email,Ministry,Department,Organization,Content_Name,Content_Duration,Enrolled_On,"
        "Status,Content_Progress_Percentage,Completed_On,Certificate_Generated\n"
    )
    bad = "a@x.in,CG,Rev,,RTI,01:00:00,2025-05-15 10:00:00,finished,40,,No\n"
    rows = REJECTIONS_KEPT + 2500
    report = read_consumption_report(io.StringIO(header + bad * rows))
    assert (report.rejected_rows, len(report.rejected)) == (rows, REJECTIONS_KEPT)
    assert report.accounted
    assert report.summary() == (
        f"the input: {rows} rows read: 0 used, 0 merged as duplicates, {rows} rejected "
        f"(the first {REJECTIONS_KEPT:,} listed)"
    )
    assert [r.row for r in report.rejected[:2]] == [2, 3]
    pytest.importorskip("polars", reason="the columnar extra is not installed")
    from karmayogi.columnar import read_consumption_frame

    frames = read_consumption_frame(io.StringIO(header + bad * rows))
    assert frames.summary() == report.summary()
    assert [str(r) for r in frames.rejected] == [str(r) for r in report.rejected]


def test_the_xapi_reader_stops_at_its_rows_limit_as_it_reads() -> None:
    """A JSON array is read a statement at a time: the limit stops it before the rest is
    parsed, so broken JSON past the limit is never reached, and nothing past it is held."""
    statement = (
        '{"actor": {"mbox": "mailto:a@x.in"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/'
        'registered"}, "object": {"id": "do_1"}, "timestamp": "2025-05-01T10:00:00+05:30"}'
    )
    text = "[" + ",".join([statement] * 4) + ", {broken"
    with pytest.raises(LimitExceeded) as stopped:
        read_xapi(text.encode(), limits=Limits(rows=3))
    assert (stopped.value.limit, stopped.value.problems[0].where.row) == ("rows", 4)
    assert read_xapi(("[" + ",".join([statement] * 3) + "]").encode()).rows == 3
