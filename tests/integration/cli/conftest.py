"""A working directory as a user has it: the example backlog, the embedded
SQLite database next to it, no config unless a test writes one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "backlog.json"


@pytest.fixture
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKLOG_SYNC_CONFIG", raising=False)
    monkeypatch.setenv("BACKLOG_SYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'bs.db'}")
    monkeypatch.setenv("COLUMNS", "200")
    shutil.copy(EXAMPLES, tmp_path / "backlog.json")
    return tmp_path
