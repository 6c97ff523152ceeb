"""Every valid value breaks no clause; every Invalid breaks exactly the clause it is tagged with.

Judged by the independent validator on the bytes that go on the wire, in both editions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import validator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategy_requests import ABSENT_PREFIX, CUSTOM_ATTRIBUTES, HOST, header_of, placed, request_bytes

from invokeendpoint_conformance import strategies as s

EDITIONS = ("original", "current")
BIG = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Case:
    id: str
    strategy: Callable[[str], st.SearchStrategy]  # edition -> strategy
    where: str | Callable[[str], str]  # "name", "body", a header, or edition -> header
    editions: tuple[str, ...] = EDITIONS

    def place(self, edition: str, value) -> bytes:
        where = self.where(edition) if callable(self.where) else self.where
        return placed(where, value)


VALID = [
    Case("endpoint_names", lambda e: s.endpoint_names(edition=e), "name"),
    Case("absent names", lambda e: s.endpoint_names(edition=e, prefix=ABSENT_PREFIX), "name"),
    Case("content types", lambda e: s.media_types(edition=e), "Content-Type"),
    Case("accepts", lambda e: s.media_types(edition=e, member="Accept"), "Accept"),
    Case("bodies", lambda e: s.bodies(edition=e), "body"),
    Case("custom_attributes", lambda e: s.custom_attributes(edition=e), CUSTOM_ATTRIBUTES),
    Case(
        "directive_headers",
        lambda e: s.directive_headers(
            {"probe-status": 503, "probe-content-type": "text/csv; q=é"}, edition=e
        ),
        CUSTOM_ATTRIBUTES,
    ),
    Case(
        "inference_ids",
        lambda e: s.inference_ids(edition=e),
        lambda e: header_of(e, "InferenceId"),
        ("current",),
    ),
]

INVALID = [
    Case("invalid_endpoint_names", lambda e: s.invalid_endpoint_names(edition=e), "name"),
    Case("invalid content types", lambda e: s.invalid_media_types(edition=e), "Content-Type"),
    Case("invalid accepts", lambda e: s.invalid_media_types(edition=e, member="Accept"), "Accept"),
    Case("oversized_bodies", lambda e: s.oversized_bodies(edition=e), "body"),
    Case(
        "invalid_custom_attributes",
        lambda e: s.invalid_custom_attributes(edition=e),
        CUSTOM_ATTRIBUTES,
        ("current",),
    ),
    Case(
        "invalid_inference_ids",
        lambda e: s.invalid_inference_ids(edition=e),
        lambda e: header_of(e, "InferenceId"),
        ("current",),
    ),
    Case(
        "invalid_target_variants",
        lambda e: s.invalid_target_variants(edition=e),
        lambda e: header_of(e, "TargetVariant"),
        ("current",),
    ),
    Case(
        "invalid_session_ids",
        lambda e: s.invalid_session_ids(edition=e),
        lambda e: header_of(e, "SessionId"),
        ("current",),
    ),
    Case(
        "invalid_prefix_aware_ids",
        lambda e: s.invalid_prefix_aware_ids(edition=e),
        lambda e: header_of(e, "PrefixAwareId"),
        ("current",),
    ),
    Case(
        "invalid_enable_explanations",
        lambda e: s.invalid_enable_explanations(edition=e),
        lambda e: header_of(e, "EnableExplanations"),
        ("current",),
    ),
    Case(
        "invalid_target_models",
        lambda e: s.invalid_target_models(edition=e),
        lambda e: header_of(e, "TargetModel"),
        ("current",),
    ),
    Case(
        "invalid_target_container_hostnames",
        lambda e: s.invalid_target_container_hostnames(edition=e),
        lambda e: header_of(e, "TargetContainerHostname"),
        ("current",),
    ),
    Case(
        "invalid_inference_component_names",
        lambda e: s.invalid_inference_component_names(edition=e),
        lambda e: header_of(e, "InferenceComponentName"),
        ("current",),
    ),
]


def each(cases: list[Case]):
    return pytest.mark.parametrize(
        ("case", "edition"),
        [(c, e) for c in cases for e in c.editions],
        ids=[f"{c.id}-{e}" for c in cases for e in c.editions],
    )


@each(VALID)
@BIG
@given(data=st.data())
def test_valid_values_break_no_clause(case, edition, data):
    value = data.draw(case.strategy(edition))
    assert validator.violations(case.place(edition, value), edition) == set()


@each(INVALID)
@BIG
@given(data=st.data())
def test_invalid_values_break_exactly_their_clause(case, edition, data):
    invalid = data.draw(case.strategy(edition))
    assert isinstance(invalid, s.Invalid)
    assert invalid.clause in {c["id"] for c in validator.clauses(edition)}, "a clause of another edition"
    assert validator.violations(case.place(edition, invalid.value), edition) == {invalid.clause}


@pytest.mark.parametrize("edition", EDITIONS)
@BIG
@given(data=st.data())
def test_typed_bodies_are_valid_with_their_content_type(edition, data):
    content_type, body = data.draw(s.typed_bodies(edition=edition))
    raw = request_bytes(s.Invocation("conformance-probe", body, (("Content-Type", content_type),)), host=HOST)
    assert validator.violations(raw, edition) == set()


@pytest.mark.parametrize("edition", EDITIONS)
@settings(BIG, max_examples=60)
@given(data=st.data())
def test_invocations_break_exactly_the_clause_of_their_outcome(edition, data):
    invocation = data.draw(s.invocations(edition=edition))
    outcome = invocation.outcome
    expect = next(c["expect"] for c in validator.clauses(edition) if c["id"] == outcome.clause)
    assert outcome.status == tuple(expect["status"])
    assert outcome.error == expect.get("error", expect.get("error_if_400"))
    found = validator.violations(request_bytes(invocation, host=HOST), edition)
    assert found == (set() if outcome.clause == "response.status-200" else {outcome.clause})


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("valid", [True, False])
@settings(BIG, max_examples=20)
@given(data=st.data())
def test_invocations_keep_to_the_kind_asked_for(edition, valid, data):
    invocation = data.draw(s.invocations(edition=edition, valid=valid))
    assert (invocation.outcome.clause == "response.status-200") is valid
    if valid:
        assert invocation.endpoint_name == validator.contract()["defaults"]["probe_endpoint"]


# (strategy, edition, the clauses it draws there)
BY_CLAUSE = [
    (s.invalid_endpoint_names, "original", ("name.max-length", "name.empty", "name.pattern")),
    (s.invalid_media_types, "original", ("content-type.max-length",)),
    (
        s.invalid_media_types,
        "current",
        ("content-type.max-length", "content-type.ascii", "headers.control-characters"),
    ),
    (s.oversized_bodies, "current", ("body.max-length",)),
    (s.invalid_custom_attributes, "current", ("custom-attributes.max-length", "custom-attributes.ascii")),
    (
        s.invalid_inference_ids,
        "current",
        ("inference-id.min-length", "inference-id.max-length", "inference-id.pattern"),
    ),
    (s.invalid_target_variants, "current", ("target-variant.max-length", "target-variant.pattern")),
    (s.invalid_session_ids, "current", ("session-id.max-length", "session-id.pattern")),
    (
        s.invalid_enable_explanations,
        "current",
        ("enable-explanations.min-length", "enable-explanations.max-length", "enable-explanations.pattern"),
    ),
    (
        s.invalid_prefix_aware_ids,
        "current",
        ("prefix-aware-id.min-length", "prefix-aware-id.max-length", "prefix-aware-id.pattern"),
    ),
    (
        s.invalid_target_models,
        "current",
        ("target-model.min-length", "target-model.max-length", "target-model.pattern"),
    ),
    (
        s.invalid_target_container_hostnames,
        "current",
        ("target-container-hostname.max-length", "target-container-hostname.pattern"),
    ),
    (
        s.invalid_inference_component_names,
        "current",
        ("inference-component.max-length", "inference-component.pattern"),
    ),
]


@pytest.mark.parametrize(
    ("strategy", "edition", "clause"),
    [(f, e, c) for f, e, clauses in BY_CLAUSE for c in clauses],
    ids=[f"{f.__name__}-{e}-{c}" for f, e, clauses in BY_CLAUSE for c in clauses],
)
@settings(BIG, max_examples=10)
@given(data=st.data())
def test_asking_by_clause_draws_only_that_clause(strategy, edition, clause, data):
    assert data.draw(strategy(edition=edition, clause=clause)).clause == clause


@pytest.mark.parametrize("edition", EDITIONS)
def test_near_miss_names_each_break_only_the_pattern(edition):
    near_misses = s.near_miss_endpoint_names(edition=edition)
    assert {"a/b", "model_v2", "100%"} <= {invalid.value for invalid in near_misses}
    for invalid in near_misses:
        assert validator.violations(placed("name", invalid.value), edition) == {"name.pattern"}, invalid
