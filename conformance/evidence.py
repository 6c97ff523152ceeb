"""A failure's evidence for the report: the request sent, the answer received, a way to replay it.

Bodies are summarised (length, SHA-256, a printable preview of the first
bytes); secret headers are redacted here, and every other secret by
report_files before anything is written.
"""

from __future__ import annotations

import hashlib

from invokeendpoint_conformance.exchanges import REDACTED, SECRET_HEADERS, Exchange

from .judge import ClauseViolation
from .recording import TestRecord
from .report_document import BodyRecord, Evidence, RequestRecord, ResponseRecord

PREVIEW_BYTES = 512


def evidence(test: TestRecord, violation: ClauseViolation) -> Evidence:
    exchange = violation.exchange
    return {
        "test": test.nodeid,
        "message": str(violation),
        "problems": [{"received": r, "documented": d} for r, d in violation.problems],
        "request": None if exchange is None else _request(exchange),
        "response": None if exchange is None else _response(exchange),
        "connection_error": None if exchange is None else exchange.connection_error,
        "minimal_example": test.minimal_example,
        "reproduce": violation.reproduction or None,
    }


def _request(exchange: Exchange) -> RequestRecord:
    return {
        "method": exchange.invocation.method,
        "url": exchange.url,
        "headers": [list(h) for h in exchange.shown_headers()],
        "body": _body(bytes(exchange.invocation.body)),
    }


def _response(exchange: Exchange) -> ResponseRecord | None:
    answer = exchange.response
    if answer is None:
        return None
    return {
        "status": answer.status,
        "reason": answer.reason,
        "headers": [[n, REDACTED if n.lower() in SECRET_HEADERS else v] for n, v in answer.headers],
        "body": _body(answer.body),
    }


def _body(data: bytes) -> BodyRecord:
    preview = "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in data[:PREVIEW_BYTES])
    return {
        "length": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "preview": preview,
        "truncated": len(data) > PREVIEW_BYTES,
    }
