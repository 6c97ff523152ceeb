"""The sample reports the renderer tests use are reports the schema accepts."""

from __future__ import annotations

import jsonschema
import pytest
from report_samples import REPORTS, SCHEMA, VERDICTS, sample_report

VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_report_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name", REPORTS)
def test_a_sample_report_validates_against_the_schema(name):
    VALIDATOR.validate(REPORTS[name]())


def test_the_sample_has_every_verdict_a_stale_waiver_and_evidence_where_it_failed():
    report = sample_report()
    verdicts = [c["verdict"] for c in report["clauses"]]
    assert set(verdicts) == set(VERDICTS)
    assert report["summary"]["stale_waivers"] == ["probe.status"]
    assert all(c["evidence"] for c in report["clauses"] if c["verdict"] in ("fail", "waived"))


def test_the_schema_refuses_a_broken_sample():
    """The validation above is not vacuous."""
    report = sample_report()
    report["clauses"][1]["evidence"][0]["request"]["body"]["sha256"] = "not a digest"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(report)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.pop("cause") if c["verdict"] == "error" else None,  # an error without its cause
        lambda c: c.update(cause="suite-error") if c["verdict"] == "pass" else None,  # a cause without one
        lambda c: c.update(cause="the weather") if c["verdict"] == "error" else None,
        lambda c: c.pop("notes"),
        lambda c: c.update(notes=[1]),
    ],
)
def test_the_schema_holds_causes_to_errors_and_notes_to_text(change):
    report = sample_report()
    for record in report["clauses"]:
        change(record)
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(report)


def test_the_schema_wants_every_suite_error_with_its_traceback():
    report = sample_report()
    assert report["summary"]["suite_errors"]
    del report["summary"]["suite_errors"][0]["traceback"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(report)
