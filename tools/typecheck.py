"""Run mypy on the package as it installs: `python tools/typecheck.py [mypy arguments]`.

The repository's top-level folders become subpackages of `invokeendpoint_conformance` only
through pyproject.toml's package-dir, and the editable install maps them with an import hook
that mypy cannot follow. So this script lays out, in a temporary directory, the tree that
setuptools would install (symlinks into the checkout), points MYPYPATH at it, checks
`-p invokeendpoint_conformance`, tools/ and the typed test helpers, and prints mypy's report with
the paths turned back into the checkout's, so that editors and CI logs point at the real files.
It reads only the checkout, so it works the same with an editable install, a regular one or none.
The exit code is mypy's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
ROOT_PACKAGE = "invokeendpoint_conformance"
# Packages checked as strictly as the installed ones, though not installed: name -> folder.
ALSO_CHECKED = {"tools": REPO / "tools"}
# Test helpers other than the package that are typed and checked (not strictly: pyproject.toml),
# each as (the folder it is imported from, its module name).
HELPERS = ((REPO / "tests" / "mutants", "broken_emulator"),)
SKIPPED = frozenset({"__pycache__"})


def package_dirs(pyproject: Path = REPO / "pyproject.toml") -> dict[str, Path]:
    """Each package setuptools maps to a folder, with that folder in the checkout."""
    with pyproject.open("rb") as file:
        mapping: dict[str, str] = tomllib.load(file)["tool"]["setuptools"]["package-dir"]
    return {package: REPO / folder for package, folder in mapping.items()}


def build_link_tree(packages: Mapping[str, Path], into: Path) -> dict[Path, Path]:
    """The installed layout under `into`, made of symlinks; returns each link with its target.

    A package with a mapped subpackage becomes a real folder holding links to its own entries
    (the subpackage's link goes in beside them); any other package is one link to its folder.
    """
    links: dict[Path, Path] = {}
    for package in sorted(packages, key=lambda name: name.count(".")):
        source = packages[package]
        place = into.joinpath(*package.split("."))
        place.parent.mkdir(parents=True, exist_ok=True)
        if any(other.startswith(package + ".") for other in packages):
            place.mkdir()
            children = {name.rpartition(".")[2] for name in packages if name.rpartition(".")[0] == package}
            for entry in sorted(source.iterdir()):
                if entry.name not in SKIPPED and entry.name not in children:
                    (place / entry.name).symlink_to(entry)
                    links[place / entry.name] = entry
        else:
            place.symlink_to(source, target_is_directory=True)
            links[place] = source
    return links


def real_path(shown: str, links: Mapping[Path, Path], cwd: Path) -> str:
    """A path as mypy printed it, turned into the checkout's: relative to `cwd` when inside it, as
    mypy shows the files it was given."""
    path = cwd / shown
    for link, target in links.items():
        if path == link or link in path.parents:
            real = target / path.relative_to(link)
            return str(real.relative_to(cwd)) if cwd in real.parents else str(real)
    return shown


def map_paths(output: str, links: Mapping[Path, Path], cwd: Path) -> str:
    """mypy's report with each `path:line: ...` line pointing at the checkout."""
    lines = []
    for line in output.splitlines(keepends=True):
        shown, sep, rest = line.partition(":")
        if sep and shown.endswith((".py", ".pyi")):
            line = real_path(shown, links, cwd) + sep + rest
        lines.append(line)
    return "".join(lines)


def mypy_command(arguments: Sequence[str], cache: Path) -> list[str]:
    """mypy on the package and the helpers; its cache dies with the tree, since it records the
    paths it saw (a run is a few seconds without it)."""
    command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")]
    command += ["--cache-dir", str(cache), "-p", ROOT_PACKAGE]
    for package in ALSO_CHECKED:
        command += ["-p", package]
    for _, module in HELPERS:
        command += ["-m", module]
    return command + list(arguments)


def main(arguments: Sequence[str] = ()) -> int:
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="typecheck-") as temporary:
        # Resolved: mypy prints the paths it found, and the temporary folder may sit behind a link.
        tree = Path(temporary).resolve()
        links = build_link_tree({**package_dirs(), **ALSO_CHECKED}, tree / "tree")
        search_path = [str(tree / "tree"), *(str(folder) for folder, _ in HELPERS)]
        environment = {**os.environ, "MYPYPATH": os.pathsep.join(search_path)}
        finished = subprocess.run(
            mypy_command(arguments, tree / "cache"),
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    sys.stdout.write(map_paths(finished.stdout, links, cwd))
    sys.stderr.write(map_paths(finished.stderr, links, cwd))
    return finished.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
