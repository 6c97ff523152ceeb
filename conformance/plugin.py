"""The suite's pytest plugin: the target, the client fixture, clause markers, profiles, the report.

Registered by the suite's conftest.py (`suite/conftest.py`), so only in a run
that collects the suite; the options it reads are added by the always-loaded,
inert entry point (`invokeendpoint_conformance.pytest_plugin`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from invokeendpoint_conformance import specs

from . import embedded, profiles, report, suite
from .client import TargetClient
from .target import Target, TargetConfigError, resolve

SUITE_DIRECTORY = Path(suite.__file__).resolve().parent
UNREACHABLE_EXIT_CODE = 3
TARGET_KEY = pytest.StashKey[Target]()
RECORDER_KEY = pytest.StashKey[report.Recorder]()
RUN_KEY = pytest.StashKey[dict]()  # what the client fixture learned: the URL, the secrets to redact


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clause(*ids): the clause IDs (specs/clauses.json) a suite test checks"
    )
    for kind in specs.KINDS:
        config.addinivalue_line(
            "markers", f"{kind}: the test checks {kind} clauses (derived from its clause IDs)"
        )
    options = {
        key: config.getoption(key)
        for key in (
            "url",
            "aws_region",
            "region",
            "auth",
            "enforces_auth",
            "probe_endpoint",
            "variant",
            "edition",
            "target_config",
        )
    }
    try:
        target = resolve(options)
    except TargetConfigError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[TARGET_KEY] = target
    try:
        waivers = report.read_waivers(target)
    except report.WaiverError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[RECORDER_KEY] = report.Recorder(target, waivers)
    config.stash[RUN_KEY] = {"url": target.url or "", "secrets": list(target.sensitive_values)}
    profile = config.getoption("conformance_profile")
    profiles.activate(profile or ("live" if target.aws else "ci" if os.environ.get("CI") else "dev"))


def clause_ids(item: pytest.Item) -> list[str]:
    return [cid for mark in item.iter_markers("clause") for cid in mark.args]


def is_suite_test(item: pytest.Item) -> bool:
    """A test of the suite's own modules (by where it lives: an editable install names them otherwise)."""
    return SUITE_DIRECTORY in item.path.parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse suite tests without exactly one kind of clause; mark kinds; skip what does not apply."""
    target = config.stash[TARGET_KEY]
    wanted = set(config.getoption("clauses"))
    unknown_wanted = wanted - {c.id for c in specs.clauses()}
    if unknown_wanted:
        raise pytest.UsageError(
            f"--clause {', '.join(sorted(unknown_wanted))}: no such clause in specs/clauses.json"
        )
    refused, kept, deselected = [], [], []
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
        kept.append(item)
    if refused:
        raise pytest.UsageError("suite tests without a usable clause marker:\n  " + "\n  ".join(refused))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Target:
    return pytestconfig.stash[TARGET_KEY]


@pytest.fixture(scope="session")
def client(target: Target, pytestconfig: pytest.Config):
    """A client for the target; starts the embedded emulator when no target was named."""
    running = None
    url = target.url
    if target.embedded:
        try:
            running = embedded.start(edition=target.edition, enforce_auth=target.enforces_auth)
        except embedded.EmbeddedTargetError as error:
            pytest.exit(str(error), returncode=UNREACHABLE_EXIT_CODE)
        url = running.url

    def on_connection_error(exchange) -> None:
        if running is not None and not running.alive():
            pytest.exit(
                f"the embedded emulator at {url} died (exit code {running.process.returncode}); "
                f"its log ends:\n{running.log_tail()}",
                returncode=UNREACHABLE_EXIT_CODE,
            )

    client = TargetClient(target, url, on_connection_error=on_connection_error)
    run = pytestconfig.stash[RUN_KEY]
    run["url"] = url
    run["secrets"] += [s for s in (client.credentials.secret_key, client.credentials.token) if s]
    run["probe"] = _require_reachable(client)
    yield client
    if running is not None:
        running.stop()


def _require_reachable(client: TargetClient) -> dict:
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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    if is_suite_test(item):
        excinfo = (
            call.excinfo if call.excinfo and not call.excinfo.errisinstance(pytest.skip.Exception) else None
        )
        item.config.stash[RECORDER_KEY].record(item, outcome.get_result(), clause_ids(item), excinfo)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Judge each clause; stale waivers fail the run; write the report where one was asked for."""
    config = session.config
    recorder = config.stash.get(RECORDER_KEY, None)
    if recorder is None or not recorder.tests:
        return
    run = config.stash[RUN_KEY]
    clauses = recorder.clause_records()
    run["stale"] = stale = recorder.stale_waivers(clauses)
    if stale:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    directory = config.getoption("conformance_report")
    if directory:
        seed = config.getoption("hypothesis_seed", None)
        profile = profiles.active()
        document = {
            "manifest": report.manifest(
                recorder.target, run["url"], recorder, session.exitstatus, seed, profile, run.get("probe")
            ),
            "summary": report.summary(clauses, stale),
            "clauses": clauses,
        }
        report.write(document, Path(directory), run["secrets"])


def pytest_unconfigure(config: pytest.Config) -> None:
    """pytest writes junit.xml itself: redact it like every other report file."""
    directory = config.getoption("conformance_report", None)
    junit = Path(directory) / "junit.xml" if directory else None
    secrets = config.stash.get(RUN_KEY, {}).get("secrets")
    if junit and secrets and junit.is_file():
        junit.write_text(report.redact(junit.read_text(encoding="utf-8"), secrets), encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, {})
    if run.get("probe") and not run["probe"]["conforms"]:
        terminalreporter.section(
            "conformance: the probe does not answer as the target contract says", red=True
        )
        terminalreporter.line(run["probe"]["detail"])
        terminalreporter.line("clauses judged through the probe's answers may fail for that reason alone")
    if run.get("stale"):
        terminalreporter.section("conformance: waivers no longer needed", red=True)
        for clause_id in run["stale"]:
            terminalreporter.line(f"{clause_id}: waived, but it passed; remove the waiver (the run fails)")
    directory = config.getoption("conformance_report", None)
    if directory and "stale" in run:
        terminalreporter.line(f"conformance report: {Path(directory) / 'report.html'}")
