"""Start a server as a subprocess and return once it says, on stdout, where it listens.

One launcher for the suite's embedded emulator, the project's tests (broken
emulators included) and the benchmarks, so that all of them start a server the
same way. A server announces itself with one line, `READY_LINE`, once its
socket is bound; the emulator prints it with `ready_line()`. Its stderr goes
to a temporary file, never a pipe that a chatty server could fill and block
on; stdout is read for that one line only, so a server must print nothing more
there. It imports nothing of the package, so the suite can use it and still
never import the emulator's code.
"""

from __future__ import annotations

import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

# The line a server prints on stdout once it listens, e.g.
# "emulator listening on http://127.0.0.1:41234 (edition original)".
READY_LINE = "{server} listening on {url} ({detail})"
_READY = re.compile(r"(?P<server>.+?) listening on (?P<url>https?://\S+) \((?P<detail>.*)\)")
# Our package's emulator, by its full name: a user's own `emulator` package is never started instead.
EMULATOR_MODULE = "invokeendpoint_conformance.emulator"
START_TIMEOUT = 30.0  # seconds for the readiness line
STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL
TAIL_LINES = 20


class StartError(RuntimeError):
    """The server exited, printed something else or stayed silent instead of announcing its URL."""


def ready_line(server: str, url: str, detail: str) -> str:
    return READY_LINE.format(server=server, url=url, detail=detail)


def emulator_command(
    *,
    edition: str | None = None,
    enforce_auth: bool = False,
    config: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    program: Sequence[str] = (),
) -> list[str]:
    """The command that starts our emulator with those options (port 0: a free one).

    No edition: the emulator's default. `program` replaces `python -m
    invokeendpoint_conformance.emulator` with another that takes the same options
    (a broken emulator of the project's tests).
    """
    command = list(program) or [sys.executable, "-m", EMULATOR_MODULE]
    command += ["--host", host, "--port", str(port)]
    if edition is not None:
        command += ["--edition", edition]
    if enforce_auth:
        command.append("--enforce-auth")
    if config is not None:
        command += ["--config", os.fspath(config)]
    return command


class Server:
    """A started server: its `url`, its `process`, its stderr so far. A context manager that stops it."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, stderr_path: Path) -> None:
        self.process = process
        self.url = url
        self.stderr_path = stderr_path
        self._final_log: str | None = None

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        """Everything the server wrote to stderr (kept once it is stopped)."""
        if self._final_log is not None:
            return self._final_log
        return _read(self.stderr_path)

    def log_tail(self, lines: int = TAIL_LINES) -> str:
        return _tail(self.log(), lines)

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, then SIGKILL after `timeout` s; returns the exit code; the stderr file is removed."""
        code = _terminate(self.process, timeout)
        if self._final_log is None:
            self._final_log = _read(self.stderr_path)
            self.stderr_path.unlink(missing_ok=True)
        return code

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start(
    command: Sequence[str],
    *,
    timeout: float = START_TIMEOUT,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> Server:
    """Run `command` and return once its first stdout line is a readiness line; else StartError."""
    handle, name = tempfile.mkstemp(prefix="server-", suffix=".log")
    stderr_path = Path(name)
    try:
        with os.fdopen(handle, "wb") as stderr:
            process = subprocess.Popen(
                list(command),
                stdout=subprocess.PIPE,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                env=None if env is None else dict(env),
                cwd=cwd,
            )
    except OSError as error:
        stderr_path.unlink(missing_ok=True)
        raise StartError(f"{shlex.join(command)} did not start: {error}") from None
    try:
        line, closed = _first_line(process, timeout)
    except BaseException:  # interrupted while waiting: never leave the server behind
        _terminate(process)
        stderr_path.unlink(missing_ok=True)
        raise
    ready = _READY.fullmatch(line.strip()) if line is not None else None
    if ready is not None:
        return Server(process, ready["url"], stderr_path)
    if closed:  # stdout closed: it is on its way out; let it finish, to learn its exit code
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    exited = process.poll()
    code = _terminate(process)
    tail = _tail(_read(stderr_path), TAIL_LINES).rstrip() or "(empty)"
    stderr_path.unlink(missing_ok=True)
    ended = f"exit code {exited}" if exited is not None else f"stopped, exit code {code}"
    if line is not None:
        why = f"its first line was {line.strip()!r}, not a readiness line ({ended})"
    elif exited is not None:
        why = f"it exited with code {exited} before printing a readiness line"
    elif closed:
        why = f"it closed its stdout without printing a readiness line ({ended})"
    else:
        why = f"it printed no readiness line within {timeout:g} s ({ended})"
    raise StartError(f"{shlex.join(command)} did not start: {why}; its stderr ends:\n{tail}")


def _first_line(process: subprocess.Popen[bytes], timeout: float) -> tuple[str | None, bool]:
    """The first stdout line (None if none came in time) and whether stdout closed before it did."""
    assert process.stdout is not None  # Popen(stdout=PIPE)
    deadline = time.monotonic() + timeout
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None, False
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                return None, True
            data += chunk
    return data.partition(b"\n")[0].decode("utf-8", errors="replace"), False


def _terminate(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> int:
    """SIGTERM, SIGKILL after `timeout` s; closes our end of its stdout; returns the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
    return process.returncode


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _tail(text: str, lines: int) -> str:
    return "".join(text.splitlines(keepends=True)[-lines:])
