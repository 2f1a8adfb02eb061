"""Shared fixtures. Reference data from outside the project is read from
``../shared/reference/`` beside the repository; tests that need it skip when it is absent
(as in a contributor's clone)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from karmayogi.competency import Framework, default_framework

settings.register_profile("default", deadline=None)
# CI runs a fixed sequence of examples, so a red build is always reproducible.
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
# The long fuzz run (tests/test_fuzz.py): many more examples, each still bounded in time.
settings.register_profile(
    "fuzz", deadline=None, max_examples=5_000, suppress_health_check=list(HealthCheck)
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference"


def reference_json(name: str) -> Any:
    """A file of ../shared/reference, parsed; the test skips when it is not there."""
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"reference data {path} is absent (it lives beside the repository)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def kcm() -> Framework:
    return default_framework()
