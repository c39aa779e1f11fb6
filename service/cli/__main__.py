"""`python -m service.cli`: the same as the `backlog-sync` command."""

from service.cli.app import main

main()
