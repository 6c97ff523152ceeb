"""The whole-suite runs of tests/certify, by name: what each runs, against what, with which options.

conftest.py's `finished` fixture starts the runs the selected tests name, all at once, each in its
own directory (its working directory too, so that no run replays another's Hypothesis database).
"""

from __future__ import annotations

import contextlib
import http.server
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from loopback import serving
from suite_runs import SuiteRun, broken_emulator, run_suite

# One seed for every run that compares verdicts; the dev profile, so that the seed is what decides.
SEEDED = ("--conformance-profile", "dev", "--hypothesis-seed", "20240601")
# A broken emulator whose one failing clause is found by a Hypothesis test: its failure has a minimal example.
HYPOTHESIS_FINDS = "accept-limit-one-long"
# What the runs against it run: its clause and others Hypothesis draws for, a passing one from each test.
AROUND_IT = (
    *("accept.max-length", "content-type.max-length", "custom-attributes.max-length"),
    *("body.passed-unchanged", "name.max-length", "name.pattern", "name.empty", "name.absent"),
    *("forward.accept", "probe.status"),
)
# The waived run needs the waived clauses and one that passes; the rest of the suite adds nothing to it.
WAIVED_RUN = ("response.invoked-variant", "sdk.valid-invocation", "response.body")
CANARY = {
    "AWS_ACCESS_KEY_ID": "AKIACANARY0000000001",
    "AWS_SECRET_ACCESS_KEY": "canary-secret-key-do-not-print-0123456789",
    "AWS_SESSION_TOKEN": "canary-session-token-do-not-print-9876543210",
}
SENSITIVE = "canary-configured-sensitive-value"
WAIVER = """
[[waivers]]
clause = "response.invoked-variant"
reason = "known bug 12"
link = "https://example.invalid/issues/12"
expires = {expires}
"""


@dataclass
class Finished:
    """A whole run: pytest's (or certify's) outcome, its report directory, the broken emulator's URL."""

    run: SuiteRun
    out: Path
    url: str | None = None


RUNS: dict[str, Callable[[Path], Finished]] = {}


def whole_run(name: str) -> Callable[[Callable[[Path], Finished]], Callable[[Path], Finished]]:
    def register(run: Callable[[Path], Finished]) -> Callable[[Path], Finished]:
        RUNS[name] = run
        return run

    return register


def certify(*args: str, cwd: Path, timeout: float = 600) -> SuiteRun:
    done = subprocess.run(
        [sys.executable, "-m", "invokeendpoint_conformance.conformance", "certify", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )
    return SuiteRun(done.returncode, done.stdout, done.stderr)


def config_file(directory: Path, url: str | None, waivers: str) -> str:
    """A target config; without a URL it names the embedded emulator."""
    path = directory / "target.toml"
    path.write_text((f'url = "{url}"\n' if url else "") + f'description = "under test"\n{waivers}')
    return str(path)


@whole_run("waived")
def _waived(directory: Path) -> Finished:
    with broken_emulator("variant-header-missing") as url:
        config = config_file(
            directory,
            url,
            WAIVER.format(expires="2999-01-01")
            + WAIVER.replace("response.invoked-variant", "sdk.valid-invocation").format(expires="2999-01-01"),
        )
        clauses = [option for clause in WAIVED_RUN for option in ("--clause", clause)]
        run = run_suite(
            "-q", "--target-config", config, "--conformance-report", str(directory / "out"), *clauses
        )
    return Finished(run, directory / "out", url)


@whole_run("variant-header-missing")
def _variant_header_missing(directory: Path) -> Finished:
    """The whole suite against one failing clause, with canary credentials and a sensitive value."""
    config = directory / "target.toml"
    with broken_emulator("variant-header-missing") as url:
        config.write_text(
            f'url = "{url}"\ndescription = "owned by {SENSITIVE}"\nsensitive_values = ["{SENSITIVE}"]\n'
        )
        run = run_suite(
            "-q", "--target-config", str(config), "--conformance-report", str(directory / "out"), env=CANARY
        )
    return Finished(run, directory / "out", url)


@whole_run("outside-the-edition")
def _outside_the_edition(directory: Path) -> Finished:
    out = directory / "out"
    return Finished(run_suite("-q", "--conformance-report", str(out), "-k", "invoked_variant or ascii"), out)


@whole_run("stale-waiver")
def _stale_waiver(directory: Path) -> Finished:
    config = config_file(directory, None, WAIVER.format(expires="2999-01-01"))
    out = directory / "out"
    options = ("-k", "invoked_variant", "--target-config", config, "--conformance-report", str(out))
    run = run_suite("-q", *options)
    return Finished(run, out)


@whole_run("breaks-exchange")
def _breaks_exchange(directory: Path) -> Finished:
    with broken_emulator("connection-dropped-on-model-error") as url:
        run = run_suite(
            "-q", "--target-url", url, "--conformance-report", str(directory / "out"), "-k", "container_500"
        )
    return Finished(run, directory / "out", url)


@whole_run("not-exercised")
def _not_exercised(directory: Path) -> Finished:
    with echo_target() as url:
        run = run_suite(
            "-q",
            "--target-url",
            url,
            "--conformance-report",
            str(directory / "out"),
            "--clause",
            "forward.accept",
        )
    return Finished(run, directory / "out", url)


def _certified(*options: str) -> Callable[[Path], Finished]:
    """`conformance certify` of the embedded emulator, with the seeded runs' profile and seed."""

    def run(directory: Path) -> Finished:
        out = directory / "out"
        profile, name, seed_option, seed = SEEDED
        done = certify("--out", str(out), profile, name, *options, "--", seed_option, seed, cwd=directory)
        return Finished(done, out)

    return run


def _seeded_reference(directory: Path) -> Finished:
    out = directory / "out"
    return Finished(run_suite("-q", "--conformance-report", str(out), *SEEDED, cwd=directory), out)


def _seeded_broken(*options: str) -> Callable[[Path], Finished]:
    def run(directory: Path) -> Finished:
        out = directory / "out"
        clauses = [option for clause in AROUND_IT for option in ("--clause", clause)]
        with broken_emulator(HYPOTHESIS_FINDS) as url:
            done = run_suite(
                *("-q", "--target-url", url, "--conformance-report", str(out), *SEEDED, *clauses, *options),
                cwd=directory,
            )
        return Finished(done, out, url)

    return run


RUNS["reference"] = _certified()  # the whole suite, serial, through the certify command
RUNS["reference-again"] = _seeded_reference
RUNS["reference-parallel"] = _certified("--workers", "2")
RUNS["broken"] = _seeded_broken()
RUNS["broken-again"] = _seeded_broken()
RUNS["broken-parallel"] = _seeded_broken("-n", "2")


@contextlib.contextmanager
def echo_target() -> Iterator[str]:
    """A misbehaving target: it echoes every POST (so the probe check passes) and ignores every directive.

    So a clause read through the probe's `probe-echo=headers` answer is left unjudged: not exercised.
    """

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", self.headers.get("Content-Type") or "application/octet-stream")
            self.send_header("x-Amzn-Invoked-Production-Variant", "AllTraffic")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)) as url:
        yield url
