"""report.html: well-formed, every clause in the table, nothing from the report unescaped, nothing loaded."""

from __future__ import annotations

import html
import re

import pytest
from report_pages import LOADING, URL_ATTRIBUTES, Page
from report_samples import (
    CURL,
    HOSTILE_GROUP,
    HOSTILE_ID,
    QUOTES,
    SCRIPT,
    SUITE_ERROR,
    hostile_report,
    sample_report,
    strings,
)

from invokeendpoint_conformance.conformance import render


@pytest.fixture(scope="module")
def page_text() -> str:
    return render.html(sample_report())


@pytest.fixture(scope="module")
def page(page_text) -> Page:
    return Page(page_text)


def test_the_page_is_well_formed(page):
    assert page.problems == []
    assert page.tags[0][0] == "html" and page.stack == []


def test_every_clause_is_a_table_row_with_its_verdict_badge(page, page_text):
    for clause in sample_report()["clauses"]:
        cells = page.rows[f"clause-{clause['id']}"]
        assert cells[0] == clause["id"] and cells[1] == clause["kind"]
        assert cells[2].startswith(clause["verdict"])
        assert cells[3].startswith(clause["statement"])
    badges = re.findall(r'<span class="badge (v-[a-z]+)">([a-z-]+)</span>', page_text)
    classes = {
        "pass": "v-pass",
        "fail": "v-fail",
        "waived": "v-waived",
        "not-applicable": "v-na",
        "error": "v-error",
    }
    assert badges and all(classes[verdict] == css for css, verdict in badges)


def test_the_header_names_target_edition_and_run_times(page):
    text = "".join(page.text)
    assert f"Acme gateway {QUOTES} <b>staging</b>" in text
    assert "Editionoriginal" in text
    assert "2025-11-30T10:00:00+00:00" in text and "2025-11-30T10:01:23+00:00 (1 min 23 s)" in text


def test_summary_cards_give_each_kinds_percentage(page_text):
    cards = re.findall(r'<div class="k">(\w+)</div><div class="pct">([^<]+)</div>', page_text)
    assert cards == [
        ("documented", "25.0%"),
        ("contract", "100.0%"),
        ("protocol", "n/a"),
        ("observed", "100.0%"),
        ("total", "57.1%"),
    ]


def test_groups_table_counts_passed_of_applicable(page):
    groups = {cells[0]: cells for cells in page.rows.values() if cells and cells[0] in ("names", "headers")}
    assert groups["names"][1:3] == ["2 / 2", "100.0%"]
    assert groups["headers"][1:3] == ["0 / 0", "n/a"]


def test_stale_waivers_are_flagged_before_the_summary(page_text):
    assert page_text.index('role="alert"') < page_text.index('id="summary"')
    assert "stale waiver" in page_text[page_text.index('id="clause-probe.status"') :]


def test_what_broke_has_its_evidence_in_details_and_curl_in_pre(page, page_text):
    for clause_id in ("response.content-type", "concurrency.integrity", "model-error.container-500"):
        article = page_text[page_text.index(f'id="evidence-{clause_id}"') :]
        assert article.index("<details") < article.index("<summary>") < article.index("</article>")
    assert f'<pre class="sh">{html.escape(CURL)}</pre>' in page_text
    text = "".join(page.text)
    assert f"Content-Type: 'text/html; x=\"{SCRIPT}\" & a|b' (changed)" in text
    assert "POST http://127.0.0.1:39157/endpoints/conformance-probe/invocations" in text
    assert "Falsifying example: test_response_content_type_is_the_models(" in text
    assert 'id="evidence-name.max-length"' not in page_text


def test_the_script_in_the_evidence_appears_only_escaped(page, page_text):
    assert SCRIPT not in page_text and "<script" not in page_text.lower()
    assert html.escape(SCRIPT) in page_text
    assert SCRIPT in "".join(page.text)  # shown to the reader as text
    assert not any(tag == "script" for tag, _ in page.tags)


@pytest.mark.parametrize("make", [sample_report, hostile_report])
def test_no_string_of_the_report_appears_unescaped(make):
    report = make()
    text = render.html(report)
    hostile = [s for s in strings(report) if re.search(r"[<>&\"']", s)]
    assert hostile
    for value in hostile:
        assert value not in text, value


def test_markup_in_ids_and_groups_cannot_add_attributes_or_elements():
    page = Page(render.html(hostile_report()))
    assert page.problems == []
    assert not [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert not [tag for tag, _ in page.tags if tag in ("img", "script")]
    assert page.rows[f"clause-{HOSTILE_ID}"][0] == HOSTILE_ID
    assert HOSTILE_GROUP in "".join(page.text)


@pytest.mark.parametrize("make", [sample_report, hostile_report])
def test_the_page_loads_nothing(make):
    page = Page(render.html(make()))
    assert not [tag for tag, _ in page.tags if tag in LOADING]
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES:
                assert name == "href" and value.startswith("#"), (tag, name, value)
            if name == "style":
                assert "url(" not in value.lower()
    css = "".join(page.styles).lower()
    assert css and "@import" not in css and "url(" not in css and "@font-face" not in css
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {
        "http-equiv": "Content-Security-Policy",
        "content": "default-src 'none'; style-src 'unsafe-inline'",
    } in metas


def test_the_page_fits_a_narrow_window(page_text):
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page_text
    assert "@media (max-width:" in page_text
    assert 'class="scroll"' in page_text  # wide tables scroll inside themselves


def test_control_characters_are_shown_not_sent(page_text):
    assert "\x1b" not in page_text and "\\x1b[31m" in page_text


def test_the_summary_links_what_did_not_pass_to_its_evidence(page_text):
    summary = page_text[page_text.index('id="summary"') : page_text.index('id="groups"')]
    for clause_id in ("response.content-type", "concurrency.integrity", "model-error.container-500"):
        assert f'<a href="#evidence-{clause_id}"><code>{clause_id}</code></a>' in summary
        assert f'id="evidence-{clause_id}"' in page_text


def test_suite_errors_are_an_alert_before_the_summary_with_their_traceback(page_text):
    section = page_text[page_text.index('id="suite-errors"') : page_text.index('id="summary"')]
    assert 'class="alert suite" role="alert"' in section
    assert "<strong>The suite itself broke</strong> in 1 test: not the target's doing" in section
    test = "<code>conformance/test_bodies.py::test_body_over_the_limit</code>"
    assert f"{test}, clauses <code>body.max-length" in section
    assert f"<pre>{html.escape(SUITE_ERROR['traceback'])}</pre>" in section


def test_each_error_names_its_cause_and_a_note_is_information(page, page_text):
    assert page.rows["clause-concurrency.integrity"][3].endswith(
        "Reason: the target broke the exchange: ConnectionResetError: [Errno 104] Connection reset by peer"
    )
    assert (
        "Reason: the suite's own error, not the target's (not counted): KeyError"
        in (page.rows["clause-body.max-length"][3])
    )
    assert "<strong>Cause:</strong> the target broke the exchange (<code>target-broke-exchange</code>)" in (
        page_text
    )
    row = page.rows["clause-forward.custom-attributes"]
    assert row[2] == "pass" and row[3].endswith("Note: the probe saw 3 of 3 <items> | in order")
    assert '<span class="note">Note: the probe saw 3 of 3 &lt;items&gt; | in order</span>' in page_text
