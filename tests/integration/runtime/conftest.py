"""Fixtures of the in-process service (see tests/integration/app_setup.py)."""

import pytest

from tests.integration.app_setup import client, fake_github, settings, shared_data, sqlite_url

__all__ = ["client", "fake_github", "settings", "shared_data", "sqlite_url"]


@pytest.fixture(autouse=True)
def _needs_shared_data(shared_data: None) -> None:
    """These tests read ../shared/data: skip them, with the reason, where it is absent."""
