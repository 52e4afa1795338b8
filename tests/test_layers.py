"""Dependencies run one way: no module of app/ imports from a package above its own.

LAYERS is the one statement of the order, bottom first; the README's "Layout" section draws
it (`drawing()`, checked below). A package ("tasks" for everything under app/tasks/, "config"
for app/config.py) may import from itself and from the rows below its row. Packages sharing
a row do not import each other, except on the bottom row, the shared ground, whose modules
build on one another, and on the top row, app/*.py, the composition root (the factory, the
model registry, the templates' helpers, the seed, the jobs), which may import anything.

Every import counts, function-level ones included; those under `if TYPE_CHECKING:` do not
(they never run). Relative imports and `importlib.import_module("app.…")` count too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

LAYERS: tuple[tuple[str, ...], ...] = (
    # 0: the shared ground, no domain in it.
    (
        "config",
        "db",
        "clock",
        "text",
        "errors",
        "audit",
        "extensions",
        "forms",
        "pagination",
        "mail",
        "i18n",
        "labels",
        "dates",
        "downloads",
        "periods",
    ),
    ("auth",),
    ("agencies",),
    ("accounts", "directives", "notifications"),
    ("tasks",),
    ("reports", "search"),
    ("reminders", "dashboard"),
    ("imports", "api", "ops"),
    # The composition root: app/*.py that wire the packages together.
    ("__init__", "models", "templating", "seed", "jobs", "main", "wsgi"),
)
GROUND = 0
ROOT_ROW = len(LAYERS) - 1
ROW = {package: row for row, packages in enumerate(LAYERS) for package in packages}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    package: str
    target: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line} imports {self.imported}: {self.package} (row "
            f"{ROW[self.package]}) may not import {self.target} (row {ROW[self.target]})"
        )


def package_of(module: str) -> str | None:
    """The package an `app.…` module belongs to: its first name under app/ ("__init__" for
    `app` itself); None for a module outside the application."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted name of a file under `root` (app/), and whether it is a package's __init__."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, module) for every import the file makes at run time, anywhere in it."""
    module, is_package = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _type_checking_only(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source == "app":
                # `from app import tasks`: each name is a package of its own.
                found.extend((node.lineno, f"app.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, source))
        elif (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) in ("importlib.import_module", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def allowed(package: str, target: str) -> bool:
    if package == target:
        return True
    row, target_row = ROW[package], ROW[target]
    if row in (GROUND, ROOT_ROW) and target_row == row:
        return True
    return target_row < row


def packages(root: Path) -> set[str]:
    return {package_of(module_name(path, root)[0]) or "" for path in root.rglob("*.py")}


def violations(root: Path) -> list[Violation]:
    """Every import in `root` (an app/ directory) against LAYERS."""
    found = []
    for path in sorted(root.rglob("*.py")):
        package = package_of(module_name(path, root)[0])
        assert package is not None
        for line, imported in imported_modules(path, root):
            target = package_of(imported)
            if target is None or target not in ROW or package not in ROW:
                continue
            if not allowed(package, target):
                shown = path.relative_to(root.parent).as_posix()
                found.append(Violation(shown, line, imported, package, target))
    return found


def drawing() -> str:
    """The order as the README draws it: the top row first, each with its number."""
    return "\n".join(f"{row}  {' '.join(LAYERS[row])}" for row in range(len(LAYERS) - 1, -1, -1))


# --- the application -----------------------------------------------------------------------


def test_no_module_imports_from_a_package_above_its_own():
    found = violations(APP)
    assert not found, "imports against the layers:\n" + "\n".join(map(str, found))


def test_every_package_has_its_row():
    unplaced = packages(APP) - set(ROW)
    assert not unplaced, f"put these in LAYERS (tests/test_layers.py) and the README: {unplaced}"
    assert len(ROW) == sum(len(row) for row in LAYERS), "a package is on two rows"


def test_the_readme_draws_the_same_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    assert drawing() in layout, "the README's Layout section should draw:\n" + drawing()


# --- the checker itself, on a made-up app/ --------------------------------------------------


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def fake_app(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    for package in ("tasks", "directives", "notifications", "reports", "dashboard"):
        write(root, f"{package}/__init__.py", "")
    write(root, "__init__.py", "")
    return root


def test_an_upward_import_is_named_with_file_line_and_both_packages(fake_app):
    write(fake_app, "directives/services.py", "import os\n\nfrom app.tasks.models import Task\n")
    (found,) = violations(fake_app)
    assert (found.path, found.line, found.package, found.target) == (
        "app/directives/services.py",
        3,
        "directives",
        "tasks",
    )
    assert str(found) == (
        "app/directives/services.py:3 imports app.tasks.models: directives (row 3) may not "
        "import tasks (row 4)"
    )


def test_function_level_relative_and_dynamic_imports_count(fake_app):
    write(
        fake_app,
        "notifications/views.py",
        "def page():\n"
        "    from app.reports import services\n"
        "    import app.dashboard.views\n"
        "    return services\n",
    )
    write(fake_app, "directives/forms.py", "from ..tasks import forms\n")
    write(fake_app, "tasks/jobs.py", "import importlib\nimportlib.import_module('app.reports.x')\n")
    write(fake_app, "directives/__init__.py", "from app import tasks\n")
    found = {(v.path, v.line, v.target) for v in violations(fake_app)}
    assert found == {
        ("app/notifications/views.py", 2, "reports"),
        ("app/notifications/views.py", 3, "dashboard"),
        ("app/directives/forms.py", 1, "tasks"),
        ("app/tasks/jobs.py", 2, "reports"),
        ("app/directives/__init__.py", 1, "tasks"),
    }


def test_type_checking_imports_and_downward_imports_do_not_count(fake_app):
    write(
        fake_app,
        "directives/models.py",
        "from typing import TYPE_CHECKING\n"
        "import typing\n"
        "if TYPE_CHECKING:\n"
        "    from app.tasks.models import Task\n"
        "if typing.TYPE_CHECKING:\n"
        "    from app.reports.models import Report\n",
    )
    write(fake_app, "tasks/services.py", "from app.directives.models import Directive\n")
    write(fake_app, "__init__.py", "from app.dashboard import views\n")
    assert violations(fake_app) == []


def test_packages_sharing_a_row_do_not_import_each_other(fake_app):
    write(fake_app, "reports/gather.py", "from app.dashboard.services import overdue\n")
    write(fake_app, "dashboard/views.py", "from app.reports.xlsx import sheet\n")
    found = {(v.package, v.target) for v in violations(fake_app)}
    assert found == {("reports", "dashboard")}  # dashboard sits a row above reports
    write(fake_app, "directives/views.py", "from app.notifications.services import notify\n")
    assert ("directives", "notifications") in {(v.package, v.target) for v in violations(fake_app)}
