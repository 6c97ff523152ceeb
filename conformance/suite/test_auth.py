"""SigV4: requests that are not signed right are refused and reach no model.

Run only against a target that enforces auth (--enforces-auth; on by default with --target-aws).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.credentials import Credentials

from invokeendpoint_conformance.conformance.client import TargetClient

UNKNOWN_KEY = Credentials("AKIACONFORMANCE00000", "conformance/unknown/secret/key/000000000000")


def _corrupt_signature(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Flip the last hex digit of the signature: a request signed, but not by what was sent."""
    out = []
    for name, value in headers:
        if name.lower() == "authorization":
            value = value[:-1] + ("0" if value[-1] != "0" else "1")
        out.append((name, value))
    return out


# How each case sends: the options of TargetClient.send that make the request wrong.
CASES: dict[str, Callable[[TargetClient], dict[str, Any]]] = {
    "unsigned": lambda c: {"signer": None},
    "bad-signature": lambda c: {"tamper": _corrupt_signature},
    "wrong-service": lambda c: {"signer": c.signer_with(service="s3")},
    "unknown-key": lambda c: {"signer": c.signer_with(credentials=UNKNOWN_KEY)},
}


@pytest.mark.parametrize(
    "case", [pytest.param(k, marks=pytest.mark.clause(f"auth.{k}"), id=k) for k in CASES]
)
def test_request_not_signed_right_is_refused(client: TargetClient, case: str) -> None:
    exchange = client.invoke(
        body=b"auth", directives={"probe-echo": "headers"}, send_options=CASES[case](client)
    )
    client.expect(f"auth.{case}", exchange)


OBSERVED = ["unsigned", "bad-signature", "wrong-service"]


@pytest.mark.parametrize(
    "case", [pytest.param(k, marks=pytest.mark.clause(f"observed.auth-{k}"), id=k) for k in OBSERVED]
)
def test_auth_refusal_names_the_aws_error(client: TargetClient, case: str) -> None:
    exchange = client.invoke(body=b"auth", send_options=CASES[case](client))
    client.expect(f"observed.auth-{case}", exchange, service="sagemaker")
