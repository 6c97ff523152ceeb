"""What reaches the model, what comes back on success, and every error shape as botocore reads it."""

from __future__ import annotations

import json

import boto3
import pytest
from emulator_testkit import (
    ABSENT,
    ACCESS_KEY,
    ACCOUNT,
    ATTRIBUTES,
    CONTRACT,
    PROBE,
    REGION,
    SECRET_KEY,
    VARIANT,
    call,
    is_uuid,
    parse,
    path_for,
    raw_exchange,
)

from invokeendpoint_conformance import specs

FORWARDED = {h.lower() for h in CONTRACT["probe"]["forwarded_headers"]}


def test_only_the_supported_headers_reach_the_model(target):
    sent = {
        "Content-Type": "text/csv; charset=utf-8",
        "Accept": "application/json;q=0.9, */*",
        ATTRIBUTES: "probe-echo=headers; trace=1",
        "X-Conformance-Unsupported": "strip me",
        "X-Amzn-SageMaker-Target-Model-Typo": "strip me",
        "User-Agent": "conformance",
        "Cookie": "a=b",
    }
    response = call(target.url, body=b"0123456789", headers=sent)
    echo = json.loads(response.content)
    assert echo["headers"] == {k.lower(): v for k, v in sent.items() if k.lower() in FORWARDED}
    assert echo["body_length"] == 10
    for never in ("authorization", "x-amz-date", "host", "content-length", "user-agent", "cookie"):
        assert never not in echo["headers"]


@pytest.mark.parametrize(
    "content_type",
    [
        "text/csv; charset=utf-8",
        "application/vnd.sagemaker-triton.binary+json;json-header-size=232",
        'application/json;  q=1 ; x="quoted; value"',
        "whatever",
    ],
)
@pytest.mark.parametrize("status", [200, 201, 203, 206, 250, 299])
def test_success_is_200_with_the_model_s_headers(target, content_type, status):
    directives = f"probe-status={status};probe-content-type={content_type.replace(';', '%3B')}"
    response = call(target.url, body=b"answer", headers={ATTRIBUTES: directives})
    assert response.status_code == 200
    assert response.content == b"answer"
    assert response.headers["Content-Type"] == content_type
    assert response.headers["x-Amzn-Invoked-Production-Variant"] == VARIANT
    assert ATTRIBUTES not in response.headers  # the model set none
    assert is_uuid(response.headers["x-amzn-RequestId"])


def test_custom_attributes_of_the_model_come_back(target):
    response = call(target.url, headers={ATTRIBUTES: "probe-custom-attributes=trace%3D7%3B%20x"})
    assert response.headers[ATTRIBUTES] == "trace=7; x"


@pytest.mark.parametrize(
    "status", [400, 401, 403, 404, 408, 413, 418, 429, 499, 500, 501, 502, 503, 504, 599]
)
@pytest.mark.parametrize("body", [b'model failure: "quoted" {braces}', b""], ids=["text", "empty"])
def test_model_error_shape_and_members(target, status, body):
    response = call(target.url, body=body, headers={ATTRIBUTES: f"probe-status={status}"})
    assert response.status_code == 424
    assert response.headers["x-amzn-ErrorType"] == "ModelError"
    raw = response.json()
    side = "client" if status < 500 else "server"
    assert raw["ErrorCode"] == f"{side.upper()}_ERROR_FROM_MODEL"
    parsed = parse(response)
    assert parsed["Error"]["Code"] == "ModelError"
    found = specs.message_pattern("model-error").fullmatch(parsed["Error"]["Message"])
    assert found, parsed["Error"]["Message"]
    assert found.groupdict() == {
        "side": side,
        "status": str(status),
        "container": "primary",
        "body": body.decode(),
        "region": REGION,
        "endpoint": PROBE,
        "account": ACCOUNT,
    }
    assert parsed["OriginalStatusCode"] == status
    assert parsed["OriginalMessage"] == body.decode()
    assert (
        parsed["LogStreamArn"]
        == f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/sagemaker/Endpoints/{PROBE}"
    )


def _requests(url: str) -> dict:
    """One request per kind of answer, each with the answer's status and botocore error code."""
    head = f"POST {path_for(PROBE)} HTTP/1.1\r\nHost: x\r\nContent-Length: {10**8}\r\n\r\n".encode()
    return {
        "success": (lambda: call(url, body=b"x"), 200, None),
        "validation": (lambda: call(url, "-bad"), 400, "ValidationError"),
        "not-found": (lambda: call(url, ABSENT), 400, "ValidationError"),
        "model-error": (lambda: call(url, headers={ATTRIBUTES: "probe-status=500"}), 424, "ModelError"),
        "unknown-path": (lambda: call(url, path="/nope"), 404, "UnknownOperationException"),
        "wrong-method": (lambda: call(url, method="GET"), 405, "UnknownOperationException"),
        "too-large": (lambda: raw_exchange(url, head), 413, "413"),
        "malformed": (lambda: raw_exchange(url, b"NOT HTTP\r\n\r\n"), 400, "400"),
    }


@pytest.mark.parametrize("kind", list(_requests("")))
def test_every_answer_has_a_request_id_and_the_right_error_name(target, kind):
    send, status, code = _requests(target.url)[kind]
    response = send()
    assert getattr(response, "status_code", getattr(response, "status", None)) == status
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert is_uuid(headers.get("x-amzn-requestid"))
    if code is not None:
        error = parse(response)["Error"]
        assert error["Code"] == code and error["Message"]


def test_service_errors_carry_upper_snake_error_code_and_message(target):
    for response in (call(target.url, ABSENT), call(target.url, "-x")):
        body = response.json()
        assert set(body) == {"ErrorCode", "Message"}
        assert body["ErrorCode"].replace("_", "").isupper()


def test_boto3_gets_body_and_modelled_exceptions(target):
    client = boto3.client(
        "sagemaker-runtime",
        endpoint_url=target.url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    answer = client.invoke_endpoint(EndpointName=PROBE, Body=b"abc", ContentType="text/plain")
    assert answer["Body"].read() == b"abc"
    assert answer["ContentType"] == "text/plain" and answer["InvokedProductionVariant"] == VARIANT
    with pytest.raises(client.exceptions.ValidationError):
        client.invoke_endpoint(EndpointName=ABSENT, Body=b"abc")
    with pytest.raises(client.exceptions.ModelError) as raised:
        client.invoke_endpoint(EndpointName=PROBE, Body=b"abc", CustomAttributes="probe-status=503")
    assert raised.value.response["OriginalStatusCode"] == 503
