"""An allocation: one person must complete one course by a due date, because of one plan.

Plans make allocations (:func:`karmayogi.cbp.resolve`) and progress measures them
(compliance), so the record and the rules that judge it live below both:

- a course is completed **on time** when it is completed within its due date's whole day
  in India (:func:`karmayogi.periods.deadline`);
- an APAR course counts for the appraisal when it is completed by the **31 March that
  ends its due date's financial year**;
- a person is **APAR compliant** when at least half of their APAR courses count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

import attrs

from karmayogi.periods import FinancialYear, deadline

__all__ = [
    "APAR_YEAR_END",
    "Allocation",
    "Allocations",
    "allocations_of",
    "apar_compliant",
    "apar_year_end",
    "completed_for_apar",
    "completed_on_time",
]

APAR_YEAR_END = (3, 31)
"""The month and day an APAR year ends (the financial year's last day), for engines that
compare dates as numbers."""


@attrs.frozen
class Allocation:
    """One person must complete one course by a due date, because of one plan."""

    person: str
    course: str
    due: dt.date
    plan: str
    mandatory: bool
    apar: bool


class Allocations(Protocol):
    """What holds allocations: a :class:`karmayogi.cbp.Resolution`, for one."""

    @property
    def allocations(self) -> tuple[Allocation, ...]: ...


def allocations_of(given: Allocations | Iterable[Allocation]) -> tuple[Allocation, ...]:
    """The allocations of a resolution, or the ones given."""
    if isinstance(given, Iterable):
        return tuple(given)
    return given.allocations


def completed_on_time(completed_at: dt.datetime | None, due: dt.date) -> bool:
    """Completed within the due date's whole day, in India."""
    return completed_at is not None and completed_at < deadline(due)


def apar_year_end(due: dt.date) -> dt.date:
    """The last day an APAR course due on ``due`` may be completed for the appraisal."""
    end = FinancialYear.of(due).end
    assert (end.month, end.day) == APAR_YEAR_END
    return end


def completed_for_apar(completed_at: dt.datetime | None, due: dt.date) -> bool:
    """Completed by the end of the due date's financial year, in India."""
    return completed_at is not None and completed_at < deadline(apar_year_end(due))


def apar_compliant(completed: int, allocated: int) -> bool | None:
    """At least half of the APAR courses completed for the appraisal; None with none."""
    return 2 * completed >= allocated if allocated else None
