"""Judging answers: botocore's parser for error names, and each clause's `expect` from specs.

A clause's expectation is data (specs/clauses.json); `judge` applies it to an
exchange and raises one `ClauseViolation` listing everything that was wrong,
in the fixed form "Received: ... / Documented: ...", with a command that
reproduces it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore.session
from botocore.model import OperationModel
from botocore.parsers import create_parser
from requests.structures import CaseInsensitiveDict

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Exchange, Received


@dataclass(frozen=True)
class ParsedError:
    code: str
    message: str
    members: dict[str, Any]


@cache
def _operation_model() -> OperationModel:
    model = botocore.session.get_session().get_service_model("sagemaker-runtime")
    return model.operation_model("InvokeEndpoint")


def parse_error(response: Received) -> ParsedError:
    """The error as the AWS SDKs see it: botocore's rest-json parser on the raw answer."""
    parser = create_parser("rest-json")
    raw = {
        "status_code": response.status,
        "headers": CaseInsensitiveDict(response.headers),
        "body": response.body,
    }
    operation = _operation_model()
    parsed = parser.parse(raw, operation.output_shape)  # type: ignore[arg-type]  # InvokeEndpoint has one
    error = parsed.get("Error", {})
    # As botocore's endpoint does: a modelled error's own members are parsed with its shape.
    error_shape = operation.service_model.shape_for_error_code(error.get("Code"))
    if error_shape is not None:
        parsed.update(parser.parse(raw, error_shape))
    members = {k: v for k, v in parsed.items() if k not in ("Error", "ResponseMetadata")}
    return ParsedError(code=error.get("Code", ""), message=error.get("Message", ""), members=members)


class ClauseViolation(AssertionError):
    """A target's answer broke a clause. `clause` is the ID; the message is the two-line form."""

    def __init__(
        self, clause_id: str, problems: list[tuple[str, str]], exchange: Exchange | None, repro: str = ""
    ):
        self.clause = clause_id
        self.problems = problems
        self.exchange = exchange
        self.reproduction = repro
        statement = specs.clause(clause_id).statement
        lines = [f"[{clause_id}] {statement}"]
        for received, documented in problems:
            lines += [f"  Received:   {received}", f"  Documented: {documented}"]
        if repro:
            lines.append(f"  Reproduce:  {repro}")
        super().__init__("\n".join(lines))

    @property
    def broke_exchange(self) -> bool:
        """The target gave no HTTP answer where one was due: an error, not a judged failure."""
        return self.exchange is not None and self.exchange.response is None


class NotExercised(Exception):
    """The answer left the clause unjudged (say, the probe did not do what the contract says).

    Not a failure of the clause: the report gives it the verdict `error`, with this reason.
    """

    def __init__(self, clause_id: str, why: str, exchange: Exchange | None = None):
        self.clause = clause_id
        self.exchange = exchange
        answer = f"; the answer: {describe(exchange)}" if exchange is not None else ""
        super().__init__(f"[{clause_id}] not exercised: {why}{answer}")


def describe(exchange: Exchange) -> str:
    if exchange.response is None:
        return f"no answer ({exchange.connection_error})"
    r = exchange.response
    text = f"{r.status} {r.reason}"
    if r.status >= 300:
        try:
            error = parse_error(r)
            text += f", error {error.code!r}, message {error.message[:200]!r}"
        except Exception:  # an unparseable error body is itself worth showing
            text += f", body {r.body[:200]!r}"
    return text


class Judge:
    """Applies clause expectations; knows the target's variant and the reproduction command."""

    def __init__(self, *, variant: str, repro: Callable[[Exchange], str]) -> None:
        self.variant = variant
        self.repro = repro

    def fail(self, clause_id: str, problems: list[tuple[str, str]], exchange: Exchange | None) -> None:
        raise ClauseViolation(clause_id, problems, exchange, self.repro(exchange) if exchange else "")

    def expect(self, clause_id: str, exchange: Exchange, **context: Any) -> None:
        """Check the answer against the clause's `expect`; raise with every problem found."""
        expect = specs.clause(clause_id).expect
        problems = self.problems(expect, exchange, {"variant": self.variant, **context})
        if problems:
            self.fail(clause_id, problems, exchange)

    def expect_status(self, clause_id: str, exchange: Exchange, statuses: tuple[int, ...]) -> None:
        problems = self.problems({"status": list(statuses)}, exchange, {})
        if problems:
            self.fail(clause_id, problems, exchange)

    def problems(
        self, expect: specs.Expect, exchange: Exchange, context: dict[str, Any]
    ) -> list[tuple[str, str]]:
        response = exchange.response
        if response is None:
            if expect.get("closed_connection_allowed"):
                return []
            return [(describe(exchange), "an HTTP answer")]
        found: list[tuple[str, str]] = []
        statuses = expect.get("status") or []
        refusal_class = expect.get("status_class") == "4xx"
        in_class = refusal_class and 400 <= response.status < 500
        if statuses and response.status not in statuses and not in_class:
            wanted = " or ".join(map(str, statuses)) + (", or a 4xx refusal" if refusal_class else "")
            found.append((describe(exchange), f"status {wanted}"))
            return found  # the rest only makes sense for the right status
        if refusal_class and not statuses and not in_class:
            found.append((describe(exchange), "a 4xx refusal: not an invocation"))
            return found
        wanted_error = expect.get("error") or (expect.get("error_if_400") if response.status == 400 else None)
        if wanted_error or expect.get("message"):
            error = parse_error(response)
            if wanted_error and error.code != wanted_error:
                found.append(
                    (f"error name {error.code!r} (botocore's parser)", f"error name {wanted_error!r}")
                )
            if expect.get("message"):
                pattern = specs.message_pattern(expect["message"])
                text = error.message
                if not text and response.status == 413:
                    text = response.body.decode("utf-8", "replace")
                match = pattern.fullmatch(text)
                if match is None:
                    found.append((f"message {text[:300]!r}", f"message matching {pattern.pattern!r}"))
                else:  # named parts of the message must say what was sent, where the test knows it
                    for part, value in match.groupdict().items():
                        if part in context and value != str(context[part]):
                            found.append((f"{part} {value!r} in the message", f"{part} {context[part]!r}"))
        for name, template in expect.get("headers", {}).items():
            value = response.header(name)
            if template == "uuid":
                if value is None or not _is_uuid(value):
                    found.append((f"{name}: {value!r}", f"{name}: a UUID"))
                continue
            wanted = template.format(**context)
            if value != wanted:
                found.append((f"{name}: {value!r}", f"{name}: {wanted!r}"))
        if expect.get("body_keys"):
            try:
                keys = set(json.loads(response.body))
            except (ValueError, TypeError):
                keys = set()
            missing = [k for k in expect["body_keys"] if k not in keys]
            if missing:
                found.append((f"body keys {sorted(keys)}", f"body keys including {missing}"))
        return found


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return re.fullmatch(r"[0-9a-fA-F-]{36}", value) is not None


# How a media type is written (RFC 9110 8.3.1, 5.6.2 token, 5.6.4 quoted-string, 5.6.6 parameters,
# 12.5.1 Accept's list of media ranges), for telling the same media type written another way.
# https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAMETER = rf"[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|{_QUOTED})"
_RANGE = rf"{_TOKEN}/{_TOKEN}(?:{_PARAMETER})*"
_MEDIA_RANGE_LIST = re.compile(rf"[ \t]*{_RANGE}(?:[ \t]*,[ \t]*{_RANGE})*[ \t]*")
_RANGE_PARTS = re.compile(rf"({_TOKEN})/({_TOKEN})((?:{_PARAMETER})*)")
_PARAMETER_PARTS = re.compile(rf"[ \t]*;[ \t]*({_TOKEN})=({_TOKEN}|{_QUOTED})")
MediaRange = tuple[str, str, tuple[tuple[str, str], ...]]


def media_ranges(text: str) -> list[MediaRange] | None:
    """A media type (or Accept's list of media ranges) with what RFC 9110 leaves to the writer taken
    out: the case of type, subtype and parameter names (8.3.1) and of a charset (8.3.2), quoting
    (5.6.6: a quoted and an unquoted value are the same), white space around ";" and "," (5.6.1),
    how a weight is written (12.4.2). None where the text is not one."""
    if _MEDIA_RANGE_LIST.fullmatch(text) is None:
        return None
    ranges: list[MediaRange] = []
    for found in _RANGE_PARTS.finditer(text):
        parameters = []
        for name, value in _PARAMETER_PARTS.findall(found.group(3)):
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            name = name.lower()
            if name == "charset":
                value = value.lower()
            elif name == "q":
                value = _weight(value)
            parameters.append((name, value))
        ranges.append((found.group(1).lower(), found.group(2).lower(), tuple(parameters)))
    return ranges


def _weight(value: str) -> str:
    try:
        return repr(float(value))
    except ValueError:
        return value


def same_media_type(sent: str, received: str) -> bool:
    """Whether `received` is the media type `sent`, verbatim or written another way RFC 9110 allows."""
    if sent == received:
        return True
    ours = media_ranges(sent)
    return ours is not None and ours == media_ranges(received)
