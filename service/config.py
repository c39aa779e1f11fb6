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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.cron import CronTrigger
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

from service.digest import DigestConfig
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
    min_seconds_between_writes: float = Field(
        1.0,
        ge=0,
        description=(
            "pause between write requests (labels, comments) to this source; GitHub asks "
            "integrations to leave at least 1 s between writes to avoid secondary rate "
            "limits, so keep 1.0 for api.github.com; 0 only for a fake or a private server"
        ),
    )


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


Scope = Literal["read", "claim", "admin"]
TrackerKind = Literal["github", "jira"]


class ApiToken(_Strict):
    """A bearer token, stored as the sha256 hex digest of the token itself."""

    name: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="sha256 hex of the token")
    scopes: frozenset[Scope] = frozenset({"read"})


class ApiConfig(_Strict):
    tokens: tuple[ApiToken, ...] = ()

    @field_validator("tokens")
    @classmethod
    def _unique_tokens(cls, tokens: tuple[ApiToken, ...]) -> tuple[ApiToken, ...]:
        names: set[str] = set()
        digests: set[str] = set()
        for token in tokens:
            if token.name in names:
                raise ValueError(f"token name {token.name!r} is used twice")
            if token.sha256.lower() in digests:
                raise ValueError(f"token {token.name!r} has the same sha256 as another token")
            names.add(token.name)
            digests.add(token.sha256.lower())
        return tokens


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None
    return name


def _check_cron(expression: str) -> str:
    if len(expression.split()) != 5:
        raise ValueError(f"cron {expression!r}: expected 5 fields (minute hour day month weekday)")
    try:
        CronTrigger.from_crontab(expression, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"cron {expression!r}: {exc}") from None
    return expression


class DigestSchedule(_Strict):
    enabled: bool = True
    cron: str = "0 8 * * 1-5"
    timezone: str = "UTC"

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        return _check_cron(value)

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        return _check_timezone(value)


class SchedulesConfig(_Strict):
    """Sync intervals are per source (`sync_interval_minutes`); the digest is a cron."""

    sync_enabled: bool = True
    digest: DigestSchedule = DigestSchedule()


class WebhooksConfig(_Strict):
    routes: frozenset[TrackerKind] | None = Field(
        None, description="enabled webhook routes; default: every tracker kind with a source"
    )
    max_bytes: int = Field(5 * 1024 * 1024, ge=1024)


class WorkerConfig(_Strict):
    lease_seconds: float = Field(60.0, gt=0)
    poll_seconds: float = Field(2.0, gt=0)
    max_attempts: int = Field(5, ge=1)
    retry_base_seconds: float = Field(2.0, ge=0)
    retry_cap_seconds: float = Field(300.0, ge=0)
    batch_size: int = Field(20, ge=1)


class FileConfig(_Strict):
    """The YAML file's shape. Issues that add features add their sections here."""

    sources: tuple[SourceConfig, ...] = ()
    policy: Policy = Policy()
    comments: CommentsConfig = CommentsConfig()
    rules: RulesConfig = RulesConfig()
    api: ApiConfig = ApiConfig()
    schedules: SchedulesConfig = SchedulesConfig()
    webhooks: WebhooksConfig = WebhooksConfig()
    worker: WorkerConfig = WorkerConfig()
    digest: DigestConfig = DigestConfig()
    allow_unsigned_webhooks: bool = False
    metrics_public: bool = True

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
    # may carry a password: kept out of repr (messages use db.safe_url)
    database_url: str = Field(DEFAULT_DATABASE_URL, repr=False)
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
    # digest channel secrets by channel name: Slack webhook URL, SMTP password, webhook key
    digest_channel_secrets: dict[str, SecretStr] = Field(default_factory=dict)


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

    def webhook_routes(self) -> frozenset[str]:
        """The tracker kinds whose webhook route is enabled."""
        if self.file.webhooks.routes is not None:
            return frozenset(self.file.webhooks.routes)
        return frozenset(s.type for s in self.file.sources if s.type in ("github", "jira"))

    def webhook_secret(self, kind: str) -> SecretStr | None:
        """The signing secret of a tracker kind's webhooks, if one is set."""
        if kind == "github":
            return self.secrets.github_webhook_secret
        if kind == "jira":
            return self.secrets.jira_webhook_secret
        return None

    def unsigned_webhook_routes(self) -> list[str]:
        """Enabled webhook routes that have no secret to check signatures with."""
        return sorted(k for k in self.webhook_routes() if not self.webhook_secret(k))

    def check_webhook_secrets(self) -> None:
        """Refuse a webhook route without a secret, unless unsigned webhooks are allowed."""
        missing = self.unsigned_webhook_routes()
        if missing and not self.file.allow_unsigned_webhooks:
            raise ConfigError(
                "\n".join(
                    f"webhooks: the {kind} route is enabled but "
                    f"BACKLOG_SYNC_{kind.upper()}_WEBHOOK_SECRET is not set "
                    "(set it, disable the route under webhooks.routes, or set "
                    "allow_unsigned_webhooks: true for local development)"
                    for kind in missing
                )
            )


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


EXAMPLE_CONFIG = """\
# backlog-sync configuration. Secrets never go here: they come from the
# environment (BACKLOG_SYNC_GITHUB_TOKEN, BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET,
# BACKLOG_SYNC_JIRA_API_TOKEN, BACKLOG_SYNC_DATABASE_URL, ...).

sources:
  - type: github
    name: web                      # the name used in the API and CLI
    repo: acme/web                 # owner/name
    sync_interval_minutes: 15      # scheduled sync (webhooks triage in between)
  # - type: jira
  #   name: platform
  #   server: https://acme.atlassian.net
  #   project: PLAT
  #   story_points_field: customfield_10016

policy:
  ready_threshold: 70              # overall score at or above which a ticket is ready
  clarity_threshold: 60
  target_hours: 6
  labels:                          # the managed labels; only these are added or removed
    ready: "ai:ready"
    needs_clarity: "ai:needs-clarity"
    too_large: "ai:too-large"
    blocked: "ai:blocked"
    needs_review: "ai:needs-review"
    skip: "ai:skip"                # tickets carrying it are never touched
    approved: "ai:approved"        # vouches for an outside author's ticket

schedules:
  sync_enabled: true
  digest:                          # the daily ready-for-AI digest
    cron: "0 8 * * 1-5"            # minute hour day month weekday
    timezone: UTC                  # an IANA name, e.g. Europe/Berlin

api:
  tokens:                          # bearer tokens, stored as sha256 hex of the token:
    # printf %s "$TOKEN" | sha256sum
    - name: lead
      sha256: "0000000000000000000000000000000000000000000000000000000000000000"
      # read: tickets and queue; claim: take work; admin: rescore, sync, deliveries
      scopes: [read, claim, admin]

metrics_public: true               # false: /metrics needs a token with the read scope

webhooks:
  # routes: [github, jira]         # default: every tracker kind that has a source
  max_bytes: 5242880               # larger deliveries get 413

# A webhook route without its secret is refused at start; true lets unsigned
# deliveries in, for local development only.
allow_unsigned_webhooks: false

worker:                            # drains the webhook inbox
  lease_seconds: 60                # a delivery held longer by a dead worker is taken again
  poll_seconds: 2                  # other replicas' deliveries are picked up this often
  max_attempts: 5                  # then the delivery is marked failed
  retry_base_seconds: 2

comments:                          # one comment per ticket listing what is missing
  verdicts: []                     # off by default; e.g. [needs-clarity, too-large]

rules: {}
  # project_rules: docs/agent-rules.md   # the team's own rules, quoted in every rules file

digest:
  batch_size: 5                    # tickets in today's suggested parallel batch
  stale_claim_hours: 48
  channels: []                     # secrets by channel name in BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS
  # - {type: slack, name: team-slack}
  # - {type: email, name: leads, host: smtp.acme.com, port: 587, security: starttls,
  #    username: bot, sender: bot@acme.com, recipients: [lead@acme.com]}
  # - {type: webhook, name: ops, url: "https://ops.acme.com/hooks/backlog"}
  # - {type: file, name: archive, directory: ./digests, format: html}
"""


def example_config() -> str:
    """A commented example of the YAML file (what `backlog-sync init` writes)."""
    return EXAMPLE_CONFIG
