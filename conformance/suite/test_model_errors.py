"""ModelError: what the caller gets when the model container answers with an error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.judge import NotExercised, parse_error
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.exchanges import Exchange
from invokeendpoint_conformance.strategies import probe_statuses


@pytest.mark.clause("model-error.container-500")
def test_container_500_gives_model_error(client: TargetClient) -> None:
    client.expect("model-error.container-500", client.invoke(body=b"boom", directives={"probe-status": 500}))


@pytest.mark.clause("model-error.container-error")
@suite_settings()
@given(data=st.data())
def test_any_container_error_status_gives_model_error(client: TargetClient, data: st.DataObject) -> None:
    status = data.draw(probe_statuses(kind="error"), label="container status")
    exchange = client.invoke(body=f"failed with {status}".encode(), directives={"probe-status": status})
    client.expect("model-error.container-error", exchange)


MESSAGES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)


def _container_error(client: TargetClient, data: st.DataObject) -> tuple[int, str, Exchange]:
    """A probe answering a drawn error status with a drawn message; returns both and the exchange."""
    status = data.draw(probe_statuses(kind="error"), label="container status")
    text = data.draw(MESSAGES, label="message")
    return status, text, client.invoke(body=text.encode(), directives={"probe-status": status})


@pytest.mark.clause("model-error.original-members")
@suite_settings()
@given(data=st.data())
def test_model_error_carries_the_containers_status_and_message(
    client: TargetClient, data: st.DataObject
) -> None:
    status, text, exchange = _container_error(client, data)
    client.expect("model-error.original-members", exchange)
    members = parse_error(client.answer_of("model-error.original-members", exchange)).members
    wanted = {"OriginalStatusCode": status, "OriginalMessage": text}
    # The model requires neither member: only one that is there must be right.
    wrong = {k: members[k] for k, v in wanted.items() if k in members and members[k] != v}
    if wrong:
        client.fail(
            "model-error.original-members", exchange, f"members {wrong}", f"members, where present, {wanted}"
        )


@pytest.mark.clause("model-error.slow-model-not-cut-off")
def test_model_answering_within_seconds_is_not_cut_off(client: TargetClient) -> None:
    delay_ms = 3000
    exchange = client.invoke(body=b"patience", directives={"probe-delay-ms": delay_ms})
    answer = client.expect_accepted("model-error.slow-model-not-cut-off", exchange)
    if answer.elapsed_s < delay_ms / 1000:
        raise NotExercised(
            "model-error.slow-model-not-cut-off", "the probe answered at once: it did not wait"
        )


@pytest.mark.clause("observed.model-error-message")
@suite_settings()
@given(data=st.data())
def test_model_error_message_follows_aws_template(client: TargetClient, data: st.DataObject) -> None:
    status, text, exchange = _container_error(client, data)
    side = "client" if status < 500 else "server"
    client.expect(
        "observed.model-error-message",
        exchange,
        side=side,
        status=status,
        body=text,
        endpoint=client.target.probe_endpoint,
        region=client.target.region,
    )
