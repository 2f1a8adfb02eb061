"""Financial-year time: plan years, quarters, dates as files write them, due dates."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.periods import (
    IST,
    FinancialYear,
    Quarter,
    deadline,
    is_on_time,
    parse_date,
    parse_datetime,
)

from .builders import run_in_new_york
from .strategies import dates

UTC = dt.UTC


@pytest.fixture
def new_york() -> Iterator[None]:
    """The machine's own zone set far from India's, for the length of a test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.parametrize(
    ("text", "start_year"),
    [
        ("2025-26", 2025),
        ("2025-2026", 2025),
        ("FY2025-26", 2025),
        ("FY 1999-00", 1999),
        ("2025\u201326", 2025),
    ],
)
def test_plan_years_as_written(text: str, start_year: int) -> None:
    assert FinancialYear.parse(text) == FinancialYear(start_year)


@pytest.mark.parametrize("text", ["2025-27", "2025", "25-26", "2025-2027", "", "2025/26/27"])
def test_not_plan_years(text: str) -> None:
    with pytest.raises(ValueError, match="plan year"):
        FinancialYear.parse(text)


def test_a_year_runs_april_to_march() -> None:
    year = FinancialYear.parse("2025-26")
    assert (year.start, year.end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert dt.date(2025, 3, 31) not in year
    assert dt.date(2026, 4, 1) not in year
    assert [str(q) for q in year.quarters()] == [f"2025-26 Q{n}" for n in range(1, 5)]
    assert Quarter.parse("Q4 2025-26").start == dt.date(2026, 1, 1)


@given(dates)
def test_every_day_is_in_one_year_and_one_of_its_quarters(day: dt.date) -> None:
    year = FinancialYear.of(day)
    assert day in year
    assert FinancialYear.parse(str(year)) == year
    holding = [q for q in year.quarters() if day in q]
    assert holding == [Quarter.of(day)]
    assert Quarter.parse(str(holding[0])) == holding[0]


@given(st.integers(1900, 9000))
def test_quarters_tile_the_year(start_year: int) -> None:
    quarters = FinancialYear(start_year).quarters()
    assert quarters[0].start == FinancialYear(start_year).start
    assert quarters[-1].end == FinancialYear(start_year).end
    for before, after in itertools.pairwise(quarters):
        assert before.end + dt.timedelta(days=1) == after.start


def test_a_timestamp_falls_in_india_s_date() -> None:
    # 20:00 UTC on 31 March is 01:30 on 1 April in India: the next financial year.
    late = dt.datetime(2026, 3, 31, 20, 0, tzinfo=UTC)
    assert FinancialYear.of(late) == FinancialYear(2026)
    assert Quarter.of(late) == Quarter(FinancialYear(2026), 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-04-05", dt.date(2025, 4, 5)),
        ("05/04/2025", dt.date(2025, 4, 5)),  # day first, as spreadsheets write it
        ("5/4/2025", dt.date(2025, 4, 5)),
        ("05-04-2025", dt.date(2025, 4, 5)),
        ("13/04/2025", dt.date(2025, 4, 13)),
        ("2025/04/05", dt.date(2025, 4, 5)),  # year first stays year first
        ("5 April 2025", dt.date(2025, 4, 5)),
        ("05-Apr-2025", dt.date(2025, 4, 5)),
        ("2025-04-05 23:59:59", dt.date(2025, 4, 5)),
        ("2025-04-05T20:00:00Z", dt.date(2025, 4, 6)),  # 01:30 IST on 6 April
        ("2025-04-05T20:00:00+05:30", dt.date(2025, 4, 5)),
    ],
)
def test_dates_as_files_write_them(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text",
    ["", "  ", "April 2025", "Monday", "32/01/2025", "31/02/2025", "not a date", "2025-13-01"],
)
def test_not_dates(text: str) -> None:
    with pytest.raises(ValueError, match=r"date|leaves out"):
        parse_date(text)


def test_naive_times_are_india_s() -> None:
    assert parse_datetime("2025-04-05 10:30:00") == dt.datetime(2025, 4, 5, 10, 30, tzinfo=IST)
    assert parse_datetime(dt.date(2025, 4, 5)) == dt.datetime(2025, 4, 5, tzinfo=IST)
    aware = dt.datetime(2025, 4, 5, 1, tzinfo=UTC)
    assert parse_datetime(aware) is aware


@given(dates)
def test_day_first_and_iso_agree(day: dt.date) -> None:
    assert parse_date(day.strftime("%d/%m/%Y")) == parse_date(day.isoformat()) == day


@pytest.mark.usefixtures("new_york")
@pytest.mark.parametrize(
    ("completed", "on_time"),
    [
        ("2026-03-31 23:59:00", True),  # naive: India's time
        ("2026-04-01 00:01:00", False),
        ("2026-03-31T23:59:00+05:30", True),
        ("2026-04-01T00:01:00+05:30", False),
        ("2026-03-31T18:29:00Z", True),  # 23:59 IST
        ("2026-03-31T18:31:00Z", False),  # 00:01 IST
        ("2026-03-31T14:29:00-04:00", True),  # New York's 14:29 is 23:59 IST
        ("2026-03-31T14:31:00-04:00", False),
        (dt.datetime(2026, 3, 31, 23, 59, tzinfo=IST), True),
        (dt.datetime(2026, 4, 1, 0, 1, tzinfo=IST), False),
        (dt.datetime(2026, 3, 31, 23, 59), True),  # noqa: DTZ001 - naive is India's time
        (dt.date(2026, 3, 31), True),
        (dt.date(2026, 4, 1), False),
    ],
)
def test_the_due_date_includes_its_whole_day_in_india(
    completed: str | dt.datetime, on_time: bool
) -> None:
    assert time.strftime("%Z") in {"EST", "EDT"}  # the fixture took hold
    assert is_on_time(completed, due=dt.date(2026, 3, 31)) is on_time
    assert is_on_time(completed, due="31/03/2026") is on_time


def test_the_deadline_is_midnight_after_the_due_day_in_india() -> None:
    assert deadline(dt.date(2026, 3, 31)) == dt.datetime(2026, 3, 31, 18, 30, tzinfo=UTC)


def test_the_boundary_holds_in_a_process_started_in_another_zone() -> None:
    """The zone is read once per process on some systems; start one in New York."""
    code = (
        "from karmayogi.periods import is_on_time; import datetime as dt, time;"
        "print(time.strftime('%Z'), is_on_time('2026-03-31 23:59:00', dt.date(2026, 3, 31)),"
        " is_on_time('2026-04-01 00:01:00', dt.date(2026, 3, 31)))"
    )
    result = run_in_new_york(code)
    assert result.returncode == 0, result.stderr
    zone, *answers = result.stdout.split()
    assert answers == ["True", "False"]
    assert zone in {"EST", "EDT"}
