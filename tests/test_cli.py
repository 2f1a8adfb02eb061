"""The ``karmayogi`` command, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from karmayogi._cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "karmayogi", *args], capture_output=True, text=True, check=False
    )


def test_taxonomy_prints_the_bundled_tree() -> None:
    result = run("taxonomy")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Karmayogi Competency Model 2025.1 (kcm): 35 themes, 112 sub-themes"
    assert lines[1] == "Behavioural"
    assert lines[2].split(maxsplit=1) == ["KCM-B01", "Self-Awareness"]
    assert lines[3].split(maxsplit=1) == ["KCM-B01-01", "Self-Analysis"]
    assert "Functional" in lines
    assert len(lines) == 1 + 2 + 35 + 112


def test_taxonomy_as_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["taxonomy", "--area", "functional", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 22 + 71
    assert rows[1] == {
        "Identifier": "KCM-F01-01",
        "Competency Area": "Functional",
        "Competency Theme": "Citizen Centricity",
        "Competency SubTheme": "Design Thinking",
    }
    assert main(["taxonomy", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "kcm"


def test_bad_input_is_one_line_and_exit_1() -> None:
    result = run("taxonomy", "--area", "Wizardry")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "karmayogi: error: competency area must be one of Behavioural, Functional, Domain; "
        "got 'Wizardry'"
    )


def test_no_command_prints_help_and_exit_2() -> None:
    result = run()
    assert result.returncode == 2
    assert "taxonomy" in result.stdout
    assert "examples:" in result.stdout


def test_version() -> None:
    import karmayogi

    result = run("--version")
    assert result.stdout.strip() == f"karmayogi {karmayogi.__version__}"
