"""Certification: clause verdicts, evidence, waivers and the certify command, against real emulators.

The whole-suite runs are named (whole_runs.py) and go at once (conftest.py's `finished`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from suite_runs import run_suite
from whole_runs import WAIVER, Finished, config_file

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance import report_files

pytestmark = pytest.mark.slow


def _report(directory) -> dict:
    document = json.loads((directory / "report.json").read_text())
    report_files.validate(document)
    return document


def _verdicts(document) -> dict[str, str]:
    return {c["id"]: c["verdict"] for c in document["clauses"]}


@pytest.mark.whole_run("variant-header-missing")
def test_failing_clause_gets_fail_with_evidence_and_the_rest_pass(finished):
    done: Finished = finished("variant-header-missing")
    run, url = done.run, done.url
    assert run.exit_code == 1
    document = _report(done.out)
    verdicts = _verdicts(document)
    assert verdicts["response.invoked-variant"] == "fail"
    failing = {c for c, v in verdicts.items() if v == "fail"}
    # the SDK reads the same header, and the own-variant routing clause is not in this edition
    assert failing <= {"response.invoked-variant", "sdk.valid-invocation"}, failing
    assert {v for c, v in verdicts.items() if c not in failing} <= {"pass", "not-applicable"}
    clause = next(c for c in document["clauses"] if c["id"] == "response.invoked-variant")
    evidence = clause["evidence"][0]
    assert evidence["problems"][0]["documented"] == "x-Amzn-Invoked-Production-Variant: 'AllTraffic'"
    assert evidence["request"]["method"] == "POST" and evidence["response"]["status"] == 200
    assert evidence["reproduce"].startswith("curl ") and "--aws-sigv4" in evidence["reproduce"]
    assert document["manifest"]["target"]["url"] == url
    assert document["summary"]["by_kind"]["documented"]["fail"] >= 1


@pytest.mark.whole_run("breaks-exchange")
def test_target_that_breaks_the_exchange_gets_error_not_fail(finished):
    document = _report(finished("breaks-exchange").out)
    clause = next(c for c in document["clauses"] if c["id"] == "model-error.container-500")
    assert (clause["verdict"], clause["cause"]) == ("error", "target-broke-exchange"), clause
    assert clause["reason"].startswith("ClauseViolation: [model-error.container-500]"), clause  # as printed
    documented = document["summary"]["by_kind"]["documented"]
    assert documented["error"] >= 1 and documented["suite-error"] == 0  # the target's error is judged
    assert documented["conformance"] < 100
    assert document["summary"]["suite_errors"] == []


@pytest.mark.whole_run("outside-the-edition")
def test_clauses_outside_the_edition_are_not_applicable(finished):
    done: Finished = finished("outside-the-edition")
    run = done.run
    assert run.exit_code == 0, run.output[-2000:]
    verdicts = _verdicts(_report(done.out))
    assert verdicts["content-type.ascii"] == "not-applicable"
    assert verdicts["response.invoked-variant"] == "pass"
    assert len(verdicts) == len(specs.clauses())


@pytest.mark.whole_run("waived")
def test_waived_failure_is_reported_waived_and_does_not_fail_the_run(finished):
    done: Finished = finished("waived")
    run = done.run
    assert run.exit_code == 0, run.output[-3000:]
    assert "xfailed" in run.stdout
    clause = next(c for c in _report(done.out)["clauses"] if c["id"] == "response.invoked-variant")
    assert clause["verdict"] == "waived" and clause["waiver"]["reason"] == "known bug 12"


@pytest.mark.whole_run("stale-waiver")
def test_waiver_no_longer_needed_fails_the_run(finished):
    done: Finished = finished("stale-waiver")
    run = done.run
    assert run.exit_code == 1, run.output[-3000:]
    assert "response.invoked-variant: waived, but it passed" in run.stdout
    assert _report(done.out)["summary"]["stale_waivers"] == ["response.invoked-variant"]


@pytest.mark.parametrize(
    "waivers, message",
    [
        (WAIVER.format(expires="2020-01-01"), "the waiver of response.invoked-variant expired on 2020-01-01"),
        (
            WAIVER.format(expires="2999-01-01").replace("response.invoked-variant", "no.such-clause"),
            "no clause 'no.such-clause'",
        ),
        (
            WAIVER.format(expires="2999-01-01").replace('reason = "known bug 12"', 'reason = ""'),
            "'reason' is required",
        ),
    ],
)
def test_bad_waivers_are_refused_before_anything_runs(tmp_path, waivers, message):
    run = run_suite("-q", "--target-config", config_file(tmp_path, "http://127.0.0.1:9", waivers))
    assert run.exit_code == 4 and message in run.output, run.output[-2000:]


@pytest.mark.whole_run("reference")  # certify, serial; test_certify_parallel compares its report with others
def test_certify_writes_every_artefact_and_prints_the_summary(finished):
    certified: Finished = finished("reference")
    out, done = certified.out, certified.run
    assert done.exit_code == 0, done.output[-6000:]
    for name in ("report.json", "report.md", "report.html", "badge.svg", "junit.xml"):
        assert (out / name).is_file(), name
    # The default edition, original, has no protocol clause: a kind with none applying is n/a.
    judged = {c.kind for c in specs.clauses("original")}
    for kind in specs.KINDS:
        figure = r"100\.0%" if kind in judged else "n/a"
        assert re.search(rf"^  {kind} +{figure} ", done.stdout, re.MULTILINE), done.stdout[-1500:]
    assert str((out / "report.html").resolve()) in done.stdout
    summary = _report(out)["summary"]["by_kind"]
    assert all(summary[kind]["conformance"] == (100.0 if kind in judged else None) for kind in specs.KINDS)
    junit = (out / "junit.xml").read_text()
    assert "[body.max-length" in junit and "[probe.delay]" in junit  # clause IDs in the test names


def test_certify_refuses_a_missing_config_clearly(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "invokeendpoint_conformance.conformance",
            "certify",
            "--target-config",
            str(tmp_path / "nope.toml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "nope.toml: no such file" in done.stderr
