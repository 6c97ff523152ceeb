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
