"""Endpoint names, valid and invalid, as the EndpointName member of an edition defines them.

The API reference, URI Request Parameters, EndpointName: "Length Constraints: Maximum length
of 63. Pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*", read as a match of the whole name (clause
name.pattern explains why).
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from invokeendpoint_conformance.exchanges import Invalid
from invokeendpoint_conformance.strategies import _support
from invokeendpoint_conformance.strategies._patterns import (
    NEAR_MISSES,
    Shape,
    can_begin,
    pattern_strings,
    pattern_violations,
)

MEMBER = "EndpointName"


def endpoint_names(
    *, edition: str = "original", min_size: int = 1, max_size: int | None = None, prefix: str = ""
) -> st.SearchStrategy[str]:
    """Names the pattern matches as a whole, every length up to the limit reachable.

    With `prefix` (say the contract's "conformance-absent-"), every name starts with it, so the
    shortest is one character longer than the prefix.
    """
    member = _support.request_member(edition, MEMBER)
    shape = Shape.of(member)
    low, high = _support.size_range(member, edition, min_size, max_size, floor=1)
    if not isinstance(prefix, str) or not can_begin(shape, prefix):
        raise InvalidArgument(f"prefix={prefix!r}, but no {MEMBER} matching {member.pattern} starts with it")
    if len(prefix) >= high:
        raise InvalidArgument(
            f"prefix={prefix!r} leaves no room: a name has at most {high} characters, and one "
            "more must follow the prefix"
        )
    return pattern_strings(shape, _support.sizes(max(low, len(prefix) + 1), high, 1, 2), prefix)


def invalid_endpoint_names(
    *, edition: str = "original", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """Names refused by name.max-length, name.empty or name.pattern, each breaking only that clause
    (only `clause`'s, if given)."""
    member = _support.request_member(edition, MEMBER)
    shape = Shape.of(member)
    limit = member.limit
    too_long = pattern_strings(shape, _support.oversizes(limit)).map(
        lambda v: Invalid(v, "name.max-length", f"{len(v)} characters, over the limit of {limit}")
    )
    empty = st.just(Invalid("", "name.empty", "no character at all"))
    unmatched = pattern_violations(shape, max_size=limit, in_header=False).map(
        lambda vr: Invalid(vr[0], "name.pattern", vr[1])
    )
    branches = {"name.max-length": too_long, "name.empty": empty, "name.pattern": unmatched}
    return _support.by_clause(branches, clause, "invalid_endpoint_names", edition)


def near_miss_endpoint_names(*, edition: str = "original") -> tuple[Invalid, ...]:
    """Names as people write them that the pattern refuses (a slash, an underscore, a dot, a space,
    a percent sign, non-ASCII, an edge hyphen), every one of them: drawn at random, any one of
    them may not come up in a small run."""
    member = _support.request_member(edition, MEMBER)
    return tuple(
        Invalid(name, "name.pattern", f"{name!r}, as people write names")
        for name in NEAR_MISSES
        if len(name) <= member.limit and not member.matches(name)
    )
