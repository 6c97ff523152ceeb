"""Request headers: the documented length limits, (current edition) their patterns, and what HTTP
itself says of control characters in a header value (RFC 9110 5.5)."""

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
    invalid_inference_component_names,
    invalid_inference_ids,
    invalid_media_types,
    invalid_prefix_aware_ids,
    invalid_session_ids,
    invalid_target_container_hostnames,
    invalid_target_models,
    invalid_target_variants,
    media_types,
)

MEDIA_TYPE_KEYS = {"ContentType": "content-type", "Accept": "accept"}
ECHO = "probe-echo=headers"
CONTROL_CLAUSE = "headers.control-characters"
# RFC 9110 5.5: a recipient of CR, LF or NUL in a field value MUST reject the message or replace each
# with SP; other control characters it MAY keep. LF cannot be sent inside a value (it ends the field
# line, RFC 9112 2.2), so a NUL or a bare CR is what is judged.
# https://www.rfc-editor.org/rfc/rfc9110#section-5.5
REFUSED_OR_REPLACED = "\x00\r"


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
    client.expect_media_type_forwarded(clause_id, exchange, spec.header_name, value)


# Every (clause, header) whose invalid values the strategies tag, as one table.
REFUSALS = [
    *(
        by_clause(f"{k}.{rule}", invalid_media_types, m)
        for m, k in MEDIA_TYPE_KEYS.items()
        for rule in ("max-length", "ascii")
    ),
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
    by_clause("prefix-aware-id.pattern", invalid_prefix_aware_ids, "PrefixAwareId"),
    by_clause("enable-explanations.pattern", invalid_enable_explanations, "EnableExplanations"),
    by_clause("target-model.max-length", invalid_target_models, "TargetModel"),
    by_clause("target-model.pattern", invalid_target_models, "TargetModel"),
    by_clause(
        "target-container-hostname.max-length", invalid_target_container_hostnames, "TargetContainerHostname"
    ),
    by_clause(
        "target-container-hostname.pattern", invalid_target_container_hostnames, "TargetContainerHostname"
    ),
    by_clause("inference-component.max-length", invalid_inference_component_names, "InferenceComponentName"),
    by_clause("inference-component.pattern", invalid_inference_component_names, "InferenceComponentName"),
]

# Members whose minimum length (1) only the empty value breaks. An HTTP front end may drop an empty
# header, so these clauses also allow the answer of the request without it: the probe's echo.
TOO_SHORT = [
    by_clause("inference-id.min-length", invalid_inference_ids, "InferenceId"),
    by_clause("enable-explanations.min-length", invalid_enable_explanations, "EnableExplanations"),
    by_clause("prefix-aware-id.min-length", invalid_prefix_aware_ids, "PrefixAwareId"),
    by_clause("target-model.min-length", invalid_target_models, "TargetModel"),
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


@pytest.mark.clause(CONTROL_CLAUSE)
@pytest.mark.parametrize("member", list(MEDIA_TYPE_KEYS), ids=list(MEDIA_TYPE_KEYS.values()))
# The note reaches the report through the test's properties; junit.xml (xunit2) has no place for them.
@pytest.mark.filterwarnings("ignore:record_property is incompatible with junit_family")
@suite_settings()
@given(data=st.data())
def test_nul_or_cr_in_a_header_never_reaches_the_model_as_sent(
    client: TargetClient, record_property: Callable[[str, object], None], member: str, data: st.DataObject
) -> None:
    """NUL and CR are judged; another control character is only noted: RFC 9110 lets a recipient keep it."""
    invalid = data.draw(
        invalid_media_types(edition=client.edition.name, member=member, clause=CONTROL_CLAUSE), label="value"
    )
    header = specs_header(client, member)
    exchange = client.invoke(
        headers=[(header, invalid.value)], body=b"ctl", directives={"probe-echo": "headers"}
    )
    if any(c in REFUSED_OR_REPLACED for c in invalid.value):
        client.expect_refused_or_replaced(
            CONTROL_CLAUSE, exchange, header, invalid.value, REFUSED_OR_REPLACED
        )
        return
    character = next(c for c in invalid.value if c < " " or c == "\x7f")
    fate = client.what_became_of(exchange, header, invalid.value)
    record_property("conformance-note", f"{CONTROL_CLAUSE}: {header} holding {character!r}: {fate}")


@pytest.mark.parametrize("clause_id, strategy, member", TOO_SHORT)
@suite_settings()
@given(data=st.data())
def test_header_under_its_minimum_length_is_refused_or_dropped(
    client: TargetClient,
    clause_id: str,
    strategy: Callable[..., st.SearchStrategy[Invalid]],
    member: str,
    data: st.DataObject,
) -> None:
    invalid = data.draw(_invalid_values(strategy, member, client.edition.name, clause_id), label="value")
    body = b"short"
    exchange = client.invoke(headers=[(specs_header(client, member), invalid.value)], body=body)
    client.expect(clause_id, exchange)
    if exchange.response is not None and exchange.response.status == 200:
        client.expect_echo(clause_id, exchange, body)  # as if the header had not been sent


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
