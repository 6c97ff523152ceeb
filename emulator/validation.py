"""Request members checked against the active edition: the endpoint name, then every header member.

Limits and patterns come from the edition (specs/editions/*.json); lengths count
characters and a pattern must match the whole value. The wording of the
refusal is our own, in AWS's usual validation form; AWS was never seen
answering these cases (observed-aws.md, "Not seen anywhere").
"""

from __future__ import annotations

from collections.abc import Mapping

from invokeendpoint_conformance import specs

from . import errors

# Our own ErrorCode for constraint failures (never observed on AWS).
VALIDATION_CODE = "VALIDATION_ERROR"


def field_name(member: specs.Member) -> str:
    """AWS names members in validation messages in lower camel case: EndpointName -> endpointName."""
    return member.name[:1].lower() + member.name[1:]


def violations(member: specs.Member, value: str) -> list[str]:
    """Each constraint of `member` that `value` breaks, worded as AWS words constraints."""
    broken = []
    if member.max_length is not None and len(value) > member.max_length:
        broken.append(f"Member must have length less than or equal to {member.max_length}")
    if member.min_length is not None and len(value) < member.min_length:
        broken.append(f"Member must have length greater than or equal to {member.min_length}")
    if not member.matches(value):
        broken.append(f"Member must satisfy regular expression pattern: {member.pattern}")
    return broken


def validation_error(edition: specs.Edition, problems: list[tuple[specs.Member, str, str]]) -> errors.Refusal:
    """One ValidationError listing every broken constraint, as `N validation errors detected: ...`."""
    parts = []
    for member, value, constraint in problems:
        # AWS leaves the value out for sensitive members ("Value at 'body' failed ...").
        shown = "" if member.sensitive else f" '{value}'"
        parts.append(f"Value{shown} at '{field_name(member)}' failed to satisfy constraint: {constraint}")
    count = len(parts)
    text = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(parts)
    return errors.service_error(edition, "ValidationError", VALIDATION_CODE, text)


def check_endpoint_name(name: str, edition: specs.Edition) -> None:
    """Refuse a name that breaks the edition's EndpointName constraints (length, whole-value pattern)."""
    member = edition.request["EndpointName"]
    problems = [(member, name, broken) for broken in violations(member, name)]
    if problems:
        raise validation_error(edition, problems)


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value as the service sees it; a repeated header's values joined with ', '."""
    getall = getattr(headers, "getall", None)
    values = getall(name, []) if getall else ([headers[name]] if name in headers else [])
    return ", ".join(values) if values else None


def check_headers(headers: Mapping[str, str], edition: specs.Edition) -> None:
    """Refuse a request whose header members break the edition's constraints (all listed at once)."""
    problems = []
    for member in edition.header_members().values():
        value = header_value(headers, member.header)
        if value is not None:
            problems += [(member, value, broken) for broken in violations(member, value)]
    if problems:
        raise validation_error(edition, problems)
