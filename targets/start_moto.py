"""Start moto's standalone server (`moto_server`) as a conformance target for InvokeEndpoint.

    python targets/start_moto.py [--host 127.0.0.1] [--port N] [--log FILE]

Without `--port` a free loopback port is picked. Once moto answers HTTP, this
prints exactly one line to stdout,

    moto listening on http://127.0.0.1:PORT (moto X.Y.Z)

and keeps moto running until SIGTERM or SIGINT (then stops it and exits 0;
if moto dies on its own, this exits with moto's exit code). moto's own log
(one line per request: method, path, status; a traceback when it crashes)
goes to `--log`, by default a temporary file whose path is printed on stderr.

From Python:

    from start_moto import start

    with start() as (url, process):  # or: server = start(); url, process = server; server.stop()
        ...

No probe endpoint is created, on purpose. moto 5.x's sagemaker-runtime backend
(moto/sagemakerruntime/responses.py, SageMakerRuntimeResponse.invoke_endpoint,
and models.py, SageMakerRuntimeBackend.invoke_endpoint) never consults the
SageMaker control plane (moto/sagemaker/models.py): it answers *any* endpoint
name, existing or not, with 200 and a static answer (body `body`, Content-Type
`content_type`, variant `invoked_production_variant`, custom attributes
`custom_attributes`), or with the next entry of the queue set through
`POST /moto-api/static/sagemaker/endpoint-results`. An endpoint created with
CreateEndpoint would change nothing on the wire, so creating one would only
suggest a probe that does not exist. Nor is the result queue seeded: the
certificate shows moto as a user gets it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

LISTENING = "moto listening on {url} (moto {version})"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# Served by moto's own moto_api backend whatever the request's signature: an HTTP answer here
# means the server is up, without touching any AWS service backend.
READY_PATH = "/moto-api/data.json"


class MotoStartError(RuntimeError):
    """moto_server did not come up; the message says why and quotes its log."""


def moto_version() -> str:
    try:
        return version("moto")
    except PackageNotFoundError:  # pragma: no cover - the server could not start either
        return "unknown"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _tail(path: str, lines: int = 20) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:])
    except OSError:
        return ""


def stop(process: subprocess.Popen) -> int:
    """Stop moto (SIGTERM, then SIGKILL after STOP_TIMEOUT_S); return its exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@dataclass
class MotoServer:
    """A running moto_server. Unpacks as `(url, process)`; as a context manager it stops moto on exit."""

    url: str
    process: subprocess.Popen
    log_path: str

    def __iter__(self) -> Iterator:
        return iter((self.url, self.process))

    def __enter__(self) -> MotoServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        stop(self.process)

    def stop(self) -> int:
        return stop(self.process)


def _wait_until_answering(url: str, process: subprocess.Popen, log_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise MotoStartError(
                f"moto_server exited with code {process.returncode} before answering; "
                f"its log ends:\n{_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(url + READY_PATH, timeout=2) as answer:
                answer.read()
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is up
        except (urllib.error.URLError, OSError) as error:
            last_error = str(error)
        time.sleep(0.1)
    raise MotoStartError(
        f"moto_server did not answer on {url} within {timeout:.0f} s (last error: {last_error}); "
        f"its log ends:\n{_tail(log_path)}"
    )


def start(
    *, host: str = "127.0.0.1", port: int | None = None, log_path: str | None = None, timeout=START_TIMEOUT_S
) -> MotoServer:
    """Start `python -m moto.server` (the `moto_server` console script) and return once it answers."""
    port = free_port(host) if port is None else port
    if port_in_use(host, port):
        raise MotoStartError(f"{host}:{port} is already in use; stop what listens there or pick --port")
    if log_path is None:
        handle, log_path = tempfile.mkstemp(prefix="moto-server-", suffix=".log")
        os.close(handle)
    command = [sys.executable, "-m", "moto.server", "--host", host, "--port", str(port)]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{host}:{port}"
    try:
        _wait_until_answering(url, process, log_path, timeout)
    except BaseException:  # a signal or an error while waiting: never leave moto behind
        stop(process)
        raise
    return MotoServer(url, process, log_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python targets/start_moto.py", description="Start moto_server for the conformance suite."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to bind (default: a free one)")
    parser.add_argument("--log", metavar="FILE", help="moto's request log (default: a temporary file)")
    args = parser.parse_args(argv)

    def on_signal(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        server = start(host=args.host, port=args.port, log_path=args.log)
    except MotoStartError as error:
        print(f"start_moto: {error}", file=sys.stderr)
        return 1
    try:
        print(f"start_moto: moto's log: {server.log_path}", file=sys.stderr, flush=True)
        print(LISTENING.format(url=server.url, version=moto_version()), flush=True)
        return server.process.wait()  # moto died on its own: pass its exit code on
    finally:
        with contextlib.suppress(Exception):
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
