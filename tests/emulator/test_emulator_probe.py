"""The probe's directives, through the running emulator and as pure logic (emulator.probe)."""

from __future__ import annotations

import hashlib
import json

import pytest
from emulator_testkit import ATTRIBUTES, CONTRACT, call, parse

from invokeendpoint_conformance.emulator import probe

DIRECTIVES = CONTRACT["probe"]["directives"]
STATUS, DELAY = DIRECTIVES["probe-status"], DIRECTIVES["probe-delay-ms"]

# directives -> (status, content type, custom attributes, body) the caller gets for body b"payload"
ANSWERS = [
    ("", 200, "text/plain", None, b"payload"),
    ("probe-status=200", 200, "text/plain", None, b"payload"),
    ("probe-status=201", 200, "text/plain", None, b"payload"),
    ("probe-status=299", 200, "text/plain", None, b"payload"),
    ("probe-content-type=text%2Fcsv%3B%20charset%3Dutf-8", 200, "text/csv; charset=utf-8", None, b"payload"),
    ("probe-content-type=application/x", 200, "application/x", None, b"payload"),
    ("probe-custom-attributes=a%3Db%3Bc", 200, "text/plain", "a=b;c", b"payload"),
    ("probe-custom-attributes=", 200, "text/plain", "", b"payload"),
    ("probe-delay-ms=0", 200, "text/plain", None, b"payload"),
    ("probe-delay-ms=150", 200, "text/plain", None, b"payload"),
    # syntax: white space around items, foreign items, unknown probe- keys, a repeated directive
    ("x=1 ;  probe-status=202 ;other=1;\tprobe-unknown=9;", 200, "text/plain", None, b"payload"),
    ("trace=abc;probe-content-type=x%2Fy ; probe-custom-attributes=k%20v", 200, "x/y", "k v", b"payload"),
    ("probe-content-type=a%2Fb;probe-content-type=c%2Fd", 200, "c/d", None, b"payload"),
    ("probestatus=500;PROBE-STATUS=500;probe-status-x=500", 200, "text/plain", None, b"payload"),
]


@pytest.mark.parametrize("directives, status, content_type, attributes, body", ANSWERS)
def test_directives_shape_the_answer(target, directives, status, content_type, attributes, body):
    response = call(
        target.url, body=b"payload", headers={"Content-Type": "text/plain", ATTRIBUTES: directives}
    )
    assert response.status_code == status
    assert response.headers["Content-Type"] == content_type
    assert response.headers.get(ATTRIBUTES) == attributes
    assert response.content == body


def test_default_content_type_when_none_was_sent(target):
    response = call(target.url, body=b"x")
    assert response.headers["Content-Type"] == CONTRACT["probe"]["default_content_type"]


@pytest.mark.parametrize("status", [400, 404, 429, 500, 503, 599])
def test_status_directive_of_an_error_gives_model_error(target, status):
    response = call(target.url, body=b"the model says no", headers={ATTRIBUTES: f"probe-status={status}"})
    assert response.status_code == 424
    parsed = parse(response)
    assert parsed["Error"]["Code"] == "ModelError"
    assert parsed["OriginalStatusCode"] == status and parsed["OriginalMessage"] == "the model says no"


def test_echo_describes_what_reached_the_container(target):
    body = b"\x00echo me\xff"
    headers = {"Content-Type": "a/b", "Accept": "c/d", ATTRIBUTES: "x=1;probe-echo=headers;probe-status=500"}
    response = call(target.url, body=body, headers=headers)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    echo = json.loads(response.content)
    assert echo == {
        "headers": {k.lower(): v for k, v in headers.items()},
        "body_length": len(body),
        "body_sha256": hashlib.sha256(body).hexdigest(),
    }


MALFORMED = [
    "probe-status=abc",
    "probe-status=",
    "probe-status",
    f"probe-status={STATUS['min'] - 1}",
    f"probe-status={STATUS['max'] + 1}",
    "probe-status=+200",
    "probe-status=2e2",
    "probe-status=%32%30%30x",
    f"probe-delay-ms={DELAY['min'] - 1}",
    f"probe-delay-ms={DELAY['max'] + 1}",
    "probe-delay-ms=1.5",
    "probe-echo=body",
    "probe-echo=",
    "probe-content-type=a%0D%0Ab",
    "probe-custom-attributes=%00",
    "probe-content-type=%FF",
]


@pytest.mark.parametrize("directives", MALFORMED)
def test_malformed_directive_makes_the_probe_answer_400(target, directives):
    response = call(target.url, body=b"x", headers={ATTRIBUTES: directives})
    assert response.status_code == 424
    parsed = parse(response)
    assert parsed["OriginalStatusCode"] == 400
    assert directives.partition("=")[0] in parsed["OriginalMessage"]


# ---- the same rules as pure logic ----------------------------------------------------------------


@pytest.mark.parametrize("directives", MALFORMED)
def test_probe_logic_refuses_malformed_directives(directives):
    answer = probe.answer(b"x", {ATTRIBUTES: directives})
    assert answer.status == 400 and answer.delay == 0
    assert directives.partition("=")[0].encode() in answer.body


@pytest.mark.parametrize(
    "directives, expected",
    [
        ("probe-delay-ms=60000", {"probe-delay-ms": 60000}),
        ("probe-status=599; a=b", {"probe-status": 599}),
        ("probe-echo=headers", {"probe-echo": "headers"}),
        ("probe-content-type=%E2%82%AC", {"probe-content-type": "\u20ac"}),
        (" ; ;;", {}),
    ],
)
def test_probe_logic_parses_directives(directives, expected):
    assert probe.parse_directives(directives) == expected


def test_probe_logic_delay_is_returned_not_slept():
    answer = probe.answer(b"x", [(ATTRIBUTES, "probe-delay-ms=2500")])
    assert answer.delay == 2.5 and answer.status == 200
