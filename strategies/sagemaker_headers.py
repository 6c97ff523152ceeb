"""The newer X-Amzn-SageMaker-* request headers, which only the current edition has.

Limits and patterns are the current edition's members (botocore's sagemaker-runtime model).
A header value loses white space at its ends in transit (RFC 9110 5.5), so a pattern is broken
by characters inside a value, never by white space at its edges. A minimum length of 1 is broken
by the empty value alone, which no other branch draws.
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


def _too_short(member: specs.Member, clause: str) -> st.SearchStrategy[Invalid]:
    """Values under the minimum length: for a minimum of 1, the empty value and nothing else."""
    least = member.min_length
    if not least:
        raise specs.SpecError(f"{member.name} has no minimum length to break")
    empty = st.just(Invalid("", clause, f"empty, under the minimum length of {least}"))
    if least == 1:
        return empty
    shorter = pattern_strings(Shape.of(member), st.integers(1, least - 1)).map(
        lambda v: Invalid(v, clause, f"{len(v)} characters, under the minimum length of {least}")
    )
    return st.one_of(empty, shorter)


# Java's `.` matches no line terminator: LF, CR, and these three (java.util.regex.Pattern, "Line
# terminators"). CR and LF end a header line (RFC 9112 2.2), so they cannot be sent inside a value.
# https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html#lt
LINE_TERMINATORS = ("\x85", "\u2028", "\u2029")


def _refused_inside(member: specs.Member, clause: str) -> st.SearchStrategy[Invalid]:
    """A value of the pattern with one character inside it that the pattern refuses, however the
    service reads the header's bytes: as UTF-8 (how they are sent) or as ISO-8859-1 (how many
    HTTP stacks read obs-text, RFC 9110 5.5). A tab, a non-ASCII character, a line terminator:
    whichever the member refuses. Other control characters would also break
    headers.control-characters, two clauses at once.
    """
    shape = Shape.of(member)
    anchor = shape.lead[0]

    def refused(c: str) -> bool:
        latin1 = c.encode("utf-8").decode("latin-1")
        return not member.matches(anchor + c + anchor) and not member.matches(anchor + latin1 + anchor)

    listed = [c for c in ("\t", *_support.NON_ASCII_SAMPLES, *LINE_TERMINATORS) if refused(c)]
    if not listed:
        raise specs.SpecError(f"{member.name}: {member.regex!r} refuses no character this module sends")
    characters = [st.sampled_from(listed)]
    if all(refused(c) for c in _support.NON_ASCII_SAMPLES):  # it refuses non-ASCII as such
        characters.append(_support.non_ascii_characters().filter(refused))
    base = pattern_strings(shape, _support.sizes(2, member.limit - _support.UTF8_MAX_BYTES))
    return _inside(base, st.one_of(characters), clause)


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
    """Empty (inference-id.min-length), too long (inference-id.max-length), or a character the
    pattern refuses inside the value (inference-id.pattern): non-ASCII, or a horizontal tab.
    Only `clause`'s values, if given."""
    member = _support.request_member(edition, "InferenceId")
    branches = {
        "inference-id.min-length": _too_short(member, "inference-id.min-length"),
        "inference-id.max-length": _too_long(member, "inference-id.max-length"),
        "inference-id.pattern": _refused_inside(member, "inference-id.pattern"),
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
    """X-Amzn-SageMaker-Prefix-Aware-Id values: empty, too long but well-formed, or with a character
    the pattern refuses inside (as for InferenceId); only `clause`'s values, if given."""
    member = _support.request_member(edition, "PrefixAwareId")
    branches = {
        "prefix-aware-id.min-length": _too_short(member, "prefix-aware-id.min-length"),
        "prefix-aware-id.max-length": _too_long(member, "prefix-aware-id.max-length"),
        "prefix-aware-id.pattern": _refused_inside(member, "prefix-aware-id.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_prefix_aware_ids", edition)


def invalid_enable_explanations(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Enable-Explanations values: empty, printable ASCII past the limit, or with a
    line terminator that the pattern's `.` refuses inside (NEL: see `_refused_inside`); only
    `clause`'s values, if given."""
    member = _support.request_member(edition, "EnableExplanations")
    branches = {
        "enable-explanations.min-length": _too_short(member, "enable-explanations.min-length"),
        "enable-explanations.max-length": _too_long(member, "enable-explanations.max-length"),
        "enable-explanations.pattern": _refused_inside(member, "enable-explanations.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_enable_explanations", edition)


def invalid_target_models(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Target-Model values: empty, too long but well-formed, or with a character
    the pattern refuses inside (its pattern is InferenceId's); only `clause`'s values, if given."""
    member = _support.request_member(edition, "TargetModel")
    branches = {
        "target-model.min-length": _too_short(member, "target-model.min-length"),
        "target-model.max-length": _too_long(member, "target-model.max-length"),
        "target-model.pattern": _refused_inside(member, "target-model.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_target_models", edition)


def invalid_target_container_hostnames(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Target-Container-Hostname values: too long but well-formed, or malformed
    within the limit; only `clause`'s values, if given."""
    member = _support.request_member(edition, "TargetContainerHostname")
    branches = {
        "target-container-hostname.max-length": _too_long(member, "target-container-hostname.max-length"),
        "target-container-hostname.pattern": _unmatched(member, "target-container-hostname.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_target_container_hostnames", edition)


def invalid_inference_component_names(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """X-Amzn-SageMaker-Inference-Component values: too long but well-formed, or malformed within
    the limit; only `clause`'s values, if given."""
    member = _support.request_member(edition, "InferenceComponentName")
    branches = {
        "inference-component.max-length": _too_long(member, "inference-component.max-length"),
        "inference-component.pattern": _unmatched(member, "inference-component.pattern"),
    }
    return _support.by_clause(branches, clause, "invalid_inference_component_names", edition)
