"""Directives, custom attributes, probe statuses and typed bodies, read back as the contract says.

The directive parser below is written from docs/target-contract.md, section 2, independently of
strategies/attributes.py.
"""

from __future__ import annotations

import csv
import io
import json
import time
from urllib.parse import unquote

import pytest
import validator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invokeendpoint_conformance import strategies as s

EDITIONS = ("original", "current")
PROBE = validator.contract()["probe"]
ATTRIBUTES = validator.edition("current")["request"]["CustomAttributes"]


def directives_in(value: str) -> dict[str, str]:
    """What the probe reads: ;-separated items, white space around each ignored, values
    percent-decoded, items without the probe- prefix and unknown probe- keys ignored."""
    found = {}
    for item in value.split(PROBE["item_separator"]):
        key, _, raw = item.strip(" \t").partition("=")
        if key in PROBE["directives"]:
            assert key not in found, f"{key} twice in {value!r}"
            found[key] = unquote(raw, errors="strict")
    return found


def lenient_keys(value: str) -> list[str]:
    """Keys a lenient probe might take for directives: any case, percent-decoded."""
    items = (unquote(i.strip()) for i in value.split(PROBE["item_separator"]))
    return [i for i in items if i.lower().startswith(PROBE["key_prefix"])]


DIRECTIVES = [
    {"probe-status": 500},
    {"probe-status": "201", "probe-delay-ms": 0},
    {"probe-content-type": "text/csv; charset=utf-8", "probe-custom-attributes": "a=b;c=d%e"},
    {"probe-custom-attributes": "Ω é 中 😀;=%"},
    {"probe-echo": "headers", "probe-delay-ms": 60000},
    {},
]


@pytest.mark.parametrize("directives", DIRECTIVES, ids=[str(d)[:50] for d in DIRECTIVES])
@pytest.mark.parametrize("edition", EDITIONS)
@settings(max_examples=60)
@given(data=st.data())
def test_directive_headers_carry_exactly_their_directives(directives, edition, data):
    value = data.draw(s.directive_headers(directives, edition=edition))
    assert directives_in(value) == {k: str(v) for k, v in directives.items()}
    assert value.isascii() and len(value) <= ATTRIBUTES["max_length"]
    assert value == value.strip(" \t")


def test_directive_header_is_canonical():
    assert s.directive_header(probe_status=500) == "probe-status=500"
    assert s.directive_header(probe_content_type="text/csv", probe_delay_ms="10") == (
        "probe-content-type=text%2Fcsv;probe-delay-ms=10"
    )
    assert directives_in(s.directive_header(probe_custom_attributes="a=1; b=é")) == {
        "probe-custom-attributes": "a=1; b=é"
    }


@pytest.mark.parametrize("edition", EDITIONS)
@settings(max_examples=100)
@given(data=st.data())
def test_custom_attributes_carry_no_directive(edition, data):
    value = data.draw(s.custom_attributes(edition=edition))
    assert lenient_keys(value) == []
    assert 1 <= len(value) <= ATTRIBUTES["max_length"]
    assert "  " not in value and value.strip() == value
    assert all(0x21 <= ord(c) <= 0x7E or c == " " for c in value)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("kind", ["success", "error"])
@settings(max_examples=100)
@given(data=st.data())
def test_probe_statuses_stay_in_their_class(edition, kind, data):
    status = data.draw(s.probe_statuses(kind=kind, edition=edition))
    rule = PROBE["directives"]["probe-status"]
    assert rule["min"] <= status <= rule["max"]
    if kind == "success":
        assert 200 <= status <= 299 and status not in (204, 205)
    else:
        assert 400 <= status <= 599


@pytest.mark.parametrize("edition", EDITIONS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_typed_bodies_parse_as_their_type(edition, data):
    content_type, body = data.draw(s.typed_bodies(edition=edition))
    if content_type == "application/json":
        json.loads(body)
    elif content_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert rows and len({len(r) for r in rows}) == 1, rows
    else:
        assert content_type == PROBE["default_content_type"]
    assert isinstance(body, s.Body)


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_body_of_the_limit_costs_milliseconds(edition):
    limit = validator.edition(edition)["request"]["Body"]["max_length"]
    strategy = s.bodies(edition=edition, min_size=limit, max_size=limit)
    drawn = []

    @settings(max_examples=10, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def draw(data):
        start = time.perf_counter()
        body = data.draw(strategy)
        drawn.append(time.perf_counter() - start)
        assert len(body) == limit

    draw()
    # Generous, so a loaded machine does not fail it; a byte-by-byte body takes seconds.
    assert max(drawn) < 0.5, drawn


def test_invalid_bodies_print_short():
    text = repr(s.Invalid(b"x" * 10_000_000, "body.max-length", "too big"))
    assert len(text) < 300 and "len=10000000" in text


def test_outcomes_come_from_the_clause():
    outcome = s.Outcome.for_clause("name.empty")
    assert outcome == s.Outcome("name.empty", (400, 404), "ValidationError")
    assert outcome.expect["error_if_400"] == "ValidationError"
    assert s.Outcome.for_clause("headers.control-characters").expect["closed_connection_allowed"] is True
