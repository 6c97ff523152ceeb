"""Starting and stopping: the one stdout line, signals, the console script; and patchable decisions."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys

import pytest
from emulator_testkit import ABSENT, ATTRIBUTES, PROBE, InProcessEmulator, call, error_of

from invokeendpoint_conformance.emulator import app, launcher, validation

LINE = re.compile(r"emulator listening on http://127\.0\.0\.1:(\d+) \(edition (original|current)\)")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("edition", ["original", "current"])
def test_one_line_then_a_clean_stop(edition, signum):
    process = subprocess.Popen(
        launcher.command(edition=edition), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
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


# Each decision is looked up at call time, so patching one changes the running service:
# name -> (module, replacement, endpoint to call, what then holds)
BROKEN = {
    "check_endpoint_name": (validation, lambda *a: None, "-bad-", lambda r: "not found" in error_of(r)[1]),
    "lookup_endpoint": (app, lambda endpoints, *a: endpoints[PROBE], ABSENT, lambda r: r.status_code == 200),
    "forward_headers": (app, dict, PROBE, lambda r: "x-other" in r.json()["headers"]),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_decisions_can_be_patched_into_a_broken_emulator(monkeypatch, name):
    module, replacement, endpoint, holds = BROKEN[name]
    monkeypatch.setattr(module, name, replacement)
    with InProcessEmulator() as running:
        response = call(running.url, endpoint, headers={ATTRIBUTES: "probe-echo=headers", "X-Other": "1"})
    assert holds(response)
