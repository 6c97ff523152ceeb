"""Start the emulator as a subprocess and wait until it listens: for tests, benchmarks and scripts.

It runs exactly as the conformance suite runs it (`python -m emulator --port 0`,
then the one "listening" line on stdout), so what the project's tests see is
what the suite sees. stderr (the request log) goes to a temporary file that
`log()` reads, so a chatty emulator can never block on a full pipe.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .__main__ import LISTENING

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
_LISTENING = re.compile(
    re.escape(LISTENING).replace(r"\{url\}", r"(?P<url>\S+)").replace(r"\{edition\}", r"\S+")
)


class EmulatorStartError(RuntimeError):
    """The emulator exited or stayed silent instead of announcing its URL."""


class RunningEmulator:
    """A started emulator process. Use as a context manager, or call `stop()`."""

    def __init__(self, process: subprocess.Popen, url: str, edition: str, stderr_path: Path) -> None:
        self.process = process
        self.url = url
        self.edition = edition
        self._stderr_path = stderr_path

    def log(self) -> str:
        """Everything the emulator wrote to stderr so far (the request log)."""
        return self._stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """SIGTERM, then SIGKILL if it lingers; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def cleanup(self) -> None:
        self.stop()
        self._stderr_path.unlink(missing_ok=True)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()


def command(
    *, edition: str = "original", enforce_auth: bool = False, config: str | os.PathLike | None = None
) -> list[str]:
    """The command line the suite would use."""
    argv = [
        sys.executable,
        "-m",
        "invokeendpoint_conformance.emulator",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--edition",
        edition,
    ]
    if enforce_auth:
        argv.append("--enforce-auth")
    if config is not None:
        argv += ["--config", os.fspath(config)]
    return argv


def start(
    *,
    edition: str = "original",
    enforce_auth: bool = False,
    config: str | os.PathLike | None = None,
    timeout: float = STARTUP_TIMEOUT,
) -> RunningEmulator:
    """Spawn `python -m emulator --port 0 ...` and return once it has printed its URL."""
    handle, name = tempfile.mkstemp(prefix="emulator-", suffix=".log")
    stderr_path = Path(name)
    with os.fdopen(handle, "wb") as stderr:
        process = subprocess.Popen(
            command(edition=edition, enforce_auth=enforce_auth, config=config),
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    line, closed = _first_line(process, timeout)
    match = _LISTENING.fullmatch(line.strip()) if line else None
    if match is None:
        try:  # stdout closed: the process is on its way out, let it finish to learn its exit code
            exited = process.wait(STOP_TIMEOUT) if closed else process.poll()
        except subprocess.TimeoutExpired:
            exited = None
        if exited is None:
            process.kill()
        process.wait()
        process.stdout.close()
        err = stderr_path.read_text(encoding="utf-8", errors="replace").strip()
        stderr_path.unlink(missing_ok=True)
        if line:
            said = f"printed {line.strip()!r}"
        elif exited is None:
            said = f"printed nothing within {timeout:g} s"
        else:
            said = f"exited with code {exited}"
        raise EmulatorStartError(f"emulator did not start ({said}); stderr:\n{err or '(empty)'}")
    return RunningEmulator(process, match["url"], edition, stderr_path)


def _first_line(process: subprocess.Popen, timeout: float) -> tuple[str, bool]:
    """The first stdout line ('' if none came in time) and whether stdout was closed first."""
    deadline = time.monotonic() + timeout
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return "", False
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                return "", True
            data += chunk
    return data.partition(b"\n")[0].decode("utf-8", errors="replace"), False
