"""GitHub Issues (re-exports).

`client` talks to GitHub through PyGithub (token or App auth, paging, errors,
reads and writes); `mapping` turns issue and comment JSON into Tickets and
decides trust; `webhook` verifies and parses deliveries.
"""

from connectors.github.client import GitHubConnector
from connectors.github.mapping import TRUSTED_ASSOCIATIONS

__all__ = ["TRUSTED_ASSOCIATIONS", "GitHubConnector"]
