"""The suite's pytest plugin: target options, the target fixture, clause markers, profiles.

Loaded by the pytest11 entry point of an installed copy (or the checkout's
conftest.py). Everything here is inert until a suite test (a test module of
the `conformance` package) is collected, so the plugin does not disturb other
test runs in the same environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

import specs

from . import embedded, report
from .client import TargetClient
from .target import Target, TargetConfigError, resolve

SUITE_PACKAGE = "conformance."
UNREACHABLE_EXIT_CODE = 3
TARGET_KEY = pytest.StashKey[Target]()
RECORDER_KEY = pytest.StashKey[report.Recorder]()
RUN_KEY = pytest.StashKey[dict]()  # what the client fixture learned: the URL, the secrets to redact

_health = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_health)
settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, suppress_health_check=_health
)
# Billed endpoints: few examples, and no shrinking (each shrink step is another paid request).
settings.register_profile(
    "live",
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=_health,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "InvokeEndpoint conformance suite")
    group.addoption(
        "--target-url",
        dest="url",
        metavar="URL",
        help="base URL of the target "
        "(default: start the embedded reference emulator on a free loopback port)",
    )
    group.addoption(
        "--target-aws",
        dest="aws_region",
        metavar="REGION",
        help="a live AWS endpoint in REGION (URL from botocore, credentials from boto3's chain)",
    )
    group.addoption(
        "--region", dest="region", metavar="REGION", help="SigV4 signing region (default us-east-1)"
    )
    group.addoption("--auth", dest="auth", choices=["sigv4", "none"], help="sign requests (default) or not")
    group.addoption(
        "--enforces-auth",
        dest="enforces_auth",
        action="store_true",
        default=None,
        help="the target rejects unsigned and badly signed requests: run the auth clauses",
    )
    group.addoption(
        "--probe-endpoint",
        dest="probe_endpoint",
        metavar="NAME",
        help="endpoint hosting the probe model (default conformance-probe)",
    )
    group.addoption(
        "--variant", dest="variant", metavar="NAME", help="the probe's variant (default AllTraffic)"
    )
    group.addoption(
        "--edition",
        dest="edition",
        choices=list(specs.EDITIONS),
        help="which edition's clauses and limits apply (default original)",
    )
    group.addoption(
        "--target-config",
        dest="target_config",
        metavar="FILE",
        help="TOML file holding any of the above for one target, plus its waivers",
    )
    group.addoption(
        "--clause",
        dest="clauses",
        action="append",
        metavar="ID",
        default=[],
        help="run only the tests of this clause (repeatable)",
    )
    group.addoption(
        "--conformance-report",
        dest="conformance_report",
        metavar="DIR",
        help="write report.json, report.md, report.html, badge.svg and junit.xml into DIR",
    )


@pytest.hookimpl(tryfirst=True)  # before junitxml reads its path
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
    directory = config.getoption("conformance_report")
    if directory and not config.option.xmlpath:
        Path(directory).mkdir(parents=True, exist_ok=True)
        config.option.xmlpath = str(Path(directory) / "junit.xml")
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("live" if target.aws else "ci" if os.environ.get("CI") else "dev")


def clause_ids(item: pytest.Item) -> list[str]:
    return [cid for mark in item.iter_markers("clause") for cid in mark.args]


def _is_suite_test(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    return module is not None and module.__name__.startswith(SUITE_PACKAGE)


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
        if not _is_suite_test(item):
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
    if _is_suite_test(item):
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
        profile = settings._current_profile or "default"
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
