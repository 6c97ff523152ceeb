"""How a request member breaks the active edition's constraints, and the ValidationError that says so.

The pipeline (pipeline.py) checks the endpoint name, then every header member,
with these. Limits and patterns come from the edition (specs/editions/*.json);
lengths count characters and a pattern must match the whole value. The wording
of the refusal is our own, in AWS's usual validation form; AWS was never seen
answering these cases (docs/observed-aws.md, "Not seen anywhere").
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
    broken: list[str] = []
    if member.max_length is not None and len(value) > member.max_length:
        broken.append(f"Member must have length less than or equal to {member.max_length}")
    if member.min_length is not None and len(value) < member.min_length:
        broken.append(f"Member must have length greater than or equal to {member.min_length}")
    if not member.matches(value):
        broken.append(f"Member must satisfy regular expression pattern: {member.pattern}")
    return broken


def validation_error(edition: specs.Edition, problems: list[tuple[specs.Member, str, str]]) -> errors.Refusal:
    """One ValidationError listing every broken constraint, as `N validation errors detected: ...`."""
    parts: list[str] = []
    for member, value, constraint in problems:
        # AWS leaves the value out for sensitive members ("Value at 'body' failed ...").
        shown = "" if member.sensitive else f" '{value}'"
        parts.append(f"Value{shown} at '{field_name(member)}' failed to satisfy constraint: {constraint}")
    count = len(parts)
    text = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(parts)
    return errors.service_error(edition, "ValidationError", VALIDATION_CODE, text)


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value as the service sees it; a repeated header's values joined with ', '."""
    getall = getattr(headers, "getall", None)
    values = getall(name, []) if getall else ([headers[name]] if name in headers else [])
    return ", ".join(values) if values else None


def header_name(member: specs.Member) -> str:
    """The HTTP header a header member travels in (the edition schema gives every one a header)."""
    if member.header is None:
        raise specs.SpecError(f"{member.name} is not sent as a header")
    return member.header
