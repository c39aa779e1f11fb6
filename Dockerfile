# syntax=docker/dockerfile:1
#
# backlog-sync container image.
#
#   docker build -t backlog-sync .
#   docker run -p 8000:8000 -v backlog-sync-data:/data backlog-sync          # SQLite in /data
#   docker run ... -e BACKLOG_SYNC_DATABASE_URL=postgresql://... backlog-sync db upgrade
#
# Layout of the final image, and why:
#
#   /opt/venv   a virtualenv with every dependency of the project and the
#               `backlog-sync` console script (built in the builder stage).
#   /app        the source tree: /app/service, /app/connectors, /app/alembic,
#               /app/alembic.ini. /app is on PYTHONPATH.
#   /data       the working directory, owned by the service user: the embedded
#               SQLite default (sqlite:///./backlog-sync.db) and an optional
#               ./backlog-sync.yaml live here.
#
# service/db.py finds the migrations at PROJECT_ROOT/alembic and
# PROJECT_ROOT/alembic.ini, where PROJECT_ROOT is the directory that holds the
# `service` package. A plain `pip install .` puts `service` in site-packages,
# where there is no alembic.ini, and whose `alembic` directory is the Alembic
# *library*, not our migrations: `backlog-sync db upgrade` would break. So the
# wheel is installed only for its dependencies and its console script, its own
# copy of `service` and `connectors` is deleted from site-packages, and the
# packages are imported from the source tree at /app, next to alembic/.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: resolve and install the dependencies into a virtualenv ----------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv

WORKDIR /src
COPY pyproject.toml README.md ./
COPY service/ service/
COPY connectors/ connectors/

# Every dependency ships as a wheel for CPython 3.11 on manylinux (psycopg
# through psycopg[binary]), so no compiler is needed even here.
RUN /opt/venv/bin/pip install /src \
 && site_packages="$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && rm -rf "$site_packages/service" "$site_packages/connectors" \
 && /opt/venv/bin/python -I -c 'import importlib.util as u, sys; sys.exit(u.find_spec("service") is not None)'

# Byte-compile the sources once, so a read-only root filesystem costs nothing at
# start; hash-based .pyc files stay valid whatever the copied files' mtimes are.
RUN /opt/venv/bin/python -m compileall -q --invalidation-mode unchecked-hash service connectors

# --- final: the runtime, without build tools ---------------------------------
FROM ${PYTHON_IMAGE}

LABEL org.opencontainers.image.title="backlog-sync" \
      org.opencontainers.image.description="Scores tracker tickets for AI-readiness and keeps a ready queue for coding agents" \
      org.opencontainers.image.licenses="MIT"

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# A numeric, non-root user: Kubernetes' runAsNonRoot can only verify a numeric USER.
RUN groupadd --system --gid 10001 backlog \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin backlog \
 && mkdir -p /data \
 && chown 10001:10001 /data

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /src/service /app/service
COPY --from=builder /src/connectors /app/connectors
COPY alembic.ini /app/alembic.ini
COPY alembic/ /app/alembic/

WORKDIR /data
USER 10001:10001

EXPOSE 8000

# Liveness only (the process answers); /readyz also needs the database. A
# container started with `serve --role worker` (no api role) serves no HTTP:
# run it with --no-healthcheck. Kubernetes ignores HEALTHCHECK (the chart has probes).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

ENTRYPOINT ["backlog-sync"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
