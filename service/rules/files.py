"""Write rendered rules files into a repository checkout, never outside it, and
never over the team's own rules.

`AGENTS.md`, `CLAUDE.md` and `.junie/guidelines.md` are often the team's own
files. When one of them exists and was not written by us (every file we
render without frontmatter starts with GENERATED_HEADING), the ticket's brief
goes into its own file, `.backlog-sync/<ticket-slug>.md`, and the team's file
gets one line at the top that points to it:

| team file              | the line added                                                      |
|------------------------|---------------------------------------------------------------------|
| `CLAUDE.md`            | `@.backlog-sync/<slug>.md` (a Claude Code import)                   |
| `AGENTS.md`            | `See .backlog-sync/<slug>.md for the current task (added by ...).`  |
| `.junie/guidelines.md` | `See [the current task](../.backlog-sync/<slug>.md) (added by ...).`|

The line is added once, and `remove_references` takes it out again, leaving
the team's file byte for byte as it was. A file we wrote earlier is overwritten.
Cursor, Copilot and Windsurf read one file per ticket: those are written as
they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from service.rules.render import RulesFile

BRIEF_DIR = ".backlog-sync"
GENERATED_HEADING = b"# Task for ticket "
"""How every rules file we render without frontmatter begins (`templates/_task.md.j2`)."""

_BOM = b"\xef\xbb\xbf"


def _claude_line(brief: str) -> str:
    return f"@{brief}"


def _agents_line(brief: str) -> str:
    return f"See {brief} for the current task (added by backlog-sync)."


def _junie_line(brief: str) -> str:
    return f"See [the current task](../{brief}) (added by backlog-sync)."


TEAM_FILES: dict[str, Callable[[str], str]] = {
    "AGENTS.md": _agents_line,
    "CLAUDE.md": _claude_line,
    ".junie/guidelines.md": _junie_line,
}
"""The paths a team may hold its own rules at, each with the line that points to a brief
(a path relative to the repository root)."""


class UnsafePathError(ValueError):
    """A rules file's path would land outside the output directory."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one rules file went: `path` (relative to the output directory) holds its
    content; when the team's own file is at the format's path, `reference` names that
    file and `line` is the one line it got."""

    rules_file: RulesFile
    path: str
    target: Path
    reference: str | None = None
    reference_target: Path | None = None
    line: str | None = None


def _target(out_dir: Path, root: Path, path: str) -> Path:
    relative = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or relative.is_absolute()
        or any(part == ".." for part in relative.parts)
    ):
        raise UnsafePathError(f"refusing to write {path!r}: not a plain path inside {out_dir}")
    target = root.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(root):
        raise UnsafePathError(f"refusing to write {path!r}: it resolves outside {out_dir}")
    return target


def inside(out_dir: Path, path: str) -> Path:
    """The file at `path` inside `out_dir`; UnsafePathError when it would be outside."""
    return _target(out_dir, out_dir.resolve(), path)


def is_team_file(target: Path) -> bool:
    """True when a file exists at `target` and we did not write it."""
    if not target.is_file():
        return False
    return not target.read_bytes().removeprefix(_BOM).startswith(GENERATED_HEADING)


def _brief_path(rules_file: RulesFile, placed: list[Placement]) -> str:
    slug = rules_file.slug or "ticket"
    path = f"{BRIEF_DIR}/{slug}.md"
    if any(p.path == path and p.rules_file.content != rules_file.content for p in placed):
        path = f"{BRIEF_DIR}/{slug}.{rules_file.format}.md"
    return path


def plan(files: Iterable[RulesFile], out_dir: Path) -> list[Placement]:
    """Where each file goes (see the module's docstring); every path checked, nothing written."""
    root = out_dir.resolve()
    placed: list[Placement] = []
    for rules_file in files:
        target = _target(out_dir, root, rules_file.path)
        line_for = TEAM_FILES.get(rules_file.path)
        if line_for is None or not is_team_file(target):
            placed.append(Placement(rules_file, rules_file.path, target))
            continue
        brief = _brief_path(rules_file, placed)
        placed.append(
            Placement(
                rules_file,
                brief,
                _target(out_dir, root, brief),
                reference=rules_file.path,
                reference_target=target,
                line=line_for(brief),
            )
        )
    return placed


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def with_line(data: bytes, line: str) -> bytes:
    """`data` with `line` as its first line (after a byte order mark); unchanged when
    it holds the line already."""
    encoded = line.encode("utf-8")
    bom = _BOM if data.startswith(_BOM) else b""
    if any(existing.rstrip(b"\r\n") == encoded for existing in _lines(data[len(bom) :])):
        return data
    return bom + encoded + b"\n" + data[len(bom) :]


def without_line(data: bytes, line: str) -> bytes:
    """`data` without any line that is exactly `line` (the inverse of `with_line`)."""
    encoded = line.encode("utf-8")
    bom = _BOM if data.startswith(_BOM) else b""
    kept = [part for part in _lines(data[len(bom) :]) if part.rstrip(b"\r\n") != encoded]
    return bom + b"".join(kept)


def place(files: Iterable[RulesFile], out_dir: Path) -> list[Placement]:
    """Write each file inside `out_dir` (see `plan`), creating directories.

    Every path is checked before anything is written, so a file that would
    escape `out_dir` (`..`, an absolute path, a symlink pointing out) makes the
    whole call fail with UnsafePathError and writes nothing.
    """
    placed = plan(files, out_dir)
    for placement in placed:
        placement.target.parent.mkdir(parents=True, exist_ok=True)
        placement.target.write_text(placement.rules_file.content, encoding="utf-8", newline="\n")
        if placement.reference_target is not None and placement.line is not None:
            data = placement.reference_target.read_bytes()
            edited = with_line(data, placement.line)
            if edited != data:
                placement.reference_target.write_bytes(edited)
    return placed


def write(files: Iterable[RulesFile], out_dir: Path) -> list[Path]:
    """Write the files (see `place`); where each file's content went, in order."""
    return [placement.target for placement in place(files, out_dir)]


def remove_references(out_dir: Path, briefs: Iterable[str]) -> list[Path]:
    """Take the lines pointing to `briefs` (paths relative to `out_dir`) out of the
    team's files again; the files that changed."""
    root = out_dir.resolve()
    wanted = list(briefs)
    changed: list[Path] = []
    for path, line_for in TEAM_FILES.items():
        target = _target(out_dir, root, path)
        if not target.is_file():
            continue
        data = target.read_bytes()
        edited = data
        for brief in wanted:
            edited = without_line(edited, line_for(brief))
        if edited != data:
            target.write_bytes(edited)
            changed.append(target)
    return changed
