"""Send a rendered digest to its channels: Slack, email, a generic webhook, a file.

Each channel is tried on its own: a failure is retried a few times with
exponential backoff (the sleep is injectable) and then reported as that
channel's outcome; it never stops the other channels. Secrets (the Slack
webhook URL, the SMTP password, the webhook signing secret) arrive in the
channel configs as `SecretStr`, built at the edge; they are never logged, and
every error message is scrubbed of them before it is returned or stored.

- Slack: an incoming webhook, through slack_sdk's `WebhookClient`, sending the
  Block Kit payload (`blocks` plus a plain `text` fallback).
- Email: SMTP with STARTTLS, implicit TLS, or plain (for local relays and
  tests); a multipart/alternative message (text and HTML) to every recipient.
- Webhook: the digest as JSON, POSTed with httpx and signed with HMAC-SHA256
  of the exact body: `X-Backlog-Sync-Signature: sha256=<hex>`.
- File: the digest written (atomically) into a directory, one file per digest.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import httpx
from pydantic import SecretStr
from slack_sdk.webhook import WebhookClient

from connectors.retry import exponential
from connectors.secrets import scrub
from connectors.signing import sign
from service.config import (
    ChannelConfig,
    EmailChannel,
    FileChannel,
    RetryPolicy,
    SlackChannel,
    WebhookChannel,
)
from service.digest.render import RenderedDigest

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Backlog-Sync-Signature"
EVENT_HEADER = "X-Backlog-Sync-Event"
DELIVERY_HEADER = "X-Backlog-Sync-Delivery"

# slack_sdk logs the webhook URL (a secret) at debug level: give it a logger that is off.
_SLACK_SDK_LOGGER = logging.getLogger("service.digest.channels.slack_sdk")
_SLACK_SDK_LOGGER.disabled = True


DEFAULT_RETRY = RetryPolicy()


def retry_wait(retry: RetryPolicy, attempt: int) -> float:
    """Seconds to wait after failed try number `attempt` (1-based): the one backoff."""
    return exponential(attempt, retry.base_seconds, retry.cap_seconds)


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    channel: str
    kind: str
    ok: bool
    attempts: int
    error: str | None  # one line, scrubbed of secrets


class DeliveryError(Exception):
    """A channel refused the digest (an HTTP status, a refused recipient)."""


# --- the channels --------------------------------------------------------------


def send_slack(channel: SlackChannel, digest: RenderedDigest) -> None:
    if channel.webhook_url is None:
        raise DeliveryError("no Slack webhook URL configured for this channel")
    client = WebhookClient(
        channel.webhook_url.get_secret_value(),
        timeout=max(1, round(channel.timeout_seconds)),
        logger=_SLACK_SDK_LOGGER,
    )
    payload = digest.slack
    response = client.send(text=str(payload.get("text", "")), blocks=payload.get("blocks"))
    if response.status_code != 200:
        raise DeliveryError(f"Slack answered HTTP {response.status_code}: {response.body[:200]}")


def email_message(channel: EmailChannel, digest: RenderedDigest) -> EmailMessage:
    """The multipart/alternative message (Markdown text, then HTML) for one digest."""
    message = EmailMessage()
    message["Subject"] = " ".join(digest.subject.split())
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=channel.sender.rpartition("@")[2] or None)
    message.set_content(digest.markdown, subtype="plain", charset="utf-8")
    message.add_alternative(digest.html, subtype="html", charset="utf-8")
    return message


def send_email(channel: EmailChannel, digest: RenderedDigest) -> None:
    message = email_message(channel, digest)
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if channel.security == "tls":
        smtp = smtplib.SMTP_SSL(
            channel.host, channel.port, timeout=channel.timeout_seconds, context=context
        )
    else:
        smtp = smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout_seconds)
    with smtp:
        smtp.ehlo()
        if channel.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if channel.username:
            password = channel.password.get_secret_value() if channel.password else ""
            smtp.login(channel.username, password)
        refused = smtp.send_message(message, to_addrs=list(channel.recipients))
    if refused:
        raise DeliveryError(f"recipients refused: {', '.join(sorted(refused))}")


def send_webhook(channel: WebhookChannel, digest: RenderedDigest) -> None:
    body = digest.json.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "backlog-sync-digest",
        EVENT_HEADER: "digest",
    }
    if digest.digest_id is not None:
        headers[DELIVERY_HEADER] = str(digest.digest_id)
    if channel.secret is not None:
        headers[SIGNATURE_HEADER] = sign(channel.secret.get_secret_value(), body)
    response = httpx.post(
        channel.url, content=body, headers=headers, timeout=channel.timeout_seconds
    )
    if not response.is_success:
        raise DeliveryError(f"webhook answered HTTP {response.status_code}")


FILE_EXTENSIONS = {"md": "md", "html": "html", "json": "json", "slack": "slack.json"}


def write_file(channel: FileChannel, digest: RenderedDigest) -> Path:
    """Write the digest into the channel's directory (atomically); its path."""
    content = {
        "md": digest.markdown,
        "html": digest.html,
        "json": digest.json,
        "slack": json.dumps(digest.slack, indent=2, ensure_ascii=False),
    }[channel.format]
    channel.directory.mkdir(parents=True, exist_ok=True)
    target = channel.directory / f"{digest.file_stem}.{FILE_EXTENSIONS[channel.format]}"
    fd, temporary = tempfile.mkstemp(dir=channel.directory, prefix=".digest-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def send(channel: ChannelConfig, digest: RenderedDigest) -> None:
    """Send once to one channel; raises on failure."""
    if isinstance(channel, SlackChannel):
        send_slack(channel, digest)
    elif isinstance(channel, EmailChannel):
        send_email(channel, digest)
    elif isinstance(channel, WebhookChannel):
        send_webhook(channel, digest)
    else:
        write_file(channel, digest)


# --- retries and outcomes ------------------------------------------------------


def _secrets_of(channel: ChannelConfig) -> list[str]:
    values: list[str] = []
    for name in ("webhook_url", "password", "secret"):
        value = getattr(channel, name, None)
        if isinstance(value, SecretStr) and value.get_secret_value():
            values.append(value.get_secret_value())
    return values


def describe_error(error: BaseException, secrets: Collection[str] = ()) -> str:
    """One line naming the error, with every secret (and a URL secret's path) removed."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return " ".join(scrub(text, secrets).split())[:500]


def deliver_one(
    channel: ChannelConfig,
    digest: RenderedDigest,
    retry: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryOutcome:
    """Send to one channel, retrying under `retry`; never raises."""
    secrets = _secrets_of(channel)
    attempt = 0
    while True:
        attempt += 1
        try:
            send(channel, digest)
        except Exception as exc:  # noqa: BLE001  (one channel's failure never stops the others)
            error = describe_error(exc, secrets)
            if attempt >= retry.attempts:
                log.warning(
                    "digest channel %s (%s) failed after %d attempts: %s",
                    channel.name,
                    channel.type,
                    attempt,
                    error,
                )
                return DeliveryOutcome(channel.name, channel.type, False, attempt, error)
            wait = retry_wait(retry, attempt)
            log.info(
                "digest channel %s (%s) attempt %d failed (%s); retrying in %.1f s",
                channel.name,
                channel.type,
                attempt,
                error,
                wait,
            )
            sleep(wait)
            continue
        log.info("digest sent to channel %s (%s)", channel.name, channel.type)
        return DeliveryOutcome(channel.name, channel.type, True, attempt, None)


HTTP_STEPS = 4
"""Blocking network steps of one HTTP attempt (connect, write, read, pool), each
bounded by the channel's timeout."""
SMTP_STEPS = 10
"""Blocking steps of one SMTP attempt before the recipients (connect, EHLO,
STARTTLS, EHLO, AUTH, MAIL, DATA, the message, QUIT...), each bounded by the
timeout; one more per recipient."""
FILE_ATTEMPT_SECONDS = 30.0


def delivery_budget(channel: ChannelConfig, retry: RetryPolicy = DEFAULT_RETRY) -> float:
    """Seconds a delivery to `channel` can take with every retry when each
    blocking step runs to its timeout: the attempts plus the backoff waits
    between them. A delivery claimed longer ago than this (see
    `service.digest.runs.claim_delivery`) is taken to be abandoned by a crashed runner."""
    if isinstance(channel, EmailChannel):
        per_attempt = (SMTP_STEPS + len(channel.recipients)) * channel.timeout_seconds
    elif isinstance(channel, SlackChannel | WebhookChannel):
        per_attempt = HTTP_STEPS * channel.timeout_seconds
    else:
        per_attempt = FILE_ATTEMPT_SECONDS
    waits = sum(retry_wait(retry, n) for n in range(1, retry.attempts))
    return retry.attempts * per_attempt + waits


def deliver(
    channels: Sequence[ChannelConfig],
    digest: RenderedDigest,
    retry: RetryPolicy = DEFAULT_RETRY,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DeliveryOutcome]:
    """Send to every channel, each on its own; one outcome per channel, in order."""
    return [deliver_one(channel, digest, retry, sleep=sleep) for channel in channels]
