"""Fuzzing every reader: bytes of any kind, and files that are nearly right (the good file
of tests/hostile.py with cells replaced by awkward values, dropped, doubled or split).
Whatever comes in, a reader gives a result whose rows add up, or a ValidationError that
names the file; never another exception, never a hang, never memory out of proportion.

This runs a few hundred examples with the tests. The longer run, by hand or on a
schedule (docs/start-maintainer.md)::

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karmayogi.errors import ValidationError
from tests.hostile import ACCOUNTED, CSV_BASES, FRAMES, JSON_BASES, READERS, no_hang

SECONDS = 30
MEMORY = 64 << 20
"""Python memory a reader may use on a fuzzed input of a few kilobytes."""

AWKWARD = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "", " ", '"', '""', '"a,b"', "a\nb", "\r", "\t", ",", ";", "=1+1", "-1", "1e309",
            "nan", "inf", "-0", "101", "100.0000001", "99999:00:00", "-01:00:00", "PT1H",
            "0001-01-01", "9999-12-31T23:59:59-05:00", "2025-02-30", "31/02/2025",
            "2025-04-05 25:61:61", "Completed", "completed ", "NOT ENROLLED", "yes", "Nej",
            "\x00", "\ufeff", "é", "\u202e", "x" * 300,
        ]
    ),
)  # fmt: skip


def _read(reader: str, data: bytes, tmp_path: Path, suffix: str) -> None:
    if reader == FRAMES:
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    refused: ValidationError | None = None
    tracemalloc.start()
    try:
        with no_hang(SECONDS):
            try:
                result = READERS[reader](path)
            except ValidationError as exc:
                refused = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if refused is not None:  # a typed error, every problem of which names the file
        assert all(p.where.file == str(path) for p in refused.problems), refused
        return
    assert peak < MEMORY, f"{peak:,} bytes of Python memory for {len(data):,} bytes of input"
    if reader in ACCOUNTED:
        rejected = len(result.rejected)
        voided = getattr(result, "voided", 0)  # xAPI: statements voiding or voided
        assert result.rows == result.used + result.duplicates + voided + rejected, result.summary()


@st.composite
def near_csv(draw: st.DrawFn, base: str) -> bytes:
    """The good file with a few cells replaced, dropped or doubled, or a line split."""
    rows = [line.split(",") for line in base.splitlines()]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row]) - 1))
        change = draw(st.sampled_from(["replace", "replace", "drop", "double", "quote"]))
        if change == "replace":
            rows[row][column] = draw(AWKWARD)
        elif change == "drop":
            del rows[row][column]
        elif change == "double":
            rows[row].insert(column, rows[row][column])
        else:
            rows[row][column] = '"' + rows[row][column].replace('"', '""') + '"'
    if draw(st.booleans()):
        rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))  # a row again
    text = "".join(",".join(row) + "\n" for row in rows)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])), errors="surrogatepass")


def _mutated(value: Any, draw: st.DrawFn) -> Any:
    """A JSON value with one leaf or branch replaced by an awkward one."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        return {**value, key: _mutated(value[key], draw)}
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], _mutated(value[index], draw), *value[index + 1 :]]
    return draw(
        st.one_of(
            AWKWARD,
            st.integers(-(2**70), 2**70),
            st.floats(allow_nan=False),
            st.none(),
            st.booleans(),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
        )
    )


@st.composite
def near_json(draw: st.DrawFn, base: Any) -> bytes:
    value = base
    for _ in range(draw(st.integers(1, 3))):
        value = _mutated(value, draw)
    return json.dumps(value).encode()


FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused(reader: str, data: bytes, tmp_path: Path) -> None:
    suffix = ".json" if reader in JSON_BASES else ".csv"
    _read(reader, data, tmp_path, suffix)


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_nearly_right_files_are_read_or_refused(
    reader: str, data: st.DataObject, tmp_path: Path
) -> None:
    if reader in JSON_BASES:
        _read(reader, data.draw(near_json(JSON_BASES[reader])), tmp_path, ".json")
    else:
        _read(reader, data.draw(near_csv(CSV_BASES[reader])), tmp_path, ".csv")
