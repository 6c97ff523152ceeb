"""report.json's document as types: the shape specs/schemas/report.schema.json validates.

Shared by the modules that build the report (recording, verdicts, evidence,
report_files) and those that read it (the certify command), so that a key
spelled differently in one of them is a type error, not a report that fails
its schema at the end of a long run.
"""

from __future__ import annotations

from typing import Literal, TypedDict

Verdict = Literal["pass", "fail", "waived", "not-applicable", "error"]
VERDICTS: tuple[Verdict, ...] = ("pass", "fail", "waived", "not-applicable", "error")
# The verdicts that judged a clause: conformance is the share of `pass` among them.
JUDGED: tuple[Verdict, ...] = ("pass", "fail", "waived", "error")
TestOutcome = Literal["passed", "failed", "skipped", "waived", "error"]
# Why an `error` verdict: the target's doing (it broke the exchange, or its answers left the clause
# unjudged) or the suite's own (a bug in a test, a strategy or the judge), which is never the target's.
Cause = Literal["target-broke-exchange", "not-exercised", "suite-error"]
CAUSES: tuple[Cause, ...] = ("target-broke-exchange", "not-exercised", "suite-error")


class BodyRecord(TypedDict):
    length: int
    sha256: str
    preview: str
    truncated: bool


class RequestRecord(TypedDict):
    method: str
    url: str
    headers: list[list[str]]
    body: BodyRecord


class ResponseRecord(TypedDict):
    status: int
    reason: str
    headers: list[list[str]]
    body: BodyRecord


class Problem(TypedDict):
    received: str
    documented: str


class Evidence(TypedDict):
    test: str
    message: str
    problems: list[Problem]
    request: RequestRecord | None
    response: ResponseRecord | None
    connection_error: str | None
    minimal_example: str | None
    reproduce: str | None


class SourceRecord(TypedDict):
    document: str
    section: str
    text: str


class TestRun(TypedDict):
    nodeid: str
    outcome: TestOutcome
    duration_s: float


class WaiverRecord(TypedDict):
    reason: str
    link: str
    expires: str | None


class _ClauseReason(TypedDict, total=False):
    reason: str  # why not-applicable, or why error
    cause: Cause  # why error: present exactly where the verdict is error


class ClauseRecord(_ClauseReason):
    id: str
    kind: str
    group: str
    statement: str
    source: SourceRecord
    verdict: Verdict
    tests: list[TestRun]
    waiver: WaiverRecord | None
    evidence: list[Evidence]
    notes: list[str]  # what the suite's tests recorded as information about the clause: never a verdict


# Keys that are not identifiers ("not-applicable") or are keywords ("pass") need this form.
# `error` counts the clauses the target left in error; `suite-error` those the suite's own failure
# left unjudged: every clause is in exactly one count, and only the target's are judged.
Counts = TypedDict(
    "Counts",
    {
        "pass": int,
        "fail": int,
        "waived": int,
        "not-applicable": int,
        "error": int,
        "suite-error": int,
        "conformance": float | None,
    },
)


class SuiteError(TypedDict):
    """A suite test that broke on the suite's own code: the run fails, and the target is not blamed."""

    test: str
    clauses: list[str]
    message: str
    traceback: str  # the last frames, innermost last


class Summary(TypedDict):
    by_kind: dict[str, Counts]
    by_group: dict[str, Counts]
    total: Counts
    stale_waivers: list[str]
    suite_errors: list[SuiteError]


class TargetRecord(TypedDict):
    url: str
    description: str
    embedded: bool
    config: str | None
    region: str
    auth: str
    enforces_auth: bool
    probe_endpoint: str
    variant: str


class ProbeCheck(TypedDict):
    """Whether the probe echoed as the target contract says, checked before any test."""

    conforms: bool
    detail: str


class HypothesisRecord(TypedDict):
    seed: str | None
    profile: str


class Manifest(TypedDict):
    target: TargetRecord
    probe: ProbeCheck | None
    edition: str
    suite_version: str
    hypothesis: HypothesisRecord
    versions: dict[str, str]
    started: str
    finished: str
    exit_status: int


class Report(TypedDict):
    manifest: Manifest
    summary: Summary
    clauses: list[ClauseRecord]


def judged(counts: Counts) -> int:
    """How many clauses a run judged: those its conformance figure counts."""
    return sum(counts[verdict] for verdict in JUDGED)
