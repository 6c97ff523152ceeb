"""SigV4 verification, the SDK's way round: botocore's SigV4Auth recomputes the signature.

Checked in two steps because the signature covers the body: what the
Authorization header alone decides (missing, malformed, wrong service, unknown
key) is refused before the body is read; the signature itself once the body is
in hand. Refusals use the front door's shape (errors.front_door_error). Not
checked: clock skew (so pre-signed requests can be replayed, as the benchmark
does), the region of the scope, session tokens, pre-signed URLs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from . import errors

ALGORITHM = "AWS4-HMAC-SHA256"
# botocore signs `X-Amz-Content-SHA256` in place of the body's hash when the header is present.
CONTENT_SHA256 = "X-Amz-Content-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

# Our own wording (AWS's for these cases was never captured): a header that is not SigV4.
INCOMPLETE = "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of {0}."
NO_DATE = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
# AWS's usual wording for an unknown access key; not captured in docs/observed-aws.md.
UNRECOGNIZED = "The security token included in the request is invalid."


@dataclass(frozen=True)
class SignedRequest:
    """What the Authorization header claims, for `verify_signature` to recompute."""

    access_key: str
    secret_key: str
    timestamp: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def _parse(authorization: str) -> dict[str, str] | None:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != ALGORITHM:
        return None
    fields = {}
    for part in rest.split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    if not all(fields.get(k) for k in ("Credential", "SignedHeaders", "Signature")):
        return None
    return fields


def check_authorization(
    headers: Mapping[str, str], credentials: Mapping[str, str], signing_name: str
) -> SignedRequest:
    """What the Authorization header decides alone, in AWS's order; raises the 403 refusal."""
    authorization = headers.get("Authorization")
    if authorization is None:
        raise errors.front_door_error(
            "MissingAuthenticationTokenException", errors.message("missing-authentication-token")
        )
    fields = _parse(authorization)
    scope = fields["Credential"].split("/") if fields else []
    if fields is None or len(scope) != 5 or scope[4] != "aws4_request":
        raise errors.front_door_error("IncompleteSignatureException", INCOMPLETE.format(ALGORITHM))
    access_key, date, region, service, _ = scope
    if service != signing_name:
        raise errors.front_door_error(
            "InvalidSignatureException", errors.message("wrong-service", service=signing_name)
        )
    if access_key not in credentials:
        raise errors.front_door_error("UnrecognizedClientException", UNRECOGNIZED)
    timestamp = headers.get("X-Amz-Date")
    if not timestamp:
        raise errors.front_door_error("IncompleteSignatureException", NO_DATE)
    return SignedRequest(
        access_key=access_key,
        secret_key=credentials[access_key],
        timestamp=timestamp,
        region=region,
        service=service,
        signed_headers=tuple(fields["SignedHeaders"].lower().split(";")),
        signature=fields["Signature"],
    )


def warm_up() -> None:
    """Import botocore now rather than on the first signed request (for a server that enforces auth)."""
    import botocore.auth  # noqa: F401


def expected_signature(
    signed: SignedRequest, method: str, raw_target: str, headers: Mapping[str, str], body: bytes | bytearray
) -> str | None:
    """The signature botocore computes for this request as received (None: it cannot be computed)."""
    # Imported here: botocore costs ~7 MB and start-up time that an emulator without auth never needs.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials

    getall = getattr(headers, "getall", lambda name, default: [headers[name]] if name in headers else default)
    signed_values = HTTPHeaders()
    for name in signed.signed_headers:
        values = getall(name, [])
        if not values:
            return None
        for value in values:
            signed_values[name] = value

    class AsReceived(SigV4Auth):
        """Signs exactly the headers the client listed, with the body the emulator read."""

        def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
            return signed_values

        def payload(self, request: AWSRequest) -> str:
            return hashlib.sha256(body).hexdigest()

    claimed_hash = headers.get(CONTENT_SHA256)
    request = AWSRequest(method=method, url=f"http://emulator{raw_target}", headers={})
    if claimed_hash is not None:
        if claimed_hash != UNSIGNED_PAYLOAD and claimed_hash != hashlib.sha256(body).hexdigest():
            return None
        request.headers[CONTENT_SHA256] = claimed_hash
    request.context["timestamp"] = signed.timestamp
    signer = AsReceived(Credentials(signed.access_key, signed.secret_key), signed.service, signed.region)
    try:
        canonical = signer.canonical_request(request)
        return signer.signature(signer.string_to_sign(request, canonical), request)
    except (UnicodeError, ValueError):
        return None


def verify_signature(
    signed: SignedRequest, method: str, raw_target: str, headers: Mapping[str, str], body: bytes | bytearray
) -> None:
    """Refuse (403 InvalidSignatureException) unless the recomputed signature matches the given one."""
    expected = expected_signature(signed, method, raw_target, headers, body)
    given = signed.signature.encode("utf-8", errors="surrogateescape")
    if expected is None or not hmac.compare_digest(expected.encode(), given):
        raise errors.front_door_error("InvalidSignatureException", errors.message("bad-signature"))
