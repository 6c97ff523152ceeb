"""Successful answers: status, the model's Content-Type and body, the invoked variant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.judge import NotExercised, same_media_type
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.strategies import custom_attributes, media_types, probe_statuses, typed_bodies


@pytest.mark.clause("response.status-200")
def test_successful_invocation_answers_200(client: TargetClient) -> None:
    client.expect("response.status-200", client.invoke(body=b"ok", headers=[("Content-Type", "text/plain")]))


@pytest.mark.clause("response.content-type")
@suite_settings()
@given(data=st.data())
def test_response_content_type_is_the_models(client: TargetClient, data: st.DataObject) -> None:
    answer_type = data.draw(media_types(edition=client.edition.name, max_size=300), label="model's type")
    exchange = client.invoke(
        body=b"{}",
        headers=[("Content-Type", "application/json")],
        directives={"probe-content-type": answer_type},
    )
    client.expect("response.content-type", exchange)
    received = client.answer_of("response.content-type", exchange).header("Content-Type")
    if received is None or not same_media_type(answer_type, received):
        client.fail(
            "response.content-type",
            exchange,
            f"Content-Type: {received!r}",
            f"Content-Type: {answer_type!r}, or the same media type (RFC 9110 8.3.1)",
        )


@pytest.mark.clause("response.invoked-variant")
def test_response_names_the_invoked_variant(client: TargetClient) -> None:
    client.expect("response.invoked-variant", client.invoke(body=b"variant"))


@pytest.mark.clause("response.body")
@suite_settings()
@given(data=st.data())
def test_response_body_is_the_models_answer(client: TargetClient, data: st.DataObject) -> None:
    content_type, body = data.draw(typed_bodies(edition=client.edition.name), label="typed body")
    exchange = client.invoke(body=body, headers=[("Content-Type", content_type)])
    client.expect_echo("response.body", exchange, body)


@pytest.mark.clause("response.custom-attributes")
@suite_settings()
@given(data=st.data())
def test_models_custom_attributes_come_back(client: TargetClient, data: st.DataObject) -> None:
    value = data.draw(
        custom_attributes(edition=client.edition.name, max_size=300).filter(bool), label="attributes"
    )
    exchange = client.invoke(body=b"ca", directives={"probe-custom-attributes": value})
    client.expect("response.custom-attributes", exchange, custom_attributes=value)


@pytest.mark.clause("response.container-2xx")
@suite_settings()
@given(data=st.data())
def test_any_2xx_from_the_container_reaches_the_caller_as_200(
    client: TargetClient, data: st.DataObject
) -> None:
    status = data.draw(probe_statuses(kind="success"), label="container status")
    body = f"answered {status}".encode()
    client.expect_echo(
        "response.container-2xx", client.invoke(body=body, directives={"probe-status": status}), body
    )


@pytest.mark.clause("observed.no-custom-attributes-when-unset")
def test_no_custom_attributes_header_when_the_model_sets_none(client: TargetClient) -> None:
    exchange = client.invoke(body=b"none")
    client.expect("observed.no-custom-attributes-when-unset", exchange)
    answer = client.answer_of("observed.no-custom-attributes-when-unset", exchange)
    value = answer.header("X-Amzn-SageMaker-Custom-Attributes")
    if value is not None:
        client.fail(
            "observed.no-custom-attributes-when-unset",
            exchange,
            f"X-Amzn-SageMaker-Custom-Attributes: {value!r}",
            "no X-Amzn-SageMaker-Custom-Attributes header",
        )


@pytest.mark.clause("observed.request-id")
def test_a_successful_answer_carries_a_request_id(client: TargetClient) -> None:
    """Only successes: no capture shows one of SageMaker's own error answers whole (docs/observed-aws.md)."""
    exchange = client.invoke(body=b"rid")
    if exchange.response is None or exchange.response.status != 200:
        raise NotExercised("observed.request-id", "the request got no successful answer", exchange)
    client.expect("observed.request-id", exchange)
