"""Settings: secrets from the environment, everything else from one YAML file.

Built once at the edge (CLI command, app factory, Alembic) and passed down;
nothing deeper reads the environment. Secrets are `SecretStr`, so they never
print in a repr, a log line or an error message.

Environment (prefix `BACKLOG_SYNC_`, a `.env` file is read too):
  BACKLOG_SYNC_CONFIG           path of the YAML file (default ./backlog-sync.yaml)
  BACKLOG_SYNC_DATABASE_URL     SQLAlchemy URL (default sqlite:///./backlog-sync.db)
  BACKLOG_SYNC_GITHUB_TOKEN     (or GITHUB_TOKEN) token for GitHub sources
  BACKLOG_SYNC_GITHUB_APP_ID, BACKLOG_SYNC_GITHUB_PRIVATE_KEY   GitHub App auth instead
  BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET
  BACKLOG_SYNC_JIRA_EMAIL, BACKLOG_SYNC_JIRA_API_TOKEN          Jira Cloud
  BACKLOG_SYNC_JIRA_TOKEN                                       Jira Server/DC PAT
  BACKLOG_SYNC_JIRA_WEBHOOK_SECRET
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.scoring.policy import Policy, Verdict

DEFAULT_CONFIG_PATH = Path("backlog-sync.yaml")
DEFAULT_DATABASE_URL = "sqlite:///./backlog-sync.db"


class ConfigError(ValueError):
    """Invalid configuration; the message holds one readable line per problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GitHubSource(_Strict):
    type: Literal["github"]
    name: str
    repo: str = Field(pattern=r"^[\w.-]+/[\w.-]+$", description="owner/name")
    base_url: str = "https://api.github.com"
    sync_interval_minutes: int = Field(15, ge=1)


class JiraSource(_Strict):
    type: Literal["jira"]
    name: str
    server: str
    project: str | None = None
    jql: str | None = None
    deployment: Literal["cloud", "server"] = "cloud"
    story_points_field: str | None = None
    blocker_link_types: tuple[str, ...] | None = None
    trusted_groups: tuple[str, ...] = ()
    sync_interval_minutes: int = Field(15, ge=1)


class FileSource(_Strict):
    type: Literal["file"]
    name: str
    path: Path
    sync_interval_minutes: int = Field(15, ge=1)


SourceConfig = Annotated[GitHubSource | JiraSource | FileSource, Field(discriminator="type")]


class CommentsConfig(_Strict):
    """Comments on the tracker are off unless verdicts are listed here."""

    verdicts: frozenset[Verdict] = frozenset()


class RulesConfig(_Strict):
    project_rules: Path | None = Field(
        None, description="a Markdown file of the team's own rules, quoted in every rules file"
    )


class FileConfig(_Strict):
    """The YAML file's shape. Issues that add features add their sections here."""

    sources: tuple[SourceConfig, ...] = ()
    policy: Policy = Policy()
    comments: CommentsConfig = CommentsConfig()
    rules: RulesConfig = RulesConfig()

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: tuple[SourceConfig, ...]) -> tuple[SourceConfig, ...]:
        seen: set[str] = set()
        for source in sources:
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} is used twice")
            seen.add(source.name)
        return sources


class Secrets(BaseSettings):
    """Values that come from the environment only."""

    model_config = SettingsConfigDict(
        env_prefix="BACKLOG_SYNC_", env_file=".env", extra="ignore", frozen=True
    )

    config: Path = DEFAULT_CONFIG_PATH
    database_url: str = DEFAULT_DATABASE_URL
    github_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("BACKLOG_SYNC_GITHUB_TOKEN", "GITHUB_TOKEN")
    )
    github_app_id: str | None = None
    github_private_key: SecretStr | None = None
    github_webhook_secret: SecretStr | None = None
    jira_email: str | None = None
    jira_api_token: SecretStr | None = None
    jira_token: SecretStr | None = None
    jira_webhook_secret: SecretStr | None = None


class Settings(_Strict):
    """Everything a command, the app or a job needs, built once at the edge."""

    secrets: Secrets
    file: FileConfig
    config_path: Path | None  # None when no file was found and defaults apply

    @property
    def database_url(self) -> str:
        return self.secrets.database_url

    @property
    def policy(self) -> Policy:
        return self.file.policy

    def source(self, name: str) -> SourceConfig | None:
        return next((s for s in self.file.sources if s.name == name), None)


def _problems(exc: ValidationError, origin: str) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        lines.append(f"{origin}: {where}: {err['msg']}" if where else f"{origin}: {err['msg']}")
    return "\n".join(lines)


def parse_file_config(data: Any, origin: str) -> FileConfig:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level")
    try:
        return FileConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_problems(exc, origin)) from None


def load_settings(config_path: Path | None = None) -> Settings:
    """Read the environment (or `env`) and the YAML file into Settings.

    The file is optional when it is the default path and absent: everything has
    a default. A file named explicitly (argument or BACKLOG_SYNC_CONFIG) must exist.
    Raises ConfigError with one line per problem.
    """
    try:
        secrets = Secrets()
    except ValidationError as exc:
        raise ConfigError(_problems(exc, "environment")) from None
    explicit = config_path is not None or secrets.config != DEFAULT_CONFIG_PATH
    path = config_path or secrets.config
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: config file not found")
        return Settings(secrets=secrets, file=FileConfig(), config_path=None)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}: {where}{problem}") from None
    return Settings(secrets=secrets, file=parse_file_config(data, str(path)), config_path=path)

