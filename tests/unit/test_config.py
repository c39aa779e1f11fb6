"""Settings: the example config is valid; bad config reads as one line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
import yaml
from typer.testing import CliRunner

from service.cli import app
from service.cli.service import example_config
from service.config import ConfigError, VerdictName, parse_file_config
from service.runtime.compose import load
from service.scoring import Policy, Verdict

runner = CliRunner()


def test_example_config_is_valid_and_names_every_section() -> None:
    data = yaml.safe_load(example_config())
    config = parse_file_config(data, "example")
    assert config.sources and config.sources[0].type == "github"
    assert {"sources", "policy", "schedules", "api", "comments", "rules", "digest"} <= set(data)


def test_invalid_config_gives_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "backlog-sync.yaml"
    path.write_text(
        "sources:\n"
        "  - {type: github, name: web, repo: not-a-repo}\n"
        "policy:\n"
        "  ready_threshold: 150\n"
        "colour: blue\n"
    )
    with pytest.raises(ConfigError) as raised:
        load(path)
    lines = str(raised.value).splitlines()
    assert len(lines) == 3
    assert all(line.startswith(str(path)) for line in lines)
    joined = "\n".join(lines)
    assert "repo" in joined and "ready_threshold" in joined and "colour" in joined


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "backlog-sync.yaml"
    path.write_text("policy:\n  ready_threshold: [70\n")
    with pytest.raises(ConfigError, match=r"line \d+"):
        load(path)


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path / "missing.yaml")


def test_secrets_never_show_in_settings_repr(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKLOG_SYNC_GITHUB_TOKEN", "ghp_supersecret")
    monkeypatch.setenv("BACKLOG_SYNC_JIRA_API_TOKEN", "jira-supersecret")
    monkeypatch.setenv("BACKLOG_SYNC_DATABASE_URL", "postgresql://app:pg-supersecret@db/app")
    settings, _ = load()
    assert settings.secrets.github_token is not None
    assert settings.database_url.endswith("@db/app")
    for secret in ("ghp_supersecret", "jira-supersecret", "pg-supersecret"):
        assert secret not in repr(settings) and secret not in str(settings)


def test_init_writes_the_example_and_keeps_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "backlog-sync.yaml"
    first = runner.invoke(app, ["init", str(target)])
    assert first.exit_code == 0, first.output
    assert target.read_text() == example_config()
    target.write_text("# mine\n")
    second = runner.invoke(app, ["init", str(target)])
    assert second.exit_code == 2
    assert "already exists" in second.stderr
    assert target.read_text() == "# mine\n"


def test_invalid_config_on_the_command_line_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("policy: {weights: {size: -1}}\n")
    result = runner.invoke(app, ["triage", "whatever.json", "--config", str(path)])
    assert result.exit_code == 2
    assert "weights.size" in result.stderr
    assert "Traceback" not in result.output


def test_the_config_names_the_same_verdicts_as_the_scorer() -> None:
    assert set(get_args(VerdictName)) == {str(v) for v in Verdict}


def test_the_example_config_holds_a_valid_policy() -> None:
    data = yaml.safe_load(example_config())
    assert Policy.model_validate(data["policy"]).ready_threshold == 70


@pytest.mark.parametrize(
    ("yaml_text", "where", "says"),
    [
        (
            "digest:\n  channels:\n    - {type: slack, name: team,"
            ' webhook_url: "https://hooks.slack.com/services/T0/B0/xyz"}\n',
            "digest.channels.0.webhook_url",
            'BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS (JSON by channel name: {"team": "..."})',
        ),
        (
            "digest:\n  channels:\n    - {type: email, name: mail, host: smtp.x, sender: a@x,"
            " recipients: [b@x], password: hunter2}\n",
            "digest.channels.0.password",
            "BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS",
        ),
        (
            "sources:\n  - {type: github, name: gh, repo: a/b,"
            ' token: "ghp_abcdefghijklmnopqrstuvwxyz0123"}\n',
            "sources.0.token",
            "read from the environment only",
        ),
        (
            'rules:\n  project_rules: "xoxb-1234567890-abcdefghij"\n',
            "rules.project_rules",
            "read from the environment only",
        ),
    ],
)
def test_a_secret_in_the_config_file_is_refused_in_one_line(
    tmp_path: Path, yaml_text: str, where: str, says: str
) -> None:
    path = tmp_path / "backlog-sync.yaml"
    path.write_text(yaml_text)
    result = runner.invoke(app, ["triage", "examples.json", "-c", str(path)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and where in line and says in line
    for secret in ("hooks.slack.com", "hunter2", "ghp_abc", "xoxb-"):
        assert secret not in line
