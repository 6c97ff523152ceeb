"""Plumbing shared by the strategy modules: spec look-ups, argument checks, length draws, alphabets.

Every limit a strategy uses comes through here from `specs`; the constants below are
character classes of the protocols (RFC 5234, RFC 9110) and cost bounds, never spec limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from invokeendpoint_conformance import specs

# US-ASCII classes of RFC 5234, Appendix B.1: VCHAR = %x21-7E, SP = %x20, CTL = %x00-1F / %x7F.
# https://www.rfc-editor.org/rfc/rfc5234#appendix-B.1
VCHAR = "".join(map(chr, range(0x21, 0x7F)))
PRINTABLE = " " + VCHAR

# Control characters a header value can hold without ending its line: CTL less HTAB, which
# RFC 9110 5.5 allows in field values, and less LF, which ends the field line (RFC 9112 2.2) so
# that the bytes after it would read as a header of their own. A bare CR (one no LF follows) stays:
# RFC 9112 2.2 makes its recipient refuse it or read it as SP, never end the line at it.
# https://www.rfc-editor.org/rfc/rfc9110#section-5.5
CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F] if chr(c) not in "\t\n")
# The controls RFC 9110 5.5 makes a recipient refuse or replace with SP (CR, LF and NUL, less LF);
# a recipient MAY keep the others.
REFUSED_OR_REPLACED = "\x00\r"

# Non-ASCII characters a careless ASCII check lets through: Latin-1, Greek, Cyrillic, CJK, and one
# outside the Basic Multilingual Plane (four bytes in UTF-8).
NON_ASCII_SAMPLES = ("é", "Ω", "ß", "Ж", "中", "ÿ", "😀")

# UTF-8 takes at most four bytes for a character (RFC 3629 3).
UTF8_MAX_BYTES = 4

# How far past a limit too-long header values and names go: far enough to catch a check that is
# off by more than one, near enough to stay under the 8 KiB header limit common to HTTP servers.
OVERSIZE_FACTOR = 4

# Valid bodies inside whole invocations stay under this size (the boundary sizes aside), so a run
# of a hundred requests stays cheap; `bodies()` alone covers every size up to the limit.
SMALL_BODY = 64 * 1024

T = TypeVar("T")


def edition(name: object) -> specs.Edition:
    """The edition by name, an unknown one refused as an argument error."""
    if not isinstance(name, str) or name not in specs.EDITIONS:
        raise InvalidArgument(f"edition={name!r}, but only {' or '.join(map(repr, specs.EDITIONS))} exist")
    return specs.edition(name)


def request_member(edition_name: object, member_name: str) -> specs.Member:
    """A request member of the edition; editions without it are refused by name."""
    members = edition(edition_name).request
    if member_name not in members:
        having = [e for e in specs.EDITIONS if member_name in specs.edition(e).request]
        raise InvalidArgument(
            f"edition={edition_name!r}, but {member_name} is a request member only in edition "
            f"{' or '.join(map(repr, having))}"
        )
    return members[member_name]


def _check_integer(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r}, but it must be an integer")


def size_range(
    member: specs.Member,
    edition_name: str,
    min_size: int,
    max_size: int | None,
    *,
    floor: int = 0,
    unit: str = "characters",
) -> tuple[int, int]:
    """The inclusive range of lengths to draw; a range the member does not allow is refused eagerly."""
    _check_integer("min_size", min_size)
    if max_size is not None:
        _check_integer("max_size", max_size)
    limit = member.limit
    if max_size is not None and max_size > limit:
        raise InvalidArgument(
            f"max_size={max_size}, but {member.name} allows at most {limit} in edition {edition_name!r}"
        )
    high = limit if max_size is None else max_size
    least = f"{member.name} needs at least {floor} {unit.removesuffix('s') if floor == 1 else unit}"
    if min_size < floor:
        raise InvalidArgument(f"min_size={min_size}, but {least}")
    if high < floor:
        raise InvalidArgument(f"max_size={max_size}, but {least}")
    if min_size > high:
        raise InvalidArgument(f"min_size={min_size}, but max_size={high} is smaller")
    return min_size, high


def sizes(low: int, high: int, *also: int) -> st.SearchStrategy[int]:
    """Lengths from low to high, with the boundaries (and any `also` in range) drawn often."""
    special = sorted({n for n in (low, low + 1, high - 1, high, *also) if low <= n <= high})
    return st.one_of(st.sampled_from(special), st.integers(low, high))


def oversizes(limit: int) -> st.SearchStrategy[int]:
    """Lengths past the limit, up to OVERSIZE_FACTOR times it, limit+1 and limit+2 drawn often."""
    return sizes(limit + 1, limit * OVERSIZE_FACTOR)


def by_clause(
    branches: Mapping[str, st.SearchStrategy[T]], clause: str | None, what: str, edition_name: str
) -> st.SearchStrategy[T]:
    """All the branches mixed, or only the one for `clause`.

    Asking by clause beats filtering the mix: a filter starves on a clause with few values
    (name.empty has exactly one) and fails Hypothesis's health check.
    """
    if clause is None:
        return st.one_of(*branches.values())
    if clause not in branches:
        raise InvalidArgument(
            f"clause={clause!r}, but {what} draws only {', '.join(map(repr, branches))} "
            f"in edition {edition_name!r}"
        )
    return branches[clause]


def exact_text(alphabet: str, length: int) -> st.SearchStrategy[str]:
    """Strings of exactly `length` characters; long ones repeat a short drawn chunk, to stay cheap."""
    if length <= 64:
        return st.text(alphabet, min_size=length, max_size=length)
    return st.text(alphabet, min_size=1, max_size=32).map(lambda c: (c * (length // len(c) + 1))[:length])


def control_characters() -> st.SearchStrategy[str]:
    """CONTROLS: NUL or CR half the time (REFUSED_OR_REPLACED, what RFC 9110 judges), otherwise DEL
    and the neighbours of the line endings often, and any other."""
    edges = ("\x01", "\x0b", "\x0c", "\x1f", "\x7f")
    return st.one_of(st.sampled_from(REFUSED_OR_REPLACED), st.sampled_from(edges + tuple(CONTROLS)))


def non_ascii_characters() -> st.SearchStrategy[str]:
    """Non-ASCII characters that are neither controls nor white space: only their code point is wrong."""
    return st.one_of(
        st.sampled_from(NON_ASCII_SAMPLES),
        st.characters(min_codepoint=0x80, categories=("L", "N", "P", "S")),
    )


def insert_inside(draw: st.DrawFn, value: str, character: str) -> tuple[str, int]:
    """`value` with `character` put between two of its characters (never at an end: header
    values lose their edges in transit)."""
    index = draw(st.integers(1, len(value) - 1))
    return value[:index] + character + value[index:], index
