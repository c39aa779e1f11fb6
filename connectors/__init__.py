"""Tracker adapters: GitHub Issues, Jira, offline exports. They know trackers,
and nothing of scoring or storage; `registry` builds the connector for a source."""

from connectors.registry import (
    KINDS,
    UnknownSourceError,
    build_connector,
    parse_source,
    verify_webhook,
)

__all__ = ["KINDS", "UnknownSourceError", "build_connector", "parse_source", "verify_webhook"]
