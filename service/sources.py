"""Turn a source named on the command line or in the config into a connector.

A source is either the name of a source in the YAML config, or a source string:
`github:OWNER/REPO`, `jira:KEY`, `file:PATH`, or a bare path to an export.
Credentials come from the settings (environment), never from the string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connectors import build_connector, parse_source
from connectors.base import Connector, SourceSpec
from service.config import FileSource, GitHubSource, JiraSource, Settings, SourceConfig


class SourceError(ValueError):
    """A source that cannot be used as given (one line, no secrets)."""


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def _github_options(settings: Settings, config: GitHubSource | None) -> dict[str, Any]:
    s = settings.secrets
    options: dict[str, Any] = {
        "token": _secret(s.github_token),
        "app_id": s.github_app_id,
        "private_key": _secret(s.github_private_key),
        "webhook_secret": _secret(s.github_webhook_secret),
        "approval_label": settings.policy.labels.approved,
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
        "source": f"jira:{config.name}",
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


def connector_for_config(settings: Settings, config: SourceConfig) -> Connector:
    if isinstance(config, FileSource):
        return build_connector(SourceSpec("file", str(config.path)))
    if isinstance(config, GitHubSource):
        spec = SourceSpec("github", config.repo)
        return build_connector(spec, _github_options(settings, config))
    return build_connector(SourceSpec("jira", config.name), _jira_options(settings, config))


def resolve(settings: Settings, text: str) -> Connector:
    """The connector for a source name from the config or a source string."""
    config = settings.source(text)
    if config is not None:
        return connector_for_config(settings, config)
    spec = parse_source(text)
    if spec.kind == "file":
        return build_connector(SourceSpec("file", str(Path(spec.target))))
    if spec.kind == "github":
        return build_connector(spec, _github_options(settings, None))
    # jira:KEY needs a server: look for a configured Jira source for that project
    for source in settings.file.sources:
        if isinstance(source, JiraSource) and source.project == spec.target:
            return connector_for_config(settings, source)
    raise SourceError(
        f"{text}: no Jira source for project {spec.target} in the config "
        "(add one under `sources:` with `type: jira`, `server:` and `project:`)"
    )
