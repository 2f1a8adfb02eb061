"""Every example in the package's docstrings runs, against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import karmayogi

MODULES = [
    "karmayogi",
    *sorted(
        info.name
        for info in pkgutil.iter_modules(karmayogi.__path__, "karmayogi.")
        if info.name != "karmayogi.__main__"
    ),
]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name: str) -> None:
    if module_name in ("karmayogi.columnar", "karmayogi._frame_reports"):  # the columnar extra
        pytest.importorskip("narwhals", reason="the columnar extra is not installed")
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    if module_name == "karmayogi._charts":
        pytest.importorskip("matplotlib", reason="the charts extra is not installed")
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module_name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module_name}"


def test_the_public_modules_have_examples() -> None:
    finder = doctest.DocTestFinder(exclude_empty=True)
    for name in ("karmayogi", "karmayogi.competency", "karmayogi.errors"):
        examples = sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
        assert examples >= 2, f"{name} shows no runnable example"
