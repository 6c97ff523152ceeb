"""Whole requests, each with the outcome the active edition requires."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


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
