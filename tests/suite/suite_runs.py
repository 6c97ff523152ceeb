"""Running the suite in a subprocess, as a user would, for the project's own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class SuiteRun:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_suite(*args: str, timeout: float = 600, cwd: str | None = None) -> SuiteRun:
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
        command, capture_output=True, text=True, timeout=timeout, cwd=cwd, env={**os.environ, "CI": "1"}
    )
    return SuiteRun(done.returncode, done.stdout, done.stderr)
