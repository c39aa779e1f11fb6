"""How the service's log lines look: text for people, or one JSON object per line.

`--log-format json` (on `serve`) writes each record as one JSON object: `time`
(ISO 8601, UTC), `level`, `logger`, `message`, `request_id` (the id of the HTTP
request being served, `service.api.access_log.REQUEST_ID`, when there is one)
and `error` (the exception's class and message, when one is logged).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal

from service.api.access_log import REQUEST_ID

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record (see the module)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line["error"] = f"{type(error).__name__}: {error}"
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: LogFormat = "text") -> None:
    """Send the service's records (INFO and up) to stderr in `log_format`, unless
    logging was set up already (by a test, or an embedding program)."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
