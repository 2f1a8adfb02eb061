"""The same inputs give the same bytes: every file the demo writes (the HTML report with
its charts, the exports as CSV and JSON) and the progress and allocation outputs, across
runs and across hash seeds (``PYTHONHASHSEED``), so that outputs can be diffed, cached
and signed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = ("0", "1", "4242")


def _run(seed: str, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-m", "karmayogi", *args], capture_output=True, check=False, env=env
    )
    assert result.returncode in {0, 1}, result.stderr.decode()
    return result.stdout


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """For each hash seed: the demo's files, and the outputs of commands on its exports."""
    pytest.importorskip("matplotlib", reason="the charts extra is not installed")
    outputs = {}
    for seed in SEEDS:
        out = tmp_path_factory.mktemp(f"seed-{seed}")
        _run(seed, "demo", "--people", "300", "--out", str(out), "--export")
        files = _files(out)
        export = str(out / "ConsumptionReport.csv")
        for fmt in ("json", "csv"):
            files[f"progress.{fmt}"] = _run(
                seed, "progress", export, "--allocations", str(out / "allocations.csv"),
                "--by", "month", "--format", fmt, "--engine", "reference",
            )  # fmt: skip
        plans = sorted(str(p) for p in (out / "plans").glob("*.json"))
        files["allocations.json"] = _run(
            seed, "plan", "allocations", *plans, "--people", str(out / "people.csv"),
            "--format", "json",
        )  # fmt: skip
        outputs[seed] = files
    return outputs


def test_every_output_is_byte_identical_across_hash_seeds(
    runs: dict[str, dict[str, bytes]],
) -> None:
    first, *others = (runs[seed] for seed in SEEDS)
    assert "report.html" in first
    assert b"<svg" in first["report.html"]  # the charts are in the comparison
    assert {"ConsumptionReport.csv", "progress.json", "progress.csv", "allocations.json"} <= set(
        first
    )
    for other in others:
        assert set(other) == set(first)
        differing = [name for name in first if other[name] != first[name]]
        assert not differing, differing
