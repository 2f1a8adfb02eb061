"""The HTML report: its numbers agree with themselves and with the roll-ups, it is one
offline file, and it works without the charts extra."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.demo import Demo, make_demo
from karmayogi.org import OrgTree, Person, Unit
from karmayogi.periods import IST, FinancialYear
from karmayogi.progress import Enrolment, Rollup, Status
from karmayogi.report import Report, charts_available, indian_number, make_report


@pytest.fixture(scope="module")
def state() -> Demo:
    return make_demo(people=1200)


@pytest.fixture(scope="module")
def report(state: Demo) -> Report:
    """The demo's report, but with the plan year left to default from the allocations."""
    return make_report(
        state.tree,
        state.records,
        people=state.people,
        allocations=state.allocations,
        positions=state.positions,
        profiles=state.profiles,
        framework=state.framework,
        as_of=state.as_of,
        title=state.name,
        campaign=state.campaign,
        attendance=state.attendance,
    )


def test_the_demo_report_is_the_report_of_the_demo(state: Demo, report: Report) -> None:
    made = state.report()  # the demo names its year, which the fixture leaves to default
    assert made.choices == ()
    due = [a.due for a in state.allocations.allocations]
    within = sum(dt.date(2025, 4, 1) <= d <= dt.date(2026, 3, 31) for d in due)
    assert report.choices == (
        f"plan year 2025-26: the year most allocations fall due in ({within:,} of {len(due):,})",
    )
    defaulted = attrs.evolve(report, choices=())
    assert made.to_dict() == defaulted.to_dict()
    assert made.to_html(charts=False) == defaulted.to_html(charts=False)
    assert report.choices[0] in report.to_html(charts=False)


@given(st.integers(-(10**15), 10**15))
def test_indian_grouping_reads_back_and_groups_by_two_above_the_thousands(n: int) -> None:
    text = indian_number(n)
    assert int(text.replace(",", "")) == n
    groups = text.lstrip("-").split(",")
    assert len(groups[-1]) == min(3, len(str(abs(n))))
    assert all(len(g) == 2 for g in groups[1:-1])
    assert 1 <= len(groups[0]) <= (3 if len(groups) == 1 else 2)


def test_indian_grouping_keeps_the_digits_asked() -> None:
    assert indian_number(1234567.891, 2) == "12,34,567.89"
    assert indian_number(0.5, 1) == "0.5"


def test_the_year_defaults_to_the_plans_and_the_date_to_the_latest_record(
    state: Demo, report: Report
) -> None:
    assert report.year == FinancialYear(2025)  # from the allocations' due date
    latest = max(r.completed_at or r.enrolled_at for r in state.records if r.enrolled_at)
    assert make_report(state.tree, state.records, places={}).as_of == latest.date()


def test_a_data_date_given_before_some_records_says_they_are_counted(
    state: Demo, report: Report
) -> None:
    assert not any("as given" in choice for choice in report.choices)  # none later
    day = dt.date(2025, 12, 31)
    dates = [w for r in state.records for w in (r.enrolled_at, r.completed_at) if w]
    later = sum(1 for when in dates if when.astimezone(IST).date() > day)
    made = make_report(state.tree, state.records, places={}, as_of=day)
    assert f"data as of 31/12/2025, as given; {later:,} enrolment or completion" in "\n".join(
        made.choices
    )


def test_the_departments_add_up_to_the_state(report: Report) -> None:
    rows = report.by_department
    assert [r.unit for r in rows] == list(report.departments)
    for metric in ("users", "enrolled_users", "completed_users", "enrolments", "completions"):
        assert sum(getattr(r, metric) for r in rows) == getattr(report.headline, metric)
    assert sum(r.learning_hours or 0 for r in rows) == pytest.approx(report.headline.learning_hours)


def test_the_quarters_add_up_to_the_year(report: Report) -> None:
    (root,) = report.tree.roots
    quarters = [r for r in report.quarters if r.unit == root and r.period.year == report.year]
    assert len(quarters) == 4
    assert sum(r.completions or 0 for r in quarters) == report.headline.completions
    assert sum(r.enrolments or 0 for r in quarters) == report.headline.enrolments


def test_the_headline_is_the_roll_up(state: Demo, report: Report) -> None:
    rollup = Rollup(state.tree, people=state.people, by="fy", records=state.records)
    assert report.headline == rollup.row(state.tree.roots[0], "2025-26")
    compliance = rollup.compliance(state.allocations)
    assert report.compliance is not None
    assert report.compliance.units == compliance.units


def test_the_summary_says_the_headline(report: Report) -> None:
    text = report.summary()
    row = report.headline
    assert f"people: {indian_number(row.users or 0)} active" in text
    assert f"completions: {indian_number(row.completions or 0)}" in text
    assert "plan courses:" in text
    assert "APAR:" in text
    assert "widest gap:" in text
    assert text.splitlines()[0] == "Madhyanchal Pradesh: plan year 2025-26, data as of 15/04/2026"


def offline_problems(html: str) -> list[str]:
    """Anything in the page that could make a browser fetch something. Names of XML
    namespaces (``xmlns="http://www.w3.org/2000/svg"``) are names, never fetched."""
    html = re.sub(r'xmlns(:\w+)?="[^"]*"', "", html)
    patterns = [r"<script", r"<link", r"<img", r"<image", r"<iframe", r"@import",
                r"url\((?!#)", r"https?://", r"src=", r"href=\"(?!#)", r"data:"]  # fmt: skip
    return [p for p in patterns if re.search(p, html, re.IGNORECASE)]


@pytest.mark.skipif(not charts_available(), reason="charts need matplotlib (charts extra)")
def test_the_page_has_four_charts_and_no_network_address(report: Report) -> None:
    html = report.to_html()
    assert html.startswith("<!DOCTYPE html>")
    assert offline_problems(html) == []
    assert html.count("<svg") == 8  # each chart drawn for a wide screen and for a phone
    for label in ("learning hours by department", "by quarter", "APAR status", "heat map"):
        drawn = re.findall(f'<svg role="img" aria-label="[^"]*{label}', html)
        assert len(drawn) == 2, label
    assert html == report.to_html()  # the same page every time: it can be diffed


def test_without_charts_the_tables_hold_every_number(report: Report) -> None:
    html = report.to_html(charts=False)
    assert "<svg" not in html
    assert "pip install matplotlib" in html
    assert offline_problems(html) == []
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html.replace("&amp;", "&"))
    for row in report.by_department:
        assert row.name in cells
        assert indian_number(row.completions or 0) in cells
    assert report.compliance is not None
    for unit in report.departments:
        on_time = report.compliance.unit(unit).cbp_completed_on_time or 0
        assert indian_number(on_time) in cells
    assert "15/04/2026" in html
    assert "platform: learning hours from completions with a certificate" in html


def test_names_are_escaped() -> None:
    tree = OrgTree([Unit(id="s", name="R&D <b>", level="state")])
    record = Enrolment(
        person="a",
        course="c",
        status=Status.COMPLETED,
        progress=100,
        enrolled_at=dt.datetime(2025, 5, 1, 10, tzinfo=IST),
        completed_at=dt.datetime(2025, 5, 2, 10, tzinfo=IST),
        duration=3600,
    )
    html = make_report(tree, [record], places={"a": "s"}).to_html(charts=False)
    assert "R&amp;D &lt;b&gt;" in html
    assert "<b>R&D" not in html


def test_the_year_is_the_one_the_enrolments_are_in_and_quarters_outside_it_say_which_side() -> None:
    """Enrolments in 2025-26, a few begun in March 2025, and completions into April 2026:
    the report is about 2025-26, says why, and labels the quarters around it truly."""
    tree = OrgTree([Unit(id="s", name="State", level="state")])

    def done(person: str, begun: dt.datetime, ended: dt.datetime) -> Enrolment:
        return Enrolment(person=person, course="c", status=Status.COMPLETED, progress=100,
                         enrolled_at=begun, completed_at=ended, duration=3600)  # fmt: skip

    records = [
        done("early", dt.datetime(2025, 3, 20, tzinfo=IST), dt.datetime(2025, 4, 2, tzinfo=IST)),
        *(
            done(f"p{n}", dt.datetime(2025, 6, 1 + n, tzinfo=IST),
                 dt.datetime(2026, 4, 10, tzinfo=IST))
            for n in range(3)
        ),
    ]  # fmt: skip
    made = make_report(tree, records, places={r.person: "s" for r in records})
    assert str(made.year) == "2025-26"
    assert made.choices == (
        "data as of 10/04/2026: the latest enrolment or completion in the records",
        "plan year 2025-26: the year with the most enrolments (3 of 4); "
        "2026-27 has only 10 days of data, to 10/04/2026, and no enrolment",
    )
    html = made.to_html(charts=False)
    assert "2024-25 Q4 (before the year)" in html
    assert "2026-27 Q1 (after the year)" in html
    assert "2025-26 Q1 (" not in html


def test_a_report_with_records_only_says_what_it_lacks() -> None:
    tree = OrgTree([
        Unit(id="s", name="State", level="state"),
        Unit(id="d", name="Revenue", level="department", parent="s"),
    ])  # fmt: skip
    record = Enrolment(person="a", course="c", status=Status.IN_PROGRESS, progress=40,
                       enrolled_at=dt.datetime(2025, 5, 1, 10, tzinfo=IST))  # fmt: skip
    made = make_report(tree, [record], places={"a": "d"})
    assert made.headline.users is None
    assert made.compliance is None
    assert made.gaps is None
    html = made.to_html(charts=False)
    assert "No plan allocations were given" in html
    assert "No role profiles were given" in html
    assert "people:" not in made.summary()


def test_people_without_a_role_profile_are_counted_out_of_the_gaps(state: Demo) -> None:
    stranger = Person(id="new@x.example", organisation="mdo-finance", designation="Astronaut",
                      unit=state.people[0].unit)  # fmt: skip
    made = make_report(
        state.tree,
        state.records,
        people=[*state.people, stranger],
        positions=state.positions,
        as_of=state.as_of,
    )
    assert "1 people hold a designation no role profile names: not in the gaps" in made.notes


def test_it_shows_itself_in_a_notebook(report: Report) -> None:
    assert report._repr_html_() == report.to_html()


def test_without_matplotlib_the_page_has_tables_and_says_why(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the extra were absent
    assert not charts_available()
    html = report.to_html()
    assert "<svg" not in html
    assert "Charts need matplotlib" in html
    # Departments, each department's offices, quarters, compliance, the learning week,
    # Karma points and gaps: every number is in a table.
    assert html.count("<table>") == 4 + len(report.departments) + 2


def test_the_command_says_when_the_charts_extra_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sys

    from karmayogi._cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["demo", "--people", "60", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "no charts: they need the charts extra (matplotlib: pip install matplotlib)" in err
    assert "<svg" not in (tmp_path / "report.html").read_text(encoding="utf-8")
