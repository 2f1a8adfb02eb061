"""The tests run against what users install: CI builds the wheel, installs it and sets
KARMAYOGI_TEST_INSTALLED, and these tests fail if the source tree is imported instead or
a data file is missing from the package."""

from __future__ import annotations

import os
from importlib import metadata, resources
from pathlib import Path

import pytest

import karmayogi

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    not os.environ.get("KARMAYOGI_TEST_INSTALLED"), reason="only where CI installed the wheel"
)
def test_the_installed_package_is_imported_not_the_source_tree() -> None:
    location = Path(karmayogi.__file__).resolve()
    assert REPO / "src" not in location.parents, f"imported from the source tree: {location}"
    assert "site-packages" in location.parts
    assert metadata.version("karmayogi") == karmayogi.__version__


def test_package_carries_its_data_and_type_marker() -> None:
    files = resources.files("karmayogi")
    assert files.joinpath("data/kcm.json").is_file()
    assert files.joinpath("py.typed").is_file()
