"""The probe as a SageMaker container program, on its own and behind an emulator variant's container_url."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator

import pytest
import requests
from emulator_testkit import ATTRIBUTES, CONTRACT, call, free_port, parse

from invokeendpoint_conformance import launcher


def _start_container(*args: str, env: dict[str, str] | None = None) -> launcher.Server:
    module = f"{launcher.EMULATOR_MODULE}.container"
    command = [sys.executable, "-m", module, "serve", "--host", "127.0.0.1", *args]
    return launcher.start(command, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def container() -> Iterator[str]:
    with _start_container("--port", "0") as server:
        yield server.url


def test_ping_answers_200(container):
    assert requests.get(container + "/ping", timeout=10).status_code == 200


@pytest.mark.parametrize(
    "directives, status, content_type",
    [
        ("", 200, "text/plain"),
        ("probe-status=503", 503, "text/plain"),
        ("probe-content-type=a%2Fb", 200, "a/b"),
    ],
)
def test_invocations_answer_as_the_probe(container, directives, status, content_type):
    headers = {"Content-Type": "text/plain", ATTRIBUTES: directives}
    response = requests.post(container + "/invocations", data=b"body", headers=headers, timeout=10)
    assert (response.status_code, response.headers["Content-Type"], response.content) == (
        status,
        content_type,
        b"body",
    )


def test_port_comes_from_sagemaker_bind_to_port():
    port = free_port()
    with _start_container(env={"SAGEMAKER_BIND_TO_PORT": str(port)}) as server:
        url = server.url
        assert url.endswith(f":{port}")
        assert requests.get(url + "/ping", timeout=10).status_code == 200


@pytest.fixture(scope="module")
def fronted(container, tmp_path_factory):
    """An emulator whose endpoint `remote` forwards to the container; `unreachable` to a closed port."""
    path = tmp_path_factory.mktemp("container") / "emulator.toml"
    path.write_text(
        f"""
[[endpoints.remote.variants]]
name = "Remote"
container_url = "{container}"
[[endpoints.unreachable.variants]]
name = "Nowhere"
container_url = "http://127.0.0.1:{free_port()}"
"""
    )
    with launcher.start(launcher.emulator_command(edition="current", config=path)) as running:
        yield running


def test_forwarded_invocation_reaches_the_container(fronted):
    sent = {"Content-Type": "text/csv", "Accept": "a/b", ATTRIBUTES: "probe-echo=headers", "X-Other": "strip"}
    response = call(fronted.url, "remote", body=b"12345", headers=sent)
    assert response.status_code == 200
    assert response.headers["x-Amzn-Invoked-Production-Variant"] == "Remote"
    echo = json.loads(response.content)
    forwarded = {h.lower() for h in CONTRACT["probe"]["forwarded_headers"]}
    for name, value in sent.items():
        assert echo["headers"].get(name.lower()) == (value if name.lower() in forwarded else None)
    assert echo["body_length"] == 5


def test_no_content_type_is_invented_on_the_way(fronted):
    response = call(fronted.url, "remote", body=b"x", headers={ATTRIBUTES: "probe-echo=headers"})
    assert "content-type" not in json.loads(response.content)["headers"]
    assert (
        call(fronted.url, "remote", body=b"x").headers["Content-Type"]
        == CONTRACT["probe"]["default_content_type"]
    )


def test_container_errors_become_model_errors(fronted):
    response = call(fronted.url, "remote", body=b"bad input", headers={ATTRIBUTES: "probe-status=422"})
    assert response.status_code == 424
    parsed = parse(response)
    assert parsed["OriginalStatusCode"] == 422 and parsed["OriginalMessage"] == "bad input"


def test_an_unreachable_container_is_service_unavailable(fronted):
    response = call(fronted.url, "unreachable", body=b"x")
    assert response.status_code == 503
    assert parse(response)["Error"]["Code"] == "ServiceUnavailable"
