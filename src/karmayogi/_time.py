"""India's time: one fixed offset, UTC+05:30, with no daylight saving since 1945."""

from __future__ import annotations

import datetime as dt

__all__ = ["IST", "today_in_india"]

IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")


def today_in_india() -> dt.date:
    """Today's calendar date in Asia/Kolkata, whatever the machine's own time zone."""
    return dt.datetime.now(IST).date()
