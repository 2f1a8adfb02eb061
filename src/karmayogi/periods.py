"""Indian financial-year time: plan years, quarters, dates as real files write them, and
due dates that include their whole day in Asia/Kolkata.

Plan years are financial years, 1 April to 31 March, written as the platform writes
them (``"2025-26"``); quarters run Q1 = April-June to Q4 = January-March. India keeps
one fixed offset (UTC+05:30), so a date in Asia/Kolkata is the same everywhere and
nothing here reads the machine's own time zone.

>>> import datetime as dt
>>> year = FinancialYear.parse("2025-26")
>>> year.start, year.end
(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
>>> str(Quarter.of(dt.date(2026, 2, 14)))
'2025-26 Q4'
>>> parse_date("05/04/2025")  # files edited in a spreadsheet come back day-first
datetime.date(2025, 4, 5)
>>> is_on_time("2026-03-31 23:59:00", due=dt.date(2026, 3, 31))  # IST, the whole day
True
>>> is_on_time("2026-03-31T18:31:00+00:00", due=dt.date(2026, 3, 31))  # 00:01 IST
False
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import attrs
import pydantic
from dateutil import parser as dateutil_parser

from karmayogi._api import presented

__all__ = [
    "IST",
    "PERIOD_KINDS",
    "FinancialYear",
    "Month",
    "Period",
    "PeriodKind",
    "Quarter",
    "deadline",
    "is_on_time",
    "parse_date",
    "parse_datetime",
    "period_at",
    "period_index",
    "today_in_india",
]

IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")
"""Asia/Kolkata: a fixed UTC+05:30, with no daylight saving since 1945."""


def today_in_india() -> dt.date:
    """Today's calendar date in Asia/Kolkata, whatever the machine's own time zone."""
    return dt.datetime.now(IST).date()


# --- Financial years and quarters ---------------------------------------------------------

_YEAR_TEXT = re.compile(r"(?:FY)?\s*(\d{4})\s*[-\u2013/]\s*(\d{2}|\d{4})", re.IGNORECASE)


@attrs.frozen(order=True)
class FinancialYear:
    """An Indian financial year: 1 April of ``start_year`` to 31 March of the next.

    >>> FinancialYear.parse("FY 2025-2026") == FinancialYear(2025)
    True
    >>> FinancialYear.of(dt.date(2025, 3, 31))
    FinancialYear(start_year=2024)
    """

    # 1899: the year that 1 January to 31 March 1900, the first dates read, fall in.
    start_year: int = attrs.field(validator=[attrs.validators.ge(1899), attrs.validators.le(9998)])

    @classmethod
    def parse(cls, value: str | FinancialYear) -> FinancialYear:
        """A year written ``2025-26`` (the platform's form), ``2025-2026`` or ``FY2025-26``."""
        if isinstance(value, FinancialYear):
            return value
        if not isinstance(value, str):
            raise ValueError(f"a plan year must be text like '2025-26', got {value!r}")
        match = _YEAR_TEXT.fullmatch(value.strip())
        if match is None:
            raise ValueError(f"a plan year is written like '2025-26', got {value!r}")
        first, second = int(match[1]), match[2]
        expected = f"{(first + 1) % 100:02d}" if len(second) == 2 else str(first + 1)
        if second != expected:
            raise ValueError(
                f"a plan year runs from one April to the next March: after {first} comes "
                f"{expected}, got {value!r}"
            )
        return cls(first)

    @classmethod
    def of(cls, when: dt.date | dt.datetime) -> FinancialYear:
        """The financial year ``when`` falls in (a timestamp by its date in India)."""
        day = _india_date(when)
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> dt.date:
        """1 April: the first day."""
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        """31 March: the last day."""
        return dt.date(self.start_year + 1, 3, 31)

    def quarters(self) -> tuple[Quarter, ...]:
        """Q1 (April-June) to Q4 (January-March)."""
        return tuple(Quarter(self, n) for n in range(1, 5))

    def __contains__(self, when: object) -> bool:
        if not isinstance(when, dt.date):
            return False
        return self.start <= _india_date(when) <= self.end

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"


@attrs.frozen(order=True)
class Quarter:
    """A quarter of a financial year: Q1 is April-June, Q4 is January-March.

    >>> q = Quarter.parse("2025-26 Q3")
    >>> q.start, q.end
    (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    """

    year: FinancialYear
    number: int = attrs.field(validator=[attrs.validators.ge(1), attrs.validators.le(4)])

    @classmethod
    def parse(cls, value: str | Quarter) -> Quarter:
        """A quarter written ``2025-26 Q1`` (or ``Q1 2025-26``)."""
        if isinstance(value, Quarter):
            return value
        text = value.strip() if isinstance(value, str) else ""
        match = re.fullmatch(r"(.+?)\s*Q([1-4])|Q([1-4])\s*(.+)", text, re.IGNORECASE)
        if match is None:
            raise ValueError(f"a quarter is written like '2025-26 Q1', got {value!r}")
        year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
        return cls(FinancialYear.parse(year), int(number))

    @classmethod
    def of(cls, when: dt.date | dt.datetime) -> Quarter:
        """The quarter ``when`` falls in (a timestamp by its date in India)."""
        day = _india_date(when)
        return cls(FinancialYear.of(day), (day.month - 4) % 12 // 3 + 1)

    @property
    def start(self) -> dt.date:
        month = (self.number - 1) * 3 + 4
        return dt.date(self.year.start_year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return self.year.end
        return Quarter(self.year, self.number + 1).start - dt.timedelta(days=1)

    def __contains__(self, when: object) -> bool:
        if not isinstance(when, dt.date):
            return False
        return self.start <= _india_date(when) <= self.end

    def __str__(self) -> str:
        return f"{self.year} Q{self.number}"


@attrs.frozen(order=True)
class Month:
    """A calendar month, written ``2025-04``; it belongs to one financial year.

    >>> m = Month.of(dt.date(2026, 1, 15))
    >>> str(m), str(m.financial_year), m.end
    ('2026-01', '2025-26', datetime.date(2026, 1, 31))
    """

    year: int = attrs.field(validator=[attrs.validators.ge(1900), attrs.validators.le(9999)])
    number: int = attrs.field(validator=[attrs.validators.ge(1), attrs.validators.le(12)])

    @classmethod
    def parse(cls, value: str | Month) -> Month:
        """A month written ``2025-04``."""
        if isinstance(value, Month):
            return value
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip() if isinstance(value, str) else "")
        if match is None or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"a month is written like '2025-04', got {value!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, when: dt.date | dt.datetime) -> Month:
        """The month ``when`` falls in (a timestamp by its date in India)."""
        day = _india_date(when)
        return cls(day.year, day.month)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.number, 1)

    @property
    def end(self) -> dt.date:
        following = Month(self.year + self.number // 12, self.number % 12 + 1)
        return following.start - dt.timedelta(days=1)

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.of(self.start)

    def __contains__(self, when: object) -> bool:
        if not isinstance(when, dt.date):
            return False
        return self.start <= _india_date(when) <= self.end

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"


Period = FinancialYear | Quarter | Month
"""A period that progress is counted over."""

PeriodKind = Literal["fy", "quarter", "month"]
"""How a roll-up divides time: financial years, quarters or months."""

PERIOD_KINDS: tuple[PeriodKind, ...] = ("fy", "quarter", "month")


def period_index(kind: PeriodKind, day: dt.date) -> int:
    """A period as one integer, consecutive periods as consecutive integers: the fast form
    that roll-ups count with (``day`` is already India's date)."""
    if kind == "month":
        return day.year * 12 + day.month - 1
    year = day.year if day.month >= 4 else day.year - 1
    if kind == "fy":
        return year
    return year * 4 + (day.month - 4) % 12 // 3


def period_at(kind: PeriodKind, index: int) -> Period:
    """The period that :func:`period_index` numbered ``index``.

    >>> str(period_at("quarter", period_index("quarter", dt.date(2026, 2, 1))))
    '2025-26 Q4'
    """
    if kind == "month":
        return Month(index // 12, index % 12 + 1)
    if kind == "fy":
        return FinancialYear(index)
    return Quarter(FinancialYear(index // 4), index % 4 + 1)


def _india_date(when: dt.date | dt.datetime) -> dt.date:
    """The calendar date in India: a naive timestamp is taken to be India's time."""
    if isinstance(when, dt.datetime):
        return when.astimezone(IST).date() if when.tzinfo is not None else when.date()
    return when


# --- Dates as files write them ------------------------------------------------------------

# Two defaults that differ in every field: a part missing from the text shows as a
# difference between the two parses, instead of being silently filled in. They are naive
# on purpose: a zone missing from the text means India's, decided after parsing.
_DEFAULTS = (
    dt.datetime(2001, 1, 1, 0, 0, 0),  # noqa: DTZ001
    dt.datetime(2002, 2, 2, 1, 1, 1),  # noqa: DTZ001
)
_YEAR_FIRST = re.compile(r"\s*\d{4}\D")


def parse_datetime(value: str | dt.date | dt.datetime) -> dt.datetime:
    """A timestamp as files write it, as an aware time (naive times are India's).

    Accepts ISO 8601 (``2025-04-05T10:30:00Z``), the platform's ``2025-04-05 10:30:00``
    (IST), and day-first dates as spreadsheets write them (``05/04/2025 10:30``). A date
    without a time is the start of that day in India. Text that leaves out the day,
    month or year is refused rather than filled in.

    >>> parse_datetime("2025-04-05 10:30:00")
    datetime.datetime(2025, 4, 5, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800), 'IST'))
    """  # noqa: E501
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=IST)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=IST)
    if not isinstance(value, str):
        raise ValueError(f"a date or time must be text, got {type(value).__name__}")
    parsed = _parse_text(value)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # past them, a shift of zone can overflow
        raise ValueError(f"the year {parsed.year} is not plausible: {FIRST_YEAR}..{LAST_YEAR}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=IST)


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a time read from text may have; others are typing slips (0205, 20255)."""


def parse_date(value: str | dt.date | dt.datetime) -> dt.date:
    """A calendar date as files write it: ISO (``2025-04-05``), a timestamp (its date in
    India) or day-first (``05/04/2025`` is 5 April).

    >>> parse_date("2025-04-05T20:00:00Z")  # 01:30 on 6 April in India
    datetime.date(2025, 4, 6)
    """
    if isinstance(value, dt.datetime):
        return _india_date(value)
    if isinstance(value, dt.date):
        return value
    return parse_datetime(value).astimezone(IST).date()


def _parse_text(text: str) -> dt.datetime:
    stripped = text.strip()
    expected = "a date like 2025-04-05, 05/04/2025 (day first) or 2025-04-05 10:30:00"
    if not stripped:
        raise ValueError(f"a date is blank; expected {expected}")
    try:
        return dt.datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        pass
    # dateutil's day-first rule misreads year-first text (2025/04/05), so say which.
    year_first = bool(_YEAR_FIRST.match(stripped))
    try:
        first, second = (
            dateutil_parser.parse(
                stripped, default=default, dayfirst=not year_first, yearfirst=year_first
            )
            for default in _DEFAULTS
        )
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not a date; expected {expected}") from None
    if first.date() != second.date():
        raise ValueError(f"{text!r} leaves out the day, month or year; expected {expected}")
    return first


def deadline(due: dt.date) -> dt.datetime:
    """The first instant after the due date, in India: a due date includes its whole day.

    >>> deadline(dt.date(2026, 3, 31)).isoformat()
    '2026-04-01T00:00:00+05:30'
    """
    following = due + dt.timedelta(days=1)
    return dt.datetime(following.year, following.month, following.day, tzinfo=IST)


def is_on_time(completed: str | dt.date | dt.datetime, due: dt.date | str) -> bool:
    """Whether a completion at ``completed`` meets ``due``: any time on the due date in
    India is on time, the first minute of the next day is late. A naive timestamp is
    India's time; an aware one is converted, whatever the machine's zone."""
    due_date = parse_date(due)
    if isinstance(completed, dt.date) and not isinstance(completed, dt.datetime):
        return completed <= due_date
    return parse_datetime(completed) < deadline(due_date)


def _plan_year(value: Any) -> FinancialYear:
    if isinstance(value, int) and not isinstance(value, bool):
        return FinancialYear(value)
    return FinancialYear.parse(value)


PlanYear = Annotated[
    FinancialYear,
    pydantic.PlainValidator(_plan_year),
    pydantic.PlainSerializer(str, return_type=str),
    pydantic.WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}-\d{2}$", "examples": ["2025-26"]}
    ),
]
"""A financial year in a document, written ``"2025-26"``."""


def _india_date_input(value: Any) -> Any:
    return parse_date(value) if isinstance(value, str | dt.datetime) else value


IndiaDate = Annotated[dt.date, pydantic.BeforeValidator(_india_date_input)]
"""A calendar date in a document, read as files write it (ISO or day-first)."""


def plausible_dates() -> tuple[dt.date, dt.date]:
    """The dates a learning record may plausibly have: from 2015 (before iGOT Karmayogi,
    for records brought over from older systems) to a year from today, in India."""
    return _FIRST_PLAUSIBLE, today_in_india() + dt.timedelta(days=366)


_FIRST_PLAUSIBLE = dt.date(2015, 1, 1)

__dir__ = presented(__name__, globals(), __all__)
