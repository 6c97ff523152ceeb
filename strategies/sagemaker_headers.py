"""The newer X-Amzn-SageMaker-* request headers, which only the current edition has.

Limits and patterns are the current edition's members (botocore's sagemaker-runtime model).
A header value loses white space at its ends in transit (RFC 9110 5.5), so a pattern is broken
by characters inside a value, never by white space at its edges.
"""

from __future__ import annotations

from hypothesis import strategies as st

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Invalid
from invokeendpoint_conformance.strategies import _support
from invokeendpoint_conformance.strategies._patterns import Shape, pattern_strings, pattern_violations


def _too_long(member: specs.Member, clause: str) -> st.SearchStrategy[Invalid]:
    """Values that fit the pattern but pass the limit."""
    limit = member.limit
    return pattern_strings(Shape.of(member), _support.oversizes(limit)).map(
        lambda v: Invalid(v, clause, f"{len(v)} characters, over the limit of {limit}")
    )


def _unmatched(member: specs.Member, clause: str) -> st.SearchStrategy[Invalid]:
    return pattern_violations(Shape.of(member), max_size=member.limit, in_header=True).map(
        lambda vr: Invalid(vr[0], clause, vr[1])
    )


def inference_ids(
    *, edition: str = "current", min_size: int | None = None, max_size: int | None = None
) -> st.SearchStrategy[str]:
    """Well-formed X-Amzn-SageMaker-Inference-Id values, every length reachable; the probe accepts them."""
    member = _support.request_member(edition, "InferenceId")
    floor = member.min_length or 1
    low, high = _support.size_range(
        member, edition, floor if min_size is None else min_size, max_size, floor=floor
    )
    return pattern_strings(Shape.of(member), _support.sizes(low, high))


def invalid_inference_ids(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """Too long (inference-id.max-length), or a character the pattern refuses inside the value
    (inference-id.pattern): non-ASCII, or a horizontal tab. Only `clause`'s values, if given.

    Other control characters would also break headers.control-characters, two clauses at once.
    """
    member = _support.request_member(edition, "InferenceId")
    shape = Shape.of(member)
    anchor = shape.lead[0]
    refused = [c for c in "\t" if not member.matches(anchor + c + anchor)]
    characters = st.one_of(st.sampled_from(refused), _support.non_ascii_characters()).filter(
        lambda c: not member.matches(anchor + c + anchor)
    )
    base = pattern_strings(shape, _support.sizes(2, member.limit - _support.UTF8_MAX_BYTES))
    branches = {
        "inference-id.max-length": _too_long(member, "inference-id.max-length"),
        "inference-id.pattern": _inside(base, characters, "inference-id.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_inference_ids", edition)


@st.composite
def _inside(
    draw: st.DrawFn, base: st.SearchStrategy[str], characters: st.SearchStrategy[str], clause: str
) -> Invalid:
    character = draw(characters)
    value, index = _support.insert_inside(draw, draw(base), character)
    return Invalid(value, clause, f"{character!r} at index {index}")


def invalid_target_variants(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Target-Variant values: too long but well-formed, or malformed within the
    limit; only `clause`'s values, if given."""
    member = _support.request_member(edition, "TargetVariant")
    branches = {
        "target-variant.max-length": _too_long(member, "target-variant.max-length"),
        "target-variant.pattern": _unmatched(member, "target-variant.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_target_variants", edition)


def invalid_session_ids(*, edition: str = "current", clause: str | None = None) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Session-Id values: too long but well-formed, or malformed within the limit;
    only `clause`'s values, if given."""
    member = _support.request_member(edition, "SessionId")
    branches = {
        "session-id.max-length": _too_long(member, "session-id.max-length"),
        "session-id.pattern": _unmatched(member, "session-id.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_session_ids", edition)


def invalid_prefix_aware_ids(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Prefix-Aware-Id values that fit the pattern but pass the limit."""
    member = _support.request_member(edition, "PrefixAwareId")
    branches = {"prefix-aware-id.max-length": _too_long(member, "prefix-aware-id.max-length")}
    return _support.by_clause(branches, clause, "invalid_prefix_aware_ids", edition)


def invalid_enable_explanations(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Enable-Explanations values of printable ASCII, past the limit."""
    member = _support.request_member(edition, "EnableExplanations")
    branches = {"enable-explanations.max-length": _too_long(member, "enable-explanations.max-length")}
    return _support.by_clause(branches, clause, "invalid_enable_explanations", edition)
