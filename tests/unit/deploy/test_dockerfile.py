"""The container image, checked without a Docker engine: its build shape, the
user it runs as, that its command and health check match the real CLI and API
routes, and that it installs the project as a plain wheel (which carries the
migrations: tests/integration/db/test_packaging.py builds that wheel from the
files the builder copies and migrates with it)."""

from __future__ import annotations

import ast
import posixpath
import re
import shlex
from pathlib import Path

from tests.unit.deploy import dockerfile
from tests.unit.deploy.cli_args import options, resolve

ROOT = Path(__file__).resolve().parents[3]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

GLOBAL_ARGS, STAGES = dockerfile.parse(DOCKERFILE.read_text(encoding="utf-8"))
FINAL = STAGES[-1]
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|cc|make|build-essential|libpq-dev|python3-dev|curl|wget)\b")


def command_argv() -> list[str]:
    entrypoint = FINAL.last("ENTRYPOINT")
    cmd = FINAL.last("CMD")
    assert entrypoint is not None and cmd is not None
    first, rest = entrypoint.exec_form(), cmd.exec_form()
    assert first is not None and rest is not None, "use the exec form, so signals reach the app"
    return [*first, *rest]


def healthcheck_code() -> str:
    healthcheck = FINAL.last("HEALTHCHECK")
    assert healthcheck is not None, "the final stage has no HEALTHCHECK"
    _, _, command = healthcheck.args.partition("CMD ")
    argv = dockerfile.Instruction("CMD", command).exec_form()
    assert argv is not None and argv[:2] == ["python", "-c"], argv
    return argv[2]


def test_builds_in_two_stages_from_slim_python_311() -> None:
    assert len(STAGES) >= 2
    builder = STAGES[0]
    assert builder.name == "builder"
    bases = {s.base.replace("${PYTHON_IMAGE}", GLOBAL_ARGS.get("PYTHON_IMAGE", "")) for s in STAGES}
    assert all(re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base) for base in bases), bases
    from_builder = [c for c in dockerfile.copies(FINAL) if c.from_stage == "builder"]
    assert any(c.destination == "/opt/venv" for c in from_builder), "the venv comes from builder"


def test_final_stage_has_no_build_tools_and_installs_nothing() -> None:
    for run in FINAL.all("RUN"):
        assert "pip install" not in run.args, run.args
        assert "apt-get install" not in run.args, run.args
        assert not BUILD_TOOLS.search(run.args), run.args


def test_runs_as_a_numeric_non_root_user() -> None:
    # Kubernetes' runAsNonRoot can only check a numeric user.
    user = FINAL.last("USER")
    assert user is not None, "the final stage sets no USER (it would run as root)"
    uid, _, gid = user.args.partition(":")
    assert uid.isdigit() and int(uid) > 0, user.args
    assert not gid or (gid.isdigit() and int(gid) > 0), user.args
    assert FINAL.instructions.index(user) > max(
        FINAL.instructions.index(i) for i in FINAL.all("RUN")
    ), "USER comes after the last RUN"


def test_command_is_backlog_sync_serve_on_all_interfaces_port_8000() -> None:
    argv = command_argv()
    assert argv[0] == "backlog-sync"
    path, context = resolve(argv[1:])  # fails if the CLI has no such command or option
    assert path == ["serve"]
    assert context.params["host"] == "0.0.0.0"
    assert context.params["port"] == 8000
    assert "EXPOSE 8000" in {f"{i.keyword} {i.args}" for i in FINAL.instructions}


def test_the_console_script_is_the_typer_app() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["backlog-sync"] == "service.cli:app"


def test_migrations_command_exists() -> None:
    # the Helm migration Job runs `backlog-sync db upgrade`
    assert resolve(["db", "upgrade"])[0] == ["db", "upgrade"]


def test_serve_takes_the_options_the_chart_passes() -> None:
    assert {"--role", "--host", "--port"} <= options(["serve"])
    _, context = resolve(["serve", "--role", "worker,scheduler", "--port", "8000"])
    assert context.params["role"] == "worker,scheduler"


def test_healthcheck_calls_healthz_on_the_served_port_with_urllib() -> None:
    code = healthcheck_code()
    tree = ast.parse(code)  # a syntax error here would mark every container unhealthy
    calls = [ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert "urllib.request.urlopen" in calls
    port = command_argv()[command_argv().index("--port") + 1]
    assert f"http://127.0.0.1:{port}/healthz" in code
    assert "timeout=" in code


def test_probe_routes_exist_in_the_api() -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app
    from service.config import FileConfig, Secrets, Settings
    from service.runtime.compose import build

    settings = Settings(
        secrets=Secrets(_env_file=None, database_url="sqlite://"),
        file=FileConfig(),
        config_path=None,
    )
    app = create_app(build(settings, roles={"api"}))
    paths = app.openapi()["paths"]
    for route in ("/healthz", "/readyz", "/metrics"):  # the chart's probes and ServiceMonitor
        assert "get" in paths.get(route, {}), f"GET {route} is not a route of the API"
    with TestClient(app) as client:  # the embedded SQLite migrates itself at start
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").json()["status"] == "ok"


def test_every_copied_file_is_in_the_build_context() -> None:
    patterns = dockerfile.dockerignore_patterns(DOCKERIGNORE)
    for stage in STAGES:
        for copy in dockerfile.copies(stage):
            if copy.from_stage is not None:
                continue
            for source in copy.sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
                assert not dockerfile.ignored(source, patterns), f"COPY {source}: .dockerignored"
    assert not dockerfile.ignored("service/cli.py", patterns)
    assert not dockerfile.ignored("alembic/env.py", patterns)
    for unwanted in (
        ".venv/bin/python",
        ".git/HEAD",
        "tests/unit/__init__.py",
        "service/__pycache__/cli.cpython-311.pyc",
        "backlog-sync.db",
        ".env",
    ):
        assert dockerfile.ignored(unwanted, patterns), unwanted


def builder_pip_installs() -> list[list[str]]:
    """The `pip install` commands of the builder's RUN lines, as argument lists
    (a RUN's shell commands split at `&&`, `||` and `;` outside quotes)."""
    installs = []
    for run in STAGES[0].all("RUN"):
        lexer = shlex.shlex(run.args, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        command: list[str] = []
        for token in [*lexer, ";"]:
            if token in {"&&", "||", ";"}:
                if command[:1] and command[0].endswith("/pip") and command[1:2] == ["install"]:
                    installs.append(command)
                command = []
            else:
                command.append(token)
    return installs


def builder_context_copies() -> dict[str, str]:
    """Where the builder puts each file or directory it copies from the build
    context: {source: its path in the builder}, relative destinations resolved
    against the WORKDIR in effect."""
    placed: dict[str, str] = {}
    workdir = "/"
    for instruction in STAGES[0].instructions:
        if instruction.keyword == "WORKDIR":
            workdir = posixpath.join(workdir, instruction.args)
        if instruction.keyword != "COPY":
            continue
        (copy,) = dockerfile.copies(dockerfile.Stage("", None, [instruction]))
        if copy.from_stage is not None:
            continue
        destination = posixpath.join(workdir, copy.destination)
        for source in copy.sources:
            is_dir = (ROOT / source).is_dir()
            into = copy.destination.endswith(("/", ".")) and not is_dir
            target = (
                posixpath.join(destination, posixpath.basename(source)) if into else destination
            )
            placed[source.rstrip("/")] = posixpath.normpath(target)
    return placed


def test_builder_copies_what_the_wheel_is_built_from() -> None:
    # setup.py maps alembic/ into the wheel as service/migrations: without
    # either of them the installed service has no migrations
    placed = builder_context_copies()
    for name in ("pyproject.toml", "setup.py", "README.md", "service", "connectors", "alembic"):
        assert placed.get(name) == f"/src/{name}", (name, placed)


def test_builder_installs_the_project_as_a_plain_wheel() -> None:
    installs = builder_pip_installs()
    assert installs, "the builder runs no pip install"
    project = [words for words in installs if "/src" in words]
    assert len(project) == 1, installs
    (words,) = project
    assert words[0] == "/opt/venv/bin/pip"
    assert not {"-e", "--editable", "--no-deps", "-t", "--target"} & set(words), words
    builder_runs = " ".join(run.args for run in STAGES[0].all("RUN"))
    assert "rm -rf" not in builder_runs, "nothing installed is deleted again"


def test_final_stage_takes_only_the_venv_and_sets_no_pythonpath() -> None:
    # the installed wheel carries its migrations: no source tree next to it
    final_copies = dockerfile.copies(FINAL)
    assert [(c.from_stage, c.sources, c.destination) for c in final_copies] == [
        ("builder", ("/opt/venv",), "/opt/venv")
    ]
    assert "PYTHONPATH" not in FINAL.env()
    assert FINAL.env()["PATH"].startswith("/opt/venv/bin:")
    assert FINAL.last("WORKDIR") is not None
    assert FINAL.last("WORKDIR").args == "/data"  # type: ignore[union-attr]
