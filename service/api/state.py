"""The service objects one app holds, built once by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.api.intake import Intake
from service.config import Settings
from service.metrics import Metrics
from service.scheduler import JobScheduler
from service.webhooks import HandlerRegistry, SourceConnectors
from service.worker import InboxWorker


@dataclass(slots=True)
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    metrics: Metrics
    sources: SourceConnectors
    handlers: HandlerRegistry
    intake: Intake
    worker: InboxWorker | None = None
    scheduler: JobScheduler | None = None
