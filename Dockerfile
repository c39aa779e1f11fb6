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
#   /opt/venv   a virtualenv with the project installed as a plain wheel
#               (`pip install /src`, not editable), every dependency and the
#               `backlog-sync` console script, built in the builder stage. It
#               is the only thing the final stage takes from the builder.
#   /data       the working directory, owned by the service user: the embedded
#               SQLite default (sqlite:///./backlog-sync.db) and an optional
#               ./backlog-sync.yaml live here.
#
# The migrations are inside the package: setup.py installs the checkout's
# alembic/ directory as service/migrations (env.py, script.py.mako,
# versions/*.py), where service/db.py finds them, with no alembic.ini. So
# `backlog-sync db upgrade` works from site-packages, and the image needs no
# source tree and no PYTHONPATH.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: resolve and install the dependencies into a virtualenv ----------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv

WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY service/ service/
COPY connectors/ connectors/
COPY alembic/ alembic/

# Every dependency ships as a wheel for CPython 3.11 on manylinux (psycopg
# through psycopg[binary]), so no compiler is needed even here. Then the
# project's own packages are byte-compiled again with hash-based .pyc files,
# which stay valid whatever the copied files' mtimes are: a read-only root
# filesystem costs nothing at start.
RUN /opt/venv/bin/pip install /src \
 && site_packages="$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && /opt/venv/bin/python -m compileall -q -f --invalidation-mode unchecked-hash \
      "$site_packages/service" "$site_packages/connectors"

# --- final: the runtime, without build tools ---------------------------------
FROM ${PYTHON_IMAGE}

LABEL org.opencontainers.image.title="backlog-sync" \
      org.opencontainers.image.description="Scores tracker tickets for AI-readiness and keeps a ready queue for coding agents" \
      org.opencontainers.image.licenses="MIT"

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# A numeric, non-root user: Kubernetes' runAsNonRoot can only verify a numeric USER.
RUN groupadd --system --gid 10001 backlog \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin backlog \
 && mkdir -p /data \
 && chown 10001:10001 /data

COPY --from=builder /opt/venv /opt/venv

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
