"""Strings that a spec pattern of the "first, inner run, last" kind matches as a whole, or just misses.

EndpointName's pattern `^[a-zA-Z0-9](-*[a-zA-Z0-9])*` and its relatives (TargetVariant, SessionId,
InferenceId, EnableExplanations) all read: a character that may begin a value, any run of inner
characters, and a character that may end one. Rather than copy a pattern into code, the three
alphabets are found by asking the member's own regex about each printable ASCII character, and
every string drawn is checked against that regex again, so a pattern of another shape fails loudly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.strategies._support import (
    PRINTABLE,
    exact_text,
    insert_inside,
    non_ascii_characters,
)


@dataclass(frozen=True)
class Shape:
    """The alphabets of a member's pattern, restricted to printable ASCII."""

    member: specs.Member
    lead: str  # may begin a value
    inner: str  # may stand between two `lead` characters
    tail: str  # may end a value; never white space, which a header loses in transit

    @classmethod
    def of(cls, member: specs.Member) -> Shape:
        lead = "".join(c for c in PRINTABLE if member.matches(c) and not c.isspace())
        if not lead:
            raise specs.SpecError(
                f"{member.name}: no printable character can begin a value of {member.regex!r}"
            )
        anchor = lead[0]
        inner = "".join(c for c in PRINTABLE if member.matches(anchor + c + anchor))
        tail = "".join(c for c in PRINTABLE if member.matches(anchor + c) and not c.isspace())
        return cls(member, lead, inner, tail)

    @property
    def separators(self) -> str:
        """Inner characters that may not end a value: the hyphen of a name."""
        return "".join(c for c in self.inner if c not in self.tail)

    @property
    def strangers(self) -> str:
        """Printable ASCII characters the pattern never allows inside a value."""
        return "".join(c for c in PRINTABLE if c not in self.inner)

    def check(self, value: str) -> str:
        if not self.member.matches(value):
            raise AssertionError(
                f"{value!r} was built from the alphabets of {self.member.name} but does not match "
                f"{self.member.regex!r}: the pattern no longer has the shape this module assumes"
            )
        return value


def _first_characters(alphabet: Sequence[str]) -> st.SearchStrategy[str]:
    """Any allowed first character, or a digit: names that start with one trip naive parsers."""
    digits = [c for c in alphabet if c.isdigit()]
    return st.one_of(st.sampled_from(alphabet), st.sampled_from(digits or alphabet))


def _middles(shape: Shape, length: int) -> st.SearchStrategy[str]:
    """Inner runs: uniform draws, and draws heavy in separators, so hyphen runs come up often."""
    if length == 0:
        return st.just("")
    uniform = exact_text(shape.inner, length)
    if not shape.separators:
        return uniform
    heavy = exact_text(shape.tail[:10] + shape.separators * 10, length)
    return st.one_of(uniform, heavy)


@st.composite
def pattern_strings(draw: st.DrawFn, shape: Shape, lengths: st.SearchStrategy[int], prefix: str = "") -> str:
    """Values the pattern matches as a whole, of a drawn length (which counts the prefix)."""
    length = draw(lengths)
    if prefix:
        head, rest = prefix, length - len(prefix)
    elif length == 1:
        return shape.check(draw(_first_characters([c for c in shape.lead if c in shape.tail])))
    else:
        head, rest = draw(_first_characters(shape.lead)), length - 1
    value = head + draw(_middles(shape, rest - 1)) + draw(st.sampled_from(shape.tail))
    return shape.check(value)


def can_begin(shape: Shape, prefix: str) -> bool:
    """Whether some valid value starts with `prefix`."""
    return prefix == "" or shape.member.matches(prefix + shape.tail[0])


# The characters people most often put in names by mistake, drawn more often than the rest.
COMMON_STRANGERS = "_. /%"


def _bad_characters(shape: Shape) -> st.SearchStrategy[str]:
    """Characters the pattern never allows inside a value: ASCII punctuation and space, or non-ASCII."""
    anchor = shape.lead[0]
    common = [c for c in COMMON_STRANGERS if c in shape.strangers]
    return st.one_of(
        *([st.sampled_from(common)] if common else []),
        st.sampled_from(shape.strangers),
        non_ascii_characters().filter(lambda c: not shape.member.matches(anchor + c + anchor)),
    )


# Names as people write them that the pattern refuses. Most match a prefix of it, which is all a
# careless `re.match` checks: the pattern has a leading `^` but no trailing `$` (see the reading
# of clause name.pattern).
NEAR_MISSES = (
    "model_v2",
    "abc.def",
    "my endpoint",
    "a/b",
    "100%",
    "name~1",
    "café",
    "Ωmega",
    "xgboost:1.7",
    "end-",
    "-start",
    "a--b-",
)


@st.composite
def pattern_violations(draw: st.DrawFn, shape: Shape, *, max_size: int, in_header: bool) -> tuple[str, str]:
    """A value of at most `max_size` characters that the pattern does not match as a whole, and why.

    In a header (`in_header`), white space never sits at either end: it would be lost in transit
    and the value the service sees could be valid.
    """

    def edges_ok(c: str) -> bool:
        return not (in_header and c.isspace())

    valid = pattern_strings(shape, st.integers(1, max_size - 1))
    kind = draw(st.sampled_from(("near-miss", "leading", "trailing", "inside", "first", "last")))
    if kind == "near-miss":
        candidates = [
            n for n in NEAR_MISSES if len(n) <= max_size and not shape.member.matches(n) and n.strip() == n
        ]
        value = draw(st.sampled_from(candidates))
        return value, f"{value!r} matches only a prefix of the pattern, or none of it"
    if kind in ("leading", "trailing"):
        # A character allowed inside but not at that end: the hyphen of a name.
        end = shape.lead if kind == "leading" else shape.tail
        outsiders = [c for c in shape.inner if c not in end and edges_ok(c)]
        if outsiders:
            c, body = draw(st.sampled_from(outsiders)), draw(valid)
            value = c + body if kind == "leading" else body + c
            return value, f"{kind} {c!r}"
        kind = "inside"
    bad = draw(_bad_characters(shape))
    if kind == "inside" or not edges_ok(bad):
        body = draw(pattern_strings(shape, st.integers(2, max_size - 1)))
        value, index = insert_inside(draw, body, bad)
        return value, f"{bad!r} at index {index}: the pattern matches only a prefix"
    body = draw(valid)
    value = bad + body if kind == "first" else body + bad
    return value, f"{bad!r} as the {kind} character"
