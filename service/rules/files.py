"""Write rendered rules files into a repository checkout, never outside it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from service.rules.render import RulesFile


class UnsafePathError(ValueError):
    """A rules file's path would land outside the output directory."""


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


def write(files: Iterable[RulesFile], out_dir: Path) -> list[Path]:
    """Write each file at its path inside `out_dir`, creating directories.

    Every path is checked before anything is written, so a file that would
    escape `out_dir` (`..`, an absolute path, a symlink pointing out) makes the
    whole call fail with UnsafePathError and writes nothing.
    """
    root = out_dir.resolve()
    planned = [(_target(out_dir, root, f.path), f.content) for f in files]
    written: list[Path] = []
    for target, content in planned:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")
        written.append(target)
    return written
