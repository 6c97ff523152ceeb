"""Clause verdicts from a run, and the report files that show them.

The plugin feeds every suite test's outcome in (`Recorder.record`); at the
end `build` turns them into one record per clause of the catalogue, with its
verdict, the tests behind it and, for a failure, the evidence: the request
sent, the answer received, Hypothesis's minimal example and a command that
replays it. Secrets are redacted from every string before anything is
written, and report.json is validated against specs/schemas/report.schema.json
on every write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore
import hypothesis
import jsonschema
import pytest

from invokeendpoint_conformance import __version__, specs
from invokeendpoint_conformance.exchanges import REDACTED, SECRET_HEADERS, Exchange

from .target import Target
from .verdicts import ClauseViolation

if sys.version_info < (3, 11):  # Hypothesis brings the backport
    from exceptiongroup import BaseExceptionGroup

PREVIEW_BYTES = 512
VERDICTS = ("pass", "fail", "waived", "not-applicable", "error")


class WaiverError(ValueError):
    pass


@dataclass(frozen=True)
class Waiver:
    clause: str
    reason: str
    link: str
    expires: dt.date | None = None


def read_waivers(target: Target, today: dt.date | None = None) -> dict[str, Waiver]:
    """The target config's waivers, checked: a known clause, a reason, a link, an unexpired date."""
    today = today or dt.date.today()
    where = target.config_path or "the target config"
    waivers: dict[str, Waiver] = {}
    for index, raw in enumerate(target.waivers):
        label = f"{where}: waivers[{index}]"
        if not isinstance(raw, dict):
            raise WaiverError(f"{label} must be a table with clause, reason and link")
        unknown = set(raw) - {"clause", "reason", "link", "expires"}
        if unknown:
            known = "clause, reason, link, expires"
            raise WaiverError(f"{label}: unknown keys {sorted(unknown)} (known: {known})")
        for key in ("clause", "reason", "link"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise WaiverError(f"{label}: {key!r} is required and must be non-empty text")
        try:
            specs.clause(raw["clause"])
        except specs.SpecError as error:
            raise WaiverError(f"{label}: {error}") from None
        expires = raw.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise WaiverError(f"{label}: expires={expires!r} is not a date (YYYY-MM-DD)") from None
        if expires is not None and not isinstance(expires, dt.date):
            raise WaiverError(f"{label}: expires must be a date, got {expires!r}")
        if expires is not None and expires < today:
            raise WaiverError(f"{label}: the waiver of {raw['clause']} expired on {expires.isoformat()}")
        if raw["clause"] in waivers:
            raise WaiverError(f"{label}: {raw['clause']} is waived twice")
        waivers[raw["clause"]] = Waiver(raw["clause"], raw["reason"], raw["link"], expires)
    return waivers


@dataclass
class TestRecord:
    nodeid: str
    clauses: list[str]
    outcome: str  # passed, failed, skipped, waived, error
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


def minimal_example(error: BaseException) -> str | None:
    notes = [n for n in getattr(error, "__notes__", []) if not n.startswith("You can reproduce")]
    return "\n".join(notes) or None


class Recorder:
    """Collects suite test outcomes during a run."""

    def __init__(self, target: Target, waivers: dict[str, Waiver]):
        self.target = target
        self.waivers = waivers
        self._by_node: dict[str, TestRecord] = {}
        self.started = dt.datetime.now(dt.timezone.utc)

    def record(self, item: pytest.Item, report: pytest.TestReport, clause_ids: list[str], excinfo) -> None:
        """One test phase's report; returns nothing, may turn a waived failure into a waived outcome."""
        if report.when != "call" and not (report.failed or report.skipped):
            return
        record = TestRecord(report.nodeid, clause_ids, "passed", round(report.duration, 3))
        if report.skipped:
            record.outcome = "skipped"
            record.skip_reason = _skip_reason(report)
        elif report.failed and excinfo is not None:
            for leaf in leaf_exceptions(excinfo.value):
                if isinstance(leaf, ClauseViolation) and not leaf.broke_exchange:
                    record.violations.append(leaf)
                else:
                    record.error = f"{type(leaf).__name__}: {leaf}"
            record.minimal_example = minimal_example(excinfo.value)
            record.outcome = "error" if record.error and not record.violations else "failed"
            failed_clauses = {v.clause for v in record.violations}
            if not record.error and failed_clauses and failed_clauses <= set(self.waivers):
                record.outcome = "waived"
                report.outcome = "skipped"
                reasons = "; ".join(self.waivers[c].reason for c in sorted(failed_clauses))
                report.wasxfail = f"waived: {reasons}"
        if record.outcome != "passed" or record.nodeid not in self._by_node:  # a later phase only worsens
            self._by_node[record.nodeid] = record

    @property
    def tests(self) -> list[TestRecord]:
        return list(self._by_node.values())

    # -- verdicts -------------------------------------------------------------------------------
    def clause_records(self) -> list[dict[str, Any]]:
        records = []
        for clause in specs.clauses():
            tests = [t for t in self.tests if clause.id in t.clauses]
            verdict, reason = self._verdict(clause, tests)
            waiver = self.waivers.get(clause.id)
            if waiver and verdict == "fail":
                verdict = "waived"
            record = {
                "id": clause.id,
                "kind": clause.kind,
                "group": clause.group,
                "statement": clause.statement,
                "source": clause.source,
                "verdict": verdict,
                "tests": [
                    {"nodeid": t.nodeid, "outcome": t.outcome, "duration_s": t.duration_s} for t in tests
                ],
                "waiver": None
                if waiver is None
                else {
                    "reason": waiver.reason,
                    "link": waiver.link,
                    "expires": waiver.expires.isoformat() if waiver.expires else None,
                },
                "evidence": [
                    _evidence(t, v, self.target) for t in tests for v in t.violations if v.clause == clause.id
                ],
            }
            if reason:
                record["reason"] = reason
            records.append(record)
        return records

    def _verdict(self, clause: specs.Clause, tests: list[TestRecord]) -> tuple[str, str]:
        if not clause.applies_to(self.target.edition):
            return "not-applicable", f"not in edition {self.target.edition!r}"
        if any(v.clause == clause.id for t in tests for v in t.violations):
            return "fail", ""
        errors = [t for t in tests if t.outcome in ("error", "failed")]
        if errors:
            first = errors[0]
            return "error", first.error or f"{first.nodeid} failed on another clause before checking this one"
        if not tests:
            return "not-applicable", "not run in this session (deselected)"
        if all(t.outcome == "skipped" for t in tests):
            return "not-applicable", tests[0].skip_reason
        return "pass", ""

    def stale_waivers(self, clauses: list[dict[str, Any]]) -> list[str]:
        """Waived clauses that passed: the waiver is no longer needed, and the run must fail."""
        return [c["id"] for c in clauses if c["waiver"] and c["verdict"] == "pass"]


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr or "")


def _body(data: bytes) -> dict[str, Any]:
    preview = "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in data[:PREVIEW_BYTES])
    return {
        "length": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "preview": preview,
        "truncated": len(data) > PREVIEW_BYTES,
    }


def _exchange(exchange: Exchange | None) -> tuple[dict | None, dict | None, str | None]:
    if exchange is None:
        return None, None, None
    request = {
        "method": exchange.invocation.method,
        "url": exchange.url,
        "headers": [list(h) for h in exchange.shown_headers()],
        "body": _body(bytes(exchange.invocation.body)),
    }
    response = None
    if exchange.response is not None:
        r = exchange.response
        response = {
            "status": r.status,
            "reason": r.reason,
            "headers": [[n, REDACTED if n.lower() in SECRET_HEADERS else v] for n, v in r.headers],
            "body": _body(r.body),
        }
    return request, response, exchange.connection_error


def _evidence(test: TestRecord, violation: ClauseViolation, target: Target) -> dict[str, Any]:
    request, response, connection_error = _exchange(violation.exchange)
    return {
        "test": test.nodeid,
        "message": str(violation),
        "problems": [{"received": r, "documented": d} for r, d in violation.problems],
        "request": request,
        "response": response,
        "connection_error": connection_error,
        "minimal_example": test.minimal_example,
        "reproduce": violation.reproduction or None,
    }


def redact(value: Any, secrets: list[str]) -> Any:
    """Every string with every secret replaced; secrets shorter than 4 characters are not searched."""
    secrets = [s for s in secrets if s and len(s) >= 4]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redact(v, secrets) for k, v in value.items()}
    return value


def _counts(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    counts: dict[str, Any] = {v: sum(c["verdict"] == v for c in clauses) for v in VERDICTS}
    judged = counts["pass"] + counts["fail"] + counts["waived"] + counts["error"]
    # rounded down, so that one failure never shows as 100.0
    counts["conformance"] = math.floor(1000 * counts["pass"] / judged) / 10 if judged else None
    return counts


def summary(clauses: list[dict[str, Any]], stale: list[str]) -> dict[str, Any]:
    groups = sorted({c["group"] for c in clauses})
    return {
        "by_kind": {k: _counts([c for c in clauses if c["kind"] == k]) for k in specs.KINDS},
        "by_group": {g: _counts([c for c in clauses if c["group"] == g]) for g in groups},
        "total": _counts(clauses),
        "stale_waivers": stale,
    }


def manifest(
    target: Target, url: str, recorder: Recorder, exit_status: int, seed, profile: str, probe: dict | None
) -> dict:
    return {
        "target": {
            "url": url,
            "description": target.description or ("reference emulator (embedded)" if target.embedded else ""),
            "embedded": target.embedded,
            "config": target.config_path,
            "region": target.region,
            "auth": target.auth,
            "enforces_auth": target.enforces_auth,
            "probe_endpoint": target.probe_endpoint,
            "variant": target.variant,
        },
        "probe": probe,
        "edition": target.edition,
        "suite_version": __version__,
        "hypothesis": {"seed": None if seed is None else str(seed), "profile": profile},
        "versions": {
            "python": platform.python_version(),
            "botocore": botocore.__version__,
            "hypothesis": hypothesis.__version__,
            "pytest": pytest.__version__,
        },
        "started": recorder.started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "exit_status": int(exit_status),
    }


def validate(report: dict[str, Any]) -> None:
    schema = json.loads((Path(specs.__file__).parent / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)


def write(report: dict[str, Any], directory: Path, secrets: list[str]) -> dict[str, Path]:
    """report.json (redacted, then validated), then the renderings of it."""
    from . import render  # the renderings only matter once a report is written

    report = redact(report, secrets)
    validate(report)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "report.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"report.json": path, **{p.name: p for p in render.write_all(report, directory).values()}}
