"""Branch and directory names from a ticket: slugs only, short, whatever the ticket says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.workspaces import branch_name, default_workdir, key_slug

BRANCH = re.compile(r"^ai/[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("key", "title", "branch"),
    [
        ("acme/web#12", "Fix login", "ai/12-fix-login"),
        ("PROJ-7", "Add CSV export", "ai/proj-7-add-csv-export"),
        ("#3", "", "ai/3"),
        (
            "acme/web#12",
            "Cache product search results in the storefront service",
            ("ai/12-cache-product-search-results-in-the"),
        ),
    ],
)
def test_branch_names_join_the_key_and_the_title(key: str, title: str, branch: str) -> None:
    assert branch_name(key, title) == branch


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("acme/web#12", "../../etc/passwd; rm -rf / `whoami` $(id)"),
        ("a/b#1", "refs/heads/main..HEAD@{1}~^:?*[\\"),
        ("x#", "Ünïcödé — 日本語のタイトル " * 10),
        ("", "-leading dash --force"),
        ("../../../", "\x00\x1b[31m"),
    ],
)
def test_names_are_slugs_whatever_the_ticket_says(key: str, title: str) -> None:
    branch = branch_name(key, title)
    assert BRANCH.match(branch), branch
    assert len(branch) <= 3 + 30 + 1 + 40
    slug = key_slug(key)
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    workdir = default_workdir(Path("/src/storefront"), key)
    assert workdir.parent == Path("/src") and workdir.name == f"storefront-{slug}"
