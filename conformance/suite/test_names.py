"""Endpoint names: the documented length and pattern, and routing by name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.strategies import (
    endpoint_names,
    invalid_endpoint_names,
    near_miss_endpoint_names,
)

INVALID_NAME_CLAUSES = ("name.max-length", "name.pattern", "name.empty")


@pytest.mark.parametrize(
    "clause_id", [pytest.param(c, marks=pytest.mark.clause(c), id=c) for c in INVALID_NAME_CLAUSES]
)
@suite_settings()
@given(data=st.data())
def test_invalid_endpoint_name_is_refused(client: TargetClient, clause_id: str, data: st.DataObject) -> None:
    invalid = data.draw(invalid_endpoint_names(edition=client.edition.name, clause=clause_id), label="name")
    exchange = client.invoke(endpoint=invalid.value, body=b"x")
    client.expect(clause_id, exchange)


@pytest.mark.clause("name.pattern")
@pytest.mark.parametrize("name", [invalid.value for invalid in near_miss_endpoint_names()])
def test_names_people_write_that_the_pattern_refuses_are_refused(client: TargetClient, name: str) -> None:
    client.expect("name.pattern", client.invoke(endpoint=name, body=b"x"))


@pytest.mark.clause("name.absent")
@suite_settings()
@given(data=st.data())
def test_valid_name_of_any_length_reaches_the_endpoint_lookup(
    client: TargetClient, data: st.DataObject
) -> None:
    prefix = client.absent_prefix
    name = data.draw(endpoint_names(edition=client.edition.name, prefix=prefix), label="name")
    client.expect("name.absent", client.invoke(endpoint=name, body=b"x"))


@pytest.mark.clause("name.absent")
@pytest.mark.parametrize("extra", [1, 2, 43, 44])
def test_absent_names_at_the_length_boundaries_reach_the_endpoint_lookup(
    client: TargetClient, extra: int
) -> None:
    """The reserved prefix plus 1, 2, then up to 62 and 63 characters in all."""
    limit = client.edition.request["EndpointName"].limit
    length = min(len(client.absent_prefix) + extra, limit)
    name = (client.absent_prefix + "a" * limit)[:length]
    client.expect("name.absent", client.invoke(endpoint=name, body=b"x"))


@pytest.mark.clause("name.case-sensitive")
def test_probe_name_in_another_case_is_a_different_endpoint(client: TargetClient) -> None:
    probe = client.target.probe_endpoint
    for other in {probe.upper(), probe.swapcase(), probe.capitalize()} - {probe}:
        exchange = client.invoke(endpoint=other, body=b"case")
        client.expect("name.case-sensitive", exchange)


@pytest.mark.clause("observed.endpoint-not-found-message")
@suite_settings()
@given(data=st.data())
def test_absent_endpoint_message_names_the_endpoint_and_account(
    client: TargetClient, data: st.DataObject
) -> None:
    name = data.draw(endpoint_names(edition=client.edition.name, prefix=client.absent_prefix), label="name")
    exchange = client.invoke(endpoint=name, body=b"x")
    client.expect("observed.endpoint-not-found-message", exchange, name=name)
