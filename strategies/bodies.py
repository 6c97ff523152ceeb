"""Request bodies: every size up to the edition's limit, contents that test byte-exactness, and more.

The API reference, Request Body: "Amazon SageMaker passes all of the data in the body to the
model. Length Constraints: Maximum length of 5242880." (6291456 in the current edition.)
Large bodies are built from a drawn seed or a drawn repeating pattern, never byte by byte, so a
body of the limit costs milliseconds.
"""

from __future__ import annotations

import csv
import io
import json
import random

from hypothesis import strategies as st

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Body, Invalid
from invokeendpoint_conformance.strategies import _support

MEMBER = "Body"

# Bytes that trip code treating a body as text or lines rather than as bytes.
STRESS_CHUNKS = (
    b"\x00",  # NUL ends a C string
    b"\r\n",  # HTTP's line ending (RFC 9112 2.2)
    b"\r",  # a lone CR, which some parsers take for a line ending
    b"\n",
    b"\r\n\r\n",  # looks like the end of a header block
    b"0\r\n\r\n",  # looks like the last chunk of a chunked body (RFC 9112 7.1)
    b"\xff\xfe\xc3",  # invalid UTF-8: two bytes that never occur, then a cut-off sequence (RFC 3629 3)
    b"\xef\xbb\xbf",  # the UTF-8 byte order mark (Unicode 15.0, 23.8)
    b" \t\r\n\x0b\x0c",  # white space a careless strip() would remove
    "é€😀".encode(),  # well-formed multi-byte UTF-8
    bytes(range(256)),  # every byte value
)
# What a body may start or end with: what a text decoder or a stripper would eat.
EDGES = (b"", b"\xef\xbb\xbf", b" ", b"\t", b"\r\n", b"\n", b"\r", b"\x00")

# Up to this size, bodies are drawn byte by byte, so that Hypothesis can shrink them.
DRAWN_SIZE = 512
# Oversized bodies stay under limit + this: past the limit is the point, not how far.
OVERSIZE_MARGIN = 64 * 1024

_patterns = st.lists(
    st.one_of(st.sampled_from(STRESS_CHUNKS), st.binary(min_size=1, max_size=16)), min_size=1, max_size=6
).map(b"".join)


@st.composite
def _contents(draw: st.DrawFn, size: int) -> bytes:
    """Exactly `size` bytes: drawn, from a seeded generator, or a drawn pattern repeated."""
    methods = ("drawn", "pattern", "seeded") if size <= DRAWN_SIZE else ("pattern", "seeded")
    method = draw(st.sampled_from(methods))
    if method == "drawn":
        content = draw(st.binary(min_size=size, max_size=size))
    elif method == "seeded":
        content = random.Random(draw(st.integers(0, 2**32 - 1))).randbytes(size)
    else:
        pattern = draw(_patterns)
        content = (pattern * (size // len(pattern) + 1))[:size]
    head, tail = draw(st.sampled_from(EDGES)), draw(st.sampled_from(EDGES))
    if (head or tail) and len(head) + len(tail) <= size:
        content = head + content[len(head) : size - len(tail)] + tail
    return content


@st.composite
def _bodies_of(draw: st.DrawFn, sizes: st.SearchStrategy[int]) -> Body:
    return Body(draw(_contents(draw(sizes))))


def bodies(
    *, edition: str = "original", min_size: int = 0, max_size: int | None = None
) -> st.SearchStrategy[Body]:
    """Bodies of sizes 0, 1, limit-1, limit and uniform sizes between, with byte-exactness traps."""
    member = _support.request_member(edition, MEMBER)
    low, high = _support.size_range(member, edition, min_size, max_size, unit="bytes")
    return _bodies_of(_support.sizes(low, high, 0, 1))


def oversized_bodies(*, edition: str = "original", clause: str | None = None) -> st.SearchStrategy[Invalid]:
    """Bodies of limit+1 bytes and a little more, tagged body.max-length (`clause` is accepted
    for symmetry with the other invalid strategies)."""
    limit = _support.request_member(edition, MEMBER).limit
    sizes = _support.sizes(limit + 1, limit + OVERSIZE_MARGIN - 1, limit + 2, limit + 4096)
    too_big = _bodies_of(sizes).map(
        lambda b: Invalid(b, "body.max-length", f"{len(b)} bytes, {len(b) - limit} over the limit of {limit}")
    )
    return _support.by_clause({"body.max-length": too_big}, clause, "oversized_bodies", edition)


# Media types of the typed bodies: RFC 8259 (JSON), RFC 4180 (CSV); both in the IANA registry
# https://www.iana.org/assignments/media-types/media-types.xhtml
JSON = "application/json"
CSV = "text/csv"

_json_documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8")),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@st.composite
def _json_bodies(draw: st.DrawFn) -> bytes:
    document = draw(_json_documents)
    ensure_ascii, indent = draw(st.booleans()), draw(st.sampled_from((None, 2)))
    return json.dumps(document, ensure_ascii=ensure_ascii, indent=indent).encode("utf-8")


_csv_fields = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    # Commas, quotes and line breaks make the writer quote a field (RFC 4180 2.6, 2.7).
    st.text(st.one_of(st.characters(codec="utf-8", exclude_categories=["Cc"]), st.sampled_from(',"\r\n'))),
)


@st.composite
def _csv_bodies(draw: st.DrawFn) -> bytes:
    columns = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(_csv_fields, min_size=columns, max_size=columns), min_size=1, max_size=10))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # RFC 4180 2.1: CRLF ends a record
    return buffer.getvalue().encode("utf-8")


def typed_bodies(*, edition: str = "original") -> st.SearchStrategy[tuple[str, Body]]:
    """(Content-Type, body) pairs whose body is what the type says: JSON, CSV rows, or any bytes.

    All stay small: the size boundaries are `bodies()`'s job.
    """
    limit = _support.request_member(edition, MEMBER).limit
    octets = specs.contract()["probe"]["default_content_type"]
    small = bodies(edition=edition, max_size=min(limit, _support.SMALL_BODY - 1))
    return st.one_of(
        st.tuples(st.just(JSON), _json_bodies().map(Body)),
        st.tuples(st.just(CSV), _csv_bodies().map(Body)),
        st.tuples(st.just(octets), small),
    )
