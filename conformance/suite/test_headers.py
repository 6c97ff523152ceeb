"""Request headers: the documented length limits, and (current edition) their patterns."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.profiles import suite_settings
from invokeendpoint_conformance.exchanges import Invalid
from invokeendpoint_conformance.strategies import (
    custom_attributes,
    inference_ids,
    invalid_custom_attributes,
    invalid_enable_explanations,
    invalid_inference_ids,
    invalid_media_types,
    invalid_prefix_aware_ids,
    invalid_session_ids,
    invalid_target_variants,
    media_types,
)

MEDIA_TYPE_KEYS = {"ContentType": "content-type", "Accept": "accept"}
ECHO = "probe-echo=headers"


def by_clause(clause_id: str, *values: object) -> pytest.ParameterSet:
    return pytest.param(clause_id, *values, marks=pytest.mark.clause(clause_id), id=clause_id)


def _sizes(limit: int, shortest: int = 1) -> st.SearchStrategy[int]:
    return st.sampled_from([limit, limit - 1, shortest]) | st.integers(shortest, limit)


@pytest.mark.parametrize(
    "clause_id, member", [by_clause(f"{k}.max-length", m) for m, k in MEDIA_TYPE_KEYS.items()]
)
@suite_settings()
@given(data=st.data())
def test_media_type_up_to_the_limit_reaches_the_model(
    client: TargetClient, clause_id: str, member: str, data: st.DataObject
) -> None:
    spec = client.edition.request[member]
    size = data.draw(_sizes(spec.limit, shortest=len("x/y")), label="length")
    value = data.draw(media_types(edition=client.edition.name, member=member, min_size=size, max_size=size))
    exchange = client.invoke(
        headers=[(spec.header_name, value)], body=b"media", directives={"probe-echo": "headers"}
    )
    client.expect_forwarded(clause_id, exchange, spec.header_name, value)


# Every (clause, header) whose invalid values the strategies tag, as one table.
REFUSALS = [
    *(
        by_clause(f"{k}.{rule}", invalid_media_types, m)
        for m, k in MEDIA_TYPE_KEYS.items()
        for rule in ("max-length", "ascii")
    ),
    by_clause("headers.control-characters", invalid_media_types, "ContentType"),
    by_clause("headers.control-characters", invalid_media_types, "Accept"),
    by_clause("custom-attributes.max-length", invalid_custom_attributes, "CustomAttributes"),
    by_clause("custom-attributes.ascii", invalid_custom_attributes, "CustomAttributes"),
    by_clause("inference-id.max-length", invalid_inference_ids, "InferenceId"),
    by_clause("inference-id.pattern", invalid_inference_ids, "InferenceId"),
    by_clause("target-variant.max-length", invalid_target_variants, "TargetVariant"),
    by_clause("target-variant.pattern", invalid_target_variants, "TargetVariant"),
    by_clause("session-id.max-length", invalid_session_ids, "SessionId"),
    by_clause("session-id.pattern", invalid_session_ids, "SessionId"),
    by_clause("enable-explanations.max-length", invalid_enable_explanations, "EnableExplanations"),
    by_clause("prefix-aware-id.max-length", invalid_prefix_aware_ids, "PrefixAwareId"),
]


def specs_header(client: TargetClient, member: str) -> str:
    return client.edition.request[member].header_name


def _invalid_values(
    strategy: Callable[..., st.SearchStrategy[Invalid]], member: str, edition: str, clause_id: str
) -> st.SearchStrategy[Invalid]:
    if strategy is invalid_media_types:
        return invalid_media_types(edition=edition, member=member, clause=clause_id)
    return strategy(edition=edition, clause=clause_id)


@pytest.mark.parametrize("clause_id, strategy, member", REFUSALS)
@suite_settings()
@given(data=st.data())
def test_header_breaking_a_constraint_is_refused(
    client: TargetClient,
    clause_id: str,
    strategy: Callable[..., st.SearchStrategy[Invalid]],
    member: str,
    data: st.DataObject,
) -> None:
    invalid = data.draw(_invalid_values(strategy, member, client.edition.name, clause_id), label="value")
    header = specs_header(client, member)
    client.expect(clause_id, client.invoke(headers=[(header, invalid.value)], body=b"x"))


@pytest.mark.clause("custom-attributes.max-length")
@suite_settings()
@given(data=st.data())
def test_custom_attributes_up_to_the_limit_reach_the_model(client: TargetClient, data: st.DataObject) -> None:
    spec = client.edition.request["CustomAttributes"]
    room = spec.limit - len(ECHO) - 1  # the echo directive travels in the same header
    size = data.draw(_sizes(room), label="length")
    attributes = data.draw(custom_attributes(edition=client.edition.name, max_size=size))
    value = attributes + "x" * (size - len(attributes)) + ";" + ECHO
    exchange = client.invoke(headers=[(spec.header_name, value)], body=b"attrs")
    client.expect_forwarded("custom-attributes.max-length", exchange, spec.header_name, value)


@pytest.mark.clause("inference-id.max-length")
@suite_settings()
@given(data=st.data())
def test_well_formed_inference_id_up_to_the_limit_is_accepted(
    client: TargetClient, data: st.DataObject
) -> None:
    value = data.draw(inference_ids(), label="inference id")
    exchange = client.invoke(headers=[(specs_header(client, "InferenceId"), value)], body=b"id")
    client.expect_accepted("inference-id.max-length", exchange)
