"""A non-editable install migrates: the wheel ships alembic/ as
service/migrations, and `db upgrade` run from an unpacked wheel (no checkout,
no alembic.ini) uses it.

The wheel is built, as the image's builder stage builds it, from a copy of the
files the Dockerfile's builder copies (so the checkout gets no build/ or
*.egg-info); pip's build isolation fetches setuptools from the package index."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from service.db import head_revision
from tests.service_process import clean_env
from tests.unit.deploy import dockerfile

ROOT = Path(__file__).resolve().parents[3]
MIGRATIONS = ROOT / "alembic"


def builder_sources() -> list[str]:
    """What the Dockerfile's builder stage copies into /src, as paths of the checkout."""
    _, stages = dockerfile.parse((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    sources = [
        source
        for copy in dockerfile.copies(stages[0])
        if copy.from_stage is None
        for source in copy.sources
    ]
    assert sources, "the builder copies nothing"
    return sources


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("packaging")
    src = work / "src"
    src.mkdir()
    for source in builder_sources():
        origin = ROOT / source
        target = src / source.rstrip("/")
        if origin.is_dir():
            shutil.copytree(
                origin, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.db")
            )
        else:
            shutil.copy(origin, target)
    dist = work / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
        cwd=work,
        env=clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (built,) = dist.glob("backlog_sync-*.whl")
    return built


def test_the_wheel_ships_every_migration_inside_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {"service/migrations/env.py", "service/migrations/script.py.mako"} | {
        f"service/migrations/versions/{path.name}"
        for path in sorted((MIGRATIONS / "versions").glob("*.py"))
    }
    assert len(expected) > 3
    assert expected <= names, sorted(expected - names)
    # nothing at the top level named alembic: it would shadow the Alembic library
    assert not any(name.split("/")[0] in {"alembic", "alembic.ini"} for name in names)
    assert not any("__pycache__" in name for name in names)


def test_db_upgrade_runs_from_an_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    data = tmp_path / "data"
    data.mkdir()
    env = clean_env(PYTHONPATH=str(site), BACKLOG_SYNC_DATABASE_URL=f"sqlite:///{data / 'x.db'}")

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *argv],
            cwd=data,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    where = run(
        "-c",
        "import service.db as d; print(d.__file__); print(d.ALEMBIC_SCRIPTS); print(d.ALEMBIC_INI)",
    )
    assert where.returncode == 0, where.stderr
    module, scripts, ini = where.stdout.split()
    assert Path(module) == site / "service" / "db.py"
    assert Path(scripts) == site / "service" / "migrations"
    assert ini == "None"

    upgrade = run("-m", "service.cli", "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert "empty ->" in upgrade.stdout, upgrade.stdout
    assert upgrade.stdout.strip().endswith(f"-> {head_revision()}"), upgrade.stdout
