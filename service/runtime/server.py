"""`serve`: run the service in this process: the API (uvicorn), the webhook
worker and the scheduler, all three by default (the embedded SQLite setup),
or only some roles to split them across processes or replicas.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Collection

import uvicorn

from service.api.app import create_app
from service.config import Settings
from service.runtime import compose, logs
from service.scoring import Policy

log = logging.getLogger(__name__)


def _freeze_startup_heap() -> None:
    """Leave what start-up built (modules, the app, settings: some 150,000
    objects) out of the garbage collector's full collections from now on.
    Scanning it takes 80-100 ms, during which every request in the process
    waits; a service under load runs one every few seconds."""
    gc.collect()
    gc.freeze()


def serve(
    settings: Settings,
    policy: Policy,
    roles: Collection[str],
    host: str,
    port: int,
    *,
    worker_threads: int = 4,
    access_log: bool = True,
    log_format: logs.LogFormat = "text",
) -> None:
    """Run until interrupted. With "api" in `roles`, uvicorn serves the app and
    the app's lifespan runs the worker and scheduler roles; without it, the
    worker and scheduler run headless. `worker_threads` threads drain the
    webhook inbox (one on SQLite)."""
    logs.configure(log_format)  # the service's own lines (and the access log) on stderr
    chosen = compose.check_roles(roles)
    engine = compose.make_engine(settings, chosen, worker_threads)
    service = compose.build(
        settings, policy=policy, roles=chosen, engine=engine, worker_threads=worker_threads
    )
    if "api" in chosen:
        app = create_app(service, access_log=access_log)
        log.info("serving roles %s on http://%s:%d", ",".join(sorted(chosen)), host, port)
        _freeze_startup_heap()
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
        return
    _serve_headless(service)


def _serve_headless(service: compose.Service) -> None:
    compose.prepare_database(service.settings, service.engine)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    _freeze_startup_heap()
    service.start()
    log.info("running roles %s", ",".join(sorted(service.roles)))
    try:
        stop.wait()
    finally:
        service.stop()
        service.engine.dispose()
