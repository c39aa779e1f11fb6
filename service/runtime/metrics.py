"""Prometheus metrics of one service process, in a registry of its own.

`Metrics` holds the collectors; the app, the worker and the scheduler are given
the same instance. Queue sizes and inbox depths are read from the database when
/metrics is scraped (`Metrics.observe_database`), so every replica reports the
same figures.
"""

from __future__ import annotations

import logging
from datetime import UTC

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from service.queue.models import QueueEntry
from service.tickets.models import Source
from service.webhooks.models import DELIVERY_STATES, WebhookDelivery

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
QUEUE_STATES = ("ready", "claimed", "done", "dropped")


class Metrics:
    """The service's Prometheus metrics; also the connectors' CallObserver."""

    def tracker_call(self, source: str, endpoint: str, status: str) -> None:
        self.tracker_requests.labels(source=source, operation=endpoint, status=status).inc()

    def rate_limit_wait(self, source: str, seconds: float) -> None:
        self.rate_limit_waits.labels(source=source).inc()
        self.rate_limit_wait_seconds.labels(source=source).inc(max(0.0, seconds))

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.webhook_deliveries = Counter(
            "backlog_sync_webhook_deliveries",
            "Webhook deliveries received, by tracker and outcome (accepted, duplicate, "
            "ignored, bad_signature, malformed, too_large, no_source, source_unavailable, "
            "route_disabled, store_failed, unstorable)",
            ["tracker", "outcome"],
            registry=r,
        )
        self.webhook_processed = Counter(
            "backlog_sync_webhook_processed",
            "Webhook deliveries handled by the worker, by outcome (done, retry, failed)",
            ["tracker", "outcome"],
            registry=r,
        )
        self.triage_latency = Histogram(
            "backlog_sync_webhook_triage_seconds",
            "Time from a delivery's receipt to its labels written on the tracker",
            ["tracker"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 15.0, 60.0, 300.0),
            registry=r,
        )
        self.tracker_requests = Counter(
            "backlog_sync_tracker_calls",
            "Tracker calls made by the service, by source, operation and status "
            "(ok, or the tracker error's class)",
            ["source", "operation", "status"],
            registry=r,
        )
        self.rate_limit_waits = Counter(
            "backlog_sync_rate_limit_waits",
            "Waits because a tracker asked to slow down, by source",
            ["source"],
            registry=r,
        )
        self.rate_limit_wait_seconds = Counter(
            "backlog_sync_rate_limit_wait_seconds",
            "Seconds spent waiting for trackers' rate limits, by source",
            ["source"],
            registry=r,
        )
        self.job_runs = Counter(
            "backlog_sync_job_runs",
            "Scheduled job occurrences, by job kind and outcome (ok, failed, skipped, taken)",
            ["job", "outcome"],
            registry=r,
        )
        self.queue_entries = Gauge(
            "backlog_sync_queue_entries",
            "Ready-queue entries by state",
            ["state"],
            registry=r,
        )
        self.inbox_deliveries = Gauge(
            "backlog_sync_webhook_inbox",
            "Webhook inbox rows by state",
            ["state"],
            registry=r,
        )
        self.source_last_sync = Gauge(
            "backlog_sync_source_last_success_timestamp_seconds",
            "When a sync of the source last ended without an error (Unix time), by source",
            ["source"],
            registry=r,
        )
        self.http_requests = Counter(
            "backlog_sync_http_requests",
            "HTTP requests answered, by method, route (its template) and status",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_request_seconds = Histogram(
            "backlog_sync_http_request_seconds",
            "Time to answer an HTTP request, by method and route (its template)",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
            registry=r,
        )

    def http_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_requests.labels(method=method, route=route, status=str(status)).inc()
        self.http_request_seconds.labels(method=method, route=route).observe(seconds)

    def observe_database(self, sessions: sessionmaker[Session]) -> None:
        """Refresh the gauges read from the database (called on each scrape)."""
        try:
            with sessions() as session:
                queue = dict(
                    session.execute(
                        select(QueueEntry.state, func.count()).group_by(QueueEntry.state)
                    ).all()
                )
                inbox = dict(
                    session.execute(
                        select(WebhookDelivery.state, func.count()).group_by(WebhookDelivery.state)
                    ).all()
                )
                synced = session.execute(select(Source.name, Source.last_synced_at)).all()
        except SQLAlchemyError as exc:
            log.warning("metrics: cannot read queue and inbox sizes: %s", type(exc).__name__)
            return
        for state in sorted(set(QUEUE_STATES) | set(queue)):
            self.queue_entries.labels(state=state).set(queue.get(state, 0))
        for state in sorted(set(DELIVERY_STATES) | set(inbox)):
            self.inbox_deliveries.labels(state=state).set(inbox.get(state, 0))
        for name, when in synced:
            if when is None:  # never synced without an error
                continue
            if when.tzinfo is None:  # SQLite keeps no zone: the stored times are UTC
                when = when.replace(tzinfo=UTC)
            self.source_last_sync.labels(source=name).set(when.timestamp())

    def render(self) -> bytes:
        return generate_latest(self.registry)
