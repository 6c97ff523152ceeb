"""Starting and stopping: the one stdout line, signals, the console script; and overridable decisions."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping

import pytest
import requests
from emulator_testkit import ABSENT, ATTRIBUTES, PROBE, InProcessEmulator, call, error_of

from invokeendpoint_conformance import launcher
from invokeendpoint_conformance.emulator.config import Endpoint
from invokeendpoint_conformance.emulator.pipeline import Pipeline

LINE = re.compile(r"emulator listening on http://127\.0\.0\.1:(\d+) \(edition (original|current)\)")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("edition", ["original", "current"])
def test_one_line_then_a_clean_stop(edition, signum):
    process = subprocess.Popen(
        launcher.emulator_command(edition=edition), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    first = process.stdout.readline()
    found = LINE.fullmatch(first.strip())
    assert found and found[2] == edition and int(found[1]) > 0
    assert call(f"http://127.0.0.1:{found[1]}", body=b"x").status_code == 200
    process.send_signal(signum)
    rest, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert rest == ""  # nothing but the one line, ever


def test_console_script_starts_the_same_program():
    script = shutil.which("invokeendpoint-emulator")
    if script is None:
        pytest.skip("the project's console script is not installed")
    done = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--enforce-auth" in done.stdout


def test_a_taken_port_is_reported(original):
    port = original.url.rsplit(":", 1)[1]
    argv = [
        sys.executable,
        "-m",
        "invokeendpoint_conformance.emulator",
        "--host",
        "127.0.0.1",
        "--port",
        port,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "cannot listen" in done.stderr and done.stdout == ""


class NoNameCheck(Pipeline):
    def check_endpoint_name(self, name: str) -> None:
        return None


class EveryNameIsTheProbe(Pipeline):
    def lookup_endpoint(self, name: str) -> Endpoint:
        return self.settings.config.endpoints[PROBE]


class EveryHeaderForwarded(Pipeline):
    def forward_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return dict(headers)


# Each decision is a method of the Pipeline the service is handed, so overriding one changes it:
# name -> (the subclass, endpoint to call, what then holds)
BROKEN: dict[str, tuple[type[Pipeline], str, Callable[[requests.Response], bool]]] = {
    "check_endpoint_name": (NoNameCheck, "-bad-", lambda r: "not found" in error_of(r)[1]),
    "lookup_endpoint": (EveryNameIsTheProbe, ABSENT, lambda r: r.status_code == 200),
    "forward_headers": (EveryHeaderForwarded, PROBE, lambda r: "x-other" in r.json()["headers"]),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_decisions_can_be_overridden_into_a_broken_emulator(name: str) -> None:
    pipeline, endpoint, holds = BROKEN[name]
    with InProcessEmulator(pipeline=pipeline) as running:
        response = call(running.url, endpoint, headers={ATTRIBUTES: "probe-echo=headers", "X-Other": "1"})
    assert holds(response)
