"""`backlog-sync digest` on the embedded SQLite default, as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from service.cli import app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "backlog.json"

runner = CliRunner()


@pytest.fixture
def workdir(workdir: Path) -> Path:
    """The working directory, with a config that archives digests in ./digests."""
    tmp_path = workdir
    config = {
        "digest": {
            "channels": [
                {"type": "file", "name": "archive", "directory": str(tmp_path / "digests")}
            ]
        }
    }
    (tmp_path / "backlog-sync.yaml").write_text(yaml.safe_dump(config))
    return tmp_path


def test_digest_send_stores_it_and_writes_it_to_the_channel(workdir: Path) -> None:
    assert runner.invoke(app, ["sync", "backlog.json"]).exit_code == 0

    printed = runner.invoke(app, ["digest"])
    assert printed.exit_code == 0, printed.output
    assert not (workdir / "digests").exists()  # printing sends nothing

    sent = runner.invoke(app, ["digest", "--send"])
    assert sent.exit_code == 0, sent.output
    assert "sent to archive" in sent.stdout
    [written] = (workdir / "digests").glob("digest-*.md")
    assert written.read_text().startswith("# Ready for AI")
    assert printed.stdout.startswith("# Ready for AI")
