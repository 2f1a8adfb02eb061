"""The package's layout holds: private names stay in their package, a package's private
modules are reached through its face, no import cycle, progress stands below plans, and
every public module shows its public path (``dir()`` and ``__module__``).

The imports are read from the source with ``ast`` (every import, in a function too; those
under ``if TYPE_CHECKING:`` run for the type checker only, so a cycle through them is no
cycle), so a failure names the module and the line.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from typing import NamedTuple

import pytest

import karmayogi
from tests.test_public_api import PUBLIC

ROOT = Path(karmayogi.__file__).parent


class Import(NamedTuple):
    importer: str
    line: int
    module: str
    names: tuple[str, ...]
    typing_only: bool


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = ("karmayogi", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _package(module: str) -> str:
    path = MODULES[module]
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _typing_only_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports() -> list[Import]:
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _typing_only_lines(tree)
        package = _package(module)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("karmayogi"):
                        typed = node.lineno in typing_only
                        found.append(Import(module, node.lineno, alias.name, (), typed))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                if not base.startswith("karmayogi"):
                    continue
                names = tuple(a.name for a in node.names)
                submodules = [n for n in names if f"{base}.{n}" in MODULES]
                for name in submodules:  # `from karmayogi import _charts`: a module
                    found.append(
                        Import(
                            module, node.lineno, f"{base}.{name}", (), node.lineno in typing_only
                        )
                    )
                rest = tuple(n for n in names if n not in submodules)
                if rest:
                    found.append(
                        Import(module, node.lineno, base, rest, node.lineno in typing_only)
                    )
    return found


IMPORTS = _imports()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_the_imports_are_read() -> None:
    """The reader of imports sees what it must (else every rule below passes empty)."""
    assert ("karmayogi.progress._rollup", "karmayogi.progress._tables") in {
        (i.importer, i.module) for i in IMPORTS
    }
    assert any(i.typing_only for i in IMPORTS)


def test_no_private_name_leaves_its_package() -> None:
    """A private name (``_x``) is imported only within a subpackage of karmayogi, whose
    modules are one concern together; between the top-level modules, none."""
    crossings = [
        f"{i.importer}:{i.line} imports {', '.join(n for n in i.names if _private(n))} "
        f"from {i.module}"
        for i in IMPORTS
        if any(_private(n) for n in i.names)
        and not (_package(i.importer) == _package(i.module) != "karmayogi")
    ]
    assert not crossings, "\n".join(crossings)


def test_a_packages_private_modules_are_reached_through_its_face() -> None:
    """``karmayogi.progress._rules`` is imported within ``karmayogi.progress``, or by a
    public module that presents it (``karmayogi.columnar``), never from elsewhere."""
    faces = set(PUBLIC)
    crossings = []
    for i in IMPORTS:
        parts = i.module.split(".")
        private_at = next((n for n, part in enumerate(parts) if _private(part)), None)
        if private_at is None or private_at == 1:  # a top-level private module is shared
            continue
        owner = ".".join(parts[:private_at])
        if not (i.importer == owner or i.importer.startswith(owner + ".")) and (
            i.importer not in faces
        ):
            crossings.append(f"{i.importer}:{i.line} imports {i.module}, private to {owner}")
    assert not crossings, "\n".join(crossings)


def test_no_import_cycles() -> None:
    """No module imports, even within a function, a module that imports it back: format
    modules import the model, and a face re-exports both."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in IMPORTS:
        if not i.typing_only and i.module in MODULES and i.module != i.importer:
            graph[i.importer].add(i.module)
    cycles = []
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "\n".join(cycles)


def test_progress_stands_below_plans() -> None:
    """Nothing in the progress package imports the plans module, not even for types: what
    both need (allocations, durations) lives below both."""
    upward = [
        f"{i.importer}:{i.line} imports {i.module}"
        for i in IMPORTS
        if i.importer.startswith("karmayogi.progress") and i.module.startswith("karmayogi.cbp")
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("module_name", sorted(set(PUBLIC) - {"karmayogi"}))
def test_dir_of_a_public_module_is_its_all(module_name: str) -> None:
    if module_name == "karmayogi.columnar":
        pytest.importorskip("narwhals", reason="the columnar extra is not installed")
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    module = importlib.import_module(module_name)
    assert dir(module) == sorted(module.__all__)


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_public_classes_report_a_public_module(module_name: str) -> None:
    """A class's ``__module__`` is a public path (what reprs, pickles and the API
    reference show), and that path gives the class."""
    if module_name == "karmayogi.columnar":
        pytest.importorskip("narwhals", reason="the columnar extra is not installed")
        pytest.importorskip("polars", reason="the columnar extra is not installed")
    module = importlib.import_module(module_name)
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value):
            assert not any(_private(p) for p in value.__module__.split(".")), (
                f"{module_name}.{name} says it is from {value.__module__}"
            )
            home = importlib.import_module(value.__module__)
            assert getattr(home, value.__qualname__) is value


def test_every_problem_the_library_reports_names_its_code() -> None:
    """A ``Problem`` built in the package says its ``code`` (tests and portals match on
    it, not on the message); ``invalid``, the default, is for callers' own problems."""
    codeless = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Problem"
                and not any(k.arg == "code" for k in node.keywords)
            ):
                codeless.append(f"{module}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not codeless, "\n".join(codeless)


def test_values_pickle_by_their_public_path() -> None:
    """A pickle names a class by its module: the public one, which gives the class back,
    so a pickle made now loads after the private modules move."""
    import datetime as dt
    import pickle

    from karmayogi.cbp import Allocation, Catalogue, Course
    from karmayogi.competency import default_framework
    from karmayogi.progress import Enrolment, Status

    values = [
        default_framework(),
        Catalogue(courses=[Course(id="do_1", name="RTI", duration=3600)]),
        Allocation("a", "do_1", dt.date(2026, 3, 31), "p", mandatory=True, apar=False),
        Enrolment(person="a", course="do_1", status=Status.IN_PROGRESS),
    ]
    for value in values:
        data = pickle.dumps(value)
        assert b"karmayogi.progress._" not in data
        assert b"karmayogi._" not in data
        assert b"karmayogi.competency._" not in data
        assert pickle.loads(data) == value
