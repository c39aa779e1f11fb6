"""The tree keeps the shape DESIGN.md gives it: config.py a leaf, small modules,
no import cycle, and one module for each mechanism the design keeps single."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("service", "connectors")
MAX_LINES = 600  # DESIGN.md: about 500; the vocabularies of scoring may be longer


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path


MODULES = dict(_modules())


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `path` imports, at any depth (function bodies and
    TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            # `from pkg import module` depends on that module (as import checkers
            # count it), `from module import name` on the module
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_config_is_a_leaf() -> None:
    assert not {m for m in GRAPH["service.config"] if m.startswith("service")}


def test_no_module_is_over_the_size_limit() -> None:
    large = {
        name: lines
        for name, path in MODULES.items()
        if not name.startswith("service.scoring")
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert large == {}


def test_there_is_no_import_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


@pytest.mark.parametrize(
    ("what", "needle"),
    [
        ("the HMAC signer", "hmac.new("),
        ("the Jinja environment", "Environment("),
    ],
)
def test_one_module_holds_each_single_mechanism(what: str, needle: str) -> None:
    holders = [name for name, path in MODULES.items() if needle in path.read_text("utf-8")]
    assert len(holders) == 1, f"{what} ({needle}) is in {holders}"


def test_init_modules_only_re_export() -> None:
    for name, path in MODULES.items():
        if path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        kinds = {
            type(node).__name__
            for node in tree.body
            if not isinstance(node, ast.ImportFrom | ast.Import)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
            and not (
                isinstance(node, ast.Assign)
                and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
            )
        }
        assert not kinds, f"{name} holds {kinds}"
