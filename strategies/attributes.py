"""X-Amzn-SageMaker-Custom-Attributes values, and the probe directives that travel in them.

The header's limits are the current edition's CustomAttributes member (botocore's model: "no
more than 1024 visible US-ASCII characters", pattern \\p{ASCII}*). The original edition does not
list the header, but the target contract uses it in every edition, so there the current
edition's limit applies. Directives follow docs/target-contract.md, section 2: ";"-separated
key=value items, white space around an item ignored, values percent-decoded (RFC 3986), items
whose key does not start with "probe-" ignored, as are unknown "probe-" keys.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Invalid
from invokeendpoint_conformance.strategies import _support

MEMBER = "CustomAttributes"

# RFC 3986 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". Everything else in a
# directive value is always percent-encoded; these may be, or not.
# https://www.rfc-editor.org/rfc/rfc3986#section-2.3
UNRESERVED = string.ascii_letters + string.digits + "-._~"

# How values are written: as `directive_header` does, every character encoded, a drawn mix,
# or with lower-case hex digits (RFC 3986 2.1: equivalent to upper case).
ENCODINGS = ("canonical", "everything", "mixed", "lower-hex")

# White space around an item (the probe ignores it).
PADDING = ("", " ", "  ")


def _probe() -> dict[str, Any]:
    probe: dict[str, Any] = specs.contract()["probe"]
    return probe


def _member(edition: str) -> specs.Member:
    members = _support.edition(edition).request
    return members[MEMBER] if MEMBER in members else specs.edition("current").request[MEMBER]


def _is_directive_item(item: str, key_prefix: str) -> bool:
    """Whether the probe could take this item for a directive; case and encoding are ignored, to
    be safe with a probe that is lenient about either."""
    return unquote(item.strip()).lower().startswith(key_prefix.lower())


def _without_directives(value: str, key_prefix: str, separator: str) -> str:
    """`value` with each item that could be a directive spoiled by its first character, so the
    length stays the same."""
    characters, start = list(value), 0
    for item in value.split(separator):
        if _is_directive_item(item, key_prefix):
            characters[start + len(item) - len(item.lstrip())] = "x"
        start += len(item) + len(separator)
    return "".join(characters)


def _tidy(value: str) -> str:
    """Single spaces inside only: a space at an end, or after another, becomes a visible character."""
    characters = list(value)
    for i, c in enumerate(characters):
        if c == " " and (i == 0 or i == len(characters) - 1 or characters[i - 1] == " "):
            characters[i] = "x"
    return "".join(characters)


_words = st.text(st.one_of(st.sampled_from(_support.VCHAR), st.sampled_from(";=")), min_size=1, max_size=16)
_joints = st.sampled_from((" ", ";", "; ", " ; ", "=", ","))


@st.composite
def _attribute_values(draw: st.DrawFn, low: int, high: int) -> str:
    """Visible ASCII with single spaces inside, low..high characters long, carrying no directive.

    Half the time the length is drawn and the value cut or padded to it, so that every length
    comes up; otherwise the words keep the length they were drawn with, moved into the range.
    """
    words = draw(st.lists(_words, min_size=1, max_size=8))
    value = words[0] + "".join(draw(_joints) + w for w in words[1:])
    length = draw(st.one_of(st.none(), _support.sizes(low, high)))
    if length is None:
        length = min(max(len(value), low), high)
    if len(value) < length:
        value += draw(_support.exact_text(_support.VCHAR, length - len(value)))
    probe = _probe()
    value = _without_directives(_tidy(value[:length]), probe["key_prefix"], probe["item_separator"])
    if len(value) != length or _tidy(value) != value or not set(value) <= set(_support.PRINTABLE):
        raise AssertionError(
            f"custom attributes {value!r} are not {length} visible characters and single spaces"
        )
    return value


def custom_attributes(*, edition: str = "original", max_size: int | None = None) -> st.SearchStrategy[str]:
    """Valid values, every length from 1 to the limit reachable, never carrying a probe directive."""
    member = _member(edition)
    low, high = _support.size_range(member, edition, 1, max_size, floor=1)
    return _attribute_values(low, high)


def invalid_custom_attributes(
    *, edition: str = "current", clause: str | None = None
) -> st.SearchStrategy[Invalid]:
    """Too long (custom-attributes.max-length) or holding a non-ASCII character
    (custom-attributes.ascii); only `clause`'s values, if given."""
    member = _support.request_member(edition, MEMBER)
    limit = member.limit
    too_long = _attribute_values(limit + 1, limit * _support.OVERSIZE_FACTOR).map(
        lambda v: Invalid(
            v, "custom-attributes.max-length", f"{len(v)} characters, over the limit of {limit}"
        )
    )
    base = _attribute_values(2, limit - _support.UTF8_MAX_BYTES)
    branches = {"custom-attributes.max-length": too_long, "custom-attributes.ascii": _non_ascii(base, member)}
    return _support.by_clause(branches, clause, "invalid_custom_attributes", edition)


@st.composite
def _non_ascii(draw: st.DrawFn, base: st.SearchStrategy[str], member: specs.Member) -> Invalid:
    character = draw(_support.non_ascii_characters().filter(lambda c: not member.matches(c)))
    value, index = _support.insert_inside(draw, draw(base), character)
    return Invalid(value, "custom-attributes.ascii", f"non-ASCII {character!r} at index {index}")


def _directive_items(directives: dict[str, object]) -> list[tuple[str, str]]:
    """The directives as (key, text) pairs, each checked against the contract's table."""
    if not isinstance(directives, dict):
        raise InvalidArgument(f"directives={directives!r}, but it must be a dict of directive to value")
    table = _probe()["directives"]
    items: list[tuple[str, str]] = []
    for key, value in directives.items():
        if key not in table:
            raise InvalidArgument(f"directive {key!r}, but the probe knows only {', '.join(table)}")
        rule = table[key]
        if rule["type"] == "integer":
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
            if isinstance(value, str) and value.isascii() and value.isdigit():
                number = int(value)
            if number is None or not rule["min"] <= number <= rule["max"]:
                raise InvalidArgument(
                    f"{key}={value!r}, but the probe takes an integer from {rule['min']} to {rule['max']}"
                )
            value = str(number)
        elif not isinstance(value, str):
            raise InvalidArgument(f"{key}={value!r}, but the probe takes a string")
        if "values" in rule and value not in rule["values"]:
            raise InvalidArgument(f"{key}={value!r}, but the probe takes only {', '.join(rule['values'])}")
        items.append((key, value))
    return items


def _encoded(value: str, encode_unreserved: Callable[[str], bool], hex_format: str = "%{:02X}") -> str:
    """Percent-encoding (RFC 3986 2.1) of every character outside UNRESERVED, and of those
    unreserved ones `encode_unreserved` picks."""
    return "".join(
        c
        if c in UNRESERVED and not encode_unreserved(c)
        else "".join(hex_format.format(b) for b in c.encode())
        for c in value
    )


def _canonical(items: list[tuple[str, str]]) -> str:
    separator: str = _probe()["item_separator"]
    return separator.join(f"{key}={_encoded(value, lambda c: False)}" for key, value in items)


def directive_header(**items: object) -> str:
    """The canonical header value carrying these directives, keywords spelled with "_" for "-":
    `directive_header(probe_status=500)` gives "probe-status=500"."""
    return _canonical(_directive_items({key.replace("_", "-"): value for key, value in items.items()}))


@st.composite
def _encodings(draw: st.DrawFn, value: str) -> str:
    how = draw(st.sampled_from(ENCODINGS))
    if how == "canonical":
        return _encoded(value, lambda c: False)
    if how == "everything":
        return _encoded(value, lambda c: True)
    if how == "lower-hex":
        return _encoded(value, lambda c: False, "%{:02x}")
    choose = random.Random(draw(st.integers(0, 2**32 - 1)))
    return _encoded(value, lambda c: choose.random() < 0.5)


_tokens = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)


def _foreign_items(key_prefix: str) -> st.SearchStrategy[str]:
    """key=value items the probe must ignore: their key does not start with the prefix."""
    keys = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=12)
    values = st.text(_support.VCHAR.replace(";", ""), max_size=16)
    return st.tuples(keys.filter(lambda k: not _is_directive_item(k, key_prefix)), values).map("=".join)


def _unknown_items(key_prefix: str, known: list[str]) -> st.SearchStrategy[str]:
    """Items with the prefix but no such directive, some a known key with a suffix, which a
    probe that matches keys by `startswith` would take for the known one."""
    suffixes = st.one_of(
        _tokens.map(lambda t: "unknown-" + t),
        st.tuples(st.sampled_from(known), _tokens).map(
            lambda kt: f"{kt[0].removeprefix(key_prefix)}-{kt[1]}"
        ),
    )
    keys = suffixes.map(lambda s: key_prefix + s).filter(lambda k: k not in known)
    return st.tuples(keys, st.text(UNRESERVED, max_size=8)).map("=".join)


@st.composite
def _directive_values(draw: st.DrawFn, items: list[tuple[str, str]], limit: int) -> str:
    probe = _probe()
    key_prefix: str = probe["key_prefix"]
    separator: str = probe["item_separator"]
    known = list(probe["directives"])
    written = [f"{key}={draw(_encodings(value))}" for key, value in items]
    extras = st.one_of(_foreign_items(key_prefix), _unknown_items(key_prefix, known))
    written += draw(st.lists(extras, min_size=0 if items else 1, max_size=4))
    written = draw(st.permutations(written))
    padded = [draw(st.sampled_from(PADDING)) + w + draw(st.sampled_from(PADDING)) for w in written]
    # A header value loses the white space at its ends in transit (RFC 9110 5.5): strip it here, so
    # what is sent is what arrives.
    value = separator.join(padded).strip(" ")
    if len(value) > limit:
        value = _canonical(items)  # fits: directive_headers checked that
    return value


def directive_headers(directives: dict[str, object], *, edition: str = "original") -> st.SearchStrategy[str]:
    """Header values carrying exactly these directives, written in the many ways the contract allows.

    Shuffled among foreign items and unknown "probe-" keys, with white space around items, values
    percent-encoded or not: the probe must find the same directives in each.
    """
    member = _member(edition)
    items = _directive_items(directives)
    canonical = _canonical(items)
    if len(canonical) > member.limit:
        raise InvalidArgument(
            f"directives={directives!r} take {len(canonical)} characters, but {member.header} "
            f"allows at most {member.limit}"
        )
    return _directive_values(items, member.limit)


# HTTP status classes (RFC 9110 15): the first digit. 204 and 205 answers carry no content
# (RFC 9110 15.3.5, 15.3.6), but the probe answers with the request body.
# https://www.rfc-editor.org/rfc/rfc9110#section-15
SUCCESS_CLASSES, ERROR_CLASSES = (2,), (4, 5)
NO_CONTENT = (204, 205)
KINDS = ("success", "error")


def probe_statuses(*, kind: str, edition: str = "original") -> st.SearchStrategy[int]:
    """Values of probe-status: "success" (2xx that can carry a body) or "error" (4xx and 5xx, the
    documented error statuses of the edition and the class edges drawn often)."""
    errors = _support.edition(edition).errors
    if kind not in KINDS:
        raise InvalidArgument(f"kind={kind!r}, but only {' or '.join(map(repr, KINDS))} exist")
    rule = _probe()["directives"]["probe-status"]
    classes = SUCCESS_CLASSES if kind == "success" else ERROR_CLASSES
    allowed = [s for s in range(rule["min"], rule["max"] + 1) if s // 100 in classes and s not in NO_CONTENT]
    by_class = [[s for s in allowed if s // 100 == c] for c in classes]
    edges = {s for statuses in by_class if statuses for s in (statuses[0], statuses[-1])}
    documented = {s for s in errors.values() if s in allowed} if kind == "error" else set()
    return st.one_of(st.sampled_from(sorted(edges | documented)), st.sampled_from(allowed))
