"""The chart's templates, read as text (no Helm binary here): well-formed
blocks, the resources the chart promises, and pods that run as the image
expects (non-root, read-only root filesystem, probes on real routes, the real
CLI commands)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.runtime.compose import ROLES
from tests.unit.deploy.cli_args import resolve

ROOT = Path(__file__).resolve().parents[3]
CHART = ROOT / "helm" / "backlog-sync"
TEMPLATES = CHART / "templates"
VALUES: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
OPENERS = {"if", "range", "with", "define", "block"}


def text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.iterdir() if p.suffix in (".yaml", ".tpl", ".txt"))


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.name)
def test_template_blocks_are_balanced(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count("{{") == source.count("}}"), "unclosed {{ or }}"
    assert "\t" not in source, "a tab in YAML"
    stack: list[str] = []
    for match in ACTION.finditer(source):
        action = match.group(1)
        if action.startswith("/*"):
            assert action.endswith("*/"), f"unclosed comment: {action[:40]}"
            continue
        word = action.split(maxsplit=1)[0] if action else ""
        line = source.count("\n", 0, match.start()) + 1
        if word in OPENERS:
            stack.append(word)
        elif word == "else":
            assert stack and stack[-1] in ("if", "with", "range"), f"line {line}: stray else"
        elif word == "end":
            assert stack, f"line {line}: end without a block"
            stack.pop()
    assert stack == [], f"blocks left open: {stack}"


def test_the_chart_has_the_promised_resources() -> None:
    kinds = {
        m.group(1)
        for p in template_files()
        for m in re.finditer(r"^kind: (\w+)$", p.read_text(encoding="utf-8"), re.M)
    }
    assert kinds >= {
        "Deployment", "Service", "Ingress", "ConfigMap", "Secret", "Job", "ServiceAccount",
        "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor",
    }  # fmt: skip
    assert (TEMPLATES / "NOTES.txt").is_file() and (TEMPLATES / "_helpers.tpl").is_file()


def test_pods_run_as_non_root_on_a_read_only_root_filesystem() -> None:
    deployment = text("deployment.yaml")
    assert VALUES["podSecurityContext"]["runAsNonRoot"] is True
    assert VALUES["securityContext"]["runAsNonRoot"] is True
    assert VALUES["securityContext"]["readOnlyRootFilesystem"] is True
    assert VALUES["securityContext"]["allowPrivilegeEscalation"] is False
    assert VALUES["securityContext"]["capabilities"]["drop"] == ["ALL"]
    # the image's user (Dockerfile USER 10001) is the one the pods ask for
    assert VALUES["podSecurityContext"]["runAsUser"] == 10001
    pod_level = r"^      securityContext:\n.*toYaml \$\.Values\.podSecurityContext"
    container_level = r"^          securityContext:\n.*toYaml \$\.Values\.securityContext"
    assert re.search(pod_level, deployment, re.M)
    assert re.search(container_level, deployment, re.M)
    # a read-only root needs somewhere to write
    assert re.search(r"- name: tmp\n\s+mountPath: /tmp", deployment)
    assert re.search(r"- name: tmp\n\s+emptyDir:", deployment)


def test_probes_use_the_health_routes() -> None:
    deployment = text("deployment.yaml")
    assert re.search(r"livenessProbe:\n\s+httpGet:\n\s+path: /healthz\n\s+port: http", deployment)
    assert re.search(r"readinessProbe:\n\s+httpGet:\n\s+path: /readyz\n\s+port: http", deployment)


def test_a_config_or_secret_change_rolls_the_pods() -> None:
    deployment = text("deployment.yaml")
    for name in ("config", "secret"):
        template = "configmap" if name == "config" else name
        annotation = (
            f"checksum/{name}: "
            f'{{{{ include (print $.Template.BasePath "/{template}.yaml") $ | sha256sum }}}}'
        )
        assert annotation in deployment


def test_the_config_file_is_mounted_where_backlog_sync_config_points() -> None:
    deployment = text("deployment.yaml")
    configured = re.search(r"name: BACKLOG_SYNC_CONFIG\n\s+value: (\S+)", deployment)
    mounted = re.search(r"- name: config\n\s+mountPath: (\S+)\n\s+readOnly: true", deployment)
    key = re.search(r"^  ([\w.-]+): \|$", text("configmap.yaml"), re.M)
    assert configured and mounted and key
    assert configured.group(1) == f"{mounted.group(1)}/{key.group(1)}"


def deployment_args(roles: list[str]) -> list[str]:
    """The container args of deployment.yaml for a Deployment running `roles`."""
    block = re.search(r"^          args:\n((?:            - .*\n)+)", text("deployment.yaml"), re.M)
    assert block, "deployment.yaml: no args list"
    known = {
        '{{ join "," $d.roles | quote }}': f'"{",".join(roles)}"',
        "{{ $.Values.containerPort | quote }}": f'"{VALUES["containerPort"]}"',
    }
    args = []
    for line in block.group(1).splitlines():
        item = line.strip().removeprefix("- ")
        item = known.get(item, item)
        assert "{{" not in item, f"an arg this test cannot render: {item}"
        args.append(yaml.safe_load(item))
    return [str(a) for a in args]


@pytest.mark.parametrize(
    "roles",
    [sorted(ROLES), ["api"], ["worker", "scheduler"], ["scheduler"]],
    ids=lambda r: ",".join(r),
)
def test_deployments_run_backlog_sync_serve_with_their_roles(roles: list[str]) -> None:
    assert 'command: ["backlog-sync"]' in text("deployment.yaml")
    path, context = resolve(deployment_args(roles))  # fails on an unknown command or option
    assert path == ["serve"]
    assert context.params["role"] == ",".join(roles)
    assert context.params["host"] == "0.0.0.0"
    assert context.params["port"] == VALUES["containerPort"]


def test_only_deployments_with_the_api_role_serve_http() -> None:
    deployment = text("deployment.yaml")
    assert '{{- $http := has "api" $d.roles }}' in deployment
    assert re.search(r"\{\{- if \$http \}\}\n\s+ports:", deployment)
    assert 'backlog-sync/http: "true"' in text("service.yaml")


def documents(name: str) -> list[str]:
    return [d for d in re.split(r"^---$", text(name), flags=re.M) if "kind:" in d]


def test_migrations_run_db_upgrade_as_a_pre_install_and_pre_upgrade_hook() -> None:
    docs = {}
    for document in documents("migration-job.yaml"):
        kind = re.search(r"^kind: (\w+)", document, re.M)
        assert kind
        docs[kind.group(1)] = document
    job = docs["Job"]
    assert "helm.sh/hook: pre-install,pre-upgrade" in job
    args = re.search(r'command: \["backlog-sync"\]\n\s+args: (\[.*\])', job)
    assert args
    assert resolve(yaml.safe_load(args.group(1)))[0] == ["db", "upgrade"]
    # its database URL exists before it does: a hook Secret with a lower weight
    secret = docs["Secret"]
    assert "helm.sh/hook: pre-install,pre-upgrade" in secret
    weights = [re.search(r'helm.sh/hook-weight: "(-?\d+)"', d) for d in (secret, job)]
    assert weights[0] and weights[1]
    assert int(weights[0].group(1)) < int(weights[1].group(1))
    assert "BACKLOG_SYNC_DATABASE_URL" in secret
    assert "restartPolicy: Never" in job
    assert re.search(r"^          securityContext:\n.*toYaml \.Values\.securityContext", job, re.M)
