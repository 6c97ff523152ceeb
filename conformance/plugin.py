"""The suite's pytest plugin: the target, the client fixture, clause markers, profiles, the report.

Registered by the suite's conftest.py (`suite/conftest.py`), so only in a run
that collects the suite; the options it reads are added by the always-loaded,
inert entry point (`invokeendpoint_conformance.pytest_plugin`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from invokeendpoint_conformance import pytest_plugin, specs
from invokeendpoint_conformance.exchanges import Exchange

from . import embedded, profiles, report_files, suite, verdicts
from .client import TargetClient
from .recording import Recorder, waiver_matcher
from .report_document import ProbeCheck, Report
from .target import Target, TargetConfigError, resolve

SUITE_DIRECTORY = Path(suite.__file__).resolve().parent
UNREACHABLE_EXIT_CODE = 3


@dataclass
class Run:
    """What the run learns as it goes, for the report and the terminal summary."""

    url: str  # the embedded emulator's is known once the client fixture started it
    secrets: list[str]  # redacted from every report file: the config's, then the credentials
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    probe: ProbeCheck | None = None  # the reachability check's verdict on the probe
    stale: list[str] | None = None  # waived clauses that passed; None until the clauses are judged


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
    unknown_wanted = wanted - {c.id for c in specs.clauses()}
    if unknown_wanted:
        raise pytest.UsageError(
            f"--clause {', '.join(sorted(unknown_wanted))}: no such clause in specs/clauses.json"
        )
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
            pytest.exit(str(error), returncode=UNREACHABLE_EXIT_CODE)
        url = running.url

    def on_connection_error(exchange: Exchange) -> None:
        if running is not None and not running.alive():
            pytest.exit(
                f"the embedded emulator at {url} died (exit code {running.process.returncode}); "
                f"its log ends:\n{running.log_tail()}",
                returncode=UNREACHABLE_EXIT_CODE,
            )

    client = TargetClient(target, url, on_connection_error=on_connection_error)
    run = pytestconfig.stash[RUN_KEY]
    run.url = url
    run.secrets += [s for s in (client.credentials.secret_key, client.credentials.token) if s]
    run.probe = _require_reachable(client)
    yield client
    if running is not None:
        running.stop()


def _require_reachable(client: TargetClient) -> ProbeCheck:
    """One request before anything else: a target that cannot be reached ends the run at once.

    The same request tells whether the probe answers as the target contract says (it echoes);
    where it does not, every clause judged through the probe is in doubt, and the run says so.
    """
    body = b"reachability"
    exchange = client.sender.send(client.invocation(body=body, headers=[("Content-Type", "text/plain")]))
    if exchange.response is None:
        pytest.exit(
            f"target {client.url} cannot be reached: {exchange.connection_error}",
            returncode=UNREACHABLE_EXIT_CODE,
        )
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
    report = yield
    if is_suite_test(item):
        skipped = call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception)
        error = call.excinfo.value if call.excinfo is not None and not skipped else None
        item.config.stash[RECORDER_KEY].record(report, clause_ids(item), error)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Judge each clause; stale waivers fail the run; write the report where one was asked for."""
    config = session.config
    recorder = config.stash.get(RECORDER_KEY, None)
    if recorder is None or not recorder.tests:
        return
    target, run = config.stash[TARGET_KEY], config.stash[RUN_KEY]
    clauses = verdicts.clause_records(recorder.tests, target)
    run.stale = stale = verdicts.stale_waivers(clauses)
    if stale:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    directory = config.getoption("conformance_report")
    if directory:
        manifest = report_files.manifest(
            target,
            url=run.url,
            started=run.started,
            exit_status=session.exitstatus,
            seed=config.getoption("hypothesis_seed", None),
            profile=profiles.active(),
            probe=run.probe,
        )
        document: Report = {
            "manifest": manifest,
            "summary": verdicts.summary(clauses, stale),
            "clauses": clauses,
        }
        report_files.write(document, Path(directory), run.secrets)


def pytest_unconfigure(config: pytest.Config) -> None:
    """pytest writes junit.xml itself: redact it like every other report file."""
    directory = config.getoption("conformance_report", None)
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
