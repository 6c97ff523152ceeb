"""Certification: clause verdicts, evidence, waivers and the certify command, against real emulators."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from suite_runs import broken_emulator, run_suite

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance import report_files

pytestmark = pytest.mark.slow


def _report(directory) -> dict:
    document = json.loads((directory / "report.json").read_text())
    report_files.validate(document)
    return document


def _verdicts(document) -> dict[str, str]:
    return {c["id"]: c["verdict"] for c in document["clauses"]}


def test_failing_clause_gets_fail_with_evidence_and_the_rest_pass(tmp_path):
    with broken_emulator("variant-header-missing") as url:
        run = run_suite("-q", "--target-url", url, "--conformance-report", str(tmp_path))
    assert run.exit_code == 1
    document = _report(tmp_path)
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


def test_target_that_breaks_the_exchange_gets_error_not_fail(tmp_path):
    with broken_emulator("connection-dropped-on-model-error") as url:
        run_suite("-q", "--target-url", url, "--conformance-report", str(tmp_path), "-k", "container_500")
    clause = next(c for c in _report(tmp_path)["clauses"] if c["id"] == "model-error.container-500")
    assert clause["verdict"] == "error", clause


def test_clauses_outside_the_edition_are_not_applicable(tmp_path):
    run = run_suite("-q", "--conformance-report", str(tmp_path), "-k", "invoked_variant or ascii")
    assert run.exit_code == 0, run.output[-2000:]
    verdicts = _verdicts(_report(tmp_path))
    assert verdicts["content-type.ascii"] == "not-applicable"
    assert verdicts["response.invoked-variant"] == "pass"
    assert len(verdicts) == len(specs.clauses())


def _config(tmp_path, url: str | None, waivers: str) -> str:
    """A target config; without a URL it names the embedded emulator."""
    path = tmp_path / "target.toml"
    path.write_text((f'url = "{url}"\n' if url else "") + f'description = "under test"\n{waivers}')
    return str(path)


WAIVER = """
[[waivers]]
clause = "response.invoked-variant"
reason = "known bug 12"
link = "https://example.invalid/issues/12"
expires = {expires}
"""


def test_waived_failure_is_reported_waived_and_does_not_fail_the_run(tmp_path):
    with broken_emulator("variant-header-missing") as url:
        config = _config(
            tmp_path,
            url,
            WAIVER.format(expires="2999-01-01")
            + WAIVER.replace("response.invoked-variant", "sdk.valid-invocation").format(expires="2999-01-01"),
        )
        run = run_suite("-q", "--target-config", config, "--conformance-report", str(tmp_path / "out"))
    assert run.exit_code == 0, run.output[-3000:]
    assert "xfailed" in run.stdout
    clause = next(c for c in _report(tmp_path / "out")["clauses"] if c["id"] == "response.invoked-variant")
    assert clause["verdict"] == "waived" and clause["waiver"]["reason"] == "known bug 12"


def test_waiver_no_longer_needed_fails_the_run(tmp_path):
    config = _config(tmp_path, None, WAIVER.format(expires="2999-01-01"))
    out = tmp_path / "out"
    run = run_suite(
        "-q", "-k", "invoked_variant", "--target-config", config, "--conformance-report", str(out)
    )
    assert run.exit_code == 1, run.output[-3000:]
    assert "response.invoked-variant: waived, but it passed" in run.stdout
    assert _report(tmp_path / "out")["summary"]["stale_waivers"] == ["response.invoked-variant"]


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
    run = run_suite("-q", "--target-config", _config(tmp_path, "http://127.0.0.1:9", waivers))
    assert run.exit_code == 4 and message in run.output, run.output[-2000:]


def test_certify_writes_every_artefact_and_prints_the_summary(tmp_path):
    out = tmp_path / "certificate"
    done = subprocess.run(
        [sys.executable, "-m", "invokeendpoint_conformance.conformance", "certify", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for name in ("report.json", "report.md", "report.html", "badge.svg", "junit.xml"):
        assert (out / name).is_file(), name
    for kind in specs.KINDS:
        assert re.search(rf"^  {kind} +100\.0% ", done.stdout, re.MULTILINE), done.stdout[-1500:]
    assert str((out / "report.html").resolve()) in done.stdout
    summary = _report(out)["summary"]["by_kind"]
    assert all(summary[kind]["conformance"] == 100.0 for kind in specs.KINDS)
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
