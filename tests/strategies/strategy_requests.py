"""Requests built around one drawn value, as bytes for the validator: everything else is valid."""

from __future__ import annotations

import json
from pathlib import Path

from invokeendpoint_conformance.conformance.wire import request_bytes
from invokeendpoint_conformance.exchanges import Invocation

SPECS = Path(__file__).resolve().parents[2] / "specs"
CONTRACT = json.loads((SPECS / "contract.json").read_text(encoding="utf-8"))
PROBE = CONTRACT["defaults"]["probe_endpoint"]
ABSENT_PREFIX = CONTRACT["absent_prefix"]
CUSTOM_ATTRIBUTES = CONTRACT["probe"]["directive_header"]
HOST = "example.test"
BASE_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def header_of(edition_name: str, member: str) -> str:
    document = json.loads((SPECS / "editions" / f"{edition_name}.json").read_text(encoding="utf-8"))
    return document["request"][member]["header"]


def request_with(*, name: str = PROBE, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """The wire bytes of a valid request to the probe, with the given parts in place of its own."""
    invocation = Invocation(name, body, tuple({**BASE_HEADERS, **(headers or {})}.items()))
    return request_bytes(invocation, host=HOST)


def placed(where: str, value) -> bytes:
    """The request carrying `value` as the name ("name"), the body ("body"), or a header's value."""
    if where == "name":
        return request_with(name=value)
    if where == "body":
        return request_with(body=value)
    return request_with(headers={where: value})
