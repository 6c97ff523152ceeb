"""Request bodies: the documented size limit, and byte-exact delivery to the model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.strategies import bodies, oversized_bodies

SMALL = 64 * 1024


def _boundary_sizes(limit: int) -> dict[str, int]:
    return {"0": 0, "1": 1, "max-1": limit - 1, "max": limit}


@pytest.mark.clause("body.max-length")
@pytest.mark.parametrize("size_name", ["0", "1", "max-1", "max"])
@suite_settings(max_examples=3)  # each example moves up to 6 MiB; the sizes, not the bytes, are the point
@given(data=st.data())
def test_body_at_the_boundary_reaches_the_model_unchanged(
    client: TargetClient, size_name: str, data: st.DataObject
) -> None:
    size = _boundary_sizes(client.edition.body_limit)[size_name]
    body = data.draw(bodies(edition=client.edition.name, min_size=size, max_size=size), label="body")
    client.expect_echo("body.max-length", client.invoke(body=body), body)


@pytest.mark.clause("body.max-length")
@suite_settings(max_examples=3)
@given(data=st.data())
def test_body_over_the_limit_is_refused(client: TargetClient, data: st.DataObject) -> None:
    invalid = data.draw(oversized_bodies(edition=client.edition.name), label="body")
    client.expect("body.max-length", client.invoke(body=invalid.value))


@pytest.mark.clause("body.passed-unchanged")
@suite_settings()
@given(data=st.data())
def test_arbitrary_bytes_reach_the_model_byte_for_byte(client: TargetClient, data: st.DataObject) -> None:
    body = data.draw(bodies(edition=client.edition.name, max_size=SMALL), label="body")
    client.expect_echo("body.passed-unchanged", client.invoke(body=body), body)


@pytest.mark.clause("observed.body-too-large-413")
def test_body_over_the_limit_gets_413_with_aws_message(client: TargetClient) -> None:
    body = b"\0" * (client.edition.body_limit + 1)
    client.expect("observed.body-too-large-413", client.invoke(body=body))
