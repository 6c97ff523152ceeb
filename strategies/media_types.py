"""Media types for the Content-Type and Accept headers, valid and invalid.

The API reference, URI Request Parameters: ContentType and Accept, "Length Constraints: Maximum
length of 1024"; the current edition adds the pattern \\p{ASCII}*. The grammar is HTTP's:
media-type (RFC 9110 8.3.1), token (5.6.2), quoted-string (5.6.4), Accept and weight (12.5.1).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Invalid
from invokeendpoint_conformance.strategies import _support

# The clauses each member's invalid values break: (too long, not ASCII).
CLAUSES = {
    "ContentType": ("content-type.max-length", "content-type.ascii"),
    "Accept": ("accept.max-length", "accept.ascii"),
}
MEMBERS = tuple(CLAUSES)

# Formats SageMaker's built-in algorithms take and give (Common Data Formats for Inference,
# https://docs.aws.amazon.com/sagemaker/latest/dg/cdf-inference.html), and registered types
# (https://www.iana.org/assignments/media-types/media-types.xhtml).
KNOWN_TYPES = (
    "application/json",
    "text/csv",
    "application/octet-stream",
    "application/jsonlines",
    "application/x-npy",
    "application/x-recordio-protobuf",
    "application/x-image",
    "text/libsvm",
    "text/plain",
    "image/jpeg",
    "image/png",
    "audio/wav",
    "application/vnd.api+json",
)
# Top-level type names of the IANA registry, plus "example" (RFC 6838 4.2.5: for documentation).
TOP_LEVEL_TYPES = ("application", "audio", "font", "image", "message", "model", "multipart", "text", "video")

# RFC 6838 4.2: restricted-name-chars, for type and subtype names.
# https://www.rfc-editor.org/rfc/rfc6838#section-4.2
RESTRICTED_NAME = string.ascii_letters + string.digits + "!#$&-^_.+"
# RFC 9110 5.6.2: tchar, for parameter names and token values.
# https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2
TCHAR = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"
# Characters valid in every place padding goes: a type or subtype, a token, a quoted string.
FILL = string.ascii_letters + string.digits + "-.+_"

PARAMETER_NAMES = ("charset", "boundary", "version", "profile", "header", "format", "level")
# Character set names from https://www.iana.org/assignments/character-sets/.
CHARSETS = ("utf-8", "UTF-8", "us-ascii", "iso-8859-1", "utf-16")
# RFC 9110 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
QVALUES = ("0", "1", "0.5", "1.0", "1.000", "0.001", "0.999", "0.8")
# RFC 9110 5.6.1 and 5.6.6: OWS may surround "," in lists and ";" before parameters.
PARAMETER_SEPARATORS = (";", "; ", " ;", " ; ")
LIST_SEPARATORS = (",", ", ", " ,", " , ")

SHORTEST = len("x/y")  # a one-character type and subtype


@dataclass
class _Range:
    """One media type or, in Accept, one media range with its weight."""

    type: str
    subtype: str
    params: list[tuple[str, str]] = field(default_factory=list)  # (name, value as written)
    weight: str | None = None


@dataclass
class _Shape:
    ranges: list[_Range]
    param_separator: str
    list_separator: str

    def render(self) -> str:
        written = []
        for r in self.ranges:
            params = [*r.params, *([("q", r.weight)] if r.weight is not None else [])]
            written.append(
                f"{r.type}/{r.subtype}" + "".join(f"{self.param_separator}{n}={v}" for n, v in params)
            )
        return self.list_separator.join(written)


def _quoted(content: str) -> str:
    """RFC 9110 5.6.4: DQUOTE and backslash travel as quoted-pairs."""
    return '"' + content.replace("\\", "\\\\").replace('"', '\\"') + '"'


_parameter_values = st.one_of(
    st.sampled_from(CHARSETS),
    st.text(TCHAR, min_size=1, max_size=16),
    st.text(_support.PRINTABLE, max_size=20).map(_quoted),
)
_parameters = st.tuples(
    st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(TCHAR, min_size=1, max_size=12)).filter(
        lambda n: n.lower() != "q"  # "q" is the weight of an Accept range, not a parameter
    ),
    _parameter_values,
)


@st.composite
def _ranges(draw: st.DrawFn, accept: bool) -> _Range:
    kinds = ("known", "drawn", "type/*", "*/*") if accept else ("known", "drawn")
    kind = draw(st.sampled_from(kinds))
    if kind == "known":
        type_, subtype = draw(st.sampled_from(KNOWN_TYPES)).split("/")
    else:
        type_ = "*" if kind == "*/*" else draw(st.sampled_from(TOP_LEVEL_TYPES))
        subtype = "*" if kind != "drawn" else draw(st.text(RESTRICTED_NAME, min_size=1, max_size=20))
    params = draw(st.lists(_parameters, max_size=3))
    weight = draw(st.one_of(st.none(), st.sampled_from(QVALUES))) if accept else None
    return _Range(type_, subtype, params, weight)


@st.composite
def _media_types_of(draw: st.DrawFn, low: int, high: int, accept: bool) -> str:
    """A media type (an Accept list when `accept`) of low..high characters, low >= SHORTEST.

    Half the time the length is drawn and the value fitted to it, so that every length comes up;
    otherwise the value keeps the length it was drawn with (moved into the range if need be),
    so that plain values like "application/json" come up too.
    """
    shape = _Shape(
        ranges=draw(st.lists(_ranges(accept), min_size=1, max_size=4 if accept else 1)),
        param_separator=draw(st.sampled_from(PARAMETER_SEPARATORS)),
        list_separator=draw(st.sampled_from(LIST_SEPARATORS)),
    )
    length = draw(st.one_of(st.none(), _support.sizes(low, high)))
    if length is None:
        length = min(max(len(shape.render()), low), high)
    value = _fit(draw, shape, length)
    if len(value) != length or value != value.strip() or not set(value) <= set(_support.PRINTABLE):
        raise AssertionError(f"media type {value!r} is not {length} printable characters without edges")
    return value


def _fit(draw: st.DrawFn, shape: _Shape, length: int) -> str:
    """Shorten or pad the drawn value to exactly `length` characters, keeping it well-formed."""
    first = shape.ranges[0]
    while len(shape.render()) > length:
        if len(shape.ranges) > 1:
            shape.ranges.pop()
        elif first.weight is not None:
            first.weight = None
        elif first.params:
            first.params.pop()
        else:
            break
    excess = len(shape.render()) - length
    if excess > 0:
        # Only "type/subtype" is left: cut the subtype down to one character, then the type.
        # A wildcard is one character already, and "*/*" is never longer than SHORTEST.
        cut = min(excess, len(first.subtype) - 1)
        first.subtype = first.subtype[: len(first.subtype) - cut]
        first.type = first.type[: len(first.type) - (excess - cut)]
    missing = length - len(shape.render())
    if missing <= 0:
        return shape.render()

    def fill(n: int) -> str:
        return draw(_support.exact_text(FILL, n))

    overhead = len(shape.param_separator) + len("=")
    if missing >= overhead + 2:
        # A padding parameter, before any weight: "; version=xxxx..."
        name = draw(st.sampled_from(PARAMETER_NAMES))[: missing - overhead - 1]
        first.params.append((name, fill(missing - overhead - len(name))))
    elif first.params:
        name, value = first.params[-1]
        value = value[:-1] + fill(missing) + '"' if value.endswith('"') else value + fill(missing)
        first.params[-1] = (name, value)
    elif first.subtype != "*":
        first.subtype += fill(missing)
    elif first.type != "*":
        first.type += fill(missing)
    else:
        first.type = fill(missing + 1)  # "*/*" becomes "xy/*"
    return shape.render()


def _checked_member(edition: str, member: object) -> specs.Member:
    if not isinstance(member, str) or member not in MEMBERS:
        raise InvalidArgument(f"member={member!r}, but media types are drawn only for {' or '.join(MEMBERS)}")
    return _support.request_member(edition, member)


def media_types(
    *, edition: str = "original", member: str = "ContentType", min_size: int = 1, max_size: int | None = None
) -> st.SearchStrategy[str]:
    """Valid printable-ASCII media types; for Accept also lists with wildcards and q-values.

    Every length from SHORTEST ("x/y") to the member's limit is reachable; a smaller `min_size`
    means SHORTEST.
    """
    spec = _checked_member(edition, member)
    low, high = _support.size_range(spec, edition, min_size, max_size, floor=1)
    if high < SHORTEST:
        raise InvalidArgument(
            f"max_size={max_size}, but the shortest media type, 'x/y', has {SHORTEST} characters"
        )
    return _media_types_of(max(low, SHORTEST), high, member == "Accept")


def invalid_media_types(
    *, edition: str = "original", member: str = "ContentType", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """Values that break exactly one clause (only `clause`, if given): too long in every edition;
    in editions with the ASCII pattern, a non-ASCII character, or a control character
    (headers.control-characters)."""
    spec = _checked_member(edition, member)
    too_long_clause, ascii_clause = CLAUSES[member]
    accept = member == "Accept"
    limit = spec.limit
    too_long = _media_types_of(limit + 1, limit * _support.OVERSIZE_FACTOR, accept).map(
        lambda v: Invalid(v, too_long_clause, f"{len(v)} characters, over the limit of {limit}")
    )
    branches = {too_long_clause: too_long}
    if spec.regex is None:
        return _support.by_clause(branches, clause, f"invalid_media_types(member={member!r})", edition)
    # Within the limit in bytes as well as characters, so that only the character is at fault.
    base = _media_types_of(SHORTEST, limit - _support.UTF8_MAX_BYTES, accept)
    non_ascii = st.tuples(base, _support.non_ascii_characters().filter(lambda c: not spec.matches(c)))
    # Control characters the pattern allows, so that they break headers.control-characters alone.
    controls = st.tuples(base, _support.control_characters().filter(spec.matches))
    branches[ascii_clause] = _inserted(non_ascii, ascii_clause, "non-ASCII")
    branches["headers.control-characters"] = _inserted(
        controls, "headers.control-characters", "control character"
    )
    return _support.by_clause(branches, clause, f"invalid_media_types(member={member!r})", edition)


@st.composite
def _inserted(draw: st.DrawFn, pairs: st.SearchStrategy[tuple[str, str]], clause: str, what: str) -> Invalid:
    value, character = draw(pairs)
    value, index = _support.insert_inside(draw, value, character)
    return Invalid(value, clause, f"{what} {character!r} at index {index}")
