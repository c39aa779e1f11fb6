"""Connector registry: parse a source string, build its connector, verify a webhook.

Connectors know trackers, not the service: the caller (service/tickets/sources.py)
turns its configuration into the plain keyword arguments given here. The
trackers' modules are imported when first needed, so reading `connectors.base`
does not load PyGithub or python-jira.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from connectors.base import Connector, SourceSpec

KINDS = ("github", "jira", "file")


class UnknownSourceError(ValueError):
    """A source string that names no known kind of source."""


_FORMS = {"github": "github:OWNER/REPO", "jira": "jira:KEY", "file": "file:PATH"}
_GITHUB_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_JIRA_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,254}")


def parse_source(text: str) -> SourceSpec:
    """`github:owner/repo`, `jira:KEY`, `file:PATH`, or a bare path to a file.

    UnknownSourceError, with the form expected, for a kind without its target
    (`github:`) or with a malformed one (`github:acme`)."""
    kind, sep, target = text.partition(":")
    if sep and kind in KINDS:
        if not target:
            raise UnknownSourceError(
                f"{text}: the {kind} source names nothing (use {_FORMS[kind]})"
            )
        if kind == "github" and not _GITHUB_REPO.fullmatch(target):
            raise UnknownSourceError(
                f"{text}: malformed GitHub repository {target!r} (use github:OWNER/REPO)"
            )
        if kind == "jira" and not _JIRA_KEY.fullmatch(target):
            raise UnknownSourceError(
                f"{text}: malformed Jira project key {target!r} (use jira:KEY)"
            )
        return SourceSpec(kind=kind, target=target)
    if sep and len(kind) > 1 and kind.isalpha() and not Path(text).exists():
        raise UnknownSourceError(
            f"{text}: unknown source kind {kind!r} (use github:OWNER/REPO, jira:KEY or file:PATH)"
        )
    return SourceSpec(kind="file", target=text)


def build_connector(spec: SourceSpec, options: Mapping[str, Any] | None = None) -> Connector:
    """Build the connector for `spec`; `options` are its keyword arguments (credentials...)."""
    options = dict(options or {})
    if spec.kind == "file":
        from connectors.files import FileConnector

        return FileConnector(
            Path(spec.target),
            source=options.get("source") or spec.name,
            story_points_field=options.get("story_points_field"),
        )
    if spec.kind == "github":
        from connectors.github import GitHubConnector

        return GitHubConnector(repo=spec.target, **options)
    if spec.kind == "jira":
        from connectors.jira import JiraConnector

        return JiraConnector(**options)
    raise UnknownSourceError(f"unknown source kind {spec.kind!r}")


def verify_webhook(kind: str, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether a `kind` tracker's delivery is signed with `secret` (its own header).

    GitHub signs in `X-Hub-Signature-256`, Jira in `X-Hub-Signature`, both
    `sha256=<hex>` (`connectors.signing`); headers match in any case. The
    connectors' own `verify_webhook` runs the same functions.
    """
    if kind == "github":
        from connectors.github import webhook as github_webhook

        return github_webhook.verify(secret, headers, body)
    if kind == "jira":
        from connectors.jira import webhook as jira_webhook

        return jira_webhook.verify(secret, headers, body)
    raise UnknownSourceError(f"no webhooks from source kind {kind!r}")
