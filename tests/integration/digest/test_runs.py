"""Sending the digest to real receivers on loopback: SMTP, Slack's incoming
webhook, a signed generic webhook and a directory; retries, failures, one
delivery per occurrence, no transaction open while sending, and runs cut short
by a crash resumed for the channels that did not get the digest."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service import digest
from service.config import (
    ChannelConfig,
    DigestConfig,
    EmailChannel,
    FileChannel,
    FileConfig,
    RetryPolicy,
    Secrets,
    Settings,
    SlackChannel,
    WebhookChannel,
)
from service.digest import channels as delivery
from service.digest import runs
from service.digest.models import DigestDelivery, DigestRecord
from service.digest.render import RenderedDigest
from service.runtime.metrics import Metrics
from service.runtime.models import JobRun
from service.runtime.scheduler import JobScheduler, digest_job
from service.scoring import Verdict
from tests.integration.digest.builders import T0, put
from tests.integration.digest.conftest import HttpReceiver, SmtpServer

NOW = T0 + timedelta(days=1)
EVIL = "<script>alert(1)</script> & <@channel>"
SLACK_PATH = "/services/T0001/B0002/s3cr3tT0k3nXYZ"
WEBHOOK_KEY = "whsec-test-key"


def seed(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        put(session, 1, Verdict.READY, at=NOW - timedelta(hours=2), title=EVIL, areas=["a"])
        put(session, 2, Verdict.NEEDS_CLARITY, at=NOW, overall=65, missing=["Add criteria"])


def slack(receiver: HttpReceiver) -> SlackChannel:
    return SlackChannel(
        type="slack", name="team-slack", webhook_url=SecretStr(receiver.base_url + SLACK_PATH)
    )


def webhook(receiver: HttpReceiver) -> WebhookChannel:
    return WebhookChannel(
        type="webhook",
        name="ops-hook",
        url=receiver.base_url + "/hook",
        secret=SecretStr(WEBHOOK_KEY),
    )


def test_email_arrives_as_text_and_html_to_every_recipient(
    sessions: sessionmaker[Session], smtp_server: SmtpServer
) -> None:
    seed(sessions)
    channel = EmailChannel(
        type="email",
        name="leads",
        host=smtp_server.host,
        port=smtp_server.port,
        security="plain",
        sender="backlog-sync@acme.test",
        recipients=("lead@acme.test", "cto@acme.test"),
    )

    summary = digest.run_scheduled(sessions, DigestConfig(channels=(channel,)), NOW)

    assert "sent to leads" in summary
    [mail] = smtp_server.mails
    assert sorted(mail.recipients) == ["cto@acme.test", "lead@acme.test"]
    message = message_from_bytes(mail.data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"].startswith("Ready for AI: 1 ready, 1 newly ready")
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "acme/app#1" in text.get_content() and "Add criteria" in text.get_content()
    html_content = html.get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;@channel&gt;" in html_content
    assert "<script>" not in html_content


def test_slack_and_signed_webhook_receive_the_digest(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver
) -> None:
    seed(sessions)
    config = DigestConfig(channels=(slack(http_receiver), webhook(http_receiver)))

    digest.run_scheduled(sessions, config, NOW)

    [slack_post] = http_receiver.to(SLACK_PATH)
    payload = json.loads(slack_post.body)
    assert payload["blocks"][0]["type"] == "header"
    assert "Ready for AI: 1 ready" in payload["text"]
    assert "&lt;@channel&gt;" in json.dumps(payload) and "<@channel>" not in json.dumps(payload)

    [hook] = http_receiver.to("/hook")
    expected = hmac.new(WEBHOOK_KEY.encode(), hook.body, hashlib.sha256).hexdigest()
    assert hook.headers["x-backlog-sync-signature"] == f"sha256={expected}"
    body = json.loads(hook.body)
    assert body["newly_ready"]["items"][0]["title"] == EVIL
    assert hook.headers["x-backlog-sync-delivery"] == str(body["id"])


def test_a_digest_run_twice_for_one_occurrence_is_delivered_once(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver, tmp_path: Path
) -> None:
    seed(sessions)
    files = FileChannel(type="file", name="archive", directory=tmp_path, format="html")
    config = DigestConfig(channels=(webhook(http_receiver), files))

    first = digest.run_scheduled(sessions, config, NOW)
    second = digest.run_scheduled(sessions, config, NOW)

    assert len(http_receiver.to("/hook")) == 1
    assert len(list(tmp_path.glob("digest-*.html"))) == 1
    assert "sent to ops-hook, archive" in first
    assert "sent nowhere new" in second and "already sent: ops-hook, archive" in second
    with sessions() as session:
        assert session.scalar(select(DigestRecord.id).where(DigestRecord.trigger == "scheduled"))
        assert len(session.scalars(select(DigestRecord)).all()) == 1


def test_next_digest_starts_where_the_delivered_one_ended(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed(sessions)
    config = DigestConfig(channels=(FileChannel(type="file", name="f", directory=tmp_path),))
    digest.run_scheduled(sessions, config, NOW)

    digest.run_scheduled(sessions, config, NOW + timedelta(days=1))

    with sessions() as session:
        latest = digest.latest(session)
    assert latest is not None and latest.window_start == NOW
    assert latest.newly_ready.total == 0  # #1 was news yesterday
    assert {c.verdict: c.change for c in latest.counts}["ready"] == 0


def test_a_failing_channel_is_retried_and_does_not_stop_the_others(
    sessions: sessionmaker[Session],
    http_receiver: HttpReceiver,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seed(sessions)
    http_receiver.failing_paths.add(SLACK_PATH)
    files = FileChannel(type="file", name="archive", directory=tmp_path, format="md")
    config = DigestConfig(
        channels=(slack(http_receiver), webhook(http_receiver), files),
        retry=RetryPolicy(attempts=3, base_seconds=2),
    )
    waits: list[float] = []
    caplog.set_level(logging.DEBUG)

    summary = digest.run_scheduled(sessions, config, NOW, sleep=waits.append)

    assert len(http_receiver.to(SLACK_PATH)) == 3  # tried three times
    assert waits == [2.0, 4.0]
    assert len(http_receiver.to("/hook")) == 1
    [written] = tmp_path.glob("digest-*.md")
    assert "Add criteria" in written.read_text()
    assert "failed: team-slack" in summary
    with sessions() as session:
        rows = {r.channel: r for r in session.scalars(select(DigestDelivery))}
    assert {c: (r.outcome, r.attempts) for c, r in rows.items()} == {
        "team-slack": ("failed", 3),
        "ops-hook": ("sent", 1),
        "archive": ("sent", 1),
    }
    error = rows["team-slack"].error or ""
    assert "HTTP 500" in error
    # the Slack URL is a secret: not in the stored error, not in any log line
    assert "s3cr3tT0k3nXYZ" not in error and "s3cr3tT0k3nXYZ" not in caplog.text
    assert "s3cr3tT0k3nXYZ" not in summary

    # the next run of this occurrence sends only to the channel that failed
    http_receiver.failing_paths.clear()
    again = digest.run_scheduled(sessions, config, NOW, sleep=waits.append)
    assert len(http_receiver.to(SLACK_PATH)) == 4
    assert len(http_receiver.to("/hook")) == 1
    assert "sent to team-slack" in again


def test_every_channel_failing_fails_the_job_but_keeps_the_record(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver
) -> None:
    seed(sessions)
    http_receiver.failing_paths.add(SLACK_PATH)
    config = DigestConfig(channels=(slack(http_receiver),), retry=RetryPolicy(attempts=2))

    with pytest.raises(digest.DigestDeliveryError, match="failed: team-slack") as raised:
        digest.run_scheduled(sessions, config, NOW, sleep=lambda _: None)

    assert "s3cr3tT0k3nXYZ" not in str(raised.value)
    with sessions() as session:
        record = session.scalars(select(DigestRecord)).one()
        assert record.delivered_at is None  # the next digest's window still starts before it
        assert digest.deliveries(session, record.id)[0].outcome == "failed"


def test_channel_secrets_come_from_settings_by_channel_name(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver
) -> None:
    seed(sessions)
    config = DigestConfig(channels=(SlackChannel(type="slack", name="team-slack"),))

    configured = config.with_secrets({"team-slack": SecretStr(http_receiver.base_url + SLACK_PATH)})
    digest.run_scheduled(sessions, configured, NOW)

    assert len(http_receiver.to(SLACK_PATH)) == 1
    assert "s3cr3tT0k3nXYZ" not in repr(configured)


# --- no transaction while sending; crashes; concurrent runs -----------------------


class Crash(BaseException):
    """The process dying at this point (not an error a channel could report)."""


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def deliveries_by_channel(sessions: sessionmaker[Session]) -> dict[str, tuple[str, int]]:
    with sessions() as session:
        return {r.channel: (r.outcome, r.attempts) for r in session.scalars(select(DigestDelivery))}


def test_the_digest_is_committed_before_any_channel_is_called(
    sessions: sessionmaker[Session],
    http_receiver: HttpReceiver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(sessions)
    files = FileChannel(type="file", name="archive", directory=tmp_path)
    config = DigestConfig(channels=(webhook(http_receiver), files))
    seen: list[tuple[str, int, dict[str, tuple[str, int]]]] = []
    real_send = delivery.send

    def observing_send(channel: ChannelConfig, rendered: RenderedDigest) -> None:
        # what another process sees while this channel is being sent to
        with sessions() as other:
            stored = len(other.scalars(select(DigestRecord)).all())
        seen.append((channel.name, stored, deliveries_by_channel(sessions)))
        # and it can write: no transaction of the run holds a lock meanwhile
        with sessions.begin() as other:
            other.execute(update(DigestRecord).values(trigger=DigestRecord.trigger))
        real_send(channel, rendered)

    monkeypatch.setattr(delivery, "send", observing_send)

    digest.run_scheduled(sessions, config, NOW)

    assert seen == [
        ("ops-hook", 1, {"ops-hook": ("sending", 0), "archive": ("sending", 0)}),
        ("archive", 1, {"ops-hook": ("sent", 1), "archive": ("sending", 0)}),
    ]
    assert deliveries_by_channel(sessions) == {"ops-hook": ("sent", 1), "archive": ("sent", 1)}


def test_a_crash_between_channels_is_resumed_for_the_channels_not_yet_sent(
    sessions: sessionmaker[Session],
    http_receiver: HttpReceiver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(sessions)
    files = FileChannel(type="file", name="archive", directory=tmp_path)
    config = DigestConfig(channels=(webhook(http_receiver), files))
    clock = FakeClock(NOW)
    real_send = delivery.send

    def crash_on_archive(channel: ChannelConfig, rendered: RenderedDigest) -> None:
        if channel.name == "archive":
            raise Crash
        real_send(channel, rendered)

    monkeypatch.setattr(delivery, "send", crash_on_archive)
    with pytest.raises(Crash):
        digest.run_scheduled(sessions, config, NOW, clock=clock)
    monkeypatch.setattr(delivery, "send", real_send)
    assert deliveries_by_channel(sessions) == {"ops-hook": ("sent", 1), "archive": ("sending", 0)}

    # while the crashed run's claim holds, nothing is resumed
    clock.now = NOW + digest.claim_lease(config) - timedelta(seconds=1)
    assert digest.resume_interrupted(sessions, config, clock=clock) == []

    clock.now = NOW + digest.claim_lease(config)
    [resumed] = digest.resume_interrupted(sessions, config, clock=clock)

    assert resumed.summary().endswith("sent to archive; already sent: ops-hook")
    assert len(http_receiver.to("/hook")) == 1
    assert len(list(tmp_path.glob("digest-*.md"))) == 1
    assert deliveries_by_channel(sessions) == {"ops-hook": ("sent", 1), "archive": ("sent", 1)}
    assert digest.resume_interrupted(sessions, config, clock=clock) == []


def test_a_crash_after_sending_before_recording_sends_that_channel_again_when_resumed(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The at-least-once window: a channel that took the digest just before the
    process died, its success not yet committed, gets it a second time."""
    seed(sessions)
    config = DigestConfig(channels=(webhook(http_receiver),))
    clock = FakeClock(NOW)
    real_record = runs.record_delivery

    def crash(*args: object, **kwargs: object) -> None:
        raise Crash

    monkeypatch.setattr(runs, "record_delivery", crash)
    with pytest.raises(Crash):
        digest.run_scheduled(sessions, config, NOW, clock=clock)
    monkeypatch.setattr(runs, "record_delivery", real_record)
    assert len(http_receiver.to("/hook")) == 1
    with sessions() as session:
        assert session.scalars(select(DigestRecord.delivered_at)).one() is None

    clock.now = NOW + digest.claim_lease(config) + timedelta(minutes=1)
    digest.resume_interrupted(sessions, config, clock=clock)

    assert len(http_receiver.to("/hook")) == 2
    assert deliveries_by_channel(sessions) == {"ops-hook": ("sent", 1)}
    with sessions() as session:
        assert session.scalars(select(DigestRecord.delivered_at)).one() == clock.now


def test_a_run_cut_short_long_ago_is_not_resumed(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sessions)
    config = DigestConfig(channels=(webhook(http_receiver),))
    clock = FakeClock(NOW)

    def crash(channel: ChannelConfig, rendered: RenderedDigest) -> None:
        raise Crash

    monkeypatch.setattr(delivery, "send", crash)
    with pytest.raises(Crash):
        digest.run_scheduled(sessions, config, NOW, clock=clock)

    clock.now = NOW + digest.RESUME_WITHIN
    assert digest.resume_interrupted(sessions, config, clock=clock) == []


def test_a_second_run_while_the_first_is_sending_sends_nothing(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sessions)
    config = DigestConfig(channels=(webhook(http_receiver),))
    sending = threading.Event()
    second_done = threading.Event()
    real_send = delivery.send

    def slow_send(channel: ChannelConfig, rendered: RenderedDigest) -> None:
        sending.set()
        second_done.wait(timeout=30)  # a slow SMTP server, say
        real_send(channel, rendered)

    monkeypatch.setattr(delivery, "send", slow_send)
    first: list[str] = []
    thread = threading.Thread(
        target=lambda: first.append(digest.run_scheduled(sessions, config, NOW))
    )
    thread.start()
    try:
        assert sending.wait(timeout=30)
        second = digest.run_scheduled(sessions, config, NOW)
    finally:
        second_done.set()
        thread.join(timeout=30)

    assert "sent nowhere new" in second and "being sent by another run: ops-hook" in second
    assert first and "sent to ops-hook" in first[0]
    assert len(http_receiver.to("/hook")) == 1


def test_a_scheduled_digest_whose_channels_all_fail_is_a_failed_job_naming_them(
    sessions: sessionmaker[Session], http_receiver: HttpReceiver
) -> None:
    seed(sessions)
    http_receiver.failing_paths.add(SLACK_PATH)
    settings = Settings(
        secrets=Secrets(
            database_url="sqlite://",
            digest_channel_secrets={"team-slack": SecretStr(http_receiver.base_url + SLACK_PATH)},
        ),
        file=FileConfig(
            digest=DigestConfig(
                channels=(SlackChannel(type="slack", name="team-slack"),),
                retry=RetryPolicy(attempts=1),
            )
        ),
        config_path=None,
    )
    scheduler = JobScheduler(sessions, Metrics(), runner_id="replica-0")

    assert scheduler.run_occurrence(
        "digest", "digest", NOW, digest_job(settings.digest(), sessions)
    )

    with sessions() as session:
        run = session.scalars(select(JobRun)).one()
    assert run.outcome == "failed"
    assert run.detail is not None and "failed: team-slack" in run.detail
    assert "s3cr3tT0k3nXYZ" not in run.detail
