"""Installed into someone else's project, the package changes nothing there.

A foreign project is built in a temporary directory with the generic names a
project may well have (its own `conformance/` package, `strategies.py`,
`specs/`, `emulator/`) and a Hypothesis test that asserts Hypothesis's default
settings. This package is installed from a wheel of the checkout, as a user
would have it (so an editable install of the checkout cannot hide a packaging
mistake), and the project's own pytest run must pass untouched. Then the suite
runs from inside that project, with `--pyargs conformance`, and must be ours,
and must start our emulator, not the project's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 180
# What a checkout holds besides its source: environments, caches, build output, reports.
NOT_SOURCE = (".git", ".venv", ".tox", "build", "dist", "*.egg-info", "__pycache__", "reports", ".*_cache")

# The project's emulator, were it ever started as "the reference", leaves this file behind and
# announces a URL nothing listens on.
IMPOSTOR_MARK = "impostor-emulator-ran"

FOREIGN_PROJECT = {
    "conftest.py": """
        import conformance  # the project's own package, imported before anything collects

        assert conformance.OWNER == "foreign"
    """,
    "conformance/__init__.py": 'OWNER = "foreign"\n',
    "strategies.py": 'OWNER = "foreign"\n',
    "specs/__init__.py": 'OWNER = "foreign"\n',
    "emulator/__init__.py": 'OWNER = "foreign"\n',
    "emulator/__main__.py": f"""
        from pathlib import Path

        Path({IMPOSTOR_MARK!r}).write_text("started")
        print("emulator listening on http://127.0.0.1:9 (edition original)", flush=True)
    """,
    "tests/test_foreign.py": """
        import datetime
        import sys

        from hypothesis import given, settings, strategies as st

        import conformance, emulator, specs, strategies


        def test_hypothesis_keeps_its_default_settings():
            assert settings.default.max_examples == 100
            assert settings.default.deadline == datetime.timedelta(milliseconds=200)
            assert settings.default.suppress_health_check == ()
            assert settings.get_current_profile_name() == "default"


        @given(st.integers())
        def test_a_hypothesis_test_runs(number):
            assert isinstance(number, int)


        def test_the_generic_names_are_the_projects_own():
            assert {m.OWNER for m in (conformance, emulator, specs, strategies)} == {"foreign"}


        def test_nothing_of_the_suite_is_imported():
            ours = {name for name in sys.modules if name.startswith("invokeendpoint_conformance")}
            assert ours <= {"invokeendpoint_conformance", "invokeendpoint_conformance.pytest_plugin"}
    """,
}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built into a wheel and installed into a directory of its own.

    Built from a copy of the checkout: setuptools leaves build/ behind where it builds, and a
    later build would package a module that has since been deleted from the checkout.
    """
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(work / "wheel"), str(source)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_S,
    )
    (wheel,) = (work / "wheel").glob("*.whl")
    target = work / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_S,
    )
    return target


@pytest.fixture
def foreign_project(tmp_path: Path) -> Path:
    for name, text in FOREIGN_PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return tmp_path


def run_pytest(project: Path, installed: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in the project, as its developers run it, with the wheel's copy first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env["PYTHONPATH"] = str(installed)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def test_the_projects_own_tests_run_as_if_the_package_were_not_there(foreign_project, installed):
    run = run_pytest(foreign_project, installed, "tests", "--trace-config")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "4 passed" in run.stdout
    # the package's pytest plugin was loaded, from the wheel's copy: the test above proves something
    loaded = f"'invokeendpoint_conformance.pytest_plugin' from '{installed}"
    assert loaded in run.stdout, run.stdout[:3000]


def test_the_suite_run_from_that_project_is_ours_and_starts_our_emulator(foreign_project, installed):
    run = run_pytest(
        foreign_project,
        installed,
        "--pyargs",
        "conformance",
        "-q",
        "--clause",
        "name.empty",
        "--clause",
        "body.passed-unchanged",
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
    assert not (foreign_project / IMPOSTOR_MARK).exists(), "the project's own emulator was started"
