"""How the report writes its figures: numbers grouped as India writes them, dates day
first, and how much of a long list it shows. The text summary and the HTML page both
write by these."""

from __future__ import annotations

import datetime as dt

__all__ = ["GAP_ROWS", "day", "hours_text", "indian_number", "percent_text"]

GAP_ROWS = 15
"""The heat map shows the competencies with the most people short, at most this many."""


def indian_number(value: float, digits: int = 0) -> str:
    """A number grouped as India writes it: thousands, then lakhs and crores by pairs.

    >>> indian_number(12345678), indian_number(1234.5, 1), indian_number(-999)
    ('1,23,45,678', '1,234.5', '-999')
    """
    text = f"{abs(value):.{digits}f}"
    whole, _, fraction = text.partition(".")
    head, tail = whole[:-3], whole[-3:]
    pairs: list[str] = []
    while head:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    grouped = ",".join([*pairs, tail])
    return ("-" if value < 0 else "") + grouped + (f".{fraction}" if fraction else "")


def hours_text(value: float) -> str:
    """Learning hours as the report writes them everywhere (cards, tables, charts, the
    summary): to one decimal place, grouped as India writes numbers.

    >>> hours_text(11824.5), hours_text(843), hours_text(0.04)
    ('11,824.5', '843.0', '0.0')
    """
    return indian_number(value, 1)


def percent_text(share: float) -> str:
    """A share (0 to 1) as the report writes it everywhere: a whole percentage.

    >>> percent_text(0.6386), percent_text(1)
    ('64%', '100%')
    """
    return f"{100 * share:.0f}%"


def day(when: dt.date) -> str:
    """A date as India writes it, day first."""
    return f"{when:%d/%m/%Y}"
