"""The embedded default target: the reference emulator, run as a separate process.

The suite never imports the emulator's code (black box): it starts
`python -m emulator` on a free loopback port, reads the one line the
emulator prints once it listens, and from then on talks to it only over HTTP.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass

LISTENING = re.compile(r"emulator listening on (?P<url>http://\S+)")
START_TIMEOUT_S = 30


class EmbeddedTargetError(RuntimeError):
    pass


@dataclass
class EmbeddedEmulator:
    process: subprocess.Popen
    url: str
    log_path: str

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 20) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:])


def start(*, edition: str, enforce_auth: bool) -> EmbeddedEmulator:
    """Start the emulator and return once it accepts connections."""
    command = [
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
        command.append("--enforce-auth")
    log = tempfile.NamedTemporaryFile(prefix="conformance-emulator-", suffix=".log", delete=False)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    found: list[str] = []

    def read_first_line() -> None:
        found.append(process.stdout.readline())

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT_S)
    match = LISTENING.search(found[0]) if found else None
    if match is None:
        process.kill()
        process.wait()
        with open(log.name, encoding="utf-8", errors="replace") as text:
            stderr = text.read()[-2000:]
        raise EmbeddedTargetError(
            f"the embedded emulator did not start ({' '.join(command)}); it printed {found[:1]!r}, "
            f"exit code {process.returncode}; its log ends:\n{stderr}"
        )
    return EmbeddedEmulator(process=process, url=match.group("url"), log_path=log.name)
