"""Running the suite (and broken emulators) in subprocesses, as a user would, for the project's tests."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BROKEN_EMULATOR = Path(__file__).resolve().parent.parent / "mutants" / "broken_emulator.py"


@dataclass
class SuiteRun:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_suite(*args: str, timeout: float = 600, cwd: str | None = None, env: dict | None = None) -> SuiteRun:
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
def broken_emulator(name: str, *options: str):
    """A broken emulator (tests/mutants/broken_emulator.py) on a free port; yields its URL."""
    command = [sys.executable, str(BROKEN_EMULATOR), name, "--port", "0", *options]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://\S+", line)
        if url is None:
            raise RuntimeError(f"the broken emulator {name} did not start: {line!r}")
        yield url.group(0)
    finally:
        server.terminate()
        server.wait(timeout=10)
