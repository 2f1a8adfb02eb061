"""Cost that grows with the input, never faster: a record repeated any number of times
keeps a bounded summary of where it came from, and joining stays a semilattice."""

from __future__ import annotations

import datetime as dt
import io
from functools import reduce
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from karmayogi._ledger import ORIGINS_KEPT
from karmayogi.periods import IST
from karmayogi.progress import Enrolment, Origin, Status, read_consumption_report

origins = st.builds(Origin, st.sampled_from([None, "a.csv", "b.csv"]), st.integers(1, 10**6))


def record(where: Origin) -> Enrolment:
    begun = dt.datetime(2025, 4, 5, 10, tzinfo=IST)
    return Enrolment(person="a@x.in", course="RTI", status=Status.IN_PROGRESS, progress=40,
                     enrolled_at=begun, origins=[where])  # fmt: skip


@given(st.lists(origins, min_size=2, max_size=40), st.randoms(use_true_random=False))
def test_a_joined_record_keeps_the_first_origins_whatever_the_order(
    said: list[Origin], random: Random
) -> None:
    records = [record(o) for o in said]
    joined = reduce(Enrolment.join, records)
    shuffled = list(records)
    random.shuffle(shuffled)
    assert joined == reduce(Enrolment.join, shuffled)
    first = sorted(set(said), key=lambda o: (o.file or "", o.row))[:ORIGINS_KEPT]
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
