"""Whole requests, each with the outcome the active edition requires."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Body, Invalid, Invocation, Outcome
from invokeendpoint_conformance.strategies import _support
from invokeendpoint_conformance.strategies.attributes import custom_attributes, invalid_custom_attributes
from invokeendpoint_conformance.strategies.bodies import bodies, oversized_bodies
from invokeendpoint_conformance.strategies.media_types import invalid_media_types, media_types
from invokeendpoint_conformance.strategies.names import invalid_endpoint_names
from invokeendpoint_conformance.strategies.sagemaker_headers import (
    inference_ids,
    invalid_enable_explanations,
    invalid_inference_ids,
    invalid_prefix_aware_ids,
    invalid_session_ids,
    invalid_target_variants,
)


def invocations(
    *, edition: str = "original", probe_endpoint: str | None = None, valid: bool | None = None
) -> st.SearchStrategy[Invocation]:
    """Whole requests with the outcome they require.

    Valid ones go to the probe endpoint (the contract's default name unless given) and expect
    response.status-200. Invalid ones are a valid request with exactly one part, the name, one
    header or the body, replaced by an `Invalid` value; their outcome is that value's clause's.
    `valid=True` or `False` draws only one kind; None mixes them.
    """
    spec = _support.edition(edition)
    if probe_endpoint is None:
        probe_endpoint = specs.contract()["defaults"]["probe_endpoint"]
    name = spec.request["EndpointName"]
    if not isinstance(probe_endpoint, str) or not (
        name.matches(probe_endpoint) and len(probe_endpoint) <= name.limit
    ):
        raise InvalidArgument(f"probe_endpoint={probe_endpoint!r}, but it is not a valid EndpointName")
    if valid not in (None, True, False):
        raise InvalidArgument(f"valid={valid!r}, but it must be True, False or None")

    def header(member: str) -> str:
        name = spec.request[member].header
        if name is None:
            raise specs.SpecError(f"{member} is not sent as a header in edition {edition!r}")
        return name

    attributes_header = specs.contract()["probe"]["directive_header"]
    limit = spec.body_limit
    small = bodies(edition=edition, max_size=min(limit, _support.SMALL_BODY - 1))
    boundary = bodies(edition=edition, min_size=limit - 1)
    # Mostly small bodies; one in four of the boundary sizes, limit-1 and limit.
    sized = st.sampled_from((small, small, small, boundary)).flatmap(lambda strategy: strategy)

    content_types = media_types(edition=edition)
    accepts = media_types(edition=edition, member="Accept")
    optional_headers: list[tuple[str, st.SearchStrategy[str | None]]] = [
        (attributes_header, st.none() | custom_attributes(edition=edition))
    ]
    if "InferenceId" in spec.request:
        optional_headers.append((header("InferenceId"), st.none() | inference_ids(edition=edition)))

    @st.composite
    def valid_parts(draw: st.DrawFn, body: st.SearchStrategy[Body]) -> tuple[dict[str, str], bytes]:
        headers = {header("ContentType"): draw(content_types), header("Accept"): draw(accepts)}
        for name, values in optional_headers:
            value = draw(values)
            if value is not None:
                headers[name] = value
        return headers, draw(body)

    def build(endpoint_name: str, headers: dict[str, str], body: bytes, outcome: Outcome) -> Invocation:
        return Invocation(endpoint_name, Body(body), tuple(headers.items()), outcome=outcome)

    valid_invocations = valid_parts(sized).map(
        lambda hb: build(probe_endpoint, hb[0], hb[1], Outcome.for_clause("response.status-200"))
    )

    # (where the invalid value goes, its strategy): "name", "body", or a header name.
    breakers: list[tuple[str, st.SearchStrategy[Invalid]]] = [
        ("name", invalid_endpoint_names(edition=edition)),
        (header("ContentType"), invalid_media_types(edition=edition)),
        (header("Accept"), invalid_media_types(edition=edition, member="Accept")),
        ("body", oversized_bodies(edition=edition)),
    ]
    if "CustomAttributes" in spec.request:
        breakers.append((attributes_header, invalid_custom_attributes(edition=edition)))
    for member, breaker in (
        ("InferenceId", invalid_inference_ids),
        ("TargetVariant", invalid_target_variants),
        ("SessionId", invalid_session_ids),
        ("EnableExplanations", invalid_enable_explanations),
        ("PrefixAwareId", invalid_prefix_aware_ids),
    ):
        if member in spec.request:
            breakers.append((header(member), breaker(edition=edition)))
    broken_parts = st.one_of([st.tuples(st.just(where), strategy) for where, strategy in breakers])

    @st.composite
    def invalid_invocations(draw: st.DrawFn) -> Invocation:
        where, invalid = draw(broken_parts)
        headers, body = draw(valid_parts(small))
        endpoint_name = probe_endpoint
        if where == "name":
            endpoint_name = invalid.value
        elif where == "body":
            body = invalid.value
        else:
            headers[where] = invalid.value
        return build(endpoint_name, headers, body, invalid.outcome)

    if valid is True:
        return valid_invocations
    if valid is False:
        return invalid_invocations()
    return st.one_of(valid_invocations, invalid_invocations())
