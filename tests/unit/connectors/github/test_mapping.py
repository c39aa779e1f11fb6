"""GitHub's one trust rule and the pieces the REST payloads and the `gh` export share."""

from __future__ import annotations

import pytest

from connectors.base import TicketState, Trust
from connectors.github.mapping import (
    TRUSTED_ASSOCIATIONS,
    RepositoryInfo,
    author_trust,
    issue_key,
    kind_of,
    label_names,
    mentions,
    state_of,
)

PUBLIC = RepositoryInfo("octo/app", "octo", private=False)
PRIVATE = RepositoryInfo("octo/app", "octo", private=True)


@pytest.mark.parametrize("association", sorted(TRUSTED_ASSOCIATIONS))
def test_a_trusted_association_is_trusted_everywhere(association: str) -> None:
    asked: list[bool] = []

    def public() -> RepositoryInfo:
        asked.append(True)
        return PUBLIC

    assert author_trust(association, public) is Trust.TRUSTED
    assert author_trust(association.lower(), None) is Trust.TRUSTED  # an export
    assert not asked  # the repository is read only when the association does not decide


@pytest.mark.parametrize(
    ("association", "repository", "trust"),
    [
        ("CONTRIBUTOR", PUBLIC, Trust.UNTRUSTED),
        ("NONE", PUBLIC, Trust.UNTRUSTED),
        ("NONE", PRIVATE, Trust.TRUSTED),  # who can file on a private repository is trusted
        (None, PRIVATE, Trust.TRUSTED),
        ("NONE", None, Trust.UNTRUSTED),  # an export: it names the association only
        (None, None, Trust.UNKNOWN),
    ],
)
def test_other_associations_depend_on_the_repository(
    association: str | None, repository: RepositoryInfo | None, trust: Trust
) -> None:
    source = None if repository is None else (lambda: repository)
    assert author_trust(association, source) is trust


def test_labels_kind_state_and_key_read_both_shapes() -> None:
    rest = {"labels": [{"name": "type: epic"}, {"name": "bug"}, {"name": ""}]}
    export = {"labels": ["type: epic", "bug"]}
    assert label_names(rest) == label_names(export) == ["type: epic", "bug"]
    assert kind_of(label_names(rest)) == "epic"
    assert kind_of(["bug"], "Feature") == "feature"  # an issue type wins over labels
    assert [state_of(s) for s in ("open", "OPEN", "closed", "CLOSED", "MERGED")] == [
        TicketState.OPEN,
        TicketState.OPEN,
        TicketState.CLOSED,
        TicketState.CLOSED,
        TicketState.CLOSED,
    ]
    assert (issue_key("octo/app", 12), issue_key(None, 12)) == ("octo/app#12", "#12")


def test_mentions_resolve_to_keys_outside_code() -> None:
    text = "See #3, Octo/App#4, other/lib#5 and https://github.com/octo/app/issues/6; `#7`"
    assert mentions(text, "octo/app") == ["octo/app#3", "octo/app#4", "other/lib#5", "octo/app#6"]
