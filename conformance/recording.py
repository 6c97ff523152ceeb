"""What the plugin records of each suite test: its clauses, its outcome, what it found, why it broke.

A record is made where the test ran (the pytest process, or a pytest-xdist worker), from the
exception itself, and travels as plain data: `attach` puts it on the phase's TestReport as the
attribute `invokeendpoint_conformance`, which pytest's report serialisation (the one xdist ships
every report to the controller with, `pytest_report_to_serializable`) carries like any attribute
of a report, and `Recorder.add` takes it back wherever the report is logged. A serial run and a
parallel one build their verdicts from the same records, in the same (node ID) order. Notes
(`record_property("conformance-note", "clause.id: text")`) come with the report's user_properties.

Waivers reach the records through pytest's own xfail: the plugin marks each
test of a waived clause `xfail(raises=waiver_matcher(...))`, so a failure made
only of waived clauses' violations arrives here as XFAIL and is recorded
`waived`, with its violations, for the clause verdicts; anything else in it
(another clause's violation, an error) fails the test as usual.

Why a test broke is decided in one place, `cause_of`, for each exception in the failure
(Hypothesis groups several): the target's doing is `target-broke-exchange` (no HTTP answer where
one was due, or a connection-level error that escaped the wire) or `not-exercised` (the answer left
the clause unjudged); anything else is the suite's own code failing, `suite-error`, never the
target's.
"""

from __future__ import annotations

import dataclasses
import http.client
import os
import re
import sys
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeGuard

import _pytest
import botocore.exceptions
import botocore.parsers
import hypothesis
import pluggy
import pytest
import requests

from .judge import ClauseViolation, NotExercised
from .report_document import Cause, Evidence, SuiteError, TestOutcome

if sys.version_info < (3, 11):  # Hypothesis brings the backport
    from exceptiongroup import BaseExceptionGroup

# The report attribute a record travels in (a JSON-compatible dict, so that xdist serialises it).
ATTRIBUTE = "invokeendpoint_conformance"
# The record_property name under which a suite test leaves a note: "clause.id: text".
NOTE_PROPERTY = "conformance-note"
# How many of a suite error's innermost frames the report and the terminal show, leaving out the
# frames of the machinery between pytest and the test (which say nothing about the bug).
TRACEBACK_FRAMES = 6
_MACHINERY = tuple(f"{os.path.dirname(str(m.__file__))}{os.sep}" for m in (_pytest, pluggy, hypothesis))

# Raised out of a test, these say the target broke the exchange. The wire turns its own
# connection errors into an Exchange without a response (judged as a ClauseViolation that
# `broke_exchange`); these are what other paths let through: the SDK's (botocore), a socket's.
# Errors of the caller's making (an invalid URL or header) are not among them: those are the suite's.
BROKE_EXCHANGE: tuple[type[BaseException], ...] = (
    ConnectionError,  # reset, refused, aborted, broken pipe (http.client.RemoteDisconnected too)
    TimeoutError,  # socket.timeout
    http.client.BadStatusLine,
    http.client.IncompleteRead,
    http.client.LineTooLong,
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    requests.exceptions.TooManyRedirects,
    botocore.exceptions.HTTPClientError,  # EndpointConnectionError, ConnectionClosedError, ReadTimeoutError
    botocore.parsers.ResponseParserError,  # an answer the SDK cannot parse
)
# Raised out of a test, these say the target answered, but not so that the clause could be judged.
# boto3's ClientError is the target's answer (an error status) where the test expected none.
LEFT_UNJUDGED: tuple[type[BaseException], ...] = (NotExercised, botocore.exceptions.ClientError)
# The order in which a clause's verdict takes a cause from its tests: the target's first, so that
# what the target did is never hidden behind a bug of the suite (which fails the run on its own).
CAUSE_PRECEDENCE: tuple[Cause, ...] = ("target-broke-exchange", "not-exercised", "suite-error")
# A later phase of a test only worsens its record.
_RANK: dict[TestOutcome, int] = {"passed": 0, "skipped": 1, "waived": 2, "error": 3, "failed": 4}


class Violation(TypedDict):
    """A clause a test found broken, with its evidence for the report."""

    clause: str
    evidence: Evidence


class TestError(TypedDict):
    """One exception that left a test's clauses unjudged, and whose doing it was."""

    cause: Cause
    message: str
    traceback: str | None  # the innermost frames, for a suite error


@dataclass
class TestRecord:
    nodeid: str
    clauses: list[str]
    outcome: TestOutcome
    duration_s: float = 0.0
    skip_reason: str = ""
    violations: list[Violation] = field(default_factory=list)
    errors: list[TestError] = field(default_factory=list)
    minimal_example: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TestRecord:
        return cls(**data)

    def merge(self, later: TestRecord) -> None:
        """A later phase's record (teardown after call): the worse outcome, and everything both found."""
        if _RANK[later.outcome] > _RANK[self.outcome]:
            self.outcome = later.outcome
        self.duration_s = max(self.duration_s, later.duration_s)
        self.skip_reason = self.skip_reason or later.skip_reason
        self.violations += later.violations
        self.errors += later.errors
        self.minimal_example = self.minimal_example or later.minimal_example


EvidenceOf = Callable[[TestRecord, ClauseViolation], Evidence]


def leaf_exceptions(error: BaseException) -> list[BaseException]:
    """Hypothesis reports several distinct failures as an exception group: judge each."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaf_exceptions(inner)]
    return [error]


def is_judged(leaf: BaseException) -> TypeGuard[ClauseViolation]:
    """A violation of a clause by an answer the target gave: a verdict, not an error."""
    return isinstance(leaf, ClauseViolation) and not leaf.broke_exchange


def cause_of(leaf: BaseException) -> Cause:
    """Whose doing an exception that is not a judged violation is: this is the one place that decides."""
    if isinstance(leaf, (ClauseViolation, *BROKE_EXCHANGE)):  # such a violation got no HTTP answer
        return "target-broke-exchange"
    if isinstance(leaf, LEFT_UNJUDGED):
        return "not-exercised"
    return "suite-error"


def judged(error: BaseException) -> tuple[list[ClauseViolation], str]:
    """The clause violations a failure holds, and the last other thing in it ('' if none)."""
    violations: list[ClauseViolation] = []
    other = ""
    for leaf in leaf_exceptions(error):
        if is_judged(leaf):
            violations.append(leaf)
        else:
            other = describe(leaf)
    return violations, other


def describe(leaf: BaseException) -> str:
    return f"{type(leaf).__name__}: {leaf}"


def last_frames(leaf: BaseException, count: int = TRACEBACK_FRAMES) -> str:
    """The exception with its innermost frames, as Python prints a traceback."""
    frames = [f for f in traceback.extract_tb(leaf.__traceback__) if not f.filename.startswith(_MACHINERY)]
    frames = frames[-count:]
    shown = f"{len(frames)} frame{'' if len(frames) == 1 else 's'}"
    lines = [f"Traceback (most recent call last; {shown}, pytest's and Hypothesis's left out):\n"]
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(leaf), leaf)
    return "".join(lines).rstrip("\n")


def covered_by_waivers(error: BaseException, waived: Collection[str]) -> bool:
    """Whether a failure is only violations of waived clauses: the xfail matcher of a waived test."""
    violations, other = judged(error)
    return bool(violations) and not other and all(v.clause in waived for v in violations)


def waiver_matcher(waived: Collection[str]) -> pytest.RaisesExc[BaseException]:
    """xfail's `raises` for a test of waived clauses: their violations, alone or in a group (Hypothesis's)."""
    return pytest.RaisesExc(
        (ClauseViolation, BaseExceptionGroup), check=lambda error: covered_by_waivers(error, waived)
    )


# Where Hypothesis names an argument by its repr (the client fixture's), the object's address:
# it differs from run to run, so the same seed would not give the same report.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def minimal_example(error: BaseException) -> str | None:
    notes = [n for n in getattr(error, "__notes__", []) if not n.startswith("You can reproduce")]
    return _ADDRESS.sub(">", "\n".join(notes)) or None


def test_record(
    report: pytest.TestReport, clause_ids: list[str], error: BaseException | None, evidence_of: EvidenceOf
) -> TestRecord | None:
    """One test phase's record, as pytest's skipping plugin left the report (a waived failure is XFAIL).

    None for a phase that says nothing (a setup or teardown that passed). A waived test that passed
    and is strictly xfail fails with no error: it is recorded as the pass it is, and the clause's
    verdict makes its waiver stale. `evidence_of` makes a violation's evidence (evidence.py, which
    reads these records, so this module cannot import it).
    """
    if report.when != "call" and not (report.failed or report.skipped):
        return None
    record = TestRecord(report.nodeid, clause_ids, "passed", round(report.duration, 3))
    xfailed = report.skipped and hasattr(report, "wasxfail")
    if report.skipped and not xfailed:
        record.outcome = "skipped"
        record.skip_reason = _skip_reason(report)
    elif (report.failed or xfailed) and error is not None:
        record.minimal_example = minimal_example(error)
        for leaf in leaf_exceptions(error):
            if is_judged(leaf):
                try:
                    found = evidence_of(record, leaf)
                except Exception as broken:  # the suite's bug, in its evidence: not a reason to lose the run
                    message = f"the evidence of a {leaf.clause} violation: {describe(broken)}"
                    record.errors.append(
                        {"cause": "suite-error", "message": message, "traceback": last_frames(broken)}
                    )
                    continue
                record.violations.append({"clause": leaf.clause, "evidence": found})
            else:
                cause = cause_of(leaf)
                frames = last_frames(leaf) if cause == "suite-error" else None
                record.errors.append({"cause": cause, "message": describe(leaf), "traceback": frames})
        if xfailed and record.violations and not record.errors:
            record.outcome = "waived"
        else:
            record.outcome = "error" if record.errors and not record.violations else "failed"
    return record


def attach(report: pytest.TestReport, clause_ids: list[str], record: TestRecord | None) -> None:
    """Put a phase's record on its report, as data that crosses from an xdist worker to the controller.

    Every phase carries the test's clause IDs, so that the controller knows a test that started even
    where its worker dies before reporting its outcome.
    """
    data = {"clauses": clause_ids, "record": None if record is None else record.to_data()}
    setattr(report, ATTRIBUTE, data)


class Recorder:
    """Collects suite test outcomes during a run from the reports logged: one record per test, its worst."""

    def __init__(self) -> None:
        self._by_node: dict[str, TestRecord] = {}
        self._clauses: dict[str, list[str]] = {}  # every test that started, with its clauses
        self._notes: dict[str, dict[str, None]] = {}  # per test, its notes in order, each once

    def add(self, report: pytest.TestReport) -> None:
        """One phase's report, as logged here (made here, or shipped from an xdist worker)."""
        data: dict[str, Any] | None = getattr(report, ATTRIBUTE, None)
        nodeid = report.nodeid
        if data is None:
            # No record came with it: a suite test's report that xdist made for a worker that crashed.
            if report.failed and nodeid in self._clauses:
                self._put(_crashed(nodeid, self._clauses[nodeid], report))
            return
        self._clauses[nodeid] = list(data["clauses"])
        notes = self._notes.setdefault(nodeid, {})
        for name, value in report.user_properties:
            if name == NOTE_PROPERTY:
                notes[str(value)] = None
        if data["record"] is not None:
            self._put(TestRecord.from_data(data["record"]))

    def _put(self, record: TestRecord) -> None:
        earlier = self._by_node.get(record.nodeid)
        if earlier is None:
            self._by_node[record.nodeid] = record
        else:
            earlier.merge(record)

    @property
    def tests(self) -> list[TestRecord]:
        """Every test that started, by node ID; one whose outcome never came is recorded as cut short."""
        records = []
        for nodeid in sorted(self._clauses):
            record = self._by_node.get(nodeid) or _cut_short(nodeid, self._clauses[nodeid])
            record.notes = list(self._notes.get(nodeid, {}))
            records.append(record)
        return records


def suite_errors(tests: list[TestRecord]) -> list[SuiteError]:
    """Every error of the suite's own making, by test: each fails the run."""
    return [
        {"test": t.nodeid, "clauses": t.clauses, "message": e["message"], "traceback": e["traceback"] or ""}
        for t in tests
        for e in t.errors
        if e["cause"] == "suite-error"
    ]


def _crashed(nodeid: str, clauses: list[str], report: pytest.TestReport) -> TestRecord:
    message = str(report.longrepr or "the process running the test crashed")
    error: TestError = {"cause": "suite-error", "message": message, "traceback": message}
    return TestRecord(nodeid, clauses, "error", errors=[error])


def _cut_short(nodeid: str, clauses: list[str]) -> TestRecord:
    """A test that started but whose outcome never came: the run ended during it (pytest.exit)."""
    error: TestError = {
        "cause": "not-exercised",
        "message": "the run ended before this test finished",
        "traceback": None,
    }
    return TestRecord(nodeid, clauses, "error", errors=[error])


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr or "")
