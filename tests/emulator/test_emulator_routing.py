"""Routing, methods and paths; endpoint-name validation; endpoint lookup."""

from __future__ import annotations

import pytest
from emulator_testkit import ABSENT, ACCOUNT, PROBE, call, error_of, path_for, raw_exchange

from invokeendpoint_conformance import specs

NAME = specs.edition("original").request["EndpointName"]
MAX = NAME.max_length

# (method, path) -> status; none of these is an invocation, so none reaches the model.
NOT_INVOCATIONS = [
    ("GET", path_for(PROBE), 405),
    ("PUT", path_for(PROBE), 405),
    ("PATCH", path_for(PROBE), 405),
    ("DELETE", path_for(PROBE), 405),
    ("HEAD", path_for(PROBE), 405),
    ("OPTIONS", path_for(PROBE), 405),
    ("POST", f"/endpoints/{PROBE}/invocation", 404),
    ("POST", f"/endpoints/{PROBE}/invocations/", 404),
    ("POST", f"/endpoints/{PROBE}/invocations/extra", 404),
    ("POST", f"/endpoints/{PROBE}", 404),
    ("POST", f"/{PROBE}/invocations", 404),
    ("POST", f"/endpoint/{PROBE}/invocations", 404),
    ("POST", f"/x/endpoints/{PROBE}/invocations", 404),
    ("POST", "/", 404),
    ("GET", "/ping", 404),
]


@pytest.mark.parametrize("method, path, status", NOT_INVOCATIONS)
def test_what_is_not_an_invocation_is_refused(target, method, path, status):
    response = call(target.url, method=method, path=path, headers={"X-Amzn-SageMaker-Custom-Attributes": ""})
    assert response.status_code == status
    if method != "HEAD":
        code, _ = error_of(response)
        assert code == "UnknownOperationException"
    if status == 405:
        assert response.headers["Allow"] == "POST"


# name -> why it is refused (all ValidationError 400, before any lookup)
BAD_NAMES = {
    "a" * (MAX + 1): "max_length",
    "b" * (MAX + 40): "max_length",
    "-abc": "pattern",
    "abc-": "pattern",
    "a_b": "pattern",
    "a.b": "pattern",
    "a b": "pattern",
    "a/b": "pattern",  # sent as %2F: stays inside the one segment
    "é": "pattern",
    "a\u00e9" * 40: "max_length",  # 80 characters, checked as characters
}


@pytest.mark.parametrize("name", list(BAD_NAMES), ids=list(BAD_NAMES.values()))
def test_invalid_endpoint_names_are_refused(target, name):
    response = call(target.url, name)
    assert response.status_code == 400
    code, message = error_of(response)
    assert code == "ValidationError"
    assert "endpointName" in message and "not found" not in message


def test_empty_name_is_a_validation_error(target):
    response = call(target.url, path="/endpoints//invocations")
    assert response.status_code == 400
    assert error_of(response)[0] == "ValidationError"


@pytest.mark.parametrize(
    "name",
    [
        ABSENT,
        "A",
        "1",
        (ABSENT + "z" * MAX)[:MAX],
        "a--b",
        "conformance-absent-a-b",
        PROBE.upper(),
        PROBE.title(),
    ],
)
def test_valid_absent_names_reach_the_lookup(target, name):
    response = call(target.url, name)
    assert response.status_code == 400
    code, message = error_of(response)
    assert code == "ValidationError"
    found = specs.message_pattern("endpoint-not-found").fullmatch(message)
    assert found and found["name"] == name and found["account"] == ACCOUNT
    assert response.json()["ErrorCode"] == "NO_SUCH_ENDPOINT"


def test_percent_encoded_name_is_decoded(target):
    # %70 is "p": the raw segment is decoded once, so this names the probe endpoint.
    response = call(target.url, path=path_for(PROBE).replace("/c", "/%63", 1), body=b"x")
    assert response.status_code == 200 and response.content == b"x"


def test_absolute_form_request_target_is_routed(target):
    host = target.url.split("//")[1]
    request = f"POST http://{host}{path_for(PROBE)} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\n\r\nok"
    answer = raw_exchange(target.url, request.encode())
    assert answer.status == 200 and answer.body == b"ok"
