"""The one HMAC-SHA256 signer and verifier that webhooks in and out go through."""

from __future__ import annotations

import pytest

from connectors.signing import sign, verify

BODY = b'{"action": "opened"}'


def test_sign_matches_githubs_documented_example() -> None:
    # https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    assert sign("It's a Secret to Everybody", b"Hello, World!") == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )


def test_a_signature_verifies_only_with_its_secret_and_body() -> None:
    signature = sign("s3cret", BODY)
    assert verify("s3cret", BODY, signature)
    assert verify("s3cret", BODY, signature + " ")  # as a header value may end
    assert not verify("other", BODY, signature)
    assert not verify("s3cret", BODY + b" ", signature)


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha1=0123",
        "SHA256=" + sign("s3cret", BODY).removeprefix("sha256="),
        sign("s3cret", BODY).removeprefix("sha256="),  # the hex alone
        sign("s3cret", BODY).upper(),
        "sha256=é€",  # not ASCII: refused, not an error
    ],
)
def test_missing_or_malformed_signatures_are_refused(signature: str | None) -> None:
    assert not verify("s3cret", BODY, signature)
