"""Renderings of a report (specs/schemas/report.schema.json): report.md, report.html and badge.svg.

Everything here is a pure function of the report dict, except `write_all`.
Evidence holds text the target chose (headers, bodies, error messages), so
every string from the report is treated as hostile: control and bidi
characters are made visible, HTML is escaped, Markdown keeps it in code.
The HTML loads nothing: inline CSS, no script, and a CSP that forbids the rest.
The module uses only the standard library, so it runs wherever a report.json does.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

KINDS = ("documented", "contract", "observed")
VERDICTS = ("pass", "fail", "waived", "not-applicable", "error")
SHOWN_WITH_EVIDENCE = ("fail", "error", "waived")  # in this order in the evidence section
MARKS = {"pass": "✅", "fail": "❌", "waived": "⚠️", "not-applicable": "➖", "error": "💥"}
BADGE_LABEL = "InvokeEndpoint documented"

# -- shared helpers ------------------------------------------------------------------------------

# C0/C1 controls (but tab and newline), DEL, and the bidi controls that can reorder what a reader sees.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(value: Any) -> str:
    """The text with every invisible or reordering character written as an escape."""
    text = str(value)
    return _INVISIBLE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text
    )


def _pct(value: float | None) -> str:
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


COLOURS = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "lightgrey": "#9f9f9f",
}


def _target_name(manifest: dict) -> str:
    """The description the config gave, else the URL."""
    return manifest["target"]["description"] or manifest["target"]["url"]


def _kinds(report: dict) -> list[str]:
    """The three kinds first, always (a missing one shows as n/a), then any other the report has."""
    return list(KINDS) + [k for k in report["summary"]["by_kind"] if k not in KINDS]


def _empty_counts() -> dict[str, Any]:
    return {**dict.fromkeys(VERDICTS, 0), "conformance": None}


def _applicable(counts: dict) -> int:
    return counts["pass"] + counts["fail"] + counts["waived"] + counts["error"]


def _duration(manifest: dict) -> str:
    """'1 min 23 s' between started and finished, or '' where either is not an ISO time."""
    try:
        start, end = (
            dt.datetime.fromisoformat(manifest[k].replace("Z", "+00:00")) for k in ("started", "finished")
        )
        seconds = round((end - start).total_seconds())
    except (ValueError, TypeError):
        return ""
    minutes, seconds = divmod(max(seconds, 0), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def _with_evidence(report: dict) -> list[dict]:
    """Failed, erroring and waived clauses, in that order, each in catalogue order."""
    rank = {v: i for i, v in enumerate(SHOWN_WITH_EVIDENCE)}
    chosen = [c for c in report["clauses"] if c["verdict"] in rank]
    return sorted(chosen, key=lambda c: rank[c["verdict"]])  # sorted() is stable


def _not_passing(report: dict) -> list[tuple[str, list[str]]]:
    """The IDs that failed, erred or were waived, by verdict: what a reader looks for first."""
    found = [(v, [c["id"] for c in report["clauses"] if c["verdict"] == v]) for v in SHOWN_WITH_EVIDENCE]
    return [(v, ids) for v, ids in found if ids]


def _body_line(body: dict) -> str:
    truncated = ", truncated" if body["truncated"] else ""
    return f"{body['length']} bytes, sha256 {body['sha256']}{truncated}"


# -- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#!~])")


def _md_text(value: Any) -> str:
    """Prose that renders as itself: Markdown and HTML syntax backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", _visible(value)).replace("\n", " ")


def _md_code(value: Any) -> str:
    """An inline code span that no backtick in the text can close early."""
    text = _visible(value).replace("\n", " ")
    if not text:
        return "*(empty)*"
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _md_block(value: Any, lang: str = "text") -> str:
    """A fenced block longer than any backtick run inside, so the text cannot end it."""
    text = _visible(value).rstrip("\n")
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def _md_cell(text: str) -> str:
    """Markdown already made safe, fitted into one table cell: lines joined, every bare `|` escaped.

    GFM reads a backslash and the character after it as one unit when it splits a row,
    so a pipe is bare unless it ends such a pair.
    """
    out, chars = [], iter(text.replace("\n", "<br>"))
    for ch in chars:
        if ch == "\\":
            out.append(ch + next(chars, ""))
        else:
            out.append("\\|" if ch == "|" else ch)
    return "".join(out)


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_md_cell(c) for c in cells) + " |"


def _md_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [_md_row(header), "|" + "---|" * len(header), *(_md_row(r) for r in rows)]


def _md_verdict(clause: dict, stale: set[str]) -> str:
    verdict = clause["verdict"]
    word = f"**{verdict}**" if verdict in ("fail", "error") else verdict
    text = f"{MARKS.get(verdict, '?')} {word}"
    return text + (" (⚠️ stale waiver)" if clause["id"] in stale else "")


def _probe_check(manifest: dict, escape) -> str:
    """What the check before the tests found; a probe that does not echo puts every probe clause in doubt."""
    probe = manifest.get("probe")
    if not probe:
        return ""
    if probe["conforms"]:
        return "; answers as the target contract says"
    return f"; DOES NOT answer as the target contract says ({escape(probe['detail'])})"


def markdown(report: dict) -> str:
    """report.md: the whole report for a pull request, a wiki or a terminal."""
    manifest, summary = report["manifest"], report["summary"]
    target = manifest["target"]
    stale = set(summary["stale_waivers"])
    duration = _duration(manifest)
    lines = [
        f"# InvokeEndpoint conformance: {_md_text(_target_name(manifest))}, "
        f"edition {_md_code(manifest['edition'])}",
        "",
        f"- Target: {_md_code(target['url'])}"
        + (" (embedded reference emulator)" if target["embedded"] else "")
        + f", region {_md_code(target['region'])}, auth {_md_code(target['auth'])}",
        f"- Probe: {_md_code(target['probe_endpoint'])} variant {_md_code(target['variant'])}"
        + _probe_check(manifest, _md_text),
        f"- Run: {_md_text(manifest['started'])} to {_md_text(manifest['finished'])}"
        + (f" ({duration})" if duration else "")
        + f", exit status {_md_text(manifest['exit_status'])}",
        f"- Suite {_md_text(manifest['suite_version'])}; "
        + ", ".join(f"{_md_text(k)} {_md_text(v)}" for k, v in manifest["versions"].items())
        + f"; Hypothesis profile {_md_code(manifest['hypothesis']['profile'])}"
        + (f", seed {_md_code(manifest['hypothesis']['seed'])}" if manifest["hypothesis"]["seed"] else ""),
        "",
    ]
    if stale:
        lines += [
            "> [!WARNING]",
            "> **Stale waivers:** these clauses pass but are still waived; remove their waivers: "
            + ", ".join(_md_code(s) for s in summary["stale_waivers"]),
            "",
        ]

    lines += ["## Summary", ""]
    counts = [(f"**{_md_text(k)}**", summary["by_kind"].get(k, _empty_counts())) for k in _kinds(report)]
    counts.append(("**total**", summary["total"]))
    lines += _md_table(
        ["Kind", "Conformance", *VERDICTS],
        ([name, _pct(c["conformance"]), *(str(c[v]) for v in VERDICTS)] for name, c in counts),
    )
    lines += [
        "",
        "Conformance is pass / (pass + fail + waived + error): not-applicable clauses do not count.",
        "",
    ]
    for verdict, ids in _not_passing(report):
        lines += [f"- {MARKS[verdict]} **{verdict}:** " + ", ".join(_md_code(i) for i in ids)]
    if _not_passing(report):
        lines.append("")

    lines += ["## Groups", ""]
    lines += _md_table(
        ["Group", "Passed / applicable", "Conformance", "fail", "waived", "error", "not-applicable"],
        (
            [_md_text(g), f"{c['pass']} / {_applicable(c)}", _pct(c["conformance"])]
            + [str(c[v]) for v in ("fail", "waived", "error", "not-applicable")]
            for g, c in summary["by_group"].items()
        ),
    )

    lines += ["", "## Clauses", ""]
    rows = []
    for clause in report["clauses"]:
        statement = _md_text(clause["statement"])
        if clause.get("reason") and clause["verdict"] in ("not-applicable", "error"):
            statement += f"<br>*Reason:* {_md_text(clause['reason'])}"
        rows.append([_md_code(clause["id"]), _md_text(clause["kind"]), _md_verdict(clause, stale), statement])
    lines += _md_table(["ID", "Kind", "Verdict", "Statement"], rows)

    shown = _with_evidence(report)
    if shown:
        lines += ["", "## Evidence"]
        for clause in shown:
            lines += ["", *_md_clause_evidence(clause)]
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def _md_clause_evidence(clause: dict) -> list[str]:
    source = clause["source"]
    lines = [
        f"### {MARKS.get(clause['verdict'], '?')} {_md_code(clause['id'])}: {_md_text(clause['verdict'])}",
        "",
        f"{_md_text(clause['kind'])} clause, group {_md_text(clause['group'])}. "
        + _md_text(clause["statement"]),
        "",
        f"> {_md_text(source['document'])}, {_md_text(source['section'])}: {_md_text(source['text'])}",
        "",
    ]
    if clause.get("reason"):
        lines += [f"**Reason:** {_md_text(clause['reason'])}", ""]
    waiver = clause["waiver"]
    if waiver:
        expires = f" (expires {_md_text(waiver['expires'])})" if waiver.get("expires") else ""
        lines += [f"**Waived:** {_md_text(waiver['reason'])}, see {_md_code(waiver['link'])}{expires}", ""]
    if clause["tests"]:
        lines += ["Tests:", ""]
        lines += [
            f"- {_md_code(t['nodeid'])}: {_md_text(t['outcome'])} ({_md_text(t['duration_s'])} s)"
            for t in clause["tests"]
        ]
        lines.append("")
    if not clause["evidence"]:
        lines += ["No evidence was recorded: the clause was not judged (see the reason above)."]
    for number, evidence in enumerate(clause["evidence"], 1):
        lines += _md_evidence(number, len(clause["evidence"]), evidence)
    while lines[-1] == "":
        lines.pop()
    return lines


def _md_evidence(number: int, total: int, evidence: dict) -> list[str]:
    lines = [f"#### Evidence {number} of {total}: {_md_code(evidence['test'])}", ""]
    if evidence["problems"]:
        for problem in evidence["problems"]:
            lines += [
                _md_block(f"Received:   {problem['received']}\nDocumented: {problem['documented']}"),
                "",
            ]
    else:
        lines += [_md_block(evidence["message"]), ""]
    if evidence["connection_error"]:
        lines += [f"**Connection error:** {_md_code(evidence['connection_error'])}", ""]
    request, response = evidence["request"], evidence["response"]
    if request:
        lines += [f"**Request:** {_md_code(request['method'] + ' ' + request['url'])}", ""]
        lines += _md_message(request["headers"], request["body"])
    if response:
        lines += [f"**Response:** {_md_code(str(response['status']) + ' ' + response['reason'])}", ""]
        lines += _md_message(response["headers"], response["body"])
    elif request:
        lines += ["**Response:** none (no HTTP answer)", ""]
    if evidence["minimal_example"]:
        lines += [
            "**Minimal example** (Hypothesis):",
            "",
            _md_block(evidence["minimal_example"], "python"),
            "",
        ]
    if evidence["reproduce"]:
        lines += [
            "**Reproduce** (credentials come from `$AWS_*`):",
            "",
            _md_block(evidence["reproduce"], "sh"),
            "",
        ]
    return lines


def _md_message(headers: list, body: dict) -> list[str]:
    lines = []
    if headers:
        lines += [_md_block("\n".join(f"{name}: {value}" for name, value in headers), "http"), ""]
    lines += [f"Body: {_md_text(_body_line(body))}", ""]
    if body["preview"]:
        lines += [_md_block(body["preview"]), ""]
    return lines


# -- HTML ----------------------------------------------------------------------------------------


def _e(value: Any) -> str:
    """Escaped for HTML text and attribute values alike."""
    return _html.escape(_visible(value), quote=True)


def _verdict_class(verdict: str) -> str:
    """A fixed class name per verdict; anything else gets a class of its own, never the raw text."""
    return {"not-applicable": "v-na"}.get(verdict, f"v-{verdict}" if verdict in VERDICTS else "v-unknown")


# The page may use its own inline CSS and nothing else: no script runs, nothing loads.
CSP = "default-src 'none'; style-src 'unsafe-inline'"

# The verdict badges: pass green, fail red, waived amber, not-applicable grey, error purple.
VERDICT_COLOURS = {
    "pass": "#1a7f37",
    "fail": "#cf222e",
    "waived": "#b07800",
    "not-applicable": "#6e7781",
    "error": "#8250df",
}

_ROOT = (
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;"
    + ";".join(f"--{_verdict_class(v)[2:]}:{c}" for v, c in VERDICT_COLOURS.items())
    + "}"
)
_CSS = (
    _ROOT
    + """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}
header{padding-top:20px;border-bottom:1px solid var(--line)}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 10px}
h4{font-size:15px;margin:18px 0 6px}h5{font-size:13px;margin:10px 0 4px;text-transform:uppercase;
letter-spacing:.04em;color:var(--muted)}
.target{font-size:18px;margin:0 0 10px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 16px;font-size:13px}
.meta dt{color:var(--muted)}.meta dd{margin:0;overflow-wrap:anywhere}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
code{overflow-wrap:anywhere}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:4px 0 8px;
white-space:pre-wrap;overflow-wrap:anywhere;max-height:28em;overflow:auto}
.alert{border:2px solid var(--waived);background:#fff8e1;border-radius:8px;padding:10px 14px;margin:18px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px}
.card{border:1px solid var(--line);border-top:6px solid var(--level);border-radius:8px;padding:10px 14px}
.card .k{font-weight:600;text-transform:capitalize}.card .pct{font-size:30px;font-weight:700}
.card .counts{font-size:13px;color:var(--muted)}
.bar{height:6px;background:var(--soft);border-radius:3px;overflow:hidden;margin:4px 0 6px}
.bar span{display:block;height:100%;background:var(--level)}
.l-brightgreen{--level:#4c1}.l-green{--level:#97ca00}.l-yellow{--level:#dfb317}
.l-orange{--level:#fe7d37}.l-red{--level:#e05d44}.l-lightgrey{--level:#9f9f9f}
.note{font-size:13px;color:var(--muted)}
.attention{list-style:none;padding:0;margin:8px 0}.attention li{margin:4px 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
.clauses td:first-child{white-space:nowrap}
.badge{display:inline-block;min-width:5.5em;text-align:center;border-radius:10px;padding:0 8px;
font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.badge.v-pass{background:var(--pass)}.badge.v-fail{background:var(--fail)}
.badge.v-waived{background:var(--waived)}.badge.v-na{background:var(--na)}
.badge.v-error{background:var(--error)}.badge.v-unknown{background:#000}
.stale{color:var(--waived);font-size:12px;font-weight:600}
.reason{color:var(--muted);font-size:13px}
tr.v-fail td{background:#fff5f5}tr.v-error td{background:#fbf7ff}tr.v-waived td{background:#fffbeb}
.evidence{border:1px solid var(--line);border-left:6px solid var(--c);border-radius:8px;margin:12px 0;
padding:0 14px}
.evidence.v-fail{--c:var(--fail)}.evidence.v-error{--c:var(--error)}.evidence.v-waived{--c:var(--waived)}
summary{cursor:pointer;padding:10px 0;font-weight:600}
blockquote{margin:6px 0;padding:4px 12px;border-left:3px solid var(--line);color:var(--muted)}
.problem{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0;padding:8px 10px;
background:#fff5f5;border-radius:6px}
.problem dt{font-weight:600}.problem dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:13px;overflow-wrap:anywhere}
.exchange{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.exchange>div{min-width:0}.exchange p{font-size:13px;margin:4px 0;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:12px;padding:24px 20px}
@media (max-width:720px){
body{font-size:14px}header,main,footer{padding-left:10px;padding-right:10px}
.exchange{grid-template-columns:1fr}.card .pct{font-size:24px}
.groups th:nth-child(n+4),.groups td:nth-child(n+4){display:none}
th.num{white-space:normal}
.clauses thead,.clauses td:nth-child(2){display:none}
.clauses tr{display:grid;grid-template-columns:1fr auto;border-bottom:1px solid var(--line)}
.clauses td{border:0}.clauses td:nth-child(4){grid-column:1/-1;padding-top:0}
.clauses td:first-child{white-space:normal}
}
"""
)


def html(report: dict) -> str:
    """report.html: one self-contained page, readable in any browser with no network."""
    manifest, summary = report["manifest"], report["summary"]
    title = f"InvokeEndpoint conformance: {_target_name(manifest)} ({manifest['edition']})"
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        _html_header(manifest),
        "<main>",
    ]
    if summary["stale_waivers"]:
        codes = ", ".join(f"<code>{_e(s)}</code>" for s in summary["stale_waivers"])
        parts.append(
            '<div class="alert" role="alert"><strong>Stale waivers:</strong> these clauses pass but are '
            f"still waived; remove their waivers: {codes}</div>"
        )
    parts += [_html_summary(report), _html_groups(summary), _html_clauses(report)]
    shown = _with_evidence(report)
    if shown:
        parts.append('<section id="evidence"><h2>Evidence</h2>')
        parts += [_html_clause_evidence(c) for c in shown]
        parts.append("</section>")
    parts += [
        "</main>",
        f"<footer>Rendered from report.json by conformance.render, suite {_e(manifest['suite_version'])}."
        " This page loads nothing: no script, no font, no image.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _html_header(manifest: dict) -> str:
    target = manifest["target"]
    hypothesis = manifest["hypothesis"]
    duration = _duration(manifest)
    rows = [
        (
            "URL",
            f"<code>{_e(target['url'])}</code>"
            + (" (embedded reference emulator)" if target["embedded"] else ""),
        ),
        ("Edition", f"<strong>{_e(manifest['edition'])}</strong>"),
        ("Started", _e(manifest["started"])),
        ("Finished", _e(manifest["finished"]) + (f" ({_e(duration)})" if duration else "")),
        ("Exit status", _e(manifest["exit_status"])),
        (
            "Region, auth",
            f"{_e(target['region'])}, {_e(target['auth'])}"
            + (", enforced" if target["enforces_auth"] else ""),
        ),
        (
            "Probe",
            f"<code>{_e(target['probe_endpoint'])}</code> variant <code>{_e(target['variant'])}</code>"
            + _probe_check(manifest, _e),
        ),
        (
            "Suite",
            _e(manifest["suite_version"])
            + f", Hypothesis profile {_e(hypothesis['profile'])}"
            + (f", seed <code>{_e(hypothesis['seed'])}</code>" if hypothesis["seed"] else ""),
        ),
        ("Versions", ", ".join(f"{_e(k)} {_e(v)}" for k, v in manifest["versions"].items())),
    ]
    if target["config"]:
        rows.insert(1, ("Config", f"<code>{_e(target['config'])}</code>"))
    meta = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return (
        "<header>"
        "<h1>InvokeEndpoint conformance</h1>"
        f'<p class="target">{_e(_target_name(manifest))}</p>'
        f'<dl class="meta">{meta}</dl>'
        "</header>"
    )


def _html_card(name: str, counts: dict) -> str:
    value = counts["conformance"]
    width = 0.0 if value is None else min(max(float(value), 0.0), 100.0)
    tally = " · ".join(f"{_e(counts[v])} {_e(v)}" for v in VERDICTS)
    return (
        f'<div class="card l-{_level(value)}"><div class="k">{_e(name)}</div>'
        f'<div class="pct">{_e(_pct(value))}</div>'
        f'<div class="bar"><span style="width:{width:.1f}%"></span></div>'
        f'<div class="counts">{counts["pass"]:d} passed of {_applicable(counts):d} applicable'
        f"<br>{tally}</div>"
        "</div>"
    )


def _html_summary(report: dict) -> str:
    summary = report["summary"]
    cards = [_html_card(k, summary["by_kind"].get(k, _empty_counts())) for k in _kinds(report)]
    cards.append(_html_card("total", summary["total"]))
    attention = "".join(
        f"<li>{_html_badge(verdict)} "
        + ", ".join(f'<a href="#evidence-{_e(i)}"><code>{_e(i)}</code></a>' for i in ids)
        + "</li>"
        for verdict, ids in _not_passing(report)
    )
    return (
        '<section id="summary"><h2>Summary</h2>'
        f'<div class="cards">{"".join(cards)}</div>'
        '<p class="note">Conformance is pass / (pass + fail + waived + error): not-applicable clauses do not '
        "count.</p>" + (f'<ul class="attention">{attention}</ul>' if attention else "") + "</section>"
    )


def _html_groups(summary: dict) -> str:
    head = "".join(
        f'<th class="num">{h}</th>'
        for h in ("Passed / applicable", "Conformance", "fail", "waived", "error", "n/a")
    )
    rows = []
    for group, c in summary["by_group"].items():
        cells = [f"{c['pass']:d} / {_applicable(c):d}", _e(_pct(c["conformance"]))]
        cells += [_e(c[v]) for v in ("fail", "waived", "error", "not-applicable")]
        rows.append(
            f"<tr><td>{_e(group)}</td>" + "".join(f'<td class="num">{x}</td>' for x in cells) + "</tr>"
        )
    return (
        '<section id="groups"><h2>Groups</h2><div class="scroll"><table class="groups">'
        f"<thead><tr><th>Group</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _html_badge(verdict: str) -> str:
    return f'<span class="badge {_verdict_class(verdict)}">{_e(verdict)}</span>'


def _html_clauses(report: dict) -> str:
    stale = set(report["summary"]["stale_waivers"])
    rows = []
    for clause in report["clauses"]:
        ident = _e(clause["id"])
        name = f"<code>{ident}</code>"
        if clause["verdict"] in SHOWN_WITH_EVIDENCE:
            name = f'<a href="#evidence-{ident}">{name}</a>'
        verdict = _html_badge(clause["verdict"])
        if clause["id"] in stale:
            verdict += ' <span class="stale">stale waiver</span>'
        statement = _e(clause["statement"])
        if clause.get("reason") and clause["verdict"] in ("not-applicable", "error"):
            statement += f'<br><span class="reason">Reason: {_e(clause["reason"])}</span>'
        rows.append(
            f'<tr id="clause-{ident}" class="{_verdict_class(clause["verdict"])}">'
            f"<td>{name}</td><td>{_e(clause['kind'])}</td><td>{verdict}</td><td>{statement}</td></tr>"
        )
    return (
        '<section id="clauses"><h2>Clauses</h2><div class="scroll"><table class="clauses">'
        "<thead><tr><th>ID</th><th>Kind</th><th>Verdict</th><th>Statement</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _html_clause_evidence(clause: dict) -> str:
    source, waiver = clause["source"], clause["waiver"]
    count = len(clause["evidence"])
    parts = [
        f'<article class="evidence {_verdict_class(clause["verdict"])}" id="evidence-{_e(clause["id"])}">',
        # failures and errors open, waivers folded: the reader came for what broke
        "<details open>" if clause["verdict"] != "waived" else "<details>",
        f"<summary>{_html_badge(clause['verdict'])} <code>{_e(clause['id'])}</code> "
        f'<span class="reason">{_e(clause["kind"])} · {_e(clause["group"])} · {count} '
        f"evidence record{'s' if count != 1 else ''}</span></summary>",
        f"<p>{_e(clause['statement'])}</p>",
        f"<blockquote>{_e(source['document'])}, {_e(source['section'])}: {_e(source['text'])}</blockquote>",
    ]
    if clause.get("reason"):
        parts.append(f"<p><strong>Reason:</strong> {_e(clause['reason'])}</p>")
    if waiver:
        expires = f" (expires {_e(waiver['expires'])})" if waiver.get("expires") else ""
        # the link stays text: it came from a config file, and this page follows nothing
        parts.append(
            f"<p><strong>Waived:</strong> {_e(waiver['reason'])}, "
            f"see <code>{_e(waiver['link'])}</code>{expires}</p>"
        )
    if clause["tests"]:
        items = "".join(
            f"<li><code>{_e(t['nodeid'])}</code>: {_e(t['outcome'])} ({_e(t['duration_s'])} s)</li>"
            for t in clause["tests"]
        )
        parts.append(f"<h5>Tests</h5><ul>{items}</ul>")
    if not clause["evidence"]:
        parts.append('<p class="reason">No evidence was recorded: the clause was not judged.</p>')
    for number, evidence in enumerate(clause["evidence"], 1):
        parts.append(_html_evidence(number, count, evidence))
    parts += ["</details>", "</article>"]
    return "\n".join(parts)


def _html_evidence(number: int, total: int, evidence: dict) -> str:
    parts = [f"<h4>Evidence {number} of {total}: <code>{_e(evidence['test'])}</code></h4>"]
    if evidence["problems"]:
        for problem in evidence["problems"]:
            parts.append(
                f'<dl class="problem"><dt>Received:</dt><dd>{_e(problem["received"])}</dd>'
                f"<dt>Documented:</dt><dd>{_e(problem['documented'])}</dd></dl>"
            )
    else:
        parts.append(f"<pre>{_e(evidence['message'])}</pre>")
    if evidence["connection_error"]:
        parts.append(
            f"<p><strong>Connection error:</strong> <code>{_e(evidence['connection_error'])}</code></p>"
        )
    request, response = evidence["request"], evidence["response"]
    if request or response:
        sides = []
        if request:
            line = f"{request['method']} {request['url']}"
            sides.append(_html_message("Request", line, request["headers"], request["body"]))
        if response:
            line = f"{response['status']} {response['reason']}"
            sides.append(_html_message("Response", line, response["headers"], response["body"]))
        else:
            sides.append("<div><h5>Response</h5><p>none (no HTTP answer)</p></div>")
        parts.append(f'<div class="exchange">{"".join(sides)}</div>')
    if evidence["minimal_example"]:
        parts.append(f"<h5>Minimal example (Hypothesis)</h5><pre>{_e(evidence['minimal_example'])}</pre>")
    if evidence["reproduce"]:
        parts.append(
            "<h5>Reproduce (credentials come from $AWS_*)</h5>"
            f'<pre class="sh">{_e(evidence["reproduce"])}</pre>'
        )
    return "\n".join(parts)


def _html_message(side: str, first_line: str, headers: list, body: dict) -> str:
    parts = [f"<div><h5>{side}</h5><p><code>{_e(first_line)}</code></p>"]
    if headers:
        parts.append("<pre>" + "\n".join(f"{_e(n)}: {_e(v)}" for n, v in headers) + "</pre>")
    truncated = ", truncated" if body["truncated"] else ""
    parts.append(
        f"<p>Body: {_e(body['length'])} bytes, sha256 <code>{_e(body['sha256'])}</code>{truncated}</p>"
    )
    if body["preview"]:
        parts.append(f"<pre>{_e(body['preview'])}</pre>")
    parts.append("</div>")
    return "".join(parts)


# -- badge ---------------------------------------------------------------------------------------

# Approximate advance widths of 11px Verdana, the font shields.io measures with.
_NARROW = dict.fromkeys("fijlrtI.,:;!'|()[] ", 4.0)
_WIDE = dict.fromkeys("mwMW%", 10.5)


def _text_width(text: str) -> float:
    return sum(_NARROW.get(ch) or _WIDE.get(ch) or (7.5 if ch.isupper() else 6.8) for ch in text)


def badge(report: dict) -> str:
    """badge.svg: a flat shields.io-style badge of the documented clauses' conformance."""
    value = report["summary"]["by_kind"].get("documented", _empty_counts())["conformance"]
    label, message = BADGE_LABEL, _pct(value)
    colour = COLOURS[_level(value)]
    left, right = round(_text_width(label) + 10), round(_text_width(message) + 10)
    width = left + right
    text = _e(f"{label}: {message}")

    def texts(content: str, centre: float, inner: float) -> str:
        shadow = f'<text x="{centre}" y="15" fill="#010101" fill-opacity=".3" textLength="{inner}">'
        return (
            f'{shadow}{_e(content)}</text><text x="{centre}" y="14" textLength="{inner}">{_e(content)}</text>'
        )

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="11">'
        f"{texts(label, left / 2, left - 10)}{texts(message, left + right / 2, right - 10)}"
        "</g></svg>\n"
    )


# -- files ---------------------------------------------------------------------------------------


def write_all(report: dict, directory: Path) -> dict[str, Path]:
    """report.md, report.html and badge.svg in `directory` (UTF-8); report.json is the caller's."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, make in (("report.md", markdown), ("report.html", html), ("badge.svg", badge)):
        path = directory / name
        path.write_text(make(report), encoding="utf-8", newline="\n")
        written[name] = path
    return written
