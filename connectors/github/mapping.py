"""GitHub issue and comment JSON (the REST shape) as `Ticket` values, and whom to trust.

The connector (listings and single reads) and the webhook parser build tickets
here. The `gh issue list --json` export (`connectors.files`) has another shape
(camelCase, `author.login`), so it shares the pieces that are really the same:
`author_trust`, `label_names`, `kind_of`, `state_of` and `issue_key`.

Trust: on a private repository everyone who can file is trusted; on a public one
the author's `author_association` decides (`TRUSTED_ASSOCIATIONS`). An export
does not say which kind of repository it came from: there, no association is
UNKNOWN.

The approval label counts (Ticket.approval_verified) when the latest `labeled`
event that added it was made by a trusted actor (`actor_trusted`):
- never a bot or a GitHub App (automation may act on untrusted text);
- the event's `author_association`, when GitHub sends one;
- the repository owner;
- the issue's author only when the author is trusted (issue templates apply
  their labels in the author's name);
- any other person: GitHub lets only people with triage access or above label
  someone else's issue, so the label is a maintainer's act. No extra request.

Mentions: `#12`, `owner/repo#12` and issue URLs in the title and body (outside
code) become MENTIONS links, resolved to keys without a request.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.base import OWN_COMMENT_MARKER, Comment, Link, LinkKind, Ticket, TicketState, Trust
from connectors.vocabulary import kind_from_labels, kind_from_type, priority_from_labels

__all__ = [
    "TRUSTED_ASSOCIATIONS",
    "RepositoryInfo",
    "actor_trusted",
    "author_trust",
    "has_label",
    "is_own",
    "issue_key",
    "kind_of",
    "label_names",
    "login",
    "parse_time",
    "state_of",
    "ticket",
]

Json = dict[str, Any]

TRUSTED_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
"""The `author_association` values whose text we trust on a public repository."""

_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.DOTALL)
_REFERENCE = re.compile(
    r"(?:https?://[^/\s]+/(?P<url_repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<url_num>\d+))"
    r"|(?<![\w/#&])(?:(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+))?#(?P<num>\d+)\b"
)


@dataclass(frozen=True, slots=True)
class RepositoryInfo:
    """What trust decisions need to know of the repository."""

    full_name: str
    owner: str
    private: bool


Repository = Callable[[], RepositoryInfo]
"""The repository, asked for only when a trust decision needs it (it may cost a read)."""


def ticket(
    issue: Json,
    *,
    repo: str,
    source: str,
    comments: Iterable[Json] = (),
    links: Iterable[Link] = (),
    approved: bool = False,
    repository: Repository,
) -> Ticket:
    """The Ticket for a REST issue payload, with its comments and the links read for it."""
    number = int(issue["number"])
    key = issue_key(repo, number)
    labels = tuple(label_names(issue))
    body = str(issue.get("body") or "")
    title = str(issue.get("title") or "")
    all_links = list(links)
    parent = issue.get("parent_issue_url")
    if isinstance(parent, str) and "/issues/" in parent:
        parent_repo = _same_repo(_repo_from_api_url(parent.rsplit("/issues/", 1)[0]), repo)
        all_links.append(Link(LinkKind.PARENT, issue_key(parent_repo, parent.rsplit("/", 1)[1])))
    known = {link.target for link in all_links}
    for target in mentions(f"{title}\n{body}", repo):
        if target != key and target not in known:
            known.add(target)
            all_links.append(Link(LinkKind.MENTIONS, target))
    issue_type = issue.get("type")
    return Ticket(
        source=source,
        key=key,
        title=title,
        url=issue.get("html_url"),
        body=body,
        kind=kind_of(labels, issue_type.get("name") if isinstance(issue_type, dict) else None),
        state=state_of(issue.get("state")),
        labels=labels,
        author=login(issue.get("user")),
        author_trust=author_trust(issue.get("author_association"), repository),
        approval_verified=approved,
        assignees=tuple(
            name for a in issue.get("assignees") or [] if (name := login(a)) is not None
        ),
        priority=priority_from_labels(labels),
        links=tuple(all_links),
        comments=tuple(comment(c, repository) for c in comments),
        created_at=_optional_time(issue.get("created_at")),
        updated_at=_optional_time(issue.get("updated_at")),
    )


def link_to(kind: LinkKind, target: Json, repo: str) -> Link:
    """A link to another issue whose payload we have (a blocker, a sub-issue)."""
    other_repo = _same_repo(_repo_of(target), repo)
    return Link(
        kind,
        issue_key(other_repo, target["number"]),
        state=state_of(target.get("state")),
        title=target.get("title"),
    )


def comment(data: Json, repository: Repository) -> Comment:
    return Comment(
        id=str(data["id"]),
        body=str(data.get("body") or ""),
        author=login(data.get("user")),
        author_trust=author_trust(data.get("author_association"), repository),
        created_at=_optional_time(data.get("created_at")),
        is_own=is_own(data),
    )


def mentions(text: str, repo: str) -> list[str]:
    """The issue keys `text` refers to, outside code, in order of first mention."""
    found: list[str] = []
    for match in _REFERENCE.finditer(_CODE.sub(" ", text)):
        other = match.group("url_repo") or match.group("repo")
        number = int(match.group("url_num") or match.group("num"))
        target = issue_key(_same_repo(other, repo), number)
        if target not in found:
            found.append(target)
    return found


# --- what the REST payloads and the `gh` export share ---------------------------------


def issue_key(repo: str | None, number: int | str) -> str:
    """`owner/repo#12`; `#12` when the repository is not known (an export without URLs)."""
    return f"{repo or ''}#{number}"


def author_trust(association: Any, repository: Repository | None) -> Trust:
    """Trusted by association, else by the repository being private (asked only then).

    `repository` None: the source does not say (an export); no association is UNKNOWN.
    """
    if str(association or "").upper() in TRUSTED_ASSOCIATIONS:
        return Trust.TRUSTED
    if repository is None:
        return Trust.UNKNOWN if association is None else Trust.UNTRUSTED
    return Trust.TRUSTED if repository().private else Trust.UNTRUSTED


def label_names(issue: Mapping[str, Any]) -> list[str]:
    """An issue's label names, whether labels are objects (`{"name": ...}`) or strings."""
    names = []
    for label in issue.get("labels") or []:
        name = label.get("name") if isinstance(label, dict) else label
        if isinstance(name, str) and name:
            names.append(name)
    return names


def kind_of(labels: Iterable[str], issue_type: Any = None) -> str:
    """The issue type's kind when the issue has a type, else the kind its labels name."""
    if isinstance(issue_type, str) and issue_type:
        return kind_from_type(issue_type)
    return kind_from_labels(labels)


def state_of(state: Any) -> TicketState:
    """`open`/`OPEN` is open; `closed`, `CLOSED` and `MERGED` are closed."""
    closed = str(state or "").lower() in ("closed", "merged")
    return TicketState.CLOSED if closed else TicketState.OPEN


# --- trust of people and of our own comment ---------------------------------------------


def actor_trusted(
    actor: Any,
    *,
    via_app: bool,
    association: Any,
    issue_author: str | None,
    author_trust: Trust,
    repository: Repository,
) -> bool:
    """Whether a label-adding actor vouches for the ticket (rule in the module docstring)."""
    name = login(actor)
    if name is None or via_app or str(actor.get("type", "")).lower() == "bot":
        return False
    if association:
        return str(association).upper() in TRUSTED_ASSOCIATIONS
    if name.lower() == repository().owner.lower():
        return True
    if issue_author is not None and name.lower() == issue_author.lower():
        return author_trust is Trust.TRUSTED
    return True


def is_own(data: Json) -> bool:
    """Our comment: it starts with our marker and its author is us (a bot or a maintainer)."""
    if not str(data.get("body") or "").startswith(OWN_COMMENT_MARKER):
        return False
    user = data.get("user") or {}
    is_bot = str(user.get("type", "")).lower() == "bot"
    return is_bot or str(data.get("author_association") or "").upper() in TRUSTED_ASSOCIATIONS


def has_label(issue: Json, wanted: str) -> bool:
    return any(same_label(name, wanted) for name in label_names(issue))


def same_label(name: Any, wanted: str) -> bool:
    return isinstance(name, str) and name.strip().lower() == wanted.strip().lower()


# --- small readers -----------------------------------------------------------------------


def login(user: Any) -> str | None:
    if isinstance(user, dict) and user.get("login"):
        return str(user["login"])
    return None


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _optional_time(value: Any) -> datetime | None:
    return parse_time(value) if isinstance(value, str) and value else None


def _same_repo(other: str | None, repo: str) -> str:
    """`other`, spelt as `repo` when it is the same repository; `repo` when None."""
    if other is None or other.lower() == repo.lower():
        return repo
    return other


def _repo_from_api_url(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url).path.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-3] == "repos":
        return f"{parts[-2]}/{parts[-1]}"
    return None


def _repo_of(issue: Json) -> str | None:
    url = issue.get("repository_url")
    return _repo_from_api_url(url) if isinstance(url, str) else None


def issue_number(comment_data: Json) -> int:
    """The number of the issue a repository-wide listing's comment belongs to."""
    return int(str(comment_data["issue_url"]).rstrip("/").rsplit("/", 1)[1])
