"""Every reader on the hostile-input corpus (tests/hostile.py): each case has its outcome,
a typed error that says where or rows accounted for, and nothing else; never an
unexpected exception, never a hang."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from karmayogi.cbp import Catalogue
from karmayogi.competency import Imported
from karmayogi.errors import LimitExceeded, ValidationError
from karmayogi.limits import NO_LIMITS, Limits
from karmayogi.org import OrgTree
from karmayogi.progress import Import, read_consumption_report
from tests.hostile import CSV_BASES, FRAMES, READERS, Case, Read, Refused, corpus, no_hang, table

CASES = corpus()
REPO = Path(__file__).resolve().parent.parent
SECONDS = 60
"""Long enough for the slowest case (a 10 MB field) on a slow machine; a hang is longer."""


def _given(result: Any) -> int:
    """How many things a reader gave."""
    if isinstance(result, Imported):
        result = result.value
    if isinstance(result, Catalogue):
        return len(result.courses)
    if isinstance(result, OrgTree):
        return len(result.units)
    if isinstance(result, tuple):
        return len(result)
    return 1  # one document


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_hostile_input_has_its_outcome(case: Case, tmp_path: Path) -> None:
    if case.reader == FRAMES:
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    path = tmp_path / f"input{case.suffix}"
    path.write_bytes(case.data)
    with no_hang(SECONDS):
        try:
            result = READERS[case.reader](path)
        except ValidationError as exc:
            refused = exc
        else:
            refused = None
    if refused is not None:
        assert isinstance(case.outcome, Refused), f"refused, not {case.outcome}: {refused}"
        _check_refused(case.outcome, refused, str(path))
        return
    assert isinstance(case.outcome, Read), f"read, not {case.outcome}"
    if isinstance(result, Import) or case.reader == FRAMES:
        _check_account(case.outcome, result)
    else:
        assert (case.outcome.duplicates, case.outcome.rejected) == (0, 0)
        assert _given(result) == case.outcome.used


def _check_refused(outcome: Refused, exc: ValidationError, file: str) -> None:
    if outcome.limit is not None:
        assert isinstance(exc, LimitExceeded), exc
        assert exc.limit == outcome.limit
    else:
        assert not isinstance(exc, LimitExceeded), exc
    # Every problem names the file; one of them says what the corpus expects, where.
    assert all(p.where.file == file for p in exc.problems), exc
    matching = [
        p
        for p in exc.problems
        if outcome.message in str(p)
        and (outcome.row is None or p.where.row == outcome.row)
        and (outcome.field is None or p.where.field == outcome.field)
    ]
    assert matching, f"expected {outcome}, got:\n{exc}"


def _check_account(outcome: Read, result: Any) -> None:
    """The counts of an :class:`Import` or a frame reader's ``FrameImport``."""
    voided = getattr(result, "voided", 0)  # xAPI: statements voiding or voided
    assert result.rows == result.used + result.duplicates + voided + len(result.rejected)
    got = (result.used, result.duplicates, len(result.rejected))
    assert got == (outcome.used, outcome.duplicates, outcome.rejected), result.summary()
    for rejection in result.rejected:
        assert outcome.reason is not None
        assert any(outcome.reason in str(p) for p in rejection.problems), str(rejection)


def test_the_documented_table_is_the_corpus() -> None:
    page = REPO / "docs" / "hostile-input.md"
    assert page.read_text(encoding="utf-8") == table(), (
        "docs/hostile-input.md is not the corpus: python -m tests.hostile > docs/hostile-input.md"
    )


def test_every_reader_meets_the_corpus() -> None:
    readers = {case.reader for case in CASES}
    assert readers == set(READERS)
    assert all(sum(c.reader == r for c in CASES) >= 10 for r in readers)


@pytest.mark.parametrize(
    ("limits", "limit", "row"),
    [
        (Limits(rows=1), "rows", 3),
        (Limits(field_size=12), "field_size", 1),  # the header is a record too
        (Limits(columns=5), "columns", 1),
        (Limits(file_size=100), "file_size", None),
    ],
)
def test_each_limit_refuses_where_it_is_passed(
    tmp_path: Path, limits: Limits, limit: str, row: int | None
) -> None:
    path = tmp_path / "ConsumptionReport.csv"
    path.write_text(CSV_BASES["ConsumptionReport.csv"], encoding="utf-8")
    readers = [read_consumption_report]
    if importlib.util.find_spec("polars") is not None:
        from karmayogi.columnar import read_consumption_frame

        readers.append(read_consumption_frame)  # the same refusal on the columnar engine
    errors = []
    for reader in readers:
        with pytest.raises(LimitExceeded) as refused:
            reader(path, limits=limits)
        errors.append(str(refused.value))
        assert refused.value.limit == limit
        assert refused.value.problems[0].where.row == row
    assert len(set(errors)) == 1, errors
    read_consumption_report(path, limits=NO_LIMITS)  # and without limits, it is read
