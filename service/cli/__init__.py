"""The `backlog-sync` command line (`app`, the console script's entry point)."""

from service.cli.app import app

__all__ = ["app"]
