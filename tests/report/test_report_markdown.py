"""report.md: the summary, every clause, the evidence of what broke, and tables that stay tables."""

from __future__ import annotations

import re

import pytest
from report_samples import (
    CURL,
    HOSTILE_GROUP,
    HOSTILE_ID,
    MINIMAL_EXAMPLE,
    SUITE_ERROR,
    hostile_report,
    sample_report,
    sparse_report,
    variant,
)

from invokeendpoint_conformance.conformance import render, report_view


def cells(row: str) -> list[str]:
    """A GFM table row split as GitHub splits it: a backslash and the next character are one unit."""
    found, current, chars = [], "", iter(row.strip()[1:-1] if row.strip().endswith("|") else row.strip()[1:])
    for ch in chars:
        if ch == "\\":
            current += ch + next(chars, "")
        elif ch == "|":
            found.append(current)
            current = ""
        else:
            current += ch
    return [*found, current]


def tables(text: str) -> list[list[str]]:
    """Each run of lines that start with '|' outside fenced blocks."""
    found, current, fence = [], [], None
    for line in text.splitlines():
        opener = re.match(r"(`{3,})", line)
        if fence is None and opener:
            fence = opener[1]
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None and line.startswith("|"):
            current.append(line)
            continue
        if current:
            found.append(current)
            current = []
    return found + ([current] if current else [])


@pytest.fixture(scope="module")
def md() -> str:
    return render.markdown(sample_report())


def test_the_title_names_the_target_and_edition(md):
    title = md.splitlines()[0]
    assert title.startswith("# InvokeEndpoint conformance: Acme gateway")
    assert "edition `original`" in title


def test_every_clause_has_a_row_with_its_verdict(md):
    rows = {cells(r)[0].strip(): cells(r) for t in tables(md) for r in t}
    for clause in sample_report()["clauses"]:
        row = rows[f"`{clause['id']}`"]
        assert clause["verdict"] in row[2]
        assert render.MARKS[clause["verdict"]] in row[2]


def test_the_summary_gives_each_kinds_percentage_and_the_totals(md):
    summary = tables(md)[0]
    # the suite's own error is counted apart, and the percentages leave it out
    assert "| **documented** | 25.0% | 1 | 1 | 1 | 1 | 1 | 1 |" in summary
    assert "| **contract** | 100.0% | 2 | 0 | 0 | 0 | 0 | 0 |" in summary
    assert "| **observed** | 100.0% | 1 | 0 | 0 | 0 | 0 | 0 |" in summary
    assert "| **total** | 57.1% | 4 | 1 | 1 | 1 | 1 | 1 |" in summary


def test_the_group_table_counts_passed_of_applicable(md):
    groups = {cells(r)[0].strip(): cells(r) for r in tables(md)[1][2:]}
    assert groups["names"][1].strip() == "2 / 2"
    assert groups["headers"][1].strip() == "0 / 0" and groups["headers"][2].strip() == "n/a"
    assert groups["responses"][1:3] == [" 0 / 1 ", " 0.0% "]


def test_the_failure_shows_its_problem_request_response_example_and_curl(md):
    evidence = md[md.index("### ❌ `response.content-type`") :]
    assert (
        "Received:   Content-Type: 'text/html; x=\"<script>alert(1)</script>\" & a|b' (changed)" in evidence
    )
    assert "Documented: Content-Type: 'text/html; x=\"<script>\"'" in evidence
    assert "**Request:** `POST http://127.0.0.1:39157/endpoints/conformance-probe/invocations`" in evidence
    assert "X-Amzn-SageMaker-Custom-Attributes: probe-content-type=" in evidence
    assert (
        "Body: 2 bytes, sha256 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" in evidence
    )
    assert "**Response:** `200 OK`" in evidence
    assert "Body: 697 bytes, sha256 " in evidence and ", truncated" in evidence
    assert f"```python\n{MINIMAL_EXAMPLE}\n```" in evidence
    assert f"```sh\n{CURL}\n```" in md


def test_failures_errors_and_waivers_have_sections_and_passes_do_not(md):
    headings = re.findall(r"^### .* `([^`]+)`: (\S+)$", md, re.M)
    assert headings == [
        ("response.content-type", "fail"),
        ("concurrency.integrity", "error"),
        ("body.max-length", "error"),
        ("model-error.container-500", "waived"),
    ]
    assert "ConnectionResetError: \\[Errno 104\\] Connection reset by peer" in md
    assert "**Waived:** our gateway answers 502 until v2 \\& later, see `https://example.com/issues/12`" in md


def test_stale_waivers_come_before_the_summary(md):
    assert md.index("**Stale waivers:**") < md.index("## Summary")
    assert "remove their waivers: `probe.status`" in md
    assert "✅ pass (⚠️ stale waiver)" in md


def test_a_body_with_backticks_cannot_close_its_fence(md):
    lines = md.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("<html><body>"))
    assert lines[at - 1] == "````text" and lines[at + 1] == "````"


def test_control_characters_are_shown_not_sent(md):
    assert "\x1b" not in md
    assert "\\x1b[31m" in md


def test_every_table_row_has_its_headers_column_count_despite_pipes_and_newlines():
    text = render.markdown(hostile_report())
    found = tables(text)
    assert len(found) == 3
    for table in found:
        width = len(cells(table[0]))
        assert [len(cells(row)) for row in table] == [width] * len(table), table
    rows = {cells(r)[0].strip(): cells(r) for r in found[2]}
    statement = rows["`" + HOSTILE_ID.replace("|", "\\|") + "`"][3]
    assert (
        "Pipes \\| in \\| text, an escaped \\\\\\| one, a new line and a trailing backslash \\\\" in statement
    )
    assert any(
        HOSTILE_GROUP.replace("<", "\\<").replace(">", "\\>").replace("|", "\\|") in r for r in found[1]
    )


def test_markup_outside_code_is_escaped():
    text = render.markdown(hostile_report())
    assert "<script>" not in text.split("## Evidence")[0]
    assert "\\<script\\>alert(1)\\</script\\> \\`code\\` \\*not bold\\* \\[link\\](x)" in text
    assert not re.search(r"(?<!\\)<(img|script)", text.split("## Evidence")[0])


def test_a_kind_with_nothing_judged_shows_as_not_applicable():
    text = render.markdown(sparse_report())
    assert "| **observed** | n/a | 0 | 0 | 0 | 0 | 0 | 0 |" in text
    assert "| **documented** | n/a | 0 | 0 | 0 | 5 | 0 | 1 |" in text


@pytest.mark.parametrize(
    "value, shown",
    [(None, "n/a"), (0, "0.0%"), (0.04, "0.1%"), (97.56, "97.6%"), (99.96, "99.9%"), (100, "100.0%")],
)
def test_a_percentage_is_never_rounded_to_all_or_nothing(value, shown):
    assert report_view._percentage(value) == shown


def test_the_summary_lists_what_did_not_pass(md):
    summary = md[md.index("## Summary") : md.index("## Groups")]
    assert "- ❌ **fail:** `response.content-type`" in summary
    assert "- 💥 **error:** `concurrency.integrity`, `body.max-length`" in summary
    assert "- ⚠️ **waived:** `model-error.container-500`" in summary


def test_each_error_names_its_cause_in_the_table_and_the_evidence(md):
    rows = {cells(r)[0].strip(): cells(r) for t in tables(md) for r in t}
    target, suite = rows["`concurrency.integrity`"][3], rows["`body.max-length`"][3]
    assert "*Reason:* the target broke the exchange: ConnectionResetError" in target
    assert "*Reason:* the suite's own error, not the target's (not counted): KeyError" in suite
    assert "**Cause:** the target broke the exchange (`target-broke-exchange`)" in md
    assert "**Cause:** the suite's own error, not the target's (not counted) (`suite-error`)" in md


def test_suite_errors_come_first_with_their_traceback(md):
    section = md[md.index("## Suite errors") : md.index("## Summary")]
    assert "**The suite itself broke** in 1 test: not the target's doing" in section
    assert "**`conformance/test_bodies.py::test_body_over_the_limit`**, clauses `body.max-length`:" in section
    assert f"```python\n{SUITE_ERROR['traceback']}\n```" in section
    assert md.index("## Suite errors") < md.index("## Summary")
    without = variant({"body.max-length": {"verdict": "pass", "cause": None, "reason": None}})
    assert without["summary"]["suite_errors"] == [] and "## Suite errors" not in render.markdown(without)


def test_a_note_is_shown_as_information_with_its_clause(md):
    rows = {cells(r)[0].strip(): cells(r) for t in tables(md) for r in t}
    row = rows["`forward.custom-attributes`"]
    assert "✅ pass" in row[2]
    assert "<br>*Note:* the probe saw 3 of 3 \\<items\\> \\| in order" in row[3]
