"""The test suite's own layout: every module selectable by marker, helpers in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
#: The markers that say what a test needs; `pytest -m "not e2e"` selects the fast part by them.
KINDS = frozenset({"unit", "service", "gui", "integration", "e2e", "audio"})
#: What tests outside tests/benchmarks/ may use from benchmarks/: the generated ID documents
#: and camera views, and the zone reader the ID check's tests compare against.
BENCHMARK_GENERATORS = frozenset({"benchmarks.idcheck_synth", "benchmarks.idcheck_zone"})


def _test_modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "node_modules" not in p.parts)


def _rel(path: Path) -> str:
    return str(path.relative_to(TESTS.parent))


def _marks(decorators: list[ast.expr]) -> set[str]:
    """The ``pytest.mark.<name>`` names among decorators or a ``pytestmark`` value."""
    found: set[str] = set()
    for node in decorators:
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Attribute)
                and sub.value.attr == "mark"
            ):
                found.add(sub.attr)
    return found


def _module_kinds(tree: ast.Module) -> set[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            return _marks([node.value]) & KINDS
    return set()


def _unmarked_tests(source: str) -> list[str]:
    """The test functions of a module that no kind marker covers."""
    tree = ast.parse(source)
    if _module_kinds(tree):
        return []
    return [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test")
        and not _marks(node.decorator_list) & KINDS
    ]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_every_test_says_what_it_needs_by_a_marker() -> None:
    unmarked = [
        f"{_rel(path)}::{name}"
        for path in _test_modules()
        for name in _unmarked_tests(path.read_text(encoding="utf-8"))
    ]
    assert unmarked == [], f"give these a pytestmark of {sorted(KINDS)}"


def test_the_kinds_are_registered_markers() -> None:
    import tomllib

    config = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    registered = {m.split(":")[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert registered >= KINDS


def test_the_marker_check_sees_a_test_without_a_kind() -> None:
    bare = "import pytest\n\n@pytest.mark.parametrize('x', [1])\ndef test_x(x): ...\n"
    assert _unmarked_tests(bare) == ["test_x"]
    per_test = "import pytest\n\n@pytest.mark.gui\ndef test_x(): ...\n"
    assert _unmarked_tests(per_test) == []
    module = "import pytest\npytestmark = [pytest.mark.e2e, pytest.mark.asyncio()]\n"
    module += "def test_x(): ...\n"
    assert _unmarked_tests(module) == []


def test_test_modules_share_code_only_through_tests_helpers() -> None:
    offenders = sorted(
        f"{_rel(path)} imports {name}"
        for path in [*_test_modules(), *TESTS.rglob("conftest.py")]
        for name in _imported(path)
        if name.split(".")[0] == "tests" and not name.startswith("tests.helpers")
    )
    assert offenders == []


def test_only_helpers_test_modules_and_conftests_live_under_tests() -> None:
    strays = sorted(
        _rel(p)
        for p in TESTS.rglob("*.py")
        if "node_modules" not in p.parts
        and "helpers" not in p.relative_to(TESTS).parts
        and not p.name.startswith("test_")
        and p.name not in ("conftest.py", "__init__.py")
    )
    assert strays == []


def test_benchmark_code_is_used_by_benchmark_tests_and_for_generated_documents() -> None:
    offenders = sorted(
        f"{_rel(path)} imports {name}"
        for path in _test_modules()
        if "benchmarks" not in path.relative_to(TESTS).parts
        for name in _imported(path)
        if name.split(".")[0] == "benchmarks" and name not in BENCHMARK_GENERATORS
    )
    assert offenders == []
