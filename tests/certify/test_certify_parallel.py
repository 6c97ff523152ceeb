"""Reports that are whole whoever ran the tests: xdist workers or one process, today or again tomorrow.

Against the reference emulator and against a broken one whose failure Hypothesis finds (so that a
failure, its evidence and its minimal example have to cross from a worker to the controller), with
one Hypothesis seed and the dev profile (random, so the seed is what makes runs alike): a second
serial run gives the same verdicts, and so does a run in two pytest-xdist workers. The runs go at
once (conftest.py); the misbehaving target of the `not-exercised` cause is here too.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from whole_runs import AROUND_IT, HYPOTHESIS_FINDS, Finished

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance import __main__ as certify_command
from invokeendpoint_conformance.conformance import report_files

pytestmark = pytest.mark.slow

TARGETS = {"reference": "the reference emulator", "broken": f"the broken emulator {HYPOTHESIS_FINDS}"}
needs_xdist = pytest.mark.skipif(
    importlib.util.find_spec("xdist") is None, reason="pytest-xdist is not installed (the parallel extra)"
)


def _report(directory: Path) -> dict:
    document = json.loads((directory / "report.json").read_text(encoding="utf-8"))
    report_files.validate(document)
    return document


def verdicts(document: dict) -> dict[str, dict]:
    """Each clause's verdict and what it rests on, without what any two runs differ in (times, ports)."""
    return {
        c["id"]: {
            "verdict": c["verdict"],
            "cause": c.get("cause"),
            "reason": c.get("reason"),
            "tests": [(t["nodeid"], t["outcome"]) for t in c["tests"]],
            "evidence": [(e["test"], e["problems"], e["minimal_example"]) for e in c["evidence"]],
            "notes": c["notes"],
        }
        for c in document["clauses"]
    }


def _differences(one: dict, other: dict) -> dict[str, tuple[dict, dict]]:
    return {clause: (one[clause], other[clause]) for clause in one if one[clause] != other.get(clause)}


@pytest.mark.whole_run("reference", "reference-again", "broken", "broken-again")
@pytest.mark.parametrize("target", TARGETS)
def test_one_seed_gives_the_same_verdicts_clause_by_clause(finished, target):
    first, again = _report(finished(target).out), _report(finished(f"{target}-again").out)
    assert (
        first["manifest"]["hypothesis"]
        == again["manifest"]["hypothesis"]
        == {
            "seed": "20240601",
            "profile": "dev",
        }
    )
    assert set(verdicts(first)) == {c.id for c in specs.clauses()}
    if target == "broken":  # a run of the clauses around the broken one: every other is deselected
        ran = {c for c, v in verdicts(first).items() if v["tests"]}
        assert ran == set(AROUND_IT), ran
    assert _differences(verdicts(first), verdicts(again)) == {}
    assert first["summary"] == again["summary"]


@needs_xdist
@pytest.mark.whole_run("reference", "reference-parallel", "broken", "broken-parallel")
@pytest.mark.parametrize("target", TARGETS)
def test_two_workers_give_the_serial_verdicts_clause_by_clause(finished, target):
    serial, parallel = finished(target), finished(f"{target}-parallel")
    assert parallel.run.exit_code == serial.run.exit_code, parallel.run.output[-3000:]
    one, other = _report(serial.out), _report(parallel.out)
    assert _differences(verdicts(one), verdicts(other)) == {}
    assert one["summary"] == other["summary"]
    assert one["manifest"]["probe"] == other["manifest"]["probe"] and other["manifest"]["probe"]["conforms"]
    if target == "reference":  # each worker started its own embedded emulator: the report names both
        assert len(other["manifest"]["target"]["url"].split(", ")) == 2, other["manifest"]["target"]
    else:
        assert other["manifest"]["target"]["url"] == parallel.url


@needs_xdist
@pytest.mark.whole_run("broken", "broken-parallel")
def test_a_failure_found_in_a_worker_reaches_the_report_with_its_evidence(finished):
    document = _report(finished("broken-parallel").out)
    failing = [c for c in document["clauses"] if c["verdict"] == "fail"]
    assert [c["id"] for c in failing] == ["accept.max-length"], [c["id"] for c in failing]
    (evidence,) = failing[0]["evidence"]
    test_function = evidence["test"].rpartition("::")[2].partition("[")[0]
    assert evidence["minimal_example"].startswith(f"Failing test case: {test_function}("), evidence
    assert evidence["request"]["method"] == "POST" and evidence["response"]["status"] == 200  # not refused
    assert evidence["reproduce"].startswith("curl ")
    assert finished("broken-parallel").run.exit_code == 1


@needs_xdist
@pytest.mark.whole_run("reference-parallel")
def test_certify_with_workers_writes_the_whole_certificate(finished):
    certified: Finished = finished("reference-parallel")
    done, out = certified.run, certified.out
    assert done.exit_code == 0, done.output[-4000:]
    judged = {c.kind for c in specs.clauses("original")}
    for kind in specs.KINDS:
        figure = r"100\.0%" if kind in judged else "n/a"
        assert re.search(rf"^  {kind} +{figure} ", done.stdout, re.MULTILINE), done.stdout[-1500:]
    assert str((out / "report.html").resolve()) in done.stdout
    for name in ("report.json", "report.md", "report.html", "badge.svg", "junit.xml"):
        assert (out / name).is_file(), name
    junit = (out / "junit.xml").read_text(encoding="utf-8")
    assert "[body.max-length" in junit and "[probe.delay]" in junit
    assert not any(c["verdict"] == "error" for c in _report(out)["clauses"])


@pytest.mark.whole_run("not-exercised")
def test_answers_that_leave_a_clause_unjudged_give_error_not_exercised(finished):
    """A target that echoes everything and ignores the probe's directives: the header echo never comes."""
    done: Finished = finished("not-exercised")
    assert done.run.exit_code == 1, done.run.output[-3000:]
    document = _report(done.out)
    clause = next(c for c in document["clauses"] if c["id"] == "forward.accept")
    assert (clause["verdict"], clause["cause"]) == ("error", "not-exercised"), clause
    assert "probe-echo=headers answer did not come back" in clause["reason"]
    documented = document["summary"]["by_kind"]["documented"]
    assert (documented["error"], documented["suite-error"], documented["conformance"]) == (1, 0, 0.0)
    assert "suite itself broke" not in done.run.output


def test_certify_workers_without_xdist_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(certify_command, "XDIST", "xdist_is_not_installed_here")
    code = certify_command.main(["certify", "--out", str(tmp_path / "out"), "--workers", "2"])
    assert code == 2
    error = capsys.readouterr().err
    assert "--workers 2 needs pytest-xdist, which is not installed" in error
    assert "invokeendpoint-conformance[parallel]" in error
    assert not (tmp_path / "out").exists()  # refused before anything ran


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_certify_workers_must_be_a_positive_number(workers, capsys):
    with pytest.raises(SystemExit) as exited:
        certify_command.main(["certify", "--out", "x", "--workers", workers])
    assert exited.value.code == 2
    assert "is not a positive whole number" in capsys.readouterr().err
