"""The Helm chart's values, checked without Helm: the schema accepts the shipped
values with a database URL and refuses what cannot work (each for its own
reason), every value a template reads exists, and what the chart hands the
service (config file, BACKLOG_SYNC_* variables, roles) is what the service reads."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from service.config import Secrets, parse_file_config
from service.runtime.compose import ROLES

ROOT = Path(__file__).resolve().parents[3]
CHART = ROOT / "helm" / "backlog-sync"
TEMPLATES = CHART / "templates"
VALUES: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
SCHEMA: dict[str, Any] = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))
POSTGRES = {"database": {"url": "postgresql://backlog:pw@postgres:5432/backlog"}}
SQLITE = {"database": {"url": "sqlite:////data/backlog-sync.db"}}

# Values whose keys are the user's own: anything below them is passed through.
FREE_FORM = {
    "config", "podAnnotations", "podLabels", "podSecurityContext", "securityContext",
    "resources", "nodeSelector", "affinity", "tolerations", "topologySpreadConstraints",
    "imagePullSecrets", "extraEnv", "serviceAccount.annotations", "service.annotations",
    "ingress.annotations", "ingress.tls", "serviceMonitor.labels", "probes.liveness",
    "probes.readiness", "migrations.resources", "global",
}  # fmt: skip


def merged(*overrides: dict[str, Any]) -> dict[str, Any]:
    """values.yaml with `overrides` on top, merged the way Helm merges (maps
    deeply, everything else replaced)."""

    def merge(base: Any, top: Any) -> Any:
        if isinstance(base, dict) and isinstance(top, dict):
            out = dict(base)
            for key, value in top.items():
                out[key] = merge(base.get(key), value) if key in base else value
            return out
        return copy.deepcopy(top)

    result: dict[str, Any] = copy.deepcopy(VALUES)
    for override in overrides:
        result = merge(result, override)
    return result


def problems(values: dict[str, Any]) -> set[tuple[str, str]]:
    """(keyword, dotted path) of every schema error."""
    return {
        (str(e.validator), ".".join(str(p) for p in e.absolute_path))
        for e in Draft7Validator(SCHEMA).iter_errors(values)
    }


def test_chart_and_values_files_parse() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text(encoding="utf-8"))
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "backlog-sync"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert chart["appVersion"] == project["version"], "the image tag defaults to appVersion"
    assert isinstance(VALUES, dict)
    for path in CI_VALUES:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


def test_schema_is_a_valid_draft_7_schema() -> None:
    Draft7Validator.check_schema(SCHEMA)


def test_shipped_values_with_a_postgresql_url_are_accepted() -> None:
    assert problems(merged(POSTGRES)) == set()


@pytest.mark.parametrize("path", CI_VALUES, ids=lambda p: p.name)
def test_example_values_are_accepted(path: Path) -> None:
    assert problems(merged(yaml.safe_load(path.read_text(encoding="utf-8")))) == set()


def test_shipped_values_alone_are_refused_for_want_of_a_database_url() -> None:
    # `helm install` without --set database.url (or existingSecret) stops here
    assert problems(VALUES) == {("minLength", "database.url")}


def test_existing_secret_stands_in_for_the_database_url() -> None:
    assert problems(merged({"existingSecret": "backlog-sync-env"})) == set()


def test_one_replica_on_sqlite_is_accepted() -> None:
    assert problems(merged(SQLITE, {"replicaCount": 1})) == set()


INVALID: dict[str, tuple[list[dict[str, Any]], set[tuple[str, str]]]] = {
    "sqlite with two replicas": (
        [SQLITE, {"replicaCount": 2}], {("maximum", "replicaCount")}),
    "sqlite with the default replica count": (
        [SQLITE], {("maximum", "replicaCount")}),
    "sqlite+pysqlite with replicas": (
        [{"database": {"url": "sqlite+pysqlite:///x.db"}, "replicaCount": 3}],
        {("maximum", "replicaCount")}),
    "sqlite with autoscaling": (
        [SQLITE, {"replicaCount": 1, "autoscaling": {"enabled": True}}],
        {("const", "autoscaling.enabled")}),
    "sqlite with split roles": (
        [SQLITE, {"replicaCount": 1, "roles": {"split": True}}], {("const", "roles.split")}),
    "empty database url": (
        [{"database": {"url": ""}}], {("minLength", "database.url")}),
    "no database url key": (
        [{"database": None}], {("type", "database")}),
    "empty existingSecret": (
        [{"existingSecret": ""}], {("minLength", "database.url")}),
    "a database the service does not support": (
        [{"database": {"url": "mysql://u:p@db/backlog"}}], {("pattern", "database.url")}),
    "a misspelt top-level key": (
        [POSTGRES, {"replicacount": 3}], {("additionalProperties", "")}),
    "an unknown role": (
        [POSTGRES, {"roles": {"split": True, "deployments": [
            {"name": "web", "roles": ["web"], "replicas": 2}]}}]
        , {("enum", "roles.deployments.0.roles.0")}),
    "replicas as a string": (
        [POSTGRES, {"replicaCount": "3"}], {("type", "replicaCount")}),
    "a role deployment without replicas": (
        [POSTGRES, {"roles": {"split": True, "deployments": [{"name": "api", "roles": ["api"]}]}}],
        {("required", "roles.deployments.0")}),
}  # fmt: skip


@pytest.mark.parametrize("case", INVALID, ids=str)
def test_invalid_values_are_refused_for_the_right_reason(case: str) -> None:
    overrides, expected = INVALID[case]
    assert problems(merged(*overrides)) == expected


def test_missing_url_key_is_refused() -> None:
    values = merged()
    values["database"] = {}
    assert problems(values) == {("required", "database")}


def test_schema_roles_are_the_service_roles() -> None:
    assert set(SCHEMA["definitions"]["role"]["enum"]) == set(ROLES)
    for deployment in VALUES["roles"]["deployments"]:
        assert set(deployment["roles"]) <= set(ROLES)


@pytest.mark.parametrize("path", [None, *CI_VALUES], ids=lambda p: p.name if p else "values.yaml")
def test_the_config_file_from_values_is_a_valid_service_config(path: Path | None) -> None:
    overrides = yaml.safe_load(path.read_text(encoding="utf-8")) if path else {}
    parse_file_config(merged(overrides)["config"], "values.yaml config")  # raises ConfigError


def template_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.iterdir()))


def test_every_environment_variable_the_chart_sets_is_a_setting() -> None:
    names = set(re.findall(r"\bBACKLOG_SYNC_[A-Z_]+\b", template_text()))
    fields = {f"BACKLOG_SYNC_{name.upper()}" for name in Secrets.model_fields}
    assert names, "the templates set no BACKLOG_SYNC_* variable"
    assert names - fields == set(), "variables the service does not read"
    # and every setting can be given through the chart's Secret or the config mount
    assert fields - names == set(), "settings the chart cannot set"


def test_secret_values_are_the_ones_the_secret_template_reads() -> None:
    helpers = (TEMPLATES / "_helpers.tpl").read_text(encoding="utf-8")
    read = set(re.findall(r"\$s\.(\w+)", helpers))
    assert read == set(VALUES["secrets"])


VALUES_PATH = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def test_every_values_path_a_template_reads_exists_in_values_yaml() -> None:
    missing = []
    for template in sorted(TEMPLATES.iterdir()):
        for match in VALUES_PATH.finditer(template.read_text(encoding="utf-8")):
            keys = match.group(1).lstrip(".").split(".")
            node: Any = VALUES
            for depth, key in enumerate(keys):
                if ".".join(keys[:depth]) in FREE_FORM:
                    break
                if not isinstance(node, dict) or key not in node:
                    missing.append(f"{template.name}: .Values.{'.'.join(keys)}")
                    break
                node = node[key]
    assert missing == []


def test_every_top_level_value_is_used_by_a_template() -> None:
    used = {m.group(1).lstrip(".").split(".")[0] for m in VALUES_PATH.finditer(template_text())}
    assert set(VALUES) - used == set()
