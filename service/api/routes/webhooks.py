"""POST /webhooks/{github,jira}: authenticated only by the tracker's signature.

The body is read raw (at most `webhooks.max_bytes`, default 5 MB: 413 past it),
verified, stored in the inbox and answered 202 once the row is committed
(together with those of the requests that arrived meanwhile:
`service.webhooks.intake`); the worker does the work. A repeated delivery id
answers 200 and is not processed again. Unknown events answer 202 and are
ignored. A bad signature answers 401 and stores nothing; the signature is
checked with the tracker's webhook secret alone, so it does not depend on the
source's credentials. A malformed body answers 400 with a fixed message naming
what is wrong (the body is never echoed). A delivery that cannot be stored
answers 503 when the database failed (the tracker shows it as failed and it can
be delivered again) and 422 when the database refuses one of its values
(storing it again would fail again).
"""

from __future__ import annotations

import logging
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from service import db
from service.api.deps import service
from service.api.schemas import WebhookAnswer
from service.webhooks import intake
from service.webhooks.intake import refused_row

log = logging.getLogger(__name__)
router = APIRouter(tags=["webhooks"])
# deliveries larger than this are checked (parsed) in the thread pool
INLINE_CHECK_BYTES = 64 * 1024


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None once it passes `limit` bytes (the rest is not read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _answer(request: Request, tracker: str) -> JSONResponse:
    state = service(request)
    metrics = state.metrics.webhook_deliveries
    if tracker not in state.settings.webhook_routes():
        metrics.labels(tracker=tracker, outcome="route_disabled").inc()
        return JSONResponse({"detail": f"the {tracker} webhook route is not enabled"}, 404)
    limit = state.settings.file.webhooks.max_bytes
    body = await _read_limited(request, limit)
    if body is None:
        metrics.labels(tracker=tracker, outcome="too_large").inc()
        return JSONResponse({"detail": "body too large"}, 413)
    secret = state.settings.webhook_secret(tracker)
    check = partial(
        intake.check,
        tracker=tracker,
        headers=dict(request.headers),
        body=body,
        sources=state.sources,
        secret=secret.get_secret_value() if secret is not None else None,
        handles=state.handlers.handles,
        now=db.utcnow(),
        max_bytes=limit,
    )
    try:
        # no database work: about a millisecond of CPU for a typical delivery,
        # done here; a large one (0.1 s at 2 MB) in the thread pool, so that the
        # event loop goes on answering meanwhile
        checked = check() if len(body) <= INLINE_CHECK_BYTES else await run_in_threadpool(check)
    except intake.WebhookRejected as exc:
        metrics.labels(tracker=tracker, outcome=exc.outcome).inc()
        log.info("webhook %s refused (%s): %s", tracker, exc.status_code, exc.message)
        return JSONResponse({"detail": exc.message}, exc.status_code)
    if isinstance(checked, intake.Checked):
        # answered once its row is committed (with those of requests that came meanwhile)
        try:
            received = await request.app.state.intake.store(checked)
        except SQLAlchemyError as exc:
            if refused_row(exc):  # storing it again would fail again
                metrics.labels(tracker=tracker, outcome="unstorable").inc()
                log.warning("webhook %s: the database refuses the delivery: %s", tracker, _why(exc))
                refused = {"detail": "the delivery has a value that cannot be stored"}
                return JSONResponse(refused, 422)
            metrics.labels(tracker=tracker, outcome="store_failed").inc()
            log.error("webhook %s: the delivery could not be stored: %s", tracker, _why(exc))
            return JSONResponse(
                {"detail": "the delivery could not be stored; the tracker may deliver it again"},
                503,
            )
    else:
        received = checked
    metrics.labels(tracker=tracker, outcome=received.outcome).inc()
    if received.outcome == "accepted" and state.worker is not None:
        state.worker.wake()
    answer = WebhookAnswer(
        outcome=received.outcome,
        delivery=received.delivery_id,
        event=received.event,
        action=received.action,
        reason=received.reason,
    )
    omitted = {"reason"} if received.reason is None else set()
    return JSONResponse(answer.model_dump(exclude=omitted), received.status_code)


def _why(exc: SQLAlchemyError) -> str:
    """The error's kind and SQLSTATE: not its message, which may quote the
    statement's values (the untrusted body) or the database's address."""
    original = getattr(exc, "orig", None)
    if original is None:
        return type(exc).__name__
    code = getattr(original, "sqlstate", None)
    return type(original).__name__ + (f" (SQLSTATE {code})" if code else "")


def _make_route(tracker: str) -> None:
    async def deliver(request: Request) -> JSONResponse:
        return await _answer(request, tracker)

    deliver.__name__ = f"webhook_{tracker}"
    router.add_api_route(
        f"/webhooks/{tracker}",
        deliver,
        methods=["POST"],
        status_code=202,
        response_model=WebhookAnswer,
        summary=f"Receive a {tracker} webhook delivery (signature-checked)",
        responses={
            200: {
                "model": WebhookAnswer,
                "description": "a repeated delivery: already stored, not processed again",
            },
            202: {"description": "accepted (or ignored: an event without a handler)"},
            400: {"description": "malformed: not JSON, or not a delivery of a known shape"},
            401: {"description": "bad or missing signature"},
            404: {"description": "no source of this tracker is configured"},
            413: {"description": "body over the size limit"},
            422: {"description": "a value in the delivery that the database refuses"},
            503: {
                "description": "the source cannot be used (its credentials are missing), "
                "or the delivery could not be stored (database unavailable)"
            },
        },
    )


for _tracker in intake.TRACKERS:
    _make_route(_tracker)
