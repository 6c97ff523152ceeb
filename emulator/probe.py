"""The probe model of docs/target-contract.md section 2, as pure logic: what reached it in, its answer out.

Both the emulator (in-process, through its pipeline) and the standalone container
(`emulator.container`) answer through `answer()`, so the probe behaves the same
behind either. The directive table (names, types, ranges) is read from
specs/contract.json.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from invokeendpoint_conformance import specs

PROBE: dict[str, Any] = specs.contract()["probe"]
DIRECTIVES: dict[str, dict[str, Any]] = PROBE["directives"]
# Directive name -> value: a number for the integer directives, text for the others.
Directives = dict[str, int | str]

# A value that becomes a header of the answer must not smuggle in line breaks or other controls.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True)
class ProbeAnswer:
    """The probe's answer: what a container would send back, and how long it waits first."""

    status: int
    headers: dict[str, str]
    body: bytes | bytearray
    delay: float = 0.0  # seconds
    directives: Directives = field(default_factory=dict, compare=False)


class DirectiveError(ValueError):
    """A probe- directive with a malformed or out-of-range value."""


def _check(key: str, raw: str) -> int | str:
    """The value of one known directive, checked against its contract.json entry."""
    rule = DIRECTIVES[key]
    try:
        value = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise DirectiveError(f"{key}: {raw!r} does not percent-decode to UTF-8 text") from None
    if rule["type"] == "integer":
        if not (value.isascii() and value.isdigit()):
            raise DirectiveError(f"{key}: {value!r} is not a whole number")
        number = int(value)
        if not rule.get("min", number) <= number <= rule.get("max", number):
            raise DirectiveError(f"{key}: {number} is outside {rule.get('min')}..{rule.get('max')}")
        return number
    if "values" in rule and value not in rule["values"]:
        raise DirectiveError(f"{key}: {value!r} is not one of {', '.join(rule['values'])}")
    if _CONTROL.search(value):
        raise DirectiveError(f"{key}: {value!r} holds a control character")
    return value


def parse_directives(attributes: str | None) -> Directives:
    """The known probe- directives among `;`-separated key=value items; others are ignored.

    A repeated directive takes its last value.
    """
    found: Directives = {}
    for item in (attributes or "").split(PROBE["item_separator"]):
        key, equals, raw = item.strip().partition("=")
        if not key.startswith(PROBE["key_prefix"]) or key not in DIRECTIVES:
            continue
        if not equals:
            raise DirectiveError(f"{key}: no value (expected {key}=...)")
        found[key] = _check(key, raw)
    return found


def _merge(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Lower-case name -> value; a repeated header's values are joined as HTTP joins them."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    merged: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def _integer(directives: Directives, key: str, default: int) -> int:
    value = directives.get(key, default)
    return value if isinstance(value, int) else default


def _text(directives: Directives, key: str, default: str) -> str:
    value = directives.get(key, default)
    return value if isinstance(value, str) else default


def answer(
    body: bytes | bytearray,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    parse: Callable[[str | None], Directives] = parse_directives,
) -> ProbeAnswer:
    """What the probe answers to `body` with `headers` (exactly what reached the container).

    `parse` reads the directives out of the custom attributes (the emulator's pipeline passes its own).
    """
    received = _merge(headers)
    try:
        directives = parse(received.get(PROBE["directive_header"].lower()))
    except DirectiveError as error:
        text = f"probe: malformed directive {error}\n".encode()
        return ProbeAnswer(400, {"Content-Type": "text/plain; charset=utf-8"}, text)

    status = _integer(directives, "probe-status", 200)
    content_type = _text(
        directives, "probe-content-type", received.get("content-type", PROBE["default_content_type"])
    )
    answer_body = body
    if directives.get("probe-echo") == "headers":
        status, content_type = 200, "application/json"
        answer_body = json.dumps(
            {
                "headers": received,
                "body_length": len(body),
                "body_sha256": hashlib.sha256(body).hexdigest(),
            }
        ).encode()

    answer_headers = {"Content-Type": content_type}
    if "probe-custom-attributes" in directives:
        answer_headers[PROBE["directive_header"]] = _text(directives, "probe-custom-attributes", "")
    delay = _integer(directives, "probe-delay-ms", 0) / 1000
    return ProbeAnswer(status, answer_headers, answer_body, delay, directives)
