"""The request/response model every layer shares: what is sent, what must be answered, what came back.

The bottom of the code (above `specs`, which is data): strategies draw these,
the transport sends and fills them, the judge and the reports read them.
Nothing here sends a request or draws a value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from requests.structures import CaseInsensitiveDict

from invokeendpoint_conformance import specs

# Headers that carry credentials or signatures: never printed, logged or reported.
SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})
REDACTED = "[redacted]"


class Body(bytes):
    """Request bytes that print short: a 5 MiB body must not flood a failure report."""

    def __repr__(self) -> str:
        digest = hashlib.sha256(self).hexdigest()[:16]
        return f"Body(len={len(self)}, sha256={digest}…, head={bytes(self[:16])!r})"


@dataclass(frozen=True)
class Outcome:
    """What a target must answer: the clause the request exercises and what it requires."""

    clause: str
    status: tuple[int, ...]
    error: str | None = None

    @classmethod
    def for_clause(cls, clause_id: str) -> Outcome:
        """The outcome a clause's `expect` requires; `error_if_400` becomes `error` (see `expect`)."""
        expect = specs.clause(clause_id).expect
        error = expect.get("error", expect.get("error_if_400"))
        return cls(clause=clause_id, status=tuple(expect.get("status", ())), error=error)

    @property
    def expect(self) -> specs.Expect:
        """The clause's whole expectation, for what the fields leave out: `error_if_400`,
        `closed_connection_allowed`."""
        return specs.clause(self.clause).expect


@dataclass(frozen=True)
class Invocation:
    """One request, exactly as it goes on the wire (header values may be non-ASCII)."""

    endpoint_name: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    method: str = "POST"
    outcome: Outcome | None = field(default=None, compare=False)

    def header(self, name: str) -> str | None:
        """The value of a header, its name matched without regard to case."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True, repr=False)
class Invalid:
    """An input that breaks exactly one clause of specs/clauses.json; `reason` says how, for reports."""

    value: Any
    clause: str
    reason: str

    def __post_init__(self) -> None:
        specs.clause(self.clause)  # a mistyped tag fails here, not as a clause nothing tests

    @property
    def outcome(self) -> Outcome:
        """What a target must answer to a request carrying this value."""
        return Outcome.for_clause(self.clause)

    def __repr__(self) -> str:
        # A body of megabytes must not flood a failure report.
        value = Body(self.value) if isinstance(self.value, bytes) else self.value
        return f"Invalid(value={value!r}, clause={self.clause!r}, reason={self.reason!r})"


@dataclass(frozen=True, repr=False)
class Signer:
    """SigV4 with botocore's signer; `service`, `region` and keys may be set wrong on purpose."""

    credentials: Credentials
    region: str
    service: str = "sagemaker"

    def __repr__(self) -> str:  # never the secret key
        access_key = self.credentials.access_key
        return f"Signer(access_key={access_key!r}, region={self.region!r}, service={self.service!r})"

    def headers(
        self, method: str, url: str, headers: list[tuple[str, str]], body: bytes
    ) -> list[tuple[str, str]]:
        request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
        SigV4Auth(self.credentials, self.service, self.region).add_auth(request)
        added = ("Authorization", "X-Amz-Date", "X-Amz-Security-Token")
        return [(name, request.headers[name]) for name in added if name in request.headers]


@dataclass
class Received:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    elapsed_s: float

    @property
    def header_map(self) -> CaseInsensitiveDict[str]:
        return CaseInsensitiveDict(self.headers)

    def header(self, name: str) -> str | None:
        return self.header_map.get(name)


@dataclass
class Exchange:
    """One request as sent (signature headers included) and the answer, or how the connection ended."""

    invocation: Invocation
    url: str
    sent_headers: list[tuple[str, str]]
    transport: str
    response: Received | None = None
    connection_error: str | None = None
    signer: Signer | None = None  # as signed: None means unsigned
    tampered: bool = False  # the signature was altered after signing
    extra: dict[str, Any] = field(default_factory=dict)

    def shown_headers(self) -> list[tuple[str, str]]:
        """The sent headers with credentials and signatures redacted."""
        return [(n, REDACTED if n.lower() in SECRET_HEADERS else v) for n, v in self.sent_headers]

    def __repr__(self) -> str:  # pytest prints arguments in tracebacks: never the signature
        status = self.response.status if self.response else self.connection_error
        shown = self.shown_headers()
        return f"Exchange({self.invocation!r}, url={self.url!r}, headers={shown!r}, answer={status!r})"
