"""The probe model of the target contract: its default answer and each directive."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.strategies import bodies, directive_headers, media_types, probe_statuses

DEFAULT_TYPE = specs.contract()["probe"]["default_content_type"]
DIRECTIVE_HEADER = specs.contract()["probe"]["directive_header"]


@pytest.mark.clause("probe.default-answer")
@suite_settings()
@given(data=st.data())
def test_default_answer_echoes_body_and_content_type(client: TargetClient, data: st.DataObject) -> None:
    body = data.draw(bodies(edition=client.edition.name, max_size=4096), label="body")
    content_type = data.draw(st.none() | media_types(edition=client.edition.name, max_size=100), label="type")
    headers = [("Content-Type", content_type)] if content_type is not None else []
    exchange = client.invoke(body=body, headers=headers)
    client.expect("probe.default-answer", exchange, content_type=content_type or DEFAULT_TYPE)
    client.expect_echo("probe.default-answer", exchange, body)


@pytest.mark.clause("probe.status")
@suite_settings()
@given(data=st.data())
def test_status_directive_sets_the_containers_status(client: TargetClient, data: st.DataObject) -> None:
    status = data.draw(probe_statuses(kind="success") | probe_statuses(kind="error"), label="status")
    exchange = client.invoke(body=b"s", directives={"probe-status": status})
    expected = 200 if status < 300 else 424
    client.judge.expect_status("probe.status", exchange, (expected,))


@pytest.mark.clause("probe.content-type")
@suite_settings()
@given(data=st.data())
def test_content_type_directive_sets_the_answers_type(client: TargetClient, data: st.DataObject) -> None:
    value = data.draw(media_types(edition=client.edition.name, max_size=200), label="type")
    exchange = client.invoke(body=b"t", directives={"probe-content-type": value})
    client.expect("probe.content-type", exchange, content_type=value)


@pytest.mark.clause("probe.custom-attributes")
def test_custom_attributes_directive_sets_the_answers_attributes(client: TargetClient) -> None:
    value = "trace=conformance-1; mode=probe"
    exchange = client.invoke(body=b"c", directives={"probe-custom-attributes": value})
    client.expect("probe.custom-attributes", exchange, custom_attributes=value)


@pytest.mark.clause("probe.delay")
def test_delay_directive_holds_the_answer(client: TargetClient) -> None:
    delay_ms = 1500
    exchange = client.invoke(body=b"d", directives={"probe-delay-ms": delay_ms})
    client.expect("probe.delay", exchange)
    answer = client.answer_of("probe.delay", exchange)
    if answer.elapsed_s < delay_ms / 1000:
        client.fail(
            "probe.delay",
            exchange,
            f"answered after {answer.elapsed_s * 1000:.0f} ms",
            f"answered after at least {delay_ms} ms",
        )


@pytest.mark.clause("probe.echo-headers")
@suite_settings()
@given(data=st.data())
def test_echo_directive_describes_what_reached_the_container(
    client: TargetClient, data: st.DataObject
) -> None:
    body = data.draw(bodies(edition=client.edition.name, max_size=4096), label="body")
    exchange = client.invoke(
        body=body, headers=[("Accept", "text/csv")], directives={"probe-echo": "headers"}
    )
    client.expect("probe.echo-headers", exchange)
    answer = client.answer_of("probe.echo-headers", exchange)
    try:
        echo = json.loads(answer.body)
        described = (echo["body_length"], echo["body_sha256"], echo["headers"].get("accept"))
    except (ValueError, KeyError, TypeError, AttributeError):
        described = ("unreadable", answer.body[:100], None)
    wanted = (len(body), hashlib.sha256(body).hexdigest(), "text/csv")
    if described != wanted:
        client.fail(
            "probe.echo-headers", exchange, f"(body_length, body_sha256, accept) = {described}", f"{wanted}"
        )


@pytest.mark.clause("probe.directive-syntax")
@suite_settings()
@given(data=st.data())
def test_directives_are_found_among_other_items(client: TargetClient, data: st.DataObject) -> None:
    value = data.draw(
        st.sampled_from(["text/x-probe", "application/x-probe;v=1", 'a/b; q="x y"']), label="type"
    )
    header = data.draw(
        directive_headers({"probe-content-type": value}, edition=client.edition.name), label="header"
    )
    exchange = client.invoke(body=b"syntax", headers=[(DIRECTIVE_HEADER, header)])
    client.expect("probe.directive-syntax", exchange)
    answer = client.answer_of("probe.directive-syntax", exchange)
    if answer.header("Content-Type") != value:
        client.fail(
            "probe.directive-syntax",
            exchange,
            f"Content-Type {answer.header('Content-Type')!r}",
            f"Content-Type {value!r} from the directive in {header!r}",
        )
