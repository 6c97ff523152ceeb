"""What the plugin records of each suite test: its clauses, its outcome, the violations it raised.

Waivers reach the records through pytest's own xfail: the plugin marks each
test of a waived clause `xfail(raises=waiver_matcher(...))`, so a failure made
only of waived clauses' violations arrives here as XFAIL and is recorded
`waived`, with its violations, for the clause verdicts; anything else in it
(another clause's violation, an error) fails the test as usual.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from dataclasses import dataclass, field

import pytest

from .judge import ClauseViolation
from .report_document import TestOutcome

if sys.version_info < (3, 11):  # Hypothesis brings the backport
    from exceptiongroup import BaseExceptionGroup


@dataclass
class TestRecord:
    nodeid: str
    clauses: list[str]
    outcome: TestOutcome
    duration_s: float = 0.0
    skip_reason: str = ""
    violations: list[ClauseViolation] = field(default_factory=list)
    error: str = ""
    minimal_example: str | None = None


def leaf_exceptions(error: BaseException) -> list[BaseException]:
    """Hypothesis reports several distinct failures as an exception group: judge each."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaf_exceptions(inner)]
    return [error]


def judged(error: BaseException) -> tuple[list[ClauseViolation], str]:
    """The clause violations a failure holds, and the last thing in it that is not a judged one ('' if none).

    A violation where the target gave no answer at all broke the exchange: that is an error, not a verdict.
    """
    violations: list[ClauseViolation] = []
    other = ""
    for leaf in leaf_exceptions(error):
        if isinstance(leaf, ClauseViolation) and not leaf.broke_exchange:
            violations.append(leaf)
        else:
            other = f"{type(leaf).__name__}: {leaf}"
    return violations, other


def covered_by_waivers(error: BaseException, waived: Collection[str]) -> bool:
    """Whether a failure is only violations of waived clauses: the xfail matcher of a waived test."""
    violations, other = judged(error)
    return bool(violations) and not other and all(v.clause in waived for v in violations)


def waiver_matcher(waived: Collection[str]) -> pytest.RaisesExc[BaseException]:
    """xfail's `raises` for a test of waived clauses: their violations, alone or in a group (Hypothesis's)."""
    return pytest.RaisesExc(
        (ClauseViolation, BaseExceptionGroup), check=lambda error: covered_by_waivers(error, waived)
    )


def minimal_example(error: BaseException) -> str | None:
    notes = [n for n in getattr(error, "__notes__", []) if not n.startswith("You can reproduce")]
    return "\n".join(notes) or None


class Recorder:
    """Collects suite test outcomes during a run: one record per test, its worst phase."""

    def __init__(self) -> None:
        self._by_node: dict[str, TestRecord] = {}

    def record(self, report: pytest.TestReport, clause_ids: list[str], error: BaseException | None) -> None:
        """One test phase's report, as pytest's skipping plugin left it (a waived failure is XFAIL).

        A waived test that passed and is strictly xfail fails with no error: it is recorded as the pass
        it is, and the clause's verdict makes its waiver stale.
        """
        if report.when != "call" and not (report.failed or report.skipped):
            return
        record = TestRecord(report.nodeid, clause_ids, "passed", round(report.duration, 3))
        xfailed = report.skipped and hasattr(report, "wasxfail")
        if report.skipped and not xfailed:
            record.outcome = "skipped"
            record.skip_reason = _skip_reason(report)
        elif (report.failed or xfailed) and error is not None:
            record.violations, record.error = judged(error)
            record.minimal_example = minimal_example(error)
            if xfailed and record.violations and not record.error:
                record.outcome = "waived"
            else:
                record.outcome = "error" if record.error and not record.violations else "failed"
        if record.outcome != "passed" or record.nodeid not in self._by_node:  # a later phase only worsens
            self._by_node[record.nodeid] = record

    @property
    def tests(self) -> list[TestRecord]:
        return list(self._by_node.values())


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr or "")
