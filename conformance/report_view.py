"""A report document (specs/schemas/report.schema.json) as its renderings show it: the report view.

report.md, report.html and badge.svg show the same things in three formats. This module decides
what those things are (percentages as text, colour levels, verdict marks, which clauses show
evidence and in what order, durations, body lines) once, so that the templates only decide how
they look. The view holds the report's text raw: escaping belongs to each format, in render.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("documented", "contract", "protocol", "observed")
VERDICTS = ("pass", "fail", "waived", "not-applicable", "error")
SHOWN_WITH_EVIDENCE = ("fail", "error", "waived")  # in this order in the evidence section
MARKS = {"pass": "✅", "fail": "❌", "waived": "⚠️", "not-applicable": "➖", "error": "💥"}
# The class that colours each verdict in report.html (templates/report.css).
VERDICT_CLASSES = {
    "pass": "v-pass",
    "fail": "v-fail",
    "waived": "v-waived",
    "not-applicable": "v-na",
    "error": "v-error",
}
BADGE_LABEL = "InvokeEndpoint documented"
# What each cause of an `error` verdict says to a reader (report_document.CAUSES).
CAUSE_TEXTS = {
    "target-broke-exchange": "the target broke the exchange",
    "not-exercised": "not exercised: the target's answers left it unjudged",
    "suite-error": "the suite's own error, not the target's (not counted)",
}

# The shields.io colour of each conformance level.
COLOURS = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "lightgrey": "#9f9f9f",
}

# Approximate advance widths of 11px Verdana, the font shields.io measures with.
_NARROW = dict.fromkeys("fijlrtI.,:;!'|()[] ", 4.0)
_WIDE = dict.fromkeys("mwMW%", 10.5)

Document = Mapping[str, Any]  # a part of report.json, as json.load gives it
_NO_COUNTS: Document = {**dict.fromkeys(VERDICTS, 0), "suite-error": 0, "conformance": None}  # kind absent


@dataclass(frozen=True)
class Verdict:
    """A verdict as shown: its word, its mark and the class that colours it."""

    name: str
    mark: str
    css_class: str
    alarming: bool  # fail or error: what broke


@dataclass(frozen=True)
class Tally:
    """The counts of one kind, one group or the whole run."""

    name: str
    passes: int
    fails: int
    waived: int
    not_applicable: int
    errors: int  # the target's
    suite_errors: int  # clauses the suite's own failure left unjudged: not applicable, not judged
    applicable: int
    passed_of_applicable: str  # "2 / 3"
    conformance: str  # "66.6%", or "n/a" where no clause applied
    level: str  # the shields.io colour name of the conformance
    bar_width: str  # the conformance as a bar's width in percent, within 0..100


@dataclass(frozen=True)
class NotPassing:
    """The IDs of the clauses with one of the verdicts a reader looks for first."""

    verdict: Verdict
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """Where a clause's statement comes from: the document, its section, the sentence itself."""

    document: str
    section: str
    text: str


@dataclass(frozen=True)
class Waiver:
    """Why the target config expects a clause to fail, and until when."""

    reason: str
    link: str
    expires: str | None


@dataclass(frozen=True)
class ClauseTest:
    """One test that judged a clause, with its outcome."""

    nodeid: str
    outcome: str
    duration_s: str


@dataclass(frozen=True)
class Body:
    """A request's or response's body as recorded: its size and digest, and the first bytes."""

    length: str
    sha256: str
    preview: str
    truncated: bool
    line: str  # "2 bytes, sha256 …", with ", truncated" where the preview is


@dataclass(frozen=True)
class Message:
    """A request or a response: its first line, its header lines and its body."""

    first_line: str
    headers: str  # "Name: value" lines, or "" where there were none
    body: Body


@dataclass(frozen=True)
class Problem:
    """One clause a judged exchange broke: what came back, and what the clause documents."""

    received: str
    documented: str


@dataclass(frozen=True)
class Evidence:
    """One recorded exchange behind a verdict, numbered within its clause."""

    number: int
    total: int
    test: str
    problems: tuple[Problem, ...]
    message: str
    connection_error: str | None
    request: Message | None
    response: Message | None
    minimal_example: str | None
    reproduce: str | None


@dataclass(frozen=True)
class Cause:
    """Why a clause is in error: whose doing it was."""

    name: str  # report_document.CAUSES
    text: str  # what it says to a reader
    suite: bool  # the suite's own error: never the target's, and not counted


@dataclass(frozen=True)
class SuiteError:
    """A test that broke on the suite's own code, with the innermost frames of its traceback."""

    test: str
    clauses: tuple[str, ...]
    message: str
    traceback: str


@dataclass(frozen=True)
class Clause:
    """A clause with its verdict: a row of the clause table and, unless it passed, a section of evidence."""

    id: str
    kind: str
    group: str
    statement: str
    source: Source
    verdict: Verdict
    reason: str | None
    cause: Cause | None  # where the verdict is error
    table_reason: str | None  # the reason the clause table shows: why not applicable, or why an error
    notes: tuple[str, ...]  # information the tests recorded: never a verdict
    waiver: Waiver | None
    stale_waiver: bool
    tests: tuple[ClauseTest, ...]
    evidence: tuple[Evidence, ...]
    in_evidence_section: bool
    folded: bool  # waived: its evidence starts folded, the reader came for what broke


@dataclass(frozen=True)
class Probe:
    """The endpoint hosting the probe model, and what the check before the tests found."""

    endpoint: str
    variant: str
    check: str  # the end of a sentence: "; answers as the target contract says", or why not


@dataclass(frozen=True)
class Target:
    """What the suite ran against."""

    name: str  # the description the config gave, else the URL
    url: str
    embedded: bool
    config: str | None
    region: str
    auth: str
    enforces_auth: bool
    probe: Probe


@dataclass(frozen=True)
class Run:
    """When and how the suite ran."""

    edition: str
    started: str
    finished: str
    duration: str  # "1 min 23 s", or "" where a time is not an ISO time
    exit_status: str
    suite_version: str
    versions: tuple[str, ...]  # "python 3.11.2", one a component
    profile: str
    seed: str | None


@dataclass(frozen=True)
class BadgeHalf:
    """The badge's label or its message: the text, the width it takes, where the text is centred."""

    text: str
    width: int
    centre: float
    text_length: int


@dataclass(frozen=True)
class Badge:
    """The documented clauses' conformance as a flat shields.io-style badge."""

    label: BadgeHalf
    message: BadgeHalf
    width: int
    colour: str


@dataclass(frozen=True)
class ReportView:
    """Everything the renderings show, in the order they show it."""

    target: Target
    run: Run
    stale_waivers: tuple[str, ...]
    suite_errors: tuple[SuiteError, ...]  # the suite broke: the run failed, whatever the target did
    by_kind: tuple[Tally, ...]  # KINDS first, always, then any other the report has
    total: Tally
    not_passing: tuple[NotPassing, ...]
    groups: tuple[Tally, ...]
    clauses: tuple[Clause, ...]
    evidence: tuple[Clause, ...]  # failed, erring and waived clauses, in that order
    badge: Badge


def from_report(report: Document) -> ReportView:
    """The view of a report document; the document is left as it was."""
    manifest, summary = report["manifest"], report["summary"]
    stale = tuple(summary["stale_waivers"])
    stale_ids = frozenset(stale)
    clauses = tuple(_clause(c, stale_ids) for c in report["clauses"])
    rank = {v: i for i, v in enumerate(SHOWN_WITH_EVIDENCE)}
    kinds = [*KINDS, *(k for k in summary["by_kind"] if k not in KINDS)]
    return ReportView(
        target=_target(manifest),
        run=_run(manifest),
        stale_waivers=stale,
        suite_errors=tuple(
            SuiteError(e["test"], tuple(e["clauses"]), e["message"], e["traceback"])
            for e in summary.get("suite_errors", ())
        ),
        by_kind=tuple(_tally(k, summary["by_kind"].get(k, _NO_COUNTS)) for k in kinds),
        total=_tally("total", summary["total"]),
        not_passing=tuple(
            NotPassing(_verdict(v), ids)
            for v in SHOWN_WITH_EVIDENCE
            if (ids := tuple(c.id for c in clauses if c.verdict.name == v))
        ),
        groups=tuple(_tally(g, c) for g, c in summary["by_group"].items()),
        clauses=clauses,
        # sorted() is stable: each verdict's clauses stay in catalogue order
        evidence=tuple(
            sorted((c for c in clauses if c.in_evidence_section), key=lambda c: rank[c.verdict.name])
        ),
        badge=_badge(summary["by_kind"].get("documented", _NO_COUNTS)["conformance"]),
    )


def _percentage(value: float | None) -> str:
    """One decimal, never rounding a failure up to 100% (or a pass down to 0%)."""
    if value is None:
        return "n/a"
    text = f"{value:.1f}"
    if text == "100.0" and value < 100:
        text = "99.9"
    elif text == "0.0" and value > 0:
        text = "0.1"
    return f"{text}%"


def _level(value: float | None) -> str:
    """The shields.io colour name for a conformance percentage."""
    if value is None:
        return "lightgrey"
    if value >= 100:
        return "brightgreen"
    if value >= 90:
        return "green"
    if value >= 75:
        return "yellow"
    if value >= 50:
        return "orange"
    return "red"


def _verdict(name: str) -> Verdict:
    # anything but a verdict of the schema gets a class of its own, never the raw text
    return Verdict(
        name, MARKS.get(name, "?"), VERDICT_CLASSES.get(name, "v-unknown"), name in ("fail", "error")
    )


def _tally(name: str, counts: Document) -> Tally:
    value = counts["conformance"]
    applicable = counts["pass"] + counts["fail"] + counts["waived"] + counts["error"]  # judged
    width = 0.0 if value is None else min(max(float(value), 0.0), 100.0)
    return Tally(
        name=name,
        passes=counts["pass"],
        fails=counts["fail"],
        waived=counts["waived"],
        not_applicable=counts["not-applicable"],
        errors=counts["error"],
        suite_errors=counts.get("suite-error", 0),
        applicable=applicable,
        passed_of_applicable=f"{counts['pass']} / {applicable}",
        conformance=_percentage(value),
        level=_level(value),
        bar_width=f"{width:.1f}",
    )


def _text(value: Any) -> str | None:
    """The value as text, or None where the report left it empty."""
    return str(value) if value else None


def _clause(clause: Document, stale: frozenset[str]) -> Clause:
    source, waiver, verdict = clause["source"], clause["waiver"], clause["verdict"]
    reason = _text(clause.get("reason"))
    evidence = clause["evidence"]
    cause = _cause(clause.get("cause")) if verdict == "error" else None
    table_reason = reason if verdict in ("not-applicable", "error") else None
    if cause is not None:
        table_reason = f"{cause.text}: {reason}" if reason else cause.text
    return Clause(
        id=clause["id"],
        kind=clause["kind"],
        group=clause["group"],
        statement=clause["statement"],
        source=Source(source["document"], source["section"], source["text"]),
        verdict=_verdict(verdict),
        reason=reason,
        cause=cause,
        table_reason=table_reason,
        notes=tuple(str(n) for n in clause.get("notes", ())),
        waiver=Waiver(waiver["reason"], waiver["link"], _text(waiver.get("expires"))) if waiver else None,
        stale_waiver=clause["id"] in stale,
        tests=tuple(ClauseTest(t["nodeid"], t["outcome"], str(t["duration_s"])) for t in clause["tests"]),
        evidence=tuple(_evidence(n, len(evidence), e) for n, e in enumerate(evidence, 1)),
        in_evidence_section=verdict in SHOWN_WITH_EVIDENCE,
        folded=verdict == "waived",
    )


def _cause(name: Any) -> Cause | None:
    if not name:
        return None
    return Cause(str(name), CAUSE_TEXTS.get(str(name), str(name)), name == "suite-error")


def _evidence(number: int, total: int, evidence: Document) -> Evidence:
    request, response = evidence["request"], evidence["response"]
    return Evidence(
        number=number,
        total=total,
        test=evidence["test"],
        problems=tuple(Problem(str(p["received"]), str(p["documented"])) for p in evidence["problems"]),
        message=evidence["message"],
        connection_error=_text(evidence["connection_error"]),
        request=_message(f"{request['method']} {request['url']}", request) if request else None,
        response=_message(f"{response['status']} {response['reason']}", response) if response else None,
        minimal_example=_text(evidence["minimal_example"]),
        reproduce=_text(evidence["reproduce"]),
    )


def _message(first_line: str, message: Document) -> Message:
    body = message["body"]
    truncated = ", truncated" if body["truncated"] else ""
    return Message(
        first_line=first_line,
        headers="\n".join(f"{name}: {value}" for name, value in message["headers"]),
        body=Body(
            length=str(body["length"]),
            sha256=body["sha256"],
            preview=body["preview"],
            truncated=bool(body["truncated"]),
            line=f"{body['length']} bytes, sha256 {body['sha256']}{truncated}",
        ),
    )


def _target(manifest: Document) -> Target:
    target = manifest["target"]
    return Target(
        name=target["description"] or target["url"],
        url=target["url"],
        embedded=bool(target["embedded"]),
        config=_text(target["config"]),
        region=target["region"],
        auth=target["auth"],
        enforces_auth=bool(target["enforces_auth"]),
        probe=Probe(target["probe_endpoint"], target["variant"], _probe_check(manifest.get("probe"))),
    )


def _probe_check(probe: Document | None) -> str:
    """What the check before the tests found; a probe that does not echo puts every probe clause in doubt."""
    if not probe:
        return ""
    if probe["conforms"]:
        return "; answers as the target contract says"
    return f"; DOES NOT answer as the target contract says ({probe['detail']})"


def _run(manifest: Document) -> Run:
    hypothesis = manifest["hypothesis"]
    return Run(
        edition=manifest["edition"],
        started=str(manifest["started"]),
        finished=str(manifest["finished"]),
        duration=_duration(manifest["started"], manifest["finished"]),
        exit_status=str(manifest["exit_status"]),
        suite_version=manifest["suite_version"],
        versions=tuple(f"{name} {version}" for name, version in manifest["versions"].items()),
        profile=hypothesis["profile"],
        seed=_text(hypothesis["seed"]),
    )


def _duration(started: Any, finished: Any) -> str:
    """'1 min 23 s' between the two times, or '' where either is not an ISO time."""
    try:
        start, end = (dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in (started, finished))
        seconds = round((end - start).total_seconds())
    except (ValueError, TypeError):
        return ""
    minutes, seconds = divmod(max(seconds, 0), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def _text_width(text: str) -> float:
    return sum(_NARROW.get(ch) or _WIDE.get(ch) or (7.5 if ch.isupper() else 6.8) for ch in text)


def _badge(value: float | None) -> Badge:
    label, message = BADGE_LABEL, _percentage(value)
    left, right = round(_text_width(label) + 10), round(_text_width(message) + 10)
    return Badge(
        label=BadgeHalf(label, left, left / 2, left - 10),
        message=BadgeHalf(message, right, left + right / 2, right - 10),
        width=left + right,
        colour=COLOURS[_level(value)],
    )
