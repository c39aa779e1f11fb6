"""What every command shares: errors as one line and an exit code, the config
and policy, the database, progress bars, tables' styles and JSON output.

Errors a user can fix (a bad file, a bad config, an unknown source) print one
line on stderr and exit 2; tracker failures exit 1. No tracebacks.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from connectors import UnknownSourceError
from connectors.base import TrackerError
from connectors.files import SourceFileError
from service import db
from service.config import ConfigError, Settings
from service.rules.briefs import BriefError
from service.rules.files import UnsafePathError
from service.runtime import compose
from service.scoring import Policy, Verdict
from service.scoring.policy import load_policy
from service.tickets.sources import SourceError
from service.untrusted import terminal_text
from service.workspaces import WorkspaceError

PROGRESS_THRESHOLD = 200  # show a progress bar past this many tickets

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")

USER_ERRORS: tuple[type[Exception], ...] = (
    SourceFileError,
    ConfigError,
    SourceError,
    UnknownSourceError,
    BriefError,
    UnsafePathError,
    WorkspaceError,
    db.SchemaError,
    db.DatabaseURLError,
)

VERDICT_STYLE = {
    Verdict.READY: "green",
    Verdict.NEEDS_CLARITY: "yellow",
    Verdict.TOO_LARGE: "magenta",
    Verdict.BLOCKED: "blue",
    Verdict.NEEDS_REVIEW: "red",
}
VERDICT_ORDER = {v: i for i, v in enumerate(VERDICT_STYLE)}

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="YAML config (default: $BACKLOG_SYNC_CONFIG or ./backlog-sync.yaml)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="A YAML policy overriding the defaults.")
]


def shown(text: str) -> str:
    """Ticket text for the terminal: no control characters raw, no Rich markup."""
    return escape(terminal_text(text))


EXIT_FAILURE = 1  # a failure outside the user's input: the tracker, the database
EXIT_BAD_INPUT = 2  # bad input, or refused
EXIT_NOTHING_TO_DO = 3  # nothing to do (`queue claim` found nothing to claim)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    err.print(f"[bold red]error:[/] {shown(message)}")
    return typer.Exit(code)


_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)\S+", re.IGNORECASE)


def _without_password(text: str) -> str:
    """A driver's message with any password it quotes (in a URL or `password=`) hidden."""
    return _KEYWORD_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", text))


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can act on into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as exc:
            raise fail(str(exc), 2) from None
        except TrackerError as exc:
            raise fail(str(exc), EXIT_FAILURE) from None
        except OperationalError as exc:  # the database did not answer (or refused us)
            first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else ""
            raise fail(f"database: {_without_password(first)}", EXIT_FAILURE) from None

    return wrapper


def load(config: Path | None, policy_file: Path | None = None) -> tuple[Settings, Policy]:
    """The settings and the policy (the `--policy` file's, when one is given)."""
    settings, policy = compose.load(config)
    return settings, load_policy(policy_file) if policy_file is not None else policy


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long runs; silent for short ones."""
    if total < PROGRESS_THRESHOLD or not err.is_terminal:
        yield lambda _done: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)


@contextmanager
def status(message: str) -> Iterator[None]:
    """A spinner on stderr while something slow runs (only on a terminal)."""
    if not err.is_terminal:
        yield
        return
    with err.status(message):
        yield


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@contextmanager
def database(settings: Settings, *, dry_run: bool = False) -> Iterator[sessionmaker[Session]]:
    """Sessions on the configured database, prepared (`compose.prepare_database`:
    the schema checked, SQLite migrating itself, sources under their configured names).

    A dry run writes nothing anywhere: where the configured SQLite file does not
    exist yet, it reads an empty database in memory instead of creating the file,
    and it renames no source.
    """
    url = settings.database_url
    if dry_run and not db.sqlite_file_exists(url):
        url = "sqlite://"
    engine = db.make_engine(url)
    try:
        if dry_run:
            db.ensure_schema(engine)
        else:
            compose.prepare_database(settings, engine)
        yield db.make_sessionmaker(engine)
    finally:
        engine.dispose()
