"""Real GitHub webhook payloads (../shared/data/github/webhooks), pointed at a
fake repository and signed like GitHub signs them. Used by tests and the benchmark."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

WEBHOOKS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "github" / "webhooks"


def load_payload(name: str = "issues.opened.15.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((WEBHOOKS / name).read_text(encoding="utf-8"))
    return data


def retarget(payload: dict[str, Any], full_name: str, number: int, base_url: str) -> dict[str, Any]:
    """The payload, about issue `number` of repository `full_name` on `base_url`."""
    data = json.loads(json.dumps(payload))
    owner, name = full_name.split("/")
    old = data["repository"]["full_name"]
    old_number = data["issue"]["number"]
    text = json.dumps(data)
    text = text.replace(f"repos/{old}/issues/{old_number}", f"repos/{full_name}/issues/{number}")
    text = text.replace(f"{old}/issues/{old_number}", f"{full_name}/issues/{number}")
    text = text.replace("https://api.github.com", base_url.rstrip("/"))
    text = text.replace(old, full_name)
    data = json.loads(text)
    data["repository"]["name"] = name
    data["repository"]["owner"]["login"] = owner
    data["issue"]["number"] = number
    return data


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def github_delivery(
    payload: dict[str, Any], secret: str, *, event: str = "issues", delivery_id: str | None = None
) -> tuple[dict[str, str], bytes]:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(body, secret),
        "User-Agent": "GitHub-Hookshot/test",
    }
    return headers, body
