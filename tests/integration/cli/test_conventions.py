"""The conventions every command follows: `--json` that parses, exit codes that mean
one thing each (0 success, 1 a failure outside the input, 2 bad input or refused,
3 nothing to do), `--version`, and help without option types after flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
import typer
from typer.testing import CliRunner

from service.cli import app
from service.cli.app import installed_version

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def json_of(*args: str, code: int = 0) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == code, (args, result.output)
    return json.loads(result.stdout)


def test_every_command_that_prints_a_result_has_json(workdir: Path) -> None:
    sync = json_of("sync", "backlog.json")
    assert sync["seen"] >= 20
    assert isinstance(json_of("triage", "backlog.json"), list)
    assert json_of("score", "backlog.json", "101")["key"].endswith("#101")
    listed = json_of("queue", "list")
    assert listed and json_of("queue", "batch")
    claimed = json_of("queue", "claim", "--agent", "a1")
    entry = str(claimed["id"])
    beat = json_of("queue", "heartbeat", entry, "--agent", "a1")
    assert beat["id"] == claimed["id"] and beat["lease_expires_at"]
    assert json_of("queue", "release", entry, "--agent", "a1")["state"] == "ready"
    again = json_of("queue", "claim", "--agent", "a1")
    assert json_of("queue", "complete", str(again["id"]), "--agent", "a1")["state"] == "done"
    brief = json_of("rules", again["key"], "--format", "all")
    assert [f["format"] for f in brief["files"]] and brief["forced"] is False
    written = json_of("rules", again["key"], "--out", str(workdir / "repo"))
    assert (workdir / "repo" / written["files"][0]["path"]).is_file()
    assert json_of("db", "current")["up_to_date"] is True
    assert json_of("db", "upgrade")["after"] == json_of("db", "current")["head"]
    assert json_of("digest")["title"] == "Ready for AI"
    assert json_of("init", str(workdir / "new.yaml"))["written"].endswith("new.yaml")


def test_nothing_to_claim_exits_3(workdir: Path) -> None:
    assert run("sync", "backlog.json").exit_code == 0
    while run("queue", "claim", "--agent", "greedy").exit_code == 0:
        pass
    assert json_of("queue", "claim", "--agent", "late", code=3) == {"claimed": None}
    result = run("queue", "claim", "--agent", "late")
    assert result.exit_code == 3 and "nothing to claim" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("score", "backlog.json", "999999"),  # no such ticket
        ("triage", "no-such-file.json"),
        ("queue", "heartbeat", "424242", "--agent", "a1"),  # no such entry
        ("rules", "101", "--format", "nope"),
        ("labels", "ensure", "backlog.json"),  # a file source has no labels
        ("digest", "--format", "pdf"),
        ("triage", "github:acme"),  # malformed, said before any token is asked for
    ],
)
def test_bad_input_exits_2_with_one_line(workdir: Path, args: tuple[str, ...]) -> None:
    assert run("sync", "backlog.json").exit_code == 0
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output


def test_a_tracker_that_does_not_answer_exits_1(workdir: Path) -> None:
    (workdir / "cfg.yaml").write_text(
        "sources:\n  - {type: github, name: gh, repo: acme/app, base_url: 'http://127.0.0.1:9'}\n"
    )
    result = runner.invoke(
        app, ["triage", "gh", "-c", str(workdir / "cfg.yaml")], env={"GITHUB_TOKEN": "t"}
    )
    assert result.exit_code == 1, result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"backlog-sync {installed_version()}"
    assert installed_version() != "unknown"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", _commands(typer.main.get_command(app)), ids=" ".join)  # type: ignore[arg-type]
def test_help_shows_no_option_types_after_flags(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout and "BOOLEAN" not in result.stdout


def test_completion_can_be_installed() -> None:
    assert "--install-completion" in run("--help").stdout


@pytest.mark.parametrize(
    ("env", "args", "code", "says"),
    [
        (
            {"BACKLOG_SYNC_DATABASE_URL": "postgresql://me:pa55word@127.0.0.1:1/x"},
            ("queue", "list"),
            1,
            "database: connection failed",
        ),
        ({"BACKLOG_SYNC_DATABASE_URL": "nonsense"}, ("queue", "list"), 2, "not a database URL"),
        ({"BACKLOG_SYNC_DATABASE_URL": "mysql://h/db"}, ("queue", "list"), 2, "unsupported"),
        (
            {"BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS": "{not json"},
            ("queue", "list"),
            2,
            "BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS is not valid JSON",
        ),
        ({}, ("queue", "heartbeat", "9223372036854775808", "--agent", "a"), 2, "entry_id"),
        ({}, ("queue", "claim", "--agent", "a", "--lease", "99999999999999"), 2, "--lease"),
    ],
)
def test_bad_settings_and_huge_numbers_are_one_error_not_a_traceback(
    workdir: Path, env: dict[str, str], args: tuple[str, ...], code: int, says: str
) -> None:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == code, result.output
    assert says in result.stderr
    assert "Traceback" not in result.output and "pa55word" not in result.output
