"""SigV4 enforcement (--enforce-auth): who is refused, in which shape; nothing refused reaches the model."""

from __future__ import annotations

import json

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from emulator_testkit import (
    ABSENT,
    ACCESS_KEY,
    ATTRIBUTES,
    CONTRACT,
    PROBE,
    REGION,
    SECRET_KEY,
    VARIANT,
    call,
    error_of,
    parse,
    path_for,
)

from invokeendpoint_conformance import specs

NAMESPACE = ":http://internal.amazon.com/coral/com.amazon.coral.service/"
SIGNING = CONTRACT["signing_name"]

# name -> (call keyword arguments, error name, message key or literal message)
REFUSED = {
    "unsigned": (dict(sign=False), "MissingAuthenticationTokenException", "missing-authentication-token"),
    "wrong-service": (dict(service="s3"), "InvalidSignatureException", "wrong-service"),
    "wrong-service-runtime": (
        dict(service="runtime.sagemaker"),
        "InvalidSignatureException",
        "wrong-service",
    ),
    "bad-secret": (dict(secret_key="not-the-secret"), "InvalidSignatureException", "bad-signature"),
    "unknown-key": (
        dict(access_key="AKIAUNKNOWNKEY000000"),
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    ),
}


def _expected_message(key: str) -> str:
    return specs.messages()[key]["template"].format(service=SIGNING) if key in specs.messages() else key


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_requests_get_the_front_door_shape(authed, case):
    kwargs, name, message = REFUSED[case]
    response = call(authed.url, body=b"x", headers={ATTRIBUTES: "probe-status=200"}, **kwargs)
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == name + NAMESPACE
    assert set(response.json()) == {"message"}
    assert error_of(response) == (name, _expected_message(message))


def _tampered(authed, change: str):
    """A correctly signed request, altered after signing."""

    url = authed.url + path_for(PROBE)
    request = AWSRequest("POST", url, data=b"signed body", headers={"Content-Type": "text/plain"})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), SIGNING, REGION).add_auth(request)
    headers, body = dict(request.headers.items()), b"signed body"
    if change == "body":
        body = b"other body"
    elif change == "signed-header":
        headers["Content-Type"] = "text/csv"
    elif change == "date":
        headers["X-Amz-Date"] = "20200101T000000Z"
    elif change == "path":
        url = authed.url + path_for(ABSENT)
    elif change == "signature":
        headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    elif change == "garbled":
        headers["Authorization"] = "AWS4-HMAC-SHA256 nonsense"
    with requests.Session() as session:
        session.headers.clear()
        return session.post(url, data=body, headers=headers)


@pytest.mark.parametrize("change", ["body", "signed-header", "date", "path", "signature"])
def test_a_request_changed_after_signing_is_refused(authed, change):
    response = _tampered(authed, change)
    assert response.status_code == 403
    assert error_of(response) == ("InvalidSignatureException", _expected_message("bad-signature"))


def test_a_garbled_authorization_header_is_refused(authed):
    response = _tampered(authed, "garbled")
    assert response.status_code == 403
    assert error_of(response)[0] == "IncompleteSignatureException"


def test_unsigned_headers_may_change(authed):
    """Only SignedHeaders are covered: an unsigned header added after signing is fine."""
    response = call(authed.url, body=b"ok", headers={"Content-Type": "text/plain"})
    assert response.status_code == 200 and response.content == b"ok"
    assert response.headers["x-Amzn-Invoked-Production-Variant"] == VARIANT


@pytest.mark.parametrize(
    "name, body, headers",
    [
        (PROBE, b"x", {"Content-Type": "text/plain", ATTRIBUTES: "probe-echo=headers"}),
        ("a/b", b"", {}),  # sent as a%2Fb: signed as the SDK signs it (then refused as a name)
        (PROBE, bytes(range(256)) * 100, {"Accept": "*/*"}),
    ],
)
def test_correctly_signed_requests_pass(authed, name, body, headers):
    response = call(authed.url, name, body=body, headers=headers)
    assert response.status_code != 403, response.text
    if ATTRIBUTES in headers:
        assert "authorization" not in json.loads(response.content)["headers"]


def test_signed_in_another_region_is_accepted(authed):
    response = call(authed.url, body=b"x", region="eu-west-1")
    assert response.status_code == 200


@pytest.mark.parametrize("case", list(REFUSED))
def test_nothing_refused_reaches_the_model(authed, case):
    """A refused request with probe-status=500 would be a ModelError if it reached the probe."""
    kwargs, _, _ = REFUSED[case]
    response = call(authed.url, body=b"x", headers={ATTRIBUTES: "probe-status=500"}, **kwargs)
    assert response.status_code == 403
    assert "OriginalStatusCode" not in parse(response)


def test_without_enforcement_unsigned_requests_pass(original):
    assert call(original.url, body=b"x", sign=False).status_code == 200
