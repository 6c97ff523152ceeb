"""What reaches the model: the supported headers (as sent, or the same media type), and nothing the API
does not support."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.strategies import custom_attributes, media_types

ECHO = "probe-echo=headers"


@pytest.mark.parametrize(
    "clause_id, member",
    [
        pytest.param("forward.content-type", "ContentType", marks=pytest.mark.clause("forward.content-type")),
        pytest.param("forward.accept", "Accept", marks=pytest.mark.clause("forward.accept")),
    ],
)
@suite_settings()
@given(data=st.data())
def test_media_type_header_reaches_the_model_as_sent_or_equivalent(
    client: TargetClient, clause_id: str, member: str, data: st.DataObject
) -> None:
    header = client.edition.request[member].header_name
    value = data.draw(media_types(edition=client.edition.name, member=member, max_size=200), label=header)
    exchange = client.invoke(headers=[(header, value)], body=b"fwd", directives={"probe-echo": "headers"})
    client.expect_media_type_forwarded(clause_id, exchange, header, value)


@pytest.mark.clause("forward.custom-attributes")
@suite_settings()
@given(data=st.data())
def test_custom_attributes_reach_the_model_verbatim(client: TargetClient, data: st.DataObject) -> None:
    value = data.draw(custom_attributes(edition=client.edition.name, max_size=200), label="attributes")
    sent = f"{value};{ECHO}" if value else ECHO
    exchange = client.invoke(headers=[("X-Amzn-SageMaker-Custom-Attributes", sent)], body=b"fwd")
    client.expect_forwarded("forward.custom-attributes", exchange, "X-Amzn-SageMaker-Custom-Attributes", sent)


UNSUPPORTED = [
    ("X-Conformance-Unsupported", "1"),
    ("X-Forwarded-Secret", "do-not-forward"),
    ("Cookie", "a=b"),
]


@pytest.mark.clause("forward.strips-unsupported")
def test_unsupported_headers_do_not_reach_the_model(client: TargetClient) -> None:
    exchange = client.invoke(headers=UNSUPPORTED, body=b"strip", directives={"probe-echo": "headers"})
    echoed = client.echoed_headers("forward.strips-unsupported", exchange)
    leaked = [name for name, _ in UNSUPPORTED if name.lower() in echoed]
    if leaked:
        client.fail(
            "forward.strips-unsupported",
            exchange,
            f"{leaked} reached the model",
            "only the headers the API supports reach the model",
        )
