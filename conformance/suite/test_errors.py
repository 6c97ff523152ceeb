"""Errors in general: each documented error name comes with its documented status."""

from __future__ import annotations

import json
import re

import pytest

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.judge import NotExercised, describe, parse_error

PROVOCATIONS = {
    "absent endpoint": lambda c: c.invoke(endpoint=c.absent_prefix + "errors", body=b"x"),
    "invalid name": lambda c: c.invoke(endpoint="-invalid-", body=b"x"),
    "name too long": lambda c: c.invoke(endpoint="a" * (c.edition.request["EndpointName"].max_length + 1)),
    "media type too long": lambda c: c.invoke(
        headers=[("Content-Type", "text/" + "x" * c.edition.request["ContentType"].max_length)]
    ),
    "container 4xx": lambda c: c.invoke(body=b"x", directives={"probe-status": 404}),
    "container 5xx": lambda c: c.invoke(body=b"x", directives={"probe-status": 503}),
}


@pytest.mark.clause("errors.status-of-name")
@pytest.mark.parametrize("case", PROVOCATIONS)
def test_error_name_comes_with_its_documented_status(client: TargetClient, case: str) -> None:
    exchange = PROVOCATIONS[case](client)
    response = exchange.response
    if response is None or response.status < 400:  # whether it should have been is other clauses' job
        raise NotExercised("errors.status-of-name", f"the {case} got no error answer to judge", exchange)
    name = parse_error(response).code
    documented = client.edition.errors.get(name)
    if documented is not None and response.status != documented:
        client.fail("errors.status-of-name", exchange, describe(exchange), f"{name} with status {documented}")


# docs/observed-aws.md, "Error bodies and error names": {"ErrorCode": "<UPPER_SNAKE>", ...}.
UPPER_SNAKE = re.compile(r"[A-Z0-9]+(_[A-Z0-9]+)*")


@pytest.mark.clause("observed.error-body-keys")
@pytest.mark.parametrize("case", ["absent endpoint", "container 4xx", "container 5xx"])
def test_sagemaker_errors_carry_error_code_and_message(client: TargetClient, case: str) -> None:
    exchange = PROVOCATIONS[case](client)
    client.expect("observed.error-body-keys", exchange)
    document = json.loads(client.answer_of("observed.error-body-keys", exchange).body)  # read by expect
    code = document.get("ErrorCode") if isinstance(document, dict) else None
    if not isinstance(code, str) or UPPER_SNAKE.fullmatch(code) is None:
        client.fail("observed.error-body-keys", exchange, f"ErrorCode {code!r}", "an UPPER_SNAKE ErrorCode")
