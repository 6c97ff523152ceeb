"""An independent judge of a request: which clauses of an edition its bytes break.

It reads the edition and the clause catalogue as plain JSON (not through `specs` or the
strategies) and parses the request back from the bytes that go on the wire, so that a bug in a
strategy and a matching bug in the spec loader cannot hide each other.

`violations()` answers with clause IDs. Where a request breaks a rule that no clause of the
edition covers, it answers with an "unclaused:..." entry instead, so that a strategy that drifts
outside what the catalogue can judge fails its self-test rather than passing unnoticed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote

SPECS = Path(__file__).resolve().parents[2] / "specs"

# RFC 5234 B.1 CTL, less HTAB, which RFC 9110 5.5 allows inside a field value.
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# RFC 9110 5.5: a recipient drops leading and trailing SP and HTAB of a field value.
OWS = " \t"
# Headers HTTP itself adds, which no member describes.
TRANSPORT_HEADERS = ("host", "content-length")
CONTROL_CLAUSE = "headers.control-characters"
# The endpoint name has no minimum length, and its empty value a clause of its own. For a member
# with a minimum, the empty value breaks the minimum's clause alone, whatever its pattern says.
EMPTY_CLAUSES = {"EndpointName": "name.empty"}


@cache
def edition(name: str) -> dict:
    return json.loads((SPECS / "editions" / f"{name}.json").read_text(encoding="utf-8"))


@cache
def contract() -> dict:
    return json.loads((SPECS / "contract.json").read_text(encoding="utf-8"))


@cache
def clauses(edition_name: str) -> list[dict]:
    document = json.loads((SPECS / "clauses.json").read_text(encoding="utf-8"))
    return [c for c in document["clauses"] if edition_name in c["editions"]]


def clause_for(edition_name: str, member: str, rule: str) -> str:
    """The one clause of the edition constraining `member` by `rule`, or an unclaused marker."""
    found = [
        c["id"]
        for c in clauses(edition_name)
        if c.get("constraint") == {"member": member, "rule": rule} and c["id"] not in EMPTY_CLAUSES.values()
    ]
    if len(found) > 1:
        raise AssertionError(f"clauses {found} all constrain {member} by {rule} in edition {edition_name!r}")
    return found[0] if found else f"unclaused:{member}.{rule}"


@dataclass
class Request:
    method: str
    target: str
    endpoint_name: str | None
    headers: list[tuple[str, str]]  # field lines as sent, split at the first ":", decoded as UTF-8
    body: bytes


def parse(raw: bytes, edition_name: str) -> Request:
    """The request back from its bytes; the name is read from the edition's URI template."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise ValueError("no blank line ends the header block")
    request_line, *field_lines = head.split(b"\r\n")
    method, target, version = request_line.decode("ascii").split(" ")
    if version != "HTTP/1.1":
        raise ValueError(f"version {version!r}")
    headers = []
    for line in field_lines:
        name, colon, value = line.partition(b":")
        if not colon or not name or name.strip() != name:
            raise ValueError(f"malformed field line {line!r}")
        headers.append((name.decode("ascii"), value.decode("utf-8")))
    before, _, after = edition(edition_name)["operation"]["uri"].partition("{EndpointName}")
    segment = target.removeprefix(before).removesuffix(after)
    name = None
    if target.startswith(before) and target.endswith(after) and "/" not in segment:
        name = unquote(segment, errors="strict")
    return Request(method, target, name, headers, body)


def violations(raw: bytes, edition_name: str) -> set[str]:
    """The clause IDs (and unclaused markers) the request breaks in this edition."""
    spec = edition(edition_name)
    request = parse(raw, edition_name)
    found: set[str] = set()
    if request.method != spec["operation"]["method"]:
        found.add("unclaused:method")
    if request.endpoint_name is None:
        found.add("unclaused:path")

    values: dict[str, str] = {}
    for name, field_value in request.headers:
        if name.lower() in values:
            found.add(f"unclaused:duplicate:{name}")
        # The value as sent follows ": "; the recipient drops white space at both ends of it.
        value = field_value.removeprefix(" ")
        if value.strip(OWS) != value:
            found.add(f"unclaused:edge-white-space:{name}")
        if CONTROL.search(value):
            applies = any(c["id"] == CONTROL_CLAUSE for c in clauses(edition_name))
            found.add(CONTROL_CLAUSE if applies else f"unclaused:{CONTROL_CLAUSE}")
        values[name.lower()] = value.strip(OWS)
    if values.get("content-length") != str(len(request.body)):
        found.add("unclaused:content-length")

    members = spec["request"]
    known = {m["header"].lower() for m in members.values() if m["header"]}
    forwarded = {h.lower() for h in contract()["probe"]["forwarded_headers"]}
    for name, value in values.items():
        if name not in known | forwarded | set(TRANSPORT_HEADERS):
            found.add(f"unclaused:unknown-header:{name}")
        elif name not in known and not value.isascii():
            found.add(f"unclaused:non-ascii:{name}")  # a header the edition does not constrain

    for member_name, member in members.items():
        if member["location"] == "uri":
            value = request.endpoint_name
        elif member["location"] == "header":
            value = values.get(member["header"].lower())
        else:
            if member["max_length"] is not None and len(request.body) > member["max_length"]:
                found.add(clause_for(edition_name, member_name, "max_length"))
            continue
        if value is None:
            continue
        if member["max_length"] is not None and len(value) > member["max_length"]:
            found.add(clause_for(edition_name, member_name, "max_length"))
        short = member["min_length"] is not None and len(value) < member["min_length"]
        if short:
            found.add(clause_for(edition_name, member_name, "min_length"))
        if value == "" and member_name in EMPTY_CLAUSES:
            found.add(EMPTY_CLAUSES[member_name])
        elif value == "" and short:
            pass  # a pattern that needs a first character refuses "" too: the minimum's clause claims it
        elif member["regex"] is not None and not re.fullmatch(member["regex"], value, re.DOTALL):
            found.add(clause_for(edition_name, member_name, "pattern"))
        if not value.isascii() and member["regex"] is None and member["location"] == "header":
            found.add(f"unclaused:non-ascii:{member_name}")
    return found
