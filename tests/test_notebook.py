"""Results and documents in a notebook: each shows itself as an HTML table, and the
results become pandas and polars dataframes holding the same rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi.cbp import Plan
from karmayogi.competency import Framework
from karmayogi.demo import Demo, make_demo
from karmayogi.progress import Ledger, Rollup
from tests.strategies import enrolments, plans

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


@pytest.fixture(scope="module")
def state() -> Demo:
    return make_demo(people=200)


@pytest.fixture(scope="module")
def rollup(state: Demo) -> Rollup:
    return Rollup(state.tree, people=state.people, by="quarter", records=state.records)


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def test_a_progress_table_shows_its_rows_and_notes(rollup: Rollup) -> None:
    table = rollup.table()
    html = table._repr_html_()
    assert html.startswith("<div><strong>Progress by quarters: ")
    assert f"{len(table)} rows" in html
    assert "<th>completion_rate</th>" in html
    for note in table.notes():
        assert f"<li>{note}</li>" in html
    assert "… and" in html  # more rows than a notebook shows at once
    first = table.rows[0]
    assert cells(html)[:3] == [first.unit, first.name, str(first.period)]


def test_a_progress_table_as_dataframes_is_its_csv(rollup: Rollup) -> None:
    table = rollup.table()
    frame = table.to_pandas()
    csv_lines = (table.to_csv() or "").splitlines()
    assert list(frame.columns) == csv_lines[0].split(",")
    assert len(frame) == len(table) == len(csv_lines) - 1
    polars_frame = table.to_polars()
    assert polars_frame.columns == list(frame.columns)
    assert polars_frame["completions"].to_list() == [r.completions for r in table]
    assert frame["enrolled_users"].tolist() == [r.enrolled_users for r in table]
    assert set(frame["policy"]) == {"platform"}


def test_a_hidden_count_stays_missing_in_a_dataframe(rollup: Rollup) -> None:
    table = rollup.table().suppressed(10)
    hidden = [i for i, r in enumerate(table) if r.completions is None]
    assert hidden
    frame = table.to_pandas()
    assert str(frame["completions"].dtype) == "Int64"
    assert frame["completions"].isna().tolist() == [r.completions is None for r in table]
    assert table.to_polars()["completions"].null_count() == len(hidden)


def test_compliance_gaps_and_allocations_as_dataframes(state: Demo, rollup: Rollup) -> None:
    compliance = rollup.compliance(state.allocations)
    frame = compliance.to_polars()
    assert frame["unit"].to_list() == [u.unit for u in compliance.units]
    assert frame["cbp_completed_on_time"].to_list() == [
        u.cbp_completed_on_time for u in compliance.units
    ]
    allocations = state.allocations.to_pandas()
    assert list(allocations.columns) == ["person", "course", "due", "plan", "mandatory", "apar"]
    assert len(allocations) == len(state.allocations)
    assert allocations["due"].iloc[0] == dt.date(2026, 3, 31)
    assert "<strong>Allocations: " in state.allocations._repr_html_()
    assert "<strong>Plan compliance by unit: " in compliance._repr_html_()


@settings(max_examples=30)
@given(st.lists(enrolments(), max_size=12))
def test_a_ledger_as_a_dataframe_is_a_row_an_entry(records: list) -> None:  # type: ignore[type-arg]
    ledger = Ledger(records)
    frame = ledger.to_polars()
    assert len(frame) == len(ledger)
    if len(ledger):
        assert frame.select("person", "course").rows() == [(e.person, e.course) for e in ledger]
        assert frame["status"].to_list() == [str(e.status) for e in ledger]
        assert frame["progress"].to_list() == [e.progress for e in ledger]
        assert frame["completed_at"].to_list() == [e.completed_at for e in ledger]
    assert len(ledger.to_pandas()) == len(ledger)


@settings(max_examples=20)
@given(plans())
def test_a_plan_shows_its_fields_and_items(plan: Plan) -> None:
    html = plan._repr_html_()
    assert html.startswith("<div><strong>Plan</strong>")
    assert f"<td>id</td><td>{plan.id}</td>".replace("&", "&amp;") in html
    assert f"items ({len(plan.items)})" in html
    for item in plan.items[:50]:
        assert f"<td>{item.course}</td>" in html


def test_a_framework_shows_its_themes_escaped(state: Demo) -> None:
    html = state.framework._repr_html_()
    assert f"themes ({len(state.framework.themes)})" in html
    assert "Verbal &amp; Non-Verbal Fluency" in html
    assert "Verbal & Non" not in html
    theme = state.framework.themes[0]._repr_html_()
    assert "<td>name</td><td>Self-Awareness</td>" in theme
    assert "<td>labels</td>" not in theme  # an empty field holds nothing to show


def test_without_pandas_the_error_says_what_to_install(
    rollup: Rollup, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"to_pandas needs pandas: pip install pandas"):
        rollup.table().to_pandas()


def test_an_import_shows_its_summary_rejections_and_findings() -> None:
    import io

    from karmayogi.progress import read_consumption_report

    export = read_consumption_report(io.StringIO(
        "Email,Ministry,Content_Name,Enrolled_On,Status,Phone_Number\n"
        "a@x.in,MP,RTI Act,2025-05-02 10:00:00,in-progress,******1234\n"
        "b@x.in,MP,RTI Act,2025-05-02 10:00:00,finished,******5678\n"))  # fmt: skip
    html = export._repr_html_()
    assert html.startswith(f"<div><strong>{export.summary()}</strong>")
    assert "<td>3</td><td>row 3, field &#x27;Status&#x27;: is not a status" in html
    assert "column &#x27;Phone_Number&#x27; is not read" in html


def test_a_framework_read_from_case_shows_its_source_in_one_line(state: Demo) -> None:
    package = state.framework.to_case()
    html = Framework.from_case(package).value._repr_html_()
    items = len(package["CFItems"])
    said = f"<td>case</td><td>CASE {package['CFDocument']['identifier']}: {items} items"
    assert said in html
    assert len(html) < 2 * len(state.framework._repr_html_())  # not the package itself
