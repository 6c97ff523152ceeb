"""Running the suite (and broken emulators) in subprocesses, as a user would, for the project's tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from invokeendpoint_conformance import launcher

BROKEN_EMULATOR = Path(__file__).resolve().parent.parent / "mutants" / "broken_emulator.py"


@dataclass
class SuiteRun:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_suite(
    *args: str, timeout: float = 600, cwd: str | None = None, env: dict[str, str] | None = None
) -> SuiteRun:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--pyargs",
        "conformance",
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::DeprecationWarning",
        *args,
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "CI": "1", **(env or {})},
    )
    return SuiteRun(done.returncode, done.stdout, done.stderr)


@contextlib.contextmanager
def broken_emulator(name: str, *options: str) -> Iterator[str]:
    """A broken emulator (tests/mutants/broken_emulator.py) on a free port; yields its URL."""
    program = [sys.executable, str(BROKEN_EMULATOR), name]
    with launcher.start([*launcher.emulator_command(program=program), *options]) as server:
        yield server.url
