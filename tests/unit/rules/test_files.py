"""Slugs and write(): files land at their agents' paths and never outside out_dir."""

import re
from pathlib import Path

import pytest

from connectors.base import Ticket
from service.rules import RulesFile, UnsafePathError, render, render_all, ticket_slug, write
from tests.unit.rules.builders import assessment, full_ticket

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_slug_joins_key_and_title() -> None:
    ticket = Ticket(
        source="github:acme/storefront", key="acme/storefront#12", title="Fix cart rounding"
    )
    assert ticket_slug(ticket) == "acme-storefront-12-fix-cart-rounding"


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("#3", "../../etc/passwd"),
        ("../../x", "..\\..\\windows\\system32"),
        ("PROJ-1", "Ünïcödé — 日本語のタイトル " * 20),
        ("PROJ-2", "/" * 50),
        ("", ""),
    ],
)
def test_slug_is_safe_whatever_the_title(key: str, title: str, tmp_path: Path) -> None:
    ticket = Ticket(source="s", key=key, title=title)
    slug = ticket_slug(ticket)
    assert SLUG.match(slug)
    assert len(slug) <= 80

    cursor = render(ticket, assessment(), "cursor")
    assert cursor.path == f".cursor/rules/{slug}.mdc"
    (written,) = write([cursor], tmp_path)
    assert written.parent == (tmp_path / ".cursor" / "rules").resolve()


def test_write_puts_each_file_at_its_conventional_path(tmp_path: Path) -> None:
    files = render_all(full_ticket(), assessment(("src/cart",)))
    written = write(files, tmp_path)
    relative = sorted(str(p.relative_to(tmp_path.resolve())) for p in written)
    slug = ticket_slug(full_ticket())
    assert relative == sorted(
        [
            "AGENTS.md",
            "CLAUDE.md",
            f".cursor/rules/{slug}.mdc",
            f".github/instructions/{slug}.instructions.md",
            ".junie/guidelines.md",
            f".windsurf/rules/{slug}.md",
        ]
    )
    for rules_file in files:
        assert (tmp_path / rules_file.path).read_text(encoding="utf-8") == rules_file.content


@pytest.mark.parametrize(
    "path", ["../escape.md", "docs/../../escape.md", "/tmp/escape.md", "..\\escape.md", ""]
)
def test_write_refuses_paths_that_escape_and_writes_nothing(path: str, tmp_path: Path) -> None:
    out = tmp_path / "repo"
    out.mkdir()
    files = [RulesFile("agents", "AGENTS.md", "ok"), RulesFile("agents", path, "escaped")]
    with pytest.raises(UnsafePathError):
        write(files, out)
    assert list(tmp_path.rglob("*.md")) == []


def test_write_refuses_a_symlink_out_of_the_repository(tmp_path: Path) -> None:
    out = tmp_path / "repo"
    outside = tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / ".cursor").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError):
        write([RulesFile("cursor", ".cursor/rules/x.mdc", "escaped")], out)
    assert list(outside.rglob("*")) == []
