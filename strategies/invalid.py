"""The value an invalid-input strategy draws, tagged with the one clause it breaks.

Every invalid-input strategy takes `clause=` to draw only that clause's values, which suits a
test parametrized by clause better than filtering the mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import specs
from strategies.invocations import Body, Outcome


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
