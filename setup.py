"""Build hook: a built package (wheel, `pip install .`) is a complete install.

pyproject.toml holds the metadata; this adds what a checkout gets from the Makefile: the
message catalogues compiled to .mo (else the interface falls back to English), and a copy of
the migrations inside the package (`app/migrations/`), so that `flask db upgrade` works
where only the package is installed. An editable install (`pip install -e .`, `make install`)
reads both from the checkout instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Compile every app/translations/*/LC_MESSAGES/*.po under `source` into `target`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob("translations/*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


class BuildWithCataloguesAndMigrations(build_py):
    """build_py, then the compiled catalogues and the migrations into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "app"
        compile_catalogues(ROOT / "app", package)
        migrations = package / "migrations"
        shutil.rmtree(migrations, ignore_errors=True)
        shutil.copytree(
            ROOT / "migrations",
            migrations,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )


setup(cmdclass={"build_py": BuildWithCataloguesAndMigrations})
