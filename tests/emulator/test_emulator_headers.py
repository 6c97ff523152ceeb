"""Header members against each edition's limits and patterns, and the routing headers of `current`."""

from __future__ import annotations

import json

import pytest
from emulator_testkit import ATTRIBUTES, CONTRACT, PROBE, VARIANT, call, error_of

from invokeendpoint_conformance import specs

ROUTING = {h.lower() for h in CONTRACT["refused_routing_headers"]}


def _members(edition: str) -> list[specs.Member]:
    return list(specs.edition(edition).header_members().values())


def _plain(member: specs.Member) -> bool:
    """Members whose well-formed values reach the model (routing headers are refused or route)."""
    return member.header.lower() not in ROUTING and member.name != "TargetVariant"


def _breaking_value(member: specs.Member) -> str | None:
    """A value within the length limits that the member's pattern refuses (None: nothing breaks it)."""
    for candidate in ("-a", "a_b", "text/\u00e9", "a\u2028b", "a\u0085b", "\u00e9", "a\x7fb"):
        fits = (member.max_length is None or len(candidate) <= member.max_length) and len(candidate) >= (
            member.min_length or 0
        )
        if fits and not member.matches(candidate):
            return candidate
    return None


def _cases(kind: str) -> list:
    cases = []
    for edition in specs.EDITIONS:
        for m in _members(edition):
            value = None
            if kind == "at-max" and m.max_length and _plain(m):
                value = "a" * m.max_length
            elif kind == "over-max" and m.max_length:
                value = "a" * (m.max_length + 1)
            elif kind == "under-min" and m.min_length:
                value = "a" * (m.min_length - 1)
            elif kind == "pattern" and m.regex:
                value = _breaking_value(m)
            if value is not None:
                cases.append(pytest.param(edition, m.header, value, id=f"{edition}-{m.name}-{kind}"))
    return cases


@pytest.mark.parametrize("edition, header, value", _cases("at-max"))
def test_header_at_its_limit_reaches_the_model(request, edition, header, value):
    response = call(request.getfixturevalue(edition).url, body=b"x", headers={header: value})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "edition, header, value", _cases("over-max") + _cases("under-min") + _cases("pattern")
)
def test_header_breaking_a_constraint_is_refused(request, edition, header, value):
    response = call(request.getfixturevalue(edition).url, body=b"x", headers={header: value})
    assert response.status_code == 400, response.text
    code, message = error_of(response)
    assert code == "ValidationError"
    assert "failed to satisfy constraint" in message


@pytest.mark.parametrize("header", ["Content-Type", "Accept", ATTRIBUTES])
def test_non_ascii_values_depend_on_the_edition(original, current, header):
    """The original page sets only lengths; the service model adds \\p{ASCII}* (and CustomAttributes)."""
    value = "probe-echo=headers; note=\u00e9t\u00e9"  # also a directive list, for the echo
    headers = {ATTRIBUTES: "probe-echo=headers", header: value}
    echoed = call(original.url, headers=headers)
    assert echoed.status_code == 200
    assert json.loads(echoed.content)["headers"][header.lower()] == value
    refused = call(current.url, headers=headers)
    assert refused.status_code == 400 and error_of(refused)[0] == "ValidationError"


def test_length_counts_characters_not_bytes(original):
    member = specs.edition("original").request["ContentType"]
    value = "\u00e9" * member.max_length  # 2 bytes each in UTF-8
    response = call(original.url, body=b"x", headers={"Content-Type": value})
    assert response.status_code == 200
    assert response.headers["Content-Type"].encode("latin-1").decode("utf-8") == value


def test_all_broken_constraints_are_listed(current):
    response = call(current.url, headers={"Content-Type": "a" * 1025, "Accept": "\u00e9"})
    assert error_of(response)[1].startswith("2 validation errors detected: ")


# ---- routing headers (current edition only) --------------------------------------------------------

ROUTING_CASES = [
    ("X-Amzn-SageMaker-Target-Model", "model.tar.gz", 400),
    ("X-Amzn-SageMaker-Target-Container-Hostname", "container-1", 400),
    ("X-Amzn-SageMaker-Inference-Component", "component-1", 400),
    ("X-Amzn-SageMaker-Target-Variant", "OtherVariant", 400),
    ("X-Amzn-SageMaker-Target-Variant", VARIANT, 200),
    ("X-Amzn-SageMaker-Inference-Id", "inference-1", 200),
]


@pytest.mark.parametrize("header, value, status", ROUTING_CASES)
def test_routing_headers_in_current(current, header, value, status):
    response = call(current.url, body=b"x", headers={header: value})
    assert response.status_code == status
    if status == 400:
        assert error_of(response)[0] == "ValidationError"
    else:
        assert response.headers["x-Amzn-Invoked-Production-Variant"] == VARIANT


def test_target_model_gets_the_observed_message(current):
    response = call(current.url, headers={"X-Amzn-SageMaker-Target-Model": "m.tar.gz"})
    found = specs.message_pattern("target-model-not-supported").fullmatch(error_of(response)[1])
    assert found and found["name"] == PROBE
    assert response.json()["ErrorCode"] == "TARGET_MODEL_HEADER_NOT_SUPPORTED"


@pytest.mark.parametrize("header, value", [(h, v) for h, v, _ in ROUTING_CASES])
def test_routing_headers_are_just_stripped_in_original(original, header, value):
    response = call(original.url, headers={header: value, ATTRIBUTES: "probe-echo=headers"})
    assert response.status_code == 200
    assert header.lower() not in json.loads(response.content)["headers"]
