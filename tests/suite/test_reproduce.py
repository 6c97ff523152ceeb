"""The printed curl command replays what the suite sent: the same answer from the same target."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from botocore.credentials import Credentials

from invokeendpoint_conformance import launcher, specs
from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.target import resolve

EXAMPLE = specs.contract()["example_credentials"]
CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(CURL is None, reason="curl is not installed")


def _curl_version() -> tuple[int, ...]:
    found = re.match(
        r"curl (\d+)\.(\d+)", subprocess.run([CURL, "--version"], capture_output=True, text=True).stdout
    )
    return tuple(map(int, found.groups()))


# curl before 8.3 also signs the headers a command removes with -H 'Name:' (curl/curl#11664),
# so its signature is refused by a target that checks it; the commands need curl 8.3 or later.
SIGNS_RIGHT = CURL is not None and _curl_version() >= (8, 3)


def _client(enforce_auth: bool):
    with launcher.start(launcher.emulator_command(enforce_auth=enforce_auth)) as running:
        yield TargetClient(resolve({"url": running.url, "enforces_auth": enforce_auth}), running.url)


@pytest.fixture(scope="module")
def open_client():
    yield from _client(enforce_auth=False)


@pytest.fixture(scope="module")
def auth_client():
    yield from _client(enforce_auth=True)


def replay(command: str) -> tuple[int, bytes]:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": EXAMPLE["access_key"],
        "AWS_SECRET_ACCESS_KEY": EXAMPLE["secret_key"],
    }
    done = subprocess.run(["bash", "-c", command], capture_output=True, env=env, timeout=60)
    head, _, body = done.stdout.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


REQUESTS = {
    "no Content-Type": {"body": b"hello"},
    "a large binary body": {"body": bytes(range(256)) * 64},
    "what reached the model": {
        "body": b"x",
        "headers": [("Accept", "text/csv")],
        "directives": {"probe-echo": "headers"},
    },
    "a model error": {"body": b"oops", "directives": {"probe-status": 503}},
}


@pytest.mark.parametrize("case", REQUESTS)
def test_the_command_sends_the_same_headers_and_body(open_client, case):
    """Byte for byte: the probe echoes the body, and with probe-echo the headers it received."""
    exchange = open_client.invoke(**REQUESTS[case])
    assert replay(open_client.repro(exchange)) == (exchange.response.status, exchange.response.body)


SIGNINGS = {
    "unsigned": lambda c: {"signer": None},
    "wrong service": lambda c: {"signer": c.signer_with(service="s3")},
    "unknown key": lambda c: {
        "signer": c.signer_with(credentials=Credentials("AKIACONFORMANCE00000", "x" * 40))
    },
    "signed right": lambda c: {},
}


@pytest.mark.parametrize("case", SIGNINGS)
def test_the_command_signs_as_the_suite_did(auth_client, case):
    if case == "signed right" and not SIGNS_RIGHT:
        pytest.skip("curl before 8.3 signs the headers the command removes (curl/curl#11664)")
    exchange = auth_client.invoke(body=b"x", send_options=SIGNINGS[case](auth_client))
    status, _ = replay(auth_client.repro(exchange))
    assert status == exchange.response.status


def test_the_command_holds_no_secret(open_client):
    command = open_client.repro(open_client.invoke(body=b"secret?"))
    assert EXAMPLE["secret_key"] not in command and "Signature=" not in command
