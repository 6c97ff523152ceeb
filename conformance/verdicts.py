"""From the recorded tests to one verdict per clause of the catalogue, and the run's summary.

A clause fails where a test raised its violation; it is `waived` instead where
the target config waives it; `error` where a test of it broke before judging
it, with the cause recording.py gave (the target's, unless only the suite's own
code broke); `not-applicable` outside the edition or where every test of it was
skipped. A waived clause that passed makes its waiver stale, and the run fails.
A clause in error by the suite's doing is counted apart (`suite-error`) and never
among the clauses a conformance figure judges.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from invokeendpoint_conformance import specs

from .recording import CAUSE_PRECEDENCE, TestRecord
from .report_document import (
    VERDICTS,
    Cause,
    ClauseRecord,
    Counts,
    SuiteError,
    Summary,
    Verdict,
    judged,
)
from .target import Target


def clause_records(tests: Sequence[TestRecord], target: Target) -> list[ClauseRecord]:
    known = {c.id for c in specs.clauses()}
    records = []
    for clause in specs.clauses():
        tested = [t for t in tests if clause.id in t.clauses]
        verdict, reason, cause = _verdict(clause, tested, target.edition)
        waiver = target.waivers.get(clause.id)
        if waiver and verdict == "fail":
            verdict = "waived"
        record: ClauseRecord = {
            "id": clause.id,
            "kind": clause.kind,
            "group": clause.group,
            "statement": clause.statement,
            "source": clause.source,
            "verdict": verdict,
            "tests": [{"nodeid": t.nodeid, "outcome": t.outcome, "duration_s": t.duration_s} for t in tested],
            "waiver": None
            if waiver is None
            else {
                "reason": waiver.reason,
                "link": waiver.link,
                "expires": waiver.expires.isoformat() if waiver.expires else None,
            },
            "evidence": [v["evidence"] for t in tested for v in t.violations if v["clause"] == clause.id],
            "notes": _notes(clause.id, tests, known),
        }
        if reason:
            record["reason"] = reason
        if cause is not None:
            record["cause"] = cause
        records.append(record)
    return records


def _verdict(
    clause: specs.Clause, tests: list[TestRecord], edition: str
) -> tuple[Verdict, str, Cause | None]:
    if not clause.applies_to(edition):
        return "not-applicable", f"not in edition {edition!r}", None
    if any(v["clause"] == clause.id for t in tests for v in t.violations):
        return "fail", "", None
    broken = [t for t in tests if t.outcome in ("error", "failed")]
    if broken:
        causes: list[tuple[Cause, str]] = [(e["cause"], e["message"]) for t in broken for e in t.errors]
        causes += [
            ("not-exercised", f"{t.nodeid} failed on another clause before checking this one")
            for t in broken
            if not t.errors
        ]
        cause, reason = min(causes, key=lambda found: CAUSE_PRECEDENCE.index(found[0]))
        return "error", reason, cause
    if not tests:
        return "not-applicable", "not run in this session (deselected)", None
    if all(t.outcome == "skipped" for t in tests):
        return "not-applicable", tests[0].skip_reason, None
    return "pass", "", None


def _notes(clause_id: str, tests: Sequence[TestRecord], known: set[str]) -> list[str]:
    """The notes about a clause: those that name it ("clause.id: text"), from whichever test left them,
    and those naming no clause of the catalogue, from the clause's own tests. Each once, in order."""
    found: dict[str, None] = {}
    for test in tests:
        for note in test.notes:
            named, separator, text = note.partition(": ")
            if separator and named in known:
                if named == clause_id:
                    found[text] = None
            elif clause_id in test.clauses:
                found[note] = None
    return list(found)


def stale_waivers(clauses: list[ClauseRecord]) -> list[str]:
    """Waived clauses that passed: the waiver is no longer needed, and the run must fail."""
    return [c["id"] for c in clauses if c["waiver"] and c["verdict"] == "pass"]


def _counts(clauses: list[ClauseRecord]) -> Counts:
    counts: Counts = {
        "pass": 0,
        "fail": 0,
        "waived": 0,
        "not-applicable": 0,
        "error": 0,
        "suite-error": 0,
        "conformance": None,
    }
    for verdict in VERDICTS:
        counts[verdict] = sum(c["verdict"] == verdict and c.get("cause") != "suite-error" for c in clauses)
    counts["suite-error"] = sum(c.get("cause") == "suite-error" for c in clauses)
    if judged(counts):  # rounded down, so that one failure never shows as 100.0
        counts["conformance"] = math.floor(1000 * counts["pass"] / judged(counts)) / 10
    return counts


def summary(clauses: list[ClauseRecord], stale: list[str], suite_errors: list[SuiteError]) -> Summary:
    groups = sorted({c["group"] for c in clauses})
    return {
        "by_kind": {k: _counts([c for c in clauses if c["kind"] == k]) for k in specs.KINDS},
        "by_group": {g: _counts([c for c in clauses if c["group"] == g]) for g in groups},
        "total": _counts(clauses),
        "stale_waivers": stale,
        "suite_errors": suite_errors,
    }
