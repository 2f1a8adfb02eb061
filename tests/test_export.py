"""``roll_up_export``: from the platform's export to the tables in one call, on either
engine, with every join reported; the numbers checked against a count written here."""

from __future__ import annotations

import collections
import datetime as dt
import io

import pytest

from karmayogi.cbp import Allocation
from karmayogi.errors import NoMatchError
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.progress import Import, roll_up_export
from tests.test_reports import report, row

ENGINES = ["reference", "columnar"]

ROWS = [
    row(Email="ravi@cg.gov.in", Status="completed", Content_Progress_Percentage="100",
        Completed_On="2025-05-01 17:30:00", Certificate_Generated="Yes"),
    row(Email="RAVI@cg.gov.in", Status="in-progress"),  # the same entry, written again
    row(Email="asha@cg.gov.in", Department="Health", Organization="",
        Content_Name="Noting and Drafting", Enrolled_On="2025-07-02 09:00:00",
        Status="completed", Content_Progress_Percentage="100",
        Completed_On="2025-10-03 11:00:00", Certificate_Generated="No"),
    row(Email="om@cg.gov.in", Enrolled_On="2025-08-01 10:00:00"),
    row(Email="", Status="finished"),  # rejected
]  # fmt: skip


def by_hand() -> dict[tuple[str, str], collections.Counter[str]]:
    """Per unit path and quarter, the enrolments and completions the rows above say,
    counted here: an entry per (email without case, course); a unit counts its own and
    its descendants'."""
    entries: dict[tuple[str, str], dict[str, str]] = {}
    for r in ROWS:
        if not r["Email"] or r["Status"] == "finished":
            continue
        entry = entries.setdefault((r["Email"].lower(), r["Content_Name"]), dict(r))
        entry["Enrolled_On"] = min(entry["Enrolled_On"], r["Enrolled_On"])
        if r.get("Completed_On"):
            entry["Completed_On"] = r["Completed_On"]

    def quarter(text: str) -> str:
        day = dt.date.fromisoformat(text[:10])
        fy = day.year - (day.month < 4)
        return f"{fy}-{str(fy + 1)[2:]} Q{(day.month - 4) % 12 // 3 + 1}"

    counts: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for e in entries.values():
        names = [e["Ministry"], e["Department"], e["Organization"]]
        units = ["/".join(n.replace(" ", "-") for n in names[:k] if n) for k in (1, 2, 3)]
        for unit in dict.fromkeys(units):
            counts[unit, quarter(e["Enrolled_On"])]["enrolments"] += 1
            if e.get("Completed_On"):
                counts[unit, quarter(e["Completed_On"])]["completions"] += 1
    return counts


@pytest.mark.parametrize("engine", ENGINES)
def test_an_export_rolled_up_on_either_engine_gives_the_count_by_hand(engine: str) -> None:
    if engine == "columnar":
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    done = roll_up_export(report(ROWS), by="quarter", engine=engine)  # type: ignore[arg-type]
    assert done.engine.startswith(engine)
    assert (done.report.rows, done.report.used, done.report.duplicates) == (5, 3, 1)
    assert done.report.rejected_rows == 1
    assert done.report.accounted
    assert [str(m) for m in done.matched] == [
        "the records' units in the organisation tree: 3 of 3 matched (100%)"
    ]
    got = {
        (r.unit, str(r.period)): collections.Counter(
            {"enrolments": r.enrolments, "completions": r.completions}
        )
        for r in done.table
    }
    for key, expected in by_hand().items():
        assert +got[key] == +expected, key
    assert sum(c["enrolments"] for (unit, _q), c in got.items() if unit == "Chhattisgarh") == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_people_and_allocations_keyed_otherwise_are_an_error_not_zeros(engine: str) -> None:
    if engine == "columnar":
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    tree = OrgTree(
        [
            Unit(id="cg", name="Chhattisgarh", level="state"),
            Unit(id="rev", name="Revenue", level="department", parent="cg"),
        ]
    )
    by_employee_id = [Person(id="EMP-1", organisation="rev", unit="rev")]
    with pytest.raises(NoMatchError, match="people file"):
        roll_up_export(report(ROWS), tree=tree, people=by_employee_id, engine=engine)  # type: ignore[arg-type]
    people = [Person(id="ravi@cg.gov.in", organisation="rev", unit="rev")]
    allocations = [
        Allocation(
            person="ravi@cg.gov.in",
            course="do_rti",
            due=dt.date(2026, 3, 31),
            plan="p",
            mandatory=True,
            apar=True,
        )
    ]
    with pytest.raises(NoMatchError, match="by id"):
        roll_up_export(
            report(ROWS),
            tree=tree,
            people=people,
            allocations=allocations,
            engine=engine,  # type: ignore[arg-type]
        )


def test_the_reference_engine_gives_the_reference_readers_account() -> None:
    done = roll_up_export(report(ROWS), engine="reference")
    assert isinstance(done.report, Import)
    assert done.compliance is None
    with pytest.raises(ValueError, match="need a tree"):
        roll_up_export(io.StringIO(""), people=[], engine="reference")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_export_past_the_limits_is_refused_unless_told_otherwise(engine: str) -> None:
    from karmayogi.limits import NO_LIMITS, LimitExceeded, Limits

    if engine == "columnar":
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    with pytest.raises(LimitExceeded) as refused:
        roll_up_export(report(ROWS), engine=engine, limits=Limits(rows=3))  # type: ignore[arg-type]
    assert (refused.value.limit, refused.value.problems[0].where.row) == ("rows", 5)
    done = roll_up_export(report(ROWS), engine=engine, limits=NO_LIMITS)  # type: ignore[arg-type]
    assert done.report.rows == len(ROWS)
