"""Packaging: `pip install .` is a complete install (compiled catalogues and the migrations
inside the package), and requirements.lock pins exactly what pyproject.toml asks for."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normal(name: str) -> str:
    """A distribution name as package indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_pins() -> dict[str, SpecifierSet]:
    """Each runtime dependency's version specifier: pinned with ==, or a bounded range where
    pyproject.toml says why (reportlab: the versions the PDF engine was verified on)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        operators = {spec.operator for spec in requirement.specifier}
        bounded = {">=", "<"} <= operators
        assert "==" in operators or bounded, f"{line!r} is neither pinned with == nor bounded"
        pins[normal(requirement.name)] = requirement.specifier
    return pins


def locked() -> dict[str, dict]:
    """Every package of the lock file: its version, whether it has hashes, what needs it."""
    packages: dict[str, dict] = {}
    current = None
    in_via = False
    for line in LOCK.read_text().splitlines():
        if match := PIN.match(line):
            current = {"version": match.group(2), "hashes": 0, "via": set()}
            packages[normal(match.group(1))] = current
            in_via = False
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            current["hashes"] += 1
        elif current is not None and line.strip().startswith("# via"):
            rest = line.strip()[len("# via") :].strip()
            in_via = not rest
            if rest:
                current["via"].add(rest)
        elif current is not None and in_via and line.strip().startswith("#   "):
            current["via"].add(line.strip()[4:].strip())
    return packages


def test_the_lock_pins_every_dependency_at_its_pyproject_version():
    pins, lock = runtime_pins(), locked()
    versions = {name: lock.get(name, {}).get("version") for name in pins}
    behind = {
        name: version
        for name, version in versions.items()
        if version is None or version not in pins[name]
    }
    assert not behind, f"requirements.lock is behind pyproject.toml: run `make lock` ({behind})"


def test_the_lock_holds_nothing_pyproject_no_longer_asks_for():
    pins, lock = runtime_pins(), locked()
    direct = {name for name, entry in lock.items() if "nhiemvu (pyproject.toml)" in entry["via"]}
    assert direct == set(pins), "requirements.lock is behind pyproject.toml: run `make lock`"
    for name, entry in lock.items():
        needed_by = {normal(via.split(" (")[0]) for via in entry["via"]}
        assert needed_by, f"{name} is in the lock for nothing"
        assert needed_by <= set(lock) | {"nhiemvu"}, f"{name} is needed by {needed_by - set(lock)}"


def test_every_locked_package_has_hashes():
    # `pip install --require-hashes -r requirements.lock` then refuses anything altered.
    assert all(entry["hashes"] >= 1 for entry in locked().values())


def source_tree(target: Path) -> Path:
    """The files a fresh clone has (tracked, or new and not ignored): no compiled .mo, no
    build leftovers, so the wheel shows what the build hook itself adds."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    assert not list(target.rglob("*.mo"))
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as `pip install .` builds it from a fresh clone (with setup.py's hook)."""
    source = source_tree(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    (built,) = out.glob("nhiemvu-*.whl")
    return built


def test_the_wheel_carries_fresh_catalogues(wheel: Path, tmp_path: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for language in ("vi", "en"):
            member = f"app/translations/{language}/LC_MESSAGES/messages.mo"
            assert member in names
            (tmp_path / f"{language}.mo").write_bytes(archive.read(member))
    with (tmp_path / "vi.mo").open("rb") as handle:
        compiled = read_mo(handle)
    with (ROOT / "app/translations/vi/LC_MESSAGES/messages.po").open("rb") as handle:
        source = read_po(handle)
    expected = {m.id: m.string for m in source if m.id and m.string and not m.fuzzy}
    assert {m.id: m.string for m in compiled if m.id} == expected
    assert expected["Please log in to see this page."] == "Vui lòng đăng nhập để xem trang này."


def test_the_wheel_carries_the_migrations(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"app/migrations/env.py", "app/migrations/alembic.ini"} <= names
    ours = {p.name for p in (ROOT / "migrations" / "versions").glob("*.py")}
    packed = {Path(n).name for n in names if n.startswith("app/migrations/versions/")}
    assert packed == ours


INSTALLED_CHECK = """
import sys
from pathlib import Path
import app
from app import create_app
from flask_migrate import upgrade
assert Path(app.__file__).parent == Path(sys.argv[1]) / "app", app.__file__
application = create_app()
assert application.extensions["migrate"].directory == str(Path(sys.argv[1], "app", "migrations"))
with application.app_context():
    upgrade()
page = application.test_client().get("/auth/login").get_data(as_text=True)
print("Đăng nhập" in page)
"""


def test_the_installed_package_migrates_and_speaks_vietnamese(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    instance = tmp_path / "instance"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(site),  # ahead of the checkout's editable install
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'nhiemvu.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", INSTALLED_CHECK, str(site)],
        cwd=tmp_path,  # not the checkout: nothing of it is on the path
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
