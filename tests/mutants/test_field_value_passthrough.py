"""headers.control-characters against targets that pass a header's NUL or bare CR on to the model.

No broken emulator can: aiohttp's HTTP parser refuses a NUL, a CR or an LF inside a header value in
every mode, before any `Pipeline` method sees the request (the emulator's own mutant,
MalformedHeaderIsInternalFailure, can only answer that refusal wrongly). So these targets are not
the emulator: a bare HTTP server that reads each request itself, splitting field lines at CRLF only
(a bare CR stays inside its value), with a probe of its own (the default answer and
`probe-echo=headers`, target contract 2). Each does one thing with the header values it got, and
the suite, run with `--clause headers.control-characters`, must fail exactly the ones RFC 9110 5.5
forbids: NUL or CR forwarded as sent, or deleted (neither refused nor replaced by SP).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import socketserver
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from loopback import serving
from suite_runs import SuiteRun, run_suite

CLAUSE = "headers.control-characters"
JUDGED = "\x00\r"  # what RFC 9110 5.5 makes a recipient refuse or replace (LF cannot be sent inside)
OTHER_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
INVOCATION = re.compile(r"/endpoints/[^/]+/invocations")
FORWARDED = ("content-type", "accept", "x-amzn-sagemaker-custom-attributes")


class Crash(Exception):
    """The target fails on the request: 500."""


def _replaced(value: str) -> str:
    return "".join(" " if c in JUDGED else c for c in value)


def _crashes_on_other_controls(value: str) -> str:
    if OTHER_CONTROLS.search(value):
        raise Crash
    return _replaced(value)


# What each target does with a header value, and whether the clause passes it.
MODES: dict[str, tuple[Callable[[str], str], bool]] = {
    "forwarded-as-sent": (lambda value: value, False),
    "deleted": (lambda value: "".join(c for c in value if c not in JUDGED), False),
    "replaced-by-sp": (_replaced, True),  # other controls forwarded as sent: allowed (noted)
    "replaced-others-crash": (_crashes_on_other_controls, True),  # a 500 for \x01: allowed (noted)
}


class _Handler(socketserver.StreamRequestHandler):
    treat: Callable[[str], str]

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            head += chunk
        head, _, body = head.partition(b"\r\n\r\n")
        request_line, *lines = head.split(b"\r\n")
        method, target, _ = request_line.decode("latin-1").split(" ", 2)
        fields = {}
        for line in lines:
            name, _, value = line.partition(b":")
            fields[name.decode("latin-1").strip().lower()] = value.decode("utf-8", "surrogateescape").strip(
                " \t"
            )
        length = int(fields.get("content-length", "0"))
        while len(body) < length:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            body += chunk
        try:
            status, headers, answer = self.invoke(method, target, fields, body[:length])
        except Crash:
            status, headers, answer = 500, {"Content-Type": "application/json"}, b'{"message": "crashed"}'
        self.respond(status, headers, answer)

    def invoke(
        self, method: str, target: str, fields: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if method != "POST" or not INVOCATION.fullmatch(target.partition("?")[0]):
            return 404, {"Content-Type": "application/json"}, b'{"message": "no such operation"}'
        forwarded = {name: type(self).treat(fields[name]) for name in FORWARDED if name in fields}
        if "probe-echo=headers" in forwarded.get("x-amzn-sagemaker-custom-attributes", ""):
            echo = {
                "headers": forwarded,
                "body_length": len(body),
                "body_sha256": hashlib.sha256(body).hexdigest(),
            }
            return 200, {"Content-Type": "application/json"}, json.dumps(echo).encode()
        content_type = forwarded.get("content-type", "application/octet-stream")
        return 200, {"Content-Type": content_type, "x-Amzn-Invoked-Production-Variant": "AllTraffic"}, body

    def respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        lines = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines += [f"x-amzn-RequestId: {uuid.uuid4()}", f"Content-Length: {len(body)}", "Connection: close"]
        wire = "\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n\r\n" + body
        with contextlib.suppress(OSError):
            self.request.sendall(wire)
            self.request.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def passthrough_target(mode: str) -> Iterator[str]:
    """A target doing MODES[mode] with header values, on a free loopback port; yields its URL."""
    handler = type(f"Handler_{mode}", (_Handler,), {"treat": staticmethod(MODES[mode][0])})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with serving(server) as url:
        yield url


def _run(mode: str, report: Path) -> SuiteRun:
    with passthrough_target(mode) as url:
        options = ["--target-url", url, "--edition", "current", "--clause", CLAUSE]
        return run_suite(
            "-q", "--conformance-profile", "ci", "--conformance-report", str(report), *options, timeout=300
        )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[SuiteRun, Path]]:
    reports = {mode: tmp_path_factory.mktemp(mode) for mode in MODES}
    with ThreadPoolExecutor(len(MODES)) as pool:
        runs = {mode: pool.submit(_run, mode, reports[mode]) for mode in MODES}
        return {mode: (run.result(), reports[mode]) for mode, run in runs.items()}


def _record(report: Path) -> dict:
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return next(c for c in document["clauses"] if c["id"] == CLAUSE)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [m for m, (_, passes) in MODES.items() if not passes])
def test_nul_or_cr_reaching_the_model_not_as_a_space_fails_the_clause(outcomes, mode):
    run, report = outcomes[mode]
    assert run.exit_code == 1, run.output[-3000:]
    assert f"[{CLAUSE}]" in run.output, run.output[-3000:]
    assert _record(report)["verdict"] == "fail"


@pytest.mark.slow
@pytest.mark.parametrize("mode", [m for m, (_, passes) in MODES.items() if passes])
def test_nul_or_cr_replaced_by_sp_passes_and_other_controls_are_only_noted(outcomes, mode):
    run, report = outcomes[mode]
    assert run.exit_code == 0, run.output[-3000:]
    record = _record(report)
    assert record["verdict"] == "pass"
    fate = "reached the model as sent" if mode == "replaced-by-sp" else "500"
    assert any(fate in note for note in record["notes"]), record["notes"]
