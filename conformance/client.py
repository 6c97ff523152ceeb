"""What a test holds: one target, a sender signed for it, and the judge of its answers."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from typing import Any

import boto3
from botocore.credentials import Credentials

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.exchanges import Exchange, Invocation, Received, Signer
from invokeendpoint_conformance.strategies import directive_header

from .judge import Judge, NotExercised, describe, same_media_type
from .reproduce import curl_command
from .target import Target
from .wire import Sender

DIRECTIVE_HEADER = specs.contract()["probe"]["directive_header"]


def credentials_for(target: Target) -> Credentials:
    """The embedded emulator gets the contract's example pair; others boto3's chain, else that pair."""
    example = specs.contract()["example_credentials"]
    if not target.embedded:
        found = boto3.Session().get_credentials()
        frozen = found.get_frozen_credentials() if found is not None else None  # one snapshot per run
        if frozen is not None and frozen.access_key and frozen.secret_key:
            return Credentials(frozen.access_key, frozen.secret_key, frozen.token)
    return Credentials(example["access_key"], example["secret_key"])


class TargetClient:
    def __init__(
        self,
        target: Target,
        url: str,
        *,
        on_connection_error: Callable[[Exchange], None] | None = None,
    ) -> None:
        self.target = target
        self.url = url
        self.edition = specs.edition(target.edition)
        self.credentials = credentials_for(target)
        self.signer = Signer(self.credentials, target.region) if target.auth == "sigv4" else None
        self.sender = Sender(url, self.signer, body_limit=self.edition.body_limit)
        self.judge = Judge(variant=target.variant, repro=self.repro)
        self.on_connection_error = on_connection_error
        self.absent_prefix = specs.contract()["absent_prefix"]

    def repro(self, exchange: Exchange) -> str:
        return curl_command(
            exchange, region=self.target.region, default_access_key=self.credentials.access_key
        )

    def signer_with(self, **changes: Any) -> Signer:
        base = self.signer or Signer(self.credentials, self.target.region)
        return Signer(
            changes.get("credentials", base.credentials),
            changes.get("region", base.region),
            changes.get("service", base.service),
        )

    def invocation(
        self,
        *,
        endpoint: str | None = None,
        body: bytes = b"",
        headers: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
        directives: dict[str, Any] | None = None,
        method: str = "POST",
    ) -> Invocation:
        headers = tuple(headers)
        if directives:
            headers += ((DIRECTIVE_HEADER, directive_header(**directives)),)
        return Invocation(self.target.probe_endpoint if endpoint is None else endpoint, body, headers, method)

    def send(self, invocation: Invocation, **options: Any) -> Exchange:
        exchange = self.sender.send(invocation, **options)
        if exchange.response is None and self.on_connection_error is not None:
            self.on_connection_error(exchange)
        return exchange

    def invoke(self, *, send_options: dict[str, Any] | None = None, **parts: Any) -> Exchange:
        """Build an invocation from parts (see `invocation`) and send it."""
        return self.send(self.invocation(**parts), **(send_options or {}))

    # -- judging --------------------------------------------------------------------------------
    def expect(self, clause_id: str, exchange: Exchange, **context: Any) -> None:
        self.judge.expect(clause_id, exchange, **context)

    def fail(self, clause_id: str, exchange: Exchange | None, received: str, documented: str) -> None:
        self.judge.fail(clause_id, [(received, documented)], exchange)

    def expect_accepted(self, clause_id: str, exchange: Exchange) -> Received:
        """The accepted side of a constraint clause: a value within it reaches the model (200)."""
        self.judge.expect_status(clause_id, exchange, (200,))
        return self.answer_of(clause_id, exchange)

    def answer_of(self, clause_id: str, exchange: Exchange) -> Received:
        """The answer a clause goes on to read; a connection closed instead leaves it unjudged."""
        if exchange.response is None:
            raise NotExercised(clause_id, "the connection closed without an answer to read", exchange)
        return exchange.response

    def echoed_headers(self, clause_id: str, exchange: Exchange) -> dict[str, str]:
        """What reached the container, from the probe's `probe-echo=headers` answer."""
        answer = self.expect_accepted(clause_id, exchange)
        try:
            echo = json.loads(answer.body)
            return {k.lower(): v for k, v in echo["headers"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise NotExercised(
                clause_id,
                "the probe's probe-echo=headers answer did not come back (target contract 2)",
                exchange,
            ) from None

    def expect_forwarded(
        self,
        clause_id: str,
        exchange: Exchange,
        header: str,
        value: str,
        *,
        same: Callable[[str, str], bool] = operator.eq,
        how: str = "verbatim",
    ) -> None:
        """The probe's echo shows `header` reached the container with `value` (`same` compares them)."""
        received = self.echoed_headers(clause_id, exchange).get(header.lower())
        if received is None or not same(value, received):
            self.fail(
                clause_id,
                exchange,
                f"{header}: {received!r} at the model",
                f"{header}: the {len(value)} characters sent, {how}",
            )

    def expect_media_type_forwarded(
        self, clause_id: str, exchange: Exchange, header: str, value: str
    ) -> None:
        """`header` reached the container as the media type sent, verbatim or written another way
        RFC 9110 allows (judge.same_media_type)."""
        self.expect_forwarded(
            clause_id,
            exchange,
            header,
            value,
            same=same_media_type,
            how="or the same media type (RFC 9110 8.3.1)",
        )

    def expect_refused_or_replaced(
        self, clause_id: str, exchange: Exchange, header: str, value: str, replaced: str
    ) -> None:
        """A value holding characters a recipient must refuse or replace with SP (RFC 9110 5.5): a 4xx
        refusal (not ModelError: that one reached the model), a closed connection, or a 200 whose
        probe echo shows the value with each of them a space."""
        answer = exchange.response
        wanted = "".join(" " if c in replaced else c for c in value)
        allowed = (
            f"a 4xx refusal, a closed connection, or {header}: {wanted!r} at the model "
            f"(each of {replaced!r} a space)"
        )
        if answer is None:
            return
        if 400 <= answer.status < 500 and answer.status != self.edition.errors["ModelError"]:
            return
        if answer.status != 200:
            self.fail(clause_id, exchange, describe(exchange), allowed)
        received = self.echoed_headers(clause_id, exchange).get(header.lower())
        if received is None or not same_media_type(wanted, received):
            self.fail(clause_id, exchange, f"{header}: {received!r} at the model", allowed)

    def what_became_of(self, exchange: Exchange, header: str, value: str) -> str:
        """What the target did with a request carrying `value` in `header`, in printable words, for a note."""
        answer = exchange.response
        if answer is None or answer.status != 200:
            return (
                f"refused: {describe(exchange)}"
                if answer and 400 <= answer.status < 500
                else describe(exchange)
            )
        try:
            echoed = {k.lower(): v for k, v in json.loads(answer.body)["headers"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            return "answered 200 without the probe's probe-echo=headers description"
        received = echoed.get(header.lower())
        if received is None:
            return f"answered 200; no {header} reached the model"
        if received == value:
            return f"answered 200; {header} reached the model as sent"
        return f"answered 200; {header} reached the model as {received!r}"

    def expect_echo(self, clause_id: str, exchange: Exchange, body: bytes) -> None:
        """The answer is 200 and carries exactly `body` (the probe's default answer echoes)."""
        received = self.expect_accepted(clause_id, exchange).body
        if received != body:
            self.fail(
                clause_id,
                exchange,
                f"body of {len(received)} bytes, first differing at byte {_first_difference(received, body)}",
                f"the {len(body)} bytes sent, byte for byte",
            )


def _first_difference(a: bytes, b: bytes) -> int:
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))
