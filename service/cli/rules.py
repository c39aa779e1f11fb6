"""`rules`: a stored ticket's rules file for an agent, printed or written into a checkout."""

from __future__ import annotations

import getpass
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from service import db
from service.cli.common import (
    ConfigOption,
    JsonOption,
    database,
    err,
    fail,
    handles_errors,
    load,
    out,
    print_json,
    shown,
)
from service.rules import FORMATS as RULES_FORMATS
from service.rules import briefs, place
from service.tickets.store import find_keys

log = logging.getLogger(__name__)


@handles_errors
def rules(
    key: Annotated[str, typer.Argument(help="The ticket's key (12, #12, owner/repo#12, PROJ-7).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of {', '.join(RULES_FORMATS)}, or all.")
    ] = "agents",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write at the conventional path inside DIR.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="The ticket's source, when keys clash.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write it even for a ticket that needs a safety review (all of its text fenced).",
        ),
    ] = False,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Render a stored ticket's rules file for an agent (print it, or write it into --out DIR).

    A ticket that needs a safety review gets none (exit 2), unless --force."""
    if fmt != "all" and fmt not in RULES_FORMATS:
        raise fail(f"--format: unknown format {fmt!r}; use one of {', '.join(RULES_FORMATS)}, all")
    settings, policy = load(config)
    project_rules = briefs.read_project_rules(settings.file.rules.project_rules)
    with database(settings) as sessions, sessions() as session:
        matches = find_keys(session, key)
        if source is not None:
            matches = [m for m in matches if m[0] == source]
        if not matches:
            raise fail(f"no stored ticket {key} (run `backlog-sync sync SOURCE` first)")
        if len(matches) > 1:
            names = ", ".join(f"{s} {k}" for s, k in matches)
            raise fail(f"{key} matches several tickets ({names}); add --source")
        brief = briefs.brief_for_ticket(
            session, *matches[0], policy, project_rules=project_rules, now=db.utcnow(), force=force
        )
    if brief.forced:
        log.warning(
            "rules for %s, which needs a safety review, forced by %s",
            brief.ticket.key,
            getpass.getuser(),
        )
        err.print(f"[bold red]warning:[/] {shown(brief.ticket.key)} needs a safety review; forced")
    files = brief.render_all() if fmt == "all" else [brief.render(fmt)]
    placed = place(files, out_dir) if out_dir is not None else None
    if as_json:
        print_json(
            {
                "source": brief.ticket.source,
                "key": brief.ticket.key,
                "forced": brief.forced,
                "files": [
                    {
                        "format": f.format,
                        "path": f.path,
                        "written": str(placed[i].target) if placed is not None else None,
                        "team_file": (
                            str(placed[i].reference_target)
                            if placed is not None and placed[i].reference_target is not None
                            else None
                        ),
                        "content": f.content,
                    }
                    for i, f in enumerate(files)
                ],
            }
        )
        return
    if placed is None:
        for rendered in files:
            if len(files) > 1:
                sys.stdout.write(f"==> {rendered.path} <==\n")
            sys.stdout.write(
                rendered.content if rendered.content.endswith("\n") else rendered.content + "\n"
            )
        return
    for placement in placed:
        out.print(f"wrote {shown(str(placement.target))}")
        if placement.reference_target is not None:
            out.print(
                f"  the team's {shown(str(placement.reference))} is kept; "
                f"it got one line: {shown(placement.line or '')}"
            )
