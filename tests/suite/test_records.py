"""What a suite test leaves in the report: each error's cause, the suite's own errors, notes, xdist.

A module written here stands in for the suite: one test per way a test can end, run once in one
process and once in two pytest-xdist workers; the reports must agree record by record (whatever a
worker found reaches the controller). A worker that dies, and a target no worker can reach, have
runs of their own. All the runs go at once, in a module fixture (about 6 s).
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import botocore.exceptions
import botocore.parsers
import pytest
import requests
from suite_runs import run_suite

from invokeendpoint_conformance.conformance import plugin, recording, report_files
from invokeendpoint_conformance.conformance.judge import ClauseViolation, NotExercised

# Every module of pytester's directory is a suite module, in every process of the run (xdist's
# workers import this conftest too, so a monkeypatch of the test's own process would not reach them).
CONFTEST = """
from pathlib import Path

from invokeendpoint_conformance.conformance import plugin

plugin.SUITE_DIRECTORY = Path(__file__).resolve().parent.parent
pytest_plugins = ["invokeendpoint_conformance.conformance.plugin"]
"""

SUITE_TESTS = """
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from invokeendpoint_conformance.conformance.judge import ClauseViolation, NotExercised

ONCE = settings(database=None, derandomize=True, max_examples=10,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
LIMITS = {}


def violation(clause_id, exchange=None):
    return ClauseViolation(clause_id, [("what came", "what is documented")], exchange)


def holds_the_invariant(n):
    assert n < 0, f"drew {n}: the strategy's invariant does not hold"
    return n


@pytest.mark.clause("body.max-length")
def test_a_bug_in_the_suite():
    limit = LIMITS["limit"]


@pytest.mark.clause("name.pattern")
@ONCE
@given(st.integers(0, 10).map(holds_the_invariant))
def test_a_strategy_whose_invariant_breaks(n):
    pass


@pytest.mark.clause("model-error.container-500")
def test_a_target_that_gave_no_answer():
    raise violation("model-error.container-500", SimpleNamespace(response=None))


@pytest.mark.clause("concurrency.integrity")
def test_a_connection_the_target_reset():
    raise ConnectionResetError(104, "Connection reset by peer")


@pytest.mark.clause("forward.accept")
def test_an_answer_that_left_the_clause_unjudged():
    raise NotExercised("forward.accept", "the probe's echo did not come back")


@pytest.mark.clause("name.empty")
def test_a_judged_failure():
    raise violation("name.empty")


@pytest.mark.clause("name.max-length")
@ONCE
@given(st.integers(0, 10))
def test_a_judged_failure_found_by_hypothesis(n):
    if n > 3:
        raise violation("name.max-length")


@pytest.mark.clause("response.status-200")
def test_a_pass_that_leaves_notes(record_property):
    record_property("conformance-note", "response.status-200: answered in 3 ms")
    record_property("conformance-note", "response.body: a note about another clause")
    record_property("conformance-note", "a note naming no clause")


@pytest.mark.clause("response.body")
@ONCE
@given(st.integers())
def test_a_note_in_every_example(record_property, n):
    record_property("conformance-note", "response.body: the same note, once")
"""

# A worker that dies in a test: xdist reports the test failed, with no record of ours on the report.
CRASHING_TESTS = """
import os

import pytest


@pytest.mark.clause("body.passed-unchanged")
def test_the_worker_dies():
    os._exit(7)


@pytest.mark.clause("name.empty")
def test_another_passes():
    pass
"""

EXPECTED = {
    "body.max-length": ("error", "suite-error"),
    "name.pattern": ("error", "suite-error"),
    "model-error.container-500": ("error", "target-broke-exchange"),
    "concurrency.integrity": ("error", "target-broke-exchange"),
    "forward.accept": ("error", "not-exercised"),
    "name.empty": ("fail", None),
    "name.max-length": ("fail", None),
    "response.status-200": ("pass", None),
    "response.body": ("pass", None),
}


@dataclass
class Run:
    exit_code: int
    output: str
    document: dict
    out: Path  # its report directory


def _run(directory: Path, mode: str, *options: str) -> Run:
    """pytest in a subprocess, as a user runs it, on the module of SUITE_TESTS."""
    out = directory / f"report-{mode}"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--conformance-report",
            str(out),
            *options,
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return Run(done.returncode, done.stdout + done.stderr, document, out)


def _has_xdist() -> bool:
    return importlib.util.find_spec("xdist") is not None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """The module in one process and in two xdist workers, both at once (without xdist, the one)."""
    modes: dict[str, tuple[str, ...]] = {"serial": ()}
    if _has_xdist():
        modes |= {"parallel": ("-n", "2"), "crash": ("-n", "1")}
    directories = {}
    for name, module in (("records", SUITE_TESTS), ("crash", CRASHING_TESTS)):
        directories[name] = tmp_path_factory.mktemp(name)
        (directories[name] / "conftest.py").write_text(CONFTEST)
        (directories[name] / f"test_{name}_module.py").write_text(module)
    with ThreadPoolExecutor(len(modes) + 1) as pool:
        futures = {
            mode: pool.submit(_run, directories["crash" if mode == "crash" else "records"], mode, *options)
            for mode, options in modes.items()
        }
        unreachable = pool.submit(_unreachable_in_workers) if _has_xdist() else None
        found = {mode: future.result() for mode, future in futures.items()}
    if unreachable is not None:
        found["unreachable"] = unreachable.result()
    return found


def _unreachable_in_workers() -> Run:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    run = run_suite("-q", "-n", "1", "--target-url", url, timeout=120)
    return Run(run.exit_code, run.output, {"url": url}, Path())


def _verdicts(document: dict) -> dict[str, tuple[str, str | None]]:
    return {c["id"]: (c["verdict"], c.get("cause")) for c in document["clauses"] if c["tests"]}


def test_each_error_has_its_cause(runs):
    document = runs["serial"].document
    report_files.validate(document)
    assert _verdicts(document) == EXPECTED, runs["serial"].output[-3000:]
    reasons = {c["id"]: c.get("reason", "") for c in document["clauses"]}
    assert reasons["body.max-length"] == "KeyError: 'limit'"
    assert reasons["concurrency.integrity"] == "ConnectionResetError: [Errno 104] Connection reset by peer"
    assert reasons["forward.accept"].startswith("NotExercised: [forward.accept] not exercised: the probe's")


def test_a_suite_error_fails_the_run_loudly_with_the_clause_the_test_and_the_last_frames(runs):
    run = runs["serial"]
    document = run.document
    assert run.exit_code == 1
    terminal = run.output
    section = terminal[terminal.index("conformance: the suite itself broke (not the target's doing") :]
    assert "test_records_module.py::test_a_bug_in_the_suite (clauses body.max-length):" in section
    assert 'limit = LIMITS["limit"]' in section and "KeyError: 'limit'" in section
    assert "test_a_strategy_whose_invariant_breaks (clauses name.pattern):" in section
    assert "pluggy" not in section and "_pytest" not in section  # the machinery's frames are left out
    assert "in holds_the_invariant" in section and "the strategy's invariant does not hold" in section
    errors = {e["test"].rpartition("::")[2]: e for e in document["summary"]["suite_errors"]}
    assert set(errors) == {
        "test_a_bug_in_the_suite",
        "test_a_strategy_whose_invariant_breaks",
    }
    bug = errors["test_a_bug_in_the_suite"]
    assert bug["clauses"] == ["body.max-length"] and bug["message"] == "KeyError: 'limit'"
    assert bug["traceback"].startswith("Traceback (most recent call last; 1 frame,") and bug[
        "traceback"
    ].endswith("KeyError: 'limit'")


def test_a_suite_error_never_counts_in_the_targets_figures(runs):
    document = runs["serial"].document
    total = document["summary"]["total"]
    assert (total["pass"], total["fail"], total["error"], total["suite-error"]) == (2, 2, 3, 2)
    assert total["conformance"] == 28.5  # 2 of the 7 judged: the suite's 2 are not among them
    documented = document["summary"]["by_kind"]["documented"]
    assert documented["suite-error"] == 2 and documented["error"] == 3


def test_the_suite_errors_are_shown_in_the_pages_with_their_traceback(runs):
    out = runs["serial"].out
    markdown = (out / "report.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert markdown.index("## Suite errors") < markdown.index("## Summary")
    assert "limit = LIMITS[&quot;limit&quot;]" in page and "limit = LIMITS" in markdown
    assert "the suite's own error, not the target's (not counted): KeyError" in markdown


def test_notes_reach_their_clause_as_information(runs):
    run = runs["serial"]
    notes = {c["id"]: c["notes"] for c in run.document["clauses"] if c["notes"]}
    assert notes == {
        "response.status-200": ["answered in 3 ms", "a note naming no clause"],
        "response.body": ["the same note, once", "a note about another clause"],  # tests by node ID
    }
    assert _verdicts(run.document)["response.status-200"] == ("pass", None)
    markdown = (run.out / "report.md").read_text(encoding="utf-8")
    page = (run.out / "report.html").read_text(encoding="utf-8")
    assert "*Note:* answered in 3 ms" in markdown and "*Note:* the same note, once" in markdown
    assert '<span class="note">Note: a note naming no clause</span>' in page


def _comparable(document: dict) -> dict:
    """The report without what differs between any two runs: times, durations, URLs, pytest's exit."""
    clauses = [
        {**c, "tests": [{k: v for k, v in t.items() if k != "duration_s"} for t in c["tests"]]}
        for c in document["clauses"]
    ]
    return {"clauses": clauses, "summary": document["summary"]}


@pytest.mark.skipif(not _has_xdist(), reason="pytest-xdist is not installed (the parallel extra)")
def test_two_xdist_workers_give_the_serial_runs_report(runs):
    serial, parallel = runs["serial"].document, runs["parallel"].document
    report_files.validate(parallel)
    assert "2 workers" in runs["parallel"].output, runs["parallel"].output[-2000:]
    assert runs["parallel"].exit_code == runs["serial"].exit_code == 1
    assert _verdicts(parallel) == EXPECTED
    assert _comparable(parallel) == _comparable(serial)
    evidence = next(c["evidence"] for c in parallel["clauses"] if c["id"] == "name.max-length")
    assert evidence and all(re.search(r"\(\n +n=4,\n\)", e["minimal_example"] or "") for e in evidence)
    assert "conformance: the suite itself broke" in runs["parallel"].output


@pytest.mark.skipif(not _has_xdist(), reason="pytest-xdist is not installed (the parallel extra)")
def test_a_worker_that_dies_leaves_a_suite_error_not_a_missing_clause(runs):
    run = runs["crash"]
    assert run.exit_code == 1, run.output[-2000:]
    clauses = {c["id"]: c for c in run.document["clauses"]}
    assert (clauses["name.empty"]["verdict"], clauses["body.passed-unchanged"]["verdict"]) == (
        "pass",
        "error",
    )
    assert clauses["body.passed-unchanged"]["cause"] == "suite-error"
    assert "crashed" in clauses["body.passed-unchanged"]["reason"]
    assert [e["test"] for e in run.document["summary"]["suite_errors"]] == [
        "test_crash_module.py::test_the_worker_dies"
    ]


@pytest.mark.skipif(not _has_xdist(), reason="pytest-xdist is not installed (the parallel extra)")
def test_a_target_no_worker_can_reach_ends_the_run_at_once_as_in_one_process(runs):
    run = runs["unreachable"]
    assert run.exit_code == plugin.UNREACHABLE_EXIT_CODE, run.output[-3000:]
    assert f"target {run.document['url']} cannot be reached" in run.output
    assert "INTERNALERROR" not in run.output and "failed" not in run.output


@pytest.mark.parametrize(
    "error, cause",
    [
        (
            ClauseViolation("name.empty", [("a", "b")], SimpleNamespace(response=None)),
            "target-broke-exchange",
        ),
        (ConnectionResetError(104, "reset"), "target-broke-exchange"),
        (TimeoutError("timed out"), "target-broke-exchange"),
        (http.client.RemoteDisconnected("closed"), "target-broke-exchange"),
        (http.client.IncompleteRead(b"x"), "target-broke-exchange"),
        (requests.ConnectionError("refused"), "target-broke-exchange"),
        (requests.exceptions.ChunkedEncodingError("garbage"), "target-broke-exchange"),
        (botocore.exceptions.ConnectionClosedError(endpoint_url="http://x"), "target-broke-exchange"),
        (botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"), "target-broke-exchange"),
        (botocore.parsers.ResponseParserError("not JSON"), "target-broke-exchange"),
        (NotExercised("name.empty", "the probe did not echo"), "not-exercised"),
        (botocore.exceptions.ClientError({"Error": {"Code": "X"}}, "InvokeEndpoint"), "not-exercised"),
        (KeyError("limit"), "suite-error"),
        (AssertionError("an invariant"), "suite-error"),
        (TypeError("a bug"), "suite-error"),
        (requests.exceptions.InvalidHeader("the suite built it"), "suite-error"),
        (http.client.InvalidURL("the suite built it"), "suite-error"),
        (FileNotFoundError("a body file"), "suite-error"),
    ],
)
def test_one_place_decides_whose_doing_an_exception_is(error, cause):
    assert not recording.is_judged(error)
    assert recording.cause_of(error) == cause


def test_a_violation_with_an_answer_is_a_verdict_not_an_error():
    answered = ClauseViolation("name.empty", [("a", "b")], SimpleNamespace(response=object()))
    assert recording.is_judged(answered) and recording.is_judged(ClauseViolation("name.empty", [], None))


def test_a_record_survives_the_serialisation_xdist_ships_reports_with(pytestconfig):
    """pytest's own report (de)serialisation, then execnet's wire format, as between worker and controller."""
    report = pytest.TestReport("t.py::test_x", ("t.py", 0, "test_x"), {}, "failed", None, "call")
    evidence = {"test": "t.py::test_x", "message": "m", "problems": [{"received": "r", "documented": "d"}]}
    record = recording.TestRecord(
        "t.py::test_x",
        ["name.empty"],
        "failed",
        violations=[{"clause": "name.empty", "evidence": {**evidence, "request": None}}],
        errors=[{"cause": "suite-error", "message": "KeyError: 'x'", "traceback": "Traceback ..."}],
        minimal_example="Failing test case: ...",
        notes=["a note"],
    )
    recording.attach(report, ["name.empty"], record)
    data = pytestconfig.hook.pytest_report_to_serializable(config=pytestconfig, report=report)
    if _has_xdist():
        import execnet

        data = execnet.loads(execnet.dumps(data))
    back = pytestconfig.hook.pytest_report_from_serializable(config=pytestconfig, data=data)
    assert getattr(back, recording.ATTRIBUTE) == getattr(report, recording.ATTRIBUTE)
    recorder = recording.Recorder()
    recorder.add(back)
    assert recorder.tests[0].to_data() == {**record.to_data(), "notes": []}  # notes come from user_properties


def test_the_controller_takes_each_workers_url_probe_check_and_secrets():
    """What a worker publishes in xdist's workeroutput: the controller keeps the worst probe check."""
    config = SimpleNamespace(stash=pytest.Stash())
    config.stash[plugin.RUN_KEY] = plugin.Run(url="", secrets=["from-the-config"])
    listener = plugin._Listener(config)

    def worker(name: str, port: int, conforms: bool, **more: object) -> SimpleNamespace:
        facts = {"url": f"http://127.0.0.1:{port}", "secrets": [f"secret-of-{name}"], **more}
        facts["probe"] = {"conforms": conforms, "detail": f"{name}'s probe"}
        return SimpleNamespace(workerinput={"workerid": name}, workeroutput={plugin.WORKER_OUTPUT_KEY: facts})

    for node in (worker("gw10", 3, True), worker("gw1", 2, False), worker("gw0", 1, True)):
        listener.pytest_testnodedown(node, None)
    listener.pytest_testnodedown(SimpleNamespace(workerinput={}, workeroutput={}), "crashed")
    run = config.stash[plugin.RUN_KEY]
    assert run.target_url == "http://127.0.0.1:1, http://127.0.0.1:2, http://127.0.0.1:3"
    assert run.probe == {"conforms": False, "detail": "gw1's probe"}
    assert run.secrets == ["from-the-config", "secret-of-gw10", "secret-of-gw1", "secret-of-gw0"]
    ending = worker("gw2", 4, True, exit={"message": "target cannot be reached", "returncode": 3})
    with pytest.raises(pytest.exit.Exception, match="target cannot be reached") as ended:
        listener.pytest_testnodedown(ending, None)
    assert ended.value.returncode == 3
