"""The team's own AGENTS.md, CLAUDE.md and .junie/guidelines.md are never overwritten:
the brief gets its own file and the team's file one line, taken out again later."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.rules import UnsafePathError, place, remove_references, render, ticket_slug, write
from service.rules.files import with_line, without_line
from tests.unit.rules.builders import assessment, full_ticket

TEAM_TEXT = b"# Our rules\r\n\nUse tabs.\n- no trailing newline at the end"
SLUG = ticket_slug(full_ticket())
BRIEF = f".backlog-sync/{SLUG}.md"
LINES = {
    "agents": ("AGENTS.md", f"See {BRIEF} for the current task (added by backlog-sync)."),
    "claude": ("CLAUDE.md", f"@{BRIEF}"),
    "junie": (
        ".junie/guidelines.md",
        f"See [the current task](../{BRIEF}) (added by backlog-sync).",
    ),
}


def team_file(repo: Path, path: str, data: bytes = TEAM_TEXT) -> Path:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


@pytest.mark.parametrize("fmt", sorted(LINES))
def test_the_team_file_gets_one_line_and_the_brief_its_own_file(fmt: str, tmp_path: Path) -> None:
    path, line = LINES[fmt]
    team = team_file(tmp_path, path)
    rendered = render(full_ticket(), assessment(("src/cart",)), fmt)

    (placement,) = place([rendered], tmp_path)

    assert placement.path == BRIEF and placement.reference == path
    assert (tmp_path / BRIEF).read_text(encoding="utf-8") == rendered.content
    assert team.read_bytes() == line.encode() + b"\n" + TEAM_TEXT
    assert placement.line == line


@pytest.mark.parametrize("fmt", sorted(LINES))
def test_writing_twice_adds_the_line_once(fmt: str, tmp_path: Path) -> None:
    path, line = LINES[fmt]
    team = team_file(tmp_path, path)
    rendered = render(full_ticket(), assessment(), fmt)
    write([rendered], tmp_path)
    write([rendered], tmp_path)
    assert team.read_bytes().count(line.encode()) == 1
    assert team.read_bytes() == line.encode() + b"\n" + TEAM_TEXT


@pytest.mark.parametrize("fmt", sorted(LINES))
def test_removing_the_reference_restores_the_team_file_exactly(fmt: str, tmp_path: Path) -> None:
    path, _ = LINES[fmt]
    team = team_file(tmp_path, path)
    write([render(full_ticket(), assessment(), fmt)], tmp_path)
    assert team.read_bytes() != TEAM_TEXT

    assert remove_references(tmp_path, [BRIEF]) == [team.resolve()]
    assert team.read_bytes() == TEAM_TEXT
    assert remove_references(tmp_path, [BRIEF]) == []  # nothing left to remove


def test_a_file_we_wrote_earlier_is_overwritten(tmp_path: Path) -> None:
    earlier = render(full_ticket(), assessment(), "claude")
    write([earlier], tmp_path)
    again = render(full_ticket(), assessment(("src/cart",)), "claude")
    (placement,) = place([again], tmp_path)
    assert placement.reference is None and placement.path == "CLAUDE.md"
    assert (tmp_path / "CLAUDE.md").read_text(encoding="utf-8") == again.content
    assert not (tmp_path / ".backlog-sync").exists()


def test_every_format_at_once_shares_one_brief(tmp_path: Path) -> None:
    for path, _ in LINES.values():
        team_file(tmp_path, path)
    files = [render(full_ticket(), assessment(), fmt) for fmt in sorted(LINES)]
    placed = place(files, tmp_path)
    assert {p.path for p in placed} == {BRIEF}
    for path, line in LINES.values():
        assert (tmp_path / path).read_bytes() == line.encode() + b"\n" + TEAM_TEXT
    remove_references(tmp_path, [BRIEF])
    for path, _ in LINES.values():
        assert (tmp_path / path).read_bytes() == TEAM_TEXT


@pytest.mark.parametrize("fmt", ["cursor", "copilot", "windsurf"])
def test_per_ticket_formats_are_written_as_before(fmt: str, tmp_path: Path) -> None:
    for path, _ in LINES.values():
        team_file(tmp_path, path)
    rendered = render(full_ticket(), assessment(), fmt)
    (placement,) = place([rendered], tmp_path)
    assert placement.path == rendered.path and placement.reference is None
    assert (tmp_path / rendered.path).read_text(encoding="utf-8") == rendered.content
    for path, _ in LINES.values():
        assert (tmp_path / path).read_bytes() == TEAM_TEXT
    assert not (tmp_path / ".backlog-sync").exists()


def test_a_brief_directory_linked_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    team = team_file(repo, "CLAUDE.md")
    (repo / ".backlog-sync").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError):
        write([render(full_ticket(), assessment(), "claude")], repo)
    assert list(outside.iterdir()) == []
    assert team.read_bytes() == TEAM_TEXT  # nothing was written


def test_a_team_file_linked_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    theirs = team_file(outside, "AGENTS.md")
    (repo / "AGENTS.md").symlink_to(theirs)
    with pytest.raises(UnsafePathError):
        write([render(full_ticket(), assessment(), "agents")], repo)
    with pytest.raises(UnsafePathError):
        remove_references(repo, [BRIEF])
    assert theirs.read_bytes() == TEAM_TEXT
    assert not (repo / ".backlog-sync").exists()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"one line",
        b"a\nb\n",
        b"a\r\nb\r\n",
        b"\xef\xbb\xbfwith a BOM\n",
        b"\xff\xfe not utf-8",
    ],
)
def test_adding_then_removing_a_line_gives_back_the_same_bytes(data: bytes) -> None:
    line = "@.backlog-sync/x.md"
    added = with_line(data, line)
    assert with_line(added, line) == added
    assert without_line(added, line) == data
