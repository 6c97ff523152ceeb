"""The package's imports form layers: no cycle anywhere, and no module imports a layer above its own.

Read from the source with `ast` (importing would hide a cycle that happens to
resolve), every import counted, those inside functions and TYPE_CHECKING
blocks too. Module names come from pyproject.toml's package-dir, the same
mapping the installed package has. `from package import name` counts as an
import of the submodule where `name` is one, else of the package.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "invokeendpoint_conformance"

# What each part may import of the package besides itself (docs/architecture.md). The rule for a
# module is that of the longest part its name starts with.
MAY_IMPORT: dict[str, set[str]] = {
    f"{PACKAGE}": set(),
    f"{PACKAGE}.pytest_plugin": set(),  # imported in every pytest run of the user's environment
    f"{PACKAGE}.launcher": set(),
    f"{PACKAGE}.specs": set(),
    f"{PACKAGE}.exchanges": {f"{PACKAGE}.specs"},
    f"{PACKAGE}.strategies": {f"{PACKAGE}.specs", f"{PACKAGE}.exchanges"},
    f"{PACKAGE}.conformance": {
        f"{PACKAGE}",
        f"{PACKAGE}.specs",
        f"{PACKAGE}.exchanges",
        f"{PACKAGE}.strategies",
        f"{PACKAGE}.launcher",
        f"{PACKAGE}.pytest_plugin",
    },
    # The reference emulator shares the data and the model, never the suite's code.
    f"{PACKAGE}.emulator": {f"{PACKAGE}", f"{PACKAGE}.specs", f"{PACKAGE}.exchanges", f"{PACKAGE}.launcher"},
}


def package_dirs() -> dict[str, Path]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: ROOT / folder for name, folder in pyproject["tool"]["setuptools"]["package-dir"].items()}


def modules() -> dict[str, Path]:
    """Every module of the installed package, by its dotted name."""
    found: dict[str, Path] = {}
    for package, folder in package_dirs().items():
        for path in folder.rglob("*.py"):
            relative = path.relative_to(folder).with_suffix("").parts
            if relative[-1] == "__init__":
                relative = relative[:-1]
            found[".".join((package, *relative))] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {i for i in found if i == PACKAGE or i.startswith(PACKAGE + ".")}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) - {name} for name, path in found.items()}


def part_of(name: str) -> str:
    return max((part for part in MAY_IMPORT if name == part or name.startswith(part + ".")), key=len)


def test_the_graph_is_read_from_every_module():
    graph = import_graph()
    assert f"{PACKAGE}.conformance.plugin" in graph and f"{PACKAGE}.emulator.app" in graph
    assert f"{PACKAGE}.exchanges" in graph[f"{PACKAGE}.conformance.wire"]


def test_no_import_cycle():
    graph = import_graph()
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycles.append(path[path.index(name) :] + [name])
            return
        if name in done:
            return
        for imported in sorted(graph.get(name, ())):
            visit(imported, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_each_part_imports_only_the_layers_below_it():
    wrong = [
        f"{name} imports {imported}"
        for name, imported_names in sorted(import_graph().items())
        for imported in sorted(imported_names)
        if part_of(imported) != part_of(name) and part_of(imported) not in MAY_IMPORT[part_of(name)]
    ]
    assert not wrong, "imports across layers:\n" + "\n".join(wrong)


def project_sources() -> list[Path]:
    """The package, its tests, tools, benchmarks and scripts: every Python file of the checkout."""
    skipped = {".venv", ".tox", "build", "dist", ".git"}
    return sorted(p for p in ROOT.rglob("*.py") if not skipped & set(p.relative_to(ROOT).parts))


def test_nothing_imports_a_generic_top_level_name():
    """`import specs` works in this checkout (its folders are on sys.path) but not once installed."""
    generic = {"conformance", "strategies", "specs", "emulator"}
    wrong = []
    for path in project_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            wrong += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] in generic]
    assert not wrong, "imports by a generic name:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "graph, cycle",
    [({"a": {"b"}, "b": {"a"}}, True), ({"a": {"b"}, "b": set()}, False)],
)
def test_the_cycle_check_finds_a_cycle(graph, cycle, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "import_graph", lambda: graph)
    if cycle:
        with pytest.raises(AssertionError, match="a -> b -> a"):
            test_no_import_cycle()
    else:
        test_no_import_cycle()


def test_the_layer_check_finds_an_upward_import(monkeypatch):
    upward = {f"{PACKAGE}.specs": {f"{PACKAGE}.conformance.plugin"}, f"{PACKAGE}.conformance.plugin": set()}
    monkeypatch.setattr(sys.modules[__name__], "import_graph", lambda: upward)
    with pytest.raises(AssertionError, match=f"{PACKAGE}.specs imports {PACKAGE}.conformance.plugin"):
        test_each_part_imports_only_the_layers_below_it()


def test_no_folder_of_the_checkout_shadows_the_installed_package():
    """Python puts the current directory first: a run from the checkout's top must import the install."""
    assert not (ROOT / PACKAGE).exists() and not (ROOT / f"{PACKAGE}.py").exists()
