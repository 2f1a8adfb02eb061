"""Every example in the package's docstrings runs, against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import karmayogi
from karmayogi._api import DEFINED_IN

MODULES = [
    "karmayogi",
    *sorted(
        info.name
        for info in pkgutil.walk_packages(karmayogi.__path__, "karmayogi.")
        if info.name != "karmayogi.__main__"
    ),
]
COLUMNAR = ("karmayogi.columnar", "karmayogi.progress._columnar")


class _Finder(doctest.DocTestFinder):
    """Finds a class's examples in the module that defines it, though the class reports
    the public module it is reached by (as ``karmayogi._api.presented`` arranges)."""

    def _from_module(self, module: object, object: object) -> bool:
        if isinstance(object, type) and object in DEFINED_IN:
            return getattr(module, "__name__", None) == DEFINED_IN[object]
        return bool(super()._from_module(module, object))  # type: ignore[misc]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name: str) -> None:
    if module_name.startswith(COLUMNAR):  # the columnar extra
        pytest.importorskip("narwhals", reason="the columnar extra is not installed")
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    if module_name == "karmayogi.progress._columnar._spark_reader":
        pytest.importorskip("pyspark", reason="the spark extra is not installed")
    if module_name == "karmayogi._charts":
        pytest.importorskip("matplotlib", reason="the charts extra is not installed")
    module = importlib.import_module(module_name)
    finder = _Finder(exclude_empty=True)
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


def test_the_api_reference_shows_doctests_as_code() -> None:
    """Unfenced, Markdown reads ``>>>`` as nested quotes: the docs' extension fences each
    session, indented as it was, up to the blank line where doctest ends it."""
    import importlib.util
    from pathlib import Path

    pytest.importorskip("griffe", reason="the docs extra is not installed")
    path = Path(__file__).parents[1] / "scripts" / "doctest_fences.py"
    if not path.exists():
        pytest.skip(f"{path} is not here: the tests run outside the source tree")
    spec = importlib.util.spec_from_file_location("doctest_fences", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = "Adds.\n\n    >>> 1 + 1\n    2\n\nThen ``x >>> y`` stays.\n>>> f(\n... )"
    assert module.fenced(text).splitlines() == [
        "Adds.",
        "",
        "    ```pycon",
        "    >>> 1 + 1",
        "    2",
        "    ```",
        "",
        "Then ``x >>> y`` stays.",
        "```pycon",
        ">>> f(",
        "... )",
        "```",
    ]
