"""Where tickets come from: the connector for a source named on the command
line or in the config, and the connectors of the configured sources.

A source is either the name of a source in the YAML config, or a source string:
`github:OWNER/REPO`, `jira:KEY`, `file:PATH`, or a bare path to an export.
Credentials come from the settings (environment), never from the string.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from connectors import build_connector, parse_source
from connectors.base import CallObserver, Connector, SourceSpec
from service.config import FileSource, GitHubSource, JiraSource, Settings, SourceConfig
from service.scoring import Policy
from service.tickets import store


class SourceError(ValueError):
    """A source that cannot be used as given (one line, no secrets)."""


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def _github_options(
    settings: Settings, policy: Policy, config: GitHubSource | None
) -> dict[str, Any]:
    s = settings.secrets
    options: dict[str, Any] = {
        "token": _secret(s.github_token),
        "app_id": s.github_app_id,
        "private_key": _secret(s.github_private_key),
        "webhook_secret": _secret(s.github_webhook_secret),
        "approval_label": policy.labels.approved,
    }
    if config is not None:
        options["base_url"] = config.base_url
        options["seconds_between_writes"] = config.min_seconds_between_writes
    if not options["token"] and not (options["app_id"] and options["private_key"]):
        raise SourceError(
            "GitHub source needs BACKLOG_SYNC_GITHUB_TOKEN (or GITHUB_TOKEN), or "
            "BACKLOG_SYNC_GITHUB_APP_ID with BACKLOG_SYNC_GITHUB_PRIVATE_KEY"
        )
    return options


def _jira_options(settings: Settings, config: JiraSource) -> dict[str, Any]:
    s = settings.secrets
    options: dict[str, Any] = {
        "server": config.server,
        "source": config.name,
        "project": config.project,
        "jql": config.jql,
        "email": s.jira_email,
        "api_token": _secret(s.jira_api_token),
        "token": _secret(s.jira_token),
        "webhook_secret": _secret(s.jira_webhook_secret),
        "story_points_field": config.story_points_field,
        "trusted_groups": config.trusted_groups,
    }
    if config.blocker_link_types is not None:
        options["blocker_link_types"] = config.blocker_link_types
    if not options["token"] and not (options["email"] and options["api_token"]):
        raise SourceError(
            "Jira source needs BACKLOG_SYNC_JIRA_EMAIL with BACKLOG_SYNC_JIRA_API_TOKEN "
            "(Cloud) or BACKLOG_SYNC_JIRA_TOKEN (Server/Data Center)"
        )
    return options


def connector_for_config(
    settings: Settings,
    policy: Policy,
    config: SourceConfig,
    *,
    observer: CallObserver | None = None,
) -> Connector:
    """The connector of a configured source; its tickets are stored under the
    source's configured name (`config.name`), the name every answer gives."""
    if isinstance(config, FileSource):
        return build_connector(SourceSpec("file", str(config.path)), {"source": config.name})
    watched = {"observer": observer} if observer is not None else {}
    if isinstance(config, GitHubSource):
        spec = SourceSpec("github", config.repo)
        options = {**_github_options(settings, policy, config), **watched, "source": config.name}
        return build_connector(spec, options)
    options = {**_jira_options(settings, config), **watched}
    return build_connector(SourceSpec("jira", config.name), options)


def legacy_name(config: SourceConfig) -> str:
    """The name a configured source's tickets were stored under before they took
    the configured name (`file:PATH`, `github:OWNER/REPO`, `jira:NAME`)."""
    if isinstance(config, FileSource):
        return f"file:{config.path}"
    if isinstance(config, GitHubSource):
        return f"github:{config.repo}"
    return f"jira:{config.name}"


def configured_for(settings: Settings, spec: SourceSpec) -> SourceConfig | None:
    """The configured source a source string names (the same repository or file),
    so that a tracker's tickets are stored under one name however they are asked for."""
    for config in settings.file.sources:
        same_repo = (
            spec.kind == "github"
            and isinstance(config, GitHubSource)
            and config.repo.lower() == spec.target.lower()
        )
        same_file = (
            spec.kind == "file"
            and isinstance(config, FileSource)
            and Path(spec.target).resolve() == config.path.resolve()
        )
        if same_repo or same_file:
            return config
    return None


def resolve(settings: Settings, policy: Policy, text: str) -> Connector:
    """The connector for a source name from the config or a source string."""
    config = settings.source(text)
    if config is not None:
        return connector_for_config(settings, policy, config)
    spec = parse_source(text)
    config = configured_for(settings, spec)
    if config is not None:
        return connector_for_config(settings, policy, config)
    if spec.kind == "file":
        return build_connector(SourceSpec("file", str(Path(spec.target))))
    if spec.kind == "github":
        return build_connector(spec, _github_options(settings, policy, None))
    # jira:KEY needs a server: look for a configured Jira source for that project
    for source in settings.file.sources:
        if isinstance(source, JiraSource) and source.project == spec.target:
            return connector_for_config(settings, policy, source)
    raise SourceError(
        f"{text}: no Jira source for project {spec.target} in the config "
        "(add one under `sources:` with `type: jira`, `server:` and `project:`)"
    )


class SourceConnectors:
    """The connector of each configured source, built on first use and kept.

    Built connectors are kept per thread: PyGithub's client keeps one
    persistent connection and sets a request's method and URL on it before
    sending, so two threads sharing one client can send each other's requests
    (a label write landing on the wrong issue). A connector given with `put`
    is shared by every thread.
    """

    def __init__(
        self, settings: Settings, policy: Policy, *, observer: CallObserver | None = None
    ) -> None:
        self._settings = settings
        self._policy = policy
        self._observer = observer  # told of every tracker call (the service's metrics)
        self._given: dict[str, Connector] = {}
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def configs(self) -> tuple[SourceConfig, ...]:
        return self._settings.file.sources

    def config(self, name: str) -> SourceConfig | None:
        return self._settings.source(name)

    def get(self, name: str) -> Connector:
        """The connector of the configured source `name` (SourceError without credentials)."""
        with self._lock:
            given = self._given.get(name)
        if given is not None:
            return given
        built: dict[str, Connector] | None = getattr(self._local, "built", None)
        if built is None:
            built = self._local.built = {}
        connector = built.get(name)
        if connector is None:
            config = self._settings.source(name)
            if config is None:
                raise KeyError(name)
            connector = connector_for_config(
                self._settings, self._policy, config, observer=self._observer
            )
            built[name] = connector
        return connector

    def put(self, name: str, connector: Connector) -> None:
        """Use `connector` for source `name` in every thread (tests, or built elsewhere)."""
        with self._lock:
            self._given[name] = connector

    def of_kind(self, kind: str) -> list[SourceConfig]:
        return [s for s in self._settings.file.sources if s.type == kind]

    def stored_name(self, name: str) -> str:
        """The name tickets of configured source `name` are stored under."""
        return self.get(name).source

    def for_stored(self, stored: str) -> Connector | None:
        """The connector of the configured source whose tickets are stored under
        `stored`; None when no usable source is configured for it."""
        if self.config(stored) is None:  # configured sources are stored under their name
            return None
        try:
            return self.get(stored)
        except SourceError:  # its credentials are missing: it cannot be written to
            return None

    def full_key(self, name: str, key: str) -> str:
        """A key as stored, from the short forms people write: for a GitHub
        source, `12` and `#12` are `OWNER/REPO#12`."""
        config = self.config(name)
        bare = key.lstrip("#")
        if isinstance(config, GitHubSource) and bare.isdigit():
            return f"{config.repo}#{bare}"
        return key


class AmbiguousKeyError(LookupError):
    """A short key that matches tickets of several sources or repositories."""


def locate_ticket(
    session: Session, sources: SourceConnectors, source: str, key: str
) -> tuple[str, str]:
    """(stored source name, full key) of the ticket a person or an agent names as
    `source` (a configured name, or a stored one such as `github:acme/web`) and
    `key` in any of the one key syntax's forms (`12`, `#12`, `acme/web#12`,
    `PROJ-7`). AmbiguousKeyError when the key matches several stored tickets;
    a key that matches none comes back as written (full form), for the caller
    to report as not stored. SourceError for a configured source that cannot be
    used (its credentials are missing)."""
    name = sources.stored_name(source) if sources.config(source) is not None else source
    matches = store.find_keys(session, key, source=name)
    if len(matches) > 1:
        found = ", ".join(k for _, k in matches)
        raise AmbiguousKeyError(f"{source} {key}: matches several tickets ({found})")
    return name, matches[0][1] if matches else sources.full_key(source, key)
