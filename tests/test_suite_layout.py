"""The suite's own house rules, so that a newcomer finds their way and they stay true.

- Test folders mirror the packages: tests/domain/ tests kiosk/domain/, tests/web/api/
  tests kiosk/web/api/, tests/staffboard/ tests staffboard/ (tests/browser/ holds the
  end-to-end tests in Chromium, tests/support/ the helpers); every folder is a package.
- Helpers live in tests/support/: no module imports from a conftest or from a test module.
- conftest.py files hold fixtures (and constants, pytest hooks) only.
- Nobody sleeps to synchronise: polling a condition goes through tests.support.polling.wait_until.
- A browser test that takes a picture for docs/ (`shot(..., docs=...)`) is marked
  docs_screenshots, so `make screenshots` refreshes it; every docs/*.png is taken by one.

Each rule is a function over a folder, tried first on a made-up folder that breaks it
(so a rule that finds nothing is not a rule that checks nothing), then on tests/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import DOCS, ROOT

TESTS = ROOT / "tests"
NOT_MIRRORS = {"browser", "support"}  # end-to-end tests in Chromium; the helpers
POLLING = Path("support") / "polling.py"  # the one module that may sleep, between looks at a condition
SLEEPS = {"sleep", "wait_for_timeout"}  # time.sleep, Playwright's page.wait_for_timeout
DOCS_MARK = "docs_screenshots"  # the marker `make screenshots` selects


def python_files(tests: Path) -> list[Path]:
    return sorted(path for path in tests.rglob("*.py") if "__pycache__" not in path.parts)


def module_name(tests: Path, path: Path) -> str:
    parts = [tests.name, *path.relative_to(tests).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_names(tests: Path, path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the module imports, relative imports made absolute;
    `from a import b` counts as both `a` and `a.b` (b may be a module)."""
    package = module_name(tests, path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(filter(None, [*package[:len(package) - node.level + 1], base]))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def imports_from_tests_outside_support(tests: Path) -> list[str]:
    """Every import of something under tests/ that is not tests.support (a conftest, a test module …)."""
    problems = []
    for path in python_files(tests):
        for line, name in imported_names(tests, path):
            parts = name.split(".")
            if parts[0] == tests.name and parts[1:2] != ["support"] and len(parts) > 1:
                problems.append(f"{path.relative_to(tests.parent)}:{line} imports {name}")
    return sorted(set(problems))


def is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Attribute) and target.attr == "fixture") or \
        (isinstance(target, ast.Name) and target.id == "fixture")


def is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def assigns_constants_only(node: ast.stmt) -> bool:
    """An assignment (plain or annotated) whose every target is an UPPER_CASE name or pytest_plugins."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    else:
        return False
    return all(isinstance(t, ast.Name) and (t.id.isupper() or t.id == "pytest_plugins") for t in targets)


def conftest_non_fixtures(tests: Path) -> list[str]:
    """Everything at the top of a conftest.py that is not a docstring, an import, a fixture,
    a pytest hook (pytest_*) or a constant (an UPPER_CASE name, or pytest_plugins)."""
    problems = []
    for path in python_files(tests):
        if path.name != "conftest.py":
            continue
        where = path.relative_to(tests.parent)
        for node in parse(path).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) or is_docstring(node):
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name.startswith("pytest_") or any(is_fixture(d) for d in node.decorator_list):
                    continue
                problems.append(f"{where}:{node.lineno} defines the function {node.name}() "
                                "(helpers go to tests/support/)")
                continue
            if assigns_constants_only(node):
                continue
            name = getattr(node, "name", type(node).__name__)
            problems.append(f"{where}:{node.lineno} defines {name} (helpers go to tests/support/)")
    return problems


def folders_without_a_package(tests: Path, root: Path) -> list[str]:
    """Test folders that are no package (no __init__.py), or that mirror no package of the code."""
    problems = []
    for folder in sorted({path.parent for path in python_files(tests)}):
        relative = folder.relative_to(tests)
        shown = folder.relative_to(tests.parent)
        if not (folder / "__init__.py").exists():
            problems.append(f"{shown}/ has no __init__.py")
        if relative.parts and relative.parts[0] not in NOT_MIRRORS:
            mirrors = [root / "kiosk" / relative, root / relative]
            if not any((candidate / "__init__.py").exists() for candidate in mirrors):
                problems.append(f"{shown}/ mirrors no package (kiosk/{relative}/ or {relative}/)")
    return problems


def sleeps_outside_polling(tests: Path) -> list[str]:
    problems = []
    for path in python_files(tests):
        if path.relative_to(tests) == POLLING:
            continue
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if called in SLEEPS:
                    problems.append(f"{path.relative_to(tests.parent)}:{node.lineno} calls {called}() "
                                    "(poll a condition with tests.support.polling.wait_until)")
    return problems


def docs_pictures(function: ast.FunctionDef) -> list[str]:
    """The docs/ file names a test function's shot(..., docs="…") calls write."""
    return [keyword.value.value for node in ast.walk(function) if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "shot" for keyword in node.keywords
            if keyword.arg == "docs" and isinstance(keyword.value, ast.Constant)]


def is_docs_marked(function: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Attribute) and d.attr == DOCS_MARK for d in function.decorator_list)


def functions_named_test(tests: Path):
    for path in python_files(tests):
        if path.name.startswith("test_"):
            for node in parse(path).body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    yield path, node


def docs_pictures_left_out_of_make_screenshots(tests: Path, docs: Path) -> list[str]:
    """Tests that write a docs/ picture without the docs_screenshots mark (`make screenshots` would
    skip them), and docs/*.png that no test writes (nothing would refresh them)."""
    problems, taken = [], set()
    for path, function in functions_named_test(tests):
        pictures = docs_pictures(function)
        taken.update(pictures)
        if pictures and not is_docs_marked(function):
            problems.append(f"{path.relative_to(tests.parent)}:{function.lineno} {function.name}() writes "
                            f"docs/{pictures[0]} (mark it @pytest.mark.{DOCS_MARK})")
    problems += [f"docs/{png.name} is taken by no test (`make screenshots` cannot refresh it)"
                 for png in sorted(docs.glob("*.png")) if png.name not in taken]
    return problems


# ---------------------------------------------------------------- a folder that breaks every rule

BROKEN = {
    "__init__.py": "",
    "conftest.py": '"""Fixtures."""\nimport pytest\nLIMIT = 3\n\n@pytest.fixture\ndef fine():\n    return 1\n\n\n'
                   "def helper():\n    return 2\n\n\nclass Server:\n    pass\n\n\nstate = {}\n",
    "support/__init__.py": "",
    "support/polling.py": "import time\n\ndef wait_until():\n    time.sleep(0.05)\n",
    "domain/__init__.py": "",
    "domain/test_a.py": "from tests.conftest import helper\nfrom tests.support.polling import wait_until\n"
                        "from ..web import test_b\nfrom tests.web.test_b import ROUTES\n"
                        "import tests.browser.conftest\n",
    "web/test_b.py": "import time\n\nROUTES = []\n\n"
                     "def test_b(page):\n    time.sleep(1)\n    page.wait_for_timeout(500)\n",
    "nowhere/__init__.py": "",
    "nowhere/test_c.py": "from . import conftest\n",
    "browser/__init__.py": "",
    "browser/test_d.py": "import pytest\n\n\n@pytest.mark.docs_screenshots\ndef test_marked(page):\n"
                         "    shot(page, None, 'a', docs='kiosk.png')\n\n\ndef test_unmarked(page):\n"
                         "    shot(page, None, 'b', docs='board.png')\n    shot(page, None, 'c')\n",
}


@pytest.fixture
def broken(tmp_path):
    root = tmp_path / "project"
    (root / "kiosk" / "domain").mkdir(parents=True)
    (root / "kiosk" / "domain" / "__init__.py").write_text("")
    (root / "kiosk" / "web").mkdir()
    (root / "kiosk" / "web" / "__init__.py").write_text("")
    (root / "docs").mkdir()
    for picture in ("kiosk.png", "board.png", "orphan.png"):
        (root / "docs" / picture).write_bytes(b"")
    tests = root / "tests"
    for name, text in BROKEN.items():
        (tests / name).parent.mkdir(parents=True, exist_ok=True)
        (tests / name).write_text(text)
    return root


def test_the_rules_find_what_breaks_them(broken):
    tests = broken / "tests"
    assert imports_from_tests_outside_support(tests) == [
        "tests/domain/test_a.py:1 imports tests.conftest",
        "tests/domain/test_a.py:1 imports tests.conftest.helper",
        "tests/domain/test_a.py:3 imports tests.web",
        "tests/domain/test_a.py:3 imports tests.web.test_b",
        "tests/domain/test_a.py:4 imports tests.web.test_b",
        "tests/domain/test_a.py:4 imports tests.web.test_b.ROUTES",
        "tests/domain/test_a.py:5 imports tests.browser.conftest",
        "tests/nowhere/test_c.py:1 imports tests.nowhere",
        "tests/nowhere/test_c.py:1 imports tests.nowhere.conftest",
    ]
    assert [problem.split(" (")[0] for problem in conftest_non_fixtures(tests)] == [
        "tests/conftest.py:10 defines the function helper()", "tests/conftest.py:14 defines Server",
        "tests/conftest.py:18 defines Assign"]
    assert [problem.split(" (")[0] for problem in folders_without_a_package(tests, broken)] == [
        "tests/nowhere/ mirrors no package", "tests/web/ has no __init__.py"]
    assert [problem.split(" (")[0] for problem in sleeps_outside_polling(tests)] == [
        "tests/web/test_b.py:6 calls sleep()", "tests/web/test_b.py:7 calls wait_for_timeout()"]
    left_out = docs_pictures_left_out_of_make_screenshots(tests, broken / "docs")
    assert [problem.split(" (")[0] for problem in left_out] == [
        "tests/browser/test_d.py:9 test_unmarked() writes docs/board.png", "docs/orphan.png is taken by no test"]


# ---------------------------------------------------------------- the suite itself

def test_no_module_imports_from_a_conftest_or_another_test_module():
    assert imports_from_tests_outside_support(TESTS) == []


def test_conftest_files_hold_fixtures_only():
    assert conftest_non_fixtures(TESTS) == []


def test_every_test_folder_is_a_package_and_mirrors_one_of_the_code():
    assert folders_without_a_package(TESTS, ROOT) == []


def test_nobody_sleeps_to_synchronise():
    assert sleeps_outside_polling(TESTS) == []


def test_every_docs_picture_is_refreshed_by_make_screenshots():
    assert docs_pictures_left_out_of_make_screenshots(TESTS, DOCS) == []
