"""The suite's pytest plugin: the target, the client fixture, clause markers, profiles, the report.

Registered by the suite's conftest.py (`suite/conftest.py`), so only in a run
that collects the suite; the options it reads are added by the always-loaded,
inert entry point (`invokeendpoint_conformance.pytest_plugin`).

Under pytest-xdist (`-n N`) every worker is a whole pytest session with its own
`client` fixture, so each starts its own embedded emulator: the same code path
as a serial run, with the emulator's death still detected by the process that
started it, and workers on other hosts (`--tx`) served as well as local ones.
What a worker learns reaches the controller only through xdist's own channels:
each test's record on its TestReport (recording.py), and the run's facts (the
target URL, the probe check, the secrets to redact, a reason to end the run) in
`config.workeroutput`. The controller alone judges the clauses and writes the report.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Protocol

import pytest

from invokeendpoint_conformance import pytest_plugin, specs
from invokeendpoint_conformance.exchanges import Exchange

from . import embedded, evidence, profiles, recording, report_files, suite, verdicts
from .client import TargetClient
from .recording import Recorder, waiver_matcher
from .report_document import ProbeCheck, Report, SuiteError
from .target import Target, TargetConfigError, resolve

SUITE_DIRECTORY = Path(suite.__file__).resolve().parent
UNREACHABLE_EXIT_CODE = 3
# The key of a worker's facts in xdist's `config.workeroutput`.
WORKER_OUTPUT_KEY = "invokeendpoint_conformance"


@dataclass
class Run:
    """What the run learns as it goes, for the report and the terminal summary."""

    url: str  # the embedded emulator's is known once the client fixture started it
    secrets: list[str]  # redacted from every report file: the config's, then the credentials
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    probe: ProbeCheck | None = None  # the reachability check's verdict on the probe (the worst worker's)
    stale: list[str] | None = None  # waived clauses that passed; None until the clauses are judged
    suite_errors: list[SuiteError] = field(default_factory=list)  # the suite's own failures: the run fails
    worker_urls: dict[str, str] = field(default_factory=dict)  # under xdist: each worker's target URL

    @property
    def target_url(self) -> str:
        """The URL the report names: each worker's embedded emulator has its own, in worker order."""
        if not self.worker_urls:
            return self.url
        workers = sorted(self.worker_urls, key=lambda w: (len(w), w))  # gw2 before gw10
        return ", ".join(dict.fromkeys(self.worker_urls[w] for w in workers))


TARGET_KEY = pytest.StashKey[Target]()
RECORDER_KEY = pytest.StashKey[Recorder]()
RUN_KEY = pytest.StashKey[Run]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clause(*ids): the clause IDs (specs/clauses.json) a suite test checks"
    )
    for kind in specs.KINDS:
        config.addinivalue_line(
            "markers", f"{kind}: the test checks {kind} clauses (derived from its clause IDs)"
        )
    options = {key: config.getoption(key) for key in pytest_plugin.TARGET_OPTIONS}
    try:
        target = resolve(options)
    except TargetConfigError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[TARGET_KEY] = target
    config.stash[RECORDER_KEY] = Recorder()
    config.stash[RUN_KEY] = Run(url=target.url or "", secrets=list(target.sensitive_values))
    profile = config.getoption("conformance_profile")
    profiles.activate(profile or ("live" if target.aws else "ci" if os.environ.get("CI") else "dev"))
    unknown_wanted = set(config.getoption("clauses")) - {c.id for c in specs.clauses()}
    if unknown_wanted:  # here, not at collection: an xdist controller collects nothing
        raise pytest.UsageError(
            f"--clause {', '.join(sorted(unknown_wanted))}: no such clause in specs/clauses.json"
        )
    config.pluginmanager.register(_Listener(config), f"{pytest_plugin.SUITE_PLUGIN_NAME}-listener")


def is_worker(config: pytest.Config) -> bool:
    """An xdist worker: it runs tests, and the controller judges their clauses."""
    return hasattr(config, "workerinput")


def _publish(config: pytest.Config, **facts: Any) -> None:
    """A worker's facts for the controller, in xdist's workeroutput (sent when the worker finishes)."""
    if is_worker(config):
        config.workeroutput.setdefault(WORKER_OUTPUT_KEY, {}).update(facts)  # type: ignore[attr-defined]


def _end_run(config: pytest.Config, message: str, returncode: int) -> NoReturn:
    """End the run at once; from a worker, through the controller, which then ends it the same way."""
    _publish(config, exit={"message": message, "returncode": returncode})
    pytest.exit(message, returncode=returncode)


def _worse(probe: ProbeCheck | None, other: ProbeCheck | None) -> ProbeCheck | None:
    """Of two workers' probe checks, the one to report: a probe that did not echo anywhere is in doubt."""
    if probe is None or (other is not None and probe["conforms"] and not other["conforms"]):
        return other
    return probe


class _WorkerNode(Protocol):
    """What the controller reads of an xdist worker (xdist's WorkerController)."""

    workerinput: dict[str, Any]  # its "workerid": gw0, gw1, ...
    workeroutput: dict[str, Any]


class _Listener:
    """The hooks that need the run's config: the reports logged, and xdist's workers going down."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Each report, made here or shipped from a worker, carries its test's record (recording.py)."""
        if not is_worker(self.config):
            self.config.stash[RECORDER_KEY].add(report)

    @pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest without xdist never calls it
    def pytest_testnodedown(self, node: _WorkerNode, error: object) -> None:
        """A worker finished: take its facts; where it had to end the run, end it here too."""
        facts: dict[str, Any] | None = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
        if not facts:  # a worker that crashed sends nothing; its tests say so (recording.py)
            return
        run = self.config.stash[RUN_KEY]
        if "url" in facts:
            run.worker_urls[node.workerinput["workerid"]] = facts["url"]
        run.probe = _worse(run.probe, facts.get("probe"))
        run.secrets += [s for s in facts.get("secrets", []) if s not in run.secrets]
        if "exit" in facts:
            pytest.exit(facts["exit"]["message"], returncode=facts["exit"]["returncode"])


def clause_ids(item: pytest.Item) -> list[str]:
    return [cid for mark in item.iter_markers("clause") for cid in mark.args]


def is_suite_test(item: pytest.Item) -> bool:
    """A test of the suite's own modules (by where it lives: an editable install names them otherwise)."""
    return SUITE_DIRECTORY in item.path.parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse suite tests without one kind of clause; mark kinds; skip what does not apply; xfail waivers."""
    target = config.stash[TARGET_KEY]
    wanted = set(config.getoption("clauses"))
    refused: list[str] = []
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    applicable: list[tuple[pytest.Item, list[str]]] = []
    for item in items:
        if not is_suite_test(item):
            kept.append(item)
            continue
        ids = clause_ids(item)
        try:
            found = [specs.clause(cid) for cid in ids]
        except specs.SpecError as error:
            refused.append(f"{item.nodeid}: {error}")
            continue
        kinds = {c.kind for c in found}
        if len(kinds) != 1:
            refused.append(
                f"{item.nodeid}: clause kinds {sorted(kinds) or 'none'}; a suite test needs exactly one"
            )
            continue
        if wanted and not wanted & set(ids):
            deselected.append(item)
            continue
        item.add_marker(kinds.pop())
        if not any(c.applies_to(target.edition) for c in found):
            item.add_marker(pytest.mark.skip(reason=f"not-applicable: not in edition {target.edition!r}"))
        elif any(c.group == "auth" for c in found) and not target.enforces_auth:
            item.add_marker(pytest.mark.skip(reason="not-applicable: the target does not enforce auth"))
        else:
            applicable.append((item, ids))
        kept.append(item)
    if refused:
        raise pytest.UsageError("suite tests without a usable clause marker:\n  " + "\n  ".join(refused))
    tests_of = Counter(cid for _, ids in applicable for cid in set(ids))
    for item, ids in applicable:
        mark = waiver_mark(target, ids, tests_of)
        if mark is not None:
            item.add_marker(mark)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def waiver_mark(target: Target, ids: list[str], tests_of: Counter[str]) -> pytest.MarkDecorator | None:
    """xfail for a test of waived clauses: it XFAILs where it fails only on waived clauses.

    Strict (a pass fails the test: the waiver is no longer needed) where the test alone checks each of its
    waived clauses. Where a waived clause has other tests, one of them passing says nothing: the clause
    may still fail in another, so the pass is a plain XPASS, and the clause's verdict, once every test
    of it ran, says whether the waiver went stale (which fails the run).
    """
    waivers = [target.waivers[cid] for cid in ids if cid in target.waivers]
    if not waivers:
        return None
    return pytest.mark.xfail(
        reason="waived: " + "; ".join(w.reason for w in waivers),
        raises=waiver_matcher(target.waivers),
        strict=all(tests_of[w.clause] == 1 for w in waivers),
    )


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Target:
    return pytestconfig.stash[TARGET_KEY]


@pytest.fixture(scope="session")
def client(target: Target, pytestconfig: pytest.Config) -> Iterator[TargetClient]:
    """A client for the target; starts the embedded emulator when no target was named."""
    running = None
    url = target.url or ""
    if target.embedded:
        try:
            running = embedded.start(edition=target.edition, enforce_auth=target.enforces_auth)
        except embedded.EmbeddedTargetError as error:
            _end_run(pytestconfig, str(error), UNREACHABLE_EXIT_CODE)
        url = running.url

    def on_connection_error(exchange: Exchange) -> None:
        if running is not None and not running.alive():
            _end_run(
                pytestconfig,
                f"the embedded emulator at {url} died (exit code {running.process.returncode}); "
                f"its log ends:\n{running.log_tail()}",
                UNREACHABLE_EXIT_CODE,
            )

    client = TargetClient(target, url, on_connection_error=on_connection_error)
    run = pytestconfig.stash[RUN_KEY]
    run.url = url
    secrets = [s for s in (client.credentials.secret_key, client.credentials.token) if s]
    run.secrets += secrets
    _publish(pytestconfig, url=url, secrets=secrets)  # before the check: an unreachable target ends it
    run.probe = _require_reachable(client, pytestconfig)
    _publish(pytestconfig, probe=run.probe)
    yield client
    if running is not None:
        running.stop()


def _require_reachable(client: TargetClient, config: pytest.Config) -> ProbeCheck:
    """One request before anything else: a target that cannot be reached ends the run at once.

    The same request tells whether the probe answers as the target contract says (it echoes);
    where it does not, every clause judged through the probe is in doubt, and the run says so.
    """
    body = b"reachability"
    exchange = client.sender.send(client.invocation(body=body, headers=[("Content-Type", "text/plain")]))
    if exchange.response is None:
        why = f"target {client.url} cannot be reached: {exchange.connection_error}"
        _end_run(config, why, UNREACHABLE_EXIT_CODE)
    answer = exchange.response
    conforms = answer.status == 200 and answer.body == body and answer.header("Content-Type") == "text/plain"
    detail = (
        f"{client.target.probe_endpoint} echoed a {len(body)}-byte text/plain body as the contract says"
        if conforms
        else f"{client.target.probe_endpoint} did not echo: answered {answer.status}, "
        f"Content-Type {answer.header('Content-Type')!r}, body {answer.body[:60]!r}"
    )
    return {"conforms": conforms, "detail": detail}


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outermost: sees the report once xfail has judged it
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's record goes on its report, which carries it to wherever the report is logged."""
    report = yield
    if is_suite_test(item):
        skipped = call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception)
        error = call.excinfo.value if call.excinfo is not None and not skipped else None
        ids = clause_ids(item)
        recording.attach(report, ids, recording.test_record(report, ids, error, evidence.evidence))
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Judge each clause; stale waivers and suite errors fail the run; write the report if asked for."""
    config = session.config
    recorder = config.stash.get(RECORDER_KEY, None)
    if is_worker(config) or recorder is None:
        return
    tests = recorder.tests
    if not tests:
        return
    target, run = config.stash[TARGET_KEY], config.stash[RUN_KEY]
    clauses = verdicts.clause_records(tests, target)
    run.stale = stale = verdicts.stale_waivers(clauses)
    run.suite_errors = recording.suite_errors(tests)
    if (stale or run.suite_errors) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    directory = config.getoption("conformance_report")
    if directory:
        manifest = report_files.manifest(
            target,
            url=run.target_url,
            started=run.started,
            exit_status=session.exitstatus,
            seed=config.getoption("hypothesis_seed", None),
            profile=profiles.active(),
            probe=run.probe,
        )
        document: Report = {
            "manifest": manifest,
            "summary": verdicts.summary(clauses, stale, run.suite_errors),
            "clauses": clauses,
        }
        report_files.write(document, Path(directory), run.secrets)


def pytest_unconfigure(config: pytest.Config) -> None:
    """pytest writes junit.xml itself: redact it like every other report file."""
    directory = config.getoption("conformance_report", None)
    if is_worker(config):  # the controller writes junit.xml, maybe while a worker is still going down
        return
    junit = Path(directory) / "junit.xml" if directory else None
    run = config.stash.get(RUN_KEY, None)
    if junit and run and run.secrets and junit.is_file():
        report_files.redact_file(junit, run.secrets)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    if run.suite_errors:
        terminalreporter.section(
            "conformance: the suite itself broke (not the target's doing; the run fails)", red=True
        )
        for found in run.suite_errors:
            terminalreporter.line(f"{found['test']} (clauses {', '.join(found['clauses']) or 'none'}):")
            terminalreporter.line(found["traceback"] or found["message"])
            terminalreporter.line("")
    if run.probe and not run.probe["conforms"]:
        terminalreporter.section(
            "conformance: the probe does not answer as the target contract says", red=True
        )
        terminalreporter.line(run.probe["detail"])
        terminalreporter.line("clauses judged through the probe's answers may fail for that reason alone")
    if run.stale:
        terminalreporter.section("conformance: waivers no longer needed", red=True)
        for clause_id in run.stale:
            terminalreporter.line(f"{clause_id}: waived, but it passed; remove the waiver (the run fails)")
    directory = config.getoption("conformance_report", None)
    if directory and run.stale is not None:
        terminalreporter.line(f"conformance report: {Path(directory) / 'report.html'}")
