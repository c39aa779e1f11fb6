"""Settings: secrets from the environment, everything else from one YAML file.

Built once at the edge (CLI command, app factory, Alembic) and passed down;
nothing deeper reads the environment. Secrets are `SecretStr`, so they never
print in a repr, a log line or an error message.

This module is a leaf: it imports no other service module. So a section
whose model belongs to a domain below it is kept here as a plain mapping and
validated by its owner at the edge: the scoring `policy:` section, through
`service.runtime.compose.load`, which reports its problems with the rest.
`read_yaml` and `validated` are the one way a YAML file becomes a pydantic
model (the config here, a policy file there), with one error text.

Environment (prefix `BACKLOG_SYNC_`, a `.env` file is read too):
  BACKLOG_SYNC_CONFIG           path of the YAML file (default ./backlog-sync.yaml)
  BACKLOG_SYNC_DATABASE_URL     SQLAlchemy URL (default sqlite:///./backlog-sync.db)
  BACKLOG_SYNC_GITHUB_TOKEN     (or GITHUB_TOKEN) token for GitHub sources
  BACKLOG_SYNC_GITHUB_APP_ID, BACKLOG_SYNC_GITHUB_PRIVATE_KEY   GitHub App auth instead
  BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET
  BACKLOG_SYNC_JIRA_EMAIL, BACKLOG_SYNC_JIRA_API_TOKEN          Jira Cloud
  BACKLOG_SYNC_JIRA_TOKEN                                       Jira Server/DC PAT
  BACKLOG_SYNC_JIRA_WEBHOOK_SECRET
  BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS   JSON object: digest channel name -> its secret
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
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
from pydantic_settings.exceptions import SettingsError

DEFAULT_CONFIG_PATH = Path("backlog-sync.yaml")
DEFAULT_DATABASE_URL = "sqlite:///./backlog-sync.db"

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """Invalid configuration; the message holds one readable line per problem."""


# --- the one YAML-plus-pydantic loader --------------------------------------------


def read_yaml(path: Path) -> Any:
    """The YAML document in `path` (None when it is empty); ConfigError, one line,
    when the file is missing, unreadable, not UTF-8 or not YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}: {where}{problem}") from None


def problems(model: type[BaseModel], data: Any, origin: str, *, prefix: str = "") -> list[str]:
    """One line per problem that validating `data` as `model` finds (none: valid).

    Each line is `ORIGIN: FIELD.PATH: message`; `prefix` names the section
    `data` came from (`policy`) when it is not the whole file."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [
            f"{origin}: {prefix}: expected a mapping"
            if prefix
            else f"{origin}: expected a mapping at the top level"
        ]
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return validation_lines(exc, origin, prefix=prefix)
    return []


def validation_lines(exc: ValidationError, origin: str, *, prefix: str = "") -> list[str]:
    """A pydantic error as one line per problem: `ORIGIN: FIELD.PATH: message`."""
    lines = []
    for err in exc.errors():
        where = ".".join([prefix, *map(str, err["loc"])] if prefix else map(str, err["loc"]))
        lines.append(f"{origin}: {where}: {err['msg']}" if where else f"{origin}: {err['msg']}")
    return lines


def validated(
    model: type[M], data: Any, origin: str, *, error: type[ConfigError] = ConfigError
) -> M:
    """`data` as `model`; `error` with one line per problem when it is not valid."""
    found = problems(model, data, origin)
    if found:
        raise error("\n".join(found))
    return model.model_validate(data or {})


# --- sources ---------------------------------------------------------------------


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


# --- what is written back, and who may call the API ---------------------------------

VerdictName = Literal["ready", "needs-clarity", "too-large", "blocked", "needs-review"]
"""The verdicts' names (`service.scoring.Verdict` values; a test keeps the two equal)."""


class CommentsConfig(_Strict):
    """Comments on the tracker are off unless verdicts are listed here."""

    verdicts: frozenset[VerdictName] = frozenset()


class RulesConfig(_Strict):
    project_rules: Path | None = Field(
        None, description="a Markdown file of the team's own rules, quoted in every rules file"
    )


Scope = Literal["read", "claim", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "claim", "admin")
"""API token scopes: read (tickets, queue, digests), claim (take work), admin (the rest)."""

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


# --- schedules, webhooks, the worker ------------------------------------------------


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


# --- the digest and its channels ----------------------------------------------------


class SlackChannel(_Strict):
    type: Literal["slack"]
    name: str = Field(min_length=1)
    webhook_url: SecretStr | None = Field(
        None, description="the incoming webhook URL; a secret, from the environment"
    )
    timeout_seconds: float = Field(10.0, gt=0)


class EmailChannel(_Strict):
    type: Literal["email"]
    name: str = Field(min_length=1)
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "plain"] = "starttls"
    username: str | None = None
    password: SecretStr | None = Field(None, description="a secret, from the environment")
    sender: str
    recipients: tuple[str, ...] = Field(min_length=1)
    timeout_seconds: float = Field(20.0, gt=0)


class WebhookChannel(_Strict):
    type: Literal["webhook"]
    name: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    secret: SecretStr | None = Field(
        None, description="HMAC-SHA256 signing key; a secret, from the environment"
    )
    timeout_seconds: float = Field(10.0, gt=0)


class FileChannel(_Strict):
    type: Literal["file"]
    name: str = Field(min_length=1)
    directory: Path
    format: Literal["md", "html", "json", "slack"] = "md"


ChannelConfig = Annotated[
    SlackChannel | EmailChannel | WebhookChannel | FileChannel, Field(discriminator="type")
]

CHANNEL_SECRET_FIELDS = {"slack": "webhook_url", "email": "password", "webhook": "secret"}
"""The field of each channel kind that holds its secret (filled from the environment)."""


class RetryPolicy(_Strict):
    """`attempts` counts every try, the first included; waits double from `base_seconds`."""

    attempts: int = Field(3, ge=1, le=10)
    base_seconds: float = Field(2.0, ge=0)
    cap_seconds: float = Field(60.0, ge=0)


class DigestConfig(_Strict):
    """The `digest:` section (channel secrets come from the environment: `with_secrets`)."""

    title: str = Field("Ready for AI", min_length=1, max_length=80)
    batch_size: int = Field(5, ge=0, le=50, description="tickets in today's parallel batch")
    top_ready: int = Field(10, ge=0, le=200, description="ready tickets listed beyond the batch")
    near_ready: int = Field(10, ge=0, le=200, description="near-ready tickets listed")
    list_limit: int = Field(
        25, ge=1, le=1000, description="most tickets listed in the other sections"
    )
    stale_claim_hours: float = Field(48.0, gt=0, description="a claim older than this is stale")
    default_window_hours: float = Field(24.0, gt=0, description="window when none was delivered")
    channels: tuple[ChannelConfig, ...] = ()
    retry: RetryPolicy = RetryPolicy()

    def with_secrets(self, secrets: Mapping[str, SecretStr]) -> DigestConfig:
        """This config with each channel's secret filled from `secrets` (by channel
        name) where the YAML left it empty: the Slack webhook URL, the SMTP
        password, the webhook signing key."""
        channels: list[ChannelConfig] = []
        for channel in self.channels:
            field = CHANNEL_SECRET_FIELDS.get(channel.type)
            if field and getattr(channel, field) is None and channel.name in secrets:
                channel = channel.model_copy(update={field: secrets[channel.name]})
            channels.append(channel)
        return self.model_copy(update={"channels": tuple(channels)})


# --- the file and the settings ------------------------------------------------------


class QueueConfig(_Strict):
    max_unknown_area_in_batch: int = Field(
        1,
        ge=0,
        description="a batch holds at most this many tickets whose code areas are unknown "
        "(they could touch anything, so they are not assumed to conflict with nothing)",
    )


class FileConfig(_Strict):
    """The YAML file's shape. Issues that add features add their sections here."""

    sources: tuple[SourceConfig, ...] = ()
    # the scoring policy (`service.scoring.policy.Policy`), validated at the edge
    policy: dict[str, Any] = Field(default_factory=dict)
    comments: CommentsConfig = CommentsConfig()
    rules: RulesConfig = RulesConfig()
    api: ApiConfig = ApiConfig()
    schedules: SchedulesConfig = SchedulesConfig()
    webhooks: WebhooksConfig = WebhooksConfig()
    worker: WorkerConfig = WorkerConfig()
    digest: DigestConfig = DigestConfig()
    queue: QueueConfig = QueueConfig()
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
    def origin(self) -> str:
        """What problems in the YAML are reported against: the file, or "defaults"."""
        return str(self.config_path) if self.config_path is not None else "defaults"

    def source(self, name: str) -> SourceConfig | None:
        return next((s for s in self.file.sources if s.name == name), None)

    def digest(self) -> DigestConfig:
        """The `digest:` section with the channel secrets of the environment filled in."""
        config = self.file.digest
        secrets = self.secrets.digest_channel_secrets
        return config.with_secrets(dict(secrets)) if secrets else config

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


def parse_file_config(data: Any, origin: str) -> FileConfig:
    """The YAML file's content as a FileConfig; ConfigError, one line per problem."""
    return validated(FileConfig, data, origin)


def read_secrets() -> Secrets:
    """The environment's part of the settings; ConfigError, one line per problem."""
    try:
        return Secrets()
    except ValidationError as exc:
        raise ConfigError("\n".join(validation_lines(exc, "environment"))) from None
    except SettingsError as exc:  # a complex value (a JSON object) that does not parse
        field_name = re.search(r'field "(\w+)"', str(exc))
        name = f"BACKLOG_SYNC_{field_name.group(1).upper()}" if field_name else "a variable"
        raise ConfigError(f"environment: {name} is not valid JSON (expected an object)") from None


def config_file(config_path: Path | None, secrets: Secrets) -> Path | None:
    """The YAML file to read: the one named (argument or BACKLOG_SYNC_CONFIG),
    which must exist, else ./backlog-sync.yaml when it exists, else None."""
    explicit = config_path is not None or secrets.config != DEFAULT_CONFIG_PATH
    path = config_path or secrets.config
    if not path.exists() and not explicit:
        return None
    return path


# Secrets are read from the environment only (README, "Configuration"). A value in the
# YAML that looks like one is refused, naming the key and the variable to use instead.
_CHANNEL_SECRET_FIELDS = {"slack": "webhook_url", "email": "password", "webhook": "secret"}
_SECRET_VALUE = re.compile(
    r"hooks\.slack\.com/(?:services|workflows)/|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}"
    r"|\bgithub_pat_[A-Za-z0-9_]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bglpat-[A-Za-z0-9_-]{16,}"
    r"|\bAKIA[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----|\bATATT[A-Za-z0-9_=-]{20,}"
)
_SECRET_KEY = re.compile(r"(?:^|_)(?:token|password|passwd|secret|api_key|private_key)$", re.I)
_CHANNEL_SECRETS_VAR = "BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS"


def secrets_in_file(data: Any, origin: str) -> list[str]:
    """One line per secret-looking value in the config file's data (none: none).

    A digest channel's webhook URL, password or signing key, a key named like a
    secret (`token`, `password`, ...), or a value shaped like a token (GitHub,
    Slack, GitLab, AWS, Atlassian, a private key). The value is never repeated.
    """
    found: list[str] = []
    reported: set[str] = set()  # the keys already named
    digest = data.get("digest") if isinstance(data, dict) else None
    channels = digest.get("channels") if isinstance(digest, dict) else None
    for index, channel in enumerate(channels if isinstance(channels, list) else ()):
        if not isinstance(channel, dict):
            continue
        field_name = _CHANNEL_SECRET_FIELDS.get(str(channel.get("type")))
        if field_name and channel.get(field_name):
            name = channel.get("name") or index
            reported.add(f"digest.channels.{index}.{field_name}")
            found.append(
                f"{origin}: digest.channels.{index}.{field_name}: a secret does not belong in "
                f"the config file; set it in {_CHANNEL_SECRETS_VAR} "
                f'(JSON by channel name: {{"{name}": "..."}})'
            )

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}.{index}")
        elif isinstance(value, str) and value and where not in reported:
            last = where.rsplit(".", 1)[-1]
            if _SECRET_VALUE.search(value) or _SECRET_KEY.search(last):
                found.append(
                    f"{origin}: {where}: looks like a secret; secrets are read from the "
                    "environment only (BACKLOG_SYNC_GITHUB_TOKEN, BACKLOG_SYNC_JIRA_API_TOKEN, "
                    f"{_CHANNEL_SECRETS_VAR}, ...: see the README)"
                )

    walk(data, "")
    return found


def load_settings(
    config_path: Path | None = None, *, also: Sequence[tuple[str, type[BaseModel]]] = ()
) -> Settings:
    """Read the environment and the YAML file into Settings.

    The file is optional when it is the default path and absent: everything has
    a default. A file named explicitly (argument or BACKLOG_SYNC_CONFIG) must exist.
    `also` names sections of the file (key, model) validated by a model this
    module cannot import (see the module's description); their problems are
    reported with the others. Raises ConfigError with one line per problem."""
    secrets = read_secrets()
    path = config_file(config_path, secrets)
    if path is None:
        return Settings(secrets=secrets, file=FileConfig(), config_path=None)
    data = read_yaml(path)
    found = secrets_in_file(data, str(path))
    if found:  # refused before anything else is said about the file (nor is the value shown)
        raise ConfigError("\n".join(found))
    found = problems(FileConfig, data, str(path))
    for key, model in also:
        section = data.get(key) if isinstance(data, dict) else None
        if section is None or isinstance(section, dict):  # else FileConfig said so
            found += problems(model, section, str(path), prefix=key)
    if found:
        raise ConfigError("\n".join(found))
    return Settings(secrets=secrets, file=FileConfig.model_validate(data or {}), config_path=path)
